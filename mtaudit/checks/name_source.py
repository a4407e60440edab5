"""Names of the English source missing from, or mangled in, the Arabic target."""

from __future__ import annotations

import regex
from wordfreq import zipf_frequency

from . import CheckContext, check
from .name_garbled import _NON_PERSON_MAX_COST, find_garbles, readings, with_clitic
from ..alignment import source_units
from ..frequency import arabic_zipf
from ..names import Gazetteer
from ..normalize import fold
from ..tokens import Token, tokenize
from ..names.channel import name_cost, split_article, tolerance
from ..types import Severity

_CAPITALISED = regex.compile(r"(?<![\p{L}'’-])\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}]+)?")
_ENGLISH_WORD = 4.0  # an English word this common is not taken for a name (Will, Mark)
_RARE = 1.5  # a target spelling this rare in Arabic can be a mangled name
_ONE_VOWEL = 0.25  # cost of one vowel letter added or dropped (mtaudit.translit)
_UNSEEN = 1.0  # for names not in the gazetteer, the spelling must never be seen in Arabic
_CLOSE = 0.6  # of the garble tolerance: how close a mangled spelling must be


def _present(tokens: list[Token], folded_words: set[str]) -> bool:
    return any(r.stem in folded_words for t in tokens for r in readings(t.folded))


def _closest(tokens: list[Token], targets: set[str], gazetteer: Gazetteer) -> tuple[Token, str, str, float] | None:
    """The rare target token closest to one of ``targets``: (token, clitic, target, cost)."""
    best = None
    for t in tokens:
        if not t.is_arabic or arabic_zipf(t.text) >= _RARE or gazetteer.is_accepted(t.folded):
            continue
        options = readings(t.folded)
        if any(arabic_zipf(r.stem) >= _RARE for r in options):
            continue  # a clitic on a word in use (لكاميل = ل + كاميل)
        for r in options:
            for target in targets:
                cost = name_cost(r.stem, target)
                if 0 < cost <= _CLOSE * tolerance(target) and (best is None or cost < best[3]):
                    best = (t, r.clitic, target, cost)
    return best


@check(
    "name-source",
    severity=Severity.MAJOR,
    category="name",
    version="1",
    scope="article",
    resources=("gazetteer",),
    requires_source=True,
)
def name_source(ctx: CheckContext):
    """Source name not rendered: a name in the English source is missing or mangled.

    Compares the names of the English source with the Arabic target, unit by unit
    (record, paragraph, or the whole article; see mtaudit.alignment):

    - a gazetteer entity whose English form the source uses must appear in one of its
      accepted Arabic forms. If instead a rare word close to it (mtaudit.translit) is there,
      it is reported as mangled (major) with the accepted form; if nothing resembles it and
      the entity is a person, the unit is reported as missing the name (minor), at its
      first target segment (places and bodies are often rendered by an adjective: "US
      officials" → مسؤولون أمريكيون, so their absence proves nothing).
      Mentions already reported by name-garbled are not repeated.
    - a capitalised source word that Wikidata people spell that way (references/
      name_forms.tsv: "Ehud" is ايهود) and that the target does not write in any of those
      forms is reported, when a rare target word is close to one of them, as a likely
      mangled name (minor, lower confidence: these names are not curated).
    """
    gaz = ctx.resources.gazetteer
    all_tokens = [t for s in ctx.content_segments for t in tokenize(s.text, s.start)]
    already = {(g.token.start, g.candidate.entity.canonical) for g in find_garbles(all_tokens, gaz, ctx.article.source)}
    garbled_entities = {name for _, name in already}
    for source, segments in source_units(ctx.article, ctx.content_segments):
        tokens = [t for s in segments for t in tokenize(s.text, s.start)]
        if not tokens:
            continue
        covered: set[str] = set()  # Latin words explained by a gazetteer entity
        for ent in {e.canonical: e for es in gaz.by_english.values() for e in es}.values():
            if not gaz.mentioned_in(ent, source):
                continue
            covered.update(w.lower() for e in ent.english for w in regex.findall(r"\p{L}+", e))
            words = {w for form in ent.forms for w in _fold_words(form)}
            if _present(tokens, words) or ent.canonical in garbled_entities:
                continue
            parts = {w for w in words if len(split_article(w)[1]) >= 3}
            close = _closest(tokens, parts, gaz)
            if close and ent.type != "person" and close[3] > _NON_PERSON_MAX_COST:
                close = None  # places and bodies: only near-exact misspellings (as in name-garbled)
            if close:
                t, clitic, target, cost = close
                written = next(p.word for p in gaz.parts_by_word[target] if p.entity is ent)
                suggestion = with_clitic(clitic, written)
                yield ctx.finding(
                    t.start,
                    t.end,
                    f"The source names {ent.english[0]}; “{t.text}” looks like a mangled {ent.canonical}:"
                    f" write “{suggestion}”.",
                    suggestion=suggestion,
                    confidence=round(0.6 + 0.4 * (1 - cost / tolerance(target)), 3),
                )
            elif ent.type == "person":  # places and bodies are often rendered as adjectives (US → الأمريكية)
                seg = segments[0]
                yield ctx.finding(
                    seg.start,
                    seg.end,
                    f"The source names {ent.english[0]}, but this passage never writes {ent.canonical}"
                    + (f" (or {', '.join(ent.variants)})" if ent.variants else "")
                    + ": check whether the name was dropped or rendered some other way.",
                    suggestion=ent.canonical,
                    confidence=0.5,
                    severity=Severity.MINOR,
                )
        yield from _wikidata_names(ctx, source, tokens, covered, gaz)


def _fold_words(form: str) -> list[str]:
    return [fold(w) for w in regex.findall(r"[\p{L}\p{M}]+", form)]


def _wikidata_names(ctx: CheckContext, source: str, tokens: list[Token], covered: set[str], gaz: Gazetteer):
    seen: set[str] = set()
    for m in _CAPITALISED.finditer(source):
        latin = m.group()
        key = latin.lower()
        if key in seen or key in covered or zipf_frequency(key, "en") >= _ENGLISH_WORD:
            continue
        seen.add(key)
        forms = set(gaz.arabic_for_latin(latin))
        if not forms or _present(tokens, forms):
            continue
        close = _closest(tokens, forms, gaz)
        if close is None:
            continue
        t, clitic, target, cost = close
        if cost <= _ONE_VOWEL:
            continue  # كاميل / كاميلي, مالاك / ملاك: foreign names vary this much in good copy
        stem = t.folded[len(clitic) :]
        if stem in gaz.latin_forms or arabic_zipf(stem) >= _UNSEEN:
            continue  # a spelling that is in use (جابريل for Gabriel): a variant, not a mangling
        suggestion = with_clitic(clitic, target)
        yield ctx.finding(
            t.start,
            t.end,
            f"The source has the name {latin}, usually written “{target}”; “{t.text}” may be a mangled"
            f" spelling of it.",
            suggestion=suggestion,
            confidence=round(0.3 + 0.3 * (1 - cost / tolerance(target)), 3),
            severity=Severity.MINOR,
        )
