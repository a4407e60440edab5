"""wrong-sense: the rule table in references/ and its own pass/fail cases.

Every case in references/wrong_sense_cases.tsv is a test: a "flag" sentence must be
reported by its rule, a "pass" sentence (the word in its right sense: سيارة مفخخة, إضراب
المعلمين) must not be. The cases are data so that a newsroom adding a rule adds its cases
beside it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import run_check

from mtaudit.knowledge.resources import Resources
from mtaudit.knowledge.senses import carry_prefix

CASES_FILE = Path(__file__).resolve().parent.parent / "references" / "wrong_sense_cases.tsv"


def _cases():
    lines = [l for l in CASES_FILE.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["rule_id"], r["expect"], r["target"], (r.get("source") or "").strip() or None) for r in rows]


CASES = _cases()


def _fired(rule_id: str, target: str, source: str | None):
    return [f for f in run_check("wrong-sense", target, source) if f.message.endswith(f"({rule_id})")]


@pytest.mark.parametrize(
    "rule_id, expect, target, source",
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_wrong_sense_case(rule_id, expect, target, source):
    fired = _fired(rule_id, target, source)
    if expect == "flag":
        assert fired, f"{rule_id} should flag {target!r}"
        assert all(f.suggestion for f in fired)
    else:
        assert expect == "pass"
        assert not fired, f"{rule_id} should not flag {target!r}: {[f.text for f in fired]}"


def test_at_least_forty_rules_each_with_flag_and_pass_cases():
    rules = Resources().wrong_sense
    assert len(rules) >= 40
    kinds = defaultdict(set)
    for rule_id, expect, _, _ in CASES:
        kinds[rule_id].add(expect)
    for rule in rules:
        assert kinds[rule.id] == {"flag", "pass"}, rule.id
    assert set(kinds) <= {r.id for r in rules}, "cases name rules that do not exist"


def test_the_source_decides_when_given():
    target = "وأسفرت الإضرابات عن مقتل 12 شخصا."
    assert _fired("strike-airstrike", target, "The strikes killed 12 people.")
    assert not _fired("strike-airstrike", target, "The walkouts by dockers left 12 ships idle.")


@pytest.mark.parametrize(
    "token, bare, replacement, article_ok, expected",
    [
        ("الإضرابات", "اضرابات", "غارات", True, "الغارات"),
        ("والإضرابات", "اضرابات", "غارات", True, "والغارات"),
        ("للإضرابات", "اضرابات", "غارات", True, "للغارات"),
        ("لسيارة", "سياره", "سوريا", False, "لسوريا"),
        ("السيارة", "سياره", "سوريا", False, "سوريا"),  # a name takes no article
        ("الدوري", "دوري", "جامعة الدول العربية", False, "جامعة الدول العربية"),
        ("للدوري", "دوري", "الجامعة العربية", False, "للجامعة العربية"),
        ("بتركيب", "تركيب", "تشكيل", True, "بتشكيل"),
        ("تلقى", "تلقي", "استقبل", True, "استقبل"),
    ],
)
def test_suggestion_carries_clitics_and_article(token, bare, replacement, article_ok, expected):
    from mtaudit.text.normalize import fold

    assert carry_prefix(fold(token), token, bare, replacement, article_ok) == expected


def test_a_newsroom_rule_replaces_the_default_with_the_same_id(tmp_path):
    default = next(r for r in Resources().wrong_sense if r.id == "syria-car")
    own = tmp_path / "refs"
    own.mkdir()
    header = (Path(__file__).resolve().parent.parent / "references" / "wrong_sense.tsv").read_text(encoding="utf-8")
    columns = next(l for l in header.splitlines() if l.startswith("id\t"))
    row = dict.fromkeys(columns.split("\t"), "")
    row.update(id="syria-car", wrong="سيارة", context="سوريا", correct="الجمهورية السورية", severity="minor", explanation="house style")
    (own / "wrong_sense.tsv").write_text(columns + "\n" + "\t".join(row[c] for c in columns.split("\t")) + "\n", encoding="utf-8")
    mine = next(r for r in Resources(extra_dirs=[own]).wrong_sense if r.id == "syria-car")
    assert mine.correct == ("الجمهورية السورية",) and mine.correct != default.correct


def test_a_rule_fires_only_when_the_word_translates_its_english_word():
    # سيارة translates "car" here; "Syrian" elsewhere in the sentence is not enough.
    assert not _fired("syria-car", "قاد رجل سوري سيارة.", "A Syrian man drove a car.")
    assert _fired("syria-car", "نعمل من أجل سيارة مستقرة وموحدة.", "We are working for a stable, united Syria.")


def test_confidence_is_the_fitted_model_and_severity_follows_it():
    from mtaudit.knowledge.senses import article_senses
    from mtaudit.text.segment import segment_article
    from mtaudit.types import Article, SegmentKind, Severity

    res = Resources()
    model = res.confidence_model("wrong-sense")
    for source in ("The strikes killed 12 people in southern Lebanon.", None):
        target = "وأسفرت الإضرابات الجوية عن مقتل 12 شخصا في جنوب لبنان."
        (f,) = _fired("strike-airstrike", target, source)
        art = Article("x", target, source=source)
        segs = [s for s in segment_article(art, res) if s.kind is not SegmentKind.BOILERPLATE]
        (m,) = [m for m in article_senses(art, segs, res.wrong_sense) if m.match.rule.id == "strike-airstrike"]
        assert abs(f.confidence - model.probability(m.features())) < 1e-3
        rule = next(r for r in res.wrong_sense if r.id == "strike-airstrike")
        assert f.severity == (rule.severity if f.confidence >= 0.5 else Severity.MINOR)
