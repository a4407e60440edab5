"""The MT model's fresh translation, offered for a passage with major findings."""

from __future__ import annotations

from ..types import Severity
from . import ScoringContext, check

#: The checks a fresh translation must pass before it is offered: a rewrite that garbles a
#: name would trade one error for another.
_NAME_CHECKS = ["name-garbled"]


@check(
    "mt-retranslation",
    severity=Severity.INFO,
    category="mistranslation",
    version="1",
    scope="unit",
    requires_source=True,
    models=("mt-model",),
    after_checks=True,
)
def mt_retranslation(ctx: ScoringContext):
    """Re-translation offered: the MT model's fresh translation of a passage with major findings.

    With ``--mt-model``, every aligned unit that has a major or critical finding (from any
    check, model checks included: this one runs last) is translated afresh from its source
    by the English→Arabic model (beam ``--mt-beam``), and the translation is offered as the
    suggestion of an ``info`` finding. It is not offered when it equals the delivered text,
    or when the name checks find a garbled name in it.
    """
    model = ctx.models.get("mt-model")
    flagged = [
        u
        for u in ctx.units
        if u.target
        and any(f.severity.at_least(Severity.MAJOR) and f.start < u.end and u.start < f.end for f in ctx.findings)
    ]
    if model is None or not flagged:
        return

    from ..scorers.mt.model import suggest_retranslations

    def name_problems(text: str) -> list:
        return ctx.audit_text(text, _NAME_CHECKS) if ctx.audit_text else []

    fresh = suggest_retranslations(model, flagged, name_problems)
    for unit in flagged:
        text = fresh.get(unit.key)
        if text is None:
            continue
        yield ctx.finding(
            unit,
            unit.start,
            unit.end,
            "This passage has major findings; the MT model's fresh translation of its source is offered "
            f"as a rewrite (its names were checked against the gazetteer). Source: «{(unit.source or '')[:300]}»",
            suggestion=text,
            confidence=0.5,
        )
