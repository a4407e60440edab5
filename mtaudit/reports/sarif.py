"""SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), for code scanning.

One run, tool ``mtaudit`` with one rule per registered check (id, title, documentation,
default level from the check's severity, category and version as properties). Each
finding is a result:

- ``level``: critical and major → ``error``, minor → ``warning``, info → ``note``;
- ``locations``: the input file (a URI relative to the working directory when it lies
  under it) with a region: for a ``.txt`` article ``startLine``/``startColumn``/``endLine``/
  ``endColumn`` and ``charOffset``/``charLength`` (columns and offsets count Unicode code
  points, ``columnKind: unicodeCodePoints``; offsets start after a BOM); for a record of a
  JSONL/CSV/XLIFF file the record's ``startLine`` and a logical location naming the
  article and segment, with the offsets into the record's target in ``properties``;
- ``partialFingerprints``: ``mtaudit/v1`` is mtaudit.gate.fingerprint's fingerprint, stable
  under edits elsewhere in the article (GitHub uses it to track an alert across commits);
- ``suppressions``: a suppressed finding (``--suppressions``) is a result with an
  ``external``, ``accepted`` suppression carrying the reason and author;
- ``baselineState`` with ``--baseline``: ``new`` or ``unchanged``, and the baseline's
  fixed findings as ``absent`` results;
- ``fixes``: the suggestion as a replacement of the span (``.txt`` articles only).

GitHub code scanning accepts at most 25,000 results per run (and shows the 5,000 most
severe). Beyond :data:`MAX_RESULTS`, the worst results are kept (severity, then
confidence), the run's ``properties`` say how many were left out, and a
``toolExecutionNotification`` warns; findings.csv and findings.json still have them all.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..checks import load_all
from ..gate.policy import penalty
from ..gate.verdict import EXIT_INCOMPLETE, EXIT_INPUT, GatePolicy, evaluate
from ..types import AuditResult, Finding, Severity
from .locations import locate

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "mtaudit/v1"
LEVELS = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning", Severity.INFO: "note"}


def _uri(origin: str) -> str:
    """A relative URI for a file under the working directory, else a file:// URI."""
    if not origin:
        return "unknown"
    path = Path(origin)
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return rel.as_posix()
    except (ValueError, OSError):
        return path.resolve().as_uri() if path.is_absolute() or path.exists() else path.as_posix()


def _rules(extra_specs=()) -> tuple[list[dict], dict[str, int]]:
    """Rule metadata of every registered check, and of ``extra_specs`` (user rules)."""
    rules, index = [], {}
    specs = {**load_all(), **{spec.id: spec for spec in extra_specs}}
    for i, spec in enumerate(specs.values()):
        index[spec.id] = i
        doc = spec.doc
        rules.append({
            "id": spec.id,
            "name": "".join(p.capitalize() for p in spec.id.split("-")),
            "shortDescription": {"text": spec.title},
            "fullDescription": {"text": doc.split("\n\n")[0].replace("\n", " ")},
            "help": {"text": doc, "markdown": doc},
            "defaultConfiguration": {"level": LEVELS[spec.severity]},
            "properties": {
                "category": spec.category, "version": spec.version, "scope": spec.scope,
                "requiresSource": spec.requires_source, "tags": ["translation", spec.category],
                "problem.severity": {"critical": "error", "major": "error", "minor": "warning", "info": "recommendation"}[spec.severity.value],
            },
        })
    return rules, index


def _result(art, f: Finding, policy: GatePolicy, index: dict[str, int], fp: str, baselined: bool = False) -> dict:
    loc = locate(art.article, f)
    physical: dict = {"artifactLocation": {"uri": _uri(loc.file)}}
    region: dict = {}
    if loc.in_file:
        region = {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column,
                  "charOffset": loc.char_offset, "charLength": loc.char_length,
                  "snippet": {"text": f.text}}
    elif loc.line:
        region = {"startLine": loc.line}
    if region:
        physical["region"] = region
    text = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
    result: dict = {
        "ruleId": f.check,
        "level": LEVELS[f.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"name": f.segment_id or f.article_id, "fullyQualifiedName": f"{f.article_id}/{f.segment_id}".rstrip("/"), "kind": "member"}],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
        "properties": {
            "severity": f.severity.value, "category": f.category, "confidence": f.confidence,
            "penalty": penalty(f, policy), "article_id": f.article_id, "segment_id": f.segment_id,
            "start": f.start, "end": f.end, "text": f.text, "suggestion": f.suggestion,
            **({"record_id": loc.record_id, "recordOffset": loc.char_offset} if loc.record_id else {}),
        },
    }
    if f.check in index:
        result["ruleIndex"] = index[f.check]
    if baselined:
        result["baselineState"] = art.baseline_state.get(fp, "new")
    if f.suggestion and loc.in_file and f.suggestion != f.text:
        result["fixes"] = [{
            "description": {"text": f"Replace with: {f.suggestion}"},
            "artifactChanges": [{
                "artifactLocation": {"uri": _uri(loc.file)},
                "replacements": [{"deletedRegion": {"charOffset": loc.char_offset, "charLength": loc.char_length},
                                  "insertedContent": {"text": f.suggestion}}],
            }],
        }]
    return result


def to_sarif(result: AuditResult, policy: GatePolicy, max_results: int = MAX_RESULTS, extra_specs=()) -> dict:
    """The SARIF log of ``result`` as a JSON-ready dict (``extra_specs``: the run's user
    rules, mtaudit.knowledge.user_rules, whose metadata joins the registry's)."""
    rules, index = _rules(extra_specs)
    entries: list[tuple[tuple, dict]] = []
    baselined = bool(result.fixed) or any(a.baseline_state for a in result.articles)
    for art in result.articles:
        for f in art.findings:
            entries.append(((-f.severity.rank, -f.confidence), _result(art, f, policy, index, art.fingerprints.get(f, ""), baselined)))
        for s in art.suppressed:
            r = _result(art, s.finding, policy, index, s.fingerprint, baselined)
            r["suppressions"] = [{
                "kind": "external", "status": "accepted", "justification": s.reason,
                "properties": {"author": s.author, "date": s.date},
            }]
            entries.append(((-s.finding.severity.rank, -s.finding.confidence), r))
    for e in result.fixed:
        entries.append(((1, 0), {
            "ruleId": e.check, **({"ruleIndex": index[e.check]} if e.check in index else {}),
            "level": "none", "baselineState": "absent",
            "message": {"text": f"Fixed since the baseline: “{e.text}” in {e.article_id}."},
            "partialFingerprints": {FINGERPRINT_KEY: e.fingerprint},
            "properties": {"article_id": e.article_id, "text": e.text, "severity": e.severity},
        }))
    omitted = max(0, len(entries) - max_results)
    if omitted:
        entries.sort(key=lambda e: e[0])  # stable: worst first, input order within a severity
    results = [r for _, r in entries[:max_results]]
    verdict = evaluate(result, policy)
    notifications = []
    if omitted:
        notifications.append({
            "level": "warning",
            "message": {"text": f"{omitted} of {len(entries)} results left out: SARIF consumers such as GitHub code "
                                f"scanning accept at most {max_results} per run; the most severe are kept. "
                                f"findings.csv and findings.json have every finding."},
        })
    for problem in result.skipped:
        notifications.append({"level": "warning" if problem.label == "warning" else "error", "message": {"text": problem.message}})
    for c in result.crashes:
        notifications.append({"level": "error", "message": {"text": f"check {c.check} crashed on {c.article_id} {c.segment_id}: {c.error}"}})
    invocation = {
        "executionSuccessful": verdict.exit_code not in (EXIT_INPUT, EXIT_INCOMPLETE),
        "exitCode": verdict.exit_code,
        "exitCodeDescription": verdict.line(),
        "workingDirectory": {"uri": Path.cwd().resolve().as_uri() + "/"},
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mtaudit", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "verdict": verdict.status, "failedRules": verdict.rules,
                "resultsTotal": len(entries), "resultsOmitted": omitted,
                "signature": {k: v for k, v in result.signature.items() if isinstance(v, (str, int, float, dict))},
            },
        }],
    }

