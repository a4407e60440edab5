"""Definiteness agreement slips: a definite noun with an indefinite adjective (الرئيس روسي)."""

from __future__ import annotations

from . import CheckContext, check
from ..names import arabic_zipf, words
from ..normalize import fold
from ..types import Severity

_CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
_NOUN = 3.0  # zipf: the definite word must be an ordinary Arabic word


def nisbas(gaz) -> dict[str, str]:
    """Folded indefinite nisba adjective (روسي, سورية) → its place, for every one-word
    place of the gazetteer: سوريا → سوري, روسيا → روسي, مصر → مصري, الأردن → أردني."""
    cache = gaz.cache("nisbas")
    if not cache:
        for ent in gaz.entities:
            if ent.type != "place":
                continue
            for form in ent.forms:
                if len(words(form)) != 1:
                    continue
                stem = fold(form)
                if stem.startswith("ال"):
                    stem = stem[2:]
                bases = {stem}
                for ending in ("يا", "ا", "ه"):
                    if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                        bases.add(stem[: -len(ending)])
                place_zipf = arabic_zipf(form)
                for base in bases:
                    for adj in (base + "ي", base + "يه"):
                        # attested, and not a commoner word of its own (حماة → حماية "protection")
                        if _NOUN <= arabic_zipf(adj) <= place_zipf:
                            cache[adj] = ent.canonical
    return cache


def _definite(folded: str) -> bool:
    if len(folded) < 4:
        return False  # الي is the preposition إلى, not a definite noun
    if folded.startswith("ال"):
        return True
    return any(folded.startswith(c + "ال") or (c.endswith("ل") and folded.startswith(c + "ل")) for c in _CLITICS)


@check(
    "agreement",
    severity=Severity.MINOR,
    category="fluency",
    version="1",
    scope="segment",
    resources=("gazetteer",),
)
def agreement(ctx: CheckContext):
    """Agreement slip: a definite noun followed by an indefinite nationality adjective.

    An adjective agrees with its noun in definiteness: الرئيس الروسي, not الرئيس روسي
    (English "the Russian president" has one article, and MT drops the second). The
    adjectives checked are the nisbas of the gazetteer's places (سوريا → سوري/سورية,
    الأردن → أردني), so the check grows with the gazetteer. The suggestion adds the article.
    """
    adjectives = nisbas(ctx.resources.gazetteer)
    tokens = ctx.tokens
    for prev, tok in zip(tokens, tokens[1:]):
        if not (prev.is_arabic and tok.is_arabic) or tok.folded not in adjectives:
            continue
        between = ctx.article.text[prev.end : tok.start]
        if between.strip():
            continue  # punctuation between them: not noun + adjective
        if _definite(prev.folded) and arabic_zipf(prev.text) >= _NOUN:
            fixed = "ال" + tok.text
            yield ctx.finding(
                tok.start,
                tok.end,
                f"“{prev.text} {tok.text}”: the adjective must take the article like its noun: write “{fixed}”.",
                suggestion=fixed,
                confidence=0.7,
            )
