"""A report folder written as a set: the old set or the new one, never a mix.

Every report file of a run is written into a staging folder beside ``--out``; when all of
them are written, the staging folder replaces the old folder (two renames with SIGINT and
SIGTERM held back in between, so an interrupt can only come before the swap, when the old
set is intact, or after it, when the new set is complete). An interrupted or failed run
removes its staging folder and leaves the old set as it was.

Each file is also atomic on its own (mtaudit.files.atomic_write), which a reader that
opens one file while a run writes needs; the set is what this module adds.
"""

from __future__ import annotations

import os
import shutil
import signal
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


class ReportSet:
    """Write into :attr:`staging`, then :meth:`commit` (or :meth:`abort`)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise OSError(f"{self.out_dir} exists and is not a folder")
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.partial-", dir=self.out_dir.parent))
        os.chmod(self.staging, 0o755)  # mkdtemp makes it private; reports are for colleagues

    def final(self, path: Path) -> Path:
        """Where a file written into the staging folder ends up."""
        return self.out_dir / Path(path).relative_to(self.staging)

    def commit(self) -> None:
        """Swap the new set in and drop the old one."""
        old = self.out_dir.with_name(f".{self.out_dir.name}.old-{os.getpid()}")
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
