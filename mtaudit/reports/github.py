"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

Annotations point at the input file and the line and column of the finding's start
(mtaudit.reports.locations); the severity maps to the command GitHub shows as red (critical and
major: ``error``), yellow (minor: ``warning``) or blue (info: ``notice``). GitHub shows at
most 10 error and 10 warning annotations per step and 50 per job, so the findings are
emitted worst first, and a last ``::error`` (or ``::notice``) carries the verdict line.
Findings a baseline already had are left out (they are not news on a pull request).
"""

from __future__ import annotations

from ..gate.verdict import GatePolicy, Verdict, counted
from ..types import AuditResult, Severity
from .locations import locate

_COMMAND = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(result: AuditResult, policy: GatePolicy, verdict: Verdict) -> list[str]:
    rows = []
    for art in result.articles:
        for f in counted(art):
            loc = locate(art.article, f)
            props = [f"file={_escape_property(loc.file)}"] if loc.file else []
            if loc.line:
                props += [f"line={loc.line}", f"col={loc.column}", f"endLine={loc.end_line}", f"endColumn={loc.end_column}"]
            props.append(f"title={_escape_property(f'mtaudit {f.check} ({f.severity.value})')}")
            message = f"{f.message}" + (f" → {f.suggestion}" if f.suggestion else "") + f" [{f.article_id} {f.segment_id}]"
            rows.append((-f.severity.rank, f"::{_COMMAND[f.severity]} {','.join(props)}::{_escape_data(message)}"))
    rows.sort(key=lambda r: r[0])
    lines = [line for _, line in rows]
    level = "error" if verdict.exit_code else "notice"
    lines.append(f"::{level} title=mtaudit verdict::{_escape_data(verdict.line())}")
    return lines
