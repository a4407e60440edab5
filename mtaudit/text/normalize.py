"""Arabic folding for matching, with an exact map back to the original text.

Checks never match against the delivered text directly: they match against a folded copy
(hamza and alef forms, alef maqsura, ta marbuta, tashkeel, tatweel, bidi and zero-width
marks, Arabic-Indic digits, presentation forms) and map every span back with
:meth:`Normalized.to_original`. The delivered text is never rewritten.

Folding is done character by character, so it is context-free: the folded form of a
substring is the corresponding slice of the folded whole. Characters that fold to nothing
are either *attached* to the preceding kept character (tashkeel and tatweel, which belong
to the letter before them) or left as gaps (bidi and zero-width marks).

Scraped text sometimes carries HTML character references (``&amp;``, ``&quot;``, ``&#39;``,
``&nbsp;``). With ``entities=True`` each one is decoded *for matching*: the character it
stands for takes the whole reference's span in the map, so a match on the decoded copy
maps back onto the reference as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..run.memo import memoized
from .morphology import proclitic_chains

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks: dropped and attached to
# the letter they sit on.
_TASHKEEL = set(range(0x0610, 0x061B)) | set(range(0x064B, 0x0660)) | {0x0670}
_TASHKEEL |= set(range(0x06D6, 0x06DD)) | set(range(0x06DF, 0x06E9)) | set(range(0x06EA, 0x06EE))
_TATWEEL = 0x0640
# Bidi controls (LRM, RLM, ALM U+061C, embeddings, isolates), zero-width characters, BOM.
_INVISIBLE = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF}
_INVISIBLE |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))

_LETTER_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه",
    "ک": "ك", "ڪ": "ك",
    "ؤ": "و", "ئ": "ي",
}
_DIGIT_FOLD = {chr(0x0660 + i): str(i) for i in range(10)}
_DIGIT_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})
# Arabic decimal and thousands separators, Arabic percent sign.
_PUNCT_FOLD = {"٫": ".", "٬": ",", "٪": "%"}


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> tuple[str, bool]:
    """Return (folded text, attaches_to_previous) for one character."""
    cp = ord(ch)
    if cp in _TASHKEEL or cp == _TATWEEL:
        return "", True
    if cp in _INVISIBLE:
        return "", False
    if ch in _LETTER_FOLD:
        return _LETTER_FOLD[ch], False
    if ch in _DIGIT_FOLD:
        return _DIGIT_FOLD[ch], False
    if ch in _PUNCT_FOLD:
        return _PUNCT_FOLD[ch], False
    if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC:
        # Presentation forms (ligatures such as ﻻ) decompose to base letters, then fold.
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(fold_char(c)[0] for c in decomposed), False
    if ch.isascii():
        return ch.lower(), False
    return ch, False


@dataclass(frozen=True)
class Normalized:
    """A folded copy of ``original`` and, for each folded character, its source span."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: Every character of the folded text is the one at its position in the original (no
    #: character dropped or expanded): spans are the same in both.
    identity: bool = field(default=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the folded text back to a span of the original."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside folded text of length {len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.text) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


# An HTML character reference: named (&amp; &nbsp;), decimal (&#39;) or hexadecimal (&#x27;).
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _entity_spans(original: str) -> dict[int, tuple[int, str]]:
    """start → (end, decoded text) for every HTML character reference html.unescape knows."""
    out = {}
    for m in _ENTITY.finditer(original):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            out[m.start()] = (m.end(), decoded.replace("\xa0", " "))
    return out


def _normalize_by_char(original: str, entities: bool) -> Normalized:
    """The general case, character by character: HTML references and characters that
    fold to several (presentation-form ligatures)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    refs = _entity_spans(original) if entities and "&" in original else {}
    skip_to = 0
    for i, ch in enumerate(original):
        if i < skip_to:
            continue
        if i in refs:
            end, decoded = refs[i]
            for c in decoded:
                folded = fold_char(c)[0]
                out.append(folded)
                starts.extend([i] * len(folded))
                ends.extend([end] * len(folded))
            skip_to = end
            continue
        folded, attaches = fold_char(ch)
        if folded:
            out.append(folded)
            starts.extend([i] * len(folded))
            ends.extend([i + 1] * len(folded))
        elif attaches and ends and ends[-1] == i:
            # A diacritic or tatweel right after a kept letter: widen that letter's span so
            # a highlighted word includes its marks. Only the last char of a multi-char
            # expansion can be widened without breaking the group.
            last = ends[-1]
            k = len(ends) - 1
            while k >= 0 and ends[k] == last:
                ends[k] = i + 1
                k -= 1
    return Normalized(original, "".join(out), tuple(starts), tuple(ends))


def _fold_tables() -> tuple[dict[int, str], dict[int, str], "re.Pattern[str]", "re.Pattern[str]", frozenset[str]]:
    """From :func:`fold_char`, for every character that folding changes: the full
    str.translate table (to any string), the one-to-one part of it, a pattern of the
    characters folded to nothing, one of those folded to several, and which dropped
    characters attach to the letter before them."""
    full: dict[int, str] = {}
    one: dict[int, str] = {}
    dropped: list[str] = []
    expanded: list[str] = []
    attaching: set[str] = set()
    for lo, hi in ((0, 0x80), (0x0600, 0x0700), (0x2000, 0x2070), (0xFB50, 0xFE00), (0xFE70, 0xFF00)):
        for cp in range(lo, hi):
            ch = chr(cp)
            folded, attaches = fold_char(ch)
            if folded == ch:
                continue
            full[cp] = folded
            if len(folded) == 1:
                one[cp] = folded
            elif not folded:
                dropped.append(ch)
                if attaches:
                    attaching.add(ch)
            else:
                expanded.append(ch)

    def charclass(chars: list[str]) -> "re.Pattern[str]":
        return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")

    return full, one, charclass(dropped), charclass(expanded), frozenset(attaching)


# Folding is context-free, so whole strings fold with str.translate and only the characters
# folded to nothing need handling for the offset map.
_FOLD_ALL, _FOLD_ONE, _DROPPED, _EXPANDED, _ATTACHING = _fold_tables()
# str.translate looks every character up in a dict by its code point (a new int object for
# each non-ASCII one); a sentence has only a handful of distinct characters that fold, so
# finding those and replacing each throughout is several times faster. No folded form holds
# a character that folds again (checked below), so the order of the replacements is free.
_FOLDS = {chr(cp): folded for cp, folded in _FOLD_ALL.items()}
_FOLDING = re.compile("[" + "".join(re.escape(c) for c in _FOLDS) + "]")
assert not any(_FOLDING.search(folded) for folded in _FOLDS.values()), "a folded form folds again"


def _translate(text: str) -> str:
    """``text.translate(_FOLD_ALL)``, faster."""
    for ch in set(_FOLDING.findall(text)):
        text = text.replace(ch, _FOLDS[ch])
    return text


def normalize(original: str, entities: bool = False) -> Normalized:
    """Fold ``original`` for matching; see the module docstring for what is folded.
    ``entities``: decode HTML character references too (for scraped text).

    Shared within an article's audit (mtaudit.run.memo): every check folds the same segments."""
    return memoized("normalize", (original, entities), _normalize, original, entities)


def _normalize(original: str, entities: bool) -> Normalized:
    if (entities and "&" in original) or _EXPANDED.search(original):
        return _normalize_by_char(original, entities)
    # One character in, at most one out: kept characters map to themselves; a dropped
    # diacritic or tatweel right after a kept letter widens that letter's span (so a
    # highlighted word includes its marks); bidi and zero-width marks are gaps.
    n = len(original)
    # Offsets are sliced from one tuple of them where the text is short enough (nearly
    # always): the int objects are shared rather than made again for every text.
    offsets = _OFFSETS if n < len(_OFFSETS) else range(n + 1)
    starts: list[int] = []
    ends: list[int] = []
    prev = 0
    for m in _DROPPED.finditer(original):
        i = m.start()
        if prev < i:
            starts.extend(offsets[prev:i])
            ends.extend(offsets[prev + 1 : i + 1])
        if ends and ends[-1] == i and original[i] in _ATTACHING:
            ends[-1] = offsets[i + 1]
        prev = i + 1
    if prev == 0:
        return Normalized(original, _translate(original), tuple(offsets[:n]), tuple(offsets[1 : n + 1]), identity=True)
    starts.extend(offsets[prev:n])
    ends.extend(offsets[prev + 1 : n + 1])
    return Normalized(original, _translate(original), tuple(starts), tuple(ends))


#: 0, 1, 2, ...: the offsets of a text, for :func:`_normalize` to slice.
_OFFSETS = tuple(range(4097))


def fold(text: str) -> str:
    """The folded form of ``text`` alone (for keys of reference data)."""
    return _translate(text)


def decode_entities(text: str) -> Normalized:
    """``text`` with its HTML character references decoded (nothing else changed), and the
    map back to ``text``: for matching patterns written for rendered text on scraped text."""
    refs = _entity_spans(text) if "&" in text else {}
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        if i in refs:
            end, decoded = refs[i]
            out.append(decoded)
            starts.extend([i] * len(decoded))
            ends.extend([end] * len(decoded))
            i = end
        else:
            out.append(text[i])
            starts.append(i)
            ends.append(i + 1)
            i += 1
    return Normalized(text, "".join(out), tuple(starts), tuple(ends))


#: Proclitic chains that attach to Arabic words (conjunction, preposition, article),
#: longest first, in folded form (mtaudit.text.morphology).
PREFIXES = proclitic_chains(article=True)


def prefix_splits(folded_token: str, min_stem: int = 2) -> list[tuple[str, str]]:
    """All (prefix, stem) readings of a folded token, the bare token first.

    ``لسوريا`` gives [("", "لسوريا"), ("ل", "سوريا")]; a stem keeps at least
    ``min_stem`` letters so that short words are not torn apart.
    """
    return list(_prefix_splits(folded_token, min_stem))


@lru_cache(maxsize=200_000)
def _prefix_splits(folded_token: str, min_stem: int) -> tuple[tuple[str, str], ...]:
    # remembered per word: several checks ask of every token
    readings = [("", folded_token)]
    for p in PREFIXES:
        if folded_token.startswith(p) and len(folded_token) - len(p) >= min_stem:
            readings.append((p, folded_token[len(p):]))
    return tuple(readings)
