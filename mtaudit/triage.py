"""After the audit, before the gate: severities, critical rules, fingerprints, suppressions, baseline.

The order matters: severity overrides and critical rules change what a finding weighs
(never its fingerprint, which does not depend on severity or message); fingerprints are
computed once on the final findings; suppressed findings leave the gate but stay listed;
the baseline then marks what is left new or unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from . import baseline as baseline_mod
from . import suppressions as suppressions_mod
from .fingerprint import fingerprints
from .policy import apply_severities, critical_rules
from .resources import Resources
from .types import AuditResult


def fingerprint_all(result: AuditResult) -> None:
    """Fill ``ArticleResult.fingerprints`` for every article (idempotent)."""
    for art in result.articles:
        if all(f in art.fingerprints for f in art.findings):
            continue
        art.fingerprints = dict(zip(art.findings, fingerprints(art.findings, art.article.text)))


def unit_segments(result: AuditResult) -> None:
    """XLIFF/TMX articles: a finding's segment id becomes its unit's id (mtaudit.xliff)."""
    import dataclasses

    for art in result.articles:
        spans = art.article.unit_spans
        if not spans:
            continue
        mapped = []
        for f in art.findings:
            uid = next((u for u, s, e in spans if s <= f.start <= e), f.segment_id)
            mapped.append(dataclasses.replace(f, segment_id=uid) if uid != f.segment_id else f)
        art.findings[:] = mapped


def triage(
    result: AuditResult,
    reference_dirs: Iterable[Path] = (),
    severity: dict[str, str] | None = None,
    disable_critical: Iterable[str] = (),
    suppressions: "suppressions_mod.SuppressionSet | None" = None,
    baseline: "dict[str, baseline_mod.BaselineEntry] | None" = None,
) -> dict:
    """Apply everything in order; returns counts for the summary. Raises ReferenceDataError
    for a bad critical.tsv or an unknown rule id."""
    overrides = {c: s for c, s in (severity or {}).items() if s != "off"}
    rules = critical_rules(Resources(list(reference_dirs)), list(disable_critical))
    escalated = apply_severities(result, overrides, rules)
    unit_segments(result)
    fingerprint_all(result)
    stats = {"critical_rules": escalated, "suppressed": 0, "new": None, "fixed": None}
    if suppressions is not None:
        stats["suppressed"] = suppressions_mod.apply(result, suppressions)
    if baseline is not None:
        stats["new"], stats["fixed"] = baseline_mod.apply(result, baseline)
    return stats
