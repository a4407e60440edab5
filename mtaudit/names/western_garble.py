"""Is an Arabic word a misrendering of a Western name? The garble side for Western names.

For a name of Western origin the naive, letter-by-letter reading of its Latin spelling is
mostly its correct Arabic spelling, so the naive-reading model (mtaudit.names.transliteration)
cannot tell a garble from a rendering. Western names are misrendered in other ways: an
emphatic letter for a plain one (ص for s, ط for t, ق for k), a long vowel written where the
name has a short one or none (دونالاد), a doubled Latin letter written twice (كيندريكك),
letters dropped or swapped. Each of these makes the word much less likely under the
correct-rendering model than its best rendering, while still spelled close to one of the
model's n-best renderings; a legitimate variant (house style, an older spelling) is either
nearly as likely as the best or attested in Arabic text.

:func:`features` describes the pair (the Latin name word, the Arabic word standing for it)
by how far below the model's best it scores and by what separates it from the nearest of the
model's three best renderings; the model ``name-source:western-garble`` (logistic regression
in references/calibration.tsv) is fitted by scripts/fit_western_garble.py on garbles of
those classes and on attested spellings and n-best alternatives of Western names in
Wikidata, words the transliteration model was not trained on.
"""

from __future__ import annotations

from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from ..text.frequency import arabic_zipf
from .channel import split_article

MODEL_NAME = "name-source:western-garble"
#: plain letters of Western renderings, and the emphatic or guttural letters they are
#: wrongly written as
_EMPHATIC = frozenset("صطضظقعح")
_LONG_VOWELS = frozenset("اوي")
FEATURES = ("gap", "per_letter", "llr", "one_edit", "two_edits", "emphatic", "long_vowel", "doubled", "unseen", "shorter")


def _doubled(word: str) -> int:
    return sum(1 for a, b in pairwise(word) if a == b and a not in _LONG_VOWELS)


def features(model, latin: str, stem: str) -> dict[str, float]:
    """The evidence that ``stem`` (folded, without the article) misrenders the Western name
    word ``latin`` (its letters, mtaudit.names.transliteration.latin_letters)."""
    best = model.nbest(latin, 3)
    renderings = [split_article(a)[1] for a, _ in best] or [""]
    best_score = best[0][1] if best else -50.0
    s = model.score(latin, stem)
    n = model.naive_score(latin, stem)
    nearest = min(renderings, key=lambda r: (Levenshtein.distance(stem, r), renderings.index(r)))
    dist = Levenshtein.distance(stem, nearest)
    return {
        "gap": min(30.0, max(0.0, best_score - s)),
        "per_letter": max(-10.0, s / max(1, len(stem))),
        "llr": max(-10.0, min(10.0, n - s)),
        "one_edit": float(dist == 1),
        "two_edits": float(dist == 2),
        # what the word has that none of the best renderings has
        "emphatic": float(bool((set(stem) & _EMPHATIC) - set("".join(renderings)))),
        "long_vowel": float(sum(stem.count(v) for v in _LONG_VOWELS) > max(sum(r.count(v) for v in _LONG_VOWELS) for r in renderings)),
        "doubled": float(_doubled(stem) > max(_doubled(r) for r in renderings)),
        "unseen": float(arabic_zipf(stem) < 1.0),
        "shorter": float(len(stem) < min(len(r) for r in renderings)),
    }
