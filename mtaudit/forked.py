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
import traceback
from collections.abc import Callable


class ChildFailed(RuntimeError):
    """The forked child ended without finishing (killed, or an error that does not pickle)."""


def start(func: Callable[..., object], *args) -> Callable[[], None]:
    """Start ``func(*args)`` in a forked child; returns ``finish()``, which waits for it and
    raises the child's exception, if any. ``finish(abandon=True)`` (the caller failed
    meanwhile) kills the child and waits for it quietly. Without fork, ``func`` runs here
    and now, and ``finish`` does nothing."""
    if not hasattr(os, "fork"):
        func(*args)
        return lambda abandon=False: None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
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

    def kill() -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass

    def finish(abandon: bool = False) -> None:
        if abandon:
            kill()
        try:
            with os.fdopen(read_end, "rb") as pipe:
                message = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:
            # Interrupted while waiting (Ctrl-C, SIGTERM): the child is not left writing into a
            # staging folder that the caller is about to discard.
            kill()
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
            raise
        if abandon or status == 0:
            return
        if message:
            raise pickle.loads(message)
        raise ChildFailed(f"the forked child ended with status {status}")

    return finish
