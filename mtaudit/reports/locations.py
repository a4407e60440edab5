"""Where a finding is in the input file: line and column, plus character offsets.

For a ``.txt`` article the article text *is* the file's text (decoded, BOM removed), so a
finding's offsets give its line and column directly: lines are 1-based, columns are
1-based and count Unicode code points (SARIF ``columnKind: unicodeCodePoints``), and the
character offset counts from the start of the text after the BOM. For a record of a
JSONL, CSV, XLIFF or TMX file the article's offsets point into the record's target text, not
into the file (JSON escapes and markup lie between), so the location is the record's line
in the file and the offsets are given relative to the record's target.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..types import Article, Finding


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 0: unknown
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    #: Offsets into the file's text (``.txt``) or into the record's target (records).
    char_offset: int = 0
    char_length: int = 0
    #: True when line/column/offsets address the file's own text.
    in_file: bool = True
    record_id: str = ""


@lru_cache(maxsize=64)
def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *(i + 1 for i, ch in enumerate(text) if ch == "\n"))


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_starts = _line_starts(text)
    idx = bisect_right(line_starts, offset) - 1
    return idx + 1, offset - line_starts[idx] + 1


def locate(article: Article, f: Finding) -> Location:
    spans = article.record_spans or article.unit_spans
    if not spans:
        if article.record_lines:  # one JSONL/CSV record: its line, offsets into its target
            return Location(article.origin, article.record_lines[0], char_offset=f.start, char_length=f.end - f.start, in_file=False)
        line, col = _line_col(article.text, f.start)
        end_line, end_col = _line_col(article.text, f.end)
        return Location(article.origin, line, col, end_line, end_col, f.start, f.end - f.start)
    for i, (rid, start, end) in enumerate(spans):
        if start <= f.start <= end:
            line = article.record_lines[i] if i < len(article.record_lines) else 0
            return Location(article.origin, line, char_offset=f.start - start, char_length=f.end - f.start, in_file=False, record_id=rid)
    return Location(article.origin, 0, char_offset=f.start, char_length=f.end - f.start, in_file=False)
