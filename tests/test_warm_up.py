"""The warm-up before --jobs workers fork loads what the source checks load only for a
batch that has a source; whether one has is found without reading the .txt files again."""

from __future__ import annotations

from mtaudit.inputs.readers import ArticleList, read_inputs
from mtaudit.run import pipeline
from mtaudit.types import Article


def test_a_batch_has_a_source_when_any_article_has_one(tmp_path):
    assert not pipeline.has_source([Article("a", "نص"), Article("b", "نص آخر")])
    assert pipeline.has_source([Article("a", "نص"), Article("b", "نص آخر", source="Some text.")])
    (tmp_path / "ar").mkdir()
    (tmp_path / "en").mkdir()
    for name in ("one", "two"):
        (tmp_path / "ar" / f"{name}.txt").write_text("وصل الرئيس إلى موسكو.\n", encoding="utf-8")
    plain = read_inputs([tmp_path / "ar"]).articles
    assert isinstance(plain, ArticleList) and not pipeline.has_source(plain)
    (tmp_path / "en" / "two.txt").write_text("The president arrived in Moscow.\n", encoding="utf-8")
    paired = read_inputs([tmp_path / "ar"], tmp_path / "en").articles
    assert pipeline.has_source(paired)


def test_the_warm_up_without_a_source_audits_the_warm_up_text_alone(monkeypatch):
    seen = []
    monkeypatch.setattr(pipeline, "audit_article", lambda art, *a, **k: seen.append(art))
    pipeline.warm_up([], None, with_source=False)
    pipeline.warm_up([], None)
    assert [a.source for a in seen] == [None, pipeline._WARM_UP.source]
    assert seen[0].text == seen[1].text


def test_the_warm_up_sets_up_the_garble_distance_for_checks_that_read_the_gazetteer(monkeypatch):
    from mtaudit.checks import select
    from mtaudit.names import channel

    monkeypatch.setattr(pipeline, "audit_article", lambda *a, **k: None)
    prepared = []
    monkeypatch.setattr(channel, "prepare", lambda: prepared.append(True))
    specs = select(["name-garbled"])
    pipeline.warm_up(specs, None, with_source=False)
    assert prepared == [True]
    pipeline.warm_up(select(["calque"]), None, with_source=False)
    assert prepared == [True]  # no check of the gazetteer: nothing to set up
