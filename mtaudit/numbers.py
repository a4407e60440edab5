"""Numbers, quantities and dates in English and Arabic text, as comparable values.

Used by the number-mismatch check. Works on the folded text (Arabic-Indic digits and the
Arabic decimal/thousands separators are folded to ASCII) and maps offsets back.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .normalize import normalize
from .resources import Resources

# 1,234,567.89 | 3.5 | 26th | 11:00
_NUMBER = regex.compile(
    r"(?<![\p{L}\p{N}.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?::(\d{2}))?(?![\p{N}]|[.,]\d)"
)
_WORD = regex.compile(r"[\p{L}]+")


@dataclass(frozen=True)
class Mention:
    value: float
    start: int  # offsets into the original text
    end: int
    kind: str  # digits | words | month
    text: str
    #: For digits followed by a scale word: the digits as written and the scale's value.
    digits: str = ""
    scale: float = 1.0


def extract(text: str, resources: Resources) -> list[Mention]:
    """Numbers (digits, number words, scaled: 3.5 million) and month names next to a number."""
    norm = normalize(text)
    folded = norm.text
    words = resources.number_words
    months = resources.months
    word_spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    word_at = {s: (s, e, w) for s, e, w in word_spans}
    word_index = {s: k for k, (s, _, _) in enumerate(word_spans)}
    mentions: list[Mention] = []
    consumed: set[int] = set()

    def next_word(pos: int) -> tuple[int, int, str] | None:
        j = pos
        while j < len(folded) and folded[j] in " \u00a0":
            j += 1
        return word_at.get(j)

    def add(value: float, s: int, e: int, kind: str, digits: str = "", scale: float = 1.0) -> None:
        os_, oe = norm.to_original(s, e)
        mentions.append(Mention(value, os_, oe, kind, text[os_:oe], digits, scale))

    number_ends: list[int] = []
    number_starts: list[int] = []
    for m in _NUMBER.finditer(folded):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value += int(m.group(2)) / 100
        end = m.end()
        scale = 1.0
        nxt = next_word(end)
        if nxt and words.get(nxt[2], (0, ""))[1] == "scale":
            scale = words[nxt[2]][0]
            end = nxt[1]
            consumed.add(nxt[0])
        add(value * scale, m.start(), end, "digits", m.group(1), scale)
        number_starts.append(m.start())
        number_ends.append(m.end())

    # Number words, with a following scale word (two million, ثلاثة ملايين).
    k = 0
    while k < len(word_spans):
        s, e, w = word_spans[k]
        if s in consumed or w not in words:
            k += 1
            continue
        value, kind = words[w]
        if kind == "unit" and k + 1 < len(word_spans):
            s2, e2, w2 = word_spans[k + 1]
            if words.get(w2, (0, ""))[1] == "scale" and folded[e:s2].strip() == "":
                add(value * words[w2][0], s, e2, "words")
                k += 2
                continue
        add(value, s, e, "words")
        k += 1

    # Month names count only next to a number (a day before or a year after), so that the
    # verb مارس or the modal "may" are not taken for months.
    for s, e, w in word_spans:
        key = w
        span_end = e
        k = word_index[s]
        if key not in months and k + 1 < len(word_spans):
            # two-word Levantine names: تشرين الاول, كانون الثاني
            s2, e2, w2 = word_spans[k + 1]
            if f"{w} {w2}" in months and folded[e:s2] == " ":
                key, span_end = f"{w} {w2}", e2
        if key not in months:
            continue
        before = folded[max(0, s - 6) : s]
        after = folded[span_end : span_end + 7]
        if regex.search(r"\d\s*(?:st|nd|rd|th)?\W{0,2}\s*(?:of\s+)?$", before) or regex.match(r"\W{0,2}\s*\d", after):
            add(float(months[key]), s, span_end, "month")
    return mentions


def numeric_values(mentions: list[Mention]) -> set[float]:
    return {value_key(m.value) for m in mentions if m.kind != "month"}


def month_values(mentions: list[Mention]) -> set[int]:
    return {int(m.value) for m in mentions if m.kind == "month"}


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
