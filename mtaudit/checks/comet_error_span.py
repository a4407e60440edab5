"""The error spans a COMET model (XCOMET) marks in a segment."""

from __future__ import annotations

from ..types import Severity
from . import ScoringContext, check


@check(
    "comet-error-span",
    severity=Severity.MINOR,
    category="fluency",
    version="1",
    scope="unit",
    models=("comet", "comet_qe"),
)
def comet_error_span(ctx: ScoringContext):
    """COMET error span: a passage the COMET model (--comet, XCOMET) marks as an error.

    Error-span models of the XCOMET family tag the subwords of a translation they judge
    wrong, with a severity (minor, major, critical) and a confidence. mtaudit places each
    tagged span back in the article's text and reports it with the model's own severity
    and confidence. Models without error spans (wmt22-comet-da) give scores only.
    """
    for unit in ctx.units:
        for model in ("comet", "comet_qe"):
            signal = ctx.signal(unit, model)
            for start, end, severity, confidence in signal.get("error_spans", ()):
                yield ctx.finding(
                    unit,
                    unit.start + start,
                    unit.start + end,
                    f"COMET ({signal['label']}) marks this as a {severity} error",
                    confidence=confidence,
                    severity=Severity(severity),
                )
