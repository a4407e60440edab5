"""Repeated word or phrase (MT stutter)."""

from __future__ import annotations

from itertools import compress, count
from operator import eq, itemgetter

import regex

from ..text.frequency import arabic_zipf
from ..text.tokens import tokenize, word_set
from ..types import Severity
from . import CheckContext, check

_MAX_PHRASE = 4
_FOLDED = itemgetter(1)  # a Token's folded form (mtaudit.text.tokens.Token)
# Between the two copies only spaces (or tatweel/bidi marks) may stand; a comma or a
# conjunction makes it an enumeration, which is a style matter, not a stutter.
_GAP = regex.compile(r"^[\s\u0640\u061C\u200E\u200F]+$")
# What may stand before a word that begins a clause: nothing, or punctuation.
_CLAUSE_BEFORE = regex.compile(r"(?:^|[.!?؟:؛;،,«»\"“”(\-–—\n])[\s\u0640\u061C\u200E\u200F]*$")
# A repetition in English: a word (or a phrase of up to four) twice in a row, only spaces or
# a hyphen between (Bora Bora, very very, boda-boda, "no, no" is punctuation: not counted).
_SOURCE_REPEAT = regex.compile(r"(?i)(?<![\p{L}\p{N}])((?:[\p{L}\p{N}'’]+ ){0,3}[\p{L}\p{N}'’]+)[ \-]\1(?![\p{L}\p{N}])")


@check(
    "repeated-word",
    severity=Severity.MAJOR,
    category="fluency",
    version="3",
    resources=("valid_repeats", "gazetteer"),
)
def repeated_word(ctx: CheckContext):
    """Repeated word or phrase: the same word(s) twice in a row.

    Machine translation sometimes stutters (الدعم الدبلوماسي الدبلوماسي, ألي ألي, في موسكو
    في موسكو). The span covers both copies and the suggestion keeps one. Phrases of up to
    four words are compared after Arabic folding (hamza forms, tashkeel), so a repetition
    that differs only in diacritics is still found.

    Not flagged: legitimate Arabic reduplication listed in references/valid_repeats.tsv
    (رويداً رويداً, خطوة خطوة, شيئاً فشيئاً is different words anyway; some only where a
    clause begins, as مَن مِن "who among" opening a question), numbers (scores, dates), and
    repetitions separated by punctuation (a list, a quoted chant), and, with a source,
    a repetition the aligned source unit has too (mtaudit.text.alignment.source_units: Bora Bora,
    "very very", a name the source repeats): each repetition of the source answers for one
    of the translation's.

    Confidence comes from a fitted model (references/calibration.tsv, model
    `repeated-word`, fitted by scripts/source_aware_benchmark.py: doubled words inserted in
    clean copy against findings on clean copy) over the evidence: a source was checked
    and lacks the repetition, a phrase or one word, the word's length, whether it is a name
    word (gazetteer, Wikidata name words), Latin script, how common the word is in Arabic.
    Below 0.5 a finding is minor.
    """
    source, earlier = _aligned(ctx)
    # The source's own repetitions, each answering for one repetition of the unit (in text
    # order: those of the unit's earlier segments took theirs first).
    source_repeats = len(_SOURCE_REPEAT.findall(source)) if source else 0
    source_repeats -= sum(1 for seg in earlier for _ in _repetitions(ctx, seg))
    for start, end, once, tokens in _repetitions(ctx, ctx.segment):
        if source_repeats > 0:
            source_repeats -= 1
            continue  # the source repeats too (Bora Bora, "very very"): so does the translation
        features = _features(ctx, tokens, source is not None)
        confidence = ctx.fitted_confidence("repeated-word", features, start, end)
        yield ctx.finding(
            start,
            end,
            f"“{once}” is repeated: {'the phrase' if len(tokens) > 1 else 'the word'} appears twice in a row.",
            suggestion=once,
            confidence=confidence,
            severity=Severity.MAJOR if confidence >= 0.5 else Severity.MINOR,
        )


def _aligned(ctx: CheckContext):
    """(aligned source text or None, the unit's segments before this one)."""
    if not (ctx.article.source or ctx.article.record_sources):
        return None, []
    for source, segments in ctx.source_units:
        ids = [s.segment_id for s in segments]
        if ctx.segment.segment_id in ids:
            return source, segments[: ids.index(ctx.segment.segment_id)]
    return None, []


def _features(ctx: CheckContext, tokens, has_source: bool) -> dict[str, float]:
    """Evidence that a repetition is MT stutter rather than a name or deliberate doubling."""
    gaz = ctx.resources.gazetteer
    word = tokens[0]
    letters = sum(len(t.folded) for t in tokens)
    return {
        "source_checked": float(has_source),  # a source without the repetition: stutter
        "phrase": float(len(tokens) > 1),
        "short": float(letters <= 2),
        "letters": min(letters, 12) / 12,
        "name_word": float(any(gaz.is_accepted(t.folded) or t.folded in gaz.latin_forms for t in tokens)),
        "latin": float(not word.is_arabic),
        "arabic_zipf": max(0.0, arabic_zipf(word.text)) / 7,
    }


def _repetitions(ctx: CheckContext, seg):
    """(start, end, the words once, the first copy's tokens) of each repetition in ``seg``."""
    tokens = tokenize(seg.text, seg.start)
    if len(word_set(seg.text, seg.start)) == len(tokens):
        return  # no word comes twice in the segment: none is repeated (most segments)
    text = ctx.article.text
    valid = ctx.resources.valid_repeats
    folded = list(map(_FOLDED, tokens))  # (at C speed: most segments have a word twice)
    # A copy starts n words on (n up to _MAX_PHRASE) with the same word: the words that
    # recur that close, found by comparing the list with itself shifted (no Python loop
    # over the words; nearly every word has none).
    recurring = sorted({i for n in range(1, _MAX_PHRASE + 1) for i in compress(count(), map(eq, folded, folded[n:]))})
    after = 0  # the first word not yet part of a repetition
    for i in recurring:
        if i < after:
            continue
        hit = 0
        for n in range(min(_MAX_PHRASE, (len(tokens) - i) // 2), 0, -1):
            # a copy of n words starts n words on with the same word (the cheap test first)
            if folded[i] != folded[i + n] or folded[i : i + n] != folded[i + n : i + 2 * n]:
                continue
            first = tokens[i : i + n]
            gaps = [text[a.end : b.start] for a, b in zip(tokens[i : i + 2 * n], tokens[i + 1 : i + 2 * n])]
            if not all(_GAP.match(g) for g in gaps):
                continue
            if all(t.is_number for t in first):
                continue
            if n == 1 and (_valid_here(valid.get(first[0].folded), text, first[0].start) or len(first[0].folded) == 1):
                continue  # listed reduplication, or a lone letter (أ أ in a list)
            hit = n
            break
        if not hit:
            continue
        start, end = tokens[i].start, tokens[i + 2 * hit - 1].end
        yield start, end, text[tokens[i].start : tokens[i + hit - 1].end], tokens[i : i + hit]
        after = i + 2 * hit


def _valid_here(where: str | None, text: str, start: int) -> bool:
    """Whether a listed reduplication is legitimate at ``start``."""
    if where == "clause-start":
        return bool(_CLAUSE_BEFORE.search(text[max(0, start - 40) : start]))
    return where is not None
