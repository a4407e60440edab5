"""Suppression files: findings an editor marked "not an error", with a reason and an author.

A suppression names a finding by its fingerprint (mtaudit.gate.fingerprint, the one recipe shared
with baselines, SARIF and the HTML review desk); ``check``, ``article_id`` and ``text`` are
kept so that a person can read the file and so that a stale entry can be reported. A
suppressed finding is never dropped silently: it leaves the gate but is listed in every
report as suppressed, with the reason and the author.

File formats (both written by the HTML review desk's "not an error" export and by hand):

- **JSON**: ``{"version": 1, "suppressions": [{...}, ...]}`` or a bare list of objects.
- **CSV** (UTF-8, a BOM is fine): a header row with the same column names.

Columns: ``fingerprint`` (required, 16 hex digits), ``check``, ``article_id``, ``text``,
``reason`` (required: why it is not an error), ``author``, ``date`` (ISO 8601 ``YYYY-MM-DD``
or a full timestamp). Unknown columns are an error, so a typo never turns a suppression off.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Iterable

#: The file's columns, in order (the CSV header).
COLUMNS = ("fingerprint", "check", "article_id", "text", "reason", "author", "date")
REQUIRED = ("fingerprint", "reason")
FORMAT_VERSION = 1
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")


class SuppressionError(ValueError):
    """A suppression file that cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Suppression:
    fingerprint: str
    reason: str
    check: str = ""
    article_id: str = ""
    text: str = ""
    author: str = ""
    date: str = ""

    def as_row(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass
class SuppressionSet:
    """Suppressions by fingerprint; ``used`` records which ones matched a finding."""

    entries: dict[str, Suppression] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def match(self, fp: str) -> Suppression | None:
        entry = self.entries.get(fp)
        if entry is not None:
            self.used.add(fp)
        return entry

    def unused(self) -> list[Suppression]:
        """Entries that matched nothing: the finding was fixed, or its context changed."""
        return [e for fp, e in self.entries.items() if fp not in self.used]

    def __len__(self) -> int:
        return len(self.entries)


def _validate(raw: dict, where: str) -> Suppression:
    if not isinstance(raw, dict):
        raise SuppressionError(f"{where}: expected an object with {', '.join(COLUMNS)}")
    unknown = sorted(set(raw) - set(COLUMNS))
    if unknown:
        raise SuppressionError(f"{where}: unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    values = {k: ("" if raw.get(k) is None else str(raw.get(k))).strip() for k in COLUMNS}
    for key in REQUIRED:
        if not values[key]:
            raise SuppressionError(f"{where}: {key!r} is required")
    values["fingerprint"] = values["fingerprint"].lower()
    if not _FINGERPRINT.match(values["fingerprint"]):
        raise SuppressionError(f"{where}: fingerprint {values['fingerprint']!r} is not 16 hex digits")
    if values["date"] and not _DATE.match(values["date"]):
        raise SuppressionError(f"{where}: date {values['date']!r} is not ISO 8601 (YYYY-MM-DD)")
    return Suppression(**values)


def parse(text: str, name: str = "suppressions") -> list[Suppression]:
    """Suppressions from a JSON or CSV text (JSON when it starts with ``{`` or ``[``)."""
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise SuppressionError(f"{name}: not valid JSON: {exc}") from None
        if isinstance(data, dict):
            extra = sorted(set(data) - {"version", "suppressions"})
            if extra:
                raise SuppressionError(f"{name}: unknown key(s) {', '.join(extra)}")
            if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
                raise SuppressionError(f"{name}: unsupported version {data.get('version')!r}")
            data = data.get("suppressions", [])
        if not isinstance(data, list):
            raise SuppressionError(f"{name}: 'suppressions' must be a list")
        return [_validate(item, f"{name}: entry {i + 1}") for i, item in enumerate(data)]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return []
    unknown = sorted(set(reader.fieldnames) - set(COLUMNS))
    if unknown:
        raise SuppressionError(f"{name}: unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    return [_validate(row, f"{name}: line {i + 2}") for i, row in enumerate(reader)]


def load(path: Path) -> SuppressionSet:
    """Read a suppression file (JSON or CSV). Later entries for a fingerprint win."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuppressionError(f"cannot read suppression file {path}: {exc}") from None
    return SuppressionSet({s.fingerprint: s for s in parse(text, str(path))})


def dumps(entries: Iterable[Suppression], fmt: str = "json") -> str:
    """Serialise suppressions as ``json`` or ``csv``."""
    entries = list(entries)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(e.as_row() for e in entries)
        return buf.getvalue()
    return json.dumps({"version": FORMAT_VERSION, "suppressions": [asdict(e) for e in entries]}, ensure_ascii=False, indent=1)


def today() -> str:
    return _date.today().isoformat()


def apply(result, suppressions: SuppressionSet) -> int:
    """Move every finding of ``result`` (an AuditResult) whose fingerprint is suppressed to
    its article's ``suppressed`` list; returns how many were suppressed. Fingerprints must
    have been computed (mtaudit.gate.triage.fingerprint_all)."""
    from ..types import SuppressedFinding

    count = 0
    for art in result.articles:
        kept = []
        for f in art.findings:
            fp = art.fingerprints.get(f, "")
            entry = suppressions.match(fp) if fp else None
            if entry is None:
                kept.append(f)
                continue
            art.suppressed.append(SuppressedFinding(f, fp, entry.reason, entry.author, entry.date))
            count += 1
        art.findings[:] = kept
    result.unused_suppressions = suppressions.unused()
    return count


def from_findings(result, reason: str, author: str = "") -> list[Suppression]:
    """Suppressions for every current finding of ``result`` (e.g. to accept a delivery's
    known false positives in one go)."""
    out = []
    for art in result.articles:
        for f in art.findings:
            out.append(Suppression(art.fingerprints[f], reason, f.check, f.article_id, f.text, author, today()))
    return out
