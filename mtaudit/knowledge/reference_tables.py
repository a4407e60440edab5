"""Reading a reference table (references/*.tsv) and checking it against its schema.

Every table's columns are described once, as data, in ``references/tables.schema.json``:
JSON Schema over one row (property = column), with ``required`` columns and the column a
newsroom's row replaces the default by (``key``). One reader checks every table against
it with jsonschema, so a new table or column needs a schema entry, not a validator. The
code that turns rows into lookups (:mod:`mtaudit.knowledge.resources`) can then trust the values.

A TSV file: lines starting with ``#`` are comments (documentation and citations), the
first other line is the header, then one row per line. Errors name file and line:
``boilerplate.tsv:2: scope must be line, next or rest``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex


class ReferenceDataError(Exception):
    """Reference data is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class Row:
    values: dict[str, str]
    origin: str  # file:line, for error messages

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


SCHEMA_FILE = "tables.schema.json"


def _is_regex(value: object) -> bool:
    if isinstance(value, str):
        regex.compile(value)
    return True


def _is_number(value: object) -> bool:
    if isinstance(value, str):
        float(value)
    return True


@lru_cache(maxsize=1)
def _formats():
    """The formats our schemas use ("regex", "number"), for jsonschema's format checks."""
    from jsonschema import FormatChecker  # only when a table is checked, not at every start

    formats = FormatChecker(formats=())
    formats.checks("regex", raises=regex.error)(_is_regex)
    formats.checks("number", raises=ValueError)(_is_number)
    return formats


@dataclass(frozen=True)
class TableSchema:
    """One table's schema: its required columns, its key column and the row validator."""

    name: str
    required: tuple[str, ...]
    key: str | None
    row: dict = field(default_factory=dict)

    @property
    def validator(self):
        """None when the schema says nothing beyond the required columns (most of the
        gazetteer-sized tables), so those rows cost no validation."""
        return _validator(json.dumps(self.row, sort_keys=True)) if self.row else None


@lru_cache(maxsize=None)
def _validator(schema_json: str):
    from jsonschema import Draft202012Validator  # the validator classes: only for tables with rules

    return Draft202012Validator(json.loads(schema_json), format_checker=_formats())


@lru_cache(maxsize=None)
def _schemas(schema_file: Path) -> dict:
    try:
        return json.loads(schema_file.read_text(encoding="utf-8"))["tables"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReferenceDataError(f"{schema_file}: cannot read the table schemas ({exc})") from None


def table_schema(name: str, schema_file: Path) -> TableSchema:
    """The schema of table ``name`` (a file name; ``messages_*.tsv`` style entries match
    by pattern). A table with no entry is an error: every table is described."""
    tables = _schemas(schema_file)
    entry = tables.get(name) or next((v for k, v in tables.items() if fnmatch.fnmatchcase(name, k)), None)
    if entry is None:
        raise ReferenceDataError(f"{schema_file}: no schema for table {name}")
    row = {k: v for k, v in entry.items() if k not in ("required", "key")}
    return TableSchema(name, tuple(entry.get("required", ())), entry.get("key"), row)


def _message(error) -> str:
    """'<column> must be <description>' for a jsonschema error on one row."""
    column = next((p for p in error.absolute_path), None)
    description = error.schema.get("description")
    if column is None or description is None:  # a conditional branch: find the column's rule
        for sub in error.context or ():
            return _message(sub)
        return error.message
    return f"{column} must be {description}"


@lru_cache(maxsize=1)
def default_reference_dir() -> Path:
    """The bundled references/: inside the installed package, else the source tree's.
    Found once per process: the checks ask for it per unit (the word-alignment priors' path),
    and each answer costs a resolve() and a stat."""
    packaged = Path(__file__).resolve().parents[1] / "_references"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "references"


def schema_for(name: str) -> TableSchema:
    """The schema of table ``name`` from the bundled references/tables.schema.json."""
    return table_schema(name, default_reference_dir() / SCHEMA_FILE)


def _column_rank(error, header: list[str]) -> int:
    """Where the column an error is about sits in the header (conditional rules last)."""
    column = next(iter(error.absolute_path), None)
    return header.index(column) if column in header else len(header)


def read_tsv(path: Path, schema: TableSchema | None = None) -> list[Row]:
    """The rows of one TSV file, checked against ``schema`` (default: the schema of a table
    of that file name); ReferenceDataError naming file and line on the first problem.

    A table whose schema has rules beyond its required columns is checked (jsonschema) once
    per content: the checked rows are kept in the compiled cache (mtaudit.knowledge.compiled)
    under the file's digest, its path and its schema, so a start with unchanged data loads
    them and never imports jsonschema."""
    schema = schema or schema_for(path.name)
    try:
        data = path.read_bytes()
        lines = data.decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read ({exc})") from None
    if not schema.row:
        return _rows(path, lines, schema)
    from .compiled import compiled

    identity = (hashlib.blake2b(data, digest_size=16).hexdigest(), str(path), json.dumps(schema.row, sort_keys=True),
                schema.required, schema.key)
    return compiled(f"table-{path.stem}", lambda: _rows(path, lines, schema),
                    modules=("mtaudit.knowledge.reference_tables",), packages=("jsonschema", "regex"), extra=identity)


def _rows(path: Path, lines: list[str], schema: TableSchema) -> list[Row]:
    validator = schema.validator
    header: list[str] | None = None
    rows = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in schema.required if c not in header]
            if missing:
                raise ReferenceDataError(f"{path}:{lineno}: header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) > len(header):
            raise ReferenceDataError(f"{path}:{lineno}: {len(cells)} fields, header has {len(header)}")
        values = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        for col in schema.required:
            if not values[col]:
                raise ReferenceDataError(f"{path}:{lineno}: empty '{col}'")
        if validator is not None:
            # The first problem in the header's column order, whatever order jsonschema finds them in.
            errors = sorted(validator.iter_errors(values), key=lambda e: _column_rank(e, header))
            if errors:
                raise ReferenceDataError(f"{path}:{lineno}: {_message(errors[0])}")
        rows.append(Row(values, f"{path}:{lineno}"))
    if header is None:
        raise ReferenceDataError(f"{path}: no header line")
    return rows
