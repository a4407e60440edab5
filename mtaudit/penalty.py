"""A finding's penalty points, for findings.csv's ``penalty`` column.

One function so that the gate's policy (which owns penalties) can replace it. The weights
are MQM's error-severity multipliers (MQM-DQF scoring model, TAUS 2016; MQM Core, Lommel et
al. 2014): minor 1, major 5, critical 10; an information-only finding costs nothing.
"""

from __future__ import annotations

from .types import Finding, Severity

SEVERITY_PENALTY = {Severity.CRITICAL: 10, Severity.MAJOR: 5, Severity.MINOR: 1, Severity.INFO: 0}


def penalty(finding: Finding) -> int:
    return SEVERITY_PENALTY[finding.severity]
