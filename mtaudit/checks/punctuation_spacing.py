"""Punctuation and spacing artifacts of MT output."""

from __future__ import annotations

import math

import regex

from ..types import Severity
from . import CheckContext, check

# Whitespace before a punctuation mark that attaches to the word before it. The mark is not
# the start of an ellipsis or of a decimal (" .5"), and the space follows a word, not
# another mark (a dash or a quote may legitimately be spaced).
_SPACE_BEFORE = regex.compile(r"(?<=[\p{L}\p{N}\p{M}])[ \t\u00A0]+([،؛؟:,;?!]|\.(?![.\d]))")
# What every match of _SPACE_BEFORE holds: a space right before the mark. Its look-behind is
# tried at every position of the text, so this plain test goes first.
_SPACED_MARK = regex.compile(r"[ \t\u00A0][،؛؟:,;?!.]")
# Latin , ; ? written between Arabic words (after optional spaces).
_LATIN_MARK = regex.compile(r"(?<=\p{Arabic}[\p{M}\u0640]*)\s*([,;?])(?=\s*\p{Arabic}|\s*$)")
_ARABIC_EQUIVALENT = {",": "،", ";": "؛", "?": "؟"}
# Arabic comma glued to the next Arabic word.
_NO_SPACE_AFTER = regex.compile(r"([،؛])(?=\p{Arabic})")
_LATIN_WORD = regex.compile(r"[A-Za-z]{2,}")


@check("punctuation-spacing", severity=Severity.MINOR, category="style", version="1")
def punctuation_spacing(ctx: CheckContext):
    """Punctuation spacing: a space before ، ؛ ؟ : . or a Latin , ; ? in Arabic text.

    MT output often carries English typography over badly: a space before the comma
    (الخميس ، وهي), Latin commas and question marks between Arabic words, or an Arabic comma
    glued to the next word. Each finding's suggestion is the corrected punctuation.

    Not flagged: digits with Latin separators (1,000 and 3.5), ellipses, a space before a
    dash or a quotation mark, and Latin punctuation inside Latin-script text.

    The confidence is a fitted probability (references/calibration.tsv, model
    punctuation-spacing, scripts/fit_check_confidence.py: MT typography put into clean copy
    against the check's findings on clean copy) over the kind of slip, the mark, how many
    slips the segment has and Latin text next to it. The check is minor whatever it is.
    """
    text, base = ctx.text, ctx.base
    # How often the segment slips: one spaced comma in a long sentence is a typing habit of
    # some human copy, several are MT's typography.
    # Each pattern runs once; the Latin-mark one (a costly look-behind) only where a , ; ? is.
    spaced = list(_SPACE_BEFORE.finditer(text)) if _SPACED_MARK.search(text) else []
    latin = list(_LATIN_MARK.finditer(text)) if "," in text or ";" in text or "?" in text else []
    glued = list(_NO_SPACE_AFTER.finditer(text)) if "،" in text or "؛" in text else []
    slips = len(spaced) + len(latin) + len(glued)

    def confidence(kind: str, mark: str, start: int, end: int) -> float:
        features = {
            "space_before": float(kind == "space_before"),
            "latin_mark": float(kind == "latin_mark"),
            "no_space_after": float(kind == "no_space_after"),
            "full_stop": float(mark == "."),
            "colon": float(mark == ":"),
            "log_slips": math.log(slips),
            "latin_nearby": float(bool(_LATIN_WORD.search(text[max(0, start - base - 20) : end - base + 20]))),
        }
        return ctx.fitted_confidence("punctuation-spacing", features, start, end)

    for m in spaced:
        mark = m.group(1)
        s, e = base + m.start(), base + m.end()
        yield ctx.finding(
            s,
            e,
            f"Space before “{mark}”: punctuation attaches to the word before it.",
            suggestion=mark,
            confidence=confidence("space_before", mark, s, e),
        )
    for m in latin:
        mark = m.group(1)
        s = base + m.start(1)
        yield ctx.finding(
            s,
            s + 1,
            f"Latin “{mark}” in Arabic text; Arabic uses “{_ARABIC_EQUIVALENT[mark]}”.",
            suggestion=_ARABIC_EQUIVALENT[mark],
            confidence=confidence("latin_mark", mark, s, s + 1),
        )
    for m in glued:
        s, e = base + m.start(), base + m.end()
        yield ctx.finding(
            s,
            e,
            f"No space after “{m.group(1)}”.",
            suggestion=m.group(1) + " ",
            confidence=confidence("no_space_after", m.group(1), s, e),
            severity=Severity.INFO,
        )
