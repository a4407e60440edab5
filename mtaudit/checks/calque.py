"""English constructions copied word for word: credit lines and the heavy agentive passive."""

from __future__ import annotations

import math

import regex

from ..types import Severity
from . import CheckContext, capped, check

_AGENT = "من قبل"  # "by"
_AGENTIVE = regex.compile(r"(?<!\p{L})" + _AGENT + r"(?=\s+[\p{L}])")  # "by X", not "before" (من قبل.)
_HEAVY_PASSIVE = 3  # agentive من قبل per article before it reads as translated English
# An English credit line in the source ("Reporting by", "Editing by"): evidence that a
# calqued credit pattern in the target is the translation of one.
_SOURCE_CREDIT = regex.compile(r"(?i)\b(?:reporting|writing|editing|compiled|compiling|photos?|produced|translated)\s+by\b")


# What makes a pattern's match depend on the text around it: anchors, word boundaries,
# lookarounds (a ^ negating a character class is caught too: the test only has to be safe).
_CONTEXT = regex.compile(r"\\[bBAZzGmMK]|\(\?<?[=!]|[\^$]")


def _local(rule) -> bool:
    """Whether the rule's quick pattern (PatternRule.quick) matches a text wherever it
    matches a piece of it: it has no anchor, word boundary or lookaround. A segment where
    it matches is then one where it matches in the segments joined."""
    return rule.quick is not None and _CONTEXT.search(rule.quick.pattern) is None


@check(
    "calque",
    severity=Severity.MAJOR,
    category="style",
    version="1",
    scope="article",
    resources=("calques",),
)
def calque(ctx: CheckContext):
    """Calque: an English construction copied word for word into Arabic.

    - Credit lines translated literally ("تقارير إضافية من قبل" for "Additional reporting
      by", "الكتابة من قبل" for "Writing by"), and other patterns of references/calques.tsv,
      each with the Arabic to use.
    - The agentive passive with "من قبل" ("by"), natural in English and heavy in Arabic:
      when an article uses it three times or more, each use is reported (minor) with the
      advice to make the agent the subject. "من قبل" meaning "before" (لم يحدث من قبل.)
      is not counted.

    The confidence is a fitted probability (references/calibration.tsv, model calque,
    scripts/fit_check_confidence.py: credit lines calqued into clean copy against the
    check's findings on clean copy and on credit lines written in Arabic style) over the
    evidence: a credit pattern or the passive, how often the passive is used, a credit line
    in the source, the pattern opening its line. Below 0.5 a finding is not major.
    """
    rules = ctx.resources.calques
    source = ctx.article.source or "\n".join(s for s in ctx.article.record_sources if s)
    evidence = {"source_checked": float(bool(source)), "source_credit": float(bool(_SOURCE_CREDIT.search(source)))}
    covered: list[tuple[int, int]] = []
    segments = ctx.content_segments
    # The rules that may match anywhere in the article, each found by one search of all
    # its segments at once: nearly every article has none.
    joined = "\n".join(ctx.normalized_segment(seg).text for seg in segments)
    rules = [r for r in rules if not _local(r) or r.quick.search(joined) is not None]
    for seg in segments if rules else ():
        norm = ctx.normalized_segment(seg)
        for rule in rules:
            for m in rule.finditer(norm.text):  # (a quick test first: nearly no segment has one)
                s, e = norm.to_original(m.start(), m.end())
                covered.append((seg.start + s, seg.start + e))
                features = {
                    **evidence,
                    "credit": float(rule.id.startswith("credit-")),
                    "agentive": 0.0,
                    "log_agentive": 0.0,
                    "line_start": float(not seg.text[: m.start()].strip(" (")),
                }
                p = ctx.fitted_confidence("calque", features, seg.start + s, seg.start + e)
                yield ctx.finding(
                    seg.start + s,
                    seg.start + e,
                    f"{rule.explanation} ({rule.id})",
                    suggestion=rule.suggestion,
                    confidence=p,
                    severity=capped(rule.severity, p),
                )
    agentive = []
    for seg in segments:
        norm = ctx.normalized_segment(seg)
        if _AGENT not in norm.text:
            continue  # (the pattern's look-behind is tried at every position: the words first)
        for m in _AGENTIVE.finditer(norm.text):
            s, e = norm.to_original(m.start(), m.end())
            start, end = seg.start + s, seg.start + e
            if not any(cs <= start < ce for cs, ce in covered):
                agentive.append((start, end))
    if len(agentive) >= _HEAVY_PASSIVE:
        for start, end in agentive:
            features = {**evidence, "credit": 0.0, "agentive": 1.0, "log_agentive": math.log(len(agentive)), "line_start": 0.0}
            p = ctx.fitted_confidence("calque", features, start, end)
            yield ctx.finding(
                start,
                end,
                f"Passive with “من قبل” (English “by”), {len(agentive)} times in this article: "
                "make the agent the subject (زار مسؤول كبير … rather than زيارة من قبل مسؤول كبير).",
                confidence=p,
                severity=Severity.MINOR,
            )
