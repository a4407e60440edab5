"""Numbers and dates that disagree with the English source."""

from __future__ import annotations

from ..knowledge import house_style as hs_mod
from ..text.number_compare import number_candidates
from ..types import Severity
from . import CheckContext, check


@check(
    "number-mismatch",
    severity=Severity.MAJOR,
    category="number",
    version="4",
    scope="article",
    resources=("number_words", "months", "units", "calibration", "house_style"),
    requires_source=True,
)
def number_mismatch(ctx: CheckContext):
    """Numbers and dates that disagree with the source: changed, added or missing.

    Compares the quantities of the English source with those of the Arabic target, per
    paragraph when both have the same number of paragraphs, otherwise over the article.
    Values are compared, not spellings: Arabic-Indic and Persian digits (١٥, ۱۵), Arabic
    separators (٣٫٥, ١٬٠٠٠ and ١٢،٥٠٠), thousands separators either way (10,000 = 10.000),
    scale words and abbreviations (3.5 million = 3.5 مليون = 3,500,000; £4.5bn, $300m,
    5mn, 5 mln, 20k, $1tn = 4.5 مليار, 300 مليون ...), number words and their compounds
    (three = ثلاثة = 3, twenty-five = خمسة وعشرون = 25), fractions (half = نصف = 1/2 = 50%,
    three-quarters = ثلاثة أرباع), ordinals (15th century = القرن الخامس عشر), decades
    (the 1960s = الستينيات; a decade = 10 years, two decades = 20), Roman numerals (World
    War II = الحرب العالمية الثانية), times (1200 GMT = 12:00), ranges (10-15 = من 10 إلى 15),
    year ranges (2019-20 = 2019-2020) and both Arabic month-name systems (15 October = 15
    أكتوبر = 15 تشرين الأول) are equivalent. Number words are read with their proclitics
    (والعشرين).

    Units and currencies (references/units.tsv): a figure converted to another unit is
    right (5 miles = 8 كيلومترات, 6-foot-2 = 1.88 متر, 100F = 38 درجة مئوية); a sum in
    another currency added beside the source's (50 دولارا (185 ريالا)) is a conversion for
    readers, not an error. A currency word is not a number. The same figure in another
    unit is the unit-mismatch check's finding.

    Identifiers are compared as digit strings, not values: grouped digits (phone numbers
    +44 20 7946 0958, ISBNs 978-3-16-148410-0) and codes kept in Latin letters (flight
    BA117, A320) must carry the source's digits; digits inside names written in Arabic
    (كوفيد-19) are never reported.

    - a number, identifier or month in the target that the source does not have (a
      changed figure or date), with the source's figure as suggestion when exactly one is
      unused;
    - an omission (always minor): a figure written in digits in the source that the
      target lacks.

    Confidence is the probability that the finding is a real error, from a logistic model
    fitted on labelled findings (scripts/fit_number_confidence.py; references/
    calibration.tsv, model ``number-mismatch``) over the finding's evidence: whether the
    source has any figure, the figure's kind (plain value, year, small count, identifier,
    scaled or with a unit), whether the source and target paragraphs pair 1:1, whether
    an unused source figure is near it (another scale, digits transposed), whether the
    target writes numbers in words. A finding below 0.5 is minor, not major.

    Runs only when a source is given.
    """
    model = ctx.resources.confidence_model("number-mismatch")
    system = None
    for c in number_candidates(ctx.article, ctx.content_segments, ctx.resources):
        p = model.probability(c.features)
        suggestion = c.suggestion
        if suggestion and any(ch.isdigit() for ch in suggestion):
            # The figure in the digits the house style (or the article) uses, as style-digits asks.
            system = system or hs_mod.digit_system(ctx.article.text, ctx.resources.house_style)
            suggestion = hs_mod.in_digit_system(suggestion, system)
        if c.kind == "omission":
            yield ctx.finding(c.start, c.end, c.message, suggestion, p, Severity.MINOR, "omission")
        else:
            yield ctx.finding(c.start, c.end, c.message, suggestion, p, Severity.MAJOR if p >= 0.5 else Severity.MINOR)
