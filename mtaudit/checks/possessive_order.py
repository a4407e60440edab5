"""English possessive word order: a person's name followed by a country (بوتين روسيا)."""

from __future__ import annotations

from ..names.channel import ARTICLE
from ..names.garbles import find_garbles
from ..text.frequency import arabic_zipf
from ..text.normalize import fold
from ..text.tokens import key_set, positions_in, word_set
from ..types import Severity
from . import CheckContext, check


def _places(ctx: CheckContext) -> dict[str, str]:
    """Folded one-word place name → as written: the gazetteer's places and the places of
    the nationality adjectives."""
    gaz = ctx.resources.gazetteer
    cache = gaz.cache("possessive-order-places")
    if not cache:
        for ent in gaz.entities:
            if ent.type == "place":
                for form in ent.forms:
                    if " " not in form.strip():
                        cache[fold(form)] = form
        for place in ctx.resources.nationality_adjectives.values():
            if " " not in place.strip():
                cache.setdefault(fold(place), place)
    return cache


def _adjective_of(ctx: CheckContext, place_folded: str) -> str | None:
    for adj, place in ctx.resources.nationality_adjectives.items():
        if fold(place) == place_folded and not adj.endswith("ه"):
            return adj
    return None


@check(
    "possessive-order",
    severity=Severity.MINOR,
    category="fluency",
    version="2",
    scope="segment",
    resources=("gazetteer", "nationality_adjectives"),
)
def possessive_order(ctx: CheckContext):
    """English word order: a person's name directly followed by a country (بوتين روسيا).

    English "Russia's Putin" or "Syria's Sharaa" comes out of MT as the name followed by
    the country, a construction Arabic does not have (a proper name cannot head a
    genitive). Arabic names the country with a title or adjective: الرئيس الروسي بوتين.
    Reported when the last word of a known person's name (gazetteer), or a garbled
    spelling of it (أراقتشي إيران), is followed, with nothing but a space between them,
    by a one-word place of the gazetteer or of the
    nationality-adjective list. The suggestion puts the person's title first when the
    gazetteer gives one that names the country (الرئيس الروسي بوتين).

    The confidence is a fitted probability (references/calibration.tsv, model
    possessive-order, scripts/fit_check_confidence.py: name + country put into clean copy
    against the check's findings on clean copy and on title + name) over the evidence: a
    garbled name, a source and a possessive in it, how common the place word is. The check
    is minor.
    """
    gaz = ctx.resources.gazetteer
    places = _places(ctx)
    if word_set(ctx.text, ctx.base).isdisjoint(key_set(places)):
        return  # no place (most segments)
    tokens = ctx.tokens
    garbled: dict[int, object] | None = None  # token start → garbled person name, computed on demand
    # The place is the word as it stands (no clitic read off); the set lookup first, for
    # every token at once, as nearly no word is a place.
    for k in positions_in(tokens, places):
        if not k:
            continue  # the first word has no name before it
        prev, tok = tokens[k - 1], tokens[k]
        place = tok.folded
        if not (prev.is_arabic and tok.is_arabic):
            continue
        if ctx.article.text[prev.end : tok.start] != " ":
            continue  # punctuation or a line break between them: a list or a new clause
        persons = [
            e
            for e in gaz.accepted.get(prev.folded, [])
            if e.type == "person" and any(fold(form.split()[-1]) == prev.folded for form in e.forms)
        ]
        name = prev.text
        if not persons:
            # A garbled name in English order (أراقتشي إيران for "Iran's Araghchi"). A word
            # the gazetteer accepts is never read as a garbled name (nor is another word of
            # its spelling): no need to look for garbles in the segment.
            if gaz.is_accepted(prev.folded):
                continue
            if garbled is None:
                garbled = {
                    g.token.start: g for g in find_garbles(tokens, gaz, ctx.article.source) if g.candidate.entity.type == "person"
                }
            g = garbled.get(prev.start)
            if g is None:
                continue
            persons, name = [g.candidate.entity], g.candidate.part.word
        person = persons[0]
        source = ctx.article.source or " ".join(s for s in ctx.article.record_sources if s)
        features = {
            "garbled_name": float(name != prev.text),
            "source_checked": float(bool(source)),
            "source_possessive": float("'s " in source or "’s " in source),
            "place_zipf": arabic_zipf(tok.text),
        }
        p = ctx.fitted_confidence("possessive-order", features, prev.start, tok.end)
        adjective = _adjective_of(ctx, place)
        title = next((t for t in person.titles if adjective and fold(adjective) in fold(t)), "")
        suggestion = f"{title} {name}" if title else ""
        yield ctx.finding(
            prev.start,
            tok.end,
            f"“{prev.text} {tok.text}” copies the English possessive (“{places[place]}'s …”); Arabic names "
            f"the country with a title or adjective"
            + (
                f": write “{suggestion}”."
                if suggestion
                else f": a title with the adjective, then the name (“… {ARTICLE}{adjective} {name}”)."
                if adjective
                else "."
            ),
            suggestion=suggestion,
            confidence=p,
        )
