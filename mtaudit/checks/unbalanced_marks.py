"""Unbalanced quotation marks and brackets."""

from __future__ import annotations

from itertools import groupby

from . import CheckContext, check
from ..types import Severity

_PAIRS = {"“": "”", "«": "»", "(": ")", "[": "]", "﴾": "﴿"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def unbalanced_positions(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of every opening or closing mark without a partner in ``text``.

    Paired marks are matched with a stack; straight double quotes pair up in order, so an
    odd count leaves the last one unmatched.
    """
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    straight: list[int] = []
    for i, ch in enumerate(text):
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
        elif ch == '"':
            straight.append(i)
    bad.extend(stack)
    if len(straight) % 2:
        bad.append((straight[-1], '"'))
    return sorted(bad)


@check("unbalanced-marks", severity=Severity.MINOR, category="style", version="1", scope="article")
def unbalanced_marks(ctx: CheckContext):
    """Unbalanced quotes or brackets: an opening mark never closed, or the reverse.

    Checked per paragraph of headline and body copy (quotations may span sentences) for
    “ ” « » ( ) [ ] and straight double quotes. MT output often drops one half of a pair,
    which leaves the reader unsure where a quotation ends.
    """
    text = ctx.article.text
    for _, segs in groupby(ctx.content_segments, key=lambda s: s.paragraph):
        segs = list(segs)
        start, end = segs[0].start, segs[-1].end
        for offset, mark in unbalanced_positions(text[start:end]):
            pos = start + offset
            opening = mark in _PAIRS or mark == '"'
            yield ctx.finding(
                pos,
                pos + 1,
                f"“{mark}” has no matching {'closing' if mark in _PAIRS else 'opening'} mark in this paragraph."
                if mark != '"'
                else "Odd number of straight quotation marks in this paragraph: one is unmatched.",
                confidence=0.6 if opening else 0.7,
            )
