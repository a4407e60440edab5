"""Words translated in the wrong sense (labour strikes for air strikes, car for Syria)."""

from __future__ import annotations

from . import CheckContext, check
from ..alignment import source_units
from ..normalize import fold
from ..senses import bare_forms as _bare, carry_prefix, find_senses
from ..tokens import tokenize
from ..types import Severity


@check(
    "wrong-sense",
    severity=Severity.MAJOR,
    category="mistranslation",
    version="2",
    scope="article",
    resources=("wrong_sense", "gazetteer"),
)
def wrong_sense(ctx: CheckContext):
    """Wrong sense: a word translated in a sense the context rules out.

    English news words have several senses and MT picks the wrong one: "strike" as a labour
    strike (الإضرابات) for an air strike (الغارات), "league" as a sports league (دوري) for
    the Arab League (جامعة الدول العربية), "install a government" as assembling hardware
    (تركيب). Each rule in references/wrong_sense.tsv gives the suspicious form, the Arabic
    words around it that show the sense is wrong, the English source words that show it
    when a source is given (then the source decides), the words that make the sense right
    after all (سيارة مفخخة, a car bomb, is never flagged), the right rendering and an
    explanation. The suggestion is the rule's first right rendering.
    """
    units = source_units(ctx.article, ctx.content_segments) if ctx.article.source or ctx.article.record_sources else []
    source_of = {s.segment_id: src for src, segs in units for s in segs}
    gazetteer = ctx.resources.gazetteer
    for seg in ctx.content_segments:
        tokens = tokenize(seg.text, seg.start)
        for m in find_senses(tokens, ctx.resources.wrong_sense, source_of.get(seg.segment_id)):
            start, end = tokens[m.start_token].start, tokens[m.end_token - 1].end
            rule = m.rule
            first = tokens[m.start_token]
            seq = next(seq for seq in rule.wrong if seq[0] in _bare(first.folded) and len(seq) == m.end_token - m.start_token)
            suggestion = ""
            if rule.correct:
                replacement = rule.correct[0]
                # A name or a phrase does not take the article: السيارة → سوريا, not السوريا.
                article_ok = " " not in replacement and len(seq) == 1 and not gazetteer.is_accepted(fold(replacement))
                suggestion = carry_prefix(first.folded, first.text, seq[0], replacement, article_ok)
            yield ctx.finding(
                start,
                end,
                f"{rule.explanation} ({rule.id})",
                suggestion=suggestion,
                confidence=0.8 if source_of.get(seg.segment_id) else 0.65,
                severity=rule.severity,
            )
