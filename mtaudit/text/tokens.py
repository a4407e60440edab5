"""Word tokens of a text with folded forms and offsets into the original."""

from __future__ import annotations

from itertools import accumulate, compress, count, repeat
from operator import itemgetter
from typing import Container, NamedTuple

import regex

from ..run.memo import memoized
from .charclass import BmpTwin
from .normalize import Normalized, normalize

# A word: letters/marks/digits, allowing an internal apostrophe or hyphen between letters
# is left to the checks (they see adjacent tokens and the gap between them). Captured, so
# that split keeps the words between the gaps.
_WORD_SPLIT = BmpTwin(r"([\p{L}\p{M}\p{N}]+)", r"([CLASS]+)", {"CLASS": r"\p{L}\p{M}\p{N}"})
_MINUS_ONE = -1
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
_ARABIC = regex.compile(r"\p{Arabic}")
_LATIN = regex.compile(r"\p{Latin}")
# Runs, for counting letters: one match per word rather than one per letter.
_ARABIC_RUN = regex.compile(r"\p{Arabic}+")
_LATIN_RUN = regex.compile(r"\p{Latin}+")


#: The script of each distinct folded word (news vocabulary is Zipfian: nearly every token
#: is a word met before). Bounded: past this many words it starts afresh.
_SCRIPTS_KEPT = 200_000
_ARABIC_WORDS: dict[str, bool] = {}
_LATIN_WORDS: dict[str, bool] = {}


class Token(NamedTuple):
    """A word of a text: as delivered, folded for matching, and its offsets into the
    original. Immutable (the tokens of a segment are shared by the checks,
    mtaudit.run.memo); a named tuple because a segment makes twenty of them for every check
    that reads it, and a tuple is the cheapest object Python builds."""

    text: str  # as delivered
    folded: str  # folded for matching
    start: int  # offsets into the original text
    end: int

    @property
    def is_arabic(self) -> bool:
        try:
            return _ARABIC_WORDS[self.folded]
        except KeyError:
            return _remember(_ARABIC_WORDS, self.folded, _ARABIC)

    @property
    def is_latin(self) -> bool:
        try:
            return _LATIN_WORDS[self.folded]
        except KeyError:
            return _remember(_LATIN_WORDS, self.folded, _LATIN)

    @property
    def is_number(self) -> bool:
        return self.folded.isdigit()


def is_arabic_word(folded: str) -> bool:
    """:attr:`Token.is_arabic` of a token whose folded form is ``folded``."""
    try:
        return _ARABIC_WORDS[folded]
    except KeyError:
        return _remember(_ARABIC_WORDS, folded, _ARABIC)


def _remember(words: dict[str, bool], folded: str, script) -> bool:
    if len(words) >= _SCRIPTS_KEPT:
        words.clear()
    value = words[folded] = script.search(folded) is not None
    return value


def tokenize(original: str, base: int = 0, normalized: Normalized | None = None) -> list[Token]:
    """Tokens of ``original``; offsets are shifted by ``base`` (the text's position in its article).

    Shared within an article's audit (mtaudit.run.memo); the caller gets its own list."""
    if normalized is None:
        # the folding is normalize's: the text and base say it all (no folding asked for
        # when the tokens are known already)
        return list(memoized("tokenize", (original, base), _tokenize_folded, original, base))
    return list(memoized("tokenize", (original, base, normalized.text), _tokenize, original, base, normalized))


def _tokenize_folded(original: str, base: int) -> tuple[Token, ...]:
    return _tokenize(original, base, normalize(original))


def _tokenize(original: str, base: int, norm: Normalized) -> tuple[Token, ...]:
    # One split of the folded text gives the words and the gaps between them in turn
    # (gap, word, gap, ..., gap); the running sum of their lengths gives every word's
    # offsets. Everything then runs at C speed: no Python step, nor match object, per token.
    text = norm.text
    parts = _WORD_SPLIT(text).split(text)
    if len(parts) == 1:
        return ()  # no word
    folded = parts[1::2]
    ends_at = list(accumulate(map(len, parts)))  # where each part ends in the folded text
    starts = ends_at[0:-1:2]  # a word starts where the gap before it ends
    ends = ends_at[1::2]
    if not norm.identity:
        # a word is never empty, so its span maps to starts[first] .. ends[last]
        starts = list(map(norm.starts.__getitem__, starts))
        ends = list(map(norm.ends.__getitem__, map(_MINUS_ONE.__add__, ends)))
    texts = map(original.__getitem__, map(slice, starts, ends))
    if base:
        starts, ends = map(base.__add__, starts), map(base.__add__, ends)
    # tuple.__new__(Token, fields): a Token without the keyword handling of its __new__
    return tuple(map(tuple.__new__, repeat(Token), zip(texts, folded, starts, ends)))


_FOLDED = itemgetter(1)  # a Token's folded form (its second field), at C speed


def positions_in(tokens: list[Token], words: Container[str]) -> list[int]:
    """The indices of the tokens whose folded form is in ``words`` (a set or dict), in
    order. The lookups run at C speed, with no Python step per token: checks ask this of
    every token of every segment, and nearly no token is in the set they ask about."""
    return list(compress(count(), map(words.__contains__, map(_FOLDED, tokens))))


def word_set(original: str, base: int = 0) -> frozenset[str]:
    """The distinct folded forms of the tokens of ``original`` (as :func:`tokenize` folds
    it: the tokens are shared with it). Shared within an article's audit too: several
    checks first ask whether a segment has any word of theirs at all, by one set operation
    on this set (it keeps each word's hash, so the words themselves are not touched), and
    nearly every segment has none."""
    return memoized("word-set", original, _word_set, original, base)


def _word_set(original: str, base: int) -> frozenset[str]:
    return frozenset(map(_FOLDED, memoized("tokenize", (original, base), _tokenize_folded, original, base)))


#: key_set's tables: id → (the table, its size then, its keys).
_KEY_SETS: dict[int, tuple[object, int, frozenset[str]]] = {}


def key_set(table: Container[str]) -> frozenset[str]:
    """The keys of ``table`` (a dict or a set of words, from reference data) as a frozenset,
    made once per table, for set operations with :func:`word_set`."""
    hit = _KEY_SETS.get(id(table))
    if hit is not None and hit[0] is table and hit[1] == len(table):
        return hit[2]
    if len(_KEY_SETS) >= 64:
        _KEY_SETS.clear()
    keys = table if type(table) is frozenset else frozenset(table)
    _KEY_SETS[id(table)] = (table, len(table), keys)
    return keys


def arabic_share(text: str) -> float | None:
    """The share of Arabic letters among the Arabic and Latin letters of ``text`` (None
    when it has neither)."""
    arabic = sum(map(len, _ARABIC_RUN.findall(text)))
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    total = arabic + latin
    return arabic / total if total > 0 else None


def is_arabic_text(text: str, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the letters are Arabic."""
    if threshold == 0.5:
        # at least half: as many Arabic letters as Latin ones, and one at least. Arabic copy
        # has few Latin letters, so the Arabic ones are counted only until there are as many
        # (a whole article's Arabic words are not made into strings to be summed)
        enough = max(1, sum(map(len, _LATIN_RUN.findall(text))))
        arabic = 0
        for m in _ARABIC_RUN.finditer(text):
            arabic += m.end() - m.start()
            if arabic >= enough:
                return True
        return False
    share = arabic_share(text)
    return share is not None and share >= threshold


def words(text: str) -> list[str]:
    """The runs of letters (and their marks) in ``text``, digits and punctuation dropped."""
    return _LETTERS.findall(text)
