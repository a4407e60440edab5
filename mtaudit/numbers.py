"""Numbers, quantities and dates in English and Arabic text, as comparable values.

Used by the number-mismatch check. Works on the folded text (Arabic-Indic digits and the
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
  for a month name on the other side but is never reported.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import regex

from .normalize import normalize, prefix_splits
from .resources import Resources

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
    "st nd rd th s km kg m cm mm mg ml l g gb mb tb kb ghz mhz hz kw mw gw am pm bn mn k h hr hrs min mph kph x".split()
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

    @cached_property  # asked for every comparison; a frozen dataclass still has a __dict__
    def readings(self) -> frozenset[float]:
        return frozenset(value_key(v) for v in (self.value, *self.also))

    def shifted(self, offset: int) -> "Mention":
        return dataclasses.replace(self, start=self.start + offset, end=self.end + offset)


def extract(text: str, resources: Resources) -> list[Mention]:
    """Every number, number phrase, coded number and dated month of ``text``."""
    norm = normalize(text)
    folded = norm.text
    mentions: list[Mention] = []

    def add(value: float, s: int, e: int, kind: str, digits: str = "", scale: float = 1.0, also=()) -> None:
        os_, oe = norm.to_original(s, e)
        mentions.append(Mention(value, os_, oe, kind, text[os_:oe], digits, scale, tuple(also)))

    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    scale_words = _scale_words_after_digits(folded, words, resources)
    dates = list(_NUMERIC_DATE.finditer(folded))
    date_spans = [(m.start(), m.end()) for m in dates]
    consumed: set[int] = set()
    for m in _DIGIT_RUN.finditer(folded):
        if any(ds <= m.start() < de for ds, de in date_spans):
            for part in regex.finditer(r"\d+", m.group()):
                s, e = m.start() + part.start(), m.start() + part.end()
                os_, oe = norm.to_original(s, e)
                mentions.append(Mention(float(part.group()), os_, oe, "digits", text[os_:oe], in_date=True))
            continue
        for s, e, value, also in _readings_of_run(folded, m.start(), m.end()):
            kind = "code" if _is_code(folded, s, e) else "digits"
            scale_word = scale_words.get(e) if kind == "digits" else None
            if scale_word is not None:
                ws, we, factor = scale_word
                consumed.add(ws)
                add(value * factor, s, we, kind, folded[s:e], factor, [a * factor for a in also])
            else:
                add(value, s, e, kind, folded[s:e], also=also)

    for s, e, value, also in _number_phrases(folded, words, consumed, resources):
        add(value, s, e, "words", also=also)
    for s, e, value in _roman_numerals(text):  # offsets into the original: case matters
        mentions.append(Mention(value, s, e, "words", text[s:e]))
    for s, e, month, kind in _months(folded, words, dates, resources):
        add(float(month), s, e, kind)
    return mentions


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


def _is_code(folded: str, s: int, e: int) -> bool:
    """Digits that belong to an identifier: ACE2, U07.1, COVID-19, Fig.2, 5G, B0AT1.

    Arabic letters right before digits are proclitics (ل15, وال78, و2), not identifiers."""
    before = folded[s - 1 : s]
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
        if entry is None or entry[1] != "scale":
            continue
        gap = regex.search(r"\d[\s\u00a0]*\+?[\s\u00a0]*$", folded[max(0, s - 4) : s])
        if gap:
            digits_end = max(0, s - 4) + gap.start() + 1
            out[digits_end] = (s, e, entry[0])
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
    return None


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
        if kind == "scale":
            if value == 100:
                self.current = (self.current or 1) * 100
            else:
                self.total += (self.current or 1) * value
                self.current = 0
        else:
            self.current += value

    def extend(self, value: float, kind: str, joined: bool, english: bool, end: int) -> bool:
        cur, last = self.current, self.last_value
        if kind == "scale":
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
        also = (value % 100,) if "decade" in self.kinds and value >= 100 else ()
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
