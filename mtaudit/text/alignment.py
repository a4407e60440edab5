"""Which part of the English source goes with which target segments.

Two levels. The checks use a structural alignment (:func:`source_units`): per record when
the input gives each segment its own source; per paragraph when source and target have
the same number of paragraphs (a 1:1 translation); otherwise the whole article against
the whole source. The scoring stage aligns whole articles sentence by sentence
(:func:`align_sentences`, with 1:1, 1:2, 2:1 and unmatched sentences) so that segment
scores compare the right sentences and unmatched ones are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Callable

import regex

from ..types import Article, Segment
from .segment import paragraphs, split_sentences


def shared_source_units(article: Article, content: list[Segment]) -> list[tuple[str, list[Segment]]]:
    """:func:`source_units`, computed once per article inside the pipeline's article scope
    (mtaudit.run.memo) and shared by every check and analysis that asks; read-only."""
    from ..run.memo import memoized

    key = (article.id, article.text, article.source, tuple(article.record_sources or ()))
    return memoized("source-units", key, source_units, article, content)


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


# --- Sentence alignment --------------------------------------------------------------------
#
# A dynamic programme over the two sentence sequences (Gale & Church 1993; Thompson & Koehn
# 2019, "Vecalign") with the moves 1:1, 1:2, 2:1, 1:0 and 0:1. A group's cost is
# (1 - similarity) per pair of sentences it covers; leaving a sentence unmatched costs
# ``SKIP_COST``. Similarities come from the caller (sentence embeddings, see
# mtaudit.scorers.adequacy), normalised per article against the similarity of unrelated
# sentences, because multilingual embeddings score any two news sentences fairly high.

#: The moves the aligner may make: (source sentences, target sentences).
MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
#: Cost of leaving one sentence unmatched, in units of (1 - normalised similarity).
SKIP_COST = 0.55


@dataclass(frozen=True)
class AlignedGroup:
    """Source sentence indices aligned with target sentence indices; either may be empty
    (an unmatched sentence). ``similarity`` is the normalised similarity of the group
    (0 for an unmatched one)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    similarity: float = 0.0

    @property
    def kind(self) -> str:
        """"1:1", "1:2", "2:1", "1:0" (source only) or "0:1" (target only)."""
        return f"{len(self.source)}:{len(self.target)}"


def align_sentences(
    similarity: Callable[[tuple[int, ...], tuple[int, ...]], float], n_source: int, n_target: int
) -> list[AlignedGroup]:
    """The cheapest monotone alignment of ``n_source`` with ``n_target`` sentences.

    ``similarity(src_indices, tgt_indices)`` gives the normalised similarity (about 0 for
    unrelated text, about 1 for a good translation) of a candidate group of one or two
    sentences on each side.
    """
    inf = float("inf")
    cost = [[inf] * (n_target + 1) for _ in range(n_source + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (n_target + 1) for _ in range(n_source + 1)]
    cost[0][0] = 0.0
    for i in range(n_source + 1):
        for j in range(n_target + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for di, dj in MOVES:
                ni, nj = i + di, j + dj
                if ni > n_source or nj > n_target:
                    continue
                if di and dj:
                    sim = similarity(tuple(range(i, ni)), tuple(range(j, nj)))
                    step = (1.0 - sim) * (di + dj) / 2
                else:
                    sim = 0.0
                    step = SKIP_COST
                if here + step < cost[ni][nj]:
                    cost[ni][nj] = here + step
                    back[ni][nj] = (di, dj, sim)
    groups = []
    i, j = n_source, n_target
    while i or j:
        di, dj, sim = back[i][j]  # type: ignore[misc]
        groups.append(AlignedGroup(tuple(range(i - di, i)), tuple(range(j - dj, j)), round(sim, 4)))
        i, j = i - di, j - dj
    groups.reverse()
    return groups


def english_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of English text, paragraph by paragraph, not splitting after the
    abbreviations of wire copy (U.S., Mr., Gen., Jan., No.) or initials."""
    spans = []
    for ps, pe in paragraphs(text):
        para = text[ps:pe]
        pieces = split_sentences(para)
        merged: list[list[int]] = []
        for s, e in pieces:
            if merged and _ENDS_WITH_ABBREVIATION.search(para[merged[-1][0] : merged[-1][1]]):
                merged[-1][1] = e
            else:
                merged.append([s, e])
        spans.extend((ps + s, ps + e) for s, e in merged)
    return spans


# A sentence "ending" in an initial (J. or U.S.) or a title/month abbreviation did not end.
_ENDS_WITH_ABBREVIATION = regex.compile(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Pres|Prof|Rev|St|Sr|Jr|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|etc|Inc|Corp|Co|Ltd|approx)\.)$"
)
