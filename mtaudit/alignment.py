"""Which part of the English source goes with which target segments.

A first, structural alignment (issue 5 brings sentence alignment): per record when the
input gives each segment its own source; per paragraph when source and target have the
same number of paragraphs (a 1:1 translation); otherwise the whole article against the
whole source.
"""

from __future__ import annotations

from itertools import groupby

from .segment import paragraphs
from .types import Article, Segment


def source_units(article: Article, content: list[Segment]) -> list[tuple[str, list[Segment]]]:
    """(source text, target segments) units to compare; ``content`` excludes boilerplate."""
    if article.record_sources:
        by_id = {s.segment_id: s for s in content}
        return [
            (src, [by_id[rid]])
            for (rid, _, _), src in zip(article.record_spans, article.record_sources)
            if src and rid in by_id
        ]
    source = article.source or ""
    src_paras = [source[s:e] for s, e in paragraphs(source)]
    tgt_paras = [list(g) for _, g in groupby(content, key=lambda s: s.paragraph)]
    if len(src_paras) == len(tgt_paras):
        return list(zip(src_paras, tgt_paras))
    return [(source, content)]
