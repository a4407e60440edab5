"""punctuation-spacing: MT typography in Arabic text."""

import pytest
from conftest import fails, passes

CHECK = "punctuation-spacing"


@pytest.mark.parametrize(
    "target, span, suggestion",
    [
        ("التقى الوزيران يوم الخميس ، وهي أول زيارة.", " ،", "،"),
        ("هل ستشارك روسيا ؟", " ؟", "؟"),
        ("شارك في التغطية فلان ؛ وتحرير فلان.", " ؛", "؛"),
        ("وقال لافروف : نأمل ذلك.", " :", ":"),
        ("وصل الوفد إلى موسكو, ثم توجه إلى الكرملين.", ",", "،"),
        ("هل ستشارك روسيا في القمة?", "?", "؟"),
        ("وصل الوفد; ثم غادر.", ";", "؛"),
    ],
)
def test_flags_artifacts(target, span, suggestion):
    found = fails(CHECK, target)
    assert (found[0].text, found[0].suggestion) == (span, suggestion)


def test_comma_glued_to_next_word_is_info():
    (f,) = fails(CHECK, "وصل الوفد،ثم غادر.")
    assert f.severity.value == "info" and f.suggestion == "، "


@pytest.mark.parametrize(
    "target",
    [
        "ارتفع عدد السكان إلى 1,000,000 نسمة، بزيادة 3.5 في المئة.",
        "قال الوزير: «سنواصل العمل»، وأضاف أن الأمر يحتاج وقتاً.",
        "وقال إن المفاوضات ... ستستمر.",
        "The talks, he said, would resume; قال ذلك في مؤتمر.",
        "انتهى الاجتماع - بحسب المصادر - دون اتفاق.",
    ],
)
def test_passes_clean_typography(target):
    passes(CHECK, target)
