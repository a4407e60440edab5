"""Reference-based segment and corpus scores with sacrebleu: chrF2, chrF2++, BLEU, TER.

Scores are sacrebleu's own, computed by sacrebleu's metric classes with their default
settings, so a corpus score here is numerically what `sacrebleu -m bleu chrf ter` prints,
and each comes with sacrebleu's signature. Segment scores use sacrebleu's sentence-level
scoring (BLEU with effective order, as sacrebleu recommends for sentences).

What is a segment: when the input gives one record per segment with its own reference
(JSONL/CSV), each record; otherwise the whole article (its headline and body, without
boilerplate) against its reference. Sentence alignment of whole articles comes later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..types import Article, Segment, SegmentKind

#: Column names in segments.csv/articles.csv, in order.
SCORE_NAMES = ("chrf2", "chrf2pp", "bleu", "ter")


def _metrics() -> dict[str, object]:
    # sacrebleu is imported when something is scored: an audit without references never needs it.
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"chrf2": CHRF(), "chrf2pp": CHRF(word_order=2), "bleu": BLEU(), "ter": TER()}


@lru_cache(maxsize=1)
def _sentence_metrics() -> dict[str, object]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"chrf2": CHRF(), "chrf2pp": CHRF(word_order=2), "bleu": BLEU(effective_order=True), "ter": TER()}


@dataclass(frozen=True)
class ScoredPair:
    """One hypothesis/reference pair: a record-segment or a whole article."""

    article_id: str
    segment_id: str  # "" for a whole article
    hypothesis: str
    reference: str
    scores: dict[str, float] = field(default_factory=dict)


def reference_pairs(article: Article, segments: list[Segment]) -> list[tuple[str, str, str]]:
    """(segment id, hypothesis, reference) for the article: per record when records have
    their own references, else the article's content against its reference."""
    if article.record_spans and any(article.record_references):
        return [
            (rid, article.text[s:e], ref)
            for (rid, s, e), ref in zip(article.record_spans, article.record_references)
            if ref is not None
        ]
    if article.reference:
        content = "\n".join(s.text for s in segments if s.kind is not SegmentKind.BOILERPLATE)
        return [("", content, article.reference)]
    return []


def sentence_scores(hypothesis: str, reference: str) -> dict[str, float]:
    """sacrebleu sentence scores of one pair (chrF on 0-100, like BLEU and TER)."""
    return {name: round(m.sentence_score(hypothesis, [reference]).score, 4) for name, m in _sentence_metrics().items()}


@dataclass(frozen=True)
class CorpusScore:
    name: str
    score: float
    signature: str
    text: str  # sacrebleu's full line (BLEU's n-gram precisions and brevity penalty)


def corpus_scores(hypotheses: list[str], references: list[str]) -> list[CorpusScore]:
    """Corpus-level scores of aligned hypotheses and references, with sacrebleu's signatures."""
    out = []
    for name, metric in _metrics().items():
        result = metric.corpus_score(hypotheses, [references])
        signature = str(metric.get_signature())
        out.append(CorpusScore(name, round(result.score, 4), signature, result.format(signature=signature)))
    return out
