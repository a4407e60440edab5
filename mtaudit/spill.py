"""A list kept on disk: items appended in batches, read back in order.

A batch check's tally must not grow with the batch in memory (issue 14: 100,000 articles
in constant memory), yet some of what it keeps (name-inconsistent's possible minority
spellings, one record per rare word) is needed only once, when the check runs at the end.
Such items go to a :class:`SpillList`: each batch is pickled to an unnamed temporary file
(removed by the system when it is closed, or when the process ends) and only the count
stays in memory. A batch is pickled whole, so objects shared inside it (an article's
counts, referenced by each of its records) are shared again when it is read back.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Any, Iterator


class SpillList:
    """Append-only items on disk; iterate to read them back in the order appended (as
    often as asked). :meth:`append` collects items into batches of :attr:`batch` before
    they are pickled; :meth:`extend` pickles its items as one batch."""

    #: Items :meth:`append` collects before they go to disk.
    batch = 256

    def __init__(self, memory_items: int = 0) -> None:
        """``memory_items``: the first this many appended items stay in memory (read back
        without unpickling), only the rest go to disk."""
        self._fh = None
        self._batches = 0
        self._pending: list = []
        self._head: list = []
        self._memory_items = memory_items
        self.count = 0

    def append(self, item: Any) -> None:
        self.count += 1
        if len(self._head) < self._memory_items and not self._batches and not self._pending:
            self._head.append(item)
            return
        self._pending.append(item)
        if len(self._pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self._dump(pending)

    def extend(self, items: list) -> None:
        if not items:
            return
        self._flush()
        self._dump(items)
        self.count += len(items)

    def _dump(self, items: list) -> None:
        if self._fh is None:
            self._fh = tempfile.TemporaryFile(prefix="mtaudit-spill-")
        self._fh.seek(0, 2)
        pickle.dump(items, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._batches += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        self._flush()
        yield from self._head[: self.count]  # (a pass begun before more were appended stops where it began)
        if self._fh is None:
            return
        fh = self._fh
        fh.flush()
        position = 0
        for _ in range(self._batches):  # (each read from its own place: two passes may interleave)
            fh.seek(position)
            items = pickle.load(fh)
            position = fh.tell()
            yield from items

    def close(self) -> None:
        """Drop the items and remove the file."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._pending, self._head = [], []
        self._batches = self.count = 0

    # Pickled (a tally sent to another process) as the plain list of its items.
    def __reduce__(self):
        return (_restore, (list(self),))


def _restore(items: list) -> SpillList:
    out = SpillList()
    out.extend(items)
    return out
