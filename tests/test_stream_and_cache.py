"""Constant-memory reports (mtaudit.run.stream) and the result cache (mtaudit.run.result_cache):
both must give the very bytes of an ordinary in-memory run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.gate.verdict import GatePolicy
from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.reports.tables import write_reports
from mtaudit.run.result_cache import ResultCache
from mtaudit.run.stream import audit_to_reports
from mtaudit.types import Article, Severity

FILES = ("findings.csv", "articles.csv", "segments.csv", "findings.json", "report.html")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _articles() -> list[Article]:
    ar = sorted((EXAMPLES / "ar").glob("*.txt"))
    out = [
        Article(p.stem, p.read_text(encoding="utf-8"), source=(EXAMPLES / "en" / p.name).read_text(encoding="utf-8"),
                reference=p.read_text(encoding="utf-8").replace("ارتفعت", "صعدت"), origin=str(p))
        for p in ar
    ]
    # name-inconsistent across articles (a batch check), and an article with neither source nor reference
    out += [
        Article("n1", "قالت أستاخوفا إن المصادر أكدت الخبر، وأضافت أستاخوفا أن الاجتماع انتهى."),
        Article("n2", "وكتبت أستخوفا التقرير.\nوصل الوفد إلى موسكو."),
    ]
    return out


def test_streamed_reports_are_the_in_memory_reports_byte_for_byte(tmp_path):
    policy = GatePolicy(Severity.CRITICAL, {"chrf": 10.0}, "article")
    config = AuditConfig()
    result = audit(_articles(), config)
    write_reports(result, tmp_path / "memory", policy)
    streamed, _ = audit_to_reports(_articles(), AuditConfig(), tmp_path / "stream", policy)
    for name in FILES:
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "stream" / name).read_bytes(), name
    assert any(f.check == "name-inconsistent" for f in streamed.findings)
    assert json.loads((tmp_path / "stream" / "findings.json").read_text(encoding="utf-8"))["corpus_scores"]
    assert not list((tmp_path / "stream").glob(".*"))  # no spool or temporary file left behind


def test_empty_batch_streams_like_the_in_memory_run(tmp_path):
    policy = GatePolicy(Severity.CRITICAL, {}, "article")
    write_reports(audit([], AuditConfig()), tmp_path / "memory", policy)
    audit_to_reports([], AuditConfig(), tmp_path / "stream", policy)
    for name in FILES:
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "stream" / name).read_bytes(), name


def test_an_unchanged_rerun_comes_from_the_cache_with_identical_reports(tmp_path):
    runner = CliRunner()
    cache = tmp_path / "cache"
    args = ["audit", str(EXAMPLES / "ar"), "--source", str(EXAMPLES / "en"), "--cache", str(cache), "-q"]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert first.exit_code in (0, 1), first.output
    db = ResultCache(cache)
    assert db.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 2
    db.close()
    second = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert second.exit_code == first.exit_code
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_cache_key_covers_the_text_and_the_checks(tmp_path):
    """A changed article, or another check set, is audited afresh; an interrupted batch
    resumes: what was stored is reused and only the rest is audited."""
    from mtaudit.checks import select
    from mtaudit.run.result_cache import article_key, run_key

    specs = select()
    run = run_key(specs, "fp", True)
    a = Article("x", "نص أول")
    assert article_key(a, run) != article_key(Article("x", "نص ثان"), run)
    assert article_key(a, run) != article_key(a, run_key(select(["calque"]), "fp", True))
    assert article_key(a, run) != article_key(a, run_key(specs, "other-references", True))

    cache = tmp_path / "cache"
    arts = _articles()
    audit(arts[:2], AuditConfig(cache=True, cache_dir=cache))  # "interrupted" after two articles
    calls = []
    import mtaudit.run.pipeline as pipeline

    real = pipeline.audit_article

    def counting(article, *rest, **kw):
        calls.append(article.id)
        return real(article, *rest, **kw)

    pipeline.audit_article = counting
    try:
        resumed = audit(arts, AuditConfig(cache=True, cache_dir=cache))
    finally:
        pipeline.audit_article = real
    assert [c for c in calls if c != "warm-up"] == [a.id for a in arts[2:]]
    fresh = audit(arts, AuditConfig())
    assert [r.findings for r in resumed.articles] == [r.findings for r in fresh.articles]


def test_shards_merged_are_one_unsharded_run(tmp_path):
    """--shard I/N splits by article id; `mtaudit merge` gives the unsharded reports, with
    the batch check (name-inconsistent across articles of different shards) run at merge time."""
    from mtaudit.run.stream import shard_of

    folder = tmp_path / "in"
    folder.mkdir()
    for a in _articles():
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    ids = sorted(p.stem for p in folder.glob("*.txt"))
    assert len({shard_of(i, 3) for i in ids}) > 1  # the split is by id, and it does split
    runner = CliRunner()
    whole = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "whole"), "-q"])
    assert whole.exit_code in (0, 1), whole.output
    dirs = []
    for i in (1, 2, 3):
        d = tmp_path / f"shard{i}"
        r = runner.invoke(app, ["audit", str(folder), "--shard", f"{i}/3", "--out", str(d), "-q"])
        assert r.exit_code in (0, 1), r.output
        dirs.append(str(d))
    merged = runner.invoke(app, ["merge", str(tmp_path / "merged"), *reversed(dirs), "-q"])
    assert merged.exit_code == whole.exit_code, merged.output
    for name in FILES:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "merged" / name).read_bytes(), name
    assert b"name-inconsistent" in (tmp_path / "merged" / "findings.csv").read_bytes()
    bad = runner.invoke(app, ["merge", str(tmp_path / "m2"), dirs[0], dirs[0]])
    assert bad.exit_code == 2
    assert runner.invoke(app, ["audit", str(folder), "--shard", "4/3"]).exit_code == 2
