"""Turn an audited article into aligned scoring units (source, target, reference).

- Records that carry their own source or reference (JSONL/CSV per segment) are units as
  they are.
- A whole article with a source is aligned sentence by sentence with it: by position
  where paragraphs and their sentence counts agree, else with :func:`align_sentences`
  over sentence embeddings, which finds 1:2 and 2:1 splits and unmatched sentences.
- A whole reference is aligned with the target the same way, and each unit gets the
  reference sentences aligned with its target sentences.

Unmatched sentences are not hidden: a source sentence with no counterpart becomes a unit
with an empty target (a likely omission) and a finding; a target sentence with none
becomes a unit without source.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from ..text.alignment import AlignedGroup, align_sentences, english_sentences
from ..text.segment import paragraphs, split_sentences
from ..types import ArticleResult, Segment, SegmentKind
from . import ScoringUnit
from .adequacy import Embedder, group_vector

if TYPE_CHECKING:
    from .embedding_store import EmbeddingStore

def _sentences(text: str, english: bool) -> list[list[str]]:
    """Sentences of ``text`` grouped by paragraph."""
    if english:
        spans = english_sentences(text)
        by_para: list[list[str]] = []
        para_spans = paragraphs(text)
        k = 0
        for ps, pe in para_spans:
            group = []
            while k < len(spans) and spans[k][0] < pe:
                group.append(text[spans[k][0] : spans[k][1]])
                k += 1
            by_para.append(group)
        return by_para
    return [[text[ps + s : ps + e] for s, e in split_sentences(text[ps:pe])] for ps, pe in paragraphs(text)]


#: Arabic characters per English character in translation: FLORES-200 devtest, geometric
#: mean 0.874, standard deviation of the log ratio 0.15.
ARABIC_PER_ENGLISH = 0.874
#: A log length ratio within this slack (about two standard deviations) costs nothing;
#: beyond it, each unit of log ratio costs LENGTH_WEIGHT of similarity.
LENGTH_SLACK, LENGTH_WEIGHT = 0.3, 0.5
#: In a 1:2 or 2:1 group, each member's own normalised similarity to the other side must
#: reach this, or the group's similarity is scaled down.
MERGE_MEMBER_MIN = 0.3


class Aligner:
    """Aligns sentence lists with embeddings, loading the embedder only when needed."""

    def __init__(self, embedder: Embedder | None = None, always_embed: bool = False, store: "EmbeddingStore | None" = None) -> None:
        self._embedder = embedder
        self.always_embed = always_embed
        self.store = store  # for the embedder made when needed (mtaudit.scorers.embedding_store)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(store=self.store)
        return self._embedder

    def align(self, left: list[list[str]], right: list[list[str]], length_ratio: float = 1.0) -> list[AlignedGroup]:
        """Align two sentence lists grouped by paragraph; group indices are into the
        flattened lists.

        When both sides have the same number of paragraphs, paragraphs pair by position
        and only a paragraph whose sentence counts differ is aligned with embeddings (its
        sentences pair by position otherwise), which keeps batch audits fast: MT output
        mostly keeps the source's paragraphs and sentences. Otherwise, or with
        ``always_embed``, the whole article is aligned with embeddings."""
        flat_l = [s for p in left for s in p]
        flat_r = [s for p in right for s in p]
        if self.always_embed or len(left) != len(right):
            return self._align_flat(flat_l, flat_r, length_ratio)
        groups: list[AlignedGroup] = []
        base_l = base_r = 0
        for para_l, para_r in zip(left, right):
            if len(para_l) == len(para_r):
                local = [AlignedGroup((k,), (k,), 1.0) for k in range(len(para_l))]
            else:
                local = self._align_flat(para_l, para_r, length_ratio)
            groups.extend(
                AlignedGroup(tuple(base_l + i for i in g.source), tuple(base_r + j for j in g.target), g.similarity)
                for g in local
            )
            base_l += len(para_l)
            base_r += len(para_r)
        return groups

    def _align_flat(self, left: list[str], right: list[str], length_ratio: float = 1.0) -> list[AlignedGroup]:
        if not left or not right:
            return [AlignedGroup((i,), ()) for i in range(len(left))] + [AlignedGroup((), (j,)) for j in range(len(right))]
        import numpy as np

        lv = self.embedder.embed(left)
        rv = self.embedder.embed(right)
        raw = lv @ rv.T
        # Unrelated sentences of one article: the median of all pairs, the typical value.
        null = float(np.median(raw)) if raw.size > 4 else 0.75
        top = max(float(raw.max()), null + 0.05)
        single = np.clip((raw - null) / (top - null), 0.0, 1.0)
        llen = np.array([max(1, len(t)) for t in left], dtype=float)
        rlen = np.array([max(1, len(t)) for t in right], dtype=float)

        def similarity(si: tuple[int, ...], ti: tuple[int, ...]) -> float:
            cos = float(group_vector(lv[list(si)]) @ group_vector(rv[list(ti)]))
            sim = max(0.0, min(1.0, (cos - null) / (top - null)))
            if len(si) > 1 or len(ti) > 1:
                # A sum of embeddings is dominated by its closest member, so a merge
                # could swallow an unrelated (omitted or added) sentence: every member
                # must relate to the other side on its own.
                weakest = min(
                    min(max(single[i, j] for j in ti) for i in si),
                    min(max(single[i, j] for i in si) for j in ti),
                )
                sim *= min(1.0, weakest / MERGE_MEMBER_MIN)
            # Lengths agree in a translation (Gale & Church): penalise a group whose
            # length ratio is far from the language pair's usual one.
            ratio = np.log(rlen[list(ti)].sum() / llen[list(si)].sum() / length_ratio)
            return sim - LENGTH_WEIGHT * max(0.0, abs(ratio) - LENGTH_SLACK)

        return align_sentences(similarity, len(left), len(right))


def build_units(result: ArticleResult, aligner: Aligner) -> tuple[list[ScoringUnit], dict[str, str]]:
    """Scoring units of one article (a source sentence no target sentence matches gets a
    unit of its own with an empty target, see :func:`is_unmatched_source`), and each target
    segment's alignment kind ("1:1", "2:1", "0:1" …) for segments.csv."""
    art = result.article
    content = [s for s in result.segments if s.kind is not SegmentKind.BOILERPLATE]
    if art.record_spans and (any(art.record_sources) or any(art.record_references)):
        by_id = {s.segment_id: s for s in content}
        units = []
        for (rid, s, e), src, ref in zip(
            art.record_spans,
            art.record_sources or [None] * len(art.record_spans),
            art.record_references or [None] * len(art.record_spans),
        ):
            if rid in by_id:
                units.append(ScoringUnit(art.id, rid, s, e, art.text[s:e], src or None, ref or None))
        return units, {u.segment_id: "record" for u in units}
    if not content or not (art.source or art.reference):
        return [], {}

    target_paras = [list(g) for _, g in groupby(content, key=lambda s: s.paragraph)]
    target_texts = [[s.text for s in p] for p in target_paras]
    flat_targets: list[Segment] = [s for p in target_paras for s in p]

    # target index -> reference sentences
    ref_for: dict[int, list[str]] = {}
    if art.reference:
        ref_paras = _sentences(art.reference, english=False)
        flat_refs = [s for p in ref_paras for s in p]
        for group in aligner.align(target_texts, ref_paras):
            for t in group.source:
                ref_for.setdefault(t, []).extend(flat_refs[r] for r in group.target)

    units: list[ScoringUnit] = []
    kinds: dict[str, str] = {}
    if art.source:
        source_paras = _sentences(art.source, english=True)
        last_end = content[0].start
        flat_sources = [s for p in source_paras for s in p]
        for group in aligner.align(source_paras, target_texts, ARABIC_PER_ENGLISH):
            segs = [flat_targets[t] for t in group.target]
            source = " ".join(flat_sources[i] for i in group.source) or None
            if segs:
                unit = _unit(art, segs, source, _refs(ref_for, list(group.target)))
                last_end = unit.end
                for s in segs:
                    kinds[s.segment_id] = group.kind
            else:
                unit = ScoringUnit(art.id, f"{SOURCE_ONLY}{last_end}", last_end, last_end, "", source, None)
            units.append(unit)
    else:  # a reference but no source
        for k, seg in enumerate(flat_targets):
            units.append(_unit(art, [seg], None, _refs(ref_for, [k])))
            kinds[seg.segment_id] = "1:1" if ref_for.get(k) else "0:1"
    return units, kinds


def _refs(ref_for: dict[int, list[str]], t_indices: list[int]) -> str | None:
    refs = [r for t in t_indices for r in ref_for.get(t, [])]
    return " ".join(dict.fromkeys(refs)) or None


def _unit(art, segs: list[Segment], source: str | None, reference: str | None) -> ScoringUnit:
    start, end = segs[0].start, segs[-1].end
    seg_id = "+".join(s.segment_id for s in segs)
    return ScoringUnit(art.id, seg_id, start, end, art.text[start:end], source, reference)


#: The segment id of a unit made for a source sentence that no target sentence matches
#: (``source-only@OFFSET``: where in the target it would have been).
SOURCE_ONLY = "source-only@"


def is_unmatched_source(unit: ScoringUnit) -> bool:
    """A unit for a source sentence the alignment matched to no target sentence."""
    return unit.segment_id.startswith(SOURCE_ONLY) and not unit.target and bool(unit.source)
