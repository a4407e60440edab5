"""examples/newsroom/: a desk's termbase (TBX), forbidden list (CSV), two user rules and a
house-style selection, audited as the README shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.inputs.readers import read_inputs
from mtaudit.run.pipeline import AuditConfig, audit_article, run_batch_checks

NEWSROOM = Path(__file__).resolve().parent.parent / "examples" / "newsroom"
CHECKS = [
    "termbase", "inconsistent-segment", "inconsistent-term", "inconsistent-target", "style-months",
    "rule:said-is-qala", "rule:earlier-today",
]


@pytest.fixture(scope="module")
def findings():
    config = AuditConfig(
        checks=CHECKS,
        reference_dirs=[NEWSROOM / "references"],
        termbases=[NEWSROOM / "termbase.tbx", NEWSROOM / "forbidden.csv"],
        rules=[NEWSROOM / "rules.toml"],
    )
    specs, resources = config.specs(), config.resources()
    resources.validate()
    inputs = read_inputs([NEWSROOM / "ar"], NEWSROOM / "en", None)
    results = [audit_article(a, specs, resources, score=False) for a in inputs.articles]
    run_batch_checks(results, specs, resources)
    out = {}
    for r in results:
        assert not r.crashes, r.crashes
        for f in r.findings:
            assert f.text == r.article.text[f.start : f.end]
            out.setdefault(f.check, []).append(f)
    return out


def test_forbidden_renderings_suggest_the_preferred(findings):
    got = {(f.article_id, f.text, f.suggestion) for f in findings["termbase"]}
    assert ("un_vote", "بهدنة", "بوقف إطلاق النار") in got  # TBX deprecatedTerm, proclitic carried
    assert ("aid_convoy", "الإرهابيون", "المسلحون") in got  # the CSV forbidden list
    # The missing preferred rendering: named in the message; no suggestion, as no Arabic word
    # is linked to the term and the finding marks the whole sentence (accepting would replace it).
    missing = [f for f in findings["termbase"] if "الجمعية العامة" in f.message]
    assert missing and all(f.suggestion == "" and f.end - f.start > 20 for f in missing)
    # Admitted renderings and preferred ones are not findings.
    assert not any(f.article_id == "league_talks" for f in findings["termbase"])


def test_user_rules(findings):
    [said] = findings["rule:said-is-qala"]
    assert said.text == "أكدت" and said.category == "mistranslation"
    [today] = findings["rule:earlier-today"]
    assert today.suggestion == "في وقت سابق اليوم"


def test_one_sentence_two_translations_reported_once(findings):
    [f] = findings["inconsistent-segment"]
    assert f.article_id == "un_vote" and f.suggestion.startswith("واندلعت الحرب")


def test_house_style_selection(findings):
    [f] = findings["style-months"]
    assert f.text == "أكتوبر" and f.suggestion == "تشرين الأول (أكتوبر)"
    assert "inconsistent-target" not in findings  # UN official / United Nations is one body
