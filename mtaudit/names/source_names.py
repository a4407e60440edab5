"""Source-anchored name checking: every name of the English source, found in its target unit.

For each name the English source uses (:func:`source_names`: capitalised sequences that are
names, not sentence-initial ordinary words or acronyms), each of its words is looked for
among the words of the aligned Arabic unit (:func:`render`):

- **rendered**: a target word is an expected form: the gazetteer's spelling (and the ones
  house conventions allow), a Wikidata person's spelling of that Latin word, or a
  rendering the transliteration model finds nearly as likely as its best;
- **garbled**: the closest target word is much more likely under the model of the naive,
  English-mediated reading than under the model of correct renderings
  (mtaudit.names.transliteration: Tebboune → تيبون, not تبون); for a name that no
  gazetteer or name list knows, the fitted garble-pair model (mtaudit.names.garble_pair)
  judges the word: has it lost a letter Latin cannot write that a name of this kind has?
- **missing**: no target word resembles it. Of a person's name whose other word is
  rendered, the word beside that one is what stands in its place (replaced by a common word
  or half translated); a name of which nothing is rendered was dropped, or another known
  name stands where it should be (**replaced**).

Only person-like names are reported missing or replaced: places and bodies are often
translated or rendered by an adjective ("US officials" → مسؤولون أمريكيون), so their
absence proves nothing. The evidence for each finding is a set of features for the fitted
confidence model (scripts/fit_name_confidence.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from ..text.frequency import arabic_zipf, english_zipf
from ..text.normalize import fold
from ..text.tokens import Token
from ..text.word_alignment import arabic_key, english_key, lexical_aligner
from .channel import ARTICLE, name_cost, skeleton, split_article, tolerance
from .channel import latin_to_arabic as _latin_to_arabic
from .conventions import convention_forms
from .garble_pair import channel_restoring, origin_belief, pair_features, restoring, skeleton_similarity
from .gazetteer import Entity, Gazetteer
from .meaning import ARABIC_FUNCTION_WORD, means, translates_any
from .morphology import explained_as_arabic, readings
from .origin import default_origin
from .transliteration import latin_letters
from .western_garble import features as western_features

# An English word this common (wordfreq zipf, lower-cased) is not a name unless the
# gazetteer or Wikidata's person names know it as one (President, Foreign, Monday).
ENGLISH_WORD = 4.0
# ... and below this, a word is no ordinary English word (most surnames; not Vigil, Cinematic)
RARE_ENGLISH = 3.0
# Joining words inside a name: al-Sharaa is one token; "bin", "ibn", "abu", "de" join.
_PARTICLES = {"bin", "ibn", "bint", "abu", "abou", "al", "el", "de", "da", "di", "van", "von", "der", "la", "le", "du", "dos", "ben"}
_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*")
# Punctuation after which a capital says nothing: a sentence, a quotation or a list item begins.
_OPENS = regex.compile(r"[.!?:;\"“”«»(\[\n•–—]")
# Compiled once: the module-level regex functions look the pattern up on every call, which
# cost more than the matching on source words.
_WORD_BEFORE = regex.compile(r"([\p{L}.-]+)[ \t]+$")  # the word right before a name (a title?)
_WORDS_BEFORE = regex.compile(r"[\p{L}.-]+")
# A possessive ending ('s), read off by the ending: cheaper than a pattern, and a word or
# name of the source never ends with a line break (the one difference from ['’]s$).
_POSSESSIVE_ENDS = ("'s", "’s")


def _unpossessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE_ENDS) else word


_ARTICLE_PREFIX = regex.compile(r"^(?:al|el)-", flags=regex.IGNORECASE)
# How far below the model's best rendering a target word may score and still be a
# rendering of the name (log-probability); and how much more likely under the naive
# reading than under correct renderings a word must be to be reported garbled.
RENDERED_MARGIN = 4.0
GARBLE_LLR = 2.0
# A rendering the model finds this likely per Arabic letter is a rendering, even far below
# the model's best (names written as two words: عبد المجيد for Abdelmadjid).
RENDERED_PER_LETTER = -1.0
ORDINARY_WORD = 3.0  # zipf of an ordinary Arabic word
# A gazetteer person's name word at least this frequent (zipf) is not evidence of another
# person standing in a name's place: it is mostly an ordinary word or a shared given name.
COMMON_AS_WORD = 4.5
# A name outside the gazetteer can be garbled only if its correct spelling is at least this
# much less likely than the sounded-out reading under the naive model (log-probability).
MIN_OPACITY = 1.0
# How well (mtaudit.names.channel fit) a word must match an attested spelling of an Arabic
# name to be its English-mediated garble.
ATTESTED_FIT = 0.5
# Letters of Arabic names that Latin spellings do not write (an apostrophe, a vowel, h, s, t,
# d, z or k stands for them).
_ONLY_IN_ARABIC = frozenset("عحءضظذثصطق")
# Below this per letter under both readings, a word that looks like the name is not it.
VARIANT_PER_LETTER = -2.5
# The garble-pair probability at which a word standing for a name no list knows is garbled.
# Chosen on the garble-pair fit's build rows (scripts/fit_garble_pair.py, 2026-12-02): from
# 0.12 to 0.2 the share of correct spellings reported halves (6.9% → 3.1%) for 7 points of
# garbles found (0.71 → 0.64); above it garbles are lost faster than false alarms (0.25:
# 0.56 and 2.4%). Such findings are minor (below 0.5) unless the model is surer. Kept at the
# refit with the English-channel features (2026-12-02, evening): at 0.2 the build rows give
# 0.65 of garbles and 2.9% of correct spellings, the held-out rows 0.62 and 2.9%.
PAIR_AT = 0.2
# The western-garble probability (mtaudit.names.western_garble) at which a word that
# neither reading explains is a misrendering of a Western name, not a variant. Fitted
# (scripts/fit_western_garble.py, FALSE_ALARM_BUDGET, since 2026-12-02): the lowest
# multiple of 0.05 at which at most 1% of attested spellings reach it on the model's build
# rows (build: 42.6% of misrenderings, 1.0% of attested spellings; held out 44.1% and
# 2.3%; the check never asks about a spelling Wikidata people bear, so these overstate its
# false alarms). A 3.3% budget gives 0.85 and doubles the false flags on held-out human
# translations; the script's comment has the figures.
WESTERN_AT = 0.95
# Link count (eflomal priors, references/word_alignment_priors.tsv, raw count) at which a
# word alignment link says an English word is translated by an Arabic one (sea → بحر,
# city → مدينة), and per Arabic letter how unlikely as its transliteration the Arabic word
# must be (log-probability) for the link to be a translation, not a rendering (smith → سميث).
TRANSLATION_LINK = 5.0
#: English zipf of function words (a 7.4, will 6.5, new 6.3, said 6.0, may 6.0; content
#: words such as city 5.6 and sea 5.1 are below it): their translations are not evidence.
FUNCTION_WORD = 5.9
TRANSLATION_PER_LETTER = -3.0
# Target words compared with the model must be this close to an expected form's skeleton
# (edits) so that the model is asked only about plausible pairs.
_SKELETON_EDITS = 2


@dataclass(frozen=True)
class SourceName:
    """A name in the English source: its words, offsets, and what is known about it."""

    text: str
    words: tuple[str, ...]
    start: int
    end: int
    entity: Entity | None
    person_like: bool
    #: a word of it is an Arabic name word as Wikidata people spell it in Latin script
    #: (Abdelmadjid, Asaad): its correct Arabic spelling is not its sounded-out reading
    arabic_origin: bool = False
    #: it opens with an English given name that is also a common word (Mary, Les): weaker
    #: evidence of a person (Mary Magdalene, Les Misérables are translated), enough for a
    #: half-rendered name but not for one of which nothing is rendered
    common_opening: bool = False
    #: its last word is a common English word that follows an English given name (Emma
    #: Stone, Dana Swift): a surname, but also how places and works are named (Victoria
    #: Falls, Grace Church), so only its half translation (the word written as its
    #: meaning beside the rendered given name) is reported, not the name missing
    common_surname: bool = False
    #: a person's title stands right before it in the source, with only a space between
    #: (President Tebboune, Senator Mary X)
    titled: bool = False


@dataclass(frozen=True)
class WordResult:
    english: str
    status: str  # rendered | garbled | variant | missing | unknown
    token: Token | None = None  # the target word (rendered or garbled)
    clitic: str = ""
    score: float = 0.0  # log P(target | english), correct-rendering model
    llr: float = 0.0  # naive - correct
    expected: str = ""  # the form to write
    opacity: float = 0.0  # how much less likely the correct spelling is as a sounded-out reading
    #: P(garble) by the garble-pair model (mtaudit.names.garble_pair), for a name no list knows
    probability: float | None = None


@dataclass(frozen=True)
class NameProblem:
    """One name of the source that the target does not render right."""

    name: SourceName
    kind: str  # garbled | missing | replaced
    token: Token | None  # where in the target (None: the unit as a whole)
    suggestion: str
    features: dict[str, float] = field(default_factory=dict)
    detail: str = ""
    #: the finding's probability when a model other than name-source's gave it (the
    #: garble-pair model, for names no gazetteer or name list knows)
    probability: float | None = None


def _known_name_word(word: str, gazetteer: Gazetteer, common: bool = False) -> bool:
    """The gazetteer uses the word in an English name; for a word that is not a common
    English word, Wikidata's person names (name_forms.tsv) also count."""
    return word in gazetteer.english_words() or (not common and bool(gazetteer.arabic_for_latin(word.lower())))


@lru_cache(maxsize=200_000)
def _english_zipf(word: str) -> float:
    return english_zipf(word.lower())


def source_names(source: str, gazetteer: Gazetteer) -> list[SourceName]:
    """The names of an English text, longest sequences of name words, in order."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(source)]
    names: list[SourceName] = []
    run: list[tuple[str, int, int]] = []
    common_openers: set[int] = set()  # starts of given names that are common words
    common_surnames: set[int] = set()  # starts of common words taken as surnames

    def flush():
        while run and run[-1][0].lower() in _PARTICLES:
            run.pop()
        if run:
            words = tuple(_unpossessive(w) for w, _, _ in run if w.lower() not in _PARTICLES)
            start, end = run[0][1], run[-1][2]
            text = _unpossessive(source[start:end])
            before = _WORDS_BEFORE.findall(source[max(0, start - 40) : start])
            titled = bool(before) and before[-1].rstrip(".").lower() in gazetteer.person_titles
            if words:
                name = _describe(text, words, start, start + len(text), gazetteer, titled)
                # a title before it (Senator Mary X) is evidence enough
                weak = start in common_openers and not titled
                name = dataclasses.replace(name, common_opening=True) if weak else name
                if run[-1][1] in common_surnames:
                    name = dataclasses.replace(name, common_surname=True)
                # the title right before it, nothing but a space between (not "Director, Cinematography")
                adjacent = _WORD_BEFORE.search(source[max(0, start - 40) : start])
                if adjacent and adjacent.group(1).rstrip(".").lower() in gazetteer.person_titles:
                    name = dataclasses.replace(name, titled=True)
                names.append(name)
        run.clear()

    for k, (word, start, end) in enumerate(tokens):
        if not run and word.islower():
            continue  # no capital letter: no name, and none open to extend or end
        word = _unpossessive(word)
        bare = word.split("-")[-1] if word.lower().startswith(("al-", "el-")) else word
        gap = source[tokens[k - 1][2] : start] if k else ""
        initial = k == 0 or bool(_OPENS.search(gap))
        capitalised = bare[:1].isupper() and not (len(bare) > 1 and bare.isupper())
        if run and word.lower() in _PARTICLES and source[tokens[k - 1][2] : start].strip() == "":
            run.append((word, start, end))
            continue
        is_name = capitalised and len(bare) > 1 and bare.lower() not in gazetteer.person_titles
        common = _english_zipf(bare) >= ENGLISH_WORD
        # an English given name that is also a common word (Anna, Grace) opens a name when
        # another capitalised word follows it, inside a sentence
        # and that word is no English word (Anna Faris, Mike DeWine; not Easter Vigil, Marvel Cinematic)
        follows = tokens[k + 1] if k + 1 < len(tokens) else None
        opens_name = (
            not initial
            and bare in gazetteer.english_given_names
            and follows is not None
            and follows[0][:1].isupper()
            and source[end : follows[1]].strip() == ""
            and (_english_zipf(_unpossessive(follows[0])) < RARE_ENGLISH or follows[0] in gazetteer.english_given_names)
        )
        if is_name and (initial or common) and not _known_name_word(bare, gazetteer, common):
            # a common word right after a lone English given name inside a sentence is its
            # surname (Emma Stone; "Monday Stone" is no name): judged only for half translation
            surname = (
                not initial
                and len(run) == 1
                and gap.strip() == ""
                and _unpossessive(run[0][0]) in gazetteer.english_given_names
                and not (follows is not None and follows[0][:1].isupper() and source[end : follows[1]].strip() == "")
            )
            if opens_name:
                common_openers.add(start)
            elif surname:
                common_surnames.add(start)
            else:
                is_name = False  # "The", "President", a sentence-initial "Officials"
        if is_name and run and gap.strip() == "":
            run.append((word, start, end))
        elif is_name:
            flush()
            run.append((word, start, end))
        else:
            flush()
        if is_name and tokens[k][0].endswith(_POSSESSIVE_ENDS):
            flush()  # a possessive ends the name: Herbert's Dune is Herbert's, then Dune
    flush()
    return names


def _describe(text: str, words: tuple[str, ...], start: int, end: int, gazetteer: Gazetteer, titled: bool) -> SourceName:
    entity = None
    for form in (text, " ".join(words), words[-1]):
        found = [e for e in gazetteer.by_english.get(form.lower(), ()) if form in e.english]  # case-sensitive
        if found:
            entity = found[0]
            break
    if entity is not None:
        person_like = entity.type == "person"
    else:
        # A person's title before it (President Abdelmadjid Tebboune), Wikidata people spell
        # one of its words so, or a run of two or more words that opens with an English given
        # name (Clint Eastwood; not Atlas Shrugged or Emancipation Proclamation).
        # The last of those must not be an English noun that Arabic translates (Kara Sea,
        # Windy City, Victoria Falls: a given name opens many place names).
        person_like = (
            titled
            or any(bool(gazetteer.arabic_for_latin(_bare(w))) and _english_zipf(_bare(w)) < 3.0 for w in words)
            or (len(words) >= 2 and words[0] in gazetteer.english_given_names and not translations(words[-1]))
        )
    # English given names (Joseph, David) are borne by Arab Christians too: no evidence of origin
    arabic_origin = any(
        bool(gazetteer.arabic_for_latin(_bare(w))) and _bare(w) not in gazetteer.english_given_names for w in words
    )
    return SourceName(text, words, start, end, entity, person_like, arabic_origin)


# The letter-by-letter reading of a Latin name word, remembered per word: render asks for it
# twice for every word of every name.
latin_to_arabic = lru_cache(maxsize=50_000)(_latin_to_arabic)

_PRIOR_SCALE = 3.0  # mtaudit.text.word_alignment.WordAligner holds the link counts times this


@lru_cache(maxsize=50_000)
def translations(word: str) -> frozenset[str]:
    """Arabic stems (mtaudit.text.word_alignment.arabic_key) that translate the English
    ``word`` rather than render it: word-alignment links of at least ``TRANSLATION_LINK``
    to a word that the transliteration model finds no likely rendering of it (sea: بحر;
    not smith: سميث). Empty for a word the priors do not know."""
    aligner = lexical_aligner()
    if aligner is None or _english_zipf(word) >= FUNCTION_WORD:
        # a function word's links are to function words (said: قال, أن), which a sentence
        # holds whatever the name: no sign that a name with it in it (Edward Said) is translated
        return frozenset()
    from .transliteration import default_model

    links = [
        arabic
        for arabic, count in aligner.by_src.get(english_key(word), ())
        if count >= TRANSLATION_LINK * _PRIOR_SCALE and len(arabic) >= 2 and regex.fullmatch(r"\p{Arabic}+", arabic)
    ]
    if not links:
        return frozenset()  # most names: the priors link them to nothing (and the model is not asked)
    model = default_model()
    bare = latin_letters(_bare(word))
    # a piece of a rendering (راون of براون, Brown) is the aligner's stem of a transliteration
    renderings = [a for a, _ in model.nbest(bare, 5)] if bare else []
    out = set()
    for arabic in links:
        if any(arabic in r for r in renderings):
            continue
        if not bare or model.score(bare, arabic) < TRANSLATION_PER_LETTER * len(arabic):
            out.add(arabic)
    return frozenset(out)


def translated_in(word: str, tokens: list[Token]) -> bool:
    """The unit has a word that translates the English ``word`` (see :func:`translations`)."""
    wanted = translations(word)
    return bool(wanted) and any(t.is_arabic and arabic_key(t.folded) in wanted for t in tokens)


def _bare(word: str) -> str:
    return _ARTICLE_PREFIX.sub("", word)


def expected_forms(word: str, name: SourceName, gazetteer: Gazetteer, model=None) -> set[str]:
    """Folded Arabic spellings (without the article) that render the English ``word``: of a
    gazetteer entity, the words of its accepted forms that stand for this English word (the
    ones the transliteration model finds likeliest for it, so that Asaad is أسعد and not
    الشيباني) with their house-convention variants; and Wikidata people's spellings of it."""
    forms: set[str] = set()
    if name.entity is not None:
        parts = sorted({split_article(fold(w))[1] for form in name.entity.forms for w in form.split()})
        if model is not None and len(parts) > 1:
            scored = [(model.score(_bare(word), p), p) for p in parts]
            top = max(sc for sc, _ in scored)
            parts = [p for sc, p in scored if sc >= top - RENDERED_MARGIN]
        forms.update(parts)
        for variant in _convention_variants(gazetteer, name.entity):
            if _convention_base(variant, parts):
                forms.add(split_article(variant)[1])
    forms.update(split_article(a)[1] for a in gazetteer.arabic_for_latin(_bare(word)))
    return forms


def _convention_variants(gazetteer: Gazetteer, entity: Entity) -> list[str]:
    """The spellings house conventions accept for ``entity`` (gazetteer.by_convention), in
    that dict's order; indexed by entity once per gazetteer, as scanning every convention
    spelling for each name word made the cost grow with the gazetteer."""
    index = gazetteer.cache("source-names:convention-variants")
    if None not in index:
        index[None] = []
        for variant, (e, _) in gazetteer.by_convention.items():
            index.setdefault(id(e), []).append(variant)
    return index.get(id(entity), [])


def _convention_base(variant: str, parts: list[str]) -> bool:
    stem = split_article(variant)[1]
    return any(len(stem) >= len(p) - 1 and Levenshtein.distance(stem, p) <= 2 for p in parts)


def _stems(token: Token, article_in_name: bool = False) -> tuple[tuple[str, str], ...]:
    """(clitic, stem without article) readings of a target word; with ``article_in_name``
    (the Latin name begins with al or el: Alonso, Elvira) also the stem with its ال,
    which is then the name's own first letters (ألونسو is not ال + ونسو)."""
    return _stems_of(token.folded, article_in_name)


@lru_cache(maxsize=100_000)
def _stems_of(folded: str, article_in_name: bool) -> tuple[tuple[str, str], ...]:
    # per spelling: render asks it of every word of the unit for every word of every name
    out = []
    for r in readings(folded):
        bare = split_article(r.stem)[1]
        out.append((r.clitic, bare))
        if article_in_name and bare != r.stem:
            out.append((r.clitic, r.stem))
    return tuple(out)


# A target word's skeleton, per spelling: render asks it for every word of the unit for
# every word of every name.
_skeleton = lru_cache(maxsize=100_000)(skeleton)

# First words of Arabic compound names that English writes joined (Abdelmadjid = عبد المجيد).
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابن", "بن", "بو", "ام"})


def _spans(tokens: list[Token]) -> list[Token]:
    """The words of a unit, and each compound name (عبد المجيد) as one span: a name word
    of the source may be written as two Arabic words."""
    out = list(tokens)
    for a, b in zip(tokens, tokens[1:]):
        if a.is_arabic and b.is_arabic and a.folded in _COMPOUND_HEADS and b.start - a.end <= 1:
            out.append(Token(f"{a.text} {b.text}"[: b.end - a.start], a.folded + b.folded, a.start, b.end))
    return out


def render(word: str, name: SourceName, tokens: list[Token], gazetteer: Gazetteer, model, pair_model=None, western_model=None) -> WordResult:
    """How the English name word is rendered among ``tokens`` (see the module docstring).

    ``pair_model`` (the fitted ``name-source:garble-pair`` model) judges the word that
    stands for a name no gazetteer or name list knows: garbled when it gives the pair a
    probability of at least ``PAIR_AT``. ``western_model`` (``name-source:western-garble``)
    judges a word that neither reading explains standing for a Western name: garbled at a
    probability of at least ``WESTERN_AT``."""
    expected = expected_forms(word, name, gazetteer, model)
    tokens = _spans(tokens)
    own_article = _bare(word)[:2].lower() in ("al", "el")  # Alonso: its ال is its own
    for t in tokens:
        if t.is_latin and t.text.lower() == _bare(word).lower():
            return WordResult(word, "rendered", t)  # left in Latin script: latin-leftover's business
        if not t.is_arabic:
            continue
        for clitic, stem in _stems(t, own_article):
            if stem in expected:
                return WordResult(word, "rendered", t, clitic)
    if model is None:
        return WordResult(word, "missing") if expected else WordResult(word, "unknown")
    bare = _bare(word)
    best = model.nbest(bare, 1)
    best_score = best[0][1] if best else -50.0
    top = split_article(best[0][0])[1] if best else ""
    if name.entity is None and not name.arabic_origin and len(skeleton(top)) < 2:
        # a Western name written as one of the model's likeliest renderings is rendered,
        # however short its consonant skeleton (بوي for Bowie, زاو for Zhao: the comparisons
        # below need two consonants)
        likely = {split_article(a)[1] for a, sc in model.nbest(bare, 3) if sc >= best_score - RENDERED_MARGIN}
        for t in tokens:
            if t.is_arabic and any(stem in likely for _, stem in _stems(t, own_article)):
                return WordResult(word, "rendered", t, "", best_score, 0.0)
    if name.entity is None and gazetteer.conventions:
        # a name no list knows, written as a likely rendering spelled by an active house
        # convention (نيقولاي for Nikolai under k-as-qaf, جوردون for Gordon under
        # g-as-jim): house style, as for gazetteer names (gazetteer.by_convention)
        styled = _convention_renderings(bare, model, gazetteer, best_score)
        for t in tokens:
            if t.is_arabic and any(stem in styled for _, stem in _stems(t, own_article)):
                return WordResult(word, "rendered", t, "", best_score, 0.0)
    targets = {skeleton(f) for f in expected} | {skeleton(split_article(latin_to_arabic(bare))[1])}
    targets |= {skeleton(split_article(a)[1]) for a, _ in best}
    # the sounded-out reading itself, however short its skeleton (هايات for Hayat: ت)
    sounded = {split_article(a)[1] for a, _ in model.naive(bare, 1)} | {split_article(latin_to_arabic(bare).replace(" ", ""))[1]}
    close: list[tuple[Token, str, str]] = []
    for t in tokens:
        if not t.is_arabic:
            continue
        for clitic, stem in _stems(t, own_article):
            sk = _skeleton(stem)
            if (len(sk) >= 2 and any(_near(sk, k) for k in targets)) or (
                len(stem) >= 4 and any(Levenshtein.distance(stem, r, score_cutoff=1) <= 1 for r in sounded)
            ):
                close.append((t, clitic, stem))
    suggestion = _suggest(bare, name, expected, best, model)
    if not close:
        return WordResult(word, "missing", expected=suggestion)
    naive = model.naive(bare, 1)
    naive_best = naive[0][1] if naive else -50.0
    scored = []
    for t, clitic, stem in close:
        s = model.score(bare, stem)
        n = model.naive_score(bare, stem)
        scored.append((s, n - s, n, t, clitic, stem))
    # the word likeliest per letter under either reading: a longer span is not penalised for its length
    s, llr, n, t, clitic, stem = max(scored, key=lambda x: (max(x[0], x[2]) / len(x[5]), x[0]))
    # An Arabic name outside the gazetteer whose spellings Wikidata attests (Attar: عطار): a
    # word that is not one of them, nor any Wikidata person's spelling, but an
    # English-mediated distortion of one (mtaudit.names.channel: اتار, ع lost and ط read as
    # ت) and close to the sounded-out reading, is the garble, however likely the
    # correct-rendering model, which has seen Western names spelled so, finds it.
    attested = sorted({split_article(a)[1] for a in gazetteer.arabic_for_latin(bare)})
    if name.entity is None and name.arabic_origin and attested and stem not in attested and stem not in gazetteer.latin_forms:
        naive = model.naive(bare, 1)
        naive_best = naive[0][1] if naive else -50.0
        fits = [(1 - name_cost(stem, a) / tolerance(a), a) for a in attested]
        fit, closest = max(fits)
        # ... and it has lost a letter that Latin script cannot write (عطار → اتار); a long
        # vowel for a short one alone (شارما for شرما, Sharma) is house style for such names
        lost = (set(closest) & _ONLY_IN_ARABIC) - set(stem)
        if fit >= ATTESTED_FIT and lost and n >= naive_best - RENDERED_MARGIN:
            return WordResult(word, "garbled", t, clitic, s, llr, closest, naive_best - model.naive_score(bare, closest))
    if (
        name.entity is None
        and pair_model is not None
        and max(s, n) >= VARIANT_PER_LETTER * len(stem)
        and bare not in gazetteer.english_given_names  # Kathy, Joseph: sounded out is the spelling
        # a spelling Wikidata people bear (سفر, آسر) is a real name's spelling, not what
        # sounding out a Latin one makes, as for Western names (_western_garble)
        and stem not in gazetteer.latin_forms
        and ARTICLE + stem not in gazetteer.latin_forms
    ):
        # A name nobody lists, and a word one of the two readings explains: the learned
        # comparison of the word with the name decides (is the name of a kind spelled with
        # letters Latin cannot write, and does the model expect one that the word has lost?)
        p, restored = _pair_garble(bare, stem, model, pair_model, gazetteer.latin_forms)
        if p >= PAIR_AT and restored:
            return WordResult(word, "garbled", t, clitic, s, llr, restored, 0.0, p)
    if s >= best_score - RENDERED_MARGIN or (llr < GARBLE_LLR and s >= RENDERED_PER_LETTER * len(stem)):
        return WordResult(word, "rendered", t, clitic, s, llr)
    # How far the name's correct spelling is from its sounded-out reading: a garble is an
    # error only where the two differ (Sharaa: الشرع, not شارا); for most European names
    # the sounded-out reading is the spelling, and variants of it are house style.
    opacity = naive_best - model.naive_score(bare, suggestion) if suggestion else 0.0
    if llr >= GARBLE_LLR and n >= naive_best - RENDERED_MARGIN and (
        name.entity is not None or (_arabic_word(bare, name, gazetteer) and opacity >= MIN_OPACITY)
    ):
        return WordResult(word, "garbled", t, clitic, s, llr, suggestion, opacity)
    if western_model is not None and name.person_like and not _arabic_word(bare, name, gazetteer) and (name.entity is None or name.entity.type == "person"):
        p = _western_garble(bare, stem, model, western_model, gazetteer)
        if p >= WESTERN_AT and not _split_rendering(bare, t, tokens, model, best_score):
            return WordResult(word, "garbled", t, clitic, s, llr, suggestion, 0.0, p)
    if max(s, n) >= VARIANT_PER_LETTER * len(stem):
        # something resembles the name, but neither reading explains it well: a variant
        # rendering the model does not know (إيستود for Eastwood), not evidence of an error
        return WordResult(word, "variant", t, clitic, s, llr, suggestion)
    return WordResult(word, "missing", None, "", s, llr, suggestion)


@lru_cache(maxsize=20_000)
def _styled_renderings(bare: str, renderings: tuple[str, ...], conventions: tuple) -> frozenset[str]:
    out: set[str] = set()
    for r in renderings:
        out.update(convention_forms(r, list(conventions), bare))
    return frozenset(out)


def _convention_renderings(bare: str, model, gazetteer: Gazetteer, best_score: float) -> frozenset[str]:
    """The model's likely renderings of the Latin name word (its three best, within
    ``RENDERED_MARGIN`` of the best; folded, no article) as the active spelling
    conventions (mtaudit.names.conventions) write them."""
    likely = tuple(split_article(fold(a))[1] for a, sc in model.nbest(bare, 3) if sc >= best_score - RENDERED_MARGIN)
    return _styled_renderings(bare, likely, tuple(gazetteer.conventions))


def _arabic_word(bare: str, name: SourceName, gazetteer: Gazetteer) -> bool:
    """The name is of Arabic origin (SourceName.arabic_origin) and so is this word of it,
    not only another (Idris Hejlsberg): Wikidata people spell it so in Latin script (and it
    is no English given name), or its Latin spelling reads Arabic (mtaudit.names.origin:
    Tebboune, which Wikidata lacks)."""
    if not name.arabic_origin:
        return False
    if gazetteer.arabic_for_latin(bare) and bare not in gazetteer.english_given_names:
        return True
    return default_origin().logodds(latin_letters(bare)) >= 0


def _split_rendering(bare: str, token: Token, tokens: list[Token], model, best_score: float) -> bool:
    """The word joined to the word before or after it renders the name (دي كابريو for
    DiCaprio, دي واين for DeWine): a name written as two words, not a misrendering."""
    k = next((i for i, t in enumerate(tokens) if t.start == token.start), None)
    if k is None:
        return False
    joined = []
    if k > 0 and tokens[k - 1].is_arabic and token.start - tokens[k - 1].end <= 1:
        joined.append(tokens[k - 1].folded + token.folded)
    if k + 1 < len(tokens) and tokens[k + 1].is_arabic and tokens[k + 1].start - token.end <= 1:
        joined.append(token.folded + tokens[k + 1].folded)
    latin = latin_letters(bare)
    return any(model.score(latin, split_article(j)[1]) >= best_score - RENDERED_MARGIN for j in joined)


def _western_garble(bare: str, stem: str, model, western_model, gazetteer: Gazetteer) -> float:
    """P(misrendering) of the word ``stem`` for a Latin name word that reads as Western
    (mtaudit.names.western_garble); 0 for a spelling Wikidata people bear or a name that
    does not read as Western."""
    latin = latin_letters(bare)
    if len(latin) < 3 or stem in gazetteer.latin_forms or ARTICLE + stem in gazetteer.latin_forms:
        return 0.0
    if arabic_zipf(stem) >= ORDINARY_WORD or explained_as_arabic(stem) is not None:
        return 0.0  # an ordinary word (أعلن, لاعب) near the name is no rendering of it at all
    if default_origin().logodds(latin) >= 0:
        return 0.0
    features = western_features(model, latin, stem)
    if not (features["emphatic"] or features["long_vowel"] or features["doubled"]):
        # a letter swapped or dropped alone is as often a human variant or a typo of the
        # reference (ثيربانتس, ماكونهي) as a misrendering: only the classes MT makes count
        return 0.0
    return western_model.probability(features)


def _pair_garble(bare: str, stem: str, model, pair_model, latin_forms=None) -> tuple[float, str]:
    """P(garble) of the word ``stem`` for the Latin name word, and what to write instead:
    the model's likeliest rendering with the letter the word lost, or, when that is no word
    in use nor a name Wikidata people bear, a spelling they bear that the word is a
    flattening of (garble_pair.channel_restoring: الظواهري for زاواهيري, Zawahiri)."""
    latin = latin_letters(bare)
    if len(latin) < 3:
        return 0.0, ""  # Ax, Li: too short to say anything about
    features = pair_features(model, latin, stem, latin_forms=latin_forms)
    _, post = origin_belief(model, latin)
    restored = split_article(restoring(post, stem))[1]
    in_use = bool(restored) and (arabic_zipf(restored) > 0 or bool(latin_forms and (restored in latin_forms or ARTICLE + restored in latin_forms)))
    if features["channel_attested"] and not in_use:
        # the model's restoration is no word nor anyone's name (زواحيري): the attested one
        restored = channel_restoring(latin, stem, latin_forms)
    return pair_model.probability(features), restored


def _near(a: str, b: str) -> bool:
    """Skeletons close enough to be worth asking the model: a third of the letters may differ."""
    limit = max(1, min(_SKELETON_EDITS, max(len(a), len(b)) // 3))
    return Levenshtein.distance(a, b, score_cutoff=limit) <= limit


def _suggest(bare: str, name: SourceName, expected: set[str], best, model) -> str:
    """The gazetteer's spelling of the word when the name is an entry (the one the model
    finds likeliest for this English word), else the model's best rendering."""
    if name.entity is not None and expected:
        return max(sorted(expected), key=lambda f: model.score(bare, f))
    if best:
        return split_article(best[0][0])[1]
    return sorted(expected)[0] if expected else ""


def check_unit(source: str, tokens: list[Token], gazetteer: Gazetteer, model, pair_model=None, western_model=None) -> list[NameProblem]:
    """Every name of ``source`` that ``tokens`` (its aligned target unit) does not render
    right; ``pair_model`` judges words standing for names no list knows, ``western_model``
    misrenderings of Western names (see :func:`render`)."""
    problems = []
    names = source_names(source, gazetteer)
    for name in names:
        if name.entity is None and not name.person_like:
            continue  # places and bodies outside the gazetteer are often translated, not transliterated
        words = [w for w in name.words if len(_bare(w)) > 1]
        if not words:
            continue
        results = [render(w, name, tokens, gazetteer, model, pair_model, western_model) for w in (words[0], words[-1])] if len(words) > 1 else [
            render(words[0], name, tokens, gazetteer, model, pair_model, western_model)
        ]
        joined = _with_particle(name, words[-1])
        if joined and results[-1].status == "missing":
            # the particle written into the word (دافنشي for da Vinci)
            again = render(joined, name, tokens, gazetteer, model, pair_model, western_model)
            if again.status in ("rendered", "variant"):
                results[-1] = again
        if name.entity is None and any(translated_in(w, tokens) for w in words):
            continue  # the unit translates a word of it (بحر كارا for Kara Sea): a place or a work, not a person
        rendered = [r for r in results if r.status in ("rendered", "variant")]
        if name.common_surname:
            # only the half translation is evidence (see SourceName.common_surname)
            if len(words) == 2 and results[0].status == "rendered" and results[-1].status in ("missing", "variant"):
                problem = _half_rendered(name, words, results[0], dataclasses.replace(results[-1], status="missing"), tokens, gazetteer, model, source, meaning_only=True)
                if problem is not None:
                    problems.append(problem)
            continue
        for r in results:
            if r.status == "garbled" and r.token is not None:
                problems.append(_garbled(name, r, gazetteer))
        missing = [r for r in results if r.status == "missing"]
        if not name.person_like or not missing or any(r.status == "garbled" for r in results):
            continue  # a word of the name is there, garbled (and reported): the name is not missing
        lone = len(words) < 2 and (name.entity is None or name.entity.type != "person")
        if lone and not _titled_surname(name, gazetteer):
            continue  # one word alone (Alexander → الإسكندر) is too often an exonym or a title
        if rendered:
            problem = _half_rendered(name, words, rendered[0], missing[0], tokens, gazetteer, model, source)
            if problem is not None:
                problems.append(problem)
        elif not name.common_opening:
            other = _other_person(tokens, gazetteer, source, rare_only=lone)
            problems.append(
                _replaced(name, missing[-1], other, "other-entity") if other is not None else _missing(name, missing[-1])
            )
    taken = {p.token.start for p in problems if p.token is not None}
    problems.extend(_given_names_translated(source, tokens, gazetteer, model, taken))
    return problems


def _given_names_translated(source: str, tokens: list[Token], gazetteer: Gazetteer, model, taken: set[int]) -> list[NameProblem]:
    """A given name that is also an English word (Bill, Mark, Hope; references/
    english_given_names.tsv, wordfreq zipf at least ``RARE_ENGLISH``) written as its
    meaning before the rendered surname: "Hope X" → أمل X. The source reads the two words
    as a name when the given name opens a capitalised pair (a capital, not an acronym, only
    a space between); the evidence is the rest of the name found in the target: right
    before the surname's rendering (an expected form, or one the model finds nearly as
    likely as its best) stands a word that the word-alignment priors link to the given name
    itself (:func:`_linked_by_priors`) and that passes :func:`_translated_here` (an ordinary
    word, no reading of the name, no other form of it). The meaning test alone is not
    enough here: it fired as often on a word translating the sentence around a left-out
    given name (بطولة for star, رشحت for nominated). A given name the source also uses as a
    word (the bill, hope) is left out: its translation may stand for that; so is a title
    (Princess). Words ``taken`` by another problem are skipped. The cheap tests come first:
    most units have no linked word beside another, and the model is never asked."""
    if model is None:
        return []
    words = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(source)]
    lowered = arabic = None
    out = []
    for (given, start, end), (following, f_start, _) in zip(words, words[1:]):
        if given not in gazetteer.english_given_names or not following[:1].isupper() or source[end:f_start] != " ":
            continue
        surname = _unpossessive(following)
        if given.isupper() or surname.isupper() or _english_zipf(given) < RARE_ENGLISH:
            continue
        if given.lower() in gazetteer.person_titles:
            continue  # Princess Peach, Queen X: a title the target translates, not a given name
        if len(latin_letters(_bare(surname))) < 3 or surname.lower() in gazetteer.person_titles:
            continue
        lowered = lowered if lowered is not None else {w for w, _, _ in words if w.islower()}
        if given.lower() in lowered:
            continue
        # cheap before the model is asked of the surname: a word of the unit that the priors
        # link to the given name and that renders nothing of it, with a word right after it
        linked = _meaning_links(given)
        if not linked:
            continue
        arabic = arabic if arabic is not None else [t for t in tokens if t.is_arabic]
        pairs = [(w, t) for w, t in zip(arabic, arabic[1:]) if t.start - w.end <= 1 and w.start not in taken and arabic_key(w.folded) in linked]
        if not pairs:
            continue
        name = _describe(f"{given} {surname}", (given, surname), start, f_start + len(surname), gazetteer, False)
        for word, after in pairs:
            if render(surname, name, [after], gazetteer, model).status != "rendered":
                continue
            if _translated_here(given, word, after, tokens, model, source, gazetteer):
                suggestion = _suggest(given, name, set(), model.nbest(given, 1), model)
                out.append(_replaced(name, WordResult(given, "missing", expected=suggestion), word, "half"))
                taken.add(word.start)
                break
    return out


def _consonants(latin: str) -> str:
    """A Latin spelling's consonants, c and q read as k (Caesar, Kaiser, Qaiser: ksr)."""
    return regex.sub(r"[aeiouyhw]", "", regex.sub(r"[cq]", "k", latin.lower()))


def _spelled_like(stem: str, surname: str, gazetteer: Gazetteer) -> bool:
    """Wikidata people spell the Arabic word (folded, no article) in Latin script with the
    surname's consonants, give or take one."""
    target = _consonants(surname)
    for arabic in (stem, ARTICLE + stem):
        for latin, _ in gazetteer.latin_forms.get(arabic, ()):
            mine = _consonants(latin)
            if len(target) >= 2 and Levenshtein.distance(mine, target, score_cutoff=1) <= (1 if len(target) >= 4 else 0):
                return True
    return False


def _with_particle(name: SourceName, word: str) -> str:
    """The name's last word joined to the particle before it (da Vinci: Davinci), or "".

    The particle is the whitespace-separated word of letters just before ``word`` at the
    end of the name; found by splitting, not by a pattern built per name (compiling one was
    a tenth of name-source's first pass)."""
    text = name.text
    if not word or not text.endswith(word):
        return ""
    head = text[: len(text) - len(word)]
    if not head or not head[-1].isspace():
        return ""
    before = head.split()
    particle = before[-1] if before else ""
    low = particle.lower()
    if particle.isalpha() and low in _PARTICLES and low not in ("al", "el", "bin", "ibn", "bint", "abu", "abou", "ben"):
        return (particle + word.lower()).capitalize()
    return ""


def _half_rendered(
    name: SourceName,
    words: list[str],
    anchor: WordResult,
    missing: WordResult,
    tokens: list[Token],
    gazetteer: Gazetteer,
    model,
    source: str,
    meaning_only: bool = False,
) -> NameProblem | None:
    """Of a two-word person's name one word is rendered and the other is not: what stands
    where the missing word should be, when that is evidence of an error.

    - the surname missing: the word after the rendered given name stands in its place when
      it is an ordinary Arabic word (النعمة for Grace, a half translation) or another
      known person's name; a rare word there is more likely a rendering the model does not
      know. A Western name (no gazetteer entry, no Arabic name word) needs more: its given
      name rendered as the model expects (not a mere variant), and a surname that is not an
      ordinary English word (Smith, Brown and Falls may be translated or spelled freely);
    - the given name missing: leaving it out is Arabic usage (لافروف for Sergei Lavrov),
      unless another known person's name stands right before the surname.

    In a longer name the word beside the rendered one may be a middle name, so only
    two-word names are judged."""
    if len(words) != 2 or anchor.token is None:
        return None
    arabic = name.entity is not None or name.arabic_origin
    if missing.english != words[-1]:
        before = [t for t in tokens if t.end <= anchor.token.start][-1:]
        if before and _names_other_person(before[0], gazetteer, source, given_slot=True):
            return _replaced(name, missing, before[0], "other-entity")
        if before and _stands_in(before[0], missing.english, missing.expected, anchor.token, name.text, tokens, source, model, gazetteer):
            return _replaced(name, missing, before[0], "half")  # نادي هانكس for Tom Hanks
        return None
    beside = [t for t in tokens if t.start >= anchor.token.end][:1]
    if not beside or not beside[0].is_arabic:
        return None
    word = beside[0]
    if _translated_here(missing.english, word, anchor.token, tokens, model, source, gazetteer):
        return _replaced(name, missing, word, "half")  # إيما حجر for Emma Stone
    if meaning_only:
        return None
    other = _names_other_person(word, gazetteer, source)
    ordinary = arabic_zipf(word.text) >= ORDINARY_WORD or explained_as_arabic(word.folded) is not None
    if not arabic:
        if model is None:  # a Western name is judged by the model's readings only
            return None
        surname = _bare(missing.english)
        if anchor.status != "rendered" or translations(surname) or len(name.words) != len(name.text.split()):
            return None  # a particle (da Vinci: دافنشي) may be written into the next word
        if _english_zipf(surname) >= ENGLISH_WORD and not _known_name_word(surname, gazetteer, common=True):
            return None
        # ... whose Latin spelling reads as Western (mtaudit.names.origin: a Latin spelling
        # of an Arabic name drops letters, so its Arabic spelling may look unrelated) ...
        if default_origin().logodds(latin_letters(surname)) >= 0:
            return None
        # ... and a word that no reading of the surname, or of a part of it (Gordon-Levitt:
        # غوردون ليفيت), explains at all
        stem = split_article(word.folded)[1]
        # the surname may be written as two words (دي واين for DeWine, وين ليانغ for Wenliang)
        after = [t for t in tokens if t.start >= word.end][:1]
        stems = [stem] + ([stem + after[0].folded] if after and after[0].is_arabic and after[0].start - word.end <= 1 else [])
        for part in {surname, *surname.split("-")}:
            latin = latin_letters(part)
            for st in stems:
                if latin and max(model.score(latin, st), model.naive_score(latin, st)) >= VARIANT_PER_LETTER * len(st):
                    return None
        # ... nor a name that Wikidata people spell like the surname (قيصر: Qaiser, Kaiser
        # for Caesar): an established Arabic form of it, not a word in its place
        if _spelled_like(stem, surname, gazetteer):
            return None
    if other:
        return _replaced(name, missing, word, "other-entity")
    if ordinary and not _resembles(word, missing.expected):
        return _replaced(name, missing, word, "half")
    return None


# Skeleton similarity (mtaudit.names.garble_pair.skeleton_similarity) from which an ordinary
# word standing where a name word should be shares the name's consonants: a rendering the
# model does not know, that happens to be a word too (شميت for Schmidt), not evidence that
# something else stands there.
RESEMBLES = 0.5


def _resembles(token: Token, expected: str) -> bool:
    return bool(expected) and skeleton_similarity(token.folded, expected) >= RESEMBLES


def _translated_here(english: str, token: Token, anchor: Token, tokens: list[Token], model, source: str, gazetteer: Gazetteer) -> bool:
    """The target word ``token``, standing where the name word ``english`` should be,
    translates it (a half-translated name): the name word is an English word (wordfreq
    zipf at least ``RARE_ENGLISH``), the target word is ordinary Arabic that no reading of
    the name word explains, and of the unit's words it is the one closest in meaning to
    the English word (mtaudit.names.meaning)."""
    bare = _bare(english)
    if model is None or not token.is_arabic or _english_zipf(bare) < RARE_ENGLISH:
        return False
    if arabic_zipf(token.text) < ORDINARY_WORD and explained_as_arabic(token.folded) is None:
        return False  # a rare word there is more likely a rendering the model does not know
    if arabic_zipf(token.text) >= ARABIC_FUNCTION_WORD:
        return False  # a particle or pronoun (هل 5.9, عليها 5.8) translates no name
    latin = latin_letters(bare)
    readings_of = {skeleton(split_article(a)[1]) for a, _ in model.nbest(latin, 3) + model.naive(latin, 1)} if latin else set()
    for _, stem in _stems(token):
        if latin and stem and max(model.score(latin, stem), model.naive_score(latin, stem)) >= VARIANT_PER_LETTER * len(stem):
            return False  # a reading of the name, not its meaning (روز for Rose)
        sk = skeleton(stem)
        if any((len(k) >= 2 and _near(sk, k)) or (sk and sk[: min(2, len(k))] == k[:2]) for k in readings_of if k):
            return False  # spelled like a reading of it (its first consonants): a garble (براند for Bradley, كيز for Key), not its meaning
        if _another_form(stem, bare, gazetteer):
            return False  # a name Wikidata people bear (جوزيف for Joe, آندي): another name, not a meaning
    if _linked_by_priors(bare, token):
        return True  # the word-alignment priors link this very word to the name word (منحة: grant)
    others = [t.text for t in tokens if t.is_arabic and t is not token and t is not anchor and len(t.folded) >= 2]
    return bool(means(bare, token.text, others, [w for w in _TOKEN.findall(source) if len(w) >= 2]))


@lru_cache(maxsize=5_000)
def _meaning_links(english: str) -> frozenset[str]:
    """The Arabic keys (mtaudit.text.word_alignment.arabic_key) the word-alignment priors
    link to the English word, of any count, less those the transliteration model finds a
    likely rendering of it (as :func:`translations` does: مارك for mark is a rendering)."""
    aligner = lexical_aligner()
    if aligner is None:
        return frozenset()
    from .transliteration import default_model

    model = default_model()
    latin = latin_letters(_bare(english))
    renderings = [a for a, _ in model.nbest(latin, 5)] if latin else []
    return frozenset(
        a for a, _ in aligner.by_src.get(english_key(english), ())
        if len(a) >= 2 and not any(a in r for r in renderings) and (not latin or model.score(latin, a) < TRANSLATION_PER_LETTER * len(a))
    )


def _linked_by_priors(english: str, token: Token) -> bool:
    """The word-alignment priors (references/word_alignment_priors.tsv) link the Arabic word
    to the English word itself: a translation of it seen in parallel text."""
    aligner = lexical_aligner()
    if aligner is None:
        return False
    key = english_key(english)
    return any(e == key for e, _ in aligner.by_trg.get(arabic_key(token.folded), ()))


def _stands_in(token: Token, given: str, expected: str, surname: Token, name_text: str, tokens: list[Token], source: str, model, gazetteer: Gazetteer) -> bool:
    """The word right before the rendered surname stands where the given name should be:
    an ordinary Arabic content word (not a particle, nor a rare word that may be a rendering
    the model does not know) that does not share the given name's consonants (``RESEMBLES``), that no reading of the given name explains, that is no name
    Wikidata people bear, and that translates no word of the source by the word-alignment
    priors (mtaudit.text.word_alignment: a word they know, none of whose English links the
    source has). When the given name is merely left out (لافروف for Sergei Lavrov) the word
    before the surname translates the source around it (قال for said, الممثل for actor) or
    is a particle, so this is evidence about the name itself, not its absence."""
    if model is None or not token.is_arabic or surname.start - token.end > 1 or _resembles(token, expected):
        return False
    zipf = arabic_zipf(token.text)
    if zipf >= ARABIC_FUNCTION_WORD or (zipf < ORDINARY_WORD and explained_as_arabic(token.folded) is None):
        return False
    if not _translates_nothing(token, source, gazetteer):
        return False
    latin = latin_letters(_bare(given))
    for _, stem in _stems(token):
        if not stem or stem in gazetteer.latin_forms or ARTICLE + stem in gazetteer.latin_forms:
            return False  # a name people bear: the given name's other form, or another person
        if latin and max(model.score(latin, stem), model.naive_score(latin, stem)) >= VARIANT_PER_LETTER * len(stem):
            return False  # a reading of the given name
    # ... and by meaning (mtaudit.names.meaning), it translates no word of the source but
    # the name's (the priors know few verbs' forms: رشحت for nominated, دافع for defended)
    others = [t.text for t in tokens if t.is_arabic and t is not token and t is not surname and len(t.folded) >= 2]
    name_words = {w.lower() for w in _TOKEN.findall(name_text)}
    english = [w for w in _TOKEN.findall(source) if len(w) >= 2 and w.lower() not in name_words]
    return translates_any(token.text, others, english) is False


def _translates_nothing(token: Token, source: str, gazetteer: Gazetteer) -> bool:
    """The word-alignment priors know the Arabic word, none of the English words they link
    it to is in the source, and none is a person's title (references/person_titles.tsv:
    Arabic puts الممثل, المدرب before a surname where English has none); False for a word
    they do not know (no evidence)."""
    aligner = lexical_aligner()
    if aligner is None:
        return False
    links = aligner.by_trg.get(arabic_key(token.folded))
    if not links:
        return False
    words = {english_key(w) for w in _TOKEN.findall(source)} | _title_keys(gazetteer.person_titles)
    return not any(e in words for e, _ in links)


@lru_cache(maxsize=4)
def _title_keys(titles: frozenset[str]) -> frozenset[str]:
    return frozenset(english_key(w) for t in titles for w in t.split())


def _another_form(stem: str, english: str, gazetteer: Gazetteer) -> bool:
    """Wikidata people bear the Arabic word (folded, no article) as a name spelled in Latin
    script with the English word's first letter (c, k and q alike): another form of that
    name (جوزيف, Joseph, for Joe), not its meaning. A name that is the word's meaning is
    spelled otherwise (وردة is Warda, not Rose; أمل is Amal, not Hope), so it may still
    translate it."""
    first = regex.sub(r"[cq]", "k", english[:1].lower())
    forms = [*gazetteer.latin_forms.get(stem, ()), *gazetteer.latin_forms.get(ARTICLE + stem, ())]
    return any(regex.sub(r"[cq]", "k", latin[:1].lower()) == first for latin, _ in forms)


def _names_other_person(token: Token, gazetteer: Gazetteer, source: str, given_slot: bool = False) -> bool:
    """The word names gazetteer people (persons only) whom the source does not name, and
    is not a word that ordinary Arabic uses more (``COMMON_AS_WORD``: الصباح, الشيخ, سلمان
    are names too, but mostly words or shared given names).

    ``given_slot``: the word stands where the source's given name should be. A word the
    gazetteer knows only as the given name of longer names is then no evidence: it is a
    given name, and the source's may be written that way (جوزيف for Joe)."""
    if arabic_zipf(token.text) >= COMMON_AS_WORD or explained_as_arabic(token.folded) is not None:
        return False
    for r in readings(token.folded):
        for key in {r.stem, split_article(r.stem)[1]}:
            ents = gazetteer.accepted.get(key, ())
            if given_slot and all(p.index == 0 and p.form_length > 1 for p in gazetteer.parts_by_word.get(key, ())):
                continue
            if ents and all(e.type == "person" and not gazetteer.mentioned_in(e, source) for e in ents):
                return True
    return False


def _titled_surname(name: SourceName, gazetteer: Gazetteer) -> bool:
    """A one-word name right after a person's title (President X said → قال الرئيس) is a
    person's name when it is no English word (wordfreq zipf below ``RARE_ENGLISH``; not
    Major Leagues, Secretary Generals), or a name Wikidata people bear that is not a common
    word (Armstrong). Its exonyms (King David: داود) are among Wikidata's name forms."""
    if name.entity is not None or not name.titled or len(name.words) != 1:
        return False
    word = _bare(name.words[0])
    zipf = _english_zipf(word)
    return zipf < RARE_ENGLISH or (zipf < ENGLISH_WORD and bool(gazetteer.arabic_for_latin(word.lower())))


def _other_person(tokens: list[Token], gazetteer: Gazetteer, source: str, rare_only: bool = False) -> Token | None:
    """A target word naming a gazetteer person whom the source does not name; with
    ``rare_only`` not a word ordinary Arabic uses more (``COMMON_AS_WORD``: غير, دي)."""
    for t in tokens:
        if rare_only and (arabic_zipf(t.text) >= COMMON_AS_WORD or explained_as_arabic(t.folded) is not None):
            continue
        for r in readings(t.folded):
            for ent in gazetteer.accepted.get(r.stem, ()):
                if ent.type == "person" and len(gazetteer.accepted[r.stem]) == 1 and not gazetteer.mentioned_in(ent, source):
                    return t
    return None


def _base_features(name: SourceName, r: WordResult) -> dict[str, float]:
    return {
        "in_gazetteer": float(name.entity is not None),
        "person_like": float(name.person_like),
        "words": float(min(len(name.words), 4)),
        "llr": max(-10.0, min(10.0, r.llr)),
        "score": max(-30.0, r.score),
        "opacity": max(-10.0, min(10.0, r.opacity)),
    }


def _garbled(name: SourceName, r: WordResult, gazetteer: Gazetteer) -> NameProblem:
    t = r.token
    stem = split_article(t.folded[len(r.clitic) :])[1]
    features = {
        **_base_features(name, r),
        "kind_garbled": 1.0,
        "kind_half": 0.0,
        "kind_missing": 0.0,
        "kind_other": 0.0,
        "unseen": float(arabic_zipf(stem) < 1.0 and arabic_zipf(t.text) < 1.0),
        "explained": float(explained_as_arabic(t.folded) is not None),
        "wikidata_name": float(stem in gazetteer.latin_forms or ARTICLE + stem in gazetteer.latin_forms),
        "resembles": skeleton_similarity(stem, r.expected),
    }
    return NameProblem(name, "garbled", t, _with_article(t, r.clitic, r.expected), features, probability=r.probability)


def _replaced(name: SourceName, r: WordResult, token: Token, how: str) -> NameProblem:
    features = {
        **_base_features(name, r),
        "kind_garbled": 0.0,
        "kind_half": float(how == "half"),
        "kind_missing": 0.0,
        "kind_other": float(how == "other-entity"),
        "unseen": float(arabic_zipf(token.text) < 1.0),
        "explained": float(explained_as_arabic(token.folded) is not None),
        "wikidata_name": 0.0,
        # the word shares the name's consonants: a rendering the model does not know (ذكري
        # for Zekri) more often than a word in the name's place (calibration feature)
        "resembles": skeleton_similarity(token.folded, r.expected) if r.expected else 0.0,
    }
    return NameProblem(name, "replaced", token, r.expected, features, how)


def _missing(name: SourceName, r: WordResult) -> NameProblem:
    features = {
        **_base_features(name, r),
        "kind_garbled": 0.0,
        "kind_half": 0.0,
        "kind_missing": 1.0,
        "kind_other": 0.0,
        "unseen": 0.0,
        "explained": 0.0,
        "wikidata_name": 0.0,
        "resembles": 0.0,
    }
    return NameProblem(name, "missing", None, r.expected, features)


def _with_article(token: Token, clitic: str, expected: str) -> str:
    """The suggestion keeps the target word's clitic and article (ولتيبون → ولتبون)."""
    rest = token.folded[len(clitic) :]
    article = ARTICLE if rest.startswith(ARTICLE) and len(rest) > 4 and not expected.startswith(ARTICLE) else ""
    if clitic.endswith("ل") and article:
        return clitic + expected if expected.startswith("ل") else clitic + "ل" + expected
    return clitic + article + expected

