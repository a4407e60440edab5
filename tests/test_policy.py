"""Penalties, quality scores, critical rules and the gate's named rules (mtaudit.gate.policy, mtaudit.gate.verdict)."""

from __future__ import annotations

import dataclasses

import pytest

from mtaudit.gate.policy import article_quality, critical_rules, delivery_quality, penalty, quality, rule_for
from mtaudit.gate.verdict import GatePolicy, article_rules, evaluate
from mtaudit.knowledge.resources import ReferenceDataError, Resources
from mtaudit.types import Article, ArticleResult, AuditResult, Finding, Segment, SegmentKind, Severity

TEXT = "قتل 15 شخصا في الهجوم\nقال المسؤول إن الهجوم أسفر عن مقتل 51 شخصا وإصابة آخرين في المدينة.\n"


def _article(findings, text=TEXT, source="15 people killed in the attack\nThe official said 15 people were killed."):
    head_end = text.index("\n")
    segs = [Segment("a1", "p1", 0, SegmentKind.HEADLINE, 0, head_end, text[:head_end], 1),
            Segment("a1", "p2.s1", 1, SegmentKind.BODY, head_end + 1, len(text) - 1, text[head_end + 1 : -1], 2)]
    return ArticleResult(Article("a1", text, source=source), segs, list(findings))


def _finding(check="number-mismatch", word="51", severity=Severity.MAJOR, message="A figure the source does not have.", text=TEXT):
    start = text.index(word)
    return Finding("a1", "p2.s1", start, start + len(word), word, check, "number", severity, "15", message, 0.9)


def test_penalties_by_severity_and_configurable_weights():
    assert [penalty(_finding(severity=s), None) for s in Severity] == [25, 5, 1, 0]
    assert penalty(_finding(severity=Severity.MAJOR), GatePolicy(weights={"major": 10})) == 10


def test_quality_is_100_minus_penalty_per_1000_words():
    assert quality(7, 400) == 82.5
    assert quality(0, 0) == 100 and quality(1, 0) == 0
    assert quality(500, 100) == 0  # floored
    art = _article([_finding(), _finding(check="repeated-word", severity=Severity.MINOR)])
    words = 18  # headline 5 + body 13
    light = GatePolicy(weights={"major": 0.5, "minor": 0.1})
    assert article_quality(art, light) == round(100 - 1000 * 0.6 / words, 2)
    assert article_quality(art, GatePolicy()) == 0  # 6 points in 18 words
    assert delivery_quality(AuditResult([art], [], {}), light) == article_quality(art, light)


def test_casualty_figure_becomes_critical_but_a_plain_number_does_not():
    rules = critical_rules(Resources())
    assert rule_for(_article([]), _finding(), rules).id == "casualty-figure"
    plain = "اجتماع في المدينة\nقال المسؤول إن الاجتماع سيعقد في الساعة 51 من الأسبوع في المدينة.\n"
    f = _finding(text=plain)
    assert rule_for(_article([], plain, source="A meeting\nThe meeting is in week 15."), f, rules) is None
    # a minor (low-confidence) finding is never escalated
    assert rule_for(_article([]), _finding(severity=Severity.MINOR), rules) is None


def test_money_figure_wrong_person_and_garbled_headline_rules():
    rules = critical_rules(Resources())
    money = "ميزانية جديدة\nأعلنت الحكومة ميزانية قدرها 51 مليار دولار للعام المقبل.\n"
    assert rule_for(_article([], money, "New budget\nThe government announced a $15 billion budget."), _finding(text=money), rules).id == "money-figure"
    wrong = _finding(check="name-source", word="المسؤول", message="The source names X, but the translation does not render it: “المسؤول” names someone the source does not.")
    assert rule_for(_article([]), wrong, rules).id == "wrong-person"
    head = _finding(check="headline-garbled", word="قتل 15 شخصا في الهجوم", message="The headline is garbled")
    assert rule_for(_article([]), head, rules).id == "garbled-headline"


def test_critical_rules_can_be_turned_off_and_unknown_ids_are_errors():
    ids = {r.id for r in critical_rules(Resources(), ["money-figure"])}
    assert "money-figure" not in ids and "casualty-figure" in ids
    with pytest.raises(ReferenceDataError, match="no-such-rule"):
        critical_rules(Resources(), ["no-such-rule"])


def test_gate_rules_are_named_per_article_and_overall():
    art = _article([_finding(), _finding(check="repeated-word", severity=Severity.MINOR)])
    result = AuditResult([art], [], {})
    policy = GatePolicy(min_quality=95, max_findings={"repeated-word": 0})
    verdict = evaluate(result, policy)
    assert verdict.exit_code == 1
    assert verdict.rules == ["fail-on major", "min-quality 95", "max-findings repeated-word=0"]
    assert verdict.line().startswith("FAIL: fail-on major: 1 finding(s) at or above major")
    assert article_rules(art, policy, {"repeated-word": 1}) == ["fail-on major", "min-quality 95", "max-findings repeated-word=0"]
    lenient = GatePolicy(fail_on=Severity.CRITICAL, min_quality=50, weights={"major": 0.1, "minor": 0.1})
    assert evaluate(result, lenient).exit_code == 0
    minor_only = AuditResult([_article([dataclasses.replace(_finding(), severity=Severity.MINOR)])], [], {})
    assert evaluate(minor_only, GatePolicy()).status == "pass"
