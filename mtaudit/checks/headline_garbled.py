"""A headline scrambled by MT: several independent artifacts in a few words."""

from __future__ import annotations

from ..text.oddness import odd_spans
from ..text.segment import paragraphs
from ..types import SegmentKind, Severity
from . import CheckContext, capped, check

#: Checks whose findings show a mistranslated or garbled word (punctuation and quote
#: marks are not evidence of word salad).
_EVIDENCE = {
    "name-garbled", "english-in-arabic", "wrong-sense", "possessive-order", "agreement",
    "repeated-word", "latin-leftover", "calque", "dateline", "name-source",
}
#: Signals needed, and how many of them must be of different kinds.
MIN_SIGNALS, MIN_KINDS = 3, 2


@check(
    "headline-garbled",
    severity=Severity.MAJOR,
    category="fluency",
    version="1",
    scope="article",
    after_checks=True,
)
def headline_garbled(ctx: CheckContext):
    """Garbled headline: the headline carries several independent MT artifacts.

    A headline is short, so MT that scrambles it (English word order, garbled names,
    English words in Arabic letters, wrong senses) leaves several artifacts in a dozen
    words: "يلتقي بوتين روسيا في سوريا وزير الخارجية في موسكو ، شارايا دعت إلى قمة روسيا أراب".
    Fixing each word does not give a headline; it must be rewritten. The signals counted
    are the other checks' findings in the headline (not punctuation or quote marks) and
    its odd words (words no form of Arabic usage knows, see mtaudit.text.oddness) that no
    finding already covers. Reported when there are at least three signals of at least
    two kinds; with a source, its headline is quoted so it can be translated afresh.
    This check runs after every other check of the article and reads their findings.

    The confidence is a fitted probability (references/calibration.tsv, model
    headline-garbled, scripts/fit_check_confidence.py: headlines given three artifacts
    against clean headlines) over the signals: how many, of how many kinds, odd words,
    major findings among them, signals per word, a source. Below 0.5 it is not major.
    """
    findings = ctx.findings
    result_segments = ctx.segments
    heads = [s for s in result_segments if s.kind is SegmentKind.HEADLINE]
    if not heads:
        return
    head = heads[0]
    covered = [f for f in findings if f.check in _EVIDENCE and head.start <= f.start and f.end <= head.end]
    signals = [(f.check, f.start, f.end) for f in covered]
    for s, e in odd_spans(head.text):
        s, e = head.start + s, head.start + e
        if not any(f.start < e and s < f.end for f in covered):
            signals.append(("odd-word", s, e))
    kinds = {k for k, _, _ in signals}
    if len(signals) < MIN_SIGNALS or len(kinds) < MIN_KINDS:
        return
    article = ctx.article
    features = {
        "signals": float(len(signals)),
        "kinds": float(len(kinds)),
        "odd_words": float(sum(1 for k, _, _ in signals if k == "odd-word")),
        "major_findings": float(sum(1 for f in covered if f.severity.rank >= Severity.MAJOR.rank)),
        "per_word": len(signals) / max(len(head.text.split()), 1),
        "source_checked": float(bool(article.source or article.record_sources)),
    }
    p = ctx.fitted_confidence("headline-garbled", features, head.start, head.end)
    words = [article.text[s:e] for _, s, e in sorted(signals, key=lambda x: x[1])]
    source_head = ""
    if article.source:
        spans = paragraphs(article.source)
        if spans:
            source_head = article.source[spans[0][0] : spans[0][1]]
    yield ctx.finding(
        head.start,
        head.end,
        f"The headline is garbled: {len(signals)} MT artifacts in {len(head.text.split())} words "
        f"({', '.join(sorted(kinds))}: {'، '.join(words)}). Rewrite it"
        + (f" from the source headline: «{source_head}»." if source_head else " from the source."),
        confidence=p,
        severity=capped(Severity.MAJOR, p),
    )
