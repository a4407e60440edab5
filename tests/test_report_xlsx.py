"""findings.xlsx's two packaging roads: a small workbook packaged in memory, a large one
through temporary files that never land in the report folder and are always removed."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest

import mtaudit.reports.xlsx as xlsx

COLUMNS = ["article_id", "severity", "text", "start"]


def _rows(n: int):
    return [({"article_id": f"a{i}", "severity": ("major", "minor")[i % 2], "text": f"=نص {i} <&> ", "start": i}, None)
            for i in range(n)]


def _parts(path: Path) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    return {m: z.read(m) for m in z.namelist() if m != "docProps/core.xml"}  # (core.xml: the creation time)


def _spill_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("mtaudit-xlsx-*")}


@pytest.fixture(autouse=True)
def own_temp_dir(tmp_path, monkeypatch):
    """The system temporary directory is this test's own (other runs may share /tmp)."""
    own = tmp_path.parent / (tmp_path.name + "-system-tmp")
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))


def test_a_workbook_spilled_to_temporary_files_has_the_cells_of_one_kept_in_memory(tmp_path, monkeypatch):
    before = _spill_dirs()
    assert before == set()
    (tmp_path / "memory").mkdir()
    (tmp_path / "spilled").mkdir()
    xlsx.write_xlsx(tmp_path / "memory" / "findings.xlsx", [("findings", COLUMNS, _rows(300))])
    monkeypatch.setattr(xlsx, "MEMORY_CHARS", 500)  # a few rows, then the rest go to a file
    seen = []
    real_mkstemp = tempfile.mkstemp

    def spying_mkstemp(*args, **kwargs):
        seen.append(kwargs.get("dir"))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(xlsx.tempfile, "mkstemp", spying_mkstemp)
    xlsx.write_xlsx(tmp_path / "spilled" / "findings.xlsx", [("findings", COLUMNS, _rows(300))])
    assert any(d and Path(d).name.startswith("mtaudit-xlsx-") for d in seen)  # the rows did spill
    assert _parts(tmp_path / "memory" / "findings.xlsx") == _parts(tmp_path / "spilled" / "findings.xlsx")
    for folder in ("memory", "spilled"):  # nothing but the workbook in the report folder
        assert [p.name for p in (tmp_path / folder).iterdir()] == ["findings.xlsx"]
    assert _spill_dirs() == before


def test_a_dropped_workbook_removes_its_spilled_rows(tmp_path, monkeypatch):
    before = _spill_dirs()
    monkeypatch.setattr(xlsx, "MEMORY_CHARS", 100)
    book = xlsx.XlsxTables(tmp_path / "findings.xlsx", [("findings", COLUMNS)])
    for row, _ in _rows(50):
        book.add("findings", row)
    assert _spill_dirs() != before
    book.discard()
    assert list(tmp_path.iterdir()) == [] and _spill_dirs() == before


def test_a_failing_close_leaves_no_temporary_files(tmp_path, monkeypatch):
    before = _spill_dirs()
    monkeypatch.setattr(xlsx, "MEMORY_CHARS", 100)
    book = xlsx.XlsxTables(tmp_path / "findings.xlsx", [("findings", COLUMNS)])
    for row, _ in _rows(50):
        book.add("findings", row)

    def full_disk():
        raise OSError("disk full")

    monkeypatch.setattr(book.workbook, "close", full_disk)
    with pytest.raises(OSError):
        book.close()
    assert list(tmp_path.iterdir()) == [] and _spill_dirs() == before


def test_texts_that_need_escapes_keep_their_value_and_their_edge_spaces(tmp_path):
    import openpyxl

    tricky = [" leading", "trailing ", "a\x0bb", "_x0041_ as written", "<b>&amp;</b>", "سطر\nثان", "\ttab", "plain"]
    rows = [({"article_id": f"a{i}", "severity": "major", "text": t, "start": i}, None) for i, t in enumerate(tricky)]
    rows.append(({"article_id": "clean", "severity": "minor", "text": "نص عادي", "start": 99}, None))
    xlsx.write_xlsx(tmp_path / "findings.xlsx", [("findings", COLUMNS, rows)])
    sheet = openpyxl.load_workbook(tmp_path / "findings.xlsx")["findings"]
    got = [r[2].value for r in sheet.iter_rows(min_row=2)]
    assert got[:2] == [" leading", "trailing "] and got[4:6] == ["<b>&amp;</b>", "سطر\nثان"]
    assert got[-2:] == ["plain", "نص عادي"]
    xml = zipfile.ZipFile(tmp_path / "findings.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert "a_x000B_b" in xml and "_x005F_x0041_ as written" in xml  # XlsxWriter's escapes
    assert '<t xml:space="preserve"> leading</t>' in xml and '<t xml:space="preserve">_x0009_tab</t>' not in xml


@pytest.mark.parametrize("memory_chars", [xlsx.MEMORY_CHARS, 500])  # both packaging roads
@pytest.mark.parametrize("level", [xlsx.ZIP_LEVEL, 9])
def test_every_member_is_deflated_at_the_chosen_level_and_xlsxwriter_is_left_as_it_was(tmp_path, monkeypatch, memory_chars, level):
    import zlib

    import xlsxwriter.workbook

    monkeypatch.setattr(xlsx, "MEMORY_CHARS", memory_chars)
    monkeypatch.setattr(xlsx, "ZIP_LEVEL", level)
    path = tmp_path / "findings.xlsx"
    xlsx.write_xlsx(path, [("findings", COLUMNS, _rows(300))])
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            deflate = zlib.compressobj(xlsx.ZIP_LEVEL, zlib.DEFLATED, -15)
            data = z.read(info)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.compress_size == len(deflate.compress(data) + deflate.flush()), info.filename
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
