"""repeated-word: a table of Arabic sentences that must fail or pass."""

import pytest
from conftest import fails, passes

CHECK = "repeated-word"


@pytest.mark.parametrize(
    "target, span, suggestion",
    [
        ("بما في ذلك تقديم الدعم الدبلوماسي الدبلوماسي في دمشق.", "الدبلوماسي الدبلوماسي", "الدبلوماسي"),
        ("منذ إطالة ألي ألي باشار في ديسمبر.", "ألي ألي", "ألي"),
        ("عقد الاجتماع في موسكو في موسكو يوم الخميس.", "في موسكو في موسكو", "في موسكو"),
        # differs only in diacritics and hamza: still the same word
        ("قال الرئيسُ الرئيس إن المحادثات مستمرة.", "الرئيسُ الرئيس", "الرئيسُ"),
        ("He said the the talks would continue, قال المتحدث.", "the the", "the"),
        # من من inside a sentence is a stutter; only "who among" opening a question is not
        ("وصل الوفد من من موسكو صباح الخميس.", "من من", "من"),
    ],
)
def test_flags_repetition(target, span, suggestion):
    (finding,) = fails(CHECK, target)
    assert finding.text == span
    assert finding.suggestion == suggestion
    assert finding.severity.value == "major"


@pytest.mark.parametrize(
    "target",
    [
        "تقدمت القوات رويداً رويداً نحو المدينة.",  # legitimate reduplication
        "فتشت الشرطة المنازل بيتاً بيتاً.",
        "تعلم الطلاب اللغة خطوة خطوة.",
        "انتهت المباراة 2 2 في الوقت الأصلي.",  # numbers
        "هتف المتظاهرون: حرية، حرية.",  # separated by punctuation: a chant, not a stutter
        "التقى الدبلوماسي والدبلوماسي الآخر في جنيف.",  # different words after the prefix
        "وقال لافروف إن موسكو تود أن يحضر الرئيس القمة.",
        "مَن مِن إخوة جوناس واعد تايلور سويفت؟",
        "يمكنك استخدام بودا بودا للتنقل في غوما أو السفر إلى Pago Pago.",  # reduplicated names  # interrogative مَن + مِن opening a question
        "سؤال المسابقة: من من أبناء المخرج أخرج الحلقات؟",
    ],
)
def test_passes_legitimate_text(target):
    passes(CHECK, target)


def test_a_repetition_the_source_has_too_is_not_flagged():
    # the source repeats at the aligned place: so may the translation (a name, an emphasis)
    passes(CHECK, "قال إن الفيلم جميل جميل.", "He said the film was beautiful, beautiful.".replace(",", ""))
    passes(CHECK, "سافرنا إلى بورا بورا في الصيف.", "We travelled to Bora Bora in the summer.")
    # a source without a repetition is evidence of a stutter
    (f,) = fails(CHECK, "قال إن الفيلم جميل جميل.", "He said the film was beautiful.")
    assert f.severity.value == "major"


def test_each_source_repetition_answers_for_one():
    (f,) = fails(CHECK, "كان جميل جميل ثم وصل الوفد الوفد.", "It was nice nice and the delegation arrived.")
    assert f.text == "الوفد الوفد"


def test_confidence_is_fitted_and_follows_the_evidence():
    from conftest import run_check

    (with_source,) = run_check(CHECK, "قال الوزير الوزير إن المحادثات مستمرة.", "The minister said talks continue.")
    (without,) = run_check(CHECK, "قال الوزير الوزير إن المحادثات مستمرة.")
    assert 0 < without.confidence <= with_source.confidence < 1
