"""Definiteness agreement slips: a definite noun with an indefinite adjective (الرئيس روسي)."""

from __future__ import annotations

from ..text.frequency import arabic_zipf
from ..text.morphology import proclitic_chains
from ..text.tokens import key_set, positions_in, word_set
from ..types import Severity
from . import CheckContext, check

#: Proclitics before a definite noun's article (mtaudit.text.morphology).
_CLITICS = proclitic_chains()
_NOUN = 3.0  # zipf: the definite word must be an ordinary Arabic word


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
    resources=("nationality_adjectives",),
)
def agreement(ctx: CheckContext):
    """Agreement slip: a definite noun followed by an indefinite nationality adjective.

    An adjective agrees with its noun in definiteness: الرئيس الروسي, not الرئيس روسي
    (English "the Russian president" has one article, and MT drops the second). The
    adjectives checked are the nationality adjectives of references/nationality_adjectives.tsv
    (روسي, سوري, أردني and their feminines). The suggestion adds the article.

    The confidence is a fitted probability (references/calibration.tsv, model agreement,
    scripts/fit_check_confidence.py: adjectives stripped of their article in clean copy
    against the check's findings on clean copy) over how common the noun and the adjective
    are, whether their genders differ (then they are rarely noun and adjective) and a
    source. The check is minor.
    """
    adjectives = ctx.resources.nationality_adjectives
    if word_set(ctx.text, ctx.base).isdisjoint(key_set(adjectives)):
        return  # no adjective of the list (nearly every segment)
    tokens = ctx.tokens
    # the set lookup first, for every token at once: nearly no token is an adjective of the list
    for k in positions_in(tokens, adjectives):
        if not k:
            continue  # the first word has no noun before it
        prev, tok = tokens[k - 1], tokens[k]
        if not (prev.is_arabic and tok.is_arabic):
            continue
        between = ctx.article.text[prev.end : tok.start]
        if between.strip():
            continue  # punctuation between them: not noun + adjective
        if _definite(prev.folded) and arabic_zipf(prev.text) >= _NOUN:
            fixed = "ال" + tok.text
            feminine_noun, feminine_adjective = prev.folded.endswith("ه"), tok.folded.endswith("ه")
            features = {
                "noun_zipf": arabic_zipf(prev.text) - _NOUN,
                "adjective_zipf": arabic_zipf(tok.text),
                "gender_differs": float(feminine_noun != feminine_adjective),
                "source_checked": float(bool(ctx.article.source or ctx.article.record_sources)),
            }
            p = ctx.fitted_confidence("agreement", features, tok.start, tok.end)
            yield ctx.finding(
                tok.start,
                tok.end,
                f"“{prev.text} {tok.text}”: the adjective must take the article like its noun: write “{fixed}”.",
                suggestion=fixed,
                confidence=p,
            )
