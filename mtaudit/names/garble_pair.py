"""Is an Arabic word a garble of a Latin name? Evidence from the transliteration model.

For a name that no gazetteer or name list knows, nothing says which Arabic spelling is
right, but the learned transliteration model (mtaudit.names.transliteration) says a lot
about the name itself and about the word that stands for it:

- **origin**: how much of the model's belief (its n-best renderings, normalised) goes to
  spellings with a letter Latin script cannot write (ع ح ض ظ ص ط ق ء; not ث ذ, which
  English writes th and dh). A Western name (Johnson) puts little there; an Arabic one
  (Sartawi, Qahtani) puts most;
- **lost**: how much of that belief goes to renderings that keep every such letter the word
  has and have one more: the word has lost what the Latin spelling could not carry
  (سارتاوي for سرطاوي); ``flat_lost`` counts only renderings the word is a flattening of
  (the same consonant skeleton);
- **latin origin**: what the Latin spelling itself says (mtaudit.names.origin, a character
  n-gram model: kh, -awi, aa are Arabic spellings, -son, -ck are not);
- **in use**: how often Arabic text writes the word, and the rendering that restores the
  lost letter (wordfreq zipf): a sounded-out garble is rarely a word, its restoration often
  a name in use;
- the pair scores: log P(word | name) under the correct-rendering model against its best
  rendering (``gap``), and against the naive, English-mediated reading (``llr`` =
  naive − correct, ``naive_gap`` = how close the word is to the sounded-out reading);
- **restorable by the English channel** (:func:`channel_restorations`): the word undone
  edit by edit the way a Latin spelling flattens an Arabic one (a plain letter back to the
  emphatic or guttural one English writes so: ا/و/ي → ع, ه → ح, س → ص/ث, ت → ط/ث, د → ض/ذ,
  ز → ظ/ذ, ك → ق; a long vowel English added dropped), with or without the article. The
  model's n-best often misses the restoration (زاواهيري for Zawahiri: its n-best has no
  ظ), but Arabic text writes it (الظواهري, wordfreq) and Wikidata people bear it with a
  Latin spelling of the same consonants as the name word (``channel_zipf``,
  ``channel_attested``). A correct spelling rarely has such a twin in use.

:func:`pair_features` computes them; a logistic model fitted on labelled pairs
(scripts/fit_garble_pair.py: English-mediated garbles of Arabic names against correct
renderings and house-style variants of Western names, from the transliteration model's
held-out words) turns them into the probability that the word is a garble
(``name-source:garble-pair`` in references/calibration.tsv). The check uses that
probability as the finding's confidence. All Arabic is folded.
"""

from __future__ import annotations

import math
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from ..text.frequency import arabic_zipf, folded_zipf
from .channel import ARTICLE, skeleton, split_article
from .origin import default_origin

# Letters of Arabic names that Latin spellings do not write (an apostrophe, a vowel, h, s,
# t, d, z, th, dh or k/q stands for them).
ONLY_IN_ARABIC = frozenset("عحءضظذثصطق")
# ... of which these have no Latin letter at all: ث and ذ are regular for English th (Arthur
# ارثر), so they say less about where a name comes from.
NO_LATIN_LETTER = frozenset("عحءضظصطق")
# How many renderings the belief is spread over.
NBEST = 8
MODEL_NAME = "name-source:garble-pair"
# wordfreq zipf above this says no more (a word in everyday use)
ZIPF_CAP = 5.0


def _posterior(nbest: list[tuple[str, float]]) -> list[tuple[str, float]]:
    if not nbest:
        return []
    top = max(lp for _, lp in nbest)
    weights = [(a, math.exp(lp - top)) for a, lp in nbest]
    z = sum(w for _, w in weights)
    return [(a, w / z) for a, w in weights]


def _classes(arabic: str) -> frozenset[str]:
    """The letters of ``arabic`` that Latin cannot write, ث and ذ as one (both are "th")."""
    return frozenset("ث" if c == "ذ" else c for c in arabic if c in ONLY_IN_ARABIC)


def _lost(candidate: str, have: frozenset[str]) -> bool:
    """The candidate keeps every such letter the word has and has one more: the word lost it."""
    mine = _classes(candidate)
    return have < mine


def origin_belief(model, latin: str) -> tuple[float, list[tuple[str, float]]]:
    """The share of the model's n-best renderings of ``latin`` that have a letter Latin
    cannot write, and the normalised n-best itself."""
    post = _posterior(model.nbest(latin, NBEST))
    return sum(p for a, p in post if set(a) & ONLY_IN_ARABIC), post


def pair_features(model, latin: str, stem: str, origin_model=None, latin_forms=None) -> dict[str, float]:
    """The evidence that ``stem`` (folded, no article) is a garble of the Latin name word
    (lower case a–z); ``origin_model`` is mtaudit.names.origin's (the shipped one by default);
    ``latin_forms`` the gazetteer's Wikidata index (folded Arabic → Latin spellings), for
    ``channel_attested``."""
    origin_model = origin_model or default_origin()
    origin, post = origin_belief(model, latin)
    have = _classes(stem)
    lost = sum(p for a, p in post if _lost(a, have))
    # ث and ذ left out: English writes them th and dh (Kathy: كاثي), so they say nothing of origin
    strict = sum(p for a, p in post if set(a) & NO_LATIN_LETTER)
    # renderings the word is a flattening of (the same consonants once the letters English
    # spells alike are merged and ع ح ء ه dropped, mtaudit.names.channel.skeleton): lost =
    # of those, the ones with a letter Latin cannot write that the word lacks
    sk = skeleton(stem)
    alike = [(a, p) for a, p in post if skeleton(a) == sk]
    flat_lost = sum(p for a, p in alike if _lost(a, have))
    flat_kept = sum(p for a, p in alike if not _lost(a, have))
    best = post and model.nbest(latin, 1)[0][1]
    naive = model.naive(latin, 1)
    score = model.score(latin, stem)
    naive_score = model.naive_score(latin, stem)
    restore = restoring(post, stem)
    margin = max(-10.0, min(10.0, model.score(latin, restore) - score)) if restore else -10.0
    return {
        "log_lost": math.log(lost + 0.01),
        "flat_lost": flat_lost,
        "flat_kept": flat_kept,
        "origin_strict": strict,
        # the Latin spelling's own evidence (mtaudit.names.origin), in tens of log-odds
        "latin_origin": max(-2.0, min(2.0, origin_model.logodds(latin) / 10)),
        "restore_margin": margin,
        "gap": max(-20.0, min(0.0, score - best)) if post else -20.0,
        "naive_gap": max(-20.0, min(0.0, naive_score - naive[0][1])) if naive else -20.0,
        "llr": max(-10.0, min(10.0, naive_score - score)),
        # how Arabic text uses the word and what restoring the lost letter makes of it
        # (wordfreq zipf): sounding out a Latin spelling makes a non-word (سارتاوي) whose
        # restoration is a name in use (سرطاوي, عثمان); a correct spelling is often a word in
        # use (وافد, أطوار) and its "restoration" a non-word (لعروس for لاروس, Larousse)
        "word_zipf": min(ZIPF_CAP, arabic_zipf(stem)),
        "restored_zipf": min(ZIPF_CAP, arabic_zipf(split_article(restore)[1])) if restore else 0.0,
        **channel_features(latin, stem, latin_forms),
    }



# What an English-mediated reading writes for each letter Latin cannot write: undone, the
# plain letter goes back to one of these (ء is left out: folding writes it as its seat).
_RESTORE = {"ا": "ع", "و": "ع", "ي": "ع", "ه": "ح", "س": "صث", "ت": "طث", "د": "ضذ", "ز": "ظذ", "ك": "ق"}
# At most this many letters restored and long vowels dropped: Zawahiri (ظواهري) written
# زاواهيري takes one of each and one more vowel.
MAX_RESTORED = 2
MAX_DROPPED = 2
# Candidates longer than this are not searched (the count grows with the length cubed).
MAX_LETTERS = 12


@lru_cache(maxsize=20_000)
def channel_restorations(stem: str) -> tuple[str, ...]:
    """Spellings (folded, no article) the word may have been flattened from on the way
    through English: at least one letter Latin cannot write restored, at most
    ``MAX_RESTORED`` of them and ``MAX_DROPPED`` long vowels dropped (not the first
    letter), each candidate once, in order of generation."""
    if len(stem) > MAX_LETTERS:
        return ()
    out: dict[str, None] = {}

    def walk(i: int, built: str, restored: int, dropped: int) -> None:
        if i == len(stem):
            if restored:
                out[built] = None
            return
        c = stem[i]
        walk(i + 1, built + c, restored, dropped)
        if restored < MAX_RESTORED:
            for r in _RESTORE.get(c, ""):
                walk(i + 1, built + r, restored + 1, dropped)
        if dropped < MAX_DROPPED and i > 0 and c in "اوي" and i < len(stem) - 1:
            walk(i + 1, built, restored, dropped + 1)

    walk(0, "", 0, 0)
    return tuple(out)


def _latin_consonants(latin: str) -> str:
    """A Latin spelling's consonants, article (al-, el-) and vowels left out, c/q read as k
    (a doubled letter is kept: collapsing it let Attar name Atwar and Qusai name Kassai)."""
    low = regex.sub(r"[^a-z]", "", regex.sub(r"^(?:al|el)[-\s]", "", latin.lower()))
    return regex.sub(r"[aeiouyhw]", "", low.replace("q", "k").replace("c", "k"))


def channel_features(latin: str, stem: str, latin_forms=None) -> dict[str, float]:
    """``channel_zipf``: the highest wordfreq zipf (capped at ``ZIPF_CAP``) of a spelling the
    word may have been flattened from (:func:`channel_restorations`, also with the article);
    ``channel_attested``: one of them is a Wikidata person's name word spelled in Latin
    script with the name word's consonants, give or take one."""
    found = _restored_forms(latin, stem, latin_forms)
    return {
        "channel_zipf": min(ZIPF_CAP, max((z for _, z, _ in found), default=0.0)),
        "channel_attested": float(any(named for named, _, _ in found)),
    }


def channel_restoring(latin: str, stem: str, latin_forms=None) -> str:
    """The restoration the channel finds best (:func:`channel_features`), with its article
    when Arabic writes it so: a spelling Wikidata people bear with the name word's
    consonants first, then the fewest edits from the word, then the one most in use; "" if
    none is a word."""
    found = _restored_forms(latin, stem, latin_forms)
    # among those, the fewest edits from the word (عطاري, not عطري, for وتاري: Otari)
    return max(found, key=lambda x: (x[0], -Levenshtein.distance(split_article(x[2])[1], stem), x[1]))[2] if found else ""


def _restored_forms(latin: str, stem: str, latin_forms) -> list[tuple[bool, float, str]]:
    """(Wikidata-named with the name word's consonants, zipf, form) of every restoration
    (:func:`channel_restorations`, bare and with the article) that Arabic text writes or
    Wikidata people bear; remembered per pair, as features and suggestion both ask."""
    key = (latin, stem, id(latin_forms))
    hit = _FOUND.get(key)
    # the table is kept beside its results: another table at the same address (a gazetteer
    # loaded after this one was freed) must not read them
    if hit is not None and hit[0] is latin_forms:
        return hit[1]
    target = _latin_consonants(latin)
    found = []
    for cand in channel_restorations(stem):
        for form in (cand, ARTICLE + cand):
            z = folded_zipf(form)  # the word is folded, and so is every restoration of it
            spellings = latin_forms.get(form, ()) if latin_forms else ()
            named = len(target) >= 2 and any(
                Levenshtein.distance(_latin_consonants(sp), target, score_cutoff=1) <= (1 if len(target) >= 4 else 0) for sp, _ in spellings
            )
            if z > 0 or named:
                found.append((named, z, form))
    if len(_FOUND) > 20_000:
        _FOUND.clear()
    _FOUND[key] = (latin_forms, found)
    return found


_FOUND: dict[tuple, tuple[object, list]] = {}


def skeleton_similarity(word: str, expected: str) -> float:
    """How much of the consonant skeleton (mtaudit.names.channel.skeleton, article left
    out) two folded words share: 1 − edit distance / the longer skeleton; 0 when either has
    none. A word standing where a name should be that shares the name's consonants (ذكري for
    Zekri, expected زيكري) is more likely a rendering the model does not know than a word
    put in its place; name-source's fitted model (scripts/fit_name_confidence.py) weighs it."""
    a, b = skeleton(split_article(word)[1]), skeleton(split_article(expected)[1])
    if not a or not b:
        return 0.0
    return 1.0 - Levenshtein.distance(a, b) / max(len(a), len(b))


def restoring(post: list[tuple[str, float]], stem: str) -> str:
    """The likeliest rendering that has a letter Latin cannot write which ``stem`` lacks:
    what to write instead of the garble ("" if none)."""
    have = _classes(stem)
    for a, _ in sorted(post, key=lambda x: -x[1]):
        if _lost(a, have) and " " not in a:
            return a
    return ""
