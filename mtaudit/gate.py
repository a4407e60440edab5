"""The gate: turn an audit result into a verdict and an exit code.

Exit codes (DESIGN.md): 0 pass; 1 the gate failed (a finding at or above ``fail_on``, or a
score below its minimum);
2 usage, input or reference-data error (also: an input was skipped or nothing could be read);
3 the audit is incomplete (a check crashed). When several apply, the most serious
condition for a pipeline wins: 2, then 3, then 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .types import ArticleResult, AuditResult, Severity

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
    each article's scores or, with ``score_level="segment"``, to each scored segment."""

    fail_on: Severity | None = Severity.CRITICAL
    min_scores: dict[str, float] = field(default_factory=dict)
    score_level: str = "article"


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
    return "fail" if failing_findings(article, policy) or failing_scores(article, policy) else "pass"


def unscored_minimums(result: AuditResult, policy: GatePolicy) -> list[str]:
    """Scores named by --min-score that no article has: a usage error, not a pass."""
    have = {name for a in result.articles for name in a.article_scores()}
    return [name for name in policy.min_scores if name not in have]


def evaluate(result: AuditResult, policy: GatePolicy) -> Verdict:
    reasons = []
    skipped = [p for p in result.skipped if p.skipped]
    failing = sum(failing_findings(a, policy) for a in result.articles)
    if failing:
        reasons.append(f"{failing} finding(s) at or above {policy.fail_on.value}")  # type: ignore[union-attr]
    low = sum(len(failing_scores(a, policy)) for a in result.articles)
    if low:
        unit = "segment" if policy.score_level == "segment" else "article"
        reasons.append(f"{low} {unit} score(s) below the minimum")
    unscored = unscored_minimums(result, policy)
    for name in unscored:
        reasons.append(f"--min-score {name}: nothing was scored with it (it needs {SCORE_NEEDS.get(name, 'references')})")
    if result.crashes:
        reasons.append(f"{len(result.crashes)} check crash(es): the audit is incomplete")
    if skipped:
        reasons.append(f"{len(skipped)} input(s) could not be read")
    duplicates = [p for p in result.skipped if p.kind == "duplicate"]
    if duplicates:
        reasons.append(f"{len(duplicates)} duplicate id(s) (--allow-duplicates keeps them as id~2, id~3)")
    if not result.articles:
        reasons.append("no article could be read")
    if skipped or duplicates or not result.articles or unscored:
        return Verdict("input-error", EXIT_INPUT, reasons)
    if result.crashes:
        return Verdict("incomplete", EXIT_INCOMPLETE, reasons)
    if failing or low:
        return Verdict("fail", EXIT_FAIL, reasons)
    return Verdict("pass", EXIT_PASS, reasons)
