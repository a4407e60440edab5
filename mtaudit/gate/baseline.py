"""Baselines: the findings a delivery already had, so that the gate fails only on new ones.

``mtaudit baseline create`` writes every current finding's fingerprint (mtaudit.gate.fingerprint)
with its check, article, text and severity to a JSON file; ``--baseline FILE`` then marks
each finding ``unchanged`` (in the baseline) or ``new``, the finding rules of the gate
(``fail-on``, ``max-findings``) count only new ones, and the baseline's findings that are no
longer found are reported as fixed. Quality scores still count every finding.

File: ``{"version": 1, "mtaudit": "0.1.0", "created": "2026-12-02", "findings":
[{"fingerprint", "check", "article_id", "text", "severity"}, ...]}``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from .. import __version__
from ..types import AuditResult

FORMAT_VERSION = 1
_FIELDS = ("fingerprint", "check", "article_id", "text", "severity")


class BaselineError(ValueError):
    """A baseline file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    check: str
    article_id: str
    text: str
    severity: str


def entries_of(result: AuditResult) -> list[BaselineEntry]:
    """Every finding of ``result`` (fingerprinted) as a baseline entry."""
    return [
        BaselineEntry(art.fingerprints[f], f.check, f.article_id, f.text, f.severity.value)
        for art in result.articles
        for f in art.findings
    ]


def dumps(entries: list[BaselineEntry]) -> str:
    return json.dumps(
        {"version": FORMAT_VERSION, "mtaudit": __version__, "created": date.today().isoformat(),
         "findings": [asdict(e) for e in entries]},
        ensure_ascii=False, indent=1,
    )


def load(path: Path) -> dict[str, BaselineEntry]:
    """fingerprint → entry."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"baseline {path}: expected an object with a 'findings' list (mtaudit baseline create writes one)")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"baseline {path}: unsupported version {data.get('version')!r}")
    out = {}
    for i, item in enumerate(data["findings"], 1):
        if not isinstance(item, dict) or not item.get("fingerprint"):
            raise BaselineError(f"baseline {path}: finding {i} has no fingerprint")
        out[item["fingerprint"]] = BaselineEntry(**{k: str(item.get(k, "")) for k in _FIELDS})
    return out


def apply(result: AuditResult, baseline: dict[str, BaselineEntry]) -> tuple[int, int]:
    """Mark every finding new or unchanged and record the fixed entries in
    ``result.fixed``. Returns (new, fixed)."""
    seen: set[str] = set()
    new = 0
    for art in result.articles:
        state = {}
        for f in art.findings:
            fp = art.fingerprints[f]
            if fp in baseline:
                state[fp] = "unchanged"
                seen.add(fp)
            else:
                state[fp] = "new"
                new += 1
        # Findings the editor suppressed are not "fixed" either.
        for s in art.suppressed:
            seen.add(s.fingerprint)
        art.baseline_state = state
    result.fixed = [e for fp, e in baseline.items() if fp not in seen]
    return new, len(result.fixed)
