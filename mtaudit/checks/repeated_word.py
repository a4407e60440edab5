"""Repeated word or phrase (MT stutter)."""

from __future__ import annotations

import regex

from . import CheckContext, check
from ..types import Severity

_MAX_PHRASE = 4
# Between the two copies only spaces (or tatweel/bidi marks) may stand; a comma or a
# conjunction makes it an enumeration, which is a style matter, not a stutter.
_GAP = regex.compile(r"^[\s\u0640\u061C\u200E\u200F]+$")
# What may stand before a word that begins a clause: nothing, or punctuation.
_CLAUSE_BEFORE = regex.compile(r"(?:^|[.!?؟:؛;،,«»\"“”(\-–—\n])[\s\u0640\u061C\u200E\u200F]*$")


@check(
    "repeated-word",
    severity=Severity.MAJOR,
    category="fluency",
    version="2",
    resources=("valid_repeats",),
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
    repetitions separated by punctuation (a list, a quoted chant).
    """
    tokens = ctx.tokens
    text = ctx.article.text
    valid = ctx.resources.valid_repeats
    i = 0
    while i < len(tokens):
        hit = 0
        for n in range(min(_MAX_PHRASE, (len(tokens) - i) // 2), 0, -1):
            first, second = tokens[i : i + n], tokens[i + n : i + 2 * n]
            if [t.folded for t in first] != [t.folded for t in second]:
                continue
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
            i += 1
            continue
        start, end = tokens[i].start, tokens[i + 2 * hit - 1].end
        once = text[tokens[i].start : tokens[i + hit - 1].end]
        short = hit == 1 and len(tokens[i].folded) <= 2
        yield ctx.finding(
            start,
            end,
            f"“{once}” is repeated: {'the phrase' if hit > 1 else 'the word'} appears twice in a row.",
            suggestion=once,
            confidence=0.6 if short else 0.95,
        )
        i += 2 * hit


def _valid_here(where: str | None, text: str, start: int) -> bool:
    """Whether a listed reduplication is legitimate at ``start``."""
    if where == "clause-start":
        return bool(_CLAUSE_BEFORE.search(text[max(0, start - 40) : start]))
    return where is not None
