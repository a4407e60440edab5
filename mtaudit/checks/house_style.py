"""Arabic typographic house style: conventions a newsroom switches on or off (references/house_style.tsv).

Each convention is on by default only where clean human copy (FLORES-200, TICO-19, the human
seeds) keeps it at least 99.5% of the time and its major findings stay at or below 0.5 per
10,000 words there. Every finding is minor: these are typographic conventions, not errors
of meaning (a newsroom that gates on them uses --fail-on minor). references/README.md has the figures (scripts/house_style_prevalence.py).
Confidence is fitted (references/calibration.tsv, scripts/fit_check_confidence.py: departures
made in clean copy against the findings on it) over each departure's evidence, except for
month names (no labelled data yet: 0.9 for strong evidence, else 0.6).
"""

from __future__ import annotations

from ..knowledge import house_style as hs_mod
from ..types import Severity
from . import CheckContext, check


def _report(ctx: CheckContext, convention: str):
    """Findings for one convention over the article's content segments (article-wide
    conventions, digits and months, see the whole article's content at once)."""
    hs = ctx.resources.house_style
    find = hs_mod.FINDERS[convention]
    segments = ctx.content_segments
    if convention in ("style-digits", "style-months") and segments:
        # One text over the content segments, with each departure mapped back to its segment.
        text = ctx.article.text
        departures = [d for d in find(text, hs) if any(s.start <= d.start < s.end for s in segments)]
        pieces = [(0, departures)]
    else:
        pieces = list(zip([s.start for s in segments], hs_mod.find_each(convention, [s.text for s in segments], hs)))
    for base, departures in pieces:
        for d in departures:
            start, end = base + d.start, base + d.end
            if d.evidence:
                # Fitted on synthetic departures made in clean human copy against the
                # findings on that copy (scripts/fit_check_confidence.py).
                p = ctx.fitted_confidence(convention, d.evidence, start, end)
            else:
                # style-months: no labelled data yet; strong evidence 0.9, else 0.6.
                p = 0.9 if d.strong else 0.6
            yield ctx.finding(start, end, d.message, suggestion=d.suggestion, confidence=p)


@check("style-punctuation", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",), default=False)
def style_punctuation(ctx: CheckContext):
    """Latin punctuation in Arabic copy: a , ; or ? after an Arabic word (write ، ؛ ؟).

    A mark between figures (1,500) or in Latin text is left alone. Off by default although
    clean copy keeps it everywhere: punctuation-spacing already reports a Latin mark between
    Arabic words; this convention adds the mark that ends a sentence and the house's table."""
    yield from _report(ctx, "style-punctuation")


@check("style-digits", severity=Severity.MINOR, category="style", version="2", scope="article", resources=("house_style",),
       after_checks=True)
def style_digits(ctx: CheckContext):
    """Digits: Western (0-9) and Arabic-Indic (٠-٩) figures mixed in one article.

    With the setting ``prefer either`` the article's minority system is flagged; with
    ``western`` or ``arabic-indic`` every figure in the other system is. Figures inside
    Latin text (COVID-19) are not counted. A figure already reported as a wrong number
    (a finding of category ``number``, whose suggestion is written in the system this check
    asks for) is left to that finding, so one span never gets two different suggestions.
    On by default."""
    numbers = [(f.start, f.end) for f in ctx.findings if f.category == "number"]
    for finding in _report(ctx, "style-digits"):
        if not any(s < finding.end and finding.start < e for s, e in numbers):
            yield finding


@check("style-tatweel", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",))
def style_tatweel(ctx: CheckContext):
    """Tatweel: a kashida (ـ) stretching a word; wire copy does not justify with it.

    On by default."""
    yield from _report(ctx, "style-tatweel")


@check("style-hamza", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",))
def style_hamza(ctx: CheckContext):
    """Hamza on alef: a bare alef where the word's hamza form is the spelling (الى → إلى).

    Listed words with their context (ان after قال is إن), then any word starting with a bare
    alef (after a proclitic or the article) whose form with أ, إ or آ is written far more
    often (wordfreq zipf gap at least the setting ``min_zipf_gap``; words of hamzat al-wasl
    such as اسم, ابن are listed as exceptions). Fitted confidence over the evidence (listed,
    the frequency gap, how common the delivered spelling is). On by default."""
    yield from _report(ctx, "style-hamza")


@check("style-ta-marbuta", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",))
def style_ta_marbuta(ctx: CheckContext):
    """Ta marbuta and final ha confused: الحكومه for الحكومة, فية for فيه.

    Final ه is checked only on words with the article (where it cannot be a pronoun:
    مدرسه may be "his teacher"); final ة on any word. A spelling is flagged when the other
    one is written far more often (wordfreq), or when it is listed. On by default."""
    yield from _report(ctx, "style-ta-marbuta")


@check("style-alef-maqsura", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",))
def style_alef_maqsura(ctx: CheckContext):
    """Alef maqsura and final ya confused: حتي for حتى, فى for في.

    علي is also the name Ali: it is flagged only before words that follow the preposition
    على and never a name (علي الرغم). Other words are flagged when the other spelling is
    written far more often (wordfreq). On by default."""
    yield from _report(ctx, "style-alef-maqsura")


@check("style-months", severity=Severity.MINOR, category="style", scope="article", resources=("house_style",), default=False)
def style_months(ctx: CheckContext):
    """Month names: the Levantine (تشرين الأول) and Egyptian (أكتوبر) sets mixed, or not the house's.

    Month names count when they are dates (next to a figure, or after شهر). The settings
    ``set`` (levantine, egyptian, either: one set per article) and ``paired`` (required:
    the other set's name in parentheses, أكتوبر (تشرين الأول); forbidden; either) say what
    the house writes. A name paired with the other set's is never a mix. Off by default
    (``--enable style-months``): news copy gives too few month names to show the convention."""
    yield from _report(ctx, "style-months")

