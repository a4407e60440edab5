"""Splitting an article into headline, body sentences and boilerplate, with offsets.

A text article has one paragraph per line. Paragraphs that are page furniture by a
boilerplate rule (references/boilerplate.tsv: menus, share bars, bylines, dates, comment
forms, "read also" teasers, related-article lists; a rule's pattern must cover the
paragraph or begin it, and the paragraph must be short) are kept as ``boilerplate`` segments so that nothing is
silently dropped, but no translation check runs on them. Latin-only lines before the first
Arabic paragraph are page chrome ("Connect with us") and are boilerplate too. The first
remaining paragraph is the headline when it looks like one (short, no closing full stop)
and more copy follows; body paragraphs are split into sentences at . ؟ ! ? ؛ … outside
quotations.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from ..knowledge.resources import Resources
from ..types import Article, Segment, SegmentKind
from .charclass import BmpTwin
from .normalize import fold, normalize
from .tokens import arabic_share

_TERMINAL = set(".؟!?؛…")
_CLOSERS = set("”»\"')]’›")
# Quotations and brackets inside which a sentence does not end.
_OPEN_QUOTES = {"“": "”", "«": "»", "(": ")", "[": "]"}
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_WORD_RUNS = BmpTwin(_WORDS.pattern, "[CLASS]+", {"CLASS": r"\p{L}\p{N}"})  # the same (mtaudit.text.charclass)
_HEADLINE_MAX_WORDS = 30
_CHROME_MAX_WORDS = 12  # a Latin-only line before the first Arabic paragraph, at most this long, is page chrome
#: A sentence longer than this (a scraped page with no punctuation, a 5 MB line) is cut
#: into pieces at word boundaries, so that no check ever sees an unbounded segment. News
#: sentences are far shorter: the longest in FLORES-200 and TICO-19 Arabic is under 1,000.
MAX_SENTENCE_CHARS = 2000
_SOFT_BREAKS = set("،,؛;:")


def paragraphs(text: str, base: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((base + pos + lead, base + pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph: after terminal punctuation (and any closing
    quotes) followed by a space, but not inside a quotation. A paragraph whose quotes never
    close is split ignoring quotes."""
    spans = _split(text, respect_quotes=True)
    if spans is None:
        spans = _split(text, respect_quotes=False)
    if any(e - s > MAX_SENTENCE_CHARS for s, e in spans):
        spans = [piece for s, e in spans for piece in bounded_pieces(text, s, e)]
    return spans


def bounded_pieces(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into pieces of at most ``limit`` characters: after the last
    comma or semicolon before the limit when there is one in its second half, otherwise at
    the last space, otherwise (one endless word) at the limit itself."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max((i + 1 for i, ch in enumerate(window) if ch in _SOFT_BREAKS and i >= limit // 2), default=0)
        if not cut:
            cut = window.rfind(" ") + 1 or limit
        piece_end = start + cut
        stripped_end = start + len(text[start:piece_end].rstrip())
        if stripped_end > start:
            pieces.append((start, stripped_end))
        start = piece_end
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


# The only characters _split acts on; the text between them is skipped at C speed.
_SPLIT_MARKS = regex.compile("[" + regex.escape("".join(sorted(_TERMINAL | set(_OPEN_QUOTES) | set(_OPEN_QUOTES.values()) | {'"'}))) + "]")


def _split(text: str, respect_quotes: bool) -> list[tuple[int, int]] | None:
    spans = []
    start = 0
    closing: list[str] = []
    straight_open = False
    i, n = 0, len(text)  # i: where reading resumes (after a sentence end and its spaces)
    for m in _SPLIT_MARKS.finditer(text):
        k = m.start()
        if k < i:
            continue  # inside the marks and spaces that ended the last sentence
        ch = text[k]
        if respect_quotes:
            if ch in _OPEN_QUOTES:
                closing.append(_OPEN_QUOTES[ch])
            elif closing and ch == closing[-1]:
                closing.pop()
            elif ch == '"':
                straight_open = not straight_open
        if ch in _TERMINAL and not closing and not straight_open:
            j = k + 1
            while j < n and (text[j] in _TERMINAL or text[j] in _CLOSERS):
                j += 1
            if j < n and text[j].isspace():
                spans.append((start, j))
                while j < n and text[j].isspace():
                    j += 1
                start = j
                i = j
    if respect_quotes and (closing or straight_open):
        return None
    if start < n:
        end = len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def _word_count(text: str, cap: int) -> int:
    """The words of ``text``, counted up to ``cap`` (a longer text gives ``cap``)."""
    if _at_least(cap)(text).match(text) is not None:
        return cap  # one C-speed match tells a long paragraph (most of them) from a short one
    return len(_WORD_RUNS(text).findall(text))


@lru_cache(maxsize=8)
def _at_least(n: int) -> BmpTwin:
    """A pattern that matches at the start of a text with at least ``n`` words (as
    :data:`_WORDS` counts them). Possessive, so a shorter text fails without backtracking."""
    return BmpTwin(
        r"(?:[^\p{L}\p{N}]*+[\p{L}\p{N}]++){%d}" % n, r"(?:[^CLASS]*+[CLASS]++){%d}" % n, {"CLASS": r"\p{L}\p{N}"}
    )


def classify_boilerplate(paras: list[str], resources: Resources) -> list[str]:
    """For each paragraph, the id of the boilerplate rule that covers it, or ''."""
    reasons = [""] * len(paras)
    rules = resources.boilerplate
    most_words = max([_CHROME_MAX_WORDS, *(r.max_words for r in rules)]) + 1
    seen_arabic = False
    i = 0
    while i < len(paras):
        text = paras[i]
        # Rules are written for rendered text: HTML character references are decoded for
        # matching (the paragraph itself is delivered and audited as written). Only the
        # folded text is matched, so no offset map is made unless references need one.
        folded = (normalize(text, entities=True).text if "&" in text else fold(text)).strip()
        # Counted only as far as any test below looks: the rules' max_words, page chrome's 12.
        words = _word_count(folded, most_words)
        # of Arabic among the letters (None: no letters); only read before the first Arabic paragraph
        share = arabic_share(text) if not seen_arabic else None
        # a rule marks only a paragraph of at most its max_words (BoilerplateRule.marks):
        # a body paragraph is longer than every rule allows, and no rule is tried
        rule = next((r for r in rules if words <= r.max_words and r.marks(folded, words)), None)
        if rule is not None:
            reasons[i] = rule.id
            if rule.scope == "next" and i + 1 < len(paras):
                reasons[i + 1] = rule.id
                i += 1
            elif rule.scope == "rest":
                for k in range(i + 1, len(paras)):
                    reasons[k] = rule.id
                break
        elif not seen_arabic and not (share is not None and share >= 0.2) and words <= _CHROME_MAX_WORDS:
            reasons[i] = "page-chrome"
        if share is not None and share >= 0.5 and not reasons[i]:
            seen_arabic = True
        i += 1
    return reasons


def segment_article(article: Article, resources: Resources) -> list[Segment]:
    """Every segment of ``article`` in text order; their spans never overlap."""
    if article.record_spans:
        units = [(rid, s, e) for rid, s, e in article.record_spans]
        para_spans = [(s, e) for _, s, e in units]
    else:
        para_spans = paragraphs(article.text)
        units = [(f"p{k + 1}", s, e) for k, (s, e) in enumerate(para_spans)]
    texts = [article.text[s:e] for s, e in para_spans]
    reasons = classify_boilerplate(texts, resources)

    segments: list[Segment] = []

    def add(seg_id: str, kind: SegmentKind, s: int, e: int, para: int, reason: str = "") -> None:
        segments.append(Segment(article.id, seg_id, len(segments), kind, s, e, article.text[s:e], para, reason))

    content = [k for k, r in enumerate(reasons) if not r]
    headline = None
    if not article.record_spans and len(content) > 1:
        first = texts[content[0]]
        if _word_count(first, _HEADLINE_MAX_WORDS + 1) <= _HEADLINE_MAX_WORDS and not first.rstrip().endswith((".", "。")):
            headline = content[0]

    for k, (seg_id, s, e) in enumerate(units):
        para = k + 1
        if reasons[k]:
            add(seg_id, SegmentKind.BOILERPLATE, s, e, para, reasons[k])
        elif k == headline:
            add(seg_id, SegmentKind.HEADLINE, s, e, para)
        elif article.record_spans:
            pieces = bounded_pieces(article.text, s, e)
            if len(pieces) == 1:
                add(seg_id, SegmentKind.BODY, s, e, para)
            else:
                for n, (ps, pe) in enumerate(pieces, 1):
                    add(f"{seg_id}.c{n}", SegmentKind.BODY, ps, pe, para)
        else:
            sentences = split_sentences(texts[k])
            if len(sentences) == 1:
                add(seg_id, SegmentKind.BODY, s, e, para)
            else:
                for n, (ss, se) in enumerate(sentences, 1):
                    add(f"{seg_id}.s{n}", SegmentKind.BODY, s + ss, s + se, para)
    return segments
