"""An article's result as bytes: pickled once, where it was audited, and kept as bytes.

A result crosses a process boundary (a ``--jobs`` worker to the parent), goes to the spool
of a streamed run (mtaudit.run.stream) and to the result cache (mtaudit.run.result_cache).
Pickled afresh at each step, the parent would unpickle every result a worker sent, pickle
it again for the spool and a third time for the cache, all serially while the workers
wait for it. A :class:`PackedResult` is pickled once, in the worker, and handed on as the
same bytes; the parent reads only what it needs on the way: the article's id, its crashes
and the batch checks' summaries, which are pickled apart for that reason.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from ..types import ArticleResult, CheckCrash

_PROTOCOL = pickle.HIGHEST_PROTOCOL


@dataclass(frozen=True)
class PackedResult:
    """One article's result: ``blob`` is the pickled :class:`ArticleResult` without its
    summaries, ``summary_blob`` the pickled summaries (batch check id → summary)."""

    article_id: str
    crashes: tuple[CheckCrash, ...]
    blob: bytes
    summary_blob: bytes

    @classmethod
    def pack(cls, result: ArticleResult) -> PackedResult:
        summaries = result.summaries
        result.summaries = {}
        try:
            blob = pickle.dumps(result, protocol=_PROTOCOL)
        finally:
            result.summaries = summaries
        return cls(result.article.id, tuple(result.crashes), blob, pickle.dumps(summaries, protocol=_PROTOCOL))

    def summaries(self) -> dict:
        return pickle.loads(self.summary_blob)

    def unpack(self, summaries: bool = True) -> ArticleResult:
        """The result (a new object at every call); without ``summaries`` its summaries are
        left empty (the report pass of a streamed run does not read them)."""
        result = pickle.loads(self.blob)
        if summaries:
            result.summaries = self.summaries()
        return result


def packed(item: ArticleResult | PackedResult) -> PackedResult:
    return item if isinstance(item, PackedResult) else PackedResult.pack(item)


def unpacked(item: ArticleResult | PackedResult) -> ArticleResult:
    return item.unpack() if isinstance(item, PackedResult) else item
