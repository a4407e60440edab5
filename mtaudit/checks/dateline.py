"""Datelines the MT scrambled ("التقى موسكو (رويترز)-" for "MOSCOW (Reuters) -")."""

from __future__ import annotations

import math

import regex

from ..text.normalize import fold
from ..text.tokens import words
from ..types import Severity
from . import CheckContext, capped, check

# An agency credit in brackets near the start of a paragraph, then a dash.
_DATELINE = regex.compile(
    r"^(?P<before>[^()\n]{0,60}?)\s*\((?P<agency>رويترز|[أا] ف ب|أسوشيتد برس|د ب أ|الأناضول|فرانس برس|Reuters|AFP|AP)\)\s*(?P<dash>[-–—])?"
)
_SOURCE_DATELINE = regex.compile(r"^\s*(?P<place>[A-Z][A-Z .'-]+?)\s*\((?:Reuters|AFP|AP|dpa)\)")


def _places(gaz) -> dict[tuple[str, ...], str]:
    """Folded word sequence of every accepted form of a place → the place's canonical form."""
    cache = gaz.cache("place-forms")
    if not cache:
        for ent in gaz.entities:
            if ent.type == "place":
                for form in ent.forms:
                    cache[tuple(fold(w) for w in words(form))] = ent.canonical
    return cache


def _split_place(ws: list[str], places: dict[tuple[str, ...], str]) -> tuple[list[str], list[str], str | None]:
    """(place words, other words, canonical place) of the words before the agency credit;
    the longest place form found wins (تل أبيب, خان يونس are one place)."""
    folded = [fold(w) for w in ws]
    longest = max((len(k) for k in places), default=1)
    for size in range(min(longest, len(ws)), 0, -1):
        for i in range(len(ws) - size + 1):
            key = tuple(folded[i : i + size])
            if key in places:
                return ws[i : i + size], ws[:i] + ws[i + size :], places[key]
    return [], ws, None


@check(
    "dateline",
    severity=Severity.MAJOR,
    category="fluency",
    version="1",
    scope="article",
    resources=("gazetteer",),
)
def dateline(ctx: CheckContext):
    """Garbled dateline: the place before the agency credit is missing or scrambled.

    Wire copy opens with a dateline, the place and the agency: "موسكو (رويترز) -". MT
    translates "MOSCOW (Reuters) - ... met" into "التقى موسكو (رويترز)-", pulling a verb
    in front of the place. A dateline is reported when the words before the agency credit
    include a place of the gazetteer together with words that are not part of the place
    (the suggestion is the place and the credit alone), or, with an English source whose
    dateline names a gazetteer place, when that place is not what precedes the credit.

    The confidence is a fitted probability (references/calibration.tsv, model dateline,
    scripts/fit_check_confidence.py: datelines scrambled in clean copy against datelines
    written right) over the evidence: words beside the place and how many, another place
    than the source's, a source and its dateline, the dash. Below 0.5 it is not major.
    """
    gaz = ctx.resources.gazetteer
    places = _places(gaz)
    source = ctx.article.source or ""
    src = _SOURCE_DATELINE.match(source)
    expected = None
    if src:
        ents = gaz.by_english.get(src.group("place").strip().lower(), [])
        expected = next((e.canonical for e in ents if e.type == "place"), None)
    for seg in ctx.content_segments[:3]:
        m = _DATELINE.match(seg.text)
        if not m:
            continue
        before = m.group("before").strip()
        found, others, place = _split_place(words(before), places)
        credit = f"({m.group('agency')}) -"
        start = seg.start + m.start("before") + (len(m.group("before")) - len(m.group("before").lstrip()))
        end = seg.start + m.end()
        features = {
            "extra_words": 0.0,
            "log_extra": 0.0,
            "other_place": 0.0,
            "source_checked": float(bool(source)),
            "source_dateline": float(src is not None),
            "dash": float(bool(m.group("dash"))),
        }
        if found and others:
            suggestion = f"{' '.join(found)} {credit}"
            features.update(extra_words=1.0, log_extra=math.log(len(others)))
            p = ctx.fitted_confidence("dateline", features, start, end)
            yield ctx.finding(
                start,
                end,
                f"The dateline has “{' '.join(others)}” before the place: a dateline is the place and the"
                f" agency only; write “{suggestion}” and put the rest in the sentence.",
                suggestion=suggestion,
                confidence=p,
                severity=capped(Severity.MAJOR, p),
            )
        elif expected and place != expected:
            suggestion = f"{expected} {credit}"
            features.update(other_place=1.0)
            p = ctx.fitted_confidence("dateline", features, start, end)
            yield ctx.finding(
                start,
                end,
                f"The source's dateline is {src.group('place').strip()}; this one does not name {expected}:"
                f" write “{suggestion}”.",
                suggestion=suggestion,
                confidence=p,
                severity=capped(Severity.MAJOR, p),
            )
        return  # one dateline per article
