"""The compiled channel distance (Channel in mtaudit/names/_jointdecode.c) gives what the
Python programme (mtaudit.names.channel._alignment) gives, float for float and bound for
bound, on gazetteer words, their near variants and odd input. Skipped only when the
extension is not built."""

from __future__ import annotations

import random

import pytest

from mtaudit.knowledge.resources import Resources
from mtaudit.names import channel
from mtaudit.text.normalize import fold

ext = pytest.importorskip("mtaudit.names._jointdecode", reason="the compiled decoder is not built (no compiler at install)")

# letters the rules name and some they do not (Latin, a Persian letter, a digit), empty and long words
ODD = ["", "ا", "ع", "تشتش", "كهليل", "اراقتشي", "abc", "چاوش", "ب1ب", "الشارا", "ميخايلوف", "ميخائيلوف", "سسسسسس",
       "ا" * 70, "بتثجحخدذ" * 9]
EDITS = "اويعحءهتطسصثشكقدضذزظغجخ" + "بلمنرف"


def _words() -> list[str]:
    words = sorted({fold(w) for e in Resources().gazetteer.entities for form in (e.canonical, *e.variants) for w in form.split()})
    assert len(words) >= 300
    return words + ODD


def _variant(rng: random.Random, word: str) -> str:
    """The word with a letter changed, added or dropped (what a garble does), sometimes two."""
    for _ in range(rng.choice((1, 1, 2))):
        k = rng.randint(0, len(word))
        op = rng.random()
        if op < 0.4 or not word:
            word = word[:k] + rng.choice(EDITS) + word[k:]
        elif op < 0.7:
            word = word[:k] + rng.choice(EDITS) + word[k + 1 :]
        else:
            word = word[:k] + word[k + 1 :]
    return word


def test_compiled_channel_matches_python():
    align = channel._compiled_aligner(ext)
    assert align is not None
    rng = random.Random(7)
    words = _words()
    compared = 0
    for observed in words:
        for candidate in (_variant(rng, observed), rng.choice(words), observed):
            for bound in (None, 0.0, 0.3, 1.0, 2.5, rng.random() * 3):
                want = channel._alignment(observed, candidate, bound)
                got = align(observed, candidate, bound)
                assert got == want, (observed, candidate, bound)
                if want is not None:
                    assert type(got[0]) is float and type(got[1]) is int
                compared += 1
    assert compared > 5000


def test_compiled_channel_rejects_bad_tables():
    with pytest.raises(ValueError):
        ext.Channel("اب", [0.5, 0.5], [1.0] * 9, 0.4, 0.45, 1.0, [], 0.25)  # indel: 3 classes
    with pytest.raises(ValueError):
        ext.Channel("اب", [0.5] * 3, [1.0] * 9, 0.4, 0.45, 1.0, [("تشي", "ج")], 0.25)  # a pair is two letters


def test_an_uninitialised_or_failed_channel_refuses_instead_of_crashing():
    blank = ext.Channel.__new__(ext.Channel)
    with pytest.raises(RuntimeError):
        blank.align("ab", "ab")
    good = ext.Channel("ab", [1.0, 1.0, 1.0], [0.0] * 9, 0.4, 0.5, 1.0, [], 0.5)
    assert good.align("ab", "ab") == (0.0, 0)
    with pytest.raises(ValueError):
        good.__init__("ab", [1.0], [0.0] * 9, 0.4, 0.5, 1.0, [], 0.5)  # indel too short: the tables are dropped
    with pytest.raises(RuntimeError):
        good.align("ab", "ab")


def test_a_channel_extension_that_cannot_be_set_up_falls_back_to_python():
    class Broken:
        class Channel:
            def __init__(self, *args):
                raise ValueError("built from other rules")

    with pytest.warns(RuntimeWarning, match="Python one"):
        assert channel._compiled_aligner(Broken) is None
