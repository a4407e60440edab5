"""Consistency across the delivery: inconsistent-segment, inconsistent-term, inconsistent-target."""

from __future__ import annotations

from conftest import default_resources

from mtaudit.checks import select
from mtaudit.knowledge.resources import Resources
from mtaudit.run.pipeline import audit_article, run_batch_checks
from mtaudit.text.consistency import capitalised_terms, partial, same_rendering, stems
from mtaudit.text.tokens import tokenize
from mtaudit.types import Article

CHECKS = ["inconsistent-segment", "inconsistent-term", "inconsistent-target"]


def _batch(articles, resources=None, checks=CHECKS):
    resources = resources or default_resources()
    specs = select(checks)
    results = [audit_article(a, specs, resources, score=False) for a in articles]
    run_batch_checks(results, specs, resources)
    out = [f for r in results for f in r.findings]
    for f in out:
        art = next(a for a in articles if a.id == f.article_id)
        assert f.text == art.text[f.start : f.end]
    return out


SRC = "The Ministry of Health said on Monday that new cases rose sharply."
MAJORITY = "وقالت وزارة الصحة يوم الاثنين إن الحالات الجديدة ارتفعت بشدة."
MINORITY = "أعلنت وزارة الصحة الاثنين أن الإصابات الجديدة زادت كثيرا."


def test_one_sentence_translated_two_ways_reports_the_minority_once():
    arts = [
        Article("a1", MAJORITY, source=SRC),
        Article("a2", MINORITY, source=SRC),
        Article("a3", MAJORITY.replace("إن", "إنّ"), source=SRC.replace("sharply.", "sharply")),  # same after folding
        Article("a4", MINORITY, source=SRC),
        Article("a5", MAJORITY, source=SRC.upper()),
    ]
    [f] = _batch(arts, checks=["inconsistent-segment"])
    assert f.article_id == "a2" and f.text == MINORITY and f.suggestion == MAJORITY
    assert "3 of its 5" in f.message


def test_near_identical_sources_are_one_source_but_other_figures_are_not():
    near = SRC.replace("rose sharply", "rose very sharply")
    arts = [Article("a1", MAJORITY, source=SRC), Article("a2", MAJORITY, source=SRC), Article("a3", MINORITY, source=near)]
    assert [f.article_id for f in _batch(arts, checks=["inconsistent-segment"])] == ["a3"]
    other = [
        Article("b1", "قتل 5 أشخاص في الهجوم على القرية أمس.", source="Five people were killed in the attack on the village on 5 May."),
        Article("b2", "قتل 6 أشخاص في الهجوم على القرية أمس.", source="Five people were killed in the attack on the village on 6 May."),
    ]
    assert _batch(other, checks=["inconsistent-segment"]) == []


def test_no_source_no_findings():
    assert _batch([Article("a1", MAJORITY), Article("a2", MINORITY)]) == []


def test_termbase_term_rendered_two_ways(tmp_path):
    tb = tmp_path / "t.tsv"
    tb.write_text(
        "english\tarabic\tstatus\nMinistry of Health\tوزارة الصحة\tpreferred\nMinistry of Health\tالوزارة الصحية\tadmitted\n",
        encoding="utf-8",
    )
    res = Resources(termbase_files=[tb])
    arts = [
        Article("a1", "وقالت وزارة الصحة إن الوضع مستقر.", source="The Ministry of Health said the situation was stable."),
        Article("a2", "وأكدت وزارة الصحة أنها ستنشر الأرقام.", source="The Ministry of Health said it would publish figures."),
        Article("a3", "ونفت الوزارة الصحية التقرير كله.", source="The Ministry of Health denied the whole report."),
    ]
    [f] = _batch(arts, res, ["inconsistent-term"])
    assert f.article_id == "a3" and f.text == "الوزارة الصحية" and f.suggestion == "وزارة الصحة"


def test_capitalised_terms():
    got = [t.text for t in capitalised_terms("The Ministry of Health and the UN Security Council met in New York, Sudan said.")]
    assert got == ["Ministry of Health", "UN Security Council", "New York"]
    assert capitalised_terms("He said. Then they left.") == []


def test_renderings_compare_clitics_and_partial_alignments():
    a = stems(tokenize("لمجلس الأمن"))
    assert same_rendering(a, stems(tokenize("مجلس الأمن")))
    assert same_rendering(stems(tokenize("ووزارة الصحة")), stems(tokenize("وزارة الصحة")))
    assert partial(stems(tokenize("المجلس")), a)
    assert not partial(stems(tokenize("المجلس الأممي")), a)
