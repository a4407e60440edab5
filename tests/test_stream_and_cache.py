"""Constant-memory reports (mtaudit.run.stream) and the result cache (mtaudit.run.result_cache):
both must give the very bytes of an ordinary in-memory run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.gate.verdict import GatePolicy
from mtaudit.reports.tables import write_reports
from mtaudit.run.pipeline import AuditConfig, audit
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


def test_worker_processes_and_the_result_cache_stream_the_same_bytes(tmp_path):
    """--jobs 2 (results packed in the workers, HTML pages written by a forked child) and an
    unchanged re-run from the result cache (packed results spooled as stored) write what one
    process writes."""
    policy = GatePolicy(Severity.CRITICAL, {"chrf": 10.0}, "article")
    audit_to_reports(_articles(), AuditConfig(), tmp_path / "one", policy)
    for label in ("cold", "warm"):
        config = AuditConfig(jobs=2, cache=True, cache_dir=tmp_path / "cache")
        audit_to_reports(_articles(), config, tmp_path / label, policy)
        for name in FILES:
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / label / name).read_bytes(), (label, name)
        # (findings.xlsx, written by another forked child: the same parts but the time it was made)
        assert _workbook_parts(tmp_path / "one") == _workbook_parts(tmp_path / label), label
    assert ResultCache(tmp_path / "cache").present(["nothing"]) == set()


def _workbook_parts(folder: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(folder / "findings.xlsx") as book:
        return {m: book.read(m) for m in book.namelist() if m != "docProps/core.xml"}


def test_empty_batch_streams_like_the_in_memory_run(tmp_path):
    policy = GatePolicy(Severity.CRITICAL, {}, "article")
    write_reports(audit([], AuditConfig()), tmp_path / "memory", policy)
    audit_to_reports([], AuditConfig(), tmp_path / "stream", policy)
    for name in FILES:
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "stream" / name).read_bytes(), name


def _same_folders(a: Path, b: Path) -> None:
    """Two report folders hold the same files with the same bytes (findings.xlsx: but for the
    creation time XlsxWriter stamps into docProps/core.xml, which differs between any two runs)."""
    import io
    import zipfile

    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert {"findings.csv", "report.html", "findings.xlsx"} <= set(names)
    for name in names:
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if name.endswith(".xlsx"):
            zx, zy = zipfile.ZipFile(io.BytesIO(x)), zipfile.ZipFile(io.BytesIO(y))
            assert zx.namelist() == zy.namelist()
            for member in zx.namelist():
                if member != "docProps/core.xml":
                    assert zx.read(member) == zy.read(member), (name, member)
        else:
            assert x == y, name


def test_an_unchanged_rerun_reuses_the_reports_and_a_change_writes_them_afresh(tmp_path, monkeypatch):
    """All articles cached and the same options: the stored report set is copied (no reference
    data validated, no report written); a changed article or option writes the reports again,
    each the very bytes of a run without the cache; the printed summary is the same too."""
    import mtaudit.run.stream as stream
    from mtaudit.knowledge.resources import Resources

    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted((EXAMPLES / "ar").glob("*.txt")):
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "n1.txt").write_text("قالت أستاخوفا إن المصادر أكدت الخبر، وأضافت أستاخوفا أن الاجتماع انتهى.\n", encoding="utf-8")
    runner = CliRunner()
    cache = tmp_path / "cache"
    args = ["audit", str(folder), "--source", str(EXAMPLES / "en"), "--cache", str(cache)]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert first.exit_code in (0, 1), first.output
    db = ResultCache(cache)
    assert db.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 3
    db.close()
    assert len(list((cache / "report-sets").iterdir())) == 1

    def no(*_a, **_k):
        raise AssertionError("an unchanged re-run must not do this")

    with monkeypatch.context() as m:
        m.setattr(stream, "_write_reports", no)
        m.setattr(Resources, "validate", no)
        second = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert second.exit_code == first.exit_code, second.output
    _same_folders(tmp_path / "a", tmp_path / "b")

    def summary(output: str) -> list[str]:  # but the seconds taken and the report folder
        return [line for line in output.splitlines() if not line.startswith("Audited") and str(tmp_path) not in line]

    assert summary(first.output) == summary(second.output) and "Verdict:" in first.output

    # another option: written afresh (two articles still come from the cache), as without the cache
    third = runner.invoke(app, [*args, "--fail-on", "minor", "-q", "--out", str(tmp_path / "c")])
    fresh = runner.invoke(app, [*args[:-2], "--no-cache", "--fail-on", "minor", "-q", "--out", str(tmp_path / "c0")])
    assert third.exit_code == fresh.exit_code
    _same_folders(tmp_path / "c0", tmp_path / "c")
    # a changed article: audited again, and the reports with it
    (folder / "n1.txt").write_text("وكتبت أستخوفا التقرير.\nوصل الوفد إلى موسكو.\n", encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(stream.ReportWriter, "__init__", no)  # (only the in-memory writer may run: 3 articles)
        fourth = runner.invoke(app, [*args, "-q", "--out", str(tmp_path / "d")])
    fresh = runner.invoke(app, [*args[:-2], "--no-cache", "-q", "--out", str(tmp_path / "d0")])
    assert fourth.exit_code == fresh.exit_code
    _same_folders(tmp_path / "d0", tmp_path / "d")
    assert b"\xd8\xa3\xd8\xb3\xd8\xaa\xd8\xae\xd9\x88\xd9\x81\xd8\xa7" in (tmp_path / "d" / "segments.csv").read_bytes()  # أستخوفا


def test_the_result_cache_drops_the_least_recently_used_past_its_size(tmp_path):
    from mtaudit.types import ArticleResult

    db = ResultCache(tmp_path)
    for i in range(10):
        db.now = float(i)
        db.put(f"k{i}", ArticleResult(Article(f"a{i}", "نص " * 200), [], []))
    db.now = 100.0
    assert db.get("k0") is not None  # used again by this run: kept
    db._stamp_used()
    (size,) = db.db.execute("SELECT size FROM usage WHERE key = 'k1'").fetchone()
    assert db.evict(limit=size * 5) > 0
    kept = {k for (k,) in db.db.execute("SELECT key FROM results")}
    assert "k0" in kept and "k1" not in kept and "k9" in kept
    assert len(kept) <= 4  # down to 80% of the limit
    assert kept == {k for (k,) in db.db.execute("SELECT key FROM usage")}
    db.close()


def test_report_sets_are_bounded_and_a_damaged_one_is_a_miss(tmp_path):
    import os

    from mtaudit.run.report_cache import MAX_SETS, ReportSetCache
    from mtaudit.types import AuditResult

    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "report.html").write_text("<html>", encoding="utf-8")
    (out / "articles" / "00000.html").write_text("<p>", encoding="utf-8")
    (out / ".spool-x.tmp").write_text("temporary", encoding="utf-8")
    sets = ReportSetCache(tmp_path / "cache")
    result = AuditResult([], [], {"mtaudit": "x"})
    for i in range(MAX_SETS + 2):
        assert sets.store(f"key{i}", out, result, {"report.html": out / "report.html"}, {"suppressed": i})
        os.utime(sets.folder / f"key{i}", (i, i))
    assert sorted(d.name for d in sets.folder.iterdir()) == sorted(f"key{i}" for i in range(2, MAX_SETS + 2))
    back = tmp_path / "back"
    back.mkdir()
    got = sets.restore(f"key{MAX_SETS + 1}", back)
    assert got.stats == {"suppressed": MAX_SETS + 1} and got.paths == {"report.html": back / "report.html"}
    assert sorted(p.relative_to(back).as_posix() for p in back.rglob("*") if p.is_file()) == ["articles/00000.html", "report.html"]
    pack = sets.folder / "key2" / "files.pack"
    pack.write_bytes(pack.read_bytes()[:-1])  # cut short: the last page is missing a byte
    empty = tmp_path / "empty"
    empty.mkdir()
    assert sets.restore("key2", empty) is None and not [p for p in empty.rglob("*") if p.is_file()]
    assert ReportSetCache(tmp_path / "small", max_bytes=3).store("k", out, result, {}, None) is False


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
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import data_identity

    assert data_identity(Resources()) != data_identity(Resources(built_gazetteer=True))  # --gazetteer built

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
    assert calls == [a.id for a in arts[2:]]  # and no warm-up article with one job
    fresh = audit(arts, AuditConfig())
    assert [r.findings for r in resumed.articles] == [r.findings for r in fresh.articles]
    # two jobs, two articles changed: those two go to the workers, the rest come from the cache
    changed = [arts[0], *(Article(a.id, a.text + "\nوصل الوفد إلى موسكو.", source=a.source) for a in arts[1:3]), *arts[3:]]
    mixed = audit(changed, AuditConfig(cache=True, cache_dir=cache, jobs=2))
    assert [r.findings for r in mixed.articles] == [r.findings for r in audit(changed, AuditConfig()).articles]


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


def _sheets(path: Path) -> dict[str, list[list]]:
    """A workbook's cells by sheet: each row's values (rich text as its runs' text and font)."""
    from openpyxl import load_workbook

    def cell(c):
        v = c.value
        if v is not None and not isinstance(v, (str, int, float)):  # CellRichText
            v = [(str(getattr(b, "text", b)), bool(getattr(getattr(b, "font", None), "b", False))) for b in v]
        return (v, c.font.b, c.fill.fgColor.rgb, c.quotePrefix)

    wb = load_workbook(path, rich_text=True)
    return {ws.title: [[cell(c) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_a_streamed_batch_above_the_in_memory_limit_gets_article_pages_and_a_paged_index(tmp_path, monkeypatch):
    import re

    import mtaudit.reports.html as html
    import mtaudit.run.stream as stream

    monkeypatch.setattr(stream, "HTML_ARTICLES", 2)
    monkeypatch.setattr(html, "INDEX_PAGE_ROWS", 2)
    policy = GatePolicy(Severity.CRITICAL, {}, "article")
    articles = _articles()
    write_reports(audit(_articles(), AuditConfig()), tmp_path / "memory", policy)
    result, paths = audit_to_reports(articles, AuditConfig(), tmp_path / "stream", policy)
    out = tmp_path / "stream"
    # (articles.csv and segments.csv keep every score column when streamed: which are empty is known only at the end)
    for name in ("findings.csv", "findings.json"):
        assert (tmp_path / "memory" / name).read_bytes() == (out / name).read_bytes(), name
    assert paths["report.html"] == out / "report.html"
    # findings.xlsx is streamed too: the in-memory workbook's cells (its articles and
    # segments sheets keep every score column, as the CSVs do)
    assert paths["findings.xlsx"] == out / "findings.xlsx"
    memory, streamed = _sheets(tmp_path / "memory" / "findings.xlsx"), _sheets(out / "findings.xlsx")
    assert memory["findings"] == streamed["findings"] and len(memory["findings"]) > 1
    for title in ("articles", "segments"):
        header = streamed[title][0]
        keep = [header.index(c) for c in memory[title][0]]
        assert [[row[k] for k in keep] for row in streamed[title]] == memory[title], title
    pages = sorted(p.name for p in (out / "articles").iterdir())
    assert pages == [f"{i:05d}.html" for i in range(len(articles))]
    index = ["report.html"] + [f"index/{n:05d}.html" for n in range(1, (len(articles) + 1) // 2)]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "articles/" not in p.as_posix()) == sorted(index)
    listed = []
    for name in index:
        text = (out / name).read_text(encoding="utf-8")
        rows = re.findall(r'<tr class="arow"[^>]* data-article="([^"]+)"', text)
        assert 1 <= len(rows) <= 2  # no index page grows with the batch
        listed += rows
        for href in re.findall(r'href="([^"#]+\.html)"', text):  # every link of the index resolves
            assert ((out / name).parent / href).resolve().is_file(), (name, href)
    assert listed == [a.id for a in articles]
    for i, a in enumerate(result.articles):
        page = (out / "articles" / f"{i:05d}.html").read_text(encoding="utf-8")
        assert a.article.id in page and page.count('class="finding sev-') >= len(a.findings)
    # the local-storage key of the decisions is the in-memory report's
    key = re.search(r'data-key="([^"]+)"', (tmp_path / "memory" / "report.html").read_text(encoding="utf-8")).group(1)
    assert f'data-key="{key}"' in (out / "articles" / "00000.html").read_text(encoding="utf-8")


def test_the_code_hash_covers_the_files_shipped_beside_the_modules(tmp_path):
    """A template-only change must not let a re-run copy back the old report set."""
    from mtaudit.run.result_cache import tree_hash

    (tmp_path / "reports" / "templates").mkdir(parents=True)
    (tmp_path / "reports" / "html.py").write_text("X = 1\n")
    template = tmp_path / "reports" / "templates" / "report.html.j2"
    template.write_text("<p>{{ a }}</p>")
    before = tree_hash(tmp_path)
    (tmp_path / "reports" / "__pycache__").mkdir()
    (tmp_path / "reports" / "__pycache__" / "html.cpython-311.pyc").write_bytes(b"\0")
    assert tree_hash(tmp_path) == before  # bytecode is not code
    template.write_text("<p>{{ b }}</p>")
    assert tree_hash(tmp_path) != before


def test_merge_gates_with_the_configuration_file_like_audit(tmp_path, monkeypatch):
    """`mtaudit merge` reads [tool.mtaudit] of pyproject.toml (the gate policy) as `audit` does."""
    folder = tmp_path / "in"
    folder.mkdir()
    for a in _articles():
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    strict = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "strict"), "-q", "--fail-on", "minor"])
    assert strict.exit_code == 1, strict.output  # the examples have findings: the default policy fails them
    (tmp_path / "pyproject.toml").write_text('[tool.mtaudit]\nfail_on = "never"\n', encoding="utf-8")
    whole = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "whole"), "-q"])
    assert whole.exit_code == 0, whole.output
    dirs = []
    for i in (1, 2):
        d = tmp_path / f"shard{i}"
        assert runner.invoke(app, ["audit", str(folder), "--shard", f"{i}/2", "--out", str(d), "-q"]).exit_code == 0
        dirs.append(str(d))
    merged = runner.invoke(app, ["merge", str(tmp_path / "merged"), *dirs, "-q"])
    assert merged.exit_code == 0, merged.output
    summary = json.loads((tmp_path / "merged" / "findings.json").read_text(encoding="utf-8"))["summary"]
    assert summary["fail_on"] == "never"
    for name in FILES:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "merged" / name).read_bytes(), name
    # an option on the command line still wins over the file
    again = runner.invoke(app, ["merge", str(tmp_path / "merged2"), *dirs, "-q", "--fail-on", "minor"])
    assert again.exit_code == 1, again.output


def test_a_sheet_longer_than_excel_allows_ends_with_a_row_saying_how_many_were_left_out(tmp_path, monkeypatch):
    import openpyxl

    import mtaudit.reports.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    tables = xlsx.XlsxTables(tmp_path / "findings.xlsx", [("findings", ["article_id", "text"])])
    for i in range(6):
        tables.add("findings", {"article_id": f"a{i}", "text": "x"})
    tables.close()
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "findings.xlsx")["findings"].iter_rows()]
    assert rows[:4] == [["article_id", "text"], ["a0", "x"], ["a1", "x"], ["a2", "x"]]
    assert rows[4][0].startswith("3 more rows left out") and len(rows) == 5


def test_a_report_writer_that_cannot_open_its_workbook_leaves_no_temporary_files(tmp_path, monkeypatch):
    import pytest

    import mtaudit.reports.xlsx as xlsx
    from mtaudit.run.stream import ReportWriter

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "XlsxTables", broken)
    with pytest.raises(OSError):
        ReportWriter(tmp_path, GatePolicy(Severity.MAJOR, {}, "article"))
    assert list(tmp_path.iterdir()) == []
