"""How an Arabic word breaks into clitics and a stem, for the name checks.

Two questions, both on folded forms (mtaudit.text.normalize.fold):

- :func:`readings`: which name could this word be, once the clitics a name can carry
  (و ف ب ل and their pairs) are read off? ``للشارا`` is ل + الشارا.
- :func:`explained_as_arabic`: is this word ordinary Arabic, built of affixes around a word
  in use? ``سيلتقيه`` (س + يلتقي + ه), ``ألصقني`` (ألصق + ني), ``وبمساعدتهم``. Such a word
  is never taken for a garbled name on spelling distance alone: a future prefix or an
  object suffix on a verb makes it look like nothing in the dictionary, yet it is plain
  Arabic. A bare proclitic reading is not enough on its own (``باشار`` splits into ب + أشار,
  yet nobody writes that): the word as written must be attested, or an enclitic or the
  future prefix must be part of the analysis, which productive morphology makes unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..text.frequency import arabic_zipf
from ..text.morphology import affixes, proclitic_chains
from .channel import ARTICLE

# Clitics a name can carry (the article is part of the name itself). ك ("like") is left
# out: on a name it is rare, and reading it off makes names of words.
NAME_CLITICS = proclitic_chains(prepositions="بل")

# Proclitic chains of ordinary words, longest first: conjunctions, prepositions and the
# future prefix (which only goes on an imperfect verb: ي ت ن ا).
_PROCLITICS = proclitic_chains(prepositions="بل", future=True)
_FUTURE = "س"
_IMPERFECT = "يتنا"
# Attached pronouns, longest first (ة is folded to ه, so ه also covers a feminine ending).
# ي ("my") is left out: it is rare in news, and it would explain every nisba (روحاني).
_ENCLITICS = affixes("enclitic", exclude=("ي",))
# A stem this common (wordfreq zipf) is a word in use.
STEM_IN_USE = 2.5
# A word as written this common is attested.
ATTESTED = 1.0


@dataclass(frozen=True)
class Reading:
    clitic: str  # و ب ل ... before the name
    stem: str  # folded word, with its article if any


@lru_cache(maxsize=200_000)
def readings(folded: str) -> tuple[Reading, ...]:
    """The word as a name with the clitics a name can carry read off, the bare word first
    (remembered per spelling: the name checks ask it of every word, several times)."""
    out = [Reading("", folded)]
    for c in NAME_CLITICS:
        if folded.startswith(c) and len(folded) - len(c) >= 3:
            rest = folded[len(c) :]
            if c.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
                out.append(Reading(c, ARTICLE + rest[1:]))  # للشارا = ل + الشارا
            out.append(Reading(c, rest))
    return tuple(out)


def with_clitic(clitic: str, word: str) -> str:
    """Attach a clitic to a correctly spelled word (ل + الشرع → للشرع)."""
    if clitic.endswith("ل") and word.startswith("ال"):
        return clitic + word[1:]
    return clitic + word


@dataclass(frozen=True)
class Analysis:
    proclitic: str
    stem: str
    enclitic: str

    @property
    def productive(self) -> bool:
        """An enclitic or the future prefix: affixes that make many forms no corpus lists."""
        return bool(self.enclitic) or self.proclitic.endswith(_FUTURE)


@lru_cache(maxsize=200_000)
def analyses(folded: str) -> tuple[Analysis, ...]:
    """Every (proclitic, stem, enclitic) split with a stem of at least two letters."""
    out = []
    for pro in ("", *_PROCLITICS):
        if pro and not folded.startswith(pro):
            continue
        rest = folded[len(pro) :]
        if pro.endswith(_FUTURE) and (not rest or rest[0] not in _IMPERFECT):
            continue
        for enc in ("", *_ENCLITICS):
            if enc and not rest.endswith(enc):
                continue
            if enc == "ني" and rest.endswith("اني"):
                continue  # -اني is read as a nisba (الشيباني, روحاني), not a verb with "me"
            stem = rest[: len(rest) - len(enc)] if enc else rest
            if len(stem) >= 2 and (pro or enc):
                out.append(Analysis(pro, stem, enc))
                if enc and stem.endswith("ت") and len(stem) > 2:
                    # a ta marbuta before a pronoun is written ت (مساعدتهم = مساعدة + هم)
                    out.append(Analysis(pro, stem[:-1] + "ه", enc))
    return tuple(out)


@lru_cache(maxsize=200_000)
def explained_as_arabic(folded: str) -> Analysis | None:
    """The analysis that explains the word as ordinary Arabic, or None.

    Explained: the stem is a word in use (zipf >= STEM_IN_USE), and either the whole word
    is attested or the analysis is productive (an enclitic, the future prefix)."""
    attested = arabic_zipf(folded) >= ATTESTED
    for a in analyses(folded):
        if not (attested or a.productive):
            continue
        if arabic_zipf(a.stem) >= STEM_IN_USE or arabic_zipf(ARTICLE + a.stem) >= STEM_IN_USE + 0.5:
            return a
    return None
