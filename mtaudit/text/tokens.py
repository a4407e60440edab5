"""Word tokens of a text with folded forms and offsets into the original."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .normalize import Normalized, normalize
from ..run.memo import memoized

# A word: letters/marks/digits, allowing an internal apostrophe or hyphen between letters
# is left to the checks (they see adjacent tokens and the gap between them).
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
_ARABIC = regex.compile(r"\p{Arabic}")
_LATIN = regex.compile(r"\p{Latin}")
# Runs, for counting letters: one match per word rather than one per letter.
_ARABIC_RUN = regex.compile(r"\p{Arabic}+")
_LATIN_RUN = regex.compile(r"\p{Latin}+")


class _kept:
    """A property computed once per object and kept in its ``__dict__`` (the next read is
    a plain attribute). functools.cached_property does the same under a lock, which costs
    more than the answer for a word's script."""

    def __init__(self, func) -> None:
        self.func, self.name = func, func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass(frozen=True)
class Token:
    text: str  # as delivered
    folded: str  # folded for matching
    start: int  # offsets into the original text
    end: int

    # Kept on the token once asked (every check asks of every token; the tokens of a
    # segment are shared by the checks, mtaudit.run.memo). Not fields: equality and the
    # constructor stay those of the four fields.
    @_kept
    def is_arabic(self) -> bool:
        return _has_arabic(self.folded)

    @_kept
    def is_latin(self) -> bool:
        return _has_latin(self.folded)

    @property
    def is_number(self) -> bool:
        return self.folded.isdigit()


@lru_cache(maxsize=200_000)
def _has_arabic(folded: str) -> bool:
    # remembered per word: every check asks of every token
    return bool(_ARABIC.search(folded))


@lru_cache(maxsize=200_000)
def _has_latin(folded: str) -> bool:
    return bool(_LATIN.search(folded))


def tokenize(original: str, base: int = 0, normalized: Normalized | None = None) -> list[Token]:
    """Tokens of ``original``; offsets are shifted by ``base`` (the text's position in its article).

    Shared within an article's audit (mtaudit.run.memo); the caller gets its own list."""
    norm = normalized or normalize(original)
    return list(memoized("tokenize", (original, base, norm.text), _tokenize, original, base, norm))


def _tokenize(original: str, base: int, norm: Normalized) -> tuple[Token, ...]:
    starts, ends = norm.starts, norm.ends
    tokens = []
    for m in _WORD.finditer(norm.text):
        # a match is never empty, so its span maps to starts[first] .. ends[last]
        s, e = starts[m.start()], ends[m.end() - 1]
        tokens.append(Token(original[s:e], m.group(), s + base, e + base))
    return tuple(tokens)


def arabic_share(text: str) -> float | None:
    """The share of Arabic letters among the Arabic and Latin letters of ``text`` (None
    when it has neither)."""
    arabic = sum(map(len, _ARABIC_RUN.findall(text)))
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    total = arabic + latin
    return arabic / total if total > 0 else None


def is_arabic_text(text: str, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the letters are Arabic."""
    share = arabic_share(text)
    return share is not None and share >= threshold


def words(text: str) -> list[str]:
    """The runs of letters (and their marks) in ``text``, digits and punctuation dropped."""
    return _LETTERS.findall(text)
