"""unbalanced-marks: quotes and brackets per paragraph."""

import pytest
from conftest import fails, passes

from mtaudit.checks.unbalanced_marks import unbalanced_positions

CHECK = "unbalanced-marks"


@pytest.mark.parametrize(
    "target, mark",
    [
        ("وقال لافروف: “نأمل أن يتمكن الرئيس من المشاركة.", "“"),
        ("وقال: «سنعمل معاً وأضاف أن الأمر يحتاج وقتاً.", "«"),
        ("شارك في التغطية فلان؛ تحرير فلان).", ")"),
        ('وقال الوزير: "أجرينا محادثات مكثفة، واصفاً ذلك بأنه "حدث مهم".', '"'),
        ("مشيداً بـ”الجهود التي تبذلها دمشق في تأمين المنشآت.", "”"),
    ],
)
def test_flags_unbalanced(target, mark):
    (f,) = fails(CHECK, target)
    assert f.text == mark


@pytest.mark.parametrize(
    "target",
    [
        "وقال لافروف: “نأمل أن يتمكن الرئيس من المشاركة”. وأضاف أن القمة مهمة.",
        "وقال: «سنعمل معاً (مع الشركاء) في المرحلة المقبلة».",
        'ووصف الاجتماع بأنه "حدث مهم".',
        "(شارك في التغطية فلان ؛ تقارير إضافية من فلان في القاهرة ؛ تحرير فلان)",
        # right-to-left typing opens with ” as often as with “
        "التي تهدف إلى “تجاوز الأزمة الراهنة”، مشيداً بـ”الجهود التي تبذلها دمشق”.",
        "وقال: ”سنعمل معاً في المرحلة المقبلة“.",
    ],
)
def test_passes_balanced(target):
    passes(CHECK, target)


def test_positions_nested_and_crossed():
    assert unbalanced_positions("«أ (ب» ج)") == [(3, "(")] or unbalanced_positions("«أ (ب» ج)")[0][1] in "()"
    assert unbalanced_positions("“أ” «ب»") == []
