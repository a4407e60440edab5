"""Document formats mtaudit does not read, recognised so they are reported, not audited.

A delivery folder often holds the Word or PDF copy beside the plain text, and a user may
name a ``.docx`` on the command line. Read as text, such a file is either refused with a
vague "binary" message or, for RTF (plain ASCII markup), audited as garbage. Recognising
them by suffix and by their first bytes lets the input problem say what the file is and
what to do instead (Xbench and Verifika likewise list the files they cannot load).
"""

from __future__ import annotations

from pathlib import Path

#: Suffix → what the file is. A folder is searched for these too, so that they are listed
#: as input problems instead of passed over in silence.
DOCUMENT_SUFFIXES = {
    ".docx": "a Word document",
    ".doc": "a Word 97-2003 document",
    ".docm": "a Word document",
    ".dotx": "a Word template",
    ".odt": "an OpenDocument text",
    ".rtf": "an RTF document",
    ".pdf": "a PDF document",
    ".xlsx": "an Excel workbook",
    ".xls": "an Excel 97-2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".pptx": "a PowerPoint presentation",
    ".pages": "a Pages document",
    ".epub": "an EPUB book",
}

#: First bytes → what the file is, for a file whose suffix does not say (report.txt saved
#: from Word as .docx and renamed). RTF needs this most: it has no NUL bytes and decodes.
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .odt file is one)"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office 97-2003 file (.doc or .xls)"),
)

_ADVICE = (
    "not plain text; mtaudit reads .txt, JSONL, JSON, CSV/TSV, XLIFF and TMX: "
    "save it as UTF-8 plain text (.txt) or export it to CSV or XLIFF, and audit that"
)


def document_reason(path: Path | str, head: bytes = b"") -> str | None:
    """Why ``path`` (whose content starts with ``head``) is a document mtaudit cannot read,
    or None when it may be text. The suffix decides first, then the first bytes."""
    what = DOCUMENT_SUFFIXES.get(Path(path).suffix.lower())
    if what is None:
        what = next((name for magic, name in _SIGNATURES if head.startswith(magic)), None)
    return f"{what}, {_ADVICE}" if what else None
