"""Numbers, quantities and dates in English and Arabic text, as comparable values.

Used by the number-mismatch and unit-mismatch checks (through mtaudit.text.number_compare). Works on the folded text (Arabic-Indic digits and the
Arabic decimal/thousands separators are folded to ASCII) and maps offsets back.

A :class:`Mention` carries every value it can be read as (its *readings*), because the same
quantity is written differently on the two sides: 42.000 is 42,000 in German-style copy,
12:00 is 1200 GMT, the 1960s are الستينيات (60), the 1800s are القرن التاسع عشر (19th).
Two mentions agree when their readings meet.

Kinds of mention:

- ``digits``: a figure in digits (15, 1,500, ٣٫٥ مليون, 26th, 11:00): compared both ways;
- ``words``: number words (three, ثلاثة, خمسة وعشرون, الخامس عشر, nineteen eighty-four)
  and Roman numerals of the source (World War II, Super Bowl XLII): they vouch for a
  figure on the other side but are never reported missing;
- ``code``: digits inside an identifier (ACE2, PS5, U07.1, H1N1, COVID-19, Fig.2): they
  vouch for the same digits on the other side but are never reported either way;
- ``month``: a month name next to a number (15 October, 15 تشرين الأول);
- ``date-month``: a month written as a number in a date (9/11, 2020-03-04): it vouches
  for a month name on the other side but is never reported;
- ``ident``: grouped digits that are one identifier (+44 20 7946 0958, 978-3-16-148410-0),
  compared as a digit string, never as values.

A figure also carries the unit written with it (``unit``: an id of references/units.tsv,
a currency sign before it or a unit after it) and, for units of measure, its quantity in
the dimension's base unit (``measure``), so that a conversion (5 miles = 8 km) and a
compound measure (6-foot-2 = 1.88 m) can be recognised. Scale abbreviations (4.5bn, 5 mln,
20k; "m" and "b" only after a currency: £300m) multiply like scale words; a fraction
(1/2, half, نصف, three-quarters) reads as its value and as a percentage.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import regex

from ..knowledge.resources import Resources
from .morphology import affixes
from .normalize import normalize, prefix_splits

# A run of digits with its separators: 1,234,567.89 | 3.5 | 11:00 | 15،00 (folded text).
# A leading decimal point counts after a space, a bracket or و (.08%, و.08%).
_DIGIT_RUN = regex.compile(r"(?:(?<=^|^و|[\s(]|[\s(]و)\.(?=\d))?\d+(?:[.,،:]\d+)*")
_WORD = regex.compile(r"\p{L}+")
_LATIN = regex.compile(r"\p{Latin}")
_ROMAN = regex.compile(r"(?<![\p{L}\p{N}])(?=[IVXLC])(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?![\p{L}\p{N}])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# A lone "I" is the pronoun unless a noun that takes a numeral stands before it.
_ROMAN_I_AFTER = regex.compile(
    r"(?:war|bowl|type|phase|class|grade|stage|part|chapter|level|category|act|volume|title|article|annex|-)\s*$",
    regex.IGNORECASE,
)
# Latin letters right after digits that keep them a quantity (5km, 26th, 1960s) rather
# than part of an identifier (5G, B0AT1, 802.11n).
_QUANTITY_SUFFIXES = frozenset(
    (
        "st nd rd th s km kms kg kgs m cm mm mg ml l g gb mb tb kb ghz mhz hz kw mw gw am pm bn bln mn mln tn trn k b"
        " h hr hrs min mph kph kmh x ft mi lb lbs yd yds oz ha gal f"
    ).split()
)
_AREA_UNIT_BEFORE = regex.compile(r"(?<!\p{L})(?:كم|سم|مم|م)$")
# 9/11, 17/2/1963, 17-2-1963, 17.2.1963 (a two-part date only with a slash)
_NUMERIC_DATE = regex.compile(
    r"(?<![\d/.-])(\d{1,2})(?:/(\d{1,2})(?:/(\d{2,4}))?|([-.])(\d{1,2})\4(\d{4}))(?![\d/]|[.-]\d)"
)
_ISO_DATE = regex.compile(r"(?<!\d)\d{4}-(\d{2})-\d{2}(?!\d)")


@dataclass(frozen=True)
class Mention:
    value: float
    start: int  # offsets into the original text
    end: int
    kind: str  # digits | words | code | month | date-month
    text: str
    #: For digits followed by a scale word: the digits as written and the scale's value.
    digits: str = ""
    scale: float = 1.0
    #: Other values the mention can be read as (42.000 → 42000; 12:00 → 1200; 1960s → 60).
    also: tuple[float, ...] = ()
    #: Digits that are part of a numeric date (17-2-1963): they may stand for a month.
    in_date: bool = False
    #: The unit written with the figure (an id of references/units.tsv: mile, km, usd), or "".
    unit: str = ""
    #: The quantity in its dimension's base unit (metres, kg, °C ...), None without a
    #: convertible unit; a compound measure (6-foot-2, 5ft 10in) carries the whole on its
    #: first figure.
    measure: float | None = None
    #: A figure that is the second part of a compound measure (the 2 of 6-foot-2).
    compound_part: bool = False
    #: For identifiers (kind ``ident``, and codes): the digits as one string.
    ident: str = ""

    @cached_property  # asked for every comparison; a frozen dataclass still has a __dict__
    def readings(self) -> frozenset[float]:
        return frozenset(value_key(v) for v in (self.value, *self.also))

    def shifted(self, offset: int) -> "Mention":
        return dataclasses.replace(self, start=self.start + offset, end=self.end + offset)


def extract(text: str, resources: Resources) -> list[Mention]:
    """Every number, number phrase, coded number, identifier and dated month of ``text``."""
    norm = normalize(text)
    folded = norm.text
    mentions: list[Mention] = []
    units = resources.units

    fstarts: dict[int, int] = {}  # folded start of a figure → its index in mentions

    def add(value: float, s: int, e: int, kind: str, digits: str = "", scale: float = 1.0, also=(), **extra) -> None:
        os_, oe = norm.to_original(s, e)
        fstarts.setdefault(s, len(mentions))
        mentions.append(Mention(value, os_, oe, kind, text[os_:oe], digits, scale, tuple(also), **extra))

    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    scale_words = _scale_words_after_digits(folded, words, resources)
    idents = list(_identifiers(folded))
    ident_spans = [(s, e) for s, e, _ in idents]
    dates = [m for m in _NUMERIC_DATE.finditer(folded) if not _inside(m.start(), ident_spans)]
    date_spans = [(m.start(), m.end()) for m in dates]
    consumed: set[int] = set()
    for s, e, digits in idents:
        add(float(digits), s, e, "ident", digits, ident=digits)
    for m in dates:
        fraction = _fraction(m)
        if fraction is not None:
            # 1/2, 3/4: a fraction or a date; it reads as both (its parts may be months)
            add(fraction, m.start(), m.end(), "digits", m.group(), also=(fraction * 100, *_parts(m)), in_date=True)
    measures: list[tuple[int, int, int]] = []  # (mention index, folded digits end, folded unit end)
    for m in _DIGIT_RUN.finditer(folded):
        if _inside(m.start(), ident_spans):
            continue
        if any(ds <= m.start() < de for ds, de in date_spans):
            if any(ds <= m.start() < de and _fraction(d) is not None for d, (ds, de) in zip(dates, date_spans)):
                continue
            for part in regex.finditer(r"\d+", m.group()):
                s, e = m.start() + part.start(), m.start() + part.end()
                os_, oe = norm.to_original(s, e)
                mentions.append(Mention(float(part.group()), os_, oe, "digits", text[os_:oe], in_date=True))
            continue
        for s, e, value, also in _readings_of_run(folded, m.start(), m.end()):
            kind = "code" if _is_code(folded, s, e, units) else "digits"
            if kind == "code":
                word = regex.search(r"\p{Latin}+[-.]?$", folded[max(0, s - 12) : s])
                ident = (word.group().rstrip("-.") if word else "") + folded[s:e]
                add(value, s, e, kind, folded[s:e], also=also, ident=ident)
                continue
            currency = _currency_before(folded, s, units)
            scale_word = scale_words.get(e)
            if scale_word is not None and scale_word[3] == "abbr-money" and not currency:
                # "5m": million after a currency sign; otherwise 5 metres or 5 million
                unit_id, unit_end = "metre", scale_word[1]
                scale_word = None
                also = (*also, value * 1e6)
            else:
                unit_id, unit_end = "", e
            if scale_word is not None:
                ws, we, factor, _ = scale_word
                consumed.add(ws)
                after, after_end = _unit_after(folded, we, units)
                add(value * factor, s, we, kind, folded[s:e], factor, [a * factor for a in also], unit=after or currency)
                if after and units.by_id[after].dimension != "currency":
                    measures.append((len(mentions) - 1, we, after_end))  # 2.5 million km
                continue
            if not unit_id:
                unit_id, unit_end = _unit_after(folded, e, units)
            unit_id = unit_id or currency
            add(value, s, e, kind, folded[s:e], also=also, unit=unit_id)
            if unit_id and units.by_id[unit_id].dimension != "currency":
                measures.append((len(mentions) - 1, e, unit_end))

    _measure(mentions, measures, fstarts, folded, units)
    for s, e, value, also in _number_phrases(folded, words, consumed, resources):
        unit_id, _ = _unit_after(folded, e, units)  # six miles wide
        measure = units.by_id[unit_id].to_base(value) if unit_id and units.by_id[unit_id].dimension != "currency" else None
        add(value, s, e, "words", also=also, unit=unit_id, measure=measure)
    for s, e, value in _roman_numerals(text):  # offsets into the original: case matters
        mentions.append(Mention(value, s, e, "words", text[s:e]))
    for s, e, month, kind in _months(folded, words, dates, resources):
        add(float(month), s, e, kind)
    return mentions


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


# --- identifiers, fractions, units ------------------------------------------------------

# Grouped digits that are one identifier, not several values: phone numbers (+44 20 7946
# 0958), ISBNs (978-3-16-148410-0), account and reference numbers. Checked further in
# _identifiers: at least 8 digits (7 after a +), and not a list of years or an ISO date.
_IDENT = regex.compile(r"(?<![\d.,/])(?:\+\s?)?\d{1,6}(?:[ \u00a0-]\d{1,8}){2,}(?![\d/]|[.,]\d)")


def _identifiers(folded: str):
    """(start, end, digits) of each grouped identifier."""
    for m in _IDENT.finditer(folded):
        groups = regex.findall(r"\d+", m.group())
        digits = "".join(groups)
        plus = m.group().startswith("+")
        if len(digits) < (7 if plus else 8):
            continue
        if not plus and all(len(g) == 4 and 1000 <= int(g) <= 2100 for g in groups):
            continue  # 1990-1995-2000
        if not plus and " " in m.group() and all(len(g) == 3 for g in groups[1:]):
            continue  # 12 500 000: thousands grouped with spaces
        if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", m.group()):
            continue
        yield m.start(), m.end(), digits


def _fraction(date_match) -> float | None:
    """The value of a two-part "date" that reads as a common fraction (1/2, 3/4, 2/3)."""
    if date_match.group(1) and date_match.group(2) and not date_match.group(3):
        n, d = int(date_match.group(1)), int(date_match.group(2))
        if 1 <= n < d <= 10:
            return n / d
    return None


def _parts(date_match) -> tuple[float, ...]:
    return tuple(float(date_match.group(g)) for g in (1, 2) if date_match.group(g))


_UNIT_PATTERNS: dict[int, tuple] = {}


def _unit_patterns(units):
    """Compiled alternations of the unit forms (longest first), cached per table."""
    key = id(units)
    if key not in _UNIT_PATTERNS:
        def alternation(forms):
            return "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))

        from ..knowledge.compiled import compiled_patterns

        # kept compiled (long alternations: about 10 ms to compile at every start)
        after, before, dual = compiled_patterns("units", [
            (r"[\s\u00a0]*-?[\s\u00a0]*(" + alternation(units.after) + r")(?![\p{L}\d])", 0),
            (r"(?<![\p{L}])(" + alternation(units.before) + r")[\s\u00a0]?$", 0),
            (r"[\s\u00a0-]*(?:and\s+|و\s*)?(" + alternation(units.dual) + r")(?!\p{L})", 0),
        ])
        _UNIT_PATTERNS[key] = (units, after, before, dual)
    return _UNIT_PATTERNS[key][1:]


def _unit_after(folded: str, end: int, units) -> tuple[str, int]:
    """The unit written right after a figure ending at ``end``: (unit id, end of the form)."""
    after, _, _ = _unit_patterns(units)
    m = after.match(folded, end)
    if not m:
        return "", end
    return units.after[m.group(1)], m.end()


def _currency_before(folded: str, start: int, units) -> str:
    """The currency whose sign or code stands right before a figure (£4.5bn, US$50, Dh50)."""
    _, before, _ = _unit_patterns(units)
    m = before.search(folded[max(0, start - 6) : start])
    return units.before[m.group(1)] if m else ""



def _measure(mentions: list[Mention], measures, fstarts: dict[int, int], folded: str, units) -> None:
    """Give each figure with a unit its quantity in base units, joining compound measures
    (a larger unit, then a figure in the next smaller unit of the same dimension or none:
    6-foot-2 = 6 ft + 2 in; 6 أقدام وبوصتان = 6 ft + 2 in)."""
    _, _, dual = _unit_patterns(units)
    smaller = {"foot": "inch", "mile": "yard", "km": "metre", "metre": "cm", "lb": "ounce", "kg": "gram"}
    for i, e, unit_end in measures:
        m = mentions[i]
        unit = units.by_id[m.unit]
        base = unit.to_base(m.value)
        part = smaller.get(m.unit)
        if part:
            d = dual.match(folded, unit_end)
            if d and units.dual[d.group(1)] == part:
                base += units.by_id[part].to_base(2)
            else:
                nxt = regex.match(r"[\s\u00a0-]*(?:and\s+|و\s*)?(\d+(?:\.\d+)?)", folded[unit_end : unit_end + 12])
                if nxt:
                    nstart = unit_end + nxt.start(1)
                    j = fstarts.get(nstart)
                    if j is not None and j != i and mentions[j].kind == "digits" and mentions[j].unit in ("", part):
                        base += units.by_id[part].to_base(mentions[j].value)
                        mentions[j] = dataclasses.replace(mentions[j], unit=part, compound_part=True, measure=units.by_id[part].to_base(mentions[j].value))
        mentions[i] = dataclasses.replace(m, measure=base)


_MONTH_KINDS = ("month", "date-month")


def numeric_values(mentions: list[Mention]) -> set[float]:
    """Every reading of every mention that is not a month."""
    return {r for m in mentions if m.kind not in _MONTH_KINDS for r in m.readings}


def month_values(mentions: list[Mention]) -> set[int]:
    """Months named (15 October) or written in a numeric date (9/11)."""
    return {int(m.value) for m in mentions if m.kind in _MONTH_KINDS}


def value_key(value: float) -> float:
    """Values are compared after rounding, so 3.5 million and 3,500,000 are equal."""
    return round(value, 6)


_ARABIC_SCALES = {1e3: "ألف", 1e6: "مليون", 1e9: "مليار", 1e12: "تريليون"}


def arabic_rendering(m: Mention) -> str:
    """How a source figure is written in Arabic copy: 1.9 million → 1.9 مليون, 1,200 → 1200."""
    if m.scale in _ARABIC_SCALES and m.digits:
        return f"{m.digits} {_ARABIC_SCALES[m.scale]}"
    value = m.value
    return str(int(value)) if value == int(value) else f"{value:g}"


# --- digits -----------------------------------------------------------------------------


def _readings_of_run(folded: str, start: int, end: int):
    """(start, end, value, other readings) for each number in a run of digits and separators.

    1,234.5 is one number; 42.000 is 42 or 42,000; 11:30 is 11.30 or 1130; 15،00 uses the
    Arabic comma as a decimal point; a comma not followed by exactly three digits separates
    two numbers (June 26,1996).
    """
    run = folded[start:end]
    if ":" in run:
        hours, _, minutes = run.partition(":")
        if hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
            yield start, end, int(hours) + int(minutes) / 100, (int(hours + minutes), int(hours))
            return
    if regex.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", run):
        yield start, end, float(run.replace(",", "")), ()
        return
    if regex.fullmatch(r"\d{1,3}(?:\.\d{3})+", run):
        thousands = float(run.replace(".", ""))
        if run.count(".") > 1:
            yield start, end, thousands, ()
        else:
            yield start, end, float(run), (thousands,)
        return
    if regex.fullmatch(r"\d{1,3}(?:،\d{3})+", run):
        # the Arabic comma separates thousands (١٢،٥٠٠) or, rarely, decimals (15،500)
        thousands = float(run.replace("،", ""))
        also = (float(run.replace("،", ".")),) if run.count("،") == 1 else ()
        yield start, end, thousands, also
        return
    if regex.fullmatch(r"\d*[.،]\d+", run):
        yield start, end, float(run.replace("،", ".")), ()
        return
    # Anything else: the separators split numbers.
    for m in regex.finditer(r"\d+(?:\.\d+)?", run):
        s, e = start + m.start(), start + m.end()
        yield s, e, float(m.group()), _context_readings(folded, s, e, float(m.group()))


def _context_readings(folded: str, s: int, e: int, value: float) -> tuple[float, ...]:
    """Readings a plain integer gets from what surrounds it: decades, centuries, year ranges."""
    out: list[float] = []
    if folded[e : e + 1] == "s" or folded[e : e + 2] == "'s":
        # the 1960s → 1960 and the sixties (60); the 1800s → also the 19th century
        if value >= 100 and value % 10 == 0:
            out.append(value % 100)
            if value % 100 == 0:
                out.append(value // 100 + 1)
    if e - s == 2 and regex.search(r"\d{4}[-–/]$", folded[max(0, s - 5) : s]):
        # 2019-20 → 2020
        century = int(folded[s - 5 : s - 3]) * 100
        out.append(century + value)
    return tuple(out)


def _is_code(folded: str, s: int, e: int, units) -> bool:
    """Digits that belong to an identifier: ACE2, U07.1, COVID-19, Fig.2, 5G, B0AT1.

    Arabic letters right before digits are proclitics (ل15, وال78, و2), not identifiers;
    a unit before a hyphen is a compound measure (the 2 of 6-foot-2), a currency code
    before digits is money (US$50, Dh50)."""
    before = folded[s - 1 : s]
    if before == "-":
        word = regex.search(r"\p{L}+-$", folded[max(0, s - 12) : s])
        if word and word.group().rstrip("-") in units.after:
            return False
    if before and _LATIN.match(before) and _currency_before(folded, s, units):
        return False
    if before and _LATIN.match(before):
        return True
    if folded[s:e] in ("2", "3") and _AREA_UNIT_BEFORE.search(folded[max(0, s - 4) : s]):
        return True  # كم2, م3: km², m³ written with a plain digit
    if before in ("-", ".") and s >= 2 and folded[s - 2].isalpha():
        return True
    after = regex.match(r"\p{Latin}+", folded[e:])
    if after and after.group() not in _QUANTITY_SUFFIXES:
        return True
    return bool(after and regex.match(r"\d", folded[after.end() + e : after.end() + e + 1]))


def _scale_words_after_digits(folded: str, words, resources: Resources) -> dict[int, tuple[int, int, float]]:
    """For each position where digits could end, the scale word after them (3.5 million,
    $300+ billion, 2 مليون): digits end → (word start, word end, factor)."""
    table = resources.number_words
    out = {}
    for s, e, w in words:
        # Only a bare scale word multiplies: بالمئة and في المئة are "percent".
        entry = table.get(w)
        if entry is None or entry[1] not in ("scale", "abbr", "abbr-money"):
            continue
        # an abbreviation is written close (4.5bn, 5 mln), a word after any spacing
        pattern = r"\d[\s\u00a0]*\+?[\s\u00a0]*$" if entry[1] == "scale" else r"\d[\s\u00a0]?$"
        if entry[0] == 10:
            pattern = r"(?<![\d.,])\d{1,2}[\s\u00a0]*$"  # 2 decades, not "the 2019 decade"
        gap = regex.search(pattern, folded[max(0, s - 4) : s])
        if gap:
            digits_end = max(0, s - 4) + gap.start() + 1
            out[digits_end] = (s, e, entry[0], entry[1])
    return out


# --- number words -----------------------------------------------------------------------


def _lookup(word: str, table: dict[str, tuple[float, str]], arabic: bool):
    """(value, kind, joined by "and") of a folded word, reading Arabic proclitics off."""
    if word in table:
        return (*table[word], False)
    if not arabic:
        return None
    for prefix, stem in prefix_splits(word):
        if prefix and stem in table:
            return (*table[stem], prefix.startswith("و"))
        # a fraction takes a pronoun (نصفهم "half of them", ثلثها)
        for suffix in _PRONOUN_SUFFIXES:
            bare = stem[: -len(suffix)]
            if stem.endswith(suffix) and table.get(bare, (0, ""))[1] == "fraction":
                return (*table[bare], prefix.startswith("و"))
    return None


#: Pronouns a noun (here a fraction: نصفهم "half of them") takes (mtaudit.text.morphology).
_PRONOUN_SUFFIXES = affixes("enclitic", on="noun")


def _number_phrases(folded: str, words, consumed: set[int], resources: Resources):
    """(start, end, value, other readings) of each run of number words.

    Words combine when they make one number: twenty-four, two hundred and five, nineteen
    eighty-four (a spoken year), ثلاثة عشر, الخامس عشر, خمسة وعشرون, ألف وتسعمائة وثمانون,
    ثلاثة ملايين. Anything else starts a new number."""
    table = resources.number_words
    phrase: _Phrase | None = None
    prev_end = -1
    pending_and = False
    for s, e, w in words:
        if s in consumed:
            entry = None
        elif w == "and" and phrase is not None and folded[prev_end:s].strip() == "":
            pending_and, prev_end = True, e
            continue
        else:
            entry = _lookup(w, table, arabic=not w.isascii())
            if entry is not None and entry[1] in ("abbr", "abbr-money"):
                entry = None  # bn, m, k: only right after digits
        if entry is None:
            if phrase is not None:
                yield from phrase.emit()
            phrase, pending_and = None, False
            continue
        value, kind, joined = entry
        joined = joined or pending_and
        adjacent = phrase is not None and folded[prev_end:s].strip(" \u00a0-") == ""
        if not (adjacent and phrase.extend(value, kind, joined, english=w.isascii(), end=e)):
            if phrase is not None:
                yield from phrase.emit()
            phrase = _Phrase(s, e, value, kind)
        prev_end, pending_and = e, False
    if phrase is not None:
        yield from phrase.emit()


class _Phrase:
    """A number being read word by word (the usual total/current accumulator)."""

    def __init__(self, start: int, end: int, value: float, kind: str) -> None:
        self.start, self.end = start, end
        self.total = 0.0
        self.current = 0.0
        self.kinds = {kind}
        self.last_kind = kind
        self.last_value = value
        self._take(value, kind)

    def _take(self, value: float, kind: str) -> None:
        if kind == "fraction":
            self.current = (self.current or 1) * value  # three-quarters, ثلاثة أرباع
        elif kind == "scale":
            if value == 100:
                self.current = (self.current or 1) * 100
            else:
                self.total += (self.current or 1) * value
                self.current = 0
        else:
            self.current += value

    def extend(self, value: float, kind: str, joined: bool, english: bool, end: int) -> bool:
        cur, last = self.current, self.last_value
        if kind == "fraction" or "fraction" in self.kinds:
            ok = kind == "fraction" and self.last_kind == "unit" and 1 <= cur < 10 and not joined
        elif kind == "scale":
            ok = not joined and (cur > 0 or self.total == 0)
        elif value == 10 and not joined and not english and self.last_kind in ("unit", "part", "ordinal") and 1 <= last <= 9:
            ok = True  # ثلاثة عشر, الخامس عشر, أحد عشر
        elif joined:
            # خمسة وعشرون, مئة وعشرون, ألف وتسعمائة, two hundred and five
            ok = _fills_empty_place(cur, last, value)
        elif english and self.last_kind == "unit" and last % 10 == 0 and 20 <= last < 100 and 1 <= value < 10:
            ok = True  # twenty-four, nineteen eighty-four
        elif english and cur >= 100 and cur % 100 == 0 and value < 100:
            ok = True  # two hundred five
        elif not english and (self.last_kind == "scale" or last % 100 == 0) and _fills_empty_place(cur, last, value):
            ok = True  # ألف تسعمائة اثنين وتسعين: the و is sometimes left out
        elif english and 10 <= cur < 100 and 10 <= value < 100 and self.total == 0:
            self.current = cur * 100  # nineteen eighty-four, eighteen twelve
            ok = True
        else:
            ok = False
        if ok:
            self._take(value, kind)
            self.kinds.add(kind)
            self.last_kind, self.last_value, self.end = kind, value, end
        return ok

    def emit(self):
        value = self.total + self.current
        also: tuple[float, ...] = (value % 100,) if "decade" in self.kinds and value >= 100 else ()
        if "fraction" in self.kinds:
            also = (value * 100,)  # half = 50%
        elif self.kinds == {"ordinal"} and 3 <= value <= 10:
            also = (1 / value, 100 / value)  # a third, a fifth
        yield self.start, self.end, value, also


def _fills_empty_place(current: float, last: float, value: float) -> bool:
    """Whether "current and value" is one number: the value fills a place still empty.

    Arabic names units before tens (خمسة وعشرون = 5 + 20, ألف وتسعمئة وستة وتسعون =
    1000 + 900 + 6 + 90); English adds after hundreds (two hundred and five)."""
    if 20 <= value < 100 and value % 10 == 0:
        return current % 100 < 10  # tens after units or hundreds: 5 + 20, 906 + 90
    if value < 10:
        return current % 10 == 0 and (current % 100 == 0 or 20 <= last < 100)  # 900 + 6, 20 + 5
    if value < 20:
        return current % 100 == 0  # a hundred and fifteen
    if value < 1000 and value % 100 == 0:
        return current % 1000 == 0  # ألف وتسعمائة
    return False


def _roman_numerals(original: str):
    """Roman numerals in Latin text (World War II, Super Bowl XLII, Louis XVI); a single
    letter (I, V, X, L) only after a noun that takes a numeral (World War I, type I)."""
    for m in _ROMAN.finditer(original):
        numeral = m.group()
        if not numeral or (len(numeral) == 1 and not _ROMAN_I_AFTER.search(original[max(0, m.start() - 20) : m.start()])):
            continue
        values = [_ROMAN_VALUES[c] for c in numeral]
        total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
        yield m.start(), m.end(), float(total)


# --- months -----------------------------------------------------------------------------


def _months(folded: str, words, dates, resources: Resources):
    """Month names next to a number (a day before, a year after), and the months of the
    numeric ``dates`` (matches of _NUMERIC_DATE) and of ISO dates.

    A month name counts only next to a number, so that the verb مارس or the modal "may"
    are not taken for months."""
    months = resources.months
    for k, (s, e, w) in enumerate(words):
        key, span_end = w, e
        if key not in months and k + 1 < len(words):
            # two-word Levantine names: تشرين الاول, كانون الثاني
            s2, e2, w2 = words[k + 1]
            if f"{w} {w2}" in months and folded[e:s2] == " ":
                key, span_end = f"{w} {w2}", e2
        if key not in months:
            continue
        before = folded[max(0, s - 6) : s]
        after = folded[span_end : span_end + 10]
        if regex.search(r"\d\s*(?:st|nd|rd|th)?\W{0,2}\s*(?:of\s+)?$", before) or regex.match(
            r"\W{0,2}\s*(?:of\s+)?\d", after
        ):
            yield s, span_end, months[key], "month"
    for m in dates:
        for g in (1, 2, 5):  # day/month or month/day: either may be the month
            if m.group(g) and 1 <= int(m.group(g)) <= 12:
                yield m.start(g), m.end(g), int(m.group(g)), "date-month"
    for m in _ISO_DATE.finditer(folded):
        if 1 <= int(m.group(1)) <= 12:
            yield m.start(1), m.end(1), int(m.group(1)), "date-month"
