"""The quality policy: penalty points, quality scores, severity overrides and critical rules.

Penalties follow MQM's scoring model (Lommel et al., MQM 2.0 scoring, themqm.org): every
finding costs points by severity — minor 1, major 5, critical 25 by default, info 0 — and
an article's **quality score** is

    quality = max(0, 100 − 1000 × penalty points / words)

i.e. 100 minus the penalty per 1,000 words of the article's audited copy (headline and body,
not boilerplate; words as in articles.csv). A 400-word article with one major and two minor
findings scores 100 − 1000 × 7 / 400 = 82.5. The delivery's score is the same formula over
all its articles' points and words (so long articles weigh more, as in TAUS DQF and
Verifika's TQA). An article without words scores 100 unless it has a finding (then 0).
Suppressed findings cost nothing; baselined ones still do (a baseline changes what fails
the gate, not how good the copy is).

Critical findings come from data, not code: ``references/critical.tsv`` lists the rules
(wrong person named, a changed casualty or money figure, a garbled headline) that escalate
another check's finding to critical.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterable

import regex

from ..knowledge.resources import ReferenceDataError, Resources
from ..types import ArticleResult, AuditResult, Finding, SegmentKind, Severity

DEFAULT_WEIGHTS: dict[str, float] = {"critical": 25.0, "major": 5.0, "minor": 1.0, "info": 0.0}
#: Words a quality score is normalised to.
PER_WORDS = 1000
_WORD = regex.compile(r"[\p{L}\p{N}]+")
#: Characters of the finding's sentence searched on each side by a rule's ``context``.
CONTEXT_CHARS = 80


def penalty(finding: Finding, policy) -> float | int:
    """Penalty points of ``finding`` under ``policy`` (anything with a ``weights`` mapping
    of severity name → points; None: the defaults)."""
    weights = getattr(policy, "weights", None) or DEFAULT_WEIGHTS
    points = float(weights.get(finding.severity.value, DEFAULT_WEIGHTS[finding.severity.value]))
    return int(points) if points.is_integer() else points  # "5" in the CSV, not "5.0"


def article_words(article: ArticleResult) -> int:
    """Words of the article's audited copy (headline and body, not boilerplate)."""
    if article.word_count >= 0:
        return article.word_count
    words = sum(len(_WORD.findall(s.text)) for s in article.segments if s.kind is not SegmentKind.BOILERPLATE)
    if article.segments:
        # counted once: the gate, the summary and every report row ask again (the segments
        # do not change once audited)
        article.word_count = words
    return words


def quality(points: float, words: int) -> float:
    """100 − penalty points per 1,000 words, floored at 0 (see the module docstring)."""
    if words <= 0:
        return 100.0 if points == 0 else 0.0
    return round(max(0.0, 100.0 - PER_WORDS * points / words), 2)


def article_penalty(article: ArticleResult, policy) -> float:
    return sum(penalty(f, policy) for f in article.findings)


def article_quality(article: ArticleResult, policy) -> float:
    return quality(article_penalty(article, policy), article_words(article))


def delivery_quality(result: AuditResult, policy) -> float:
    points = sum(article_penalty(a, policy) for a in result.articles)
    return quality(points, sum(article_words(a) for a in result.articles))


# -- severity overrides and critical rules -------------------------------------------------


@dataclass(frozen=True)
class CriticalRule:
    id: str
    checks: frozenset[str]
    at_least: Severity
    message: "regex.Pattern | None"
    context: "regex.Pattern | None"
    description: str


def critical_rules(resources: Resources, disabled: Iterable[str] = ()) -> list[CriticalRule]:
    """The active rules of references/critical.tsv (newsroom folders add or replace rows by
    id); ``disabled`` turns rules off by id (an unknown id is a data error)."""
    rows = resources.table("critical.tsv")
    by_id = {r["id"]: r for r in rows}
    unknown = sorted(set(disabled) - set(by_id))
    if unknown:
        raise ReferenceDataError(f"critical rules {', '.join(unknown)} are not in critical.tsv (known: {', '.join(sorted(by_id))})")
    from ..knowledge.compiled import compiled_patterns

    rows = [r for r in rows if not (r["active"].lower() == "no" or r["id"] in disabled)]
    specs = [(r["message"], 0) for r in rows if r["message"]] + [(r["context"], regex.IGNORECASE) for r in rows if r["context"]]
    compiled = dict(zip(specs, compiled_patterns("critical", specs)))
    rules = []
    for r in rows:
        at_least = Severity(r["from"] or "major")  # the schema checked these columns
        message = compiled[(r["message"], 0)] if r["message"] else None
        context = compiled[(r["context"], regex.IGNORECASE)] if r["context"] else None
        rules.append(CriticalRule(r["id"], frozenset(c for c in r["checks"].split("|") if c), at_least, message, context, r["description"]))
    return rules


def _contexts(article: ArticleResult, f: Finding) -> list[str]:
    """The finding's text, its sentence around it and the aligned English source."""
    out = [f.text]
    text = article.article.text
    for seg in article.segments:
        if seg.start <= f.start < max(seg.end, seg.start + 1):
            out.append(text[max(seg.start, f.start - CONTEXT_CHARS) : min(seg.end, f.end + CONTEXT_CHARS)])
            if seg.source:
                out.append(seg.source)
    for unit in article.units:
        if f.segment_id and f.segment_id in unit.segment_id.split("+") and getattr(unit, "source", None):
            out.append(unit.source)
    return out


def rule_for(article: ArticleResult, f: Finding, rules: list[CriticalRule]) -> CriticalRule | None:
    """The first rule that makes ``f`` critical, if any."""
    for rule in rules:
        if f.check not in rule.checks or not f.severity.at_least(rule.at_least) or f.severity is Severity.CRITICAL:
            continue
        if rule.message is not None and not rule.message.search(f.message):
            continue
        if rule.context is not None and not any(rule.context.search(c) for c in _contexts(article, f)):
            continue
        return rule
    return None


def apply_severities(result: AuditResult, overrides: dict[str, str], rules: list[CriticalRule]) -> dict[str, int]:
    """Apply per-check severity overrides, then the critical rules, to every finding of
    ``result`` in place. Returns {rule id: findings made critical}."""
    escalated: dict[str, int] = {}
    for art in result.articles:
        changed = []
        for f in art.findings:
            if f.check in overrides and overrides[f.check] != f.severity.value:
                f = dataclasses.replace(f, severity=Severity(overrides[f.check]))
            rule = rule_for(art, f, rules)
            if rule is not None:
                f = dataclasses.replace(
                    f, severity=Severity.CRITICAL,
                    message=f"{f.message} [critical: {rule.id}, {rule.description}]",
                )
                escalated[rule.id] = escalated.get(rule.id, 0) + 1
            changed.append(f)
        art.findings[:] = changed
    return escalated


def critical_rule_of(finding: Finding) -> str:
    """The id of the critical rule that escalated ``finding`` ("" if none)."""
    m = regex.search(r"\[critical: ([\w-]+),", finding.message)
    return m.group(1) if m else ""

