"""mtaudit.text.charclass: a ``re`` twin matches exactly what its ``regex`` pattern matches."""

from __future__ import annotations

import random
import re

import pytest
import regex

from mtaudit.knowledge import house_style
from mtaudit.text import charclass, oddness, segment, tokens
from mtaudit.text.charclass import BmpTwin, bmp_ranges


@pytest.mark.parametrize("members", [r"\p{L}\p{M}\p{N}", r"\p{L}\p{N}", r"\p{Arabic}", r"\p{Arabic}\p{M}", r"\p{Arabic}\p{M}\u0640"])
def test_ranges_hold_every_bmp_character_the_regex_class_does(members):
    bmp = "".join(map(chr, range(0x10000)))
    slow = regex.compile("[" + members + "]")
    fast = re.compile("[" + bmp_ranges(members) + "]")
    assert [m.start() for m in fast.finditer(bmp)] == [m.start() for m in slow.finditer(bmp)]


def _texts(n: int = 400) -> list[str]:
    """Random texts over Arabic, its marks and digits, Latin, punctuation, spaces, odd BMP
    characters and now and then one beyond the BMP."""
    rng = random.Random(7)
    pools = [
        [chr(c) for c in range(0x0600, 0x0700)],
        list("abcXYZ019 ,.;:-'\"«»()\n\t\u00a0\u200c\u200f\u0640"),
        [chr(rng.randrange(0x80, 0x10000)) for _ in range(300)],
        ["\U0001EE00", "\U0001D165", "\U00010E60", "\U0001F600"],
    ]
    out = []
    for _ in range(n):
        weights = [60, 30, 9, 1 if rng.random() < 0.2 else 0]
        out.append("".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(rng.randrange(0, 80))))
    return out


def _twins():
    return [
        (tokens._WORD_SPLIT, "split"),
        (oddness._ARABIC_WORDS, "findall"),
        (segment._WORD_RUNS, "findall"),
        (segment._at_least(3), "match"),
        (house_style._WORD_RUNS, "findall"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_twin_gives_what_the_regex_pattern_gives(index, monkeypatch):
    twin, method = _twins()[index]
    monkeypatch.setattr(BmpTwin, "AFTER", 0)
    for text in _texts():
        fast, slow = twin(text), twin.slow
        got, want = getattr(fast, method)(text), getattr(slow, method)(text)
        if method == "match":
            got, want = got and got.span(), want and want.span()
        assert got == want, text
    assert twin.fast is not None  # the twin did run


def test_astral_text_uses_the_regex_pattern(monkeypatch):
    monkeypatch.setattr(BmpTwin, "AFTER", 0)
    twin = BmpTwin(r"[\p{L}]+", "[CLASS]+", {"CLASS": r"\p{L}"})
    assert twin("abc") is not twin.slow
    assert twin("a\U0001D400b") is twin.slow  # a mathematical letter beyond the BMP
    assert charclass._ASTRAL.search("\U0001D400")
