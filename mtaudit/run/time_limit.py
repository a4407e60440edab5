"""A per-article time limit, so that one pathological article cannot stall a batch.

The limit is a real-time interval timer (``SIGALRM``) that raises :class:`ArticleTimeout`
inside whatever the audit was doing. It is armed only in a process's main thread on a
platform with ``setitimer`` (Linux, macOS): elsewhere (a Dask worker thread, Windows) the
article runs without a limit rather than failing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds one article may take by default: generous, since a normal 4 KB article takes
#: milliseconds and even a 100 KB one a few seconds.
DEFAULT_SECONDS = 30.0


class ArticleTimeout(BaseException):
    """The article took longer than its time limit.

    A BaseException, like KeyboardInterrupt, so that the pipeline's "a check that raises
    is recorded and the audit goes on" handlers do not swallow it."""


def _can_arm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout in the body after ``seconds`` (None or 0: no limit)."""
    if not seconds or not _can_arm():
        yield
        return

    def _expired(signum, frame):
        raise ArticleTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
