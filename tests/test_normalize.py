"""Arabic folding and the offset map back to the original text."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from mtaudit.text.normalize import fold, normalize, prefix_splits
from mtaudit.text.tokens import tokenize


def test_folds_hamza_alef_maqsura_ta_marbuta_tashkeel_tatweel():
    assert fold("أإآٱا") == "ااااا"
    assert fold("مصطفى") == "مصطفي"
    assert fold("مدرسة") == "مدرسه"
    assert fold("بَشّارُ") == "بشار"
    assert fold("الـــرئيس") == fold("الرئيس") == "الرييس"  # ئ folds to ي


def test_folds_bidi_marks_including_arabic_letter_mark():
    assert fold("سوريا\u061c\u200f\u200e\u2067") == "سوريا"


def test_folds_arabic_indic_digits_and_separators():
    assert fold("١٥ أكتوبر ٢٠٢٥") == "15 اكتوبر 2025"
    assert fold("۳٫۵٪ و١٬٠٠٠") == "3.5% و1,000"


def test_presentation_forms_decompose():
    assert fold("\ufefb") == "لا"  # lam-alef ligature


def test_span_maps_back_to_original_with_diacritics():
    original = "قال بَشّارُ الأسد"
    norm = normalize(original)
    i = norm.text.index("بشار")
    s, e = norm.to_original(i, i + 4)
    assert original[s:e] == "بَشّارُ"


def test_tokens_keep_original_text_and_offsets():
    original = "\ufeffالرئيس\u200f أحمد الشَّرع"
    tokens = tokenize(original)
    assert [t.text for t in tokens] == ["الرئيس", "أحمد", "الشَّرع"]
    for t in tokens:
        assert original[t.start : t.end] == t.text
    assert [t.folded for t in tokens] == ["الرييس", "احمد", "الشرع"]


def test_prefix_splits():
    splits = dict(prefix_splits(fold("وبالرئيس")))
    assert splits["وبال"] == "رييس"
    assert ("", "لسوريا") in prefix_splits("لسوريا")
    assert ("ل", "سوريا") in prefix_splits("لسوريا")
    assert prefix_splits("وب") == [("", "وب")]  # too short to split


_arabicish = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(list("\u200e\u200f\u061c\u0640 ab.İ١٢")),
        st.characters(),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_arabicish, st.data())
def test_any_span_of_folded_text_maps_back_to_a_span_folding_to_it(original, data):
    norm = normalize(original)
    n = len(norm.text)
    assert len(norm.starts) == len(norm.ends) == n
    assert all(0 <= s < e <= len(original) for s, e in zip(norm.starts, norm.ends))
    assert list(norm.starts) == sorted(norm.starts)
    if n == 0:
        assert fold(original) == ""
        return
    # Spans that start and end on whole expansion groups (one original char may fold to several).
    starts_ok = [i for i in range(n) if i == 0 or norm.starts[i] != norm.starts[i - 1]]
    i = data.draw(st.sampled_from(starts_ok))
    ends_ok = [j for j in range(i + 1, n + 1) if j == n or norm.starts[j] != norm.starts[j - 1]]
    j = data.draw(st.sampled_from(ends_ok))
    s, e = norm.to_original(i, j)
    assert fold(original[s:e]) == norm.text[i:j]


@settings(max_examples=200, deadline=None)
@given(_arabicish)
def test_tokens_are_slices_of_the_original(original):
    for t in tokenize(original, base=5):
        assert original[t.start - 5 : t.end - 5] == t.text
        # A ligature that folds to several words (ﷺ: صلى الله عليه وسلم) gives one token per
        # word, each with the ligature as its text (the same on main: hypothesis rarely
        # draws one).
        assert fold(t.text) == t.folded or t.folded in regex.findall(r"[\p{L}\p{M}\p{N}]+", fold(t.text))


_MIXED = st.lists(
    st.sampled_from(
        list("سوريا الأسد إلى مؤتمر ئ ة ى ک ی ٠١٢ ۳ ٫٬٪ ABC abc .,")
        + ["\u064b", "\u0651", "\u0650", "\u0670", "\u0640", "\u200f", "\u061c", "\ufeff", "\ufefb", "\ufdf2", "\ufe8d",
           "\u0627\u0654", "&amp;", "&#39;", "&nbsp;"]
    ),
    max_size=40,
).map("".join)


@given(_MIXED, st.booleans())
def test_fast_folding_equals_folding_character_by_character(original, entities):
    """The str.translate path gives exactly the folded text and offset map of the
    character-by-character definition."""
    from mtaudit.text.normalize import _normalize, _normalize_by_char

    assert _normalize(original, entities) == _normalize_by_char(original, entities)
    assert fold(original) == _normalize_by_char(original, False).text
