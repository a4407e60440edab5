"""number-mismatch: numbers and dates against the English source."""

import pytest

from conftest import fails, passes, run_check

CHECK = "number-mismatch"


@pytest.mark.parametrize(
    "source, target, span, suggestion",
    [
        ("The summit will be held on 15 October.", "ستعقد القمة في 16 أكتوبر.", "16", "15"),
        ("The summit will be held on 15 October.", "ستعقد القمة في 15 نوفمبر.", "نوفمبر", "أكتوبر"),
        ("1.9 million people were displaced.", "نزح ١٫٦ مليون شخص.", "١٫٦ مليون", "1.9 مليون"),
        ("Prices rose 12% last year.", "ارتفعت الأسعار 21% العام الماضي.", "21", "12"),
        ("The army destroyed 15 sites.", "دمر الجيش 51 موقعاً.", "51", "15"),
    ],
)
def test_flags_changed_numbers(source, target, span, suggestion):
    found = [f for f in fails(CHECK, target, source) if f.category == "number"]
    assert found[0].text == span
    assert found[0].suggestion == suggestion
    assert found[0].severity.value == "major"


def test_missing_number_is_an_omission():
    (f,) = fails(CHECK, "دمر الجيش عدة مواقع في جنوب سوريا.", "The army destroyed 15 sites in southern Syria.")
    assert f.category == "omission" and f.severity.value == "minor"
    assert "15" in f.message


@pytest.mark.parametrize(
    "source, target",
    [
        ("The summit is scheduled for 15 October.", "ومن المقرر عقد القمة في ١٥ أكتوبر."),
        ("The summit is scheduled for October 15.", "ومن المقرر عقد القمة في 15 تشرين الأول."),
        ("1,500 people attended.", "حضر ١٬٥٠٠ شخص."),
        ("Output rose to 3.5 million barrels.", "ارتفع الإنتاج إلى 3.5 مليون برميل."),
        ("Output rose to 3.5 million barrels.", "ارتفع الإنتاج إلى ٣٫٥ ملايين برميل."),
        ("Output rose to 3,500,000 barrels.", "ارتفع الإنتاج إلى 3.5 مليون برميل."),
        ("Three people were killed.", "قتل 3 أشخاص."),
        ("Brent rose 1.2% to $74.50.", "ارتفع برنت 1.2 في المئة إلى 74.50 دولار."),
        ("He met two ministers.", "التقى وزيرين."),
        ("He will practise in May.", "مارس الرياضة."),  # مارس the verb is not March
    ],
)
def test_passes_equivalent_renderings(source, target):
    passes(CHECK, target, source)


def test_needs_a_source():
    assert run_check(CHECK, "ستعقد القمة في 16 أكتوبر.") == []


def test_paragraph_pairing_localises_findings():
    source = "Headline about talks\nThe talks lasted 3 hours.\nThey involved 40 delegates."
    target = "عنوان عن المحادثات\nاستمرت المحادثات 3 ساعات.\nوشارك فيها 44 مندوباً."
    (f,) = fails(CHECK, target, source)
    assert f.text == "44" and f.suggestion == "40"
