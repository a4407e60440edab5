"""Fast twins of the ``regex`` patterns that scan whole texts for Unicode property classes.

The ``regex`` module tests a class such as ``[\\p{L}\\p{M}\\p{N}]`` character by character
through its property tables; Python's own ``re`` tests a class of plain ranges of the Basic
Multilingual Plane by one bitmap look-up, about twice as fast over Arabic copy (the
tokeniser's split, the word counts, the odd words). :class:`BmpTwin` keeps a pattern in both
forms: the ``re`` one is written with the class's exact membership over every BMP code point
(asked of ``regex`` itself, so the two modules' Unicode versions never differ), and is used
for a text with no character beyond the BMP; any other text, and a process's first few
texts, use the ``regex`` pattern. Same matches, whichever runs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

# A character beyond the BMP: the twin does not know it (nearly never in news copy).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=1)
def _bmp() -> str:
    """Every BMP code point, in order (surrogates too: a str may hold one)."""
    return "".join(map(chr, range(0x10000)))


@lru_cache(maxsize=16)
def bmp_ranges(members: str) -> str:
    """The body of a ``re`` character class matching exactly the BMP characters the ``regex``
    class body ``members`` (e.g. ``\\p{L}\\p{M}\\p{N}``) matches: its runs as ranges."""
    bmp = _bmp()
    out = []
    for m in regex.finditer("[" + members + "]+", bmp):
        first, last = m.start(), m.end() - 1
        out.append(_escape(first) if first == last else f"{_escape(first)}-{_escape(last)}")
    return "".join(out)


def _escape(cp: int) -> str:
    return f"\\u{cp:04x}"


class BmpTwin:
    """A ``regex`` pattern and its ``re`` twin for BMP text (see the module docstring).

    ``pattern`` is the ``regex`` source; ``template`` the same in ``re`` syntax with a
    placeholder where each class body goes, and ``classes`` each placeholder's class body in
    ``regex`` syntax (``{"CLASS": r"\\p{L}\\p{N}"}``). The twin is compiled (a few
    milliseconds) once a process has scanned :data:`AFTER` texts with the pattern: a
    one-article run does not pay for it."""

    AFTER = 200

    def __init__(self, pattern: str, template: str, classes: dict[str, str]) -> None:
        self.slow = regex.compile(pattern)
        self.template, self.classes = template, classes
        self.fast: re.Pattern[str] | None = None
        self.uses = 0

    def __call__(self, text: str):
        """The pattern to run over ``text``."""
        fast = self.fast
        if fast is None:
            self.uses += 1
            if self.uses < self.AFTER:
                return self.slow
            source = self.template
            for placeholder, members in self.classes.items():
                source = source.replace(placeholder, bmp_ranges(members))
            fast = self.fast = re.compile(source)
        return self.slow if _ASTRAL.search(text) else fast
