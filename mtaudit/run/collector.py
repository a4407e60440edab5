"""Python's cycle collector, tuned for a batch audit.

CPython runs its cycle collector on the youngest generation after every 700 net container
allocations, and on the older ones after every 10 of those. An audit allocates and frees
millions of short-lived objects (tokens, folded words, findings, report rows), which
reference counting frees without the collector; yet at the default thresholds the collector
ran about 1,800 times on the 1,000-article bench corpus and reached the oldest generation,
which holds every loaded table, a dozen times: 2.4 of 33.7 CPU seconds of `mtaudit audit
--jobs 1` (measured with ``gc.callbacks``). With the youngest generation collected after
50,000 net allocations it ran 78 times (0.27 CPU s; most of them during start-up, before the
batch thresholds apply), with the same peak RSS (347 MB): what the audit leaves for the
collector (cycles) is small, so collecting it less often holds back little memory. Auditing 300
articles in one process, alternating runs: 7.0–8.3 CPU s at the defaults, 6.6–7.3 with these.

:func:`freeze_loaded` moves everything allocated so far out of the collector's reach
(``gc.freeze``): called before ``--jobs`` workers fork, it keeps a worker's collections from
walking, and so writing to, the pages it shares with the parent (the loaded tables), which
copy-on-write would otherwise copy into every worker. Once the workers are forked the parent
calls :func:`unfreeze_loaded`: each process has its own frozen generation, and a caller in the
same process (a test, a service that audits again and again) must get its objects back under
the collector, or whatever of them later becomes cyclic garbage is never freed.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

#: Net container allocations between two collections of the youngest generation during a
#: batch (CPython's default: 700). The older generations keep their default ratios.
BATCH_GEN0 = 50_000


@contextmanager
def batch_collection() -> Iterator[None]:
    """The collector's thresholds for a batch, restored afterwards (usable as a decorator)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], BATCH_GEN0), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def freeze_loaded() -> None:
    """Keep every object allocated so far out of later collections (see the module's note);
    they are still freed by reference counting when nothing holds them."""
    gc.freeze()


def unfreeze_loaded() -> None:
    """Put the objects :func:`freeze_loaded` froze back under the collector (in this process)."""
    gc.unfreeze()
