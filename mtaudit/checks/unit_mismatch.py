"""A figure kept from the source but put in another unit, unconverted."""

from __future__ import annotations

from ..text.number_compare import unit_candidates
from ..types import Severity
from . import CheckContext, check


@check(
    "unit-mismatch",
    severity=Severity.MAJOR,
    category="number",
    version="1",
    scope="article",
    resources=("number_words", "units", "calibration"),
    requires_source=True,
)
def unit_mismatch(ctx: CheckContext):
    """A figure kept from the source but put in another unit, unconverted.

    The source says "5 miles" and the translation "5 كيلومترات": the figure is the same but
    the unit is another one of the same dimension (miles and kilometres, °F and °C, pounds
    and kilograms, feet and metres, acres and hectares, mph and km/h), so the quantity is
    wrong by the conversion factor. The suggestion is the figure converted to the
    translation's unit. Fine, and not reported: a correct conversion (5 miles → 8
    كيلومترات), both forms (5 أميال (8 كيلومترات)), and units that differ by less than
    10% (an acre rendered فدان). Units, their Arabic and English forms and their
    conversion factors are in references/units.tsv; a newsroom can add its own.

    Confidence is the probability that the finding is a real error, from a logistic model
    fitted on labelled findings (scripts/fit_number_confidence.py; references/
    calibration.tsv, model ``unit-mismatch``) over its evidence: whether the source also
    uses the translation's unit, whether the translation also uses the source's unit, a
    small figure, brackets, paragraphs that do not pair 1:1. A finding below 0.5 is minor.

    Runs only when a source is given.
    """
    model = ctx.resources.confidence_model("unit-mismatch")
    for c in unit_candidates(ctx.article, ctx.content_segments, ctx.resources):
        p = model.probability(c.features)
        yield ctx.finding(c.start, c.end, c.message, c.suggestion, p, Severity.MAJOR if p >= 0.5 else Severity.MINOR)
