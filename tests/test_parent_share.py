"""What the parent of a batch no longer does itself: unpickle summaries it packed, count a
segment's words and oddness, collect cycles every 700 allocations."""

from __future__ import annotations

import gc
import pickle

from mtaudit.reports.tables import segment_rows, segment_text_stats
from mtaudit.run.collector import BATCH_GEN0, batch_collection
from mtaudit.run.packed import PackedResult, packed
from mtaudit.run.pipeline import AuditConfig, audit_article
from mtaudit.types import Article

ARTICLE = Article("a1", "قالت أستاخوفا إن المصادر أكدت الخبر.\nوكتبت أستخوفا التقرير في موسكو.")


def _audited():
    config = AuditConfig()
    return audit_article(ARTICLE, config.specs(), config.resources())


def test_a_result_packed_here_hands_its_summaries_on_and_travels_as_bytes():
    result = _audited()
    assert result.summaries  # name-inconsistent's, at least
    here = packed(result)
    assert here.summaries() is result.summaries  # not unpickled again
    assert pickle.loads(here.summary_blob) == result.summaries
    # sent to another process (or the cache): the bytes alone, which unpickle to the same
    there = pickle.loads(pickle.dumps(here))
    assert there.summaries() == result.summaries and there.summaries() is not result.summaries
    assert there.blob == here.blob and there.article_id == "a1"
    assert PackedResult.pack(result).summaries() == result.summaries  # packed for elsewhere: bytes


def test_the_audit_leaves_the_segment_stats_that_the_rows_use():
    result = _audited()
    assert result.segment_stats and result.segment_stats == segment_text_stats(result)
    result.segment_stats = [(999, 0.5)] * len(result.segments)
    assert {r["words"] for r in segment_rows(result)} == {999}
    result.segment_stats = result.segment_stats[:-1]  # not this article's segments: counted afresh
    assert [r["words"] for r in segment_rows(result)] == [w for w, _ in segment_text_stats(result)]


def test_a_batch_collects_cycles_less_often_and_the_thresholds_come_back():
    before = gc.get_threshold()
    with batch_collection():
        assert gc.get_threshold() == (max(before[0], BATCH_GEN0), *before[1:])
    assert gc.get_threshold() == before

    @batch_collection()
    def run():
        return gc.get_threshold()[0]

    assert run() >= BATCH_GEN0 and gc.get_threshold() == before


def test_a_batch_with_workers_leaves_nothing_frozen_in_the_caller():
    # gc.freeze before the fork keeps the workers off the shared pages; the caller's objects
    # must come back under the collector, or its cyclic garbage is never freed
    import multiprocessing

    import pytest

    from mtaudit.run.pipeline import audit

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here: the workers load their own tables")
    articles = [Article(f"a{i}", ARTICLE.text) for i in range(6)]
    result = audit(articles, AuditConfig(jobs=2, align=False))
    assert len(result.articles) == 6
    assert gc.get_freeze_count() == 0
