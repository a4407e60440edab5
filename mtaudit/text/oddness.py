"""Odd words: Arabic-script words that no form of Arabic usage knows.

A word is odd when neither it nor any reading of it with its clitics (و ف ب ل ك, the
article) or a common suffix taken off is found in wordfreq's Arabic list (620k forms
from Wikipedia, subtitles, news and the web, looked up through folded spellings). In
human news copy about 0.7% of words are odd (FLORES-200 devtest 0.86%, TICO-19 0.66%),
nearly all foreign names and technical terms; in raw MT output they are mostly garbled
transliterations. Alone an odd word proves nothing, so it is a ranking signal (the
``oddness`` of a segment in segments.csv) and evidence for other checks (a garbled
headline), never a finding by itself.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .charclass import BmpTwin
from .frequency import arabic_zipf
from .morphology import affixes
from .normalize import fold, prefix_splits

_ARABIC_WORD = regex.compile(r"\p{Arabic}[\p{Arabic}\p{M}]*")
# the same words, for the whole-text scan (mtaudit.text.charclass); a word starts with an
# Arabic letter and goes on over Arabic letters and marks
_ARABIC_WORDS = BmpTwin(
    r"\p{Arabic}[\p{Arabic}\p{M}]*", r"[FIRST][REST]*", {"FIRST": r"\p{Arabic}", "REST": r"\p{Arabic}\p{M}"}
)
# Attached pronouns of nouns and plural/dual endings MT output keeps on known stems.
_SUFFIXES = affixes("enclitic", on="noun") + affixes("suffix")


@lru_cache(maxsize=100_000)
def is_odd(word: str) -> bool:
    """True when no reading of ``word`` is a known Arabic form (zipf 0 everywhere)."""
    folded = fold(word)
    if len(folded) < 3 or arabic_zipf(word) > 0:
        return False
    for _, stem in prefix_splits(folded):
        if arabic_zipf(stem) > 0:
            return False
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2 and arabic_zipf(stem[: -len(suffix)]) > 0:
                return False
    return True


def odd_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each odd word of ``text``."""
    return [(m.start(), m.end()) for m in _ARABIC_WORD.finditer(text) if is_odd(m.group())]


def oddness(text: str) -> float:
    """Share of the Arabic words of ``text`` that are odd (0 when it has none)."""
    found = _ARABIC_WORDS(text).findall(text)
    return round(sum(map(is_odd, found)) / len(found), 4) if found else 0.0
