"""How common a word is in Arabic: wordfreq's Arabic list (620k forms), looked up through
folded spellings so that ة written ه or a dropped hamza still finds the word."""

from __future__ import annotations

import math
from functools import lru_cache

from wordfreq import get_frequency_dict, zipf_frequency

from .normalize import fold


@lru_cache(maxsize=1)
def _folded_frequencies() -> dict[str, float]:
    """wordfreq's Arabic frequencies keyed by folded spelling (the most frequent surface
    form wins), so that folded forms (ة written ه, hamza dropped) are looked up right."""
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
    return max(zipf_frequency(word, "ar"), folded_zipf)
