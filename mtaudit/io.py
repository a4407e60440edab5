"""Reading articles: .txt files and folders of them, JSONL, CSV/TSV, paired source/reference.

A file that cannot be read (empty, binary, not UTF-8, malformed) becomes an
:class:`InputProblem` naming the file (and line); every other input is still read. Text is
kept exactly as decoded (only a leading BOM is removed) because all offsets point into it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .types import Article, InputProblem

TEXT_SUFFIXES = {".txt"}
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
XLIFF_SUFFIXES = {".xlf", ".xliff", ".xlf2", ".tmx"}


class InputError(Exception):
    """An input file that cannot be used; the message names the file."""


@dataclass
class Inputs:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode UTF-8 (with or without BOM); anything else raises InputError naming ``origin``."""
    if not data.strip():
        raise InputError(f"{origin}: file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{origin}: file is UTF-16; re-save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: looks like a binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{origin}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 (Windows-1256 and ISO-8859-6 are not accepted)"
        ) from None
    if not text.strip():
        raise InputError(f"{origin}: file is empty")
    return text


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(path))


def _iter_text_files(folder: Path) -> Iterable[Path]:
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not any(
            part.startswith(".") for part in p.relative_to(folder).parts
        ):
            yield p


def _find_pair(folder: Path | None, stem: str, relative: Path | None = None) -> Path | None:
    """The file in ``folder`` that pairs with an article.

    The file at the same relative path wins (``x/a.txt`` pairs with ``x/a.txt``, not with
    ``y/a.txt``); then ``stem.txt`` or ``stem`` at the top; then any ``stem.*`` below.
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
    matches = sorted(p for p in folder.rglob(f"{stem}.*") if p.is_file())
    return matches[0] if matches else None


def _optional_str(value: Any, field_name: str, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: field '{field_name}' must be a string")
    return value


def _records_to_articles(records: list[tuple[str, dict[str, Any]]], origin: str, out: Inputs) -> None:
    """Turn JSONL/CSV records into articles; records with ``article_id`` are segments."""
    grouped: "OrderedDict[str, list[tuple[str, dict[str, Any]]]]" = OrderedDict()
    for where, rec in records:
        try:
            rid = rec.get("id")
            if rid is None or str(rid).strip() == "":
                raise InputError(f"{where}: record has no 'id'")
            target = rec.get("target")
            if not isinstance(target, str) or not target.strip():
                raise InputError(f"{where}: record '{rid}' has no text in 'target'")
            for name in ("source", "reference"):
                _optional_str(rec.get(name), name, where)
            meta = rec.get("meta") or {}
            if isinstance(meta, str):
                meta = json.loads(meta) if meta.strip() else {}
            if not isinstance(meta, dict):
                raise InputError(f"{where}: field 'meta' must be an object")
            rec = dict(rec, meta=meta)
        except (InputError, json.JSONDecodeError) as exc:
            out.problems.append(InputProblem(origin, str(exc) if isinstance(exc, InputError) else f"{where}: bad 'meta' JSON"))
            continue
        key = str(rec.get("article_id") or "").strip()
        grouped.setdefault(key or f"\0{rid}", []).append((where, rec))

    for key, recs in grouped.items():
        if not key.startswith("\0"):
            out.articles.append(_segment_records_to_article(key, recs, origin))
            continue
        _, rec = recs[0]
        out.articles.append(
            Article(
                id=str(rec["id"]),
                text=rec["target"],
                source=rec.get("source") or None,
                reference=rec.get("reference") or None,
                origin=origin,
                meta=rec["meta"],
                record_lines=_line_of(recs[0][0]),
            )
        )


def _segment_records_to_article(article_id: str, recs: list[tuple[str, dict[str, Any]]], origin: str) -> Article:
    parts, spans, sources, references = [], [], [], []
    pos = 0
    for _, rec in recs:
        target = rec["target"]
        spans.append((str(rec["id"]), pos, pos + len(target)))
        parts.append(target)
        pos += len(target) + 1  # records are joined with one newline
        sources.append(rec.get("source") or None)
        references.append(rec.get("reference") or None)
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
        record_lines=tuple(n for where, _ in recs for n in _line_of(where)) if all(_line_of(w) for w, _ in recs) else (),
    )


def _line_of(where: str) -> tuple[int, ...]:
    """``"file.jsonl:12"`` → (12,); () when the place has no line number."""
    tail = where.rpartition(":")[2]
    return (int(tail),) if tail.isdigit() else ()


def read_jsonl(path: Path, out: Inputs) -> None:
    text = decode_bytes(path.read_bytes(), str(path))
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            out.problems.append(InputProblem(str(path), f"{where}: malformed JSON ({exc.msg})"))
            continue
        if not isinstance(rec, dict):
            out.problems.append(InputProblem(str(path), f"{where}: expected a JSON object"))
            continue
        records.append((where, rec))
    _records_to_articles(records, str(path), out)


def read_table(path: Path, out: Inputs) -> None:
    text = decode_bytes(path.read_bytes(), str(path))
    delimiter = TABLE_SUFFIXES[path.suffix.lower()]
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = reader.fieldnames or []
        missing = [c for c in ("id", "target") if c not in header]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)} (has: {', '.join(header)})")
        records = []
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row:
                out.problems.append(InputProblem(str(path), f"{where}: more fields than the header"))
                continue
            records.append((where, {k: v for k, v in row.items() if k is not None}))
    except csv.Error as exc:
        raise InputError(f"{path}: malformed {path.suffix[1:].upper()} ({exc})") from None
    _records_to_articles(records, str(path), out)


def read_xliff(path: Path, out: Inputs) -> None:
    """XLIFF 1.2/2.x or TMX (mtaudit.xliff): one article per <file> (TMX: per file)."""
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
) -> Inputs:
    """Read every article under ``paths``; problems are collected, never raised.

    A ``.txt`` article's id is its file name without extension; when two files share a
    name, the later ones get their path relative to the folder given.
    """
    out = Inputs()
    for missing_dir, label in ((source_dir, "--source"), (reference_dir, "--reference")):
        if missing_dir is not None and not missing_dir.is_dir():
            raise InputError(f"{label} {missing_dir}: no such folder")
    seen_ids: set[str] = set()
    paired: set[Path] = set()

    def add_text(path: Path, base: Path | None) -> None:
        try:
            text = read_text_file(path)
        except InputError as exc:
            out.problems.append(InputProblem(str(path), str(exc)))
            return
        art_id = path.stem
        if art_id in seen_ids and base is not None:
            art_id = path.relative_to(base).with_suffix("").as_posix()
        extras: dict[str, str | None] = {"source": None, "reference": None}
        relative = path.relative_to(base) if base is not None else None
        for name, folder in (("source", source_dir), ("reference", reference_dir)):
            pair = _find_pair(folder, path.stem, relative)
            if pair is not None:
                paired.add(pair.resolve())
            if folder is not None and pair is None:
                out.problems.append(InputProblem(str(path), f"{path}: no {name} file named {path.stem}.* in {folder}; audited without it", skipped=False))
            elif pair is not None:
                try:
                    extras[name] = read_text_file(pair)
                except InputError as exc:
                    out.problems.append(InputProblem(str(pair), f"{exc}; {path.name} audited without its {name}", skipped=False))
        seen_ids.add(art_id)
        out.articles.append(Article(id=art_id, text=text, origin=str(path), **extras))

    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = list(_iter_text_files(path))
            if not files:
                out.problems.append(InputProblem(str(path), f"{path}: folder has no .txt files"))
            for f in files:
                add_text(f, path)
        elif not path.exists():
            out.problems.append(InputProblem(str(path), f"{path}: no such file or folder"))
        else:
            suffix = path.suffix.lower()
            try:
                if suffix in JSONL_SUFFIXES:
                    read_jsonl(path, out)
                elif suffix in TABLE_SUFFIXES:
                    read_table(path, out)
                elif suffix in XLIFF_SUFFIXES:
                    read_xliff(path, out)
                else:
                    add_text(path, None)
            except InputError as exc:
                out.problems.append(InputProblem(str(path), str(exc)))
            except OSError as exc:
                out.problems.append(InputProblem(str(path), f"{path}: cannot read ({exc.strerror or exc})"))
    if paired:
        # A source nobody translated is an article missing from the delivery: say so.
        for name, folder in (("source", source_dir), ("reference", reference_dir)):
            for orphan in _iter_text_files(folder) if folder is not None else ():
                if orphan.resolve() not in paired:
                    out.problems.append(InputProblem(str(orphan), f"{orphan}: {name} file with no matching translation (missing from the delivery?)", skipped=False))
    _dedupe_ids(out)
    return out


def _dedupe_ids(out: Inputs) -> None:
    counts: dict[str, int] = {}
    deduped = []
    for art in out.articles:
        n = counts.get(art.id, 0)
        counts[art.id] = n + 1
        if n:
            new_id = f"{art.id}~{n + 1}"
            out.problems.append(InputProblem(art.origin, f"{art.origin}: duplicate article id '{art.id}', renamed '{new_id}'", skipped=False))
            art = Article(**{**art.__dict__, "id": new_id})
        deduped.append(art)
    out.articles = deduped
