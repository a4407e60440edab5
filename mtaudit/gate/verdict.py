"""The gate: turn an audit result into a verdict and an exit code.

Exit codes (DESIGN.md): 0 pass; 1 the gate failed (one of the rules below);
2 usage, input or reference-data error (also: an input was skipped or nothing could be read);
3 the audit is incomplete (a check crashed). When several apply, the most serious
condition for a pipeline wins: 2, then 3, then 1.

The rules, each named in the verdict (overall and per article) when it fails:

- ``fail-on SEVERITY``: a finding at or above the severity (default ``major``);
- ``min-quality N``: an article's quality score (mtaudit.gate.policy) below N;
- ``min-delivery-quality N``: the delivery's quality score below N;
- ``max-findings CHECK=N``: more than N findings of a check over the delivery;
- ``min-score NAME=N``: a model or reference score below its minimum (TER: above).

Findings that a baseline already had (``unchanged``) and suppressed findings do not count
for ``fail-on`` and ``max-findings``; quality scores count every finding not suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import ArticleResult, AuditResult, Finding, Severity
from .policy import DEFAULT_WEIGHTS, article_quality, delivery_quality

EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3


#: Metrics where lower is better: their threshold is a maximum.
LOWER_IS_BETTER = frozenset({"ter"})
SCORE_ALIASES = {"chrf": "chrf2", "chrf2": "chrf2", "chrf++": "chrf2pp", "chrf2++": "chrf2pp", "chrf2pp": "chrf2pp",
                 "bleu": "bleu", "ter": "ter", "comet": "comet", "comet_qe": "comet_qe", "cometkiwi": "comet_qe",
                 "adequacy": "adequacy", "mt_logprob": "mt_logprob", "bt_chrf": "bt_chrf"}
#: What a score needs, for the error when --min-score names a score no article has.
SCORE_NEEDS = {"comet": "--comet MODEL with a reference-based model and references",
               "comet_qe": "--comet MODEL with a reference-free (QE) model and sources",
               "adequacy": "sources and --adequacy", "mt_logprob": "sources and --mt-model PATH",
               "bt_chrf": "sources and --back-model PATH"}


def parse_min_scores(text: str) -> dict[str, float]:
    """``"chrf=50,bleu=20"`` → {"chrf2": 50.0, "bleu": 20.0}; ValueError on a bad item."""
    out = {}
    for item in (i.strip() for i in text.split(",") if i.strip()):
        name, _, value = item.partition("=")
        key = SCORE_ALIASES.get(name.strip().lower())
        if key is None:
            raise ValueError(f"unknown score {name!r} (known: {', '.join(sorted(SCORE_ALIASES))})")
        try:
            out[key] = float(value)
        except ValueError:
            raise ValueError(f"{item!r}: expected NAME=NUMBER") from None
    return out


@dataclass(frozen=True)
class GatePolicy:
    """``fail_on`` None means the gate never fails on findings (report only).

    ``min_scores`` are thresholds on reference-based scores (a maximum for TER), applied to
    each article's scores or, with ``score_level="segment"``, to each scored segment.
    ``weights`` are penalty points by severity name; ``min_quality`` and
    ``min_delivery_quality`` are minimum quality scores (None: not gated);
    ``max_findings`` caps the findings of a check over the delivery."""

    fail_on: Severity | None = Severity.MAJOR
    min_scores: dict[str, float] = field(default_factory=dict)
    score_level: str = "article"
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_quality: float | None = None
    min_delivery_quality: float | None = None
    max_findings: dict[str, int] = field(default_factory=dict)


def _below(scores: dict[str, float], policy: GatePolicy) -> list[str]:
    out = []
    for name, limit in policy.min_scores.items():
        if name not in scores:
            continue
        value = scores[name]
        if (value > limit) if name in LOWER_IS_BETTER else (value < limit):
            out.append(f"{name} {value:.2f}")
    return out


def failing_scores(article: ArticleResult, policy: GatePolicy) -> list[str]:
    """The scores of the article (or of its segments) that miss the policy's thresholds."""
    if not policy.min_scores:
        return []
    if policy.score_level == "segment":
        return [f"{sid}: {b}" for sid, sc in article.segment_score_items() for b in _below(sc, policy)]
    return _below(article.article_scores(), policy)


#: Every status a verdict can have; each has a label ``ui.verdict.<status>`` in the catalogues.
STATUSES = ("pass", "fail", "incomplete", "input-error")


@dataclass
class Verdict:
    status: str  # one of STATUSES
    exit_code: int
    reasons: list[str] = field(default_factory=list)
    #: Ids of the gate rules that failed ("fail-on major", "min-quality 95" ...).
    rules: list[str] = field(default_factory=list)
    #: Each reason as a message key and its values, for a page in another language: the
    #: catalogues' ``verdict.<key>`` entries word them (reports.messages.Catalogue.verdict_reasons).
    details: list[tuple[str, dict]] = field(default_factory=list, compare=False)

    def line(self) -> str:
        """The one-line verdict: ``FAIL: fail-on major: 23 finding(s) at or above major ...``."""
        return self.status.upper() + (f": {'; '.join(self.reasons)}" if self.reasons else "")


def counted(article: ArticleResult) -> list[Finding]:
    """The article's findings that count for the finding rules: not in the baseline."""
    if not article.baseline_state:
        return list(article.findings)
    return [f for f in article.findings if article.baseline_state.get(article.fingerprints.get(f, ""), "new") != "unchanged"]


def failing_findings(article: ArticleResult, policy: GatePolicy) -> int:
    if policy.fail_on is None:
        return 0
    return sum(1 for f in counted(article) if f.severity.at_least(policy.fail_on))


def _check_counts(result: AuditResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in result.articles:
        for f in counted(a):
            counts[f.check] = counts.get(f.check, 0) + 1
    return counts


def over_limits(result: AuditResult, policy: GatePolicy) -> dict[str, int]:
    """check id → findings over the delivery, for checks above their ``max_findings``."""
    counts = _check_counts(result)
    return {c: counts.get(c, 0) for c, limit in policy.max_findings.items() if counts.get(c, 0) > limit}


def article_rules(article: ArticleResult, policy: GatePolicy, over: dict[str, int] | None = None) -> list[str]:
    """The gate rules this article fails ("fail-on major", "min-quality 95", ...)."""
    rules = []
    if failing_findings(article, policy):
        rules.append(f"fail-on {policy.fail_on.value}")  # type: ignore[union-attr]
    if policy.min_quality is not None and article_quality(article, policy) < policy.min_quality:
        rules.append(f"min-quality {policy.min_quality:g}")
    for check in sorted(over or {}):
        if any(f.check == check for f in counted(article)):
            rules.append(f"max-findings {check}={policy.max_findings[check]}")
    if failing_scores(article, policy):
        rules.append("min-score")
    return rules


def article_verdict(article: ArticleResult, policy: GatePolicy, over: dict[str, int] | None = None) -> str:
    """"pass", "fail" or "incomplete"; :func:`article_rules` names the failing rules."""
    if article.crashes:
        return "incomplete"
    return "fail" if article_rules(article, policy, over) else "pass"


def unscored_minimums(result: AuditResult, policy: GatePolicy) -> list[str]:
    """Scores named by --min-score that no article has: a usage error, not a pass."""
    have = {name for a in result.articles for name in a.article_scores()}
    return [name for name in policy.min_scores if name not in have]


def evaluate(result: AuditResult, policy: GatePolicy) -> Verdict:
    reasons: list[str] = []
    rules: list[str] = []
    details: list[tuple[str, dict]] = []

    def say(key: str, english: str, **values) -> None:
        reasons.append(english)
        details.append((key, values))

    skipped = [p for p in result.skipped if p.skipped]
    failing = sum(failing_findings(a, policy) for a in result.articles)
    if failing:
        rules.append(f"fail-on {policy.fail_on.value}")  # type: ignore[union-attr]
        arts = sum(1 for a in result.articles if failing_findings(a, policy))
        new = " new" if any(a.baseline_state for a in result.articles) else ""
        say("fail-on" + ("-new" if new else ""), f"{rules[-1]}: {failing}{new} finding(s) at or above {policy.fail_on.value} in {arts} article(s)",  # type: ignore[union-attr]
            rule=rules[-1], count=failing, severity=policy.fail_on.value, articles=arts)  # type: ignore[union-attr]
    if policy.min_quality is not None and result.articles:
        low_q = [(article_quality(a, policy), a.article.id) for a in result.articles]
        low_q = sorted(q for q in low_q if q[0] < policy.min_quality)
        if low_q:
            rules.append(f"min-quality {policy.min_quality:g}")
            say("min-quality", f"{rules[-1]}: {len(low_q)} article(s) score below quality {policy.min_quality:g} (lowest {low_q[0][1]} {low_q[0][0]:.1f})",
                rule=rules[-1], count=len(low_q), minimum=f"{policy.min_quality:g}", article=low_q[0][1], quality=f"{low_q[0][0]:.1f}")
    if policy.min_delivery_quality is not None and result.articles:
        q = delivery_quality(result, policy)
        if q < policy.min_delivery_quality:
            rules.append(f"min-delivery-quality {policy.min_delivery_quality:g}")
            say("min-delivery-quality", f"{rules[-1]}: the delivery scores {q:.1f}, below {policy.min_delivery_quality:g}",
                rule=rules[-1], quality=f"{q:.1f}", minimum=f"{policy.min_delivery_quality:g}")
    for check, n in sorted(over_limits(result, policy).items()):
        rules.append(f"max-findings {check}={policy.max_findings[check]}")
        say("max-findings", f"{rules[-1]}: {n} {check} finding(s), more than {policy.max_findings[check]}",
            rule=rules[-1], count=n, check=check, maximum=policy.max_findings[check])
    low = sum(len(failing_scores(a, policy)) for a in result.articles)
    if low:
        unit = "segment" if policy.score_level == "segment" else "article"
        rules.append("min-score")
        say(f"min-score-{unit}", f"min-score: {low} {unit} score(s) below the minimum", rule="min-score", count=low)
    unscored = unscored_minimums(result, policy)
    for name in unscored:
        say("unscored", f"--min-score {name}: nothing was scored with it (it needs {SCORE_NEEDS.get(name, 'references')})",
            rule=f"--min-score {name}", needs=SCORE_NEEDS.get(name, "references"))
    if result.crashes:
        say("crashes", f"{len(result.crashes)} check crash(es): the audit is incomplete", count=len(result.crashes))
    if skipped:
        say("skipped", f"{len(skipped)} input(s) could not be read", count=len(skipped))
    duplicates = [p for p in result.skipped if p.kind == "duplicate"]
    if duplicates:
        say("duplicates", f"{len(duplicates)} duplicate id(s) (--allow-duplicates keeps them as id~2, id~3)", count=len(duplicates),
            option="--allow-duplicates", example="id~2, id~3")
    if not result.articles:
        say("no-articles", "no article could be read")
    if skipped or duplicates or not result.articles or unscored:
        return Verdict("input-error", EXIT_INPUT, reasons, rules, details)
    if result.crashes:
        return Verdict("incomplete", EXIT_INCOMPLETE, reasons, rules, details)
    if rules:
        return Verdict("fail", EXIT_FAIL, reasons, rules, details)
    return Verdict("pass", EXIT_PASS, reasons, rules, details)
