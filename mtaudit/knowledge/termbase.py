"""A client's termbase: must-use, admitted and forbidden renderings of English terms.

Read from TBX-Basic (TBX v2 ``termEntry``/``langSet``/``tig``, or TBX v3 ``conceptEntry``/
``langSec``/``termSec``, with lxml) or from a term list in CSV, TSV or XLSX with the columns

    english   the English term; several forms (listed variants) separated by ``|``
    arabic    the Arabic rendering(s) of this status, ``|``-separated; the first is the one
              suggested. List dual and plural forms of the head word here (مجلس الأمن|مجلسا الأمن)
    status    preferred, admitted or forbidden (TBX: preferredTerm-admn-sts, admittedTerm-admn-sts,
              deprecatedTerm-admn-sts / supersededTerm-admn-sts are forbidden)
    note      free text, shown in the finding's message

Rows (and TBX entries) with the same English term are one concept, across files: a
forbidden list can be a separate file whose English terms match the termbase's.

Matching never touches the delivered text: Arabic is matched on folded tokens (hamza and
alef forms, ta marbuta, alef maqsura, tashkeel and tatweel folded, mtaudit.text.normalize), whole
tokens only, and the first word of a rendering may carry the proclitics و ف ب ل ك and the
article (للأمن is ل + الأمن). A rendering inside a longer, different word is not a match.
English is matched case-insensitively on light stems (regular plurals and -ed/-ing endings
off, mtaudit.text.word_alignment.english_key), except that an all-capitals term (UN, IS) must
match in capitals.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import regex

from ..text.morphology import proclitic_chains
from ..text.normalize import fold
from ..text.tokens import Token, words
from .resources import ReferenceDataError

STATUSES = ("preferred", "admitted", "forbidden")
_TBX_STATUS = {
    "preferredterm-admn-sts": "preferred",
    "preferred": "preferred",
    "admittedterm-admn-sts": "admitted",
    "admitted": "admitted",
    "deprecatedterm-admn-sts": "forbidden",
    "supersededterm-admn-sts": "forbidden",
    "notrecommended": "forbidden",
    "obsolete": "forbidden",
    "forbidden": "forbidden",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EN_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)?")
# Proclitics a first word may carry before the term (or before the term's article).
#: Proclitics (conjunction, preposition) a term's first word may carry; the article is
#: part of a term as written (mtaudit.text.morphology).
_CLITICS = proclitic_chains()


class TermbaseError(ReferenceDataError):
    """A termbase file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Rendering:
    text: str  # as written in the termbase
    words: tuple[str, ...]  # folded words
    status: str
    origin: str  # file:line


@dataclass
class Term:
    """One concept: its English forms and its Arabic renderings by status."""

    english: tuple[str, ...]
    renderings: list[Rendering] = field(default_factory=list)
    note: str = ""
    origin: str = ""

    def by_status(self, *statuses: str) -> list[Rendering]:
        return [r for r in self.renderings if r.status in statuses]

    @property
    def preferred(self) -> str:
        """The form to suggest: the first preferred rendering, else the first admitted one."""
        good = self.by_status("preferred") or self.by_status("admitted")
        return good[0].text if good else ""


def _stem(word: str) -> str:
    from ..text.word_alignment import english_key

    return english_key(word)


@dataclass(frozen=True)
class EnglishForm:
    stems: tuple[str, ...]
    exact: tuple[str, ...] | None  # an all-capitals term must match exactly

    @classmethod
    def of(cls, text: str) -> "EnglishForm":
        ws = _EN_WORD.findall(text)
        acronym = all(w.isupper() and len(w) <= 5 for w in ws if w.isalpha())
        return cls(tuple(_stem(w) for w in ws), tuple(ws) if acronym else None)


def _first_word_readings(folded: str) -> list[str]:
    """What a first word may be once a proclitic (and, before an article, nothing else) is
    taken off; the bare word first."""
    out = [folded]
    for c in _CLITICS:
        if folded.startswith(c) and len(folded) - len(c) >= 2:
            rest = folded[len(c):]
            out.append(rest)
            if c.endswith("ل") and rest.startswith("ل"):
                out.append("ا" + rest)  # للأمن = ل + الأمن: the article's alef is dropped
    if folded.startswith("لل") and len(folded) > 3:
        out.append("ا" + folded[1:])
    return out


def arabic_matches(rendering: Rendering, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index spans [i, j) where ``rendering`` occurs: whole tokens, the first one
    possibly with proclitics and an article the rendering does not have."""
    n = len(rendering.words)
    out = []
    if not n:
        return out
    first = rendering.words[0]
    for i in range(len(tokens) - n + 1):
        readings = _first_word_readings(tokens[i].folded)
        if first not in readings and not any(r.startswith("ال") and r[2:] == first and len(first) >= 2 for r in readings):
            continue
        if all(tokens[i + k].folded == rendering.words[k] for k in range(1, n)):
            out.append((i, i + n))
    return out


class Termbase:
    """Every term from the files given, indexed by the first stem of each English form."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = list(terms)
        self._by_first: dict[str, list[tuple[int, EnglishForm]]] = {}
        for ti, t in enumerate(self.terms):
            for e in t.english:
                form = EnglishForm.of(e)
                if form.stems:
                    self._by_first.setdefault(form.stems[0], []).append((ti, form))

        self._arabic_first: dict[str, list[tuple[int, Rendering]]] = {}
        for ti, t in enumerate(self.terms):
            for r in t.renderings:
                self._arabic_first.setdefault(r.words[0], []).append((ti, r))

    def __len__(self) -> int:
        return len(self.terms)

    def find_arabic(self, tokens: list[Token], statuses: tuple[str, ...]) -> list[tuple[int, Rendering, int, int]]:
        """(term index, rendering, i, j) for every rendering of those statuses at tokens [i, j)
        (the matching rules of :func:`arabic_matches`), in token order."""
        out = []
        for i, tok in enumerate(tokens):
            keys = set()
            for reading in _first_word_readings(tok.folded):
                keys.add(reading)
                if reading.startswith("ال"):
                    keys.add(reading[2:])
            seen = set()
            for key in keys:
                for ti, r in self._arabic_first.get(key, ()):
                    if (ti, r) in seen or r.status not in statuses:
                        continue
                    seen.add((ti, r))
                    if arabic_matches(r, tokens[i : i + len(r.words)]):
                        out.append((ti, r, i, i + len(r.words)))
        out.sort(key=lambda m: (m[2], -(m[3] - m[2])))
        return out

    def find(self, source: str) -> dict[int, list[tuple[int, int]]]:
        """term index → character spans in ``source`` where one of its English forms occurs
        as whole words (one pass over the source's words, whatever the termbase's size)."""
        if not self.terms:
            return {}
        toks = list(_EN_WORD.finditer(source))
        stems = [_stem(t.group()) for t in toks]
        found: dict[int, set[tuple[int, int]]] = {}
        for i, st in enumerate(stems):
            for ti, form in self._by_first.get(st, ()):
                n = len(form.stems)
                if i + n > len(toks):
                    continue
                if form.exact is not None:
                    ok = tuple(t.group() for t in toks[i : i + n]) == form.exact
                else:
                    ok = tuple(stems[i : i + n]) == form.stems
                if ok:
                    found.setdefault(ti, set()).add((toks[i].start(), toks[i + n - 1].end()))
        return {ti: sorted(sp) for ti, sp in found.items()}


# -- reading ------------------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _rendering(text: str, status: str, origin: str) -> Rendering:
    ws = tuple(fold(w) for w in words(text))
    if not ws:
        raise TermbaseError(f"{origin}: Arabic rendering {text!r} has no letters")
    return Rendering(text, ws, status, origin)


def _rows_from_table(path: Path) -> list[tuple[dict[str, str], str]]:
    """(row, file:line) of a CSV, TSV or XLSX term list, header on the first non-empty line."""
    suffix = path.suffix.lower()
    rows: list[tuple[list[str], int]] = []
    if suffix == ".xlsx":
        try:
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise TermbaseError(f"{path}: cannot read as XLSX ({type(exc).__name__}: {exc})") from None
        ws = wb.worksheets[0]
        for lineno, values in enumerate(ws.iter_rows(values_only=True), 1):
            rows.append(([("" if v is None else str(v)).strip() for v in values], lineno))
        wb.close()
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TermbaseError(f"{path}: cannot read ({exc})") from None
        delimiter = "\t" if suffix in (".tsv", ".tab", ".txt") else ","
        lines = text.splitlines()
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            for cells in reader:
                lineno = reader.line_num
                if cells and cells[0].lstrip().startswith("#"):
                    continue
                rows.append(([c.strip() for c in cells], lineno))
        except csv.Error as exc:
            raise TermbaseError(f"{path}:{reader.line_num}: {exc}") from None
        del lines
    rows = [(cells, n) for cells, n in rows if any(cells)]
    if not rows:
        raise TermbaseError(f"{path}: no header line")
    header = [h.lower() for h in rows[0][0]]
    missing = [c for c in ("english", "arabic", "status") if c not in header]
    if missing:
        raise TermbaseError(f"{path}:{rows[0][1]}: header lacks column(s) {', '.join(missing)}")
    out = []
    for cells, lineno in rows[1:]:
        if len(cells) > len(header) and any(cells[len(header):]):
            raise TermbaseError(f"{path}:{lineno}: {len(cells)} fields, header has {len(header)}")
        out.append((dict(zip(header, cells + [""] * (len(header) - len(cells)))), f"{path}:{lineno}"))
    return out


def _terms_from_table(path: Path) -> list[Term]:
    terms = []
    for row, origin in _rows_from_table(path):
        status = row["status"].lower()
        if status not in STATUSES:
            raise TermbaseError(f"{origin}: status must be preferred, admitted or forbidden, not {row['status']!r}")
        english = _split(row["english"])
        if not english:
            raise TermbaseError(f"{origin}: empty 'english'")
        arabic = _split(row["arabic"])
        if not arabic:
            raise TermbaseError(f"{origin}: empty 'arabic'")
        terms.append(Term(tuple(english), [_rendering(a, status, origin) for a in arabic], row.get("note", ""), origin))
    return terms


def _local(el) -> str:
    return regex.sub(r"^\{.*\}", "", el.tag) if isinstance(el.tag, str) else ""


def _terms_from_tbx(path: Path) -> list[Term]:
    from lxml import etree

    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise TermbaseError(f"{path}:{line}: not well-formed TBX ({exc})") from None
    terms = []
    entries = [el for el in tree.iter() if _local(el) in ("termEntry", "conceptEntry")]
    if not entries:
        raise TermbaseError(f"{path}:1: no termEntry/conceptEntry elements (is it TBX?)")
    for entry in entries:
        origin = f"{path}:{entry.sourceline}"
        english: list[str] = []
        renderings: list[Rendering] = []
        notes = [
            (el.text or "").strip()
            for el in entry.iter()
            if _local(el) in ("note", "descrip") and (el.text or "").strip()
        ]
        for lang in (el for el in entry.iter() if _local(el) in ("langSet", "langSec")):
            code = (lang.get(_XML_LANG) or lang.get("lang") or "").lower()
            for group in (el for el in lang.iter() if _local(el) in ("tig", "ntig", "termSec")):
                term_el = next((el for el in group.iter() if _local(el) == "term"), None)
                if term_el is None or not "".join(term_el.itertext()).strip():
                    raise TermbaseError(f"{path}:{group.sourceline}: a term group without a term")
                text = "".join(term_el.itertext()).strip()
                status = "preferred"
                for el in group.iter():
                    if _local(el) == "termNote" and el.get("type") in ("administrativeStatus", "normativeAuthorization"):
                        value = (el.text or "").strip().lower()
                        if value not in _TBX_STATUS:
                            raise TermbaseError(f"{path}:{el.sourceline}: unknown administrativeStatus {el.text!r}")
                        status = _TBX_STATUS[value]
                if code.startswith("en"):
                    english.append(text)
                elif code.startswith("ar"):
                    renderings.append(_rendering(text, status, f"{path}:{term_el.sourceline}"))
        if english and renderings:
            terms.append(Term(tuple(english), renderings, "; ".join(notes), origin))
    return terms


def read_termbase_file(path: Path) -> list[Term]:
    """The terms of one file (TBX by .tbx/.xml, else a CSV/TSV/XLSX list); TermbaseError names
    the file and line of what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise TermbaseError(f"{path}: termbase file not found")
    if path.suffix.lower() in (".tbx", ".xml"):
        return _terms_from_tbx(path)
    if path.suffix.lower() not in (".csv", ".tsv", ".tab", ".txt", ".xlsx"):
        raise TermbaseError(f"{path}: unknown termbase format (use .tbx, .csv, .tsv or .xlsx)")
    return _terms_from_table(path)


def _english_key(forms: Iterable[str]) -> str:
    return " ".join(_stem(w) for w in _EN_WORD.findall(next(iter(forms))))


def load_termbase(paths: Iterable[Path]) -> Termbase:
    """Every file's terms, merged into concepts by their first English form's stems."""
    merged: dict[str, Term] = {}
    for path in paths:
        for t in read_termbase_file(Path(path)):
            key = _english_key(t.english)
            if key in merged:
                m = merged[key]
                m.english = tuple(dict.fromkeys(m.english + t.english))
                m.renderings += t.renderings
                m.note = "; ".join(x for x in (m.note, t.note) if x)
            else:
                merged[key] = Term(t.english, list(t.renderings), t.note, t.origin)
    for t in merged.values():
        # A forbidden rendering that is also listed as good is a contradiction in the data.
        good = {r.words for r in t.renderings if r.status != "forbidden"}
        for r in t.renderings:
            if r.status == "forbidden" and r.words in good:
                raise TermbaseError(f"{r.origin}: {r.text!r} is listed both as forbidden and as allowed for {t.english[0]!r}")
        t.renderings.sort(key=lambda r: STATUSES.index(r.status))
    return Termbase(merged.values())
