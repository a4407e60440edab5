"""Where a finding sits, told the way an editor reads it: line, sentence, aligned source.

Shared by the spreadsheets (findings.csv/xlsx columns ``line``, ``context``, ``source``) and
the HTML review desk. Everything here reads the article's original text through the
finding's offsets; nothing rewrites it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from ..types import ArticleResult, Finding, Segment

#: Markers around the span in the ``context`` column of findings.csv (mirrored brackets,
#: so they read right in Arabic and in English, and are rare in news copy).
SPAN_OPEN, SPAN_CLOSE = "⟦", "⟧"

_NEWLINE = re.compile("\n")

#: Names shown for invisible characters (a space before ، is an error one cannot see).
INVISIBLE_NAMES = {
    " ": "␣",
    "\u00a0": "NBSP",
    "\t": "TAB",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u061c": "ALM",
    "\ufeff": "BOM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\u0640": "ـ",
}


def is_invisible(ch: str) -> bool:
    """Whitespace and format characters (bidi marks, joiners), and tatweel."""
    return ch.isspace() or unicodedata.category(ch) == "Cf" or ch == "\u0640"


def visible_key(text: str) -> str:
    return "".join(ch for ch in text if not is_invisible(ch))


def invisible_difference(finding: Finding) -> bool:
    """True when the text and its suggestion differ only in characters one cannot see
    (``" ،" → "،"``): such findings look like no-ops unless the difference is shown."""
    return bool(finding.suggestion) and finding.text != finding.suggestion and visible_key(finding.text) == visible_key(finding.suggestion)


@dataclass(frozen=True)
class Located:
    line: int
    before: str
    span: str
    after: str
    source: str

    @property
    def context(self) -> str:
        return f"{self.before}{SPAN_OPEN}{self.span}{SPAN_CLOSE}{self.after}"


class ArticleIndex:
    """Lookups from offsets to segments and aligned units of one article."""

    def __init__(self, result: ArticleResult):
        self.result = result
        text = result.article.text
        self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        segs = sorted(result.segments, key=lambda s: s.start)
        self._segs = segs
        self._seg_starts = [s.start for s in segs]
        self._record_starts = [start for _, start, _ in result.article.record_spans]
        units = [u for u in result.units if u.end > u.start]
        self._units = sorted(units, key=lambda u: u.start)

    def line(self, offset: int) -> int:
        """1-based line of ``offset``: in the file for a text article, inside the record
        (named by the finding's segment id) for a JSONL/CSV record."""
        line = bisect.bisect_right(self._line_starts, offset)
        if self._record_starts:
            rec = bisect.bisect_right(self._record_starts, offset) - 1
            if rec >= 0:
                line -= bisect.bisect_right(self._line_starts, self._record_starts[rec]) - 1
        return max(1, line)

    def segments_over(self, start: int, end: int) -> list[Segment]:
        """Segments the span [start, end) overlaps (for an empty span, the one holding it)."""
        stop = max(end, start + 1)
        i = max(0, bisect.bisect_right(self._seg_starts, start) - 1)
        out = []
        for seg in self._segs[i:]:
            if seg.start >= stop:
                break
            if seg.end > start:
                out.append(seg)
        if not out:
            out = [s for s in self._segs[i : i + 1] if s.start <= start <= s.end]
        return out

    def source_over(self, start: int, end: int) -> str:
        """Aligned source sentence(s) of the units covering [start, end)."""
        hits = [u.source for u in self._units if u.source and u.start < max(end, start + 1) and u.end > start]
        return " ".join(dict.fromkeys(hits))

    def locate(self, finding: Finding) -> Located:
        text = self.result.article.text
        segs = self.segments_over(finding.start, finding.end)
        lo = min([finding.start, *(s.start for s in segs)])
        hi = max([finding.end, *(s.end for s in segs)])
        return Located(
            line=self.line(finding.start),
            before=text[lo : finding.start],
            span=text[finding.start : finding.end],
            after=text[finding.end : hi],
            source=self.source_over(finding.start, finding.end),
        )
