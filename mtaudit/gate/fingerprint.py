"""Stable fingerprints of findings, for baselines, suppressions and review decisions.

A fingerprint must name the same finding after the article is edited elsewhere, so it is
built only from what lies at the finding: the check, the article id, the span's text and a
few words of context on each side, all folded (hamza forms, tashkeel, tatweel, bidi marks
and spacing do not change it). Offsets are deliberately left out: inserting a paragraph
above a finding moves its offsets but not its fingerprint. Two findings with the same
check, span and context in one article are told apart by their order of occurrence.

This is the one definition shared by the gate's baselines and suppressions, SARIF's
``partialFingerprints`` and the HTML review desk's decisions file.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from ..text.normalize import fold
from ..types import Finding

#: Words of context taken on each side of the span.
CONTEXT_WORDS = 3
#: Version of the recipe; it is part of the fingerprint so that a change of recipe never
#: silently matches old baselines.
FINGERPRINT_VERSION = "1"

_SPACE = re.compile(r"\s+")


def _folded(text: str) -> str:
    return _SPACE.sub(" ", fold(text)).strip()


def context_key(finding: Finding, article_text: str) -> str:
    """The folded span with ``CONTEXT_WORDS`` words either side, as fingerprinted."""
    before = article_text[max(0, finding.start - 200) : finding.start].split()[-CONTEXT_WORDS:]
    after = article_text[finding.end : finding.end + 200].split()[:CONTEXT_WORDS]
    return "|".join((_folded(" ".join(before)), _folded(finding.text), _folded(" ".join(after))))


def fingerprint(finding: Finding, article_text: str, occurrence: int = 0) -> str:
    """A 16-hex-digit fingerprint of ``finding`` inside ``article_text``."""
    key = "\x1f".join(
        (FINGERPRINT_VERSION, finding.check, finding.article_id, context_key(finding, article_text), str(occurrence))
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def fingerprints(findings: Iterable[Finding], article_text: str) -> list[str]:
    """Fingerprints of one article's findings, in order, numbering identical ones."""
    seen: Counter[tuple[str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.check, context_key(finding, article_text))
        result.append(fingerprint(finding, article_text, seen[key]))
        seen[key] += 1
    return result
