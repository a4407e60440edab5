"""English constructions copied word for word: credit lines and the heavy agentive passive."""

from __future__ import annotations

import regex

from . import CheckContext, check
from ..types import Severity

_AGENTIVE = regex.compile(r"(?<!\p{L})من قبل(?=\s+[\p{L}])")  # "by X", not "before" (من قبل.)
_HEAVY_PASSIVE = 3  # agentive من قبل per article before it reads as translated English


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
    """
    rules = ctx.resources.calques
    covered: list[tuple[int, int]] = []
    for seg in ctx.content_segments:
        norm = ctx.normalized_segment(seg)
        for rule in rules:
            for m in rule.pattern.finditer(norm.text):
                s, e = norm.to_original(m.start(), m.end())
                covered.append((seg.start + s, seg.start + e))
                yield ctx.finding(
                    seg.start + s,
                    seg.start + e,
                    f"{rule.explanation} ({rule.id})",
                    suggestion=rule.suggestion,
                    confidence=0.9,
                    severity=rule.severity,
                )
    agentive = []
    for seg in ctx.content_segments:
        norm = ctx.normalized_segment(seg)
        for m in _AGENTIVE.finditer(norm.text):
            s, e = norm.to_original(m.start(), m.end())
            start, end = seg.start + s, seg.start + e
            if not any(cs <= start < ce for cs, ce in covered):
                agentive.append((start, end))
    if len(agentive) >= _HEAVY_PASSIVE:
        for start, end in agentive:
            yield ctx.finding(
                start,
                end,
                f"Passive with “من قبل” (English “by”), {len(agentive)} times in this article: "
                "make the agent the subject (زار مسؤول كبير … rather than زيارة من قبل مسؤول كبير).",
                confidence=0.5,
                severity=Severity.MINOR,
            )
