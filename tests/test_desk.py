"""The review desk without a browser: report.html's markup, the message catalogues, the
spreadsheets (new columns, formula injection, xlsx) and `mtaudit fix`."""

from __future__ import annotations

import csv
import json
import re

import pytest
from conftest import default_resources
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from mtaudit.checks import load_all
from mtaudit.gate.fingerprint import fingerprints
from mtaudit.gate.verdict import STATUSES, GatePolicy
from mtaudit.reports.context import ArticleIndex, invisible_difference
from mtaudit.reports.fix import fix_article, load_decisions
from mtaudit.reports.html import render_pages
from mtaudit.reports.messages import catalogue
from mtaudit.reports.tables import article_row, write_reports
from mtaudit.run.pipeline import audit_article
from mtaudit.scorers import ScoringUnit
from mtaudit.types import Article, AuditResult, Finding, Severity

TARGET = "عنوان الخبر\nقال قال الرئيس إن الاجتماع مفيد ، وأضاف أن روسيا مهمة.\nوقال Lavrov كلاماً."
SOURCE = "News headline\nThe president said the meeting was useful, and added that Russia is important.\nLavrov said words."
CHECKS = ("repeated-word", "punctuation-spacing", "latin-leftover")


def _result(article_id: str = "000_45d3", with_source: bool = True, n: int = 1) -> AuditResult:
    specs = [load_all()[c] for c in CHECKS]
    articles = []
    for i in range(n):
        aid = article_id if n == 1 else f"{article_id}-{i}"
        art = audit_article(Article(aid, TARGET, source=SOURCE if with_source else None, origin=f"/in/{aid}.txt"),
                            specs, default_resources())
        if with_source:
            for seg, src in zip(art.segments, SOURCE.split("\n")):
                art.units.append(ScoringUnit(aid, seg.segment_id, seg.start, seg.end, seg.text, src))
        articles.append(art)
    return AuditResult(articles, [], {"mtaudit": "test", "checks": {c: 1 for c in CHECKS}})


@pytest.fixture(scope="module")
def result() -> AuditResult:
    r = _result()
    assert {f.check for f in r.findings} >= {"repeated-word", "punctuation-spacing"}, r.findings
    return r


def _html(result: AuditResult, lang: str = "ar", limit: int = 100) -> dict[str, str]:
    rows = [article_row(a, GatePolicy()) for a in result.articles]
    return render_pages(result, GatePolicy(), rows, lang, single_page_limit=limit)


def test_catalogues_cover_every_check_in_both_languages():
    ar, en = catalogue("ar"), catalogue("en")
    assert set(ar.entries) == set(en.entries)
    for check in load_all():
        for key in (f"check.{check}", f"check.{check}.nosugg"):
            assert ar.has(key) and en.has(key), key
    for status in STATUSES:  # a skipped input once showed the bare key ui.verdict.input-error
        assert ar.has(f"ui.verdict.{status}") and en.has(f"ui.verdict.{status}"), status
    assert re.search(r"[\u0600-\u06ff]", ar("ui.accept")) and not re.search(r"[\u0600-\u06ff]", en("ui.accept"))


def test_message_inserts_are_isolated_and_escaped():
    f = Finding("a", "s", 0, 9, "<b>x</b>", "latin-leftover", "untranslated", Severity.MAJOR, "ب&ج", "m", 0.5)
    html = str(catalogue("ar").finding_html(f))
    assert '<bdi dir="auto">&lt;b&gt;x&lt;/b&gt;</bdi>' in html and '<bdi dir="auto">ب&amp;ج</bdi>' in html
    # An uncatalogued check keeps its own message.
    g = Finding("a", "s", 0, 1, "x", "new-check", "style", Severity.MINOR, "", "Own words", 0.5)
    assert catalogue("ar").finding_text(g) == "Own words"


def test_page_is_rtl_isolated_self_contained_and_escaped(result):
    page = _html(result)["report.html"]
    assert '<html lang="ar" dir="rtl">' in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "script-src 'unsafe-inline'" in csp and "style-src 'unsafe-inline'" in csp
    # No network: nothing loaded from anywhere.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" in page and "localStorage" in page
    # Ids, paths and check names are isolated from the Arabic around them.
    assert '<bdi dir="ltr">000_45d3</bdi>' in page and '<bdi dir="ltr">/in/000_45d3.txt</bdi>' in page
    assert '<option value="repeated-word" dir="ltr">' in page
    # Arrows point from the text to the suggestion in reading order.
    assert '<span class="arrow">←</span>' in page and '<span class="arrow">→</span>' not in page
    # The source sits beside the target, sentence by sentence.
    assert '<td class="src" dir="ltr" lang="en">The president said the meeting was useful' in page


def test_english_page_is_ltr_with_english_words(result):
    page = _html(result, "en")["report.html"]
    assert '<html lang="en" dir="ltr">' in page and '<span class="arrow">→</span>' in page
    assert "accept suggestion" in page and "قبول الاقتراح" not in page


def test_invisible_difference_is_drawn_and_grouped(result):
    spacing = [f for f in result.findings if f.check == "punctuation-spacing"]
    assert spacing and all(invisible_difference(f) for f in spacing)
    assert not any(invisible_difference(f) for f in result.findings if f.check == "repeated-word")
    page = _html(result)["report.html"]
    group = re.search(r'<details class="inv-group" data-check="punctuation-spacing">(.*?)</details>\s*(?=<details class="inv-group"|\{|<)', page, re.S)
    assert group, "invisible differences are grouped in a collapsed <details>"
    assert "<details class=\"inv-group\" data-check=\"punctuation-spacing\" open" not in page
    assert '<span class="inv" title="U+0020">␣</span>' in page


def test_every_finding_has_a_mark_and_a_fingerprint(result):
    page = _html(result)["report.html"]
    art = result.articles[0]
    fps = fingerprints(art.findings, art.article.text)
    for n, fp in enumerate(fps, 1):
        assert f'data-fp="{fp}"' in page
        assert re.search(rf'<mark class="sev-\w+" data-f="([0-9 ]* )?{n}( [0-9 ]*)?"', page), n


def test_hostile_article_id_is_escaped_everywhere():
    r = _result('<img src=x onerror=alert(1)>"')
    page = _html(r)["report.html"]
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_big_batch_is_an_index_plus_one_page_per_article():
    r = _result("art", n=3)
    pages = _html(r, limit=2)
    assert set(pages) == {"report.html", "articles/00000.html", "articles/00001.html", "articles/00002.html"}
    index = pages["report.html"]
    assert 'href="articles/00001.html"' in index and "<section" not in index
    one = pages["articles/00001.html"]
    assert 'href="../report.html"' in one and 'href="00000.html"' in one and 'href="00002.html"' in one
    assert one.count('<section class="art"') == 1
    # Decisions made on any page share the report's storage key.
    key = re.search(r'data-key="(\w+)"', index).group(1)
    assert f'data-key="{key}"' in one


def test_spreadsheets_columns_injection_and_xlsx(tmp_path):
    r = _result("=1+1")
    write_reports(r, tmp_path, GatePolicy())
    with open(tmp_path / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0])
    assert header[:11] == ["article_id", "segment_id", "start", "end", "text", "check", "category", "severity",
                           "suggestion", "message", "confidence"]
    assert header[11:] == ["line", "context", "source", "penalty"]
    assert all(row["article_id"] == "'=1+1" for row in rows)
    rep = next(row for row in rows if row["check"] == "repeated-word")
    assert rep["line"] == "2" and rep["context"].startswith("⟦قال قال⟧ الرئيس")
    assert rep["source"].startswith("The president said") and rep["penalty"] == "5"
    arts = (tmp_path / "articles.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "chrf2" not in arts and "comet" not in arts  # nothing filled them
    wb = load_workbook(tmp_path / "findings.xlsx", rich_text=True)
    assert wb.sheetnames == ["findings", "articles", "segments"]
    ws = wb["findings"]
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2" and ws.auto_filter.ref
    cols = [c.value for c in ws[1]]
    a = ws.cell(row=2, column=1)
    assert a.value == "=1+1" and a.data_type == "s" and a.quotePrefix
    ctx_cell = ws.cell(row=1 + next(i for i, row in enumerate(rows, 1) if row["check"] == "repeated-word"),
                       column=cols.index("context") + 1)
    assert isinstance(ctx_cell.value, CellRichText)
    bold = [b.text for b in ctx_cell.value if isinstance(b, TextBlock) and b.font.b]
    assert bold == ["قال قال"] and "".join(str(b) if isinstance(b, str) else b.text for b in ctx_cell.value) == rep["context"].replace("⟦", "").replace("⟧", "")
    sev = ws.cell(row=2, column=cols.index("severity") + 1)
    assert (sev.fill.fgColor.rgb or "").endswith(("FFCC80", "FFF59D")) or (sev.fill.bgColor.rgb or "").endswith(("FFCC80", "FFF59D"))


def test_line_is_counted_inside_a_record():
    art = Article("a", "سطر أول\nسطر ثان\nثالث", record_spans=(("r1", 0, 7), ("r2", 8, 15), ("r3", 16, 20)))
    res = audit_article(art, [], default_resources())
    idx = ArticleIndex(res)
    assert [idx.line(0), idx.line(9), idx.line(17)] == [1, 1, 1]
    plain = ArticleIndex(audit_article(Article("b", art.text), [], default_resources()))
    assert [plain.line(0), plain.line(9), plain.line(17)] == [1, 2, 3]


def test_fix_applies_accepted_and_skips_overlaps(result, tmp_path):
    art = result.articles[0]
    fps = fingerprints(art.findings, art.article.text)
    rep = next(i for i, f in enumerate(art.findings) if f.check == "repeated-word")
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps({"version": 1, "kind": "mtaudit-decisions",
                                     "decisions": [{"fingerprint": fps[rep], "decision": "accept"}]}))
    fixed = fix_article(art, load_decisions(decisions), None)
    assert fixed.applied == 1 and fixed.text.startswith("عنوان الخبر\nقال الرئيس إن")
    everything = fix_article(art, {}, 0.0)
    assert " ،" not in everything.text and "قال قال" not in everything.text
    # A rejected finding is never applied, even above the confidence.
    rejected = fix_article(art, {fps[rep]: {"decision": "reject"}}, 0.0)
    assert "قال قال" in rejected.text


def test_fix_cli_writes_a_copy_and_a_diff(tmp_path):
    from typer.testing import CliRunner

    from mtaudit.cli import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TARGET, encoding="utf-8")
    before = (src / "a.txt").read_bytes()
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["fix", str(src), "--checks", "repeated-word", "--min-confidence", "0", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (src / "a.txt").read_bytes() == before
    assert "قال قال" not in (out / "fixed" / "a.txt").read_text(encoding="utf-8")
    diff = (out / "fix.diff").read_text(encoding="utf-8")
    assert diff.startswith("--- a/a.txt\n+++ b/a.txt\n") and "-قال قال الرئيس" in diff and "+قال الرئيس" in diff
    # Asking for nothing is a usage error, and the output may never be an input.
    assert CliRunner().invoke(app, ["fix", str(src)]).exit_code == 2
    inside = tmp_path / "x" / "fixed"
    inside.mkdir(parents=True)
    (inside / "a.txt").write_bytes(before)
    clash = CliRunner().invoke(app, ["fix", str(inside / "a.txt"), "--checks", "repeated-word", "--min-confidence", "0",
                                     "--out", str(tmp_path / "x")])
    assert clash.exit_code == 2 and "refusing to overwrite" in clash.output


def test_fix_csv_says_who_accepted_each_change(tmp_path):
    import json as _json

    from typer.testing import CliRunner

    from mtaudit.cli import app

    (tmp_path / "a.txt").write_text(TARGET, encoding="utf-8")
    art = audit_article(Article("a", TARGET), [load_all()["repeated-word"]], default_resources())
    [fp] = [fp for f, fp in zip(art.findings, fingerprints(art.findings, TARGET)) if f.check == "repeated-word"]
    decided = {"fingerprint": fp, "decision": "accept", "author": "Hana", "date": "2026-12-02T10:00:00Z", "reason": "checked"}
    (tmp_path / "d.json").write_text(_json.dumps({"version": 1, "kind": "mtaudit-decisions", "decisions": [decided]}), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["fix", str(tmp_path / "a.txt"), "--checks", "repeated-word", "--decisions", str(tmp_path / "d.json"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    [row] = list(csv.DictReader((out / "fix.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert (row["status"], row["decision"], row["author"], row["date"], row["note"]) == ("applied", "accept", "Hana", decided["date"], "checked")


def test_not_an_error_from_the_page_suppresses_the_finding_in_the_gate(tmp_path):
    """The decisions round trip without a browser: the suppression record the page's
    "not an error" export builds (desk.js: fingerprint from data-fp, check, article, text)
    fed back with --suppressions takes the finding out of the gate and lists it."""
    import json as _json
    import re as _re

    from typer.testing import CliRunner

    from mtaudit.cli import app

    story = tmp_path / "story.txt"
    story.write_text("وزير الخارجية يلتقي نظيره في القاهرة\nقال المتحدث إن الدعم الدبلوماسي الدبلوماسي مستمر.\n", encoding="utf-8")
    first = CliRunner().invoke(app, ["audit", str(story), "--out", str(tmp_path / "one"), "--lang", "en"])
    assert first.exit_code == 1, first.output  # one major repeated-word finding
    page = (tmp_path / "one" / "report.html").read_text(encoding="utf-8")
    item = _re.search(r'data-check="repeated-word"[^>]*data-fp="([0-9a-f]+)"[^>]*data-text="([^"]+)"', page)
    assert item, "no repeated-word finding on the page"
    record = {"fingerprint": item.group(1), "check": "repeated-word", "article_id": "story", "text": item.group(2),
              "reason": "not an error", "author": "editor", "date": "2026-12-02T00:00:00Z"}
    exported = tmp_path / "mtaudit-suppressions.json"
    exported.write_text(_json.dumps({"version": 1, "suppressions": [record]}), encoding="utf-8")
    second = CliRunner().invoke(app, ["audit", str(story), "--out", str(tmp_path / "two"), "--suppressions", str(exported)])
    assert second.exit_code == 0, second.output
    report = _json.loads((tmp_path / "two" / "findings.json").read_text(encoding="utf-8"))
    [art] = report["articles"]
    assert [s["fingerprint"] for s in art["suppressed"]] == [item.group(1)]
    assert not [f for f in art["findings"] if f["check"] == "repeated-word"]


def _verdict_line(page: str) -> str:
    line = re.search(r'<p class="verdict-line">(.*?)</p>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", line)


def test_the_verdicts_reasons_are_in_the_pages_language():
    from mtaudit.gate.verdict import evaluate
    from mtaudit.types import CheckCrash, InputProblem

    r = _result(n=2)
    r.skipped = [InputProblem("/in/x.docx", "x.docx: a Word document"),
                 InputProblem("/in/d.jsonl", "d.jsonl:2: duplicate article id", skipped=False, kind="duplicate")]
    r.articles[0].crashes.append(CheckCrash(r.articles[0].article.id, "", "repeated-word", "boom"))
    policy = GatePolicy(max_findings={"repeated-word": 0})
    verdict = evaluate(r, policy)
    assert len(verdict.details) == len(verdict.reasons) >= 4
    rows = [article_row(a, policy) for a in r.articles]
    ar, en = (_verdict_line(render_pages(r, policy, rows, lang)["report.html"]) for lang in ("ar", "en"))
    for english in verdict.reasons:  # the English page says what the CLI says
        assert english in en
    # The Arabic page words every reason in Arabic: no English sentence is left.
    for words in ("finding(s)", "could not be read", "duplicate id", "crash", "the audit is incomplete"):
        assert words not in ar, (words, ar)
    assert "تعذّرت قراءتها" in ar and "معرّف مكرر" in ar and "التدقيق غير مكتمل" in ar
    for key, _ in verdict.details:
        assert catalogue("ar").has(f"verdict.{key}") and catalogue("en").has(f"verdict.{key}"), key


def test_the_header_lists_the_checks_that_ran_and_says_why_others_did_not():
    r = _result(with_source=False)
    r.signature["checks"] = {**r.signature["checks"], "name-source": "7", "number-mismatch": "3", "comet-error-span": "1"}
    for lang, no_source, no_model in (("en", "no article has a source", "no model scorer"),
                                      ("ar", "لا مصدر لأي مقال", "لم يُحمَّل نموذج")):
        page = _html(r, lang)["report.html"]
        signature = re.search(r'<p class="meta" dir="ltr">(mtaudit .*?)</p>', page).group(1)
        assert "repeated-word@1" in signature
        assert "name-source" not in signature and "comet-error-span" not in signature
        not_run = re.sub(r"<[^>]+>", "", " ".join(re.findall(r'<p class="meta not-run">(.*?)</p>', page)))
        assert no_source in not_run and "name-source" in not_run and "number-mismatch" in not_run
        assert no_model in not_run and "comet-error-span" in not_run
    # With a source on one article of two, a source check ran, on part of the batch.
    r2 = _result(n=2)
    r2.articles[1].article = Article(r2.articles[1].article.id, TARGET)
    r2.signature["checks"] = {**r2.signature["checks"], "name-source": "7"}
    page = _html(r2, "en")["report.html"]
    assert "name-source@7" in page and "run only on the 1 of 2 articles that have a source" in page


def test_a_termbase_finding_without_suggestion_names_the_term():
    from mtaudit.types import Finding as F

    values = (("variant", "missing"), ("term", "Israeli army"), ("preferred", "الجيش الإسرائيلي"))
    whole = F("a", "s", 0, 20, "قال الناطق باسم القوات", "termbase", "mistranslation", Severity.MAJOR, "", "m", 0.9, values)
    for lang in ("ar", "en"):
        html = str(catalogue(lang).finding_html(whole))
        assert "Israeli army" in html and "الجيش الإسرائيلي" in html, html
    forbidden = F("a", "s", 0, 6, "الكيان", "termbase", "mistranslation", Severity.MAJOR, "", "m", 0.9, (("term", "Israel"),))
    assert "Israel" in catalogue("ar").finding_text(forbidden) and "الكيان" in catalogue("ar").finding_text(forbidden)
