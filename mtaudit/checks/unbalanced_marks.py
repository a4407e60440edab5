"""Unbalanced quotation marks and brackets."""

from __future__ import annotations

import math
from itertools import groupby

import regex

from ..types import Severity
from . import CheckContext, check

_PAIRS = {"«": "»", "(": ")", "[": "]", "﴾": "﴿"}
# Curly double quotes pair up in order whichever way they face: Arabic copy typed
# right-to-left uses ” to open as often as “ (بـ”الجهود التي تبذلها دمشق”).
_UNORDERED_QUOTES = {'"': '"', "“": "“”", "”": "“”"}  # mark → the group it pairs within
_CLOSERS = {v: k for k, v in _PAIRS.items()}
# Every mark looked at: the text between them is skipped at C speed.
_MARKS = regex.compile("[" + regex.escape("".join(sorted({*_PAIRS, *_CLOSERS, *_UNORDERED_QUOTES}))) + "]")


def unbalanced_positions(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of every opening or closing mark without a partner in ``text``.

    Paired marks are matched with a stack; straight double quotes, and curly double
    quotes whichever way they face, pair up in order, so an odd count leaves the last one
    unmatched.
    """
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    unordered: dict[str, list[int]] = {group: [] for group in _UNORDERED_QUOTES.values()}
    for m in _MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[ch]:
                stack.pop()
            elif any(o == _CLOSERS[ch] for _, o in stack):
                # Close the nearest matching opener; those above it were never closed.
                while stack[-1][1] != _CLOSERS[ch]:
                    bad.append(stack.pop())
                stack.pop()
            else:
                bad.append((i, ch))
        elif ch in _UNORDERED_QUOTES:
            unordered[_UNORDERED_QUOTES[ch]].append(i)
    bad.extend(stack)
    for seen in unordered.values():
        if len(seen) % 2:
            bad.append((seen[-1], text[seen[-1]]))
    return sorted(bad)


@check("unbalanced-marks", severity=Severity.MINOR, category="style", version="2", scope="article")
def unbalanced_marks(ctx: CheckContext):
    """Unbalanced quotes or brackets: an opening mark never closed, or the reverse.

    Checked per paragraph of headline and body copy (quotations may span sentences) for
    “ ” « » ( ) [ ] and straight double quotes. MT output often drops one half of a pair,
    which leaves the reader unsure where a quotation ends.

    The confidence is a fitted probability (references/calibration.tsv, model
    unbalanced-marks, scripts/fit_check_confidence.py: a mark dropped or added in clean copy
    against the check's findings on clean copy) over the mark's kind, the paragraph's
    length, how many marks it has and how many are unmatched. The check is minor.
    """
    text = ctx.article.text
    for _, segs in groupby(ctx.content_segments, key=lambda s: s.paragraph):
        segs = list(segs)
        start, end = segs[0].start, segs[-1].end
        paragraph = text[start:end]
        unmatched = unbalanced_positions(paragraph)
        if not unmatched:
            continue  # nearly every paragraph
        marks = len(_MARKS.findall(paragraph))
        for offset, mark in unmatched:
            pos = start + offset
            features = {
                "closer": float(mark in _CLOSERS),
                "straight_quote": float(mark == '"'),
                "curly_quote": float(mark in "“”"),
                "log_length": math.log(len(paragraph) + 1) - 5,
                "log_marks": math.log(marks),
                "unmatched": float(len(unmatched)),
            }
            p = ctx.fitted_confidence("unbalanced-marks", features, pos, pos + 1)
            if mark == '"':
                message = "Odd number of straight quotation marks in this paragraph: one is unmatched."
            elif mark in "“”":
                message = "Odd number of curly quotation marks (“ ”) in this paragraph: one is unmatched."
            else:
                message = f"“{mark}” has no matching {'closing' if mark in _PAIRS else 'opening'} mark in this paragraph."
            yield ctx.finding(pos, pos + 1, message, confidence=p)
