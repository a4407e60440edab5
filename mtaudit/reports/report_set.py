"""A report folder written as a set: the old set or the new one, never a mix.

Every report file of a run is written into a staging folder beside ``--out``; when all of
them are written, the staging folder replaces the old folder (two renames with SIGINT and
SIGTERM held back in between, so an interrupt can only come before the swap, when the old
set is intact, or after it, when the new set is complete). An interrupted or failed run
removes its staging folder and leaves the old set as it was.

A run killed outright (SIGKILL, a lost machine) cannot clean up, so each staging folder is
named after its owner, ``.OUT.partial-<host>-<pid>-XXXXXXXX``: the next run for the same
``--out`` removes the ones whose process on this host is gone (and a ``.OUT.old-<host>-<pid>``
left between the two renames, putting it back as OUT when OUT itself is missing), and the
readers of report folders (``merge``) refuse a staging folder as output. Only names exactly
of that shape are touched; one without an owner (an older release's, or a user's own
``.OUT.old-2019``) gets a note, never a deletion.

Each file is also atomic on its own (mtaudit.files.atomic_write), which a reader that
opens one file while a run writes needs; the set is what this module adds.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (main thread of a POSIX process)."""
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    held = {signal.SIGINT, signal.SIGTERM}
    if can:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


#: A staging or swapped-out folder: ``.OUT.partial-HOST-PID-XXXXXXXX`` (the eight characters
#: are tempfile.mkdtemp's) / ``.OUT.old-HOST-PID``. Releases before owners were named wrote
#: ``.OUT.partial-XXXXXXXX`` and ``.OUT.old-PID`` (no host): ownerless, so only noted.
_LEFTOVER = re.compile(
    r"^\.(?P<out>.+)\.(?:partial-(?:(?P<host>[^-/]+)-(?P<pid>\d+)-)?[a-z0-9_]{8}"
    r"|old-(?:(?P<old_host>[^-/]+)-)?(?P<old_pid>\d+))$"
)


def _host() -> str:
    # "-" separates the fields of the name; a host name may hold one
    return socket.gethostname().replace("-", "_") or "localhost"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):  # PermissionError: someone else's live process;
        return True  # a number no pid can be: not a name we made, so not ours to judge
    return True


def is_staging(folder: Path) -> bool:
    """Whether ``folder`` is a report set's staging (or swapped-out) folder, never output."""
    return _LEFTOVER.match(Path(folder).name) is not None


def _owner(match: re.Match) -> tuple[str, int] | None:
    """The host and pid a leftover's name gives, or None for an ownerless (older) name."""
    host, pid = (match.group("host"), match.group("pid")) if match.group("pid") else (match.group("old_host"), match.group("old_pid"))
    return (host, int(pid)) if host and pid else None


def _abandoned(owner: tuple[str, int]) -> bool:
    host, pid = owner
    if host != _host():
        return False  # another machine's run on a shared folder: not ours to judge
    return pid != os.getpid() and not _alive(pid)


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove what killed runs left beside ``out_dir``; return a note for each.

    A swapped-out old set whose run died before the new set was renamed in is put back as
    ``out_dir`` when that is missing, so a report set is replaced whole or not at all."""
    out_dir = Path(out_dir)
    if not out_dir.parent.is_dir():
        return []
    handled = []
    for path in sorted(out_dir.parent.glob(f".{glob.escape(out_dir.name)}.*")):
        match = _LEFTOVER.match(path.name)
        if match is None or match.group("out") != out_dir.name or not path.is_dir():
            continue
        owner = _owner(match)
        if owner is None:
            handled.append(f"{path}: looks like a report folder an older mtaudit left unfinished; "
                           "remove it by hand when no run is writing it")
        elif not _abandoned(owner):
            continue
        elif match.group("old_pid") and not out_dir.exists():
            os.rename(path, out_dir)
            handled.append(f"{path}: the previous report set, left aside by a run killed while swapping; put back as {out_dir}")
        else:
            was = "the previous report set, left aside by a run killed while swapping" if match.group("old_pid") else "left unfinished by a run that was killed"
            shutil.rmtree(path, ignore_errors=True)
            handled.append(f"{path}: {was}; " + ("could not be removed" if path.exists() else "removed"))
    return handled


class ReportSet:
    """Write into :attr:`staging`, then :meth:`commit` (or :meth:`abort`)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise OSError(f"{self.out_dir} exists and is not a folder")
        if is_staging(self.out_dir):
            raise OSError(f"{self.out_dir} is the unfinished report folder of an interrupted run; choose another --out")
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        #: What was done now with the folders killed runs left for this --out.
        self.cleaned = clean_leftovers(self.out_dir)
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.out_dir.name}.partial-{_host()}-{os.getpid()}-", dir=self.out_dir.parent)
        )
        os.chmod(self.staging, 0o755)  # mkdtemp makes it private; reports are for colleagues

    def final(self, path: Path) -> Path:
        """Where a file written into the staging folder ends up."""
        return self.out_dir / Path(path).relative_to(self.staging)

    def commit(self) -> None:
        """Swap the new set in and drop the old one."""
        old = self.out_dir.with_name(f".{self.out_dir.name}.old-{_host()}-{os.getpid()}")
        with _interrupts_held():
            had_old = self.out_dir.exists()
            if had_old:
                os.rename(self.out_dir, old)
            os.rename(self.staging, self.out_dir)
        if had_old:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging folder; the old set stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
