"""Configuration files: ``[tool.mtaudit]`` in pyproject.toml or an ``mtaudit.toml``.

Discovery is ruff/pytest-style: from the working directory upwards, the first folder
that has an ``mtaudit.toml`` (its top-level keys, or its ``[tool.mtaudit]`` table) or a
``pyproject.toml`` with a ``[tool.mtaudit]`` table wins; ``--config FILE`` names the file
instead. Paths in a file are relative to the file's folder.

Precedence, lowest first: built-in defaults, the file's table, the chosen profile
(``[tool.mtaudit.profiles.NAME]``, chosen with ``--profile NAME`` or the file's
``profile`` key), then options given on the command line. Every value remembers where it
came from (``mtaudit config show``). The file is validated with jsonschema against
:data:`SCHEMA`; an unknown key is an error that names it (exit 2).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITY_NAMES = ["critical", "major", "minor", "info"]

#: Keys a table (or a profile) may hold, as JSON Schema.
_SETTINGS: dict[str, Any] = {
    "fail_on": {"enum": [*SEVERITY_NAMES, "never"], "description": "exit 1 on a finding at or above this severity"},
    "min_quality": {"type": "number", "minimum": 0, "maximum": 100, "description": "minimum quality score of every article"},
    "min_delivery_quality": {"type": "number", "minimum": 0, "maximum": 100, "description": "minimum quality score of the delivery"},
    "max_findings": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                     "description": "check id → most findings allowed over the delivery"},
    "min_score": {"type": "object", "additionalProperties": {"type": "number"},
                  "description": "score name → minimum (TER: maximum), as --min-score"},
    "score_level": {"enum": ["article", "segment"]},
    "weights": {"type": "object", "additionalProperties": False,
                "properties": {s: {"type": "number", "minimum": 0} for s in SEVERITY_NAMES},
                "description": "penalty points per severity"},
    "checks": {"type": "array", "items": {"type": "string"}, "description": "run only these checks"},
    "exclude": {"type": "array", "items": {"type": "string"}, "description": "skip these checks"},
    "severity": {"type": "object", "additionalProperties": {"enum": [*SEVERITY_NAMES, "off"]},
                 "description": "check id → severity of its findings, or off"},
    "disable_critical": {"type": "array", "items": {"type": "string"},
                         "description": "critical rules (references/critical.tsv) to turn off"},
    "references": {"type": "array", "items": {"type": "string"}, "description": "newsroom reference-table folders"},
    "names": {"type": "array", "items": {"type": "string"}, "description": "newsroom names lists"},
    "conventions": {"type": "object", "additionalProperties": {"type": "boolean"},
                    "description": "spelling convention id → on/off (references/spelling_conventions.tsv)"},
    "baseline": {"type": "string", "description": "baseline file (mtaudit baseline create)"},
    "suppressions": {"type": "string", "description": "suppression file"},
    "align": {"type": "boolean"},
    "adequacy": {"type": "boolean"},
    "jobs": {"type": "integer", "minimum": 1},
}
_PROFILE = {"type": "object", "additionalProperties": False, "properties": _SETTINGS}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "mtaudit configuration ([tool.mtaudit])",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_SETTINGS,
        "profile": {"type": "string", "description": "profile used when --profile is not given"},
        "profiles": {"type": "object", "additionalProperties": _PROFILE},
    },
}
#: Keys holding paths, resolved against the config file's folder.
PATH_KEYS = {"references", "names", "baseline", "suppressions"}

DEFAULTS: dict[str, Any] = {
    "fail_on": "major",
    "min_quality": None,
    "min_delivery_quality": None,
    "max_findings": {},
    "min_score": {},
    "score_level": "article",
    "weights": {"critical": 25, "major": 5, "minor": 1, "info": 0},
    "checks": None,
    "exclude": [],
    "severity": {},
    "disable_critical": [],
    "references": [],
    "names": [],
    "conventions": {},
    "baseline": None,
    "suppressions": None,
    "align": True,
    "adequacy": False,
    "jobs": 1,
}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass
class Settings:
    """Effective settings: ``values[key]`` and where each came from (``origins[key]``)."""

    values: dict[str, Any] = field(default_factory=lambda: {k: _copy(v) for k, v in DEFAULTS.items()})
    origins: dict[str, str] = field(default_factory=lambda: {k: "default" for k in DEFAULTS})
    file: Path | None = None
    profile: str | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, origin: str) -> None:
        if key == "weights":  # a partial table changes only the severities it names
            value = {**self.values["weights"], **value}
        self.values[key] = value
        self.origins[key] = origin


def _copy(v: Any) -> Any:
    return dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v


def discover(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest config file from ``start`` (default: cwd) upwards and its mtaudit table."""
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        own = d / "mtaudit.toml"
        if own.is_file():
            return own, table_of(own)
        py = d / "pyproject.toml"
        if py.is_file():
            data = _read(py)
            if "mtaudit" in data.get("tool", {}):
                return py, data["tool"]["mtaudit"]
    return None


def _read(path: Path) -> dict:
    import tomllib  # here: a run without a settings file does not pay for importing it

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def table_of(path: Path) -> dict:
    """The mtaudit table of a config file: ``[tool.mtaudit]`` if it has one, else (for an
    ``mtaudit.toml``) its top level; a pyproject.toml without the table is an error."""
    data = _read(path)
    if "tool" in data and isinstance(data["tool"], dict) and "mtaudit" in data["tool"]:
        return data["tool"]["mtaudit"]
    if path.name == "pyproject.toml":
        raise ConfigError(f"{path}: has no [tool.mtaudit] table")
    return data


def validate(table: dict, path: Path) -> None:
    """jsonschema validation; the error names the offending key with its table."""
    import jsonschema  # here: a run without a settings file does not pay for importing it

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(table), key=lambda e: (len(e.path), list(map(str, e.path))))
    if not errors:
        return
    e = errors[0]
    where = ".".join(["tool.mtaudit", *map(str, e.path)]) if path.name == "pyproject.toml" else ".".join(map(str, e.path)) or "(top level)"
    if e.validator == "additionalProperties":
        known = sorted(e.schema.get("properties", {}))
        extra = sorted(set(e.instance) - set(known)) if isinstance(e.instance, dict) else []
        # pyproject keys are named in full (tool.mtaudit.x) at any depth, as the file spells them
        named = e.path or path.name == "pyproject.toml"
        keys = ", ".join(f"{where}.{k}" if named else k for k in extra)
        hints = [f"{k} → {m[0]}" for k in extra if (m := difflib.get_close_matches(k, known, n=1, cutoff=0.75))]
        hint = f" (did you mean: {', '.join(hints)}?)" if hints else ""
        raise ConfigError(f"{path}: unknown key {keys}{hint}")
    raise ConfigError(f"{path}: {where}: {e.message}")


def _resolve_paths(table: dict, base: Path) -> dict:
    out = dict(table)
    for key in PATH_KEYS & set(out):
        v = out[key]
        out[key] = [str((base / p)) for p in v] if isinstance(v, list) else str(base / v)
    return out


def load(config: Path | None = None, profile: str | None = None, start: Path | None = None) -> Settings:
    """Defaults, then the config file (``config`` or discovered), then its profile."""
    settings = Settings()
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: config file not found")
        found: tuple[Path, dict] | None = (config, table_of(config))
    else:
        found = discover(start)
    if found is None:
        if profile:
            raise ConfigError(f"--profile {profile}: no configuration file found (mtaudit.toml or [tool.mtaudit] in pyproject.toml)")
        return settings
    path, table = found
    validate(table, path)
    settings.file = path
    label = f"{path} [tool.mtaudit]" if path.name == "pyproject.toml" or "tool" in _read(path) else str(path)
    table = _resolve_paths(table, path.parent)
    for key, value in table.items():
        if key not in ("profiles", "profile"):
            settings.set(key, value, label)
    profile = profile or table.get("profile")
    if profile:
        profiles = table.get("profiles", {})
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"{path}: no profile {profile!r} (profiles: {known})")
        settings.profile = profile
        plabel = f"{path} [{'tool.mtaudit.' if label.endswith(']') else ''}profiles.{profile}]"
        for key, value in _resolve_paths(profiles[profile], path.parent).items():
            settings.set(key, value, plabel)
    return settings


def show(settings: Settings) -> str:
    """The effective configuration as TOML-like lines, each with its origin."""
    lines = [f"# config file: {settings.file or 'none found'}" + (f", profile {settings.profile}" if settings.profile else "")]
    width = max(len(k) for k in settings.values)
    for key in DEFAULTS:
        lines.append(f"{key:<{width}} = {_toml(settings.values[key]):<40} # {settings.origins[key]}")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


def conventions_dir(conventions: dict[str, bool], reference_dirs: list[Path]) -> Path | None:
    """A temporary reference folder whose spelling_conventions.tsv switches the named
    conventions on or off (the rows of the default and newsroom tables, ``active``
    rewritten); None when nothing is switched. An unknown id is a ConfigError."""
    if not conventions:
        return None
    import tempfile

    from .knowledge.resources import Resources

    columns = ["id", "gazetteer", "written", "where", "english", "active", "description"]
    rows = {r["id"]: r for r in Resources(reference_dirs).table("spelling_conventions.tsv")}
    unknown = sorted(set(conventions) - set(rows))
    if unknown:
        raise ConfigError(f"conventions: unknown convention id(s) {', '.join(unknown)} (known: {', '.join(sorted(rows))})")
    folder = Path(tempfile.mkdtemp(prefix="mtaudit-conventions-"))
    lines = ["# written by mtaudit from the configuration's `conventions` table", "\t".join(columns)]
    for cid, on in conventions.items():
        values = {c: rows[cid][c] for c in columns}
        values["active"] = "yes" if on else "no"
        lines.append("\t".join(values[c] for c in columns))
    (folder / "spelling_conventions.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
