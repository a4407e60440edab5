"""Reading articles: .txt files and folders of them, JSONL, JSON arrays, CSV/TSV, paired
source/reference.

Every input record ends up in exactly one place: an audited :class:`Article`, or an
:class:`InputProblem` naming the file, the line and the reason. A bad record never costs
its neighbours: the JSON readers recover per line and the table readers per row, and a
file that cannot be read at all is one problem while the other files are still read.
Text is kept exactly as decoded (only a leading BOM is removed) because all offsets point
into it.

Limits (documented in the README): a record or line of more than ``MAX_RECORD_CHARS``
characters, JSON nested deeper than Python's parser allows, a quoted table field that runs
over ``MAX_QUOTED_LINES`` lines without closing, and non-regular files (FIFOs, devices)
are input problems.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import re
import stat
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..types import Article, InputProblem
from .formats import DOCUMENT_SUFFIXES, document_reason
from .sanity import lone_surrogate, unusable_reason

TEXT_SUFFIXES = {".txt"}
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
#: Every suffix a folder is searched for. A ``.json`` file is read when named, not in a
#: folder, where it is as likely to be a metadata file as a delivery.
FOLDER_SUFFIXES = TEXT_SUFFIXES | set(TABLE_SUFFIXES) | JSONL_SUFFIXES

#: One record (a JSONL line, a table row, a JSON array item's text) may be this long.
MAX_RECORD_CHARS = 5_000_000
#: A quoted table field may span this many physical lines before it counts as unbalanced.
MAX_QUOTED_LINES = 1000
#: Characters that cannot stand in an article or segment id (they break lines and cells).
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
XLIFF_SUFFIXES = {".xlf", ".xliff", ".xlf2", ".tmx"}


class InputError(Exception):
    """An input file that cannot be used; the message names the file."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class _TextFile:
    """A ``.txt`` article, kept as where to read it again: its text (and its source's and
    reference's) is read, checked and counted when the inputs are read, then dropped, and
    read again when the article is audited (a digest makes sure it is the same text)."""

    id: str
    path: Path
    digest: bytes
    source: tuple[Path, bytes] | None = None
    reference: tuple[Path, bytes] | None = None
    line: int = 0

    @property
    def origin(self) -> str:
        return str(self.path)

    def cache_identity(self) -> tuple:
        """Everything the article's result depends on, without reading it again (the
        digests stand for the texts): its key in the result cache (mtaudit.run.result_cache)."""
        def pair(p):
            return (str(p[0]), p[1]) if p is not None else None

        return (self.id, str(self.path), self.digest, pair(self.source), pair(self.reference), self.line)

    def load(self) -> Article:
        extras = {}
        for name, pair in (("source", self.source), ("reference", self.reference)):
            extras[name] = _read_again(*pair) if pair is not None else None
        return Article(id=self.id, text=_read_again(self.path, self.digest), origin=str(self.path), **extras)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _read_again(path: Path, digest: bytes) -> str:
    data = _read_regular_file(path)
    if _digest(data) != digest:
        raise InputError(f"{path}: changed while the batch was being audited; run the audit again")
    return decode_bytes(data, str(path))


class ArticleList(list):
    """The articles read, in order, as a list: an article read from a ``.txt`` file is held as
    a :class:`_TextFile` (its path and a digest, not its text) and read again each time it is
    taken out, so a batch of 100,000 files holds a few hundred bytes per article until it is
    audited. Indexing and iteration give :class:`Article` objects; slicing gives an
    ArticleList; two lists are equal when their articles are."""

    def __iter__(self):
        for entry in list.__iter__(self):
            yield entry.load() if isinstance(entry, _TextFile) else entry

    def __getitem__(self, index):
        entry = list.__getitem__(self, index)
        if isinstance(index, slice):
            return ArticleList(entry)
        return entry.load() if isinstance(entry, _TextFile) else entry

    def entries(self):
        """The stored entries (articles and :class:`_TextFile` records) without reading any file."""
        return list.__iter__(self)

    def select(self, keep) -> "ArticleList":
        """The articles whose flag in ``keep`` is true (a lazy list again)."""
        return ArticleList(e for e, k in zip(list.__iter__(self), keep) if k)

    def __eq__(self, other):
        if not isinstance(other, list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None

    def __repr__(self) -> str:
        return f"ArticleList({list(self)!r})"

    def __reduce__(self):  # pickled (a Dask run) as the articles themselves
        return (ArticleList, (list(self),))


@dataclass
class Inputs:
    articles: list[Article] = field(default_factory=ArticleList)
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def duplicates(self) -> list[InputProblem]:
        """Problems that stop the run unless duplicates were allowed."""
        return [p for p in self.problems if p.kind == "duplicate"]


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode UTF-8 (with or without BOM); anything else raises InputError naming ``origin``."""
    if not data.strip():
        raise InputError(f"{origin}: file is empty")
    document = document_reason(origin, data[:16])
    if document:
        raise InputError(f"{origin}: {document}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{origin}: file is UTF-16; re-save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: looks like a binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{origin}: not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}, offset {exc.start}); "
            "re-save it as UTF-8 (Windows-1256 and ISO-8859-6 are not accepted)",
            line,
        ) from None
    if not text.strip():
        raise InputError(f"{origin}: file is empty")
    return text


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO or device is refused instead of blocking on it."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{path}: not a regular file (a FIFO, socket or device); mtaudit reads files only")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_text_file(path: Path) -> str:
    return decode_bytes(_read_regular_file(path), str(path))


#: The files every report set holds (DESIGN.md's contract): a folder below an input folder
#: with all of them is an earlier run's --out, not input (its CSV files are no articles, its
#: findings.xlsx no document to refuse).
REPORT_SET_FILES = ("findings.csv", "articles.csv", "findings.json")


def _is_report_folder(folder: Path) -> bool:
    return all((folder / name).is_file() for name in REPORT_SET_FILES)


def _iter_input_files(folder: Path, suffixes: set[str]) -> Iterable[Path]:
    report_folders: dict[Path, bool] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        hidden = any(part.startswith(".") for part in rel.parts)
        # not is_dir rather than is_file: a FIFO named *.txt is reported, not skipped
        if p.suffix.lower() not in suffixes or hidden or p.is_dir():
            continue
        below = [folder.joinpath(*rel.parts[:k]) for k in range(1, len(rel.parts))]
        if any(report_folders.setdefault(d, _is_report_folder(d)) for d in below):
            continue
        yield p


def _find_pair(folder: Path | None, stem: str, relative: Path | None = None) -> Path | None:
    """The file in ``folder`` that pairs with an article.

    The file at the same relative path wins (``x/a.txt`` pairs with ``x/a.txt``, not with
    ``y/a.txt``); then ``stem.txt`` or ``stem`` at the top; then any ``stem.*`` below. The
    stem is matched literally: ``x[1]`` is a name, not a glob pattern.
    """
    if folder is None:
        return None
    candidates = []
    if relative is not None:
        candidates += [folder / relative.with_suffix(".txt"), folder / relative.with_suffix("")]
    candidates += [folder / f"{stem}.txt", folder / stem]
    for cand in candidates:
        if cand.is_file():
            return cand
    matches = sorted(p for p in folder.rglob(f"{glob.escape(stem)}.*") if p.is_file())
    return matches[0] if matches else None


def _optional_str(value: Any, field_name: str, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: field '{field_name}' must be a string")
    return value


def clean_id(raw: str) -> str:
    """An id with line breaks and control characters written as visible escapes."""
    return _ID_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", raw)


def _check_text(value: str, field_name: str, where: str) -> None:
    """Raise InputError when a text field cannot be audited or written to a report."""
    if len(value) > MAX_RECORD_CHARS:
        raise InputError(f"{where}: field '{field_name}' is {len(value):,} characters; the limit is {MAX_RECORD_CHARS:,}")
    offset = lone_surrogate(value)
    if offset is not None:
        raise InputError(
            f"{where}: field '{field_name}' has a lone surrogate (U+{ord(value[offset]):04X}) at character {offset}; "
            "it is not a valid character and cannot be written as UTF-8"
        )


@dataclass
class _Record:
    where: str
    line: int
    fields: dict[str, Any]


def _validated(rec: _Record, origin: str, out: Inputs) -> dict[str, Any] | None:
    """The record's fields checked and normalised, or None after recording why not."""
    where = rec.where
    try:
        raw_id = rec.fields.get("id")
        if raw_id is None or str(raw_id).strip() == "":
            raise InputError(f"{where}: record has no 'id'")
        target = rec.fields.get("target")
        if not isinstance(target, str) or not target.strip():
            raise InputError(f"{where}: record '{raw_id}' has no text in 'target'")
        _check_text(target, "target", where)
        for name in ("source", "reference", "article_id"):
            value = _optional_str(rec.fields.get(name), name, where) if name != "article_id" else rec.fields.get(name)
            if isinstance(value, str):
                _check_text(value, name, where)
        reason = unusable_reason(target)
        if reason:
            raise InputError(f"{where}: record '{raw_id}': target {reason}")
        meta = rec.fields.get("meta") or {}
        if isinstance(meta, str):
            try:
                meta = json.loads(meta) if meta.strip() else {}
            except (json.JSONDecodeError, RecursionError):
                raise InputError(f"{where}: bad 'meta' JSON") from None
        if not isinstance(meta, dict):
            raise InputError(f"{where}: field 'meta' must be an object")
        if lone_surrogate(json.dumps(meta, ensure_ascii=False)) is not None:
            raise InputError(f"{where}: field 'meta' has a lone surrogate")
    except InputError as exc:
        out.problems.append(InputProblem(origin, str(exc), line=rec.line))
        return None
    return dict(rec.fields, id=clean_id(str(raw_id).strip()), meta=meta)


def _records_to_articles(records: list[_Record], origin: str, out: Inputs) -> None:
    """Turn JSONL/JSON/CSV records into articles; records with ``article_id`` are segments.

    A record without ``article_id`` is an article of its own, whatever its id: two such
    records with one id are reported as duplicates, never merged or dropped.
    """
    grouped: OrderedDict[str, list[tuple[_Record, dict[str, Any]]]] = OrderedDict()
    singles: list[tuple[_Record, dict[str, Any]]] = []
    for rec in records:
        fields = _validated(rec, origin, out)
        if fields is None:
            continue
        article_id = clean_id(str(fields.get("article_id") or "").strip())
        if article_id:
            grouped.setdefault(article_id, []).append((rec, fields))
        else:
            singles.append((rec, fields))
    for rec, fields in singles:
        out.articles.append(
            Article(
                id=fields["id"],
                text=fields["target"],
                source=fields.get("source") or None,
                reference=fields.get("reference") or None,
                origin=origin,
                meta=fields["meta"],
                line=rec.line,
                record_lines=(rec.line,) if rec.line else (),
            )
        )
    for article_id, recs in grouped.items():
        out.articles.append(_segment_records_to_article(article_id, recs, origin, out))


def _segment_records_to_article(
    article_id: str, recs: list[tuple[_Record, dict[str, Any]]], origin: str, out: Inputs
) -> Article:
    parts, spans, sources, references = [], [], [], []
    pos = 0
    seen: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    for rec, fields in recs:
        target = fields["target"]
        segment_id = fields["id"]
        seen[segment_id] += 1
        if seen[segment_id] > 1:
            new_id = f"{segment_id}~{seen[segment_id]}"
            out.problems.append(
                InputProblem(
                    origin,
                    f"{rec.where}: duplicate segment id '{segment_id}' in article '{article_id}' "
                    f"(first at line {first_line[segment_id]}); audited as '{new_id}'",
                    skipped=False,
                    line=rec.line,
                    kind="duplicate",
                )
            )
            segment_id = new_id
        first_line.setdefault(fields["id"], rec.line)
        spans.append((segment_id, pos, pos + len(target)))
        parts.append(target)
        pos += len(target) + 1  # records are joined with one newline
        sources.append(fields.get("source") or None)
        references.append(fields.get("reference") or None)
    has_source = any(sources)
    has_reference = any(references)
    return Article(
        id=article_id,
        text="\n".join(parts),
        source="\n".join(s or "" for s in sources) if has_source else None,
        reference="\n".join(r or "" for r in references) if has_reference else None,
        origin=origin,
        meta=dict(recs[0][1]["meta"]),
        record_spans=tuple(spans),
        record_sources=tuple(sources) if has_source else (),
        record_references=tuple(references) if has_reference else (),
        line=recs[0][0].line,
        record_lines=tuple(rec.line for rec, _ in recs) if all(rec.line for rec, _ in recs) else (),
    )


def _parse_json_value(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" ("Unterminated string starting at"): no second one.
        at = "" if exc.msg.endswith(" at") else " at"
        raise InputError(f"{where}: malformed JSON ({exc.msg}{at} column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None


def read_jsonl(path: Path, out: Inputs) -> None:
    """One JSON object per line. Lines end at ``\\n`` only (a raw U+2028 inside a string is
    text, not a line break); a bad line is a problem and the next line is still read."""
    text = decode_bytes(_read_regular_file(path), str(path))
    records = []
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            if len(line) > MAX_RECORD_CHARS:
                raise InputError(f"{where}: line is {len(line):,} characters; the limit is {MAX_RECORD_CHARS:,}")
            rec = _parse_json_value(line, where)
            if not isinstance(rec, dict):
                raise InputError(f"{where}: expected a JSON object, found {type(rec).__name__}")
        except InputError as exc:
            out.problems.append(InputProblem(str(path), str(exc), line=lineno))
            continue
        records.append(_Record(where, lineno, rec))
    _records_to_articles(records, str(path), out)


def read_json(path: Path, out: Inputs) -> None:
    """A ``.json`` file: an array of records, or one record object."""
    text = decode_bytes(_read_regular_file(path), str(path))
    value = _parse_json_value(text, str(path))
    items = value if isinstance(value, list) else [value]
    if not items:
        out.problems.append(InputProblem(str(path), f"{path}: an empty JSON array, no records"))
    records = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            out.problems.append(InputProblem(str(path), f"{where}: expected a JSON object, found {type(item).__name__}"))
            continue
        records.append(_Record(where, 0, item))
    _records_to_articles(records, str(path), out)


def _physical_lines(text: str) -> list[str]:
    """Lines with their endings; only CR, LF and CRLF end a line in a table."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _table_rows(text: str, delimiter: str, path: Path, out: Inputs) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each row, recovering from bad rows.

    A row whose quote never closes is reported and skipped alone; reading goes on at the
    next line. A TSV row that breaks CSV quoting rules (a field that only starts with a
    quote) is read as plain tab-separated text, since TSV has no quoting.
    """
    lines = _physical_lines(text)
    i = 0
    while i < len(lines):
        j = i + 1
        while True:
            chunk = "".join(lines[i:j])
            try:
                rows = list(csv.reader(io.StringIO(chunk, newline=""), delimiter=delimiter, strict=True))
            except csv.Error as exc:
                if "unexpected end of data" in str(exc) or "new-line character seen in unquoted field" in str(exc):
                    if j < len(lines) and j - i < MAX_QUOTED_LINES and len(chunk) <= MAX_RECORD_CHARS:
                        j += 1
                        continue
                    if delimiter == "\t":
                        rows = [lines[i].rstrip("\r\n").split("\t")]
                        j = i + 1
                        break
                    out.problems.append(
                        InputProblem(str(path), f"{path}:{i + 1}: a quoted field never closes; row skipped", line=i + 1)
                    )
                    rows, j = [], i + 1
                    break
                if delimiter == "\t":
                    rows = [lines[i].rstrip("\r\n").split("\t")]
                    j = i + 1
                    break
                out.problems.append(InputProblem(str(path), f"{path}:{i + 1}: malformed CSV row ({exc}); row skipped", line=i + 1))
                rows, j = [], i + 1
                break
            break
        for row in rows:
            yield i + 1, row
        i = j


def read_table(path: Path, out: Inputs) -> None:
    text = decode_bytes(_read_regular_file(path), str(path))
    delimiter = TABLE_SUFFIXES[path.suffix.lower()]
    problems_before = len(out.problems)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_RECORD_CHARS)
    try:
        rows = _table_rows(text, delimiter, path, out)
        header: list[str] | None = None
        records = []
        data_rows = 0
        for lineno, row in rows:
            if header is None:
                header = [h.strip() for h in row]
                missing = [c for c in ("id", "target") if c not in header]
                if missing:
                    raise InputError(f"{path}: missing column(s) {', '.join(missing)} (has: {', '.join(header)})", lineno)
                continue
            where = f"{path}:{lineno}"
            if not any(cell.strip() for cell in row):
                continue
            data_rows += 1
            if len(row) > len(header):
                out.problems.append(InputProblem(str(path), f"{where}: more fields than the header", line=lineno))
                continue
            records.append(_Record(where, lineno, dict(zip(header, row))))
    finally:
        csv.field_size_limit(old_limit)
    if header is not None and not data_rows and len(out.problems) == problems_before:
        out.problems.append(InputProblem(str(path), f"{path}: has a header but no records"))
    _records_to_articles(records, str(path), out)


def read_xliff(path: Path, out: Inputs) -> None:
    """XLIFF 1.2/2.x or TMX (mtaudit.inputs.xliff): one article per <file> (TMX: per file)."""
    from .xliff import XliffError, read_articles

    try:
        articles = read_articles(path)
    except XliffError as exc:
        raise InputError(str(exc)) from None
    if not articles:
        raise InputError(f"{path}: no unit with a target text")
    out.articles.extend(articles)


def read_inputs(
    paths: Iterable[Path],
    source_dir: Path | None = None,
    reference_dir: Path | None = None,
    allow_duplicates: bool = False,
) -> Inputs:
    """Read every article under ``paths``; problems are collected, never raised.

    A ``.txt`` article's id is its file name without extension; when two files share a
    name, the later ones get their path relative to the folder given. Other duplicate ids
    are ``duplicate`` problems; with ``allow_duplicates`` they are warnings and the later
    articles are kept as ``id~2``, ``id~3``.
    """
    out = Inputs()
    usable: dict[str, Path | None] = {}
    for folder, label in ((source_dir, "--source"), (reference_dir, "--reference")):
        usable[label] = folder
        if folder is not None and not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "no such folder"
            out.problems.append(InputProblem(str(folder), f"{label} {folder}: {what}; articles audited without it", skipped=False))
            usable[label] = None
    source_dir, reference_dir = usable["--source"], usable["--reference"]
    seen_ids: set[str] = set()
    paired: set[Path] = set()

    def add_text(path: Path, base: Path | None) -> None:
        try:
            data = _read_regular_file(path)
            text = decode_bytes(data, str(path))
            reason = unusable_reason(text)
            if reason:
                raise InputError(f"{path}: {reason}")
        except InputError as exc:
            out.problems.append(InputProblem(str(path), str(exc), line=exc.line))
            return
        art_id = clean_id(path.stem)
        if art_id in seen_ids and base is not None:
            art_id = clean_id(path.relative_to(base).with_suffix("").as_posix())
        extras: dict[str, tuple[Path, bytes] | None] = {"source": None, "reference": None}
        relative = path.relative_to(base) if base is not None else None
        for name, folder in (("source", source_dir), ("reference", reference_dir)):
            pair = _find_pair(folder, path.stem, relative)
            if pair is not None:
                paired.add(pair.resolve())
            if folder is not None and pair is None:
                out.problems.append(InputProblem(str(path), f"{path}: no {name} file named {path.stem}.* in {folder}; audited without it", skipped=False))
            elif pair is not None:
                try:
                    pair_data = _read_regular_file(pair)
                    _check_text(decode_bytes(pair_data, str(pair)), name, str(pair))
                    extras[name] = (pair, _digest(pair_data))
                except InputError as exc:
                    extras[name] = None
                    out.problems.append(InputProblem(str(pair), f"{exc}; {path.name} audited without its {name}", skipped=False))
        seen_ids.add(art_id)
        # kept as where to read it again (ArticleList): a long batch does not hold every text
        out.articles.append(_TextFile(art_id, path, _digest(data), **extras))

    def add_file(path: Path, base: Path | None) -> None:
        suffix = path.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                read_jsonl(path, out)
            elif suffix in JSON_SUFFIXES:
                read_json(path, out)
            elif suffix in TABLE_SUFFIXES:
                read_table(path, out)
            elif suffix in XLIFF_SUFFIXES:
                read_xliff(path, out)
            else:
                add_text(path, base)
        except InputError as exc:
            out.problems.append(InputProblem(str(path), str(exc), line=exc.line))

    for path in paths:
        path = Path(path)
        if path.is_dir():
            # documents too, so that a .docx beside the .txt files is reported, not passed over
            files = list(_iter_input_files(path, FOLDER_SUFFIXES | set(DOCUMENT_SUFFIXES)))
            if not files:
                out.problems.append(InputProblem(str(path), f"{path}: folder has no input files ({', '.join(sorted(FOLDER_SUFFIXES))})"))
            for f in files:
                add_file(f, path)
        elif not path.exists():
            out.problems.append(InputProblem(str(path), f"{path}: no such file or folder"))
        else:
            add_file(path, None)
    if paired:
        # A source nobody translated is an article missing from the delivery: say so.
        for name, folder in (("source", source_dir), ("reference", reference_dir)):
            for orphan in _iter_input_files(folder, TEXT_SUFFIXES) if folder is not None else ():
                if orphan.resolve() not in paired:
                    out.problems.append(InputProblem(str(orphan), f"{orphan}: {name} file with no matching translation (missing from the delivery?)", skipped=False))
    _mark_duplicate_ids(out, allow_duplicates)
    return out


DUPLICATE_REFUSED = " (an input error, exit 2: give each its own id, or pass --allow-duplicates to keep them all)"
DUPLICATE_ALLOWED = " (--allow-duplicates)"


def _mark_duplicate_ids(out: Inputs, allow_duplicates: bool) -> None:
    """Report articles that share an id; the later ones are kept as ``id~N``."""
    counts: Counter[str] = Counter()
    first_origin: dict[str, str] = {}
    kept = ArticleList()
    entries = out.articles.entries() if isinstance(out.articles, ArticleList) else out.articles
    for art in entries:
        counts[art.id] += 1
        n = counts[art.id]
        if n == 1:
            first_origin[art.id] = f"{art.origin}:{art.line}" if art.line else art.origin
            kept.append(art)
            continue
        new_id = f"{art.id}~{n}"
        where = f"{art.origin}:{art.line}" if art.line else art.origin
        out.problems.append(
            InputProblem(
                art.origin,
                f"{where}: duplicate article id '{art.id}' (first in {first_origin[art.id]}); audited as '{new_id}'",
                skipped=False,
                line=art.line,
                kind="duplicate",
            )
        )
        kept.append(replace(art, id=new_id))
    # The consequence is said where the problem is, so "kept as" never reads as harmless:
    # without --allow-duplicates the batch is audited but the run is an input error (exit 2).
    consequence = DUPLICATE_ALLOWED if allow_duplicates else DUPLICATE_REFUSED
    out.problems = [
        p if p.kind != "duplicate"
        else InputProblem(**{**p.__dict__, "message": p.message + consequence, "kind": "" if allow_duplicates else "duplicate"})
        for p in out.problems
    ]
    out.articles = kept

