"""How common a word is: wordfreq's Arabic list (620k forms), looked up through folded
spellings so that ة written ه or a dropped hamza still finds the word, and its English list.

Both lists are compiled once into mtaudit's cache (mtaudit.knowledge.compiled), so that a run does
not import wordfreq nor decode its lists unless it meets a word the compiled tables cannot
answer exactly (a word with digits, Latin letters or unusual marks).
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .normalize import fold

if TYPE_CHECKING:
    from ..knowledge.compiled import LazyTable

#: English words whose zipf frequency is compiled (wordfreq's most common).
ENGLISH_COMPILED = 100_000
# Arabic letters, and the marks and tatweel that both folding and wordfreq drop: for such a
# word wordfreq looks up the same letters the folded table is keyed by.
_PLAIN_ARABIC = regex.compile(r"[\u0621-\u063A\u0640-\u065F\u0670]+")
_UNCOMPOSED_ARABIC = regex.compile(r"[\u0621-\u063A\u0640-\u0652\u0670]+")


@lru_cache(maxsize=1)
def _folded_frequencies() -> LazyTable:
    """wordfreq's Arabic frequencies keyed by folded spelling (the most frequent surface
    form wins), so that folded forms (ة written ه, hamza dropped) are looked up right;
    compiled once (mtaudit.knowledge.compiled)."""
    from ..knowledge.compiled import compiled_table

    return compiled_table(
        "folded-frequencies", _build_folded_frequencies,
        modules=(__name__, "mtaudit.text.normalize"), packages=("wordfreq",),
    )


def _build_folded_frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    out: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar").items():
        key = fold(word)
        if freq > out.get(key, 0.0):
            out[key] = freq
    return out


@lru_cache(maxsize=200_000)
def arabic_zipf(word: str) -> float:
    """How common ``word`` is in Arabic (wordfreq zipf, 0-8), whether given as written or
    folded: the best of the spellings that fold alike."""
    freq = _folded_frequencies().get(fold(word), 0.0)
    folded_zipf = round(math.log10(freq) + 9, 2) if freq > 0 else 0.0
    if _UNCOMPOSED_ARABIC.fullmatch(word) or (_PLAIN_ARABIC.fullmatch(word) and unicodedata.is_normalized("NFKC", word)):
        # wordfreq would look up this spelling without its marks, a form that folds to the
        # same key: its frequency is one of those the folded table took the best of (and
        # both are wordfreq's bucket values, so rounding cannot put it above; checked over
        # the whole list). Marks NFKC cannot compose with a letter (all but the madda and
        # the hamzas above and below) may come in any order: wordfreq drops them all.
        return folded_zipf
    return max(wordfreq_zipf(word, "ar"), folded_zipf)


def folded_zipf(folded: str) -> float:
    """:func:`arabic_zipf` of a word already folded and of plain Arabic letters only (no
    marks, no tatweel), without folding it again: the same value, for callers that ask
    about many generated spellings (mtaudit.names.garble_pair's channel restorations)."""
    freq = _folded_frequencies().get(folded, 0.0)
    return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0


@lru_cache(maxsize=1)
def _english_zipfs() -> LazyTable:
    from ..knowledge.compiled import compiled_table

    return compiled_table("english-zipf", _build_english_zipfs, modules=(__name__,), packages=("wordfreq",),
                          extra=(ENGLISH_COMPILED,))


def _build_english_zipfs() -> dict[str, float]:
    from wordfreq import top_n_list, zipf_frequency

    return {w: zipf_frequency(w, "en") for w in top_n_list("en", ENGLISH_COMPILED)}


@lru_cache(maxsize=100_000)
def english_zipf(word: str) -> float:
    """wordfreq's zipf frequency of ``word`` in English (``zipf_frequency(word, "en")``)."""
    known = _english_zipfs().get(word)
    if known is not None and word.isascii() and word.isalpha() and word.islower():
        return known  # a plain lower-case word is its own token: the value is exact
    return wordfreq_zipf(word, "en")


def english_top(n: int) -> list[str]:
    """wordfreq's ``top_n_list("en", n)`` (compiled once)."""
    from ..knowledge.compiled import compiled

    def build() -> list[str]:
        from wordfreq import top_n_list

        return top_n_list("en", n)

    return compiled(f"english-top-{n}", build, packages=("wordfreq",))


# ---------------------------------------------------------------------------- exact Arabic zipf
# wordfreq's own ``zipf_frequency(word, "ar")`` for the spelling as written (not folded),
# answered from compiled tables for a word of plain Arabic letters: wordfreq tokenises
# such a word to itself (no marks, tatweel or compatibility forms to drop, one run of
# word characters), so its zipf is a function of its entry in wordfreq's list alone. The
# list is split at zipf 3: the common part (56k forms) is what a check comparing two
# spellings mostly asks about and loads in milliseconds; the rest is loaded only when a
# rare spelling's exact value is needed.
_PLAIN_LETTERS = regex.compile(r"[\u0621-\u063A\u0641-\u064A]+")
COMMON_ZIPF = 3.0


def _build_arabic_zipfs(common: bool) -> dict[str, float]:
    from wordfreq import get_frequency_dict, zipf_frequency

    by_freq: dict[float, float] = {}  # a frequency's zipf, asked of wordfreq once per value
    out: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar").items():
        if not _PLAIN_LETTERS.fullmatch(word):
            continue
        z = by_freq.get(freq)
        if z is None:
            z = by_freq[freq] = zipf_frequency(word, "ar")
        if (z >= COMMON_ZIPF) == common:
            out[word] = z
    return out


@lru_cache(maxsize=2)
def _arabic_zipfs(common: bool):
    """The common spellings (56k) and the rare ones (526k), each a :class:`LazyTable`."""
    from ..knowledge.compiled import compiled_table

    name = "arabic-zipf-common" if common else "arabic-zipf-rare"
    return compiled_table(name, lambda: _build_arabic_zipfs(common), modules=(__name__,), packages=("wordfreq",),
                          extra=(COMMON_ZIPF,))


def _wordfreq_arabic_zipf(word: str) -> float:
    return wordfreq_zipf(word, "ar")


def arabic_exact_zipf(word: str) -> float:
    """wordfreq's ``zipf_frequency(word, "ar")``: the spelling as written, not folded."""
    if not _PLAIN_LETTERS.fullmatch(word):
        return _wordfreq_arabic_zipf(word)
    z = _arabic_zipfs(True).get(word)
    if z is not None:
        return z
    return _arabic_zipfs(False).get(word, 0.0)


def arabic_common_zipf(word: str) -> float:
    """:func:`arabic_exact_zipf` when it is at least ``COMMON_ZIPF`` (3.0), else 0.0: what a
    check that only trusts common spellings needs, without loading the rare part."""
    if not _PLAIN_LETTERS.fullmatch(word):
        z = _wordfreq_arabic_zipf(word)
        return z if z >= COMMON_ZIPF else 0.0
    return _arabic_zipfs(True).get(word, 0.0)


# ---------------------------------------------------------------------------- wordfreq's answers
# A word the compiled tables cannot answer exactly (digits, Latin letters, Persian letters,
# composing marks: wordfreq's tokeniser decides) is asked of wordfreq itself, which loads and
# decodes its whole list for the language (about 2 s). The answers are kept in a small
# file beside the compiled tables, keyed by wordfreq's version, so that a later run over
# the same words (a re-run, a resumed batch, the next day's copy with the same names) does
# not load wordfreq at all. Saved at exit when new answers were added; a file that cannot
# be read or written only costs the lookups.
_ANSWERS_KEPT = 200_000
_answers: dict[tuple[str, str], float] | None = None
_answers_added = 0


def _answers_path():
    from ..knowledge.compiled import cache_root, key_for, package_versions

    root = cache_root()
    if root is None:
        return None
    return root / "compiled" / f"wordfreq-answers-{key_for('wordfreq-answers', package_versions('wordfreq'))}.pickle"


def _load_answers() -> dict[tuple[str, str], float]:
    global _answers
    if _answers is None:
        import atexit
        import pickle

        _answers = {}
        path = _answers_path()
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    loaded = pickle.load(fh)
                if isinstance(loaded, dict):
                    _answers = loaded
            except Exception:  # absent, truncated or foreign: start afresh
                pass
        atexit.register(_save_answers)
    return _answers


def _save_answers() -> None:
    if not _answers_added or _answers is None:
        return
    path = _answers_path()
    if path is None:
        return
    from ..knowledge.compiled import write_pickle

    try:
        # another run may have saved meanwhile: keep its answers too
        import pickle

        with open(path, "rb") as fh:
            merged = {**pickle.load(fh), **_answers}
    except Exception:
        merged = dict(_answers)
    if len(merged) > _ANSWERS_KEPT:
        merged = dict(list(merged.items())[-_ANSWERS_KEPT:])
    try:
        write_pickle(path, merged)
    except Exception:
        pass


def wordfreq_zipf(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``, remembered across runs (see above)."""
    global _answers_added
    answers = _load_answers()
    key = (word, lang)
    z = answers.get(key)
    if z is None:
        from wordfreq import zipf_frequency

        z = answers[key] = zipf_frequency(word, lang)
        _answers_added += 1
    return z
