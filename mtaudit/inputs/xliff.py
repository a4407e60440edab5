"""XLIFF 1.2, XLIFF 2.0/2.1 and TMX input, and findings written back into XLIFF (with lxml).

Reading (translate-toolkit is GPL; lxml keeps mtaudit's licence permissive):

- **XLIFF 1.2**: each ``<file>`` is an article (id: its ``original`` without extension, else
  the file name and the ``<file>``'s position); each ``<trans-unit>`` is one line of the
  article, its id the unit's ``id``.
- **XLIFF 2.x**: each ``<file>`` is an article and each ``<unit>`` a line (a unit of several
  ``<segment>`` elements is one line, its segments joined with a space; the id is the unit's).
- **TMX**: the file is one article and each ``<tu>`` a line (id ``tuid``, else its position);
  the source ``<tuv>`` is the header's ``srclang`` (else English), the target the first
  Arabic one.

Units are joined with a newline into the article text, so an XLIFF built from a text
article is audited exactly as the text is (headline, paragraphs and sentences alike).
Findings take the unit id as segment id, and their location is the unit's line in the file
with offsets into the unit's **target text**. Inline markup is handled, not audited:
paired elements (``<g>``, ``<mrk>``, ``<pc>``, ``<hi>``) keep their text; codes (``<x/>``,
``<bx/>``, ``<ex/>``, ``<ph>``, ``<bpt>``, ``<ept>``, ``<it>``, ``<sc/>``, ``<ec/>``, ``<ut>``, …)
are placeholders: their content is native markup, not translation, and is left out of the
text (``<cp hex>`` is a character and is kept).

Writing back (``--xliff-out DIR``): every XLIFF input is copied to DIR with each finding as
a note on its unit (1.2: ``<note from="mtaudit" priority=…>``; 2.x: ``<notes><note
category="mtaudit" priority=…>``), and, where the span lies inside one text node of the
target, the span wrapped in an ITS 2.0 Localization Quality Issue mark (``<mrk
mtype="x-its">`` in 1.2, ``<mrk type="its:generic">`` in 2.x, with ``its:locQualityIssueType``,
``…Comment``, ``…Severity``; types from references/its_lqi.tsv), so a CAT tool shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..types import Article, AuditResult

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
ITS = "http://www.w3.org/2005/11/its"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUFFIXES = {".xlf", ".xliff", ".xlf2", ".tmx"}

#: Elements whose text is translation (kept); every other inline element is a code.
_PAIRED = {"g", "mrk", "pc", "hi", "sub"}
#: Native-code elements whose content is never text.
_CODES = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec", "sm", "em", "ut"}
_SEVERITY_ITS = {"critical": "100", "major": "70", "minor": "30", "info": "0"}
_PRIORITY = {"critical": "1", "major": "2", "minor": "4", "info": "8"}


class XliffError(ValueError):
    """A file that is not well-formed XLIFF/TMX; the message names the file and line."""


@dataclass
class Unit:
    id: str
    source: str
    target: str
    line: int
    element: "etree._Element"


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def plain_text(elem) -> str:
    """The text of a source/target element with inline markup handled (see the module doc)."""
    if elem is None:
        return ""
    parts = [elem.text or ""]
    for child in elem:
        name = _local(child.tag)
        if name == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        elif name in _PAIRED:
            parts.append(plain_text(child))
        # codes and comments/processing instructions contribute nothing but their tail
        parts.append(child.tail or "")
    return "".join(parts)


def _parse(path: Path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"{path}: not well-formed XML: {exc}") from None
    except OSError as exc:
        raise XliffError(f"{path}: cannot read ({exc})") from None


def read_units(path: Path):
    """[(article id, [Unit])] of an XLIFF or TMX file, and the parsed tree."""
    tree = _parse(path)
    root = tree.getroot()
    kind = _local(root.tag)
    docs: list[tuple[str, list[Unit]]] = []
    if kind == "tmx":
        header = root.find("header")
        src_lang = (header.get("srclang") if header is not None else "") or "en"
        units = []
        for n, tu in enumerate(root.iter("tu"), 1):
            src = tgt = None
            for tuv in tu.findall("tuv"):
                lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
                seg = tuv.find("seg")
                if lang.split("-")[0] == src_lang.lower().split("-")[0] and src is None:
                    src = seg
                elif lang.startswith("ar") and tgt is None:
                    tgt = seg
            if tgt is None:
                continue
            units.append(Unit(tu.get("tuid") or str(n), plain_text(src), plain_text(tgt), tu.sourceline or 0, tu))
        docs.append((path.stem, units))
        return docs, tree
    if kind != "xliff":
        raise XliffError(f"{path}: root element is <{kind}>, not <xliff> or <tmx>")
    version = root.get("version", "")
    ns = XLIFF2 if version.startswith("2") else XLIFF12
    files = root.findall(f"{{{ns}}}file")
    for k, file_el in enumerate(files, 1):
        original = file_el.get("original") or ""
        doc_id = Path(original).stem if original else (file_el.get("id") or f"{path.stem}#{k}")
        units = []
        if ns == XLIFF12:
            for tu in file_el.iter(f"{{{ns}}}trans-unit"):
                units.append(Unit(tu.get("id", ""), plain_text(tu.find(f"{{{ns}}}source")),
                                  plain_text(tu.find(f"{{{ns}}}target")), tu.sourceline or 0, tu))
        else:
            for unit in file_el.iter(f"{{{ns}}}unit"):
                segs = unit.findall(f"{{{ns}}}segment")
                src = " ".join(plain_text(s.find(f"{{{ns}}}source")) for s in segs)
                tgt = " ".join(plain_text(s.find(f"{{{ns}}}target")) for s in segs)
                units.append(Unit(unit.get("id", ""), src, tgt, unit.sourceline or 0, unit))
        docs.append((doc_id, units))
    return docs, tree


def read_articles(path: Path) -> list[Article]:
    """Articles of an XLIFF or TMX file (XliffError if it cannot be parsed)."""
    docs, _ = read_units(path)
    articles = []
    for doc_id, units in docs:
        if not units or not any(u.target.strip() for u in units):
            continue
        spans, pos = [], 0
        for u in units:
            spans.append((u.id, pos, pos + len(u.target)))
            pos += len(u.target) + 1
        has_source = any(u.source.strip() for u in units)
        articles.append(Article(
            id=doc_id,
            text="\n".join(u.target for u in units),
            source="\n".join(u.source for u in units) if has_source else None,
            origin=str(path),
            unit_spans=tuple(spans),
            record_lines=tuple(u.line for u in units),
        ))
    return articles


# -- writing findings back -------------------------------------------------------------------


def _lqi_types() -> dict[str, str]:
    from ..knowledge.resources import Resources

    rows = Resources().table("its_lqi.tsv")
    return {r["key"]: r["type"] for r in rows}


def _mark(target, start: int, end: int, attrs: dict[str, str], v2: bool, ns: str) -> bool:
    """Wrap target text [start, end) in an ITS mark when it lies inside one text node."""
    pos = 0

    def walk(el):
        """Text nodes in document order with their plain-text offsets."""
        nonlocal pos
        yield (el, "text", pos)
        pos += len(el.text or "")
        for child in el:
            name = _local(child.tag)
            if name in _PAIRED:
                yield from walk(child)
            elif name == "cp":
                pos += 1
            yield (child, "tail", pos)
            pos += len(child.tail or "")

    for el, which, at in list(walk(target)):
        text = (el.text if which == "text" else el.tail) or ""
        if at <= start and end <= at + len(text) and end > start:
            a, b = start - at, end - at
            mrk = etree.Element(f"{{{ns}}}mrk", nsmap={"its": ITS})
            if v2:
                mrk.set("id", attrs.pop("id"))
                mrk.set("type", "its:generic")
            else:
                attrs.pop("id", None)
                mrk.set("mtype", "x-its")
            for k, v in attrs.items():
                mrk.set(f"{{{ITS}}}{k}", v)
            mrk.text = text[a:b]
            mrk.tail = text[b:]
            if which == "text":
                el.text = text[:a]
                el.insert(0, mrk)
            else:
                el.tail = text[:a]
                el.addnext(mrk)
            return True
    return False


def write_back(result: AuditResult, out_dir: Path) -> list[Path]:
    """Copy every XLIFF input to ``out_dir`` with its findings as notes and ITS marks."""
    types = _lqi_types()
    by_origin: dict[str, list] = {}
    for art in result.articles:
        if art.article.unit_spans and Path(art.article.origin).suffix.lower() in SUFFIXES - {".tmx"}:
            by_origin.setdefault(art.article.origin, []).append(art)
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for origin, arts in by_origin.items():
        docs, tree = read_units(Path(origin))
        root = tree.getroot()
        v2 = root.get("version", "").startswith("2")
        ns = XLIFF2 if v2 else XLIFF12
        units_of = dict(docs)
        n_mark = 0
        for art in arts:
            units = {u.id: u for u in units_of.get(art.article.id, [])}
            for f in art.findings:
                for uid, s, e in art.article.unit_spans:
                    if s <= f.start <= e and uid in units:
                        break
                else:
                    continue
                unit = units[uid]
                sev = f.severity.value
                comment = f"{f.check} ({sev}): {f.message}" + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
                lqi_type = types.get(f.check) or types.get(f.category) or "other"
                n_mark += 1
                attrs = {"id": f"mtaudit{n_mark}", "locQualityIssueType": lqi_type,
                         "locQualityIssueComment": comment, "locQualityIssueSeverity": _SEVERITY_ITS[sev]}
                start, end = f.start - s, f.end - s
                if v2:
                    segs = unit.element.findall(f"{{{ns}}}segment")
                    target = segs[0].find(f"{{{ns}}}target") if len(segs) == 1 else None
                    notes = unit.element.find(f"{{{ns}}}notes")
                    if notes is None:
                        notes = etree.Element(f"{{{ns}}}notes")
                        unit.element.insert(0, notes)
                    note = etree.SubElement(notes, f"{{{ns}}}note", category="mtaudit", priority=_PRIORITY[sev])
                else:
                    target = unit.element.find(f"{{{ns}}}target")
                    note = etree.SubElement(unit.element, f"{{{ns}}}note", {"from": "mtaudit", "priority": _PRIORITY[sev]})
                note.text = f"[{start}-{end}] “{f.text}” {comment}"
                if target is not None:
                    _mark(target, start, end, attrs, v2, ns)
        dest = out_dir / Path(origin).name
        tree.write(str(dest), xml_declaration=True, encoding="UTF-8")
        written.append(dest)
    return written
