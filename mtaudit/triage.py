"""Fingerprint every finding of a result once, before suppressions and baselines use them."""

from __future__ import annotations

from .fingerprint import fingerprints
from .types import AuditResult


def fingerprint_all(result: AuditResult) -> None:
    """Fill ``ArticleResult.fingerprints`` for every article (idempotent)."""
    for art in result.articles:
        if len(art.fingerprints) >= len(art.findings) and all(f in art.fingerprints for f in art.findings):
            continue
        art.fingerprints = dict(zip(art.findings, fingerprints(art.findings, art.article.text)))
