"""A newsroom's own rules, written as data (``--rules FILE``): each becomes a check ``rule:<id>``.

A rules file is TOML (``[[rule]]`` tables) or TSV (a header line, then one rule a line;
``#`` lines are comments). Fields:

    id          letters, digits, ``-`` and ``_``; the check id is ``rule:<id>``
    pattern     what to find, matched on the folded copy of each segment (mtaudit.text.normalize:
                hamza and alef forms, ta marbuta, alef maqsura, tashkeel and tatweel folded,
                Latin lower-cased); its Arabic letters are folded the same way, so write them
                as usual. Matches map back to the delivered text, which is never rewritten
    kind        ``regex`` (default; the ``regex`` module's syntax) or ``phrase`` (literal
                text, whole words only)
    source      optional regex: the rule fires only where the aligned English source
                (mtaudit.text.alignment.source_units) matches it, case-insensitively; a rule with
                a source condition needs a source
    source_not  optional regex: the rule does not fire where the source matches it
    message     the message in English (required); message_ar, the message in Arabic
    severity    critical, major, minor or info (default major)
    category    one of mtaudit.types.CATEGORIES (default style)
    suggestion  optional template: ``{0}`` is the whole match as delivered, ``{1}``, ``{2}``…
                and ``{name}`` its groups

Everything is validated when the file is loaded: a bad regex, an unknown severity or
category, a duplicate id or a broken template raise :class:`RulesError` naming the file
and line, before any article is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Iterable

import regex

from ..checks import CheckContext, CheckSpec
from ..text.normalize import fold_char
from ..types import CATEGORIES, Severity
from .resources import ReferenceDataError

FIELDS = ("id", "pattern", "kind", "source", "source_not", "message", "message_ar", "severity", "category", "suggestion")
_ID = regex.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_WORD_CHAR = r"[\p{L}\p{M}\p{N}]"


class RulesError(ReferenceDataError):
    """A rules file is malformed; the message names the file and line."""


def fold_pattern(pattern: str) -> str:
    """Fold the non-ASCII characters of a pattern as the text is folded; ASCII (the regex
    syntax, and Latin letters, matched case-insensitively) is left as written."""
    return "".join(ch if ch.isascii() else fold_char(ch)[0] for ch in pattern)


def _compile(pattern: str, where: str, what: str, flags: int = 0) -> "regex.Pattern[str]":
    try:
        return regex.compile(pattern, flags)
    except (regex.error, ValueError) as exc:
        raise RulesError(f"{where}: bad {what} regex {pattern!r}: {exc}") from None


def _toml_rules(path: Path, text: str) -> list[tuple[dict, dict[str, int]]]:
    """(rule table, key → line) for each ``[[rule]]`` of a TOML file."""
    import tomllib  # here: a run without a rules file does not pay for importing it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = regex.search(r"line (\d+)", str(exc))
        raise RulesError(f"{path}:{line.group(1) if line else 0}: not valid TOML ({exc})") from None
    rules = data.get("rule", [])
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise RulesError(f"{path}:1: rules must be [[rule]] tables")
    unknown = [k for k in data if k != "rule"]
    if unknown:
        raise RulesError(f"{path}:1: unknown top-level key(s) {', '.join(unknown)} (rules are [[rule]] tables)")
    # tomllib keeps no positions: find each table's keys by scanning the [[rule]] blocks.
    blocks: list[dict[str, int]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if regex.match(r"\[\[\s*rule\s*\]\]", stripped):
            blocks.append({"": lineno})
        elif blocks and (m := regex.match(r"([A-Za-z_]+)\s*=", stripped)):
            blocks[-1].setdefault(m.group(1), lineno)
    if len(blocks) != len(rules):
        blocks = [{"": 0} for _ in rules]
    return list(zip(rules, blocks))


def _tsv_rules(path: Path, text: str) -> list[tuple[dict, dict[str, int]]]:
    header: list[str] | None = None
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader(io.StringIO(line), delimiter="\t", quoting=csv.QUOTE_NONE))
        cells = [c.strip() for c in cells]
        if header is None:
            header = cells
            missing = [c for c in ("id", "pattern", "message") if c not in header]
            if missing:
                raise RulesError(f"{path}:{lineno}: header lacks column(s) {', '.join(missing)}")
            extra = [c for c in header if c not in FIELDS]
            if extra:
                raise RulesError(f"{path}:{lineno}: unknown column(s) {', '.join(extra)}")
            continue
        if len(cells) > len(header):
            raise RulesError(f"{path}:{lineno}: {len(cells)} fields, header has {len(header)}")
        row = {k: v for k, v in zip(header, cells) if v}
        out.append((row, {"": lineno}))
    if header is None:
        raise RulesError(f"{path}: no header line")
    return out


def load_rules_file(path: Path) -> list[CheckSpec]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read rules file ({exc})") from None
    if path.suffix.lower() == ".toml":
        raw = _toml_rules(path, text)
    elif path.suffix.lower() in (".tsv", ".tab", ".txt"):
        raw = _tsv_rules(path, text)
    else:
        raise RulesError(f"{path}: unknown rules format (use .toml or .tsv)")
    return [_spec(path, rule, lines) for rule, lines in raw]


def load_rules(paths: Iterable[Path]) -> list[CheckSpec]:
    """Every rule of every file, as checks; RulesError on the first problem."""
    specs: list[CheckSpec] = []
    seen: dict[str, str] = {}
    for path in paths:
        for spec in load_rules_file(path):
            if spec.id in seen:
                raise RulesError(f"{spec.origin}: rule id {spec.id[5:]!r} already defined at {seen[spec.id]}")
            seen[spec.id] = spec.origin
            specs.append(spec)
    return specs


def _spec(path: Path, rule: dict, lines: dict[str, int]) -> CheckSpec:
    def where(key: str = "") -> str:
        return f"{path}:{lines.get(key) or lines.get('')}"

    for key, value in rule.items():
        if key not in FIELDS:
            raise RulesError(f"{where(key)}: unknown field {key!r} (fields: {', '.join(FIELDS)})")
        if not isinstance(value, str):
            raise RulesError(f"{where(key)}: {key} must be a string")
    for key in ("id", "pattern", "message"):
        if not rule.get(key, "").strip():
            raise RulesError(f"{where(key)}: rule lacks {key!r}")
    rid = rule["id"].strip()
    if not _ID.fullmatch(rid):
        raise RulesError(f"{where('id')}: rule id {rid!r} may hold only letters, digits, '-' and '_'")
    kind = rule.get("kind", "regex").strip() or "regex"
    if kind not in ("regex", "phrase"):
        raise RulesError(f"{where('kind')}: kind must be regex or phrase, not {kind!r}")
    try:
        severity = Severity(rule.get("severity", "major").strip() or "major")
    except ValueError:
        raise RulesError(f"{where('severity')}: severity must be critical, major, minor or info") from None
    category = rule.get("category", "style").strip() or "style"
    if category not in CATEGORIES:
        raise RulesError(f"{where('category')}: unknown category {category!r} (known: {', '.join(CATEGORIES)})")
    if kind == "phrase":
        folded = r"\s+".join(regex.escape(w, special_only=True) for w in fold_pattern(rule["pattern"]).split())
        pattern = _compile(f"(?<!{_WORD_CHAR}){folded}(?!{_WORD_CHAR})", where("pattern"), "pattern")
    else:
        pattern = _compile(fold_pattern(rule["pattern"]), where("pattern"), "pattern", regex.IGNORECASE)
    if pattern.fullmatch("") is not None:
        raise RulesError(f"{where('pattern')}: pattern {rule['pattern']!r} matches the empty string")
    source = _compile(rule["source"], where("source"), "source", regex.IGNORECASE) if rule.get("source") else None
    source_not = (
        _compile(rule["source_not"], where("source_not"), "source_not", regex.IGNORECASE) if rule.get("source_not") else None
    )
    template = rule.get("suggestion", "")
    if template:
        groups = ["x"] * (pattern.groups + 1)
        try:
            template.format(*groups, **{name: "x" for name in pattern.groupindex})
        except (IndexError, KeyError, ValueError) as exc:
            raise RulesError(f"{where('suggestion')}: suggestion template {template!r} does not fit the pattern ({exc})") from None
    message = rule["message"].strip()
    if rule.get("message_ar", "").strip():
        message = f"{message} — {rule['message_ar'].strip()}"

    def run(ctx: CheckContext):
        return _run(ctx, pattern, source, source_not, template, message)

    run.__doc__ = (
        f"{rule['message'].strip()}\n\nUser rule {rid!r} from {where()}: {kind} {rule['pattern']!r}"
        + (f", where the source matches {rule['source']!r}" if source else "")
        + (f", unless the source matches {rule['source_not']!r}" if source_not else "")
        + "."
    )
    version = hashlib.sha256(repr(sorted(rule.items())).encode()).hexdigest()[:8]
    return CheckSpec(
        f"rule:{rid}", severity, category, version, "article", (), source is not None, run, default=True, origin=where()
    )


def _run(ctx: CheckContext, pattern, source, source_not, template: str, message: str):
    from ..text.alignment import source_units

    segments = ctx.content_segments
    src_of: dict[str, str] = {}
    if source is not None or source_not is not None:
        if ctx.article.source or ctx.article.record_sources:
            for src, segs in source_units(ctx.article, segments):
                for s in segs:
                    src_of[s.segment_id] = src
    for seg in segments:
        if source is not None and not source.search(src_of.get(seg.segment_id, "")):
            continue
        if source_not is not None and source_not.search(src_of.get(seg.segment_id, "")):
            continue
        norm = ctx.normalized_segment(seg)
        for m in pattern.finditer(norm.text):
            if m.start() == m.end():
                continue
            s, e = norm.to_original(m.start(), m.end())
            suggestion = ""
            if template:
                suggestion = template.format(
                    *[_as_delivered(m, norm, seg.text, k) for k in range(pattern.groups + 1)],
                    **{name: _as_delivered(m, norm, seg.text, name) for name in pattern.groupindex},
                )
            yield ctx.finding(seg.start + s, seg.start + e, message, suggestion=suggestion, confidence=1.0)


def _as_delivered(m, norm, text: str, group) -> str:
    """A match group as the delivered text writes it (empty for a group that took no part)."""
    if m.start(group) < 0:
        return ""
    gs, ge = norm.to_original(m.start(group), m.end(group))
    return text[gs:ge]
