"""A passage the MT model finds improbable given the source."""

from __future__ import annotations

from ..types import Severity
from . import ScoringContext, check


@check(
    "mt-improbable",
    severity=Severity.MINOR,
    category="fluency",
    version="1",
    scope="unit",
    requires_source=True,
    models=("mt-model",),
)
def mt_improbable(ctx: ScoringContext):
    """Improbable passage: a run of words the MT model (--mt-model) finds unlikely given the source.

    The English→Arabic CTranslate2 model scores the delivered target by forced decoding;
    a run of subwords whose mean log-probability is below the model's threshold is
    reported. A free but correct rendering is also improbable to a model, so the finding is
    minor at confidence 0.3: it points the editor at a passage, it does not say what is wrong.
    """
    for unit in ctx.units:
        for start, end, mean in ctx.signal(unit, "mt-model").get("improbable_runs", ()):
            yield ctx.finding(
                unit,
                unit.start + start,
                unit.start + end,
                f"the MT model finds this passage improbable given the source (mean log-prob {mean:.2f})",
                confidence=0.3,
            )
