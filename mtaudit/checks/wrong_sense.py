"""Words translated in the wrong sense (labour strikes for air strikes, car for Syria)."""

from __future__ import annotations

from ..knowledge.senses import article_senses, carry_prefix
from ..knowledge.senses import bare_forms as _bare
from ..text.normalize import fold
from ..types import Severity
from . import CheckContext, check


@check(
    "wrong-sense",
    severity=Severity.MAJOR,
    category="mistranslation",
    version="3",
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

    With a source, the source sentence and its translation are word-aligned (eflomal,
    mtaudit.text.word_alignment) and a rule fires only when the suspicious Arabic word translates
    the rule's English word: "A Syrian man drove a car" → قاد رجل سوري سيارة passes, because
    سيارة translates "car", not "Syrian". Without a source, the rule's Arabic context must be
    near. The confidence is a fitted probability (references/calibration.tsv, model
    wrong-sense, fitted by scripts/fit_wrong_sense_confidence.py) from that evidence: aligned
    to the English word, Arabic context near, source absent; below 0.5 the finding is minor.
    """
    gazetteer = ctx.resources.gazetteer
    model = ctx.resources.confidence_model("wrong-sense")
    for found in article_senses(ctx.article, ctx.content_segments, ctx.resources.wrong_sense):
        m, tokens = found.match, found.tokens
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
        confidence = model.probability(found.features())
        severity = rule.severity if confidence >= 0.5 else Severity.MINOR
        yield ctx.finding(
            start,
            end,
            f"{rule.explanation} ({rule.id})",
            suggestion=suggestion,
            confidence=round(confidence, 3),
            severity=severity,
        )
