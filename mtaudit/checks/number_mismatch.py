"""Numbers and dates that disagree with the English source."""

from __future__ import annotations

from . import CheckContext, check
from ..numbers import Mention, arabic_rendering, extract, month_values, numeric_values, value_key
from ..alignment import source_units
from ..types import Severity

_ARABIC_MONTHS = {
    1: "يناير", 2: "فبراير", 3: "مارس", 4: "أبريل", 5: "مايو", 6: "يونيو",
    7: "يوليو", 8: "أغسطس", 9: "سبتمبر", 10: "أكتوبر", 11: "نوفمبر", 12: "ديسمبر",
}


@check(
    "number-mismatch",
    severity=Severity.MAJOR,
    category="number",
    version="2",
    scope="article",
    resources=("number_words", "months"),
    requires_source=True,
)
def number_mismatch(ctx: CheckContext):
    """Numbers and dates that disagree with the source: changed, added or missing.

    Compares the quantities of the English source with those of the Arabic target, per
    paragraph when both have the same number of paragraphs, otherwise over the article.
    Values are compared, not spellings: Arabic-Indic digits (١٥), Arabic separators
    (٣٫٥ and ١٬٠٠٠), thousands separators either way (10,000 = 10.000), scale words
    (3.5 million = 3.5 مليون = 3,500,000), number words and their compounds (three = ثلاثة
    = 3, twenty-five = خمسة وعشرون = 25), ordinals (15th century = القرن الخامس عشر),
    decades (the 1960s = الستينيات), Roman numerals (World War II = الحرب العالمية الثانية),
    times (1200 GMT = 12:00), year ranges (2019-20 = 2019-2020), digits inside identifiers
    (ACE2, PS5, COVID-19) and both Arabic month-name systems (15 October = 15 أكتوبر = 15
    تشرين الأول) are equivalent. Number words are read with their proclitics (والعشرين).

    - major: a number or month in the target that the source does not have (a changed
      figure or date), with the source's figure as suggestion when exactly one is unused;
    - minor (omission): a figure written in digits in the source that the target lacks.

    Runs only when a source is given.
    """
    res = ctx.resources
    for source, segs in source_units(ctx.article, ctx.content_segments):
        if not segs or not source.strip():
            continue
        src = extract(source, res)
        tgt = [m for s in segs for m in _shift(extract(s.text, res), s.start)]
        src_values, tgt_values = numeric_values(src), numeric_values(tgt)
        src_months, tgt_months = month_values(src), month_values(tgt)
        unused_src = _unique([m for m in src if m.kind == "digits" and not _matched(m, tgt_values, tgt_months)])
        changed = [m for m in tgt if m.kind == "digits" and not _matched(m, src_values, src_months)]
        for m in changed:
            suggestion = arabic_rendering(unused_src[0]) if len(unused_src) == 1 else ""
            unused_text = ", ".join(u.text.strip() for u in unused_src)
            yield ctx.finding(
                m.start,
                m.end,
                f"The number {m.text.strip()} is not in the source"
                + (f" (the source has {unused_text} that the translation lacks)." if unused_src else "."),
                suggestion=suggestion,
                confidence=0.8 if suggestion else 0.6,
            )
        for m in tgt:
            if m.kind == "month" and int(m.value) not in src_months:
                missing = sorted(src_months - tgt_months)
                yield ctx.finding(
                    m.start,
                    m.end,
                    f"Month “{m.text}” is not the source's"
                    + (f" ({', '.join(_ARABIC_MONTHS[x] for x in missing)})." if missing else "."),
                    suggestion=_ARABIC_MONTHS[missing[0]] if len(missing) == 1 else "",
                    confidence=0.8,
                )
        if changed:
            continue  # the missing figures are named in the findings on the changed ones
        for m in unused_src:
            anchor = segs[0]
            yield ctx.finding(
                anchor.start,
                anchor.end,
                f"The source's number {m.text.strip()} does not appear in this passage of the translation.",
                confidence=0.6,
                severity=Severity.MINOR,
                category="omission",
            )


def _matched(m: Mention, values: set[float], months: set[int]) -> bool:
    """A figure is matched by the same value on the other side; a figure in a numeric date
    (17-2-1963) also by the month it may stand for (February 17, 1963)."""
    return bool(m.readings & values) or (m.in_date and int(m.value) in months)


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[float] = set()
    out = []
    for m in mentions:
        if value_key(m.value) not in seen:
            seen.add(value_key(m.value))
            out.append(m)
    return out


def _shift(mentions: list[Mention], offset: int) -> list[Mention]:
    return [m.shifted(offset) for m in mentions]
