"""The termbase check and the termbase readers (TBX-Basic, CSV, TSV, XLSX)."""

from __future__ import annotations

import pytest
from conftest import run_check

from mtaudit.knowledge.resources import Resources
from mtaudit.knowledge.termbase import TermbaseError, load_termbase, read_termbase_file

CSV = """english,arabic,status,note
Security Council,مجلس الأمن|مجلسا الأمن,preferred,
Israel,إسرائيل,preferred,
Israel,الكيان|الكيان الصهيوني,forbidden,newsroom style
UN,الأمم المتحدة,preferred,
"""

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
 <text><body>
  <termEntry id="c1">
   <descrip type="definition">The jihadist group</descrip>
   <langSet xml:lang="en"><tig><term>Islamic State</term></tig></langSet>
   <langSet xml:lang="ar">
    <tig><term>تنظيم الدولة الإسلامية</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>داعش</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
   </langSet>
  </termEntry>
 </body></text>
</martif>
"""


@pytest.fixture(scope="module")
def tb_resources(tmp_path_factory) -> Resources:
    d = tmp_path_factory.mktemp("tb")
    (d / "terms.csv").write_text(CSV, encoding="utf-8")
    (d / "terms.tbx").write_text(TBX, encoding="utf-8")
    return Resources(termbase_files=[d / "terms.csv", d / "terms.tbx"])


def test_forbidden_rendering_found_with_preferred_suggested(tb_resources):
    text = "عنوان\nوقال المتحدث إن الكيان يرفض الخطة."
    [f] = run_check("termbase", text, resources=tb_resources)
    assert f.text == "الكيان" and f.suggestion == "إسرائيل"
    assert f.category == "terminology" and f.severity.value == "major"


def test_forbidden_inside_longer_word_is_not_flagged(tb_resources):
    assert run_check("termbase", "عنوان\nتحدث عن الكيانات السياسية في المنطقة.", resources=tb_resources) == []


def test_proclitic_is_carried_into_the_suggestion(tb_resources):
    fs = run_check("termbase", "عنوان\nهاجم الجيش وداعش البلدة.", resources=tb_resources)
    [d] = fs
    assert d.text == "وداعش" and d.suggestion == "وتنظيم الدولة الإسلامية"


def test_longest_forbidden_rendering_reported_once(tb_resources):
    fs = run_check("termbase", "عنوان\nرفض الكيان الصهيوني القرار.", resources=tb_resources)
    assert [f.text for f in fs] == ["الكيان الصهيوني"]


def test_missing_preferred_rendering_with_source(tb_resources):
    fs = run_check(
        "termbase",
        "عنوان\nاجتمع المجلس الأممي أمس في نيويورك.",
        source="Headline\nThe Security Council met yesterday in New York.",
        resources=tb_resources,
    )
    [f] = fs
    assert f.suggestion == "مجلس الأمن" and "Security Council" in f.message


def test_a_missing_rendering_on_a_whole_segment_suggests_no_replacement(tb_resources):
    # No Arabic word is linked to the term: the finding marks the segment, and the preferred
    # rendering is named in the message only (accepting a suggestion would replace the sentence).
    [f] = run_check("termbase", "عنوان\nقال إنه سيسافر غدا.", source="Headline\nThe Security Council met yesterday.", resources=tb_resources)
    assert f.text == "قال إنه سيسافر غدا." and f.suggestion == "" and "مجلس الأمن" in f.message
    # The review page's wording (message catalogues) names the term and its rendering too.
    from mtaudit.reports.messages import catalogue

    for lang in ("ar", "en"):
        shown = catalogue(lang).finding_text(f)
        assert "Security Council" in shown and "مجلس الأمن" in shown, shown


@pytest.mark.parametrize(
    "target, source",
    [
        ("عنوان\nاجتمع مجلس الأمن أمس.", "Headline\nThe Security Council met yesterday."),
        ("عنوان\nدعا لمجلس الأمن أمس.", "Headline\nHe called for the Security Council yesterday."),
        ("عنوان\nاجتمع مجلسا الأمن.", "Headline\nThe two security councils met."),
        ("عنوان\nقالت الأمم المتحدة.", "Headline\nThe UN said."),
        ("عنوان\nقال إنه لا يعرف.", "Headline\nHe said he did not know un-named people."),
    ],
)
def test_required_rendering_present_passes(tb_resources, target, source):
    assert run_check("termbase", target, source=source, resources=tb_resources) == []


def test_no_termbase_finds_nothing():
    assert run_check("termbase", "عنوان\nوقال إن الكيان يرفض الخطة.") == []


def test_tbx_reader(tmp_path):
    p = tmp_path / "t.tbx"
    p.write_text(TBX, encoding="utf-8")
    [t] = read_termbase_file(p)
    assert t.english == ("Islamic State",)
    assert [(r.text, r.status) for r in t.renderings] == [("تنظيم الدولة الإسلامية", "preferred"), ("داعش", "forbidden")]
    assert "jihadist" in t.note


def test_xlsx_and_tsv_readers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["English", "Arabic", "Status", "Note"])
    ws.append(["Arab League", "جامعة الدول العربية", "preferred", None])
    wb.save(tmp_path / "t.xlsx")
    (tmp_path / "t.tsv").write_text("english\tarabic\tstatus\nArab League\tالجامعة العربية\tadmitted\n", encoding="utf-8")
    tb = load_termbase([tmp_path / "t.xlsx", tmp_path / "t.tsv"])
    [t] = tb.terms
    assert [r.status for r in t.renderings] == ["preferred", "admitted"]


@pytest.mark.parametrize(
    "content, where",
    [
        ("english,arabic\nIsrael,إسرائيل\n", ":1: header lacks"),
        ("english,arabic,status\nIsrael,إسرائيل,preferred\nIsrael,الكيان,banned\n", ":3: status must be"),
        ("english,arabic,status\n,إسرائيل,preferred\n", ":2: empty 'english'"),
        ("english,arabic,status\nIsrael,إسرائيل,preferred\nIsrael,إسرائيل,forbidden\n", ":3: 'إسرائيل' is listed both"),
    ],
)
def test_bad_termbase_names_file_and_line(tmp_path, content, where):
    p = tmp_path / "bad.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(TermbaseError, match=f"bad.csv{where}"):
        load_termbase([p])


def test_broken_tbx_names_line(tmp_path):
    p = tmp_path / "bad.tbx"
    p.write_text(TBX.replace("</tig></langSet>", "</langSet>", 1), encoding="utf-8")
    with pytest.raises(TermbaseError, match=r"bad.tbx:\d+: not well-formed"):
        load_termbase([p])


def test_cli_bad_termbase_is_exit_2_before_any_input(tmp_path):
    from typer.testing import CliRunner

    from mtaudit.cli import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("عنوان\nنص.\n", encoding="utf-8")
    bad = tmp_path / "terms.csv"
    bad.write_text("english,arabic,status\nIsrael,إسرائيل,preferred\nIsrael,الكيان,banned\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--termbase", str(bad), "--out", str(out)])
    assert r.exit_code == 2 and f"{bad}:3: status must be" in r.output
    assert not out.exists()
