"""One function run beside this process, in a forked child, for a second core.

A batch with ``--jobs`` 2 or more ends with the reports, written by the parent alone while
the workers are gone: the HTML pages can be rendered at the same time as the tables. A
forked child starts with the parent's memory as it is (the results, the tables), so
nothing is pickled on the way in; it writes its files itself and reports back only
whether it succeeded. Where fork is missing (Windows) the function runs in place.
"""

from __future__ import annotations

import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable

#: Seconds an abandoned child has to unwind (its writer removes its temporary files) after
#: SIGTERM before it is killed outright.
GRACE = 2.0


class ChildFailed(RuntimeError):
    """The forked child ended without finishing (killed, or an error that does not pickle)."""


def _unwind(signum, frame) -> None:
    raise SystemExit(128 + signum)


def start(func: Callable[..., object], *args) -> Callable[[], None]:
    """Start ``func(*args)`` in a forked child; returns ``finish()``, which waits for it and
    raises the child's exception, if any. ``finish(abandon=True)`` (the caller failed
    meanwhile) kills the child and waits for it quietly. Without fork, ``func`` runs here
    and now, and ``finish`` does nothing."""
    if not hasattr(os, "fork"):
        func(*args)
        return lambda abandon=False: None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            # Abandoned by the parent: unwind, so the writer's cleanup (temporary files) runs.
            signal.signal(signal.SIGTERM, _unwind)
            func(*args)
        except BaseException as exc:  # noqa: BLE001 — whatever ends the child is the parent's to raise
            code = 1
            try:
                message = pickle.dumps(exc)
            except Exception:  # noqa: BLE001 — an error that does not pickle: its traceback as text
                message = pickle.dumps(ChildFailed("".join(traceback.format_exception(exc))))
            try:
                with os.fdopen(write_end, "wb") as out:
                    out.write(message)
            except OSError:
                pass
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)

    def stop() -> None:
        """SIGTERM (the child unwinds), SIGKILL if it has not ended within GRACE; reaped."""
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + GRACE
            while time.monotonic() < deadline:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    return
                time.sleep(0.01)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:  # gone already, or already reaped (ChildProcessError)
            pass

    def finish(abandon: bool = False) -> None:
        if abandon:
            stop()
            os.close(read_end)
            return
        try:
            with os.fdopen(read_end, "rb") as pipe:
                message = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:
            # Interrupted while waiting (Ctrl-C, SIGTERM): the child is not left writing into a
            # staging folder that the caller is about to discard.
            stop()
            raise
        if status == 0:
            return
        if message:
            raise pickle.loads(message)
        raise ChildFailed(f"the forked child ended with status {status}")

    return finish
