"""English words merely written in Arabic letters (أراب for "Arab")."""

from __future__ import annotations

from functools import lru_cache

import regex
from wordfreq import top_n_list, zipf_frequency

from . import CheckContext, check
from ..alignment import source_units
from ..names import arabic_zipf
from ..senses import bare_forms
from ..tokens import tokenize
from ..translit import latin_to_arabic
from ..types import Severity

_ENGLISH_VOCABULARY = 30_000  # most common English words considered
_MIN_LETTERS = 4
_COMMON_ENGLISH = 4.0  # rarer English words (proton, kayak) are often borrowed as they are
_VERY_COMMON_ENGLISH = 5.0  # zipf: English words this common are almost never names
_UNSEEN_ARABIC = 1.0  # without a source, the spelling must be unseen in Arabic
_ORDINARY_ARABIC = 3.0  # with the source naming the word, anything rarer than this


@lru_cache(maxsize=1)
def english_in_arabic_letters() -> dict[str, str]:
    """Folded Arabic-letter rendering → the common English word it spells. Exact renderings
    only: looser matching finds English in ordinary Arabic (الإرهاب is not "arab")."""
    out: dict[str, str] = {}
    for word in top_n_list("en", _ENGLISH_VOCABULARY):
        if word.isascii() and word.isalpha() and len(word) >= 3:
            out.setdefault(latin_to_arabic(word), word)
    return out


def spelled_english(bare: str) -> str | None:
    """The English word ``bare`` (folded, no clitics) spells letter by letter, if any."""
    return english_in_arabic_letters().get(bare)


def _source_words(source: str) -> set[str]:
    """Lower-case words of the source used as common words: written in lower case
    somewhere (names and titles are capitalised everywhere)."""
    return {w for w in regex.findall(r"[A-Za-z]+", source) if w.islower()}


def _source_any_case(source: str) -> set[str]:
    return {w.lower() for w in regex.findall(r"[A-Za-z]+", source)}


@check(
    "english-in-arabic",
    severity=Severity.MAJOR,
    category="untranslated",
    version="1",
    scope="article",
    resources=("gazetteer", "loanwords"),
)
def english_in_arabic(ctx: CheckContext):
    """English in Arabic letters: an English word transliterated instead of translated.

    MT leaves words it cannot place as their English sound in Arabic letters ("Arab" as
    أراب in "روسيا-أراب"). A word is reported when, after its clitics, it is a letter-by-
    letter rendering of an English word (mtaudit.translit.latin_to_arabic) and:

    - with an English source: the source uses that word in lower case (a common word, not
      a name: Texas and LeBron are written in Arabic letters on purpose) and it is a common
      English word (zipf ≥ 4; rarer ones such as proton or kayak are borrowed as they
      are), or it is a known
      phonetic copy (references/loanwords.tsv: Arab), and the Arabic spelling is not an
      ordinary Arabic word (wordfreq zipf < 3);
    - without one: it is a known phonetic copy, or the English word is very common
      (zipf ≥ 5, never a name) and the spelling is never seen in Arabic (zipf < 1).

    Established loanwords (references/loanwords.tsv: تلفزيون, إنترنت, ديمقراطية) and names
    (the gazetteer and Wikidata's name words) are never reported. The suggestion comes
    from the loanword table's Arabic equivalents when it has one.
    """
    loanwords = ctx.resources.loanwords
    gaz = ctx.resources.gazetteer
    has_source = bool(ctx.article.source or ctx.article.record_sources)
    units = source_units(ctx.article, ctx.content_segments) if has_source else [("", ctx.content_segments)]
    for source, segments in units:
        in_source = _source_words(source) if source else set()
        named_in_source = _source_any_case(source) if source else set()
        for seg in segments:
            for t in tokenize(seg.text, seg.start):
                if not t.is_arabic:
                    continue
                for bare in sorted(bare_forms(t.folded), key=len, reverse=True):
                    english = spelled_english(bare)
                    if not english or len(bare) < _MIN_LETTERS:
                        continue
                    if bare in loanwords.accepted or gaz.is_accepted(bare) or bare in gaz.latin_forms:
                        break
                    zipf_ar = max(arabic_zipf(t.text), arabic_zipf(bare))
                    known_copy = english in loanwords.translation
                    if has_source:
                        report = zipf_ar < _ORDINARY_ARABIC and (
                            (english in in_source and zipf_frequency(english, "en") >= _COMMON_ENGLISH)
                            or (known_copy and english in named_in_source)
                        )
                    else:
                        report = known_copy or (
                            zipf_ar < _UNSEEN_ARABIC and zipf_frequency(english, "en") >= _VERY_COMMON_ENGLISH
                        )
                    if report:
                        suggestion = loanwords.translation.get(english, "")
                        yield ctx.finding(
                            t.start,
                            t.end,
                            f"“{t.text}” is the English word “{english}” written in Arabic letters"
                            + (" (the source has it)" if has_source else "")
                            + (f": write “{suggestion}”." if suggestion else ": translate it."),
                            suggestion=suggestion,
                            confidence=0.8 if has_source else 0.55,
                        )
                    break
