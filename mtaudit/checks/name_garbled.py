"""Garbled transliterated names, corrected from the gazetteer."""

from __future__ import annotations

from ..names import Gazetteer
from ..names.channel import ARTICLE
from ..names.garbles import find_garbles
from ..names.morphology import explained_as_arabic, with_clitic
from ..names.transliteration import default_model
from ..text.frequency import arabic_zipf
from ..text.morphology import affixes
from ..text.normalize import fold
from ..text.tokens import Token, tokenize
from ..types import Severity
from . import CheckContext, check

_SUN_LETTERS = set("تثدذرزسشصضطظلن")
_HAMZA_ALEFS = frozenset("أإ")
_ENCLITICS_ON_VERBS = affixes("enclitic", on="verb")
# Calibrated probability at or above which a garble is reported (minor), and at which it is
# major. The gates already demand evidence about the entity, and the confidence weighs how
# the word differs from the name (an edit English makes, or one a real other name shows),
# so every garble of the human seeds scores 0.59 or more. Below 0.2 a finding is mostly a
# real name the gazetteer lacks: on the fit's held-out rows those at 0.1-0.2 were right 3
# times in 43, and on the name benchmark's look-alikes (scripts/name_benchmark.py: people no
# gazetteer lists, spelled close to a listed one) they were about 12 false flags per 10,000
# words, where the threshold costs about one synthetic gazetteer garble in 150 (recall
# 0.622 → 0.616; 2026-12-02).
REPORT_AT = 0.2
MAJOR_AT = 0.5


def hamza_article(token: Token, gazetteer: Gazetteer) -> str | None:
    """The corrected word when ``token`` writes an Arabic family name's article with hamza
    (ألشراي for Alashray). Only for names that look Arabic: a nisba (ending in ي, as most
    family names with the article do) or a name word Wikidata knows; foreign names that
    begin with Al/El (ألثورب, Althorp) are left alone."""
    text = token.text
    if len(text) < 5 or text[0] not in "أإ" or text[1] != "ل" or text[2] not in _SUN_LETTERS:
        return None
    if gazetteer.is_accepted(token.folded) or arabic_zipf(text) >= 1.5:
        return None
    if explained_as_arabic(token.folded) or any(
        text.endswith(e) and arabic_zipf(text[: -len(e)]) >= 1.0 for e in _ENCLITICS_ON_VERBS
    ):
        return None  # a verb written with hamza and a suffix (ألصقني = ألصق + ني), not a name
    rest = fold(text[2:])
    if not (rest.endswith("ي") or rest in gazetteer.latin_forms or ARTICLE + rest in gazetteer.latin_forms):
        return None
    return "ا" + text[1:]


@check(
    "name-garbled",
    severity=Severity.MAJOR,
    category="name",
    version="5",
    scope="article",
    resources=("gazetteer", "calibration"),
)
def name_garbled(ctx: CheckContext):
    """Garbled name: a known name mangled by transliteration through English.

    Machine translation from English wire copy turns Arabic names into the English
    spelling written back in Arabic letters: ع ح ء ه lost or turned into alef
    (الشرع → الشارا, أسعد → آساد), short vowels lengthened (بشار → باشار), letters confused
    (الأسد → الشاد), the name torn from its article (الشيباني → شيباني), the article
    written with hamza (ألشراي). Each word that is not an accepted spelling is looked up
    among the gazetteer's name words (references/gazetteer_curated.tsv) by its consonant
    skeleton, and scored with a weighted edit distance in which the edits English causes
    are cheap (mtaudit.names.channel).

    A close spelling is not enough: a word is reported only with evidence about that
    entity itself (mtaudit.names.garbles): another distinctive part of the same name beside
    it (أحمد الشارا), the name's title before it (الرئيس), the entity written right elsewhere
    in the article (its full form, a part no one else bears, or its family name alone), or
    the English source naming it. Two words of one name that each look garbled are one
    piece of evidence, not two: neither counts the other as a mention garbled elsewhere. A part many people share (محمد) is no
    evidence; a word that reads as ordinary Arabic (سيلتقيه, ووفده), a spelling Wikidata
    knows as someone's name, or a common word needs the rest of the name beside it or the
    source. Foreign names the gazetteer does not know (أستاخوفا) are never "corrected"
    without such evidence, and spellings a house convention explains (جوتيريش in the
    Egyptian press, references/spelling_conventions.tsv) are variants, not garbles.

    The confidence is a probability fitted on labelled data (scripts/fit_name_confidence.py:
    synthetic garbles against clean copy and real names of people no gazetteer lists that
    spell close to a listed one, alone or two words near one person's parts; among its
    evidence, whether a garbled neighbour is the other part's sounded-out reading and how
    closely it fits, and which kinds of edit turn the name into the word: English adds
    vowels and loses ع ح ء, a real name that only spells close to a listed one adds letters
    at its ends or lacks a long vowel, mtaudit.names.channel.channel_edits). It holds at the fit's mix, about one garble to four look-alikes among
    the candidates that pass the gates (the mix is in the model's note); a finding below
    0.5 is minor. The suggestion is
    the gazetteer's spelling with the word's clitics kept (وشيباني → والشيباني).
    """
    gaz = ctx.resources.gazetteer
    model = ctx.resources.confidence_model("name-garbled")
    tokens = [t for s in ctx.content_segments for t in tokenize(s.text, s.start)]
    for g in find_garbles(tokens, gaz, ctx.article.source, default_model()):
        p = model.probability(g.evidence.features())
        if p < REPORT_AT:
            continue
        c = g.candidate
        suggestion = with_clitic(c.reading.clitic, c.part.word)
        english = c.entity.english[0] if c.entity.english else ""
        reasons = ("spelled like a garbled mention of the name nearby",) if g.follows else g.evidence.reasons
        yield ctx.finding(
            g.token.start,
            g.token.end,
            f"“{g.token.text}” looks like a garbled spelling of {c.entity.canonical}"
            + (f" ({english})" if english else "")
            + f": write “{suggestion}”. Evidence: {', '.join(reasons)}.",
            suggestion=suggestion,
            confidence=p,
            severity=Severity.MAJOR if p >= MAJOR_AT else Severity.MINOR,
        )
    for t in tokens:
        if t.text[:1] not in _HAMZA_ALEFS:
            continue  # hamza_article's first test, without a call for every word
        fixed = hamza_article(t, gaz)
        if fixed:
            yield ctx.finding(
                t.start,
                t.end,
                f"The definite article is written with hamza in “{t.text}”: write “{fixed}”.",
                suggestion=fixed,
                confidence=0.6,
            )
