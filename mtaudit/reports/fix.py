"""`mtaudit fix`: apply accepted suggestions to a copy of a delivery.

Which suggestions: those an editor accepted in the review desk (a decisions file exported
from report.html, matched by fingerprint, mtaudit.gate.fingerprint) and/or every suggestion at or
above a confidence. The corrected text is written to new files with a unified diff and a
list of what was applied or skipped; the input files are never opened for writing.

Two selected findings whose spans overlap cannot both be applied: the first in the text
(the more confident one when they start together) wins and the other is listed as skipped.
A finding without a suggestion (a garbled headline: "rewrite it") is never applied.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from ..gate.fingerprint import fingerprints
from ..types import ArticleResult, AuditResult, Finding

DECISIONS_KIND = "mtaudit-decisions"


class DecisionsError(ValueError):
    """A decisions file that cannot be read; the message names the file and the entry."""


def load_decisions(path: Path) -> dict[str, dict]:
    """{fingerprint: decision record} of a decisions file exported by the review desk:
    ``{"version": 1, "kind": "mtaudit-decisions", "decisions": [...]}`` or a bare list; each
    record has at least ``fingerprint`` and ``decision`` (accept, reject or note)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionsError(f"cannot read decisions file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DecisionsError(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict):
        if data.get("kind", DECISIONS_KIND) != DECISIONS_KIND or "decisions" not in data:
            raise DecisionsError(f"{path}: not a decisions file (expected kind {DECISIONS_KIND!r} with 'decisions')")
        data = data["decisions"]
    if not isinstance(data, list):
        raise DecisionsError(f"{path}: 'decisions' must be a list")
    out = {}
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict) or not rec.get("fingerprint") or not rec.get("decision"):
            raise DecisionsError(f"{path}: entry {i} needs 'fingerprint' and 'decision'")
        out[str(rec["fingerprint"]).lower()] = rec
    return out


@dataclass(frozen=True)
class Change:
    finding: Finding
    fingerprint: str
    #: "applied", "overlaps" (another selected change covers the span) or "no suggestion".
    status: str


@dataclass
class FixedArticle:
    result: ArticleResult
    text: str
    changes: list[Change]

    @property
    def applied(self) -> int:
        return sum(1 for c in self.changes if c.status == "applied")


def fix_article(result: ArticleResult, decisions: dict[str, dict], min_confidence: float | None) -> FixedArticle:
    """The article's text with its selected suggestions applied, and what was done."""
    text = result.article.text
    selected: list[tuple[Finding, str]] = []
    for f, fp in zip(result.findings, fingerprints(result.findings, text)):
        decision = decisions.get(fp, {}).get("decision")
        if decision == "reject":
            continue
        if decision == "accept" or (min_confidence is not None and f.confidence >= min_confidence):
            selected.append((f, fp))
    selected.sort(key=lambda p: (p[0].start, -p[0].confidence, p[0].end))
    changes, taken_until = [], -1
    for f, fp in selected:
        if not f.suggestion.strip():
            changes.append(Change(f, fp, "no suggestion"))
        elif f.start < taken_until:
            changes.append(Change(f, fp, "overlaps"))
        else:
            changes.append(Change(f, fp, "applied"))
            taken_until = max(f.end, f.start + 1)
    pieces, pos = [], 0
    for c in changes:
        if c.status == "applied":
            pieces.append(text[pos : c.finding.start])
            pieces.append(c.finding.suggestion)
            pos = c.finding.end
    pieces.append(text[pos:])
    return FixedArticle(result, "".join(pieces), changes)


def output_name(result: ArticleResult) -> str:
    """The corrected file's name: the input's own name for a .txt article, else ``<id>.txt``."""
    origin = Path(result.article.origin)
    if origin.suffix.lower() == ".txt" and origin.stem == result.article.id:
        return origin.name
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in result.article.id) or "article"
    return f"{safe}.txt"


def unified_diff(fixed: FixedArticle, name: str) -> str:
    before = fixed.result.article.text.splitlines(keepends=True)
    after = fixed.text.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", n=1)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def fix_result(result: AuditResult, decisions: dict[str, dict], min_confidence: float | None) -> list[FixedArticle]:
    return [fix_article(a, decisions, min_confidence) for a in result.articles]
