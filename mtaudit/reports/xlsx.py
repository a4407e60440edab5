"""findings.xlsx: the report tables as a workbook an editor can work in.

One sheet per table (findings, articles, segments), right to left, with a frozen header,
filters and column widths; each finding's severity cell is coloured as in report.html and
its ``context`` cell shows the flagged span highlighted (rich text) inside its sentence.
Text is always written as text (never parsed as a formula, number or link); a text that a
spreadsheet would run as a formula (``=1+1``, mtaudit.reports.cells) also gets Excel's quote
prefix, so it shows as written and stays text when the cell is edited.

Each sheet's rows are serialised as they are added (:class:`XlsxTables`) into a buffer that
is kept in memory up to :data:`MEMORY_CHARS` characters and then moves to a temporary file
(in a private ``mtaudit-xlsx-`` folder of the system's temporary directory, removed when the
workbook is closed or dropped), so a batch of any size is written in bounded memory, row by
row as articles finish, and the column widths and filters are set when it closes. A
workbook whose rows all stayed in memory is packaged in memory too (XlsxWriter's
``in_memory`` mode: no temporary file per part; most workbooks, and the many small ones of
a test run, are such); a larger one through temporary files (its ``constant_memory``
road). The cells are the same either way. The cells themselves are serialised here, in the form XlsxWriter's
constant_memory mode writes them (inline strings, ``<c r="B7" s="3" t="inlineStr">``),
straight into the sheet's row stream: XlsxWriter's own per-cell path (a decorated call, a
cell tuple, then the XML) was two thirds of the report-writing time. Formats, the styles,
the package and the zip are XlsxWriter's; only the zip's deflate level is ours
(:data:`ZIP_LEVEL`: the fastest, since deflating was the workbook's largest cost).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .cells import FORMULA_STARTS, is_formula_like

#: Severity colours of report.html's marks.
SEVERITY_FILLS = {"critical": "#FF8A80", "major": "#FFCC80", "minor": "#FFF59D", "info": "#CFE8FC"}
MAX_WIDTH = 60
#: Excel's limit on the characters of one cell.
MAX_CELL = 32767
#: Excel opens at most 1,048,576 rows a sheet: the header, this many data rows, and one row
#: that says how many were left out (the CSV files hold every row)
MAX_ROWS = 1_048_576 - 2
#: A sheet's serialised rows stay in memory up to this many characters (about 4 MB, some
#: 10,000 segment rows), then go to a temporary file.
MEMORY_CHARS = 1 << 22
#: The zip's deflate level. XlsxWriter deflates at zlib's default (6); on the 1,000-article
#: bench workbook (15.7 MB of XML) that took 0.79 CPU s for 2.98 MB, level 1 0.19 s for
#: 3.77 MB (level 3: 0.33 s, 3.34 MB). The cells are the same at any level.
ZIP_LEVEL = 1

# XlsxWriter's escapes for cell text (xlsxwriter.xmlwriter): control characters become
# _xHHHH_ (and a literal _xHHHH_ gets its underscore escaped), &, < and > entities.
_CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def _text_xml(text: str) -> str:
    """``text`` as the content of a <t> element, escaped as XlsxWriter escapes it."""
    if not _NEEDS_WORK.search(text):
        return text
    text = _CONTROL_ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(text: str, raw: str | None = None) -> str:
    """A <t> element of escaped ``text``, marked to keep whitespace at either end (of
    ``raw``, the text before escaping, for a rich string's runs, as XlsxWriter tests)."""
    return f'<t xml:space="preserve">{text}</t>' if _EDGE_SPACE.search(text if raw is None else raw) else f"<t>{text}</t>"


#: A text this short is within MAX_CELL however it is counted (_clip leaves it as it is).
_SHORT_CELL = MAX_CELL // 2


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _clip(text: str) -> str:
    """``text`` within Excel's cell limit (UTF-16 units, as XlsxWriter counts them)."""
    if len(text) > MAX_CELL // 2 and _utf16_len(text) > MAX_CELL:
        from xlsxwriter.utility import _utf16_truncate

        return _utf16_truncate(text, MAX_CELL)
    return text


def _run_fonts(workbook, span) -> tuple[str, str]:
    """The <rPr> font runs XlsxWriter writes in a rich string for ``span``'s format and for
    an unformatted fragment after a formatted one (taken from XlsxWriter itself)."""
    scratch = xlsxwriter.Workbook(os.devnull, {"in_memory": True})
    ws = scratch.add_worksheet()
    mark = scratch.add_format({"bold": True, "font_color": "#B00020"})
    ws.write_rich_string(0, 0, "A", mark, "B", "C")
    xml = next(s for s in ws.str_table.string_table if s.startswith("<r>"))  # the shared string it made
    runs = re.findall(r"<r>(<rPr>.*?</rPr>)?<t>([ABC])</t></r>", xml)
    fonts = {letter: rpr for rpr, letter in runs}
    if sorted(fonts) != ["A", "B", "C"] or fonts["A"] or not fonts["B"] or not fonts["C"]:
        raise RuntimeError(f"unexpected rich-string XML from XlsxWriter {xlsxwriter.__version__}: {xml}")
    scratch.fileclosed = True  # nothing to save
    return fonts["B"], fonts["C"]


class _RowStream:
    """A sheet's serialised rows: in memory up to :data:`MEMORY_CHARS` characters, then in a
    temporary file of ``spill_dir()``'s folder."""

    def __init__(self, spill_dir) -> None:
        self._spill_dir = spill_dir
        self._parts: list[str] = []
        self._chars = 0
        self.file = None

    def write(self, text: str) -> None:
        if self.file is not None:
            self.file.write(text)
            return
        self._parts.append(text)
        self._chars += len(text)
        if self._chars > MEMORY_CHARS:
            fd, name = tempfile.mkstemp(prefix="rows-", suffix=".xml", dir=self._spill_dir())
            self.file = open(fd, "w+", encoding="utf-8")
            self.file.write("".join(self._parts))
            self._parts, self._chars = [], 0

    def copy_to(self, out) -> None:
        """Write the rows to ``out`` (the sheet's XML part)."""
        if self.file is None:
            out.write("".join(self._parts))
            return
        self.file.flush()
        self.file.seek(0)
        for chunk in iter(lambda: self.file.read(1 << 16), ""):
            out.write(chunk)

    def close(self) -> None:
        self._parts = []
        if self.file is not None:
            self.file.close()
            self.file = None


class _LevelledZipFile(zipfile.ZipFile):
    """A ZipFile that deflates every member at :data:`ZIP_LEVEL` (XlsxWriter passes its own
    ZipInfo to ``writestr``, which would otherwise take zlib's default level)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        level = self.compresslevel if compresslevel is None else compresslevel
        return super().writestr(zinfo_or_arcname, data, compress_type, level)


# XlsxWriter opens its zip through its module's ``ZipFile`` name and has no option for the
# level: that name is ours while one of our workbooks is stored (a lock, so that two threads
# storing workbooks never put back the other's).
_STORING = threading.Lock()


class _Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook, stored with the zip deflated at :data:`ZIP_LEVEL`."""

    def _store_workbook(self) -> None:
        import xlsxwriter.workbook as module

        with _STORING:
            before, module.ZipFile = module.ZipFile, _LevelledZipFile
            try:
                super()._store_workbook()
            finally:
                module.ZipFile = before


class _StreamedWorksheet(Worksheet):
    """A worksheet whose <sheetData> is the rows :class:`_Sheet` serialised (its
    ``row_stream``), written in place of XlsxWriter's own cell table (left empty)."""

    row_stream: _RowStream

    def _write_sheet_data(self) -> None:
        if self.dim_rowmin is None:
            self._xml_empty_tag("sheetData")
            return
        self._xml_start_tag("sheetData")
        self.row_stream.copy_to(self.fh)
        self._xml_end_tag("sheetData")


class _Sheet:
    """One sheet's row stream and what its columns need at the end (widths)."""

    def __init__(self, book: "XlsxTables", title: str, columns: Sequence[str]) -> None:
        self.ws = ws = book.workbook.add_worksheet(title, worksheet_class=_StreamedWorksheet)
        ws.row_stream = _RowStream(book.spill_dir)
        ws.right_to_left()
        ws.freeze_panes(1, 0)
        self.columns = list(columns)
        self.widths = [len(c) for c in self.columns]
        self.letters = [xl_col_to_name(j) for j in range(len(self.columns))]
        self.numbered = list(zip(range(len(self.columns)), self.columns, self.letters))
        self.sev_col = self.columns.index("severity") if "severity" in self.columns else -1
        self.ctx_col = self.columns.index("context") if "context" in self.columns else -1
        self.rows = 0
        self.left_out = 0
        self.out = ws.row_stream
        self.book = book
        header = book.header_xf
        self.out.write('<row r="1">' + "".join(
            f'<c r="{letter}1" s="{header}" t="inlineStr"><is>{_t(_text_xml(c))}</is></c>'
            for letter, c in zip(self.letters, self.columns)
        ) + "</row>")

    def add(self, row: dict, where=None) -> None:
        """Append one row (``where``: the located span of a findings row's context cell)."""
        if self.rows >= MAX_ROWS:
            self.left_out += 1
            return
        self.rows += 1
        r = self.rows + 1
        book = self.book
        widths = self.widths
        cells = [f'<row r="{r}">']
        append = cells.append
        get = row.get
        ctx = self.ctx_col if where is not None else -1
        sev = self.sev_col
        # One search over the row's texts (most rows need no escape at all); "\n" between
        # them is no character the escapes touch, so no match spans two cells.
        plain = not _NEEDS_WORK.search("\n".join([v for v in row.values() if type(v) is str]))
        for j, name, letter in self.numbered:
            value = get(name, "")
            kind = type(value)
            if kind is str:  # most cells: text
                if not value:
                    if j == ctx:
                        append(book.rich_cell(f"{letter}{r}", where))
                    continue
                n = len(value)
                if n > widths[j] and widths[j] < MAX_WIDTH:
                    widths[j] = n if n < MAX_WIDTH else MAX_WIDTH
                if j == ctx:
                    append(book.rich_cell(f"{letter}{r}", where))
                    continue
                text = value if n <= _SHORT_CELL else _clip(value[:MAX_CELL])
                xml = text if plain else _text_xml(text)
                # (_t inline: whitespace at either end, as _EDGE_SPACE finds it, is kept)
                t = f'<t xml:space="preserve">{xml}</t>' if xml[0].isspace() or xml[-1].isspace() else f"<t>{xml}</t>"
                xf = book.fill_xf.get(text) if j == sev else (book.quoted_xf if text.startswith(FORMULA_STARTS) else None)
                if xf is None:
                    append(f'<c r="{letter}{r}" t="inlineStr"><is>{t}</is></c>')
                else:
                    append(f'<c r="{letter}{r}" s="{xf}" t="inlineStr"><is>{t}</is></c>')
                continue
            if value is None:
                if j == ctx:
                    append(book.rich_cell(f"{letter}{r}", where))
                continue
            n = min(len(str(value)), MAX_WIDTH)
            if n > widths[j]:
                widths[j] = n
            if j == ctx:
                append(book.rich_cell(f"{letter}{r}", where))
            elif kind is bool:
                continue
            elif isinstance(value, (int, float)):
                if value != value or value - value != 0:
                    raise TypeError("NAN/INF not supported in write_number() without 'nan_inf_to_errors' Workbook() option")
                append(f'<c r="{letter}{r}"><v>{value:.16G}</v></c>')
            else:
                text = _clip(str(value)[:MAX_CELL])
                xf = book.fill_xf.get(text) if j == sev else (book.quoted_xf if is_formula_like(text) else None)
                style = f' s="{xf}"' if xf is not None else ""
                append(f'<c r="{letter}{r}"{style} t="inlineStr"><is>{_t(_text_xml(text))}</is></c>')
        append("</row>")
        self.out.write("".join(cells))

    def finish(self) -> None:
        ws = self.ws
        last_col = len(self.columns) - 1
        if self.left_out:
            self.rows += 1
            note = f"{self.left_out:,} more rows left out: a sheet holds {MAX_ROWS:,}; the CSV files have every row"
            self.out.write(f'<row r="{self.rows + 1}"><c r="A{self.rows + 1}" t="inlineStr"><is>{_t(_text_xml(note))}</is></c></row>')
        # What XlsxWriter's writes record (the <dimension> of the sheet): the header spans
        # every column and each data row has its article id in column A.
        ws.dim_rowmin, ws.dim_rowmax, ws.dim_colmin, ws.dim_colmax = 0, self.rows, 0, last_col
        ws.previous_row = self.rows
        for j, w in enumerate(self.widths):
            ws.set_column(j, j, min(MAX_WIDTH, w + 2))
        ws.autofilter(0, 0, max(self.rows, 1), last_col)


class XlsxTables:
    """findings.xlsx written as rows come: ``add(title, row, located)`` appends a row to a
    sheet (``located``, a mtaudit.reports.context.Located, gives the span to highlight in
    the context cell), :meth:`close` writes the workbook to ``path`` (through a temporary
    file in its folder, renamed into place). Memory stays bounded: a sheet's rows beyond
    :data:`MEMORY_CHARS` go to a temporary file as they are added."""

    def __init__(self, path: Path, sheets: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.path = Path(path)
        self._spill: str | None = None  # the private temporary folder, made when first needed
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self._sheets = list(sheets)
        self.tmp = Path(name)
        self.sheets: dict[str, _Sheet] = {}
        try:
            self._open()
        except BaseException:
            self.tmp.unlink()
            raise

    def spill_dir(self) -> str:
        """The private temporary folder of the rows that outgrew memory (and, then, of the
        parts XlsxWriter packages through files): made on first use, removed at the end."""
        if self._spill is None:
            self._spill = tempfile.mkdtemp(prefix="mtaudit-xlsx-")
        return self._spill

    def _open(self) -> None:
        # Opened in memory (no row files of XlsxWriter's own: _Sheet keeps the rows); the
        # packaging road is chosen at close (in memory unless a sheet outgrew MEMORY_CHARS).
        wb = self.workbook = _Workbook(str(self.tmp), {
            "in_memory": True,
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        })
        # The formats, in the order main's writer first used them (so styles.xml keeps its order).
        header = wb.add_format({"bold": True, "bg_color": "#EEEEEE"})
        quoted = wb.add_format({"quote_prefix": True})
        span = wb.add_format({"bold": True, "font_color": "#B00020"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        fills = {k: wb.add_format({"bg_color": v}) for k, v in SEVERITY_FILLS.items()}
        self.header_xf = header._get_xf_index()
        self.quoted_xf = quoted._get_xf_index()
        self.span_xf = span._get_xf_index()
        self.wrap_xf = wrap._get_xf_index()
        self.fill_xf = {k: f._get_xf_index() for k, f in fills.items()}
        self.span_font, self.plain_font = _run_fonts(wb, span)
        self.sheets = {title: _Sheet(self, title, columns) for title, columns in self._sheets}

    def rich_cell(self, ref: str, where) -> str:
        """The context cell: the span in bold red between the text before and after it."""
        span = where.span or "⁁"
        before, after = where.before, where.after
        if not before and not after:  # the span alone: one formatted string
            text = _clip(span[:MAX_CELL])
            return f'<c r="{ref}" s="{self.span_xf}" t="inlineStr"><is>{_t(_text_xml(text))}</is></c>'
        if _utf16_len(before + span + after) > MAX_CELL:
            return ""  # XlsxWriter refuses a rich string over the limit: the cell stays empty
        runs = []
        if before:
            runs.append(f"<r>{_t(_text_xml(before), before)}</r>")
        runs.append(f"<r>{self.span_font}{_t(_text_xml(span), span)}</r>")
        if after:
            runs.append(f"<r>{self.plain_font}{_t(_text_xml(after), after)}</r>")
        return f'<c r="{ref}" s="{self.wrap_xf}" t="inlineStr"><is>{"".join(runs)}</is></c>'

    def add(self, title: str, row: dict, where=None) -> None:
        self.sheets[title].add(row, where)

    def close(self, durable: bool = True) -> None:
        for sheet in self.sheets.values():
            sheet.finish()
        try:
            if any(sheet.ws.row_stream.file is not None for sheet in self.sheets.values()):
                # a large workbook: its parts (the sheets' XML) go through temporary files
                self.workbook.in_memory = False
                self.workbook.tmpdir = self.spill_dir()
            self.workbook.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # as a plain write would (mkstemp makes it private)
            if durable:
                with open(self.tmp, "rb") as fh:
                    os.fsync(fh.fileno())
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        self._remove_spill()

    def discard(self) -> None:
        """Drop the workbook (an interrupted run): its temporary files go."""
        self.workbook.fileclosed = True
        try:
            self.tmp.unlink()
        except OSError:
            pass
        self._remove_spill()

    def _remove_spill(self) -> None:
        for sheet in self.sheets.values():
            sheet.ws.row_stream.close()
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None


def write_xlsx(path: Path, tables: Iterable[tuple[str, Sequence[str], Iterable[tuple[dict, object]]]]) -> None:
    """Write the workbook to ``path``: one sheet per (title, columns, [(row, located or None)]),
    where ``located`` (mtaudit.reports.context.Located) gives the span to highlight in the
    context cell."""
    tables = [(title, list(columns), rows) for title, columns, rows in tables]
    book = XlsxTables(path, [(title, columns) for title, columns, _ in tables])
    try:
        for title, _, rows in tables:
            add = book.sheets[title].add
            for row, where in rows:
                add(row, where)
    except BaseException:
        book.discard()
        raise
    book.close()
