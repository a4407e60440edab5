"""english-in-arabic: English words merely written in Arabic letters."""

import pytest

from conftest import fails, passes, run_check

CHECK = "english-in-arabic"


@pytest.mark.parametrize(
    "target, source, span, suggestion",
    [
        ("تستضيف موسكو قمة روسيا-أراب في أكتوبر.", None, "أراب", "عربي"),  # a known phonetic copy
        ("وعقدت الكوميتي اجتماعها الأول.", "The committee held its first meeting.", "الكوميتي", "لجنة"),
        ("وجاء في المركز السيكوند في السباق.", "He came second in the race.", "السيكوند", ""),
        ("وجاء في المركز سيكوند في السباق.", None, "سيكوند", ""),  # very common English word, unseen in Arabic
    ],
)
def test_flags_phonetic_copies(target, source, span, suggestion):
    found = fails(CHECK, target, source)
    (f,) = [f for f in found if f.text == span]
    assert f.suggestion == suggestion
    assert f.category == "untranslated"


@pytest.mark.parametrize(
    "target, source",
    [
        ("بث التلفزيون الرسمي الخبر عبر الإنترنت.", "State television broadcast the news online."),  # loanwords
        ("تعيش حيوانات البيسون في السهول.", "Bison live on the plains."),  # rare word: borrowed as is
        ("فاز ليبرون جيمس مع فريقه في تكساس.", "LeBron James won with his team in Texas."),  # names
        ("وقالت وكالة أراب نيوز إن الاجتماع انتهى.", "Arab News said the meeting ended."),
        ("قال الرئيس إن الحكومة ستجتمع.", None),
    ],
)
def test_passes_loanwords_and_names(target, source):
    if "أراب نيوز" in target:
        pytest.xfail("a title containing a known phonetic copy (Arab News) is still reported")
    passes(CHECK, target, source)


def test_source_decides_for_words_it_does_not_have():
    # the source does not have "committee": the Arabic word may be a name or a loan
    assert not run_check(CHECK, "وعقدت الكوميتي اجتماعها الأول.", "The panel held its first meeting.")
