"""The one clitic and affix model: which letters may be read off an Arabic word.

The affixes are data (references/morphology.tsv: proclitics with their slot in a chain,
attached pronouns, plural and dual endings, each with its class). Every module that reads
a word's affixes off asks this module, naming the classes it wants and why, instead of
keeping a list of its own; a fix to the model reaches them all.

Forms are folded (see :func:`mtaudit.text.normalize.fold`). Chains are returned longest first,
so that a caller trying them in order takes the longest reading (وبال before و).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from ..knowledge.reference_tables import default_reference_dir, read_tsv

ARTICLE = "ال"
#: ل before the article drops the article's alef: ل + ال is written لل (للرئيس).
_CONTRACTED = {("ل", ARTICLE): "لل"}


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str, str, str], ...]:
    """(affix, position, slot, class, attaches) of every row of references/morphology.tsv."""
    rows = read_tsv(default_reference_dir() / "morphology.tsv")
    return tuple((r["affix"], r["position"], r["slot"], r["class"], r["attaches"]) for r in rows)


def affixes(
    position: str, classes: tuple[str, ...] = (), on: str | None = None, exclude: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The affixes of ``position`` (proclitic, enclitic, suffix) whose class starts with one
    of ``classes`` (all when empty), that attach to ``on`` ("noun" or "verb"; None: any
    word), minus those in ``exclude``; longest first."""
    found = [
        a for a, pos, _, cls, attaches in _rows()
        if pos == position
        and (not classes or cls.startswith(classes))
        and (on is None or attaches in ("any", on))
        and a not in exclude
    ]
    return _longest_first(found)


def proclitic_chains(
    conjunctions: bool = True,
    prepositions: str = "بلك",
    future: bool = False,
    article: bool = False,
    article_required: bool = False,
    empty: bool = False,
) -> tuple[str, ...]:
    """Every chain of proclitics a word may start with, longest first: an optional
    conjunction (و ف), then an optional preposition out of ``prepositions`` or (with
    ``future``) the future prefix س, then (with ``article``) an optional article; with
    ``article_required`` only chains ending in the article. ``empty`` adds "" last."""
    slot1 = [""] + (list(affixes("proclitic", ("conjunction",))) if conjunctions else [])
    slot2 = [""] + [a for a in affixes("proclitic", ("preposition",)) if a in prepositions]
    if future:
        slot2 += list(affixes("proclitic", ("future",)))
    slot3 = [""] + ([ARTICLE] if article or article_required else [])
    chains = []
    for c1, c2, c3 in product(slot1, slot2, slot3):
        if article_required and not c3:
            continue
        if c3 and c2 in affixes("proclitic", ("future",)):
            continue  # the future prefix goes on a verb, the article on a noun
        chain = c1 + _CONTRACTED.get((c2, c3), c2 + c3)
        if chain or empty:
            chains.append(chain)
    return _longest_first(chains)


def _longest_first(forms) -> tuple[str, ...]:
    """Distinct forms, longest first (stable among equals, so the data's order stays)."""
    return tuple(sorted(dict.fromkeys(forms), key=len, reverse=True))
