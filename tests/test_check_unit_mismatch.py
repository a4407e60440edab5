"""unit-mismatch: the same figure in another unit, unconverted."""

import pytest
from conftest import fails, passes, run_check

CHECK = "unit-mismatch"


@pytest.mark.parametrize(
    "source, target, span, suggestion",
    [
        ("The storm was 5 miles wide.", "كان عرض العاصفة 5 كيلومترات.", "5", "8.05"),
        ("It reached 100F.", "بلغت الحرارة 100 درجة مئوية.", "100", "37.8"),
        ("The parcel weighed 10 pounds.", "كان وزن الطرد 10 كيلوغرامات.", "10", "4.54"),
        ("The wall is 30 feet high.", "يبلغ ارتفاع الجدار 30 متراً.", "30", "9.14"),
        ("The car hit 70 mph.", "بلغت سرعة السيارة 70 كيلومترا في الساعة.", "70", "113"),
    ],
)
def test_flags_a_figure_kept_in_another_unit(source, target, span, suggestion):
    (f,) = fails(CHECK, target, source)
    assert f.text == span and f.suggestion == suggestion
    assert f.category == "number" and f.severity.value == "major"
    assert 0.5 <= f.confidence < 1


@pytest.mark.parametrize(
    "source, target",
    [
        ("The storm was 5 miles wide.", "كان عرض العاصفة 8 كيلومترات."),  # converted
        ("The storm was 5 miles wide.", "كان عرض العاصفة 5 أميال (8 كيلومترات)."),  # both forms
        ("The storm was 5 miles (8 km) wide.", "كان عرض العاصفة 8 كيلومترات."),
        ("The storm was 5 miles wide.", "كان عرض العاصفة 5 أميال."),
        ("They farm 100 acres.", "يزرعون 100 فدان."),  # within 10%: the same measure
        ("It cost $5.", "كلف 5 يورو."),  # currencies are number-mismatch's business
        ("The player is 6-foot-2.", "يبلغ طول اللاعب 1.88 متر."),
    ],
)
def test_passes_conversions_and_same_units(source, target):
    passes(CHECK, target, source)


def test_needs_a_source():
    assert run_check(CHECK, "كان عرض العاصفة 5 كيلومترات.") == []


def test_number_mismatch_stays_silent_on_a_unit_swap():
    # one finding per error: the figure matches, so only unit-mismatch reports it
    assert run_check("number-mismatch", "كان عرض العاصفة 5 كيلومترات.", "The storm was 5 miles wide.") == []


def test_a_source_figure_in_words_has_its_unit_too():
    (f,) = fails(CHECK, "يصل عرضه إلى 6 كيلومترات.", "It is six miles wide.")
    assert f.text == "6"
