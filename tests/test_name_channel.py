"""The English-mediated spelling distance behind the name checks."""

import math

import pytest

from mtaudit.names.channel import channel_alignment, name_cost, skeleton, tolerance
from mtaudit.text.normalize import fold


@pytest.mark.parametrize(
    "observed, name",
    [
        ("الشارا", "الشرع"),  # ع written as the vowel English puts in its place
        ("آساد", "أسعد"),  # ع lost, vowel lengthened
        ("باشار", "بشار"),  # short vowel written long
        ("الشاد", "الأسد"),  # hamza lost, s read as sh
        ("شيباني", "الشيباني"),  # the article dropped on second reference
        ("هميميم", "حميميم"),  # ح and ه are both "h" in English
        ("أسساد", "أسعد"),  # doubled consonant written out (Assad)
    ],
)
def test_english_mediated_garbles_are_cheap(observed, name):
    cost = name_cost(fold(observed), fold(name))
    assert 0 < cost <= 0.5 * tolerance(fold(name)), cost


@pytest.mark.parametrize(
    "observed, name",
    [
        ("وفده", "أسعد"),  # a consonant changed: English does not do that to a short name
        ("مصر", "عمر"),
        ("سلمان", "سليم"),  # ... nor add one
        ("خالد", "حامد"),
    ],
)
def test_consonant_changes_are_not_garbles(observed, name):
    cost = name_cost(fold(observed), fold(name))
    assert cost > 0.6 * tolerance(fold(name)), cost


def test_long_names_absorb_one_consonant_edit():
    assert math.isfinite(name_cost(fold("لافروفا"), fold("لافروف")))
    assert channel_alignment(fold("ميخايلوف"), fold("ميخائيلوف"))[1] == 0  # hamza seat only: no hard edit
    assert math.isinf(name_cost("ابن", "انس"))


def test_skeleton_drops_vowels_and_weak_consonants():
    assert skeleton("الشرع") == skeleton("الشارا") == "لشر"
    assert skeleton(fold("أسعد")) == skeleton(fold("آساد")) == "سد"


def test_english_digraphs_written_letter_by_letter_are_cheap():
    # Araghchi → اراقتشي for عراقجي; Khalil → كهليل for خليل
    assert channel_alignment("اراقتشي", "عراقجي") == (0.75, 0)
    assert channel_alignment("كهليل", "خليل")[1] == 0
    assert skeleton("اراقتشي") == skeleton("عراقجي")
    # a consonant English does not explain is still a hard edit
    assert channel_alignment("اراقمي", "عراقجي")[1] == 1


def test_bounded_alignment_is_the_alignment_or_certainly_above_the_bound():
    import random

    from mtaudit.names.channel import channel_alignment, channel_alignment_within, name_cost, name_cost_within

    rng = random.Random(7)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهويء"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) for _ in range(300)]
    words += ["الشرع", "الشارا", "اسعد", "اساد", "بشار", "باشار", "عراقجي", "اراقتشي"]
    checked_within = 0
    for a, b in zip(words, reversed(words)):
        for bound in (0.0, 0.25, 0.4, 1.0, 2.5):
            full = channel_alignment(a, b)
            within = channel_alignment_within(a, b, bound)
            if full[0] <= bound:
                assert within == full
                checked_within += 1
            else:
                assert within is None or within == full
            cost = name_cost(a, b)
            bounded = name_cost_within(a, b, bound)
            assert bounded == cost if cost <= bound else bounded > bound
    assert checked_within > 20


def _latin_to_arabic_by_letters(latin: str) -> str:
    """latin_to_arabic as first written: at each place the table's first spelling found there."""
    import regex

    from mtaudit.names.channel import _LATIN_TO_ARABIC, ARTICLE

    words = []
    for word in latin.lower().replace("-", " ").replace("'", "").split():
        word = regex.sub(r"([b-df-hj-np-tv-z])\1", r"\1", word)
        if word in ("al", "el"):
            words.append(ARTICLE)
            continue
        out, i = "", 0
        while i < len(word):
            for lat, ar in _LATIN_TO_ARABIC:
                if word.startswith(lat, i):
                    out += ar
                    i += len(lat)
                    break
            else:
                i += 1
        words.append(out)
    return " ".join(words).replace(ARTICLE + " ", ARTICLE)


@pytest.mark.parametrize(
    "latin",
    ["al-Sharaa", "Tebboune", "O'Neill", "Abdelmadjid", "el-Sisi", "Xi Jinping", "Müller", "Schwarzenegger",
     "Chaouki", "Aaron", "Shoaib", "Ghoul", "Phuket", "Ayyash", "Zelenskyy", "  two   spaces ", "Q", ""],
)
def test_latin_to_arabic_reads_as_the_letter_loop(latin):
    from mtaudit.names.channel import latin_to_arabic

    assert latin_to_arabic(latin) == _latin_to_arabic_by_letters(latin)


def test_channel_edits_name_the_class_of_each_edit_on_a_cheapest_path():
    from mtaudit.names.channel import EDIT_CLASSES, channel_edits

    def edits(observed, name):
        return {k: n for k, n in zip(EDIT_CLASSES, channel_edits(fold(observed), fold(name))) if n}

    assert edits("باشار", "بشار") == {"alef_added": 1}  # a short vowel written long
    assert edits("شارا", "شرع") == {"alef_added": 1, "weak_changed": 1}  # ع written as alef
    assert edits("كاتسو", "كاتس") == {"added_after": 1}  # a letter after the name's end
    assert edits("اجلان", "اوجلان") == {"vowel_lost": 1}  # a long vowel missing
    assert edits("شاد", "اسد")["weak_lost"] == 1  # a first alef is a hamza seat
    assert edits("بشار", "بشار") == {}
    # the path is a cheapest one: its edits cost what channel_alignment says
    assert channel_alignment(fold("باشار"), fold("بشار"))[0] == pytest.approx(0.25)


def test_the_edit_path_costs_what_channel_alignment_says_on_any_pair():
    import random

    from mtaudit.names.channel import _alignment, cheapest_path

    rng = random.Random(7)
    letters = "اويعحءهتطسصثشكقدضذزظغجخبلمنرف"
    pairs = [("سسا", "ا"), ("ااب", "ب"), ("تشتش", "ج")]  # doubled letters before the name: no discount there
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        pairs.append((a, b))
    for observed, candidate in pairs:
        (cost, hard), _path = cheapest_path(observed, candidate)
        assert (round(cost, 6), hard) == _alignment(observed, candidate, None), (observed, candidate)
