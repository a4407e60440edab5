"""The gate: turn an audit result into a verdict and an exit code.

Exit codes (DESIGN.md): 0 pass; 1 the gate failed (a finding at or above ``fail_on``);
2 usage, input or reference-data error (also: an input was skipped or nothing could be read);
3 the audit is incomplete (a check crashed). When several apply, the most serious
condition for a pipeline wins: 2, then 3, then 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .types import ArticleResult, AuditResult, Severity

EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3


@dataclass(frozen=True)
class GatePolicy:
    """``fail_on`` None means the gate never fails on findings (report only)."""

    fail_on: Severity | None = Severity.CRITICAL


@dataclass
class Verdict:
    status: str  # pass | fail | incomplete | input-error
    exit_code: int
    reasons: list[str] = field(default_factory=list)


def failing_findings(article: ArticleResult, policy: GatePolicy) -> int:
    if policy.fail_on is None:
        return 0
    return sum(1 for f in article.findings if f.severity.at_least(policy.fail_on))


def article_verdict(article: ArticleResult, policy: GatePolicy) -> str:
    if article.crashes:
        return "incomplete"
    return "fail" if failing_findings(article, policy) else "pass"


def evaluate(result: AuditResult, policy: GatePolicy) -> Verdict:
    reasons = []
    skipped = [p for p in result.skipped if p.skipped]
    failing = sum(failing_findings(a, policy) for a in result.articles)
    if failing:
        reasons.append(f"{failing} finding(s) at or above {policy.fail_on.value}")  # type: ignore[union-attr]
    if result.crashes:
        reasons.append(f"{len(result.crashes)} check crash(es): the audit is incomplete")
    if skipped:
        reasons.append(f"{len(skipped)} input(s) could not be read")
    if not result.articles:
        reasons.append("no article could be read")
    if skipped or not result.articles:
        return Verdict("input-error", EXIT_INPUT, reasons)
    if result.crashes:
        return Verdict("incomplete", EXIT_INCOMPLETE, reasons)
    if failing:
        return Verdict("fail", EXIT_FAIL, reasons)
    return Verdict("pass", EXIT_PASS, reasons)
