"""House-style conventions (references/house_style.tsv): each check passes and fails."""

from __future__ import annotations

import pytest
from conftest import SHARED_DATA, run_check

from mtaudit.checks import load_all, select
from mtaudit.knowledge.house_style import read_house_style
from mtaudit.knowledge.resources import Resources, Row

H = "عنوان الخبر\n"


@pytest.mark.parametrize(
    "check, text, found, suggestion",
    [
        ("style-punctuation", "قال الوزير, وأضاف أنه سيحضر.", ",", "،"),
        ("style-punctuation", "هل سيحضر الوزير?", "?", "؟"),
        ("style-digits", "قتل 5 أشخاص وأصيب 12 آخرون و٣ جنود.", "٣", "3"),
        ("style-tatweel", "قال الرئيـــس إن الوضع جيد.", "الرئيـــس", "الرئيس"),
        ("style-hamza", "وصل الوفد الى العاصمة أمس.", "الى", "إلى"),
        ("style-hamza", "وقال ان الوضع جيد.", "ان", "إن"),
        ("style-hamza", "واكد المتحدث ذلك.", "واكد", "وأكد"),
        ("style-ta-marbuta", "أعلنت الحكومه خطة جديدة.", "الحكومه", "الحكومة"),
        ("style-ta-marbuta", "وقال فية إن الوضع جيد.", "فية", "فيه"),
        ("style-alef-maqsura", "انتظر حتي المساء.", "حتي", "حتى"),
        ("style-alef-maqsura", "وعلي الرغم من ذلك حضر.", "وعلي", "وعلى"),
        ("style-alef-maqsura", "يعمل فى المدينة.", "فى", "في"),
    ],
)
def test_departure_found(check, text, found, suggestion):
    fs = run_check(check, H + text)
    assert [f.text for f in fs] == [found]
    assert fs[0].suggestion == suggestion and fs[0].category == "style"


@pytest.mark.parametrize(
    "check, text",
    [
        ("style-punctuation", "بلغت الكلفة 1,500 دولار، وقال: OK, fine."),
        ("style-digits", "قتل 5 أشخاص وأصيب 12 آخرون في COVID-19."),
        ("style-digits", "قتل ٥ أشخاص وأصيب ١٢ آخرون."),
        ("style-tatweel", "فاز بـ 5 أهداف على الـ BBC."),
        ("style-hamza", "اسمه أحمد وهو ابن الوزير، وقال إن اثنين حضرا."),
        ("style-ta-marbuta", "قال مدرسه إن كتابه جديد، والله أعلم."),  # ه without the article may be a pronoun
        ("style-ta-marbuta", "وقال وزير الدفاع مرهف أبو قصرة ذلك."),  # a name ending in ة
        ("style-alef-maqsura", "التقى علي الأمين ووزير الخارجية وعلي حسن، وقال لدي خطة."),  # the name Ali; "I have"
        ("style-alef-maqsura", "قال إليَّ ذلك."),  # a vowelled final letter is written as meant
    ],
)
def test_convention_kept(check, text):
    assert run_check(check, H + text) == []


def test_months_mixed_and_paired():
    mixed = H + "جرى ذلك في 5 تشرين الأول، ثم في 12 تشرين الثاني، وفي 3 ديسمبر."
    [f] = run_check("style-months", mixed)
    assert f.text == "ديسمبر" and f.suggestion == "كانون الأول"
    paired = H + "جرى ذلك في 5 أكتوبر (تشرين الأول) وفي 3 ديسمبر."
    assert run_check("style-months", paired) == []
    assert run_check("style-months", H + "قال إن مارس الضغط كان كبيرا.") == []  # مارس the verb, no date


def test_months_house_set(tmp_path):
    (tmp_path / "house_style.tsv").write_text(
        "convention\tkind\tform\tvalue\tcontext\tnote\nstyle-months\tsetting\tset\tlevantine\t\t\n", encoding="utf-8"
    )
    res = Resources([tmp_path])
    [f] = run_check("style-months", H + "جرى ذلك في 5 أكتوبر.", resources=res)
    assert f.suggestion == "تشرين الأول"


def test_defaults_follow_the_measurement():
    registry = load_all()
    assert not registry["style-months"].default and not registry["style-punctuation"].default
    assert all(registry[c].default for c in ("style-digits", "style-tatweel", "style-hamza", "style-alef-maqsura"))
    assert "style-months" not in [s.id for s in select()]
    assert "style-months" in [s.id for s in select(enable=["style-months"])]


def test_bad_table_rows_named():
    with pytest.raises(ValueError, match="x.tsv:3: unknown convention"):
        read_house_style([Row({"convention": "style-colour", "kind": "mark", "form": ",", "value": "،", "context": ""}, "x.tsv:3")])


@pytest.mark.skipif(not (SHARED_DATA / "flores200" / "arb_Arab.devtest").is_file(), reason="needs ../shared/data")
def test_flores_sample_house_style_findings_are_rare_and_minor():
    from conftest import default_resources

    from mtaudit.knowledge.house_style import CONVENTIONS
    from mtaudit.reports.tables import word_count
    from mtaudit.run.pipeline import audit_article
    from mtaudit.types import Article

    lines = (SHARED_DATA / "flores200" / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()[:300]
    specs = select(list(CONVENTIONS))
    words = found = major = 0
    for i, line in enumerate(lines):
        r = audit_article(Article(f"f{i}", line), specs, default_resources(), score=False)
        words += word_count(line)
        found += len(r.findings)
        major += sum(f.severity.value in ("major", "critical") for f in r.findings)
    assert major == 0
    assert 1e4 * found / words <= 5  # the whole devtest: 3.95 per 10k, nearly all real slips


def _digits_and_numbers(target: str, source: str, resources=None):
    from conftest import default_resources

    from mtaudit.run.pipeline import audit_article
    from mtaudit.types import Article

    specs = [load_all()[c] for c in ("number-mismatch", "style-digits")]
    found = audit_article(Article("t", target, source=source), specs, resources or default_resources()).findings
    by_span: dict[tuple[int, int], set[str]] = {}
    for f in found:
        by_span.setdefault((f.start, f.end), set()).add(f.suggestion)
    assert all(len(s) == 1 for s in by_span.values()), by_span  # one span, one suggestion
    return {(f.check, f.text): f.suggestion for f in found}


def test_digits_and_a_wrong_figure_get_one_suggestion_in_the_articles_system(tmp_path):
    source = "Headline\n16 people were killed and 30 others injured in the attack, with 4 soldiers."
    # An article in Arabic-Indic digits: the right figure is suggested in them too.
    found = _digits_and_numbers(H + "قتل ١٥ شخصا وأصيب ٣٠ آخرون في الهجوم، بينهم ٤ جنود.", source)
    assert found == {("number-mismatch", "١٥"): "١٦"}
    # Mostly Western digits: the wrong figure gets a Western suggestion, the stray ٤ its own.
    found = _digits_and_numbers(H + "قتل 15 شخصا وأصيب 30 آخرون في الهجوم، بينهم ٤ جنود.", source)
    assert found == {("number-mismatch", "15"): "16", ("style-digits", "٤"): "4"}
    # The house writes Western digits: style-digits leaves the wrong figure to number-mismatch,
    # whose suggestion is already in Western digits.
    (tmp_path / "house_style.tsv").write_text(
        "convention\tkind\tform\tvalue\tcontext\tnote\nstyle-digits\tsetting\tprefer\twestern\t\t\n", encoding="utf-8"
    )
    found = _digits_and_numbers(H + "قتل ١٥ شخصا وأصيب ٣٠ آخرون في الهجوم، بينهم ٤ جنود.", source, Resources([tmp_path]))
    assert found == {("number-mismatch", "١٥"): "16", ("style-digits", "٣٠"): "30", ("style-digits", "٤"): "4"}
