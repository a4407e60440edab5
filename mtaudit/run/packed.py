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

from ..types import ArticleResult, CheckCrash

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class PackedResult:
    """One article's result: ``blob`` is the pickled :class:`ArticleResult` without its
    summaries, ``summary_blob`` the pickled summaries (batch check id → summary).

    A result packed where it is then read (``live=True``: the road of one job) keeps its
    summaries object as well: :meth:`summaries` hands that object on instead of unpickling
    the bytes (which cost 1 CPU s per 1,000 bench articles), and the bytes are made only
    when something asks for them (the result cache, a shard's spool). Pickled (sent to
    another process), a packed result carries the bytes alone."""

    __slots__ = ("article_id", "crashes", "blob", "_summary_blob", "_summaries")

    def __init__(self, article_id: str, crashes: tuple[CheckCrash, ...], blob: bytes, summary_blob: bytes | None = None,
                 summaries: dict | None = None) -> None:
        if summary_blob is None and summaries is None:
            raise ValueError("a packed result needs its summaries, as bytes or as the object")
        self.article_id, self.crashes, self.blob = article_id, crashes, blob
        self._summary_blob, self._summaries = summary_blob, summaries

    @classmethod
    def pack(cls, result: ArticleResult, live: bool = False) -> PackedResult:
        summaries = result.summaries
        result.summaries = {}
        try:
            blob = pickle.dumps(result, protocol=_PROTOCOL)
        finally:
            result.summaries = summaries
        if live:
            return cls(result.article.id, tuple(result.crashes), blob, summaries=summaries)
        return cls(result.article.id, tuple(result.crashes), blob, pickle.dumps(summaries, protocol=_PROTOCOL))

    @property
    def summary_blob(self) -> bytes:
        if self._summary_blob is None:
            self._summary_blob = pickle.dumps(self._summaries, protocol=_PROTOCOL)
        return self._summary_blob

    def summaries(self) -> dict:
        """The summaries: the live object of a result packed in this process (the caller
        folds it into the tallies, and nothing else holds it), else a new one at every call."""
        if self._summaries is not None:
            return self._summaries
        return pickle.loads(self._summary_blob)

    def unpack(self, summaries: bool = True) -> ArticleResult:
        """The result (a new object at every call); without ``summaries`` its summaries are
        left empty (the report pass of a streamed run does not read them)."""
        result = pickle.loads(self.blob)
        if summaries:
            result.summaries = pickle.loads(self.summary_blob)
        return result

    def __reduce__(self):
        return PackedResult, (self.article_id, self.crashes, self.blob, self.summary_blob)


def packed(item: ArticleResult | PackedResult) -> PackedResult:
    """``item`` packed here (its summaries kept live, see :class:`PackedResult`)."""
    return item if isinstance(item, PackedResult) else PackedResult.pack(item, live=True)


def unpacked(item: ArticleResult | PackedResult) -> ArticleResult:
    return item.unpack() if isinstance(item, PackedResult) else item
