"""After the audit, before the gate: severities, critical rules, fingerprints, suppressions, baseline.

The order matters: severity overrides and critical rules change what a finding weighs
(never its fingerprint, which does not depend on severity or message); fingerprints are
computed once on the final findings; suppressed findings leave the gate but stay listed;
the baseline then marks what is left new or unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..knowledge.resources import Resources
from ..types import AuditResult
from . import baseline as baseline_mod
from . import suppressions as suppressions_mod
from .fingerprint import fingerprints
from .policy import apply_severities, critical_rules


def fingerprint_all(result: AuditResult) -> None:
    """Fill ``ArticleResult.fingerprints`` for every article (idempotent)."""
    for art in result.articles:
        if all(f in art.fingerprints for f in art.findings):
            continue
        art.fingerprints = dict(zip(art.findings, fingerprints(art.findings, art.article.text)))


def unit_segments(result: AuditResult) -> None:
    """XLIFF/TMX articles: a finding's segment id becomes its unit's id (mtaudit.inputs.xliff)."""
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


class Triage:
    """The triage steps, applied one article at a time (so that a streamed audit can triage
    each article before its rows are written) and finished once for the delivery."""

    def __init__(
        self,
        reference_dirs: Iterable[Path] = (),
        severity: dict[str, str] | None = None,
        disable_critical: Iterable[str] = (),
        suppressions: "suppressions_mod.SuppressionSet | None" = None,
        baseline: "dict[str, baseline_mod.BaselineEntry] | None" = None,
    ) -> None:
        self.overrides = {c: s for c, s in (severity or {}).items() if s != "off"}
        self.rules = critical_rules(Resources(list(reference_dirs)), list(disable_critical))
        self.suppressions = suppressions
        self.baseline = baseline
        self.stats: dict = {"critical_rules": {}, "suppressed": 0, "new": None, "fixed": None}
        #: the baseline's fingerprints seen so far (not the articles: a streamed batch
        #: keeps no article once its rows are written)
        self._seen: set[str] = set()

    def article(self, art) -> None:
        """Triage one ArticleResult in place."""
        one = AuditResult([art], [], {})
        for rule, n in apply_severities(one, self.overrides, self.rules).items():
            self.stats["critical_rules"][rule] = self.stats["critical_rules"].get(rule, 0) + n
        unit_segments(one)
        fingerprint_all(one)
        if self.suppressions is not None:
            self.stats["suppressed"] += suppressions_mod.apply(one, self.suppressions)
        if self.baseline is not None:
            new, _ = baseline_mod.apply(one, self.baseline)
            self.stats["new"] = (self.stats["new"] or 0) + new
            known = self.baseline
            self._seen.update(fp for fp in art.baseline_state if fp in known)
            self._seen.update(s.fingerprint for s in art.suppressed if s.fingerprint in known)

    def finish(self, result: AuditResult) -> dict:
        """The delivery-wide part: unused suppressions and the baseline's fixed entries."""
        if self.suppressions is not None:
            result.unused_suppressions = self.suppressions.unused()
        if self.baseline is not None:
            result.fixed = [e for fp, e in self.baseline.items() if fp not in self._seen]
            self.stats["fixed"] = len(result.fixed)
            self.stats["new"] = self.stats["new"] or 0
        return self.stats


def triage(
    result: AuditResult,
    reference_dirs: Iterable[Path] = (),
    severity: dict[str, str] | None = None,
    disable_critical: Iterable[str] = (),
    suppressions: "suppressions_mod.SuppressionSet | None" = None,
    baseline: "dict[str, baseline_mod.BaselineEntry] | None" = None,
) -> dict:
    """Apply everything in order to a whole result; returns counts for the summary. Raises
    ReferenceDataError for a bad critical.tsv or an unknown rule id."""
    steps = Triage(reference_dirs, severity, disable_critical, suppressions, baseline)
    for art in result.articles:
        steps.article(art)
    return steps.finish(result)
