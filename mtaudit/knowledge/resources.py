"""Reference data (references/*.tsv): found, parsed, validated and fingerprinted once.

Every table is a UTF-8 TSV file: lines starting with ``#`` are comments (documentation and
citations), the first other line is the header, then one row per line. A newsroom can pass
extra folders (``--references DIR``); a table of the same name there adds rows to the
default one, and rows with the same key replace the default's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import regex

from ..text.normalize import fold
from .reference_tables import ReferenceDataError, Row, default_reference_dir, read_tsv, schema_for

__all__ = ["ReferenceDataError", "Resources", "Row", "default_reference_dir", "read_tsv"]

if TYPE_CHECKING:
    from ..names import Gazetteer
    from .senses import SenseRule


def _form_key(form: str) -> str:
    """A gazetteer form as the Gazetteer indexes it (its words, folded)."""
    from ..text.tokens import words

    return " ".join(_fold_word(w) for w in words(form))


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return fold(word)


@dataclass(frozen=True)
class PatternRule:
    id: str
    pattern: "regex.Pattern[str]"
    suggestion: str
    severity: object  # mtaudit.types.Severity
    explanation: str
    #: A pattern that finds something in every text ``pattern`` does (or None): the rule's
    #: pattern without its leading lookbehind (:func:`after_leading_lookbehind`), which
    #: regex would otherwise test at every position of every text.
    quick: "regex.Pattern[str] | None" = None

    def finditer(self, text: str):
        """``pattern.finditer(text)``, skipping at once a text the quick pattern rules out."""
        if self.quick is not None and self.quick.search(text) is None:
            return iter(())
        return self.pattern.finditer(text)


def after_leading_lookbehind(pattern: str) -> str | None:
    """What follows a lookbehind that opens ``pattern`` (``(?<=…)rest`` or ``(?<!…)rest``),
    or None when the pattern does not open with one or the rest refers back to a group.
    A lookbehind matches no text, so wherever ``pattern`` matches, the rest matches too:
    searching for the rest first is an exact test that the whole may match."""
    if not pattern.startswith(("(?<=", "(?<!")):
        return None
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a character class: parentheses inside it are literal
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1  # a ] first in the class is literal
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                rest = pattern[i + 1 :]
                if regex.search(r"\\[1-9]|\\g<|\(\?P=|\(\?&|\(\?[0-9R]", rest):
                    return None  # a back-reference or a call to a group that may be in the lookbehind
                return rest
        i += 1
    return None


@dataclass(frozen=True)
class Loanwords:
    accepted: frozenset[str]  # folded Arabic spellings that are established loanwords
    translation: dict[str, str]  # English word → the Arabic word to write instead


@dataclass(frozen=True)
class BoilerplateRule:
    id: str
    scope: str  # line | next | rest
    pattern: "regex.Pattern[str]"
    max_words: int
    anchor: str = "whole"  # whole: the pattern covers the paragraph; start: it begins it

    def marks(self, folded: str, words: int) -> bool:
        """Whether a paragraph (folded, entities decoded; ``words`` long) is this furniture."""
        if words > self.max_words:
            return False
        if self.anchor == "whole":
            return self.pattern.fullmatch(folded) is not None
        return self.pattern.match(folded) is not None


@dataclass(frozen=True)
class PlaceholderRule:
    kind: str  # see mtaudit.text.placeholders.KINDS
    pattern: "regex.Pattern[str]"


@dataclass(frozen=True)
class Unit:
    id: str
    dimension: str  # length, mass, temperature, volume, area, speed, currency
    factor: float  # base = value * factor + offset (0 for currencies: never converted)
    offset: float = 0.0

    def to_base(self, value: float) -> float:
        return value * self.factor + self.offset

    def from_base(self, base: float) -> float:
        return (base - self.offset) / self.factor


@dataclass(frozen=True)
class Units:
    """Folded unit forms → unit id: ``after`` a figure (5 miles, 8 كيلومترات), ``before`` it
    (currency signs and codes: £, US$, Dh) and Arabic ``dual`` forms (بوصتان = 2 inches)."""

    by_id: dict
    after: dict
    before: dict
    dual: dict


class Resources:
    """Reference tables from the default folder plus any newsroom folders, loaded lazily."""

    def __init__(
        self,
        extra_dirs: Iterable[Path] = (),
        name_files: Iterable[Path] = (),
        built_gazetteer: bool = False,
        termbase_files: Iterable[Path] = (),
    ) -> None:
        """``built_gazetteer``: also load references/gazetteer_built.tsv (people and places
        built from Wikidata and CLDR by scripts/build_gazetteer.py) under the curated rows.
        ``termbase_files``: a client's termbases (TBX, CSV, TSV, XLSX; mtaudit.knowledge.termbase)."""
        self.dirs = [default_reference_dir(), *[Path(d) for d in extra_dirs]]
        self.name_files = [Path(f) for f in name_files]
        self.termbase_files = [Path(f) for f in termbase_files]
        self.built_gazetteer = built_gazetteer
        self._fingerprint: str | None = None
        for d in self.dirs:
            if not d.is_dir():
                raise ReferenceDataError(f"{d}: reference folder not found")
        for f in self.name_files:
            if not f.is_file():
                raise ReferenceDataError(f"{f}: names file not found")

    def table(self, name: str, extra_files: Iterable[Path] = ()) -> list[Row]:
        """Rows of ``name`` from every folder (then ``extra_files``), checked against the
        table's schema (references/tables.schema.json, mtaudit.knowledge.reference_tables); a later
        row replaces an earlier one with the same key (the schema's ``key``)."""
        schema = schema_for(name)
        key = schema.key
        found = False
        merged: dict[str, Row] = {}
        rows: list[Row] = []
        for path in [d / name for d in self.dirs] + list(extra_files):
            if not path.is_file():
                continue
            found = True
            for row in read_tsv(path, schema):
                if key is None:
                    rows.append(row)
                else:
                    merged[fold(row[key])] = row
        if not found:
            raise ReferenceDataError(f"reference table {name} not found in {', '.join(map(str, self.dirs))}")
        return rows if key is None else list(merged.values())

    def fingerprint(self) -> str:
        """sha256 over every reference file, for the run signature (computed once: the
        result cache, the compiled tables and the signature all ask for it)."""
        if self._fingerprint is None:
            self._fingerprint = self._compute_fingerprint()
        return self._fingerprint

    def _compute_fingerprint(self) -> str:
        h = hashlib.sha256()
        for d in self.dirs:
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    h.update(p.relative_to(d).as_posix().encode())
                    h.update(p.read_bytes())
        for f in [*self.name_files, *self.termbase_files]:
            h.update(f.read_bytes())
        return h.hexdigest()[:16]

    def validate(self) -> None:
        """Load every table now so that bad data fails the run up front (exit 2)."""
        for name in (
            "boilerplate", "placeholders", "valid_repeats", "latin_allowed", "latin_title_cues", "months", "number_words", "gazetteer", "loanwords", "calques", "nationality_adjectives", "wrong_sense", "calibration", "conventions", "units", "termbase", "house_style",
        ):
            getattr(self, name)

    # -- the tables ---------------------------------------------------------------------

    @cached_property
    def house_style(self):
        """The house-style conventions (references/house_style.tsv; mtaudit.knowledge.house_style)."""
        from .house_style import read_house_style

        rows = self.table("house_style.tsv")
        try:
            return read_house_style(rows)
        except ValueError as exc:
            raise ReferenceDataError(str(exc)) from None

    @cached_property
    def termbase(self):
        """The client's termbase (mtaudit.knowledge.termbase.Termbase; empty without ``termbase_files``)."""
        from .termbase import load_termbase

        return load_termbase(self.termbase_files)

    @cached_property
    def calibration(self) -> dict:
        """Fitted confidence models (references/calibration.tsv, see mtaudit.knowledge.calibration); a
        newsroom folder's models replace the default ones of the same name."""
        from .calibration import read_models

        models: dict = {}
        for d in self.dirs:
            path = d / "calibration.tsv"
            if path.is_file():
                try:
                    models.update(read_models(path.read_text(encoding="utf-8-sig").splitlines(), str(path)))
                except ValueError as exc:
                    raise ReferenceDataError(str(exc)) from None
        return models

    def confidence_model(self, name: str):
        """The fitted model ``name`` from references/calibration.tsv; missing is a data error."""
        try:
            return self.calibration[name]
        except KeyError:
            raise ReferenceDataError(f"calibration.tsv has no model {name!r} (run the fitting script in scripts/)") from None

    @cached_property
    def boilerplate(self) -> list[BoilerplateRule]:
        from .compiled import compiled_patterns

        rows = self.table("boilerplate.tsv")
        # Arabic letters in the pattern are folded like the text they are matched against;
        # ASCII (regex syntax, Latin words) is left alone and matched case-insensitively.
        patterns = compiled_patterns("boilerplate", [
            ("".join(c if c.isascii() else fold(c) for c in row["pattern"]), regex.IGNORECASE) for row in rows
        ])
        # max_words is required by the schema: a rule without a length bound swallows
        # body paragraphs that mention its phrase.
        return [BoilerplateRule(row["id"], row["scope"], pattern, int(row["max_words"]), row["anchor"] or "whole")
                for row, pattern in zip(rows, patterns)]

    @cached_property
    def placeholders(self) -> list[PlaceholderRule]:
        """Shapes of URLs, e-mails, domains, handles, hashtags and markup (references/
        placeholders.tsv), in file order (an earlier rule's match wins)."""
        from .compiled import compiled_patterns

        rows = self.table("placeholders.tsv")
        patterns = compiled_patterns("placeholders", [(r["pattern"], regex.IGNORECASE) for r in rows])
        return [PlaceholderRule(r["kind"], pattern) for r, pattern in zip(rows, patterns)]

    @cached_property
    def valid_repeats(self) -> dict[str, str]:
        """Folded words whose immediate repetition is legitimate (رويدا رويدا) → where:
        "anywhere" or "clause-start" (مَن مِن at the start of a question)."""
        out = {}
        for r in self.table("valid_repeats.tsv"):
            out[fold(r["word"])] = r["where"] or "anywhere"
        return out

    @cached_property
    def latin_allowed(self) -> frozenset[str]:
        """Lower-cased Latin tokens that are normal in Arabic copy (units, brands, ...)."""
        return frozenset(r["token"].lower() for r in self.table("latin_allowed.tsv"))

    @cached_property
    def latin_title_cues(self) -> frozenset[str]:
        """Folded Arabic nouns after which a Latin run is a work's title (فيلم, ألبوم, ...)."""
        return frozenset(fold(r["form"]) for r in self.table("latin_title_cues.tsv"))

    @cached_property
    def months(self) -> dict[str, int]:
        """Folded month name (English lower-case or Arabic) → month number 1-12."""
        out = {}
        for r in self.table("months.tsv"):
            out[fold(r["name"])] = int(r["month"])
        return out

    @cached_property
    def number_words(self) -> dict[str, tuple[float, str]]:
        """Folded number word → (value, kind); kinds: unit, part, ordinal, decade, scale,
        fraction, abbr and abbr-money (scale abbreviations written after digits)."""
        out = {}
        for r in self.table("number_words.tsv"):
            out[fold(r["word"])] = (float(r["value"]), r["kind"])
        return out

    @cached_property
    def units(self) -> "Units":
        """Units of measure and currencies (references/units.tsv): the forms written after
        (and, for currencies, before) a figure, and each unit's conversion to its base."""
        by_id: dict[str, Unit] = {}
        after: dict[str, str] = {}
        before: dict[str, str] = {}
        dual: dict[str, str] = {}
        for r in self.table("units.tsv"):
            dim = r["dimension"]
            factor = float(r["factor"]) if dim != "currency" else 0.0
            offset = float(r["offset"] or 0) if dim != "currency" else 0.0
            by_id[r["unit"]] = Unit(r["unit"], dim, factor, offset)
            for col, target in (("english", after), ("arabic", after), ("before", before), ("dual", dual)):
                for form in filter(None, (f.strip() for f in r[col].split("|"))):
                    target[fold(form).lower()] = r["unit"]
        return Units(by_id, after, before, dual)

    @cached_property
    def nationality_adjectives(self) -> dict[str, str]:
        """Folded nationality adjective (masculine and feminine) → its place."""
        out = {}
        for r in self.table("nationality_adjectives.tsv"):
            adj = fold(r["adjective"])
            out[adj] = out[adj + "ه"] = r["place"]
        return out

    @cached_property
    def calques(self) -> list["PatternRule"]:
        """Calque patterns (references/calques.tsv), Arabic letters folded like the text."""
        from ..types import Severity
        from .compiled import compiled_patterns

        rows = self.table("calques.tsv")
        folded = ["".join(c if c.isascii() else fold(c) for c in r["pattern"]) for r in rows]
        patterns = compiled_patterns("calques", [(p, regex.IGNORECASE) for p in folded])
        rests = [after_leading_lookbehind(p) for p in folded]
        quick = iter(compiled_patterns("calques-quick", [(r, regex.IGNORECASE) for r in rests if r is not None]))
        return [PatternRule(r["id"], pattern, r["suggestion"], Severity(r["severity"]), r["explanation"],
                            next(quick) if rest is not None else None)
                for r, pattern, rest in zip(rows, patterns, rests)]

    @cached_property
    def loanwords(self) -> "Loanwords":
        """English words in Arabic letters: accepted loanword spellings and translations."""
        accepted: set[str] = set()
        translation: dict[str, str] = {}
        for r in self.table("loanwords.tsv"):
            for v in r["established"].split("|"):
                if v.strip():
                    accepted.add(fold(v.strip()))
            first = next((v.strip() for v in r["translation"].split("|") if v.strip()), "")
            if first:
                translation[r["english"].strip().lower()] = first
        return Loanwords(frozenset(accepted), translation)

    @cached_property
    def wrong_sense(self) -> list["SenseRule"]:
        """Wrong-sense rules (references/wrong_sense.tsv); a newsroom row replaces the default with the same id.
        Built once per reference data and code version, then loaded (mtaudit.knowledge.compiled):
        folding every phrase of every rule was a tenth of a one-article audit."""
        from .compiled import compiled

        return compiled(
            "wrong-sense",
            self._build_wrong_sense,
            modules=(
                __name__, "mtaudit.knowledge.senses", "mtaudit.knowledge.reference_tables", "mtaudit.text.normalize",
                "mtaudit.text.tokens", "mtaudit.text.morphology", "mtaudit.types",
            ),
            extra=(self.fingerprint(), tuple(map(str, self.dirs))),  # each rule records its file and line
        )

    def _build_wrong_sense(self) -> list["SenseRule"]:
        from ..types import Severity
        from .senses import SenseRule, bare_key, english_pattern

        rules = []
        for r in self.table("wrong_sense.tsv"):
            severity = Severity(r["severity"])

            def phrases(col: str) -> tuple[tuple[str, ...], ...]:
                return tuple(k for k in (bare_key(v) for v in r[col].split("|")) if k)

            rules.append(
                SenseRule(
                    id=r["id"],
                    # longest first, so that a longer form wins over one inside it
                    wrong=tuple(sorted(phrases("wrong"), key=len, reverse=True)),
                    context=phrases("context"),
                    source_en=tuple(english_pattern(w) for w in r["source_en"].split("|") if w.strip()),
                    unless=phrases("unless"),
                    correct=tuple(v.strip() for v in r["correct"].split("|") if v.strip()),
                    severity=severity,
                    explanation=r["explanation"],
                    origin=r.origin,
                )
            )
        return rules

    @cached_property
    def built_gazetteer_rows(self) -> list[Row]:
        """Rows of gazetteer_built.tsv from every folder that has one (a later folder's row
        replaces an earlier one with the same canonical form); empty when there is none."""
        if not any((d / "gazetteer_built.tsv").is_file() for d in self.dirs):
            return []
        return self.table("gazetteer_built.tsv")

    def gazetteer_rows(self) -> list[Row]:
        """The gazetteer's rows: curated and newsroom rows, then (with ``built_gazetteer``)
        the built rows of entities they do not already have: a built row is dropped when its
        canonical form is a form of a curated row, its wikidata id is a curated row's, or one
        of its English forms is a curated row's English form; a built variant that is a
        curated form is dropped from the built row."""
        rows = self.table("gazetteer_curated.tsv", extra_files=self.name_files)
        if not self.built_gazetteer:
            return rows
        forms: set[str] = set()
        ids: set[str] = set()
        english: set[str] = set()
        for r in rows:
            for form in [r["canonical"], *r["variants"].split("|")]:
                if form.strip():
                    forms.add(_form_key(form))
            if r["wikidata"]:
                ids.add(r["wikidata"])
            english.update(e.strip().casefold() for e in r["english"].split("|") if e.strip())
        out = list(rows)
        for r in self.built_gazetteer_rows:
            if _form_key(r["canonical"]) in forms or (r["wikidata"] and r["wikidata"] in ids):
                continue
            if any(e.strip().casefold() in english for e in r["english"].split("|")):
                continue
            variants = [v for v in r["variants"].split("|") if v.strip()]
            kept = [v for v in variants if _form_key(v) not in forms]
            if kept != variants:
                # a curated form stays the curated entity's, not a built variant
                r = Row({**r.values, "variants": "|".join(kept)}, r.origin)
            out.append(r)
        return out

    @cached_property
    def gazetteer(self) -> "Gazetteer":
        """Entities and their accepted forms (references/gazetteer_curated.tsv + newsroom lists,
        and references/gazetteer_built.tsv under them when ``built_gazetteer`` is set).
        Built once per reference data and code version, then loaded (mtaudit.knowledge.compiled)."""
        from .compiled import compiled

        return compiled(
            "gazetteer",
            self._build_gazetteer,
            # Every module of mtaudit.names: the pickle holds their classes (the retrieval
            # index, conventions), so a change to any of them must rebuild it.
            modules=(
                __name__, "mtaudit.text.normalize", "mtaudit.text.tokens", "mtaudit.names", "mtaudit.names.gazetteer",
                "mtaudit.names.morphology", "mtaudit.names.channel", "mtaudit.names.conventions",
                "mtaudit.names.retrieval", "mtaudit.names.garbles", "mtaudit.names.source_names",
                "mtaudit.names.transliteration",
            ),
            # The folders' paths too: each entity records the file and line it came from, so
            # two checkouts with the same data must not share one pickle.
            extra=(self.fingerprint(), self.built_gazetteer, tuple(map(str, self.dirs)), tuple(map(str, self.name_files))),
        )

    def _build_gazetteer(self) -> "Gazetteer":
        from ..names import Entity, Gazetteer
        from ..names.gazetteer import bulk_build

        with bulk_build():  # tens of thousands of rows and entities, all kept
            rows = self.gazetteer_rows()
            entities = []
            for r in rows:

                def split(col: str) -> tuple[str, ...]:
                    return tuple(v.strip() for v in r[col].split("|") if v.strip())

                entities.append(
                    Entity(
                        canonical=r["canonical"],
                        english=split("english"),
                        type=r["type"],
                        variants=split("variants"),
                        titles=split("titles"),
                        wikidata=r["wikidata"],
                        note=r["note"],
                        origin=r.origin,
                    )
                )
        latin: dict[str, list[tuple[str, int]]] = {}
        given: dict[str, int] = {}
        for d in self.dirs:
            path = d / "name_forms.tsv"
            if path.is_file():
                for r in read_tsv(path):
                    word, count = fold(r["arabic"]), int(r["count"] or 0)
                    latin.setdefault(word, []).append((r["latin"], count))
                    if r["role"] == "given":
                        given[word] = given.get(word, 0) + count
        given_english = frozenset(r["name"] for r in self.table("english_given_names.tsv"))
        titles = frozenset(r["title"].lower() for r in self.table("person_titles.tsv"))
        return Gazetteer(entities, latin, given, self.conventions, given_english, titles)

    @cached_property
    def conventions(self) -> list:
        """House spelling conventions (references/spelling_conventions.tsv); a newsroom row
        with the same id replaces the default (to switch a convention on or off)."""
        from ..names.conventions import parse_conventions

        rows = self.table("spelling_conventions.tsv")
        try:
            return parse_conventions(rows)
        except ValueError as exc:
            raise ReferenceDataError(str(exc)) from None
