"""Comparing the figures of a source with those of its translation, unit by unit.

Shared by the number-mismatch and unit-mismatch checks (a check never imports another
check) and by the fitting script (scripts/fit_number_confidence.py), which needs the
evidence of each candidate finding before a confidence is put on it.

A :class:`Candidate` is a finding not yet made: where, what to say, and its evidence as
named features (0/1 flags) for the fitted confidence model of its check. The features are
the same names for every kind of candidate, so that one model per check covers them:

- ``month``, ``omission``: the kind (a changed figure is the base case);
- ``identifier``: the figure is an identifier (a phone number, a code such as BA117);
- ``year``: a four-digit figure that reads as a year (1000-2100);
- ``small``: a whole number below 10 (counts that translators often write in words);
- ``scaled``: written with a scale (4.5 مليار) or a unit or currency;
- ``no_source_figure``: the source unit has no figure in digits at all;
- ``unaligned``: source and target could not be paired paragraph by paragraph, so the
  whole source is compared with the whole target;
- ``near``: a figure of the source the target lacks is near this one (the same digits at
  another scale, digits transposed or off by one, within 10%);
- ``unique``: exactly one figure of the source is unused (the suggestion is likely right);
- ``bracketed``: the figure stands inside brackets (glosses, conversions);
- ``target_words``: the target writes some number in words (a figure may hide in them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import regex

from ..knowledge.resources import Resources
from ..run.memo import memoized
from ..types import Article, Segment
from .alignment import shared_source_units
from .normalize import normalize
from .numbers import (
    _ARABIC_SCALES,
    Mention,
    arabic_rendering,
    extract,
    month_values,
    numeric_values,
    value_key,
)
from .segment import paragraphs

FEATURES = (
    "month", "omission", "identifier", "year", "small", "scaled", "no_source_figure",
    "unaligned", "near", "unique", "bracketed", "target_words",
)
UNIT_FEATURES = ("unaligned", "small", "source_has_target_unit", "target_has_source_unit", "bracketed")

ARABIC_MONTHS = {
    1: "يناير", 2: "فبراير", 3: "مارس", 4: "أبريل", 5: "مايو", 6: "يونيو",
    7: "يوليو", 8: "أغسطس", 9: "سبتمبر", 10: "أكتوبر", 11: "نوفمبر", 12: "ديسمبر",
}


@dataclass(frozen=True)
class Candidate:
    kind: str  # changed | month | omission | unit
    start: int  # article offsets
    end: int
    message: str
    suggestion: str = ""
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class _Unit:
    source: str
    segs: list[Segment]
    src: list[Mention]
    tgt: list[Mention]
    target_text: str
    target_start: int
    unaligned: bool


def _units(article: Article, content: list[Segment], resources: Resources) -> list[_Unit]:
    """The article's units with the number mentions of both sides, extracted once per
    article (memoised in the article scope) and shared by number-mismatch and unit-mismatch.
    Read-only for the callers."""
    key = (article.id, article.text, article.source, tuple(article.record_sources or ()))
    return memoized("number-units", key, _number_units, article, content, resources)


def _number_units(article: Article, content: list[Segment], resources: Resources) -> list[_Unit]:
    pairs = shared_source_units(article, content)
    source = article.source or ""
    unaligned = (
        not article.record_sources
        and len(pairs) == 1
        and len(paragraphs(source)) != len({s.paragraph for s in content})
    )
    out = []
    for src_text, segs in pairs:
        if not segs or not src_text.strip():
            continue
        tgt = [m.shifted(s.start) for s in segs for m in extract(s.text, resources)]
        start = segs[0].start
        out.append(_Unit(src_text, segs, extract(src_text, resources), tgt, article.text[start : segs[-1].end], start, unaligned))
    return out


def number_candidates(article: Article, content: list[Segment], resources: Resources) -> list[Candidate]:
    """Figures and months of the target the source does not have, and figures of the source
    the target lacks (see the number-mismatch check)."""
    out: list[Candidate] = []
    units_table = resources.units
    for u in _units(article, content, resources):
        src, tgt = u.src, u.tgt
        src_values, tgt_values = numeric_values(src), numeric_values(tgt)
        src_months, tgt_months = month_values(src), month_values(tgt)
        src_idents = _ident_strings(src, u.source)
        src_currencies = {m.unit for m in src if m.unit and units_table.by_id[m.unit].dimension == "currency"}
        unused_src = _unique(
            [
                m for m in src
                if m.kind == "digits" and not m.compound_part
                and not _matched(m, tgt_values, tgt_months) and not _converted(m, tgt, units_table)
            ]
        )
        src_has_figure = any(m.kind in ("digits", "ident") for m in src)
        target_words = any(m.kind == "words" for m in tgt)
        money_matched = any(
            m.unit and units_table.by_id[m.unit].dimension == "currency" and _matched(m, src_values, src_months) for m in tgt
        )
        changed: list[Mention] = []
        for m in tgt:
            if m.kind == "digits":
                if m.compound_part or _matched(m, src_values, src_months) or _converted(m, src, units_table):
                    continue
                if _added_conversion(m, src_currencies, money_matched, units_table):
                    continue
                changed.append(m)
            elif m.kind in ("ident", "code") and m.ident and not _ident_matched(m, src_idents):
                changed.append(m)
        for m in changed:
            suggestion = arabic_rendering(unused_src[0]) if len(unused_src) == 1 and m.kind == "digits" else ""
            unused_text = ", ".join(x.text.strip() for x in unused_src)
            what = "identifier" if m.kind in ("ident", "code") else "number"
            features = _features(
                m, u, src_has_figure, target_words,
                identifier=m.kind in ("ident", "code"),
                near=any(_near(m, x) for x in unused_src),
                unique=len(unused_src) == 1,
            )
            out.append(
                Candidate(
                    "changed",
                    m.start,
                    m.end,
                    f"The {what} {m.text.strip()} is not in the source"
                    + (f" (the source has {unused_text} that the translation lacks)." if unused_src else "."),
                    suggestion,
                    features,
                )
            )
        for m in tgt:
            if m.kind == "month" and int(m.value) not in src_months:
                missing = sorted(src_months - tgt_months)
                out.append(
                    Candidate(
                        "month",
                        m.start,
                        m.end,
                        f"Month “{m.text}” is not the source's"
                        + (f" ({', '.join(ARABIC_MONTHS[x] for x in missing)})." if missing else "."),
                        ARABIC_MONTHS[missing[0]] if len(missing) == 1 else "",
                        _features(m, u, src_has_figure, target_words, month=True, unique=len(missing) == 1),
                    )
                )
        if changed:
            continue  # the missing figures are named in the findings on the changed ones
        for m in unused_src:
            anchor = u.segs[0]
            out.append(
                Candidate(
                    "omission",
                    anchor.start,
                    anchor.end,
                    f"The source's number {m.text.strip()} does not appear in this passage of the translation.",
                    "",
                    _features(m, u, src_has_figure, target_words, omission=True, unique=len(unused_src) == 1),
                )
            )
    return out


def unit_candidates(article: Article, content: list[Segment], resources: Resources) -> list[Candidate]:
    """Figures of the target written in another unit than the source's, unconverted (see
    the unit-mismatch check)."""
    table = resources.units
    out: list[Candidate] = []
    for u in _units(article, content, resources):
        src_units = {m.unit for m in u.src if m.unit}
        tgt_units = {m.unit for m in u.tgt if m.unit}
        for m in u.tgt:
            if m.kind != "digits" or not m.unit or m.measure is None or m.compound_part:
                continue
            unit = table.by_id[m.unit]
            same = [
                x for x in u.src
                if x.kind in ("digits", "words") and x.unit and x.measure is not None and m.readings & x.readings
                and table.by_id[x.unit].dimension == unit.dimension
            ]
            if not same or any(_same_unit(table.by_id[x.unit], unit) for x in same):
                continue
            if _converted(m, u.src, table):
                continue  # the figure happens to be the conversion as well
            x = same[0]
            xunit = table.by_id[x.unit]
            converted = unit.from_base(x.measure)
            shown = _round(converted)
            if m.scale in _ARABIC_SCALES:  # 2.5 مليون كيلومتر → 4.02 مليون
                shown = f"{_round(converted / m.scale)} {_ARABIC_SCALES[m.scale]}"
            features = {
                "unaligned": float(u.unaligned),
                "small": float(m.value == int(m.value) and m.value < 10),
                "source_has_target_unit": float(any(_same_unit(table.by_id[i], unit) for i in src_units)),
                "target_has_source_unit": float(any(_same_unit(table.by_id[i], xunit) for i in tgt_units)),
                "bracketed": float(_bracketed(m, u)),
            }
            out.append(
                Candidate(
                    "unit",
                    m.start,
                    m.end,
                    f"The figure {m.text.strip()} is in another unit ({m.unit}) than the source's {x.text.strip()}"
                    f" ({x.unit}): the figure was kept but not converted ({x.text.strip()} {x.unit} is about"
                    f" {shown} {m.unit}).",
                    shown,
                    features,
                )
            )
    return out


# --- matching ---------------------------------------------------------------------------


def _matched(m: Mention, values: set[float], months: set[int]) -> bool:
    """A figure is matched by the same value on the other side; a figure in a numeric date
    (17-2-1963) also by the month it may stand for (February 17, 1963)."""
    return bool(m.readings & values) or (m.in_date and int(m.value) in months)


def _same_unit(a, b) -> bool:
    """Units of one dimension whose factors differ by less than 10% (acre and feddan)."""
    if a.dimension != b.dimension:
        return False
    if a.dimension == "temperature":
        return a.id == b.id
    return abs(math.log(a.factor / b.factor)) < math.log(1.1)


def _tolerance(m: Mention) -> float:
    """How far a converted figure may be from the written one: half its last significant
    digit (8 km for 8.05, 60 miles for 62), at least 2% and at most 6% (7 feet is not a
    rounding of 2 metres, 6.56 feet)."""
    digits = m.digits or m.text
    frac = regex.search(r"[.٫](\d+)", digits)
    if frac:
        half = 0.5 * 10 ** -len(frac.group(1)) * (m.scale or 1)
    else:
        v = int(abs(m.value / (m.scale or 1))) or 1
        zeros = len(str(v)) - len(str(v).rstrip("0"))
        half = 0.5 * 10**zeros * (m.scale or 1)
    return min(max(half, 0.02 * abs(m.value)), 0.06 * abs(m.value))


def _converted(m: Mention, others: list[Mention], table) -> bool:
    """Whether ``m`` (with a unit) is a conversion of a measure on the other side
    (5 miles → 8 كيلومترات; 6-foot-2 → 1.88 متر)."""
    if not m.unit or m.measure is None:
        return False
    unit = table.by_id[m.unit]
    for x in others:
        if x.measure is None or not x.unit or x.compound_part:
            continue
        if table.by_id[x.unit].dimension != unit.dimension:
            continue
        if abs(unit.from_base(x.measure) - m.value) <= _tolerance(m):
            return True
    return False


def _added_conversion(m: Mention, src_currencies: set[str], money_matched: bool, table) -> bool:
    """A sum in another currency than the source's, next to one that matches: a conversion
    the translator added for readers (50 دولارا (185 ريالا)), not an error."""
    if not m.unit or table.by_id[m.unit].dimension != "currency":
        return False
    return money_matched and m.unit not in src_currencies


def _ident_strings(mentions: list[Mention], source: str) -> dict[str, set[str]]:
    """What identifiers of the target may match: the source's identifiers and codes (as
    written and as digits) and every run of digits of the source."""
    digits_only = regex.sub(r"\D", "", normalize(source).text)
    return {
        "idents": {m.ident for m in mentions if m.ident},
        "runs": set(regex.findall(r"\d+", normalize(source).text)),
        "groups": {tuple(sorted(regex.findall(r"\d+", m.text))) for m in mentions if m.kind == "ident"},
        "all": {digits_only},
    }


def _ident_matched(m: Mention, src: dict[str, set[str]]) -> bool:
    if m.kind == "code":
        # A code kept in Latin letters (BA117, A320) must carry the source's digits; a
        # code written in Arabic letters (كوفيد-19) is compared by its digits only.
        digits = regex.sub(r"\D", "", m.ident)
        if not regex.search(r"\p{Latin}", m.ident):
            return True
        if m.ident in src["idents"]:
            return True
        # a code whose letters the source also writes (WIV1, R0, S1) must be that code
        letters = regex.sub(r"\d", "", m.ident)
        if any(regex.sub(r"\d", "", i) == letters for i in src["idents"]):
            return False
        return digits in src["runs"]
    digits = m.ident.lstrip("0")
    if any(digits and (i.lstrip("0").endswith(digits) or digits.endswith(i.lstrip("0"))) and min(len(i), len(digits)) >= 7 for i in src["idents"]):
        return True
    if tuple(sorted(regex.findall(r"\d+", m.text))) in src["groups"]:
        return True  # the same groups in another order (bidi reordering)
    return any(digits and digits in a for a in src["all"])


def _near(m: Mention, x: Mention) -> bool:
    """A source figure ``x`` the target lacks that ``m`` may be a corruption of."""
    a, b = m.value, x.value
    if m.digits and x.digits and m.digits.replace(",", "") == x.digits.replace(",", "") and m.scale != x.scale:
        return True  # 4.5bn → 4.5 مليون
    if a and b and abs(a - b) <= 0.1 * max(abs(a), abs(b)):
        return True
    da, db = regex.sub(r"\D", "", m.text), regex.sub(r"\D", "", x.text)
    return len(da) == len(db) > 1 and (sorted(da) == sorted(db) or sum(p != q for p, q in zip(da, db)) == 1)


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[float] = set()
    out = []
    for m in mentions:
        if value_key(m.value) not in seen:
            seen.add(value_key(m.value))
            out.append(m)
    return out


def _bracketed(m: Mention, u: _Unit) -> bool:
    before = u.target_text[: max(0, m.start - u.target_start)]
    return before.rfind("(") > before.rfind(")")


def _features(m: Mention, u: _Unit, src_has_figure: bool, target_words: bool, **flags) -> dict[str, float]:
    v = m.value
    f = {
        "month": 0.0,
        "omission": 0.0,
        "identifier": 0.0,
        "year": float(m.kind == "digits" and v == int(v) and 1000 <= v <= 2100 and m.scale == 1),
        "small": float(m.kind == "digits" and v == int(v) and 0 <= v < 10),
        "scaled": float(m.scale != 1 or bool(m.unit)),
        "no_source_figure": float(not src_has_figure),
        "unaligned": float(u.unaligned),
        "near": 0.0,
        "unique": 0.0,
        "bracketed": float(_bracketed(m, u)) if not flags.get("omission") else 0.0,
        "target_words": float(target_words),
    }
    for k, val in flags.items():
        f[k] = float(val)
    return f


def _round(value: float) -> str:
    if value == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    r = round(value, digits)
    return str(int(r)) if r == int(r) else f"{r:g}"
