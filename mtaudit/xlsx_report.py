"""findings.xlsx: the report tables as a workbook an editor can work in.

One sheet per table (findings, articles, segments), right to left, with a frozen header,
filters and column widths; each finding's severity cell is coloured as in report.html and
its ``context`` cell shows the flagged span highlighted (rich text) inside its sentence.
Text that a spreadsheet would run as a formula (``=1+1``, mtaudit.cells) is stored as a
text cell with Excel's quote prefix, so it shows as written and never runs.
"""

from __future__ import annotations

import io
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import is_formula_like

#: Severity colours of report.html's marks.
SEVERITY_FILLS = {"critical": "FF8A80", "major": "FFCC80", "minor": "FFF59D", "info": "CFE8FC"}
_SPAN_FONT = InlineFont(b=True, color="B00020")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
_WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
#: Characters of a cell counted for its column's width (longer cells wrap).
_WIDTH_SAMPLE = 200


def _rich_context(where) -> CellRichText:
    parts = []
    if where.before:
        parts.append(where.before)
    parts.append(TextBlock(_SPAN_FONT, where.span or "⁁"))
    if where.after:
        parts.append(where.after)
    return CellRichText(*parts)


def _cell(ws, value: object) -> WriteOnlyCell | object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if value is None or value == "":
        return None
    text = str(value)
    if not is_formula_like(text):
        return text
    # openpyxl takes a text starting with "=" as a formula: make it a text cell.
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _sheet(wb: Workbook, title: str, columns: Sequence[str], rows: Iterable[tuple[dict, object]]) -> None:
    # Write-only sheets stream rows to the file: a 5,000-article batch stays fast and small in memory.
    ws = wb.create_sheet(title)
    ws.sheet_view.rightToLeft = True
    rows = list(rows)
    widths = [len(c) for c in columns]
    for row, _ in rows:
        for j, name in enumerate(columns):
            value = row.get(name, "")
            if value not in ("", None):
                widths[j] = max(widths[j], min(len(str(value)[:_WIDTH_SAMPLE]), MAX_WIDTH))
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, w + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    ws.append(header)
    sev_col = columns.index("severity") if "severity" in columns else -1
    ctx_col = columns.index("context") if "context" in columns else -1
    fills = {k: PatternFill("solid", fgColor=v) for k, v in SEVERITY_FILLS.items()}
    for row, where in rows:
        out = []
        for j, name in enumerate(columns):
            value = row.get(name, "")
            if j == ctx_col and where is not None:
                cell = WriteOnlyCell(ws, value=_rich_context(where))
                cell.alignment = _WRAP
                out.append(cell)
            elif j == sev_col and value in fills:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = fills[value]
                out.append(cell)
            else:
                out.append(_cell(ws, value))
        ws.append(out)


def write_xlsx(tables: Iterable[tuple[str, Sequence[str], Iterable[tuple[dict, object]]]]) -> bytes:
    """The workbook's bytes: one sheet per (title, columns, [(row, located or None)])."""
    wb = Workbook(write_only=True)
    for title, columns, rows in tables:
        _sheet(wb, title, list(columns), rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
