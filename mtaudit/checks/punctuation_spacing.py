"""Punctuation and spacing artifacts of MT output."""

from __future__ import annotations

import regex

from . import CheckContext, check
from ..types import Severity

# Whitespace before a punctuation mark that attaches to the word before it. The mark is not
# the start of an ellipsis or of a decimal (" .5"), and the space follows a word, not
# another mark (a dash or a quote may legitimately be spaced).
_SPACE_BEFORE = regex.compile(r"(?<=[\p{L}\p{N}\p{M}])[ \t\u00A0]+([،؛؟:,;?!]|\.(?![.\d]))")
# Latin , ; ? written between Arabic words (after optional spaces).
_LATIN_MARK = regex.compile(r"(?<=\p{Arabic}[\p{M}\u0640]*)\s*([,;?])(?=\s*\p{Arabic}|\s*$)")
_ARABIC_EQUIVALENT = {",": "،", ";": "؛", "?": "؟"}
# Arabic comma glued to the next Arabic word.
_NO_SPACE_AFTER = regex.compile(r"([،؛])(?=\p{Arabic})")


@check("punctuation-spacing", severity=Severity.MINOR, category="style", version="1")
def punctuation_spacing(ctx: CheckContext):
    """Punctuation spacing: a space before ، ؛ ؟ : . or a Latin , ; ? in Arabic text.

    MT output often carries English typography over badly: a space before the comma
    (الخميس ، وهي), Latin commas and question marks between Arabic words, or an Arabic comma
    glued to the next word. Each finding's suggestion is the corrected punctuation.

    Not flagged: digits with Latin separators (1,000 and 3.5), ellipses, a space before a
    dash or a quotation mark, and Latin punctuation inside Latin-script text.
    """
    text, base = ctx.text, ctx.base
    for m in _SPACE_BEFORE.finditer(text):
        mark = m.group(1)
        yield ctx.finding(
            base + m.start(),
            base + m.end(),
            f"Space before “{mark}”: punctuation attaches to the word before it.",
            suggestion=mark,
            confidence=0.9,
        )
    for m in _LATIN_MARK.finditer(text):
        mark = m.group(1)
        s = m.start(1)
        yield ctx.finding(
            base + s,
            base + s + 1,
            f"Latin “{mark}” in Arabic text; Arabic uses “{_ARABIC_EQUIVALENT[mark]}”.",
            suggestion=_ARABIC_EQUIVALENT[mark],
            confidence=0.8,
        )
    for m in _NO_SPACE_AFTER.finditer(text):
        yield ctx.finding(
            base + m.start(),
            base + m.end(),
            f"No space after “{m.group(1)}”.",
            suggestion=m.group(1) + " ",
            confidence=0.7,
            severity=Severity.INFO,
        )
