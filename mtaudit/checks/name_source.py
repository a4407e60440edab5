"""Names of the English source missing from, replaced in, or garbled in the Arabic target."""

from __future__ import annotations

from ..names.garble_pair import MODEL_NAME as GARBLE_PAIR
from ..names.garbles import find_garbles
from ..names.source_names import PAIR_AT, check_unit
from ..names.transliteration import default_model
from ..names.western_garble import MODEL_NAME as WESTERN_GARBLE
from ..text.tokens import tokenize
from ..types import Severity
from . import CheckContext, check

# Calibrated probability at or above which a problem is reported, and at which it is major.
REPORT_AT = 0.35
MAJOR_AT = 0.5


@check(
    "name-source",
    severity=Severity.MAJOR,
    category="name",
    version="8",
    scope="article",
    resources=("gazetteer", "calibration"),
    requires_source=True,
)
def name_source(ctx: CheckContext):
    """Source name not rendered: a name in the English source is missing, replaced or garbled.

    Every name of the English source, in the gazetteer or not, is looked for in its aligned
    Arabic unit (record, paragraph, or the whole article; mtaudit.text.alignment), word by word
    (mtaudit.names.source_names):

    - **garbled**: the Arabic word that stands for it is much more likely as the naive,
      English-mediated reading of the Latin spelling than as a correct rendering, by the
      learned transliteration model (mtaudit.names.transliteration): تيبون for Tebboune,
      آساد for Asaad. The suggestion is the gazetteer's spelling, or the model's best
      rendering of a name the gazetteer does not have (تبون). An Arabic name the gazetteer
      lacks but Wikidata spells (Attar: عطار) is garbled when the word is an English-mediated
      distortion of that spelling that has lost a letter Latin script cannot write (اتار).
      For a name no list knows, a fitted model decides (mtaudit.names.garble_pair: is the
      name of a kind spelled with letters Latin cannot write, by its Latin spelling and the
      transliteration model's renderings, and has the word lost one?); its probability is
      the finding's confidence, reported from ``PAIR_AT`` (minor below 0.5). A Western
      name's word that neither reading explains is judged by another fitted model
      (mtaudit.names.western_garble: an emphatic for a plain letter, a long vowel added, a
      letter doubled, far less likely than the best rendering yet spelled close to it:
      صيلفستر for Sylvester), reported from ``WESTERN_AT``.
    - **replaced**: of a person's two-word name one word is rendered and the other is not:
      the word after the given name stands in the surname's place (a common word, a half
      translation, another known person), or another known person stands right before the
      surname; for a Western name no list knows only with evidence about the name itself
      (mtaudit.names.source_names); a surname that is an English word written as its
      meaning (إيما حجر for Emma Stone: mtaudit.names.meaning compares the word with the
      English one by multilingual embeddings); an ordinary word right before the rendered
      surname that translates nothing in the source (word-alignment priors and meaning)
      and stands where the given name should be; or none is rendered, and another known
      person whom the source does not name stands in the unit.
    - **missing**: nothing in the unit renders a person's name: it was dropped or translated
      away (reported on the unit's first segment); a one-word name counts right after a
      person's title (President X said → قال الرئيس).

    A spelling the active house conventions explain (references/spelling_conventions.tsv)
    is a rendering, for names no list knows too.

    Names are capitalised sequences of the source that are names, not sentence-initial
    ordinary words or acronyms; places and bodies the gazetteer does not know are skipped
    (they are often translated), and so is a name one of whose words the unit translates. Mentions already reported by name-garbled are not repeated.
    The confidence is a probability fitted on synthetic corruptions of entity-bearing
    sentences against clean translations (scripts/fit_name_confidence.py); below 0.5 a
    finding is minor.
    """
    gaz = ctx.resources.gazetteer
    model = ctx.resources.confidence_model("name-source")
    translit = default_model()
    pair_model = ctx.resources.confidence_model(GARBLE_PAIR)
    western_model = ctx.resources.confidence_model(WESTERN_GARBLE)
    # each segment tokenised once, for the article and for its source units
    by_segment = {id(s): tokenize(s.text, s.start) for s in ctx.content_segments}
    already: set[int] | None = None  # name-garbled's words, found when a problem needs them
    for source, segments in ctx.source_units:
        tokens = [t for s in segments for t in (by_segment.get(id(s)) or tokenize(s.text, s.start))]
        if not tokens or not source.strip():
            continue
        for problem in check_unit(source, tokens, gaz, translit, pair_model, western_model):
            if problem.token is not None and already is None:
                all_tokens = [t for s in ctx.content_segments for t in by_segment[id(s)]]
                already = {g.token.start for g in find_garbles(all_tokens, gaz, ctx.article.source)}
            if problem.token is not None and problem.token.start in already:
                continue
            p = problem.probability if problem.probability is not None else model.probability(problem.features)
            # the garble-pair model's findings were already held to its own threshold
            if p < (PAIR_AT if problem.probability is not None else REPORT_AT):
                continue
            severity = Severity.MAJOR if p >= MAJOR_AT else Severity.MINOR
            name = problem.name.text
            if problem.kind == "garbled":
                t = problem.token
                yield ctx.finding(
                    t.start,
                    t.end,
                    f"The source names {name}; “{t.text}” reads as its English spelling sounded out, not as"
                    f" the name: write “{problem.suggestion}”.",
                    suggestion=problem.suggestion,
                    confidence=p,
                    severity=severity,
                )
            elif problem.kind == "replaced":
                t = problem.token
                how = (
                    f"“{t.text}” stands where the rest of the name should be"
                    if problem.detail == "half"
                    else f"“{t.text}” names someone the source does not"
                )
                yield ctx.finding(
                    t.start,
                    t.end,
                    f"The source names {name}, but the translation does not render it: {how}"
                    + (f"; expected “{problem.suggestion}”." if problem.suggestion else "."),
                    suggestion=problem.suggestion,
                    confidence=p,
                    severity=severity,
                )
            else:
                seg = segments[0]
                yield ctx.finding(
                    seg.start,
                    seg.end,
                    f"The source names {name}, but this passage never writes it"
                    + (f" (expected “{problem.suggestion}”)" if problem.suggestion else "")
                    + ": check whether the name was dropped or rendered some other way.",
                    suggestion=problem.suggestion,
                    confidence=p,
                    severity=severity,
                    category="omission",
                )
