"""possessive-order and headline-garbled: English word order and scrambled headlines."""

from __future__ import annotations

import pytest

from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.text.oddness import is_odd, oddness
from mtaudit.types import Article

ORDER_CHECKS = ["possessive-order"]


def findings(text: str, checks=ORDER_CHECKS, source: str | None = None):
    result = audit([Article("t", text, source=source)], AuditConfig(checks=checks, align=False))
    return result.articles[0].findings


@pytest.mark.parametrize(
    "text, flagged, suggestion",
    [
        ("التقى أردوغان تركيا بالرئيس الفرنسي في باريس.", "أردوغان تركيا", "الرئيس التركي أردوغان"),
        ("وقال نتنياهو إسرائيل إن الحرب ستستمر.", "نتنياهو إسرائيل", None),
        ("رحب الشرع سوريا بالقرار الأممي.", "الشرع سوريا", None),
    ],
)
def test_person_then_country_is_reported(text, flagged, suggestion):
    found = findings(text)
    assert [f.text for f in found] == [flagged]
    if suggestion:
        assert found[0].suggestion == suggestion


@pytest.mark.parametrize(
    "text",
    [
        "التقى الرئيس التركي أردوغان نظيره الفرنسي في باريس.",
        "وصل أردوغان، تركيا، إلى باريس.",  # punctuation between: not a genitive
        "قال أردوغان إن تركيا مستعدة للوساطة.",
        "زار أردوغان وماكرون تركيا وفرنسا.",
        "قال نتنياهو\nإسرائيل ستواصل الحرب.",  # a line break between them
        "يعيش الأسد في الغابات والسافانا.",  # the animal, and no country after it
    ],
)
def test_arabic_word_order_passes(text):
    assert findings(text) == []


def test_odd_words_are_unknown_to_arabic_usage():
    assert is_odd("شارايا") and is_odd("إيردوجين") and is_odd("ماكرونغ")
    assert not any(is_odd(w) for w in ["الدبلوماسي", "وبالمفاوضات", "لسوريا", "مفاوضاتهم", "الكرملين"])
    assert oddness("قال الوزير إن المحادثات كانت مثمرة.") == 0.0


HEADLINE_CHECKS = ["headline-garbled", "possessive-order", "name-garbled", "english-in-arabic", "punctuation-spacing"]
# (name-garbled needs the gazetteer: إيمانول ماكرونغ is a garbled إيمانويل ماكرون)


def test_scrambled_headline_is_reported_with_the_source_headline():
    text = (
        "يستقبل أردوغان تركيا في فرنسا وزير الخارجية في باريس ، إيمانول ماكرونغ دعا إلى قمة فرنسا-أفريقيا\n"
        "باريس (رويترز) - استقبل الرئيس الفرنسي إيمانويل ماكرون يوم الاثنين الرئيس التركي رجب طيب أردوغان."
    )
    source = "Turkey's Erdogan meets France's foreign minister in Paris\nPARIS (Reuters) - French President Emmanuel Macron received Turkish President Recep Tayyip Erdogan on Monday."
    found = [f for f in findings(text, HEADLINE_CHECKS, source) if f.check == "headline-garbled"]
    assert len(found) == 1
    head = found[0]
    assert head.start == 0 and text[head.start : head.end] == head.text == text.split("\n")[0]
    assert "Turkey's Erdogan" in head.message


@pytest.mark.parametrize(
    "headline",
    [
        "الرئيس التركي يستقبل وزير الخارجية الفرنسي في أنقرة",
        "أردوغان يدعو إلى قمة تركية-أفريقية ، وماكرون يرحب",  # one minor artifact is not word salad
        "جوسلينغ وروسبي يفوزان بجائزة نوبل للكيمياء",  # rare foreign names alone are not salad
    ],
)
def test_clean_headlines_pass(headline):
    text = headline + "\nأنقرة (رويترز) - استقبل الرئيس التركي رجب طيب أردوغان يوم الاثنين وزير الخارجية الفرنسي."
    assert [f for f in findings(text, HEADLINE_CHECKS) if f.check == "headline-garbled"] == []


def test_a_garbled_name_in_english_possessive_order_gets_the_right_name_in_the_suggestion():
    source = "Iran's Araqchi says talks with U.S. to resume on Sunday"
    (f,) = findings("أراقتشي إيران يقول إن المحادثات ستستأنف يوم الأحد", source=source)
    assert f.text == "أراقتشي إيران" and f.suggestion == "وزير الخارجية الإيراني عراقجي"
