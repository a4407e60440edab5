"""Target-side garble detection: which words of an Arabic text are garbled gazetteer names,
and the evidence for each, as features for a fitted confidence model.

A word is a garble of entity E only with evidence about E itself (issue 12):

- another distinctive part of E's own name next to it (أحمد الشارا), spelled right or
  itself garbled;
- E's title before it (وزير الخارجية الروسي لافاروف);
- E written right elsewhere in the article (its full form, or a part no one else bears);
- the English source naming E.

A part many people share (محمد, علي, عبد) is not evidence. A word that morphology explains
as ordinary Arabic (mtaudit.names.morphology), a spelling Wikidata knows as someone's
name, and an ordinary word need the strongest evidence: E's other name part beside it or
the source naming E. Near-exact misspellings of one-word places and bodies (هميميم) need no
context: those are not foreign names a gazetteer lacks.

:func:`find_garbles` returns every candidate that passes these gates with its
:class:`Evidence`; the check turns the evidence into a probability with the model fitted
by ``scripts/fit_name_confidence.py`` (references/calibration.tsv).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import partial
from itertools import chain, compress, count, repeat
from operator import attrgetter, is_, itemgetter, ne

from ..text.frequency import arabic_zipf
from ..text.normalize import fold
from ..text.tokens import Token
from .channel import EDIT_CLASSES, channel_edits, name_cost, name_cost_within, skeleton, split_article, tolerance
from .gazetteer import Entity, Gazetteer, NamePart
from .morphology import Reading, explained_as_arabic, readings
from .retrieval import SkeletonIndex

COMMON_WORD = 3.0  # zipf at or above which a word is ordinary Arabic, not a garble
ATTESTED = 1.0  # zipf at or above which a spelling is seen in real Arabic text
MIN_FIT = 0.3  # spellings fitting a name worse than this are not considered at all
NON_PERSON_MAX_COST = 0.4
NEIGHBOUR_FIT = 0.7  # a garbled neighbour is another part of the same name only when it fits this well  # places and bodies are rarely garbled: only near-exact misspellings
# A name part borne by this many Wikidata people (references/name_forms.tsv given names;
# محمد 11,564, علي 4,063, حسن 1,617, ماهر 123) or by this many gazetteer entities is
# shared: seeing it says nothing about which person is meant.
SHARED_GIVEN_NAME = 200
SHARED_BY_ENTITIES = 3
# A name part spelled like one of the most frequent Arabic words (غير "other", zipf 6.2, is
# Geir Pedersen's given name) says nothing when it is written elsewhere in an article;
# famous names, frequent in news text, stay below it (بشار 4.6, الأسد 4.9, حسن 5.4).
FUNCTION_WORD = 5.5


@dataclass(frozen=True)
class Candidate:
    part: NamePart
    reading: Reading
    cost: float
    fit: float  # 1 - cost / tolerance: how well the spelling fits the name

    @property
    def entity(self) -> Entity:
        return self.part.entity


@dataclass(frozen=True)
class Evidence:
    """What is known for one reading of one word as a garbled name (the model's features)."""

    fit: float
    unseen: float  # 1 when the spelling never occurs in Arabic (wordfreq), else 0
    rare: float  # 1 when it is rare (zipf below 2), else 0
    wikidata_name: float  # the spelling is someone's name in Wikidata
    explained: float  # morphology explains the word as ordinary Arabic
    ordinary: float  # a common Arabic word
    adjacent_part: float  # a distinctive part of the same name beside it
    adjacent_garbled: float  # ... and that part is itself garbled (باشار الشاد)
    title: float  # the entity's title before it
    named_elsewhere: float  # the entity written right elsewhere in the article
    garbled_elsewhere: float  # another mention garbled with strong evidence
    source_names: float  # the English source names the entity
    source_silent: float  # a source is given and does not name it
    non_person: float  # a place or a body
    #: By the transliteration model, for the entity's own English word (Sharaa): how far
    #: below the likeliest sounded-out reading the word is (0: it is that reading, شارا), and
    #: how far below the likeliest correct rendering (log-probabilities, clipped to -20).
    naive_gap: float = -20.0
    correct_gap: float = -20.0
    #: With a garbled part of the same name beside it (adjacent_garbled): the best naive gap
    #: of that neighbour for its own part of the name (0: it is how that part's English
    #: spelling reads when sounded out, باشار beside الشاد). A person the gazetteer lacks
    #: whose two real name words each resemble a part of a listed person shows the same
    #: shape with a neighbour no such reading explains; raw MT of the person shows this.
    neighbour_naive_gap: float = -20.0
    #: A family name of the entity (:func:`parts_written`) is written right elsewhere in the
    #: article, not beside the word (هرب الأسد, sentences after باشار الشاد), and
    #: ``named_elsewhere`` does not hold: weaker than
    #: ``named_elsewhere``, which asks for a full form or a part no one else bears, and not
    #: held back when the part is also a common word (famous names are, in news text).
    part_elsewhere: float = 0.0
    #: With a garbled part of the same name beside it: that neighbour's spelling fit to its
    #: part (0 otherwise). Two real name words of someone unlisted, each near a part of one
    #: listed person, fit that person less closely as a pair than a garbled mention does.
    neighbour_fit: float = 0.0
    #: How the word differs from the name, by class of edit (mtaudit.names.channel.
    #: channel_edits; each 1 when a cheapest path has an edit of the class, else 0): the edits English-mediated MT makes (vowels
    #: added, ع ح ء lost or written as alef) against those of a real name that merely spells
    #: close to a listed one (letters added at its ends, a long vowel missing: كاتسو beside
    #: كاتس). The "likely a correct name, not a garble of E" evidence the gates cannot see,
    #: with fitted weights in place of the channel's hand-set costs.
    added_before: float = 0.0
    added_after: float = 0.0
    alef_added: float = 0.0
    waw_yeh_added: float = 0.0
    consonant_added: float = 0.0
    vowel_lost: float = 0.0
    weak_lost: float = 0.0
    consonant_lost: float = 0.0
    weak_changed: float = 0.0
    letter_changed: float = 0.0
    digraph: float = 0.0

    def features(self) -> dict[str, float]:
        return asdict(self)

    @property
    def reasons(self) -> tuple[str, ...]:
        out = [f"spelling distance fit {self.fit:.2f}"]
        if self.adjacent_part:
            out.append("next to another part of the same name")
        if self.title:
            out.append("after the name's title")
        if self.named_elsewhere:
            out.append("the entity is written right elsewhere in the article")
        if self.garbled_elsewhere:
            out.append("the same name is garbled elsewhere in the article")
        if self.part_elsewhere and not self.named_elsewhere:
            out.append("a part of the name is written right elsewhere in the article")
        if self.source_names:
            out.append("the English source names it")
        if self.naive_gap >= -2 and self.correct_gap < self.naive_gap - 2:
            out.append("it is how the English spelling of the name reads when sounded out")
        if self.explained:
            out.append("(the word also reads as ordinary Arabic)")
        return tuple(out)


@dataclass(frozen=True)
class Garble:
    token: Token
    candidate: Candidate
    evidence: Evidence
    #: the mention this one copies (the same spelling elsewhere), if any
    follows: "Garble | None" = None


def is_shared(gazetteer: Gazetteer, folded_word: str) -> bool:
    """A name part too many people bear to say whose name it is."""
    return (
        gazetteer.given_names.get(folded_word, 0) >= SHARED_GIVEN_NAME
        or len(gazetteer.accepted.get(folded_word, ())) >= SHARED_BY_ENTITIES
    )


class WordMatch:
    """A gazetteer name word that an observed spelling could be a garbling of (its skeleton
    is within one edit of a reading's): the word, and, computed on first use, (reading,
    cost, fit) for each such reading whose spelling distance is within the name's tolerance.
    The distance is the costly part, so it is computed only for words whose entities have
    evidence (:func:`expand`)."""

    __slots__ = ("word", "_readings", "_fits", "_near_exact", "_close")

    def __init__(self, word: str, readings_: tuple[Reading, ...]) -> None:
        self.word = word
        self._readings = readings_
        self._fits: tuple[tuple[Reading, float, float], ...] | None = None
        self._near_exact: tuple[tuple[Reading, float, float], ...] | None = None
        self._close: bool | None = None

    @property
    def fits(self) -> tuple[tuple[Reading, float, float], ...]:
        if self._fits is None:
            out = []
            tol = tolerance(self.word)
            for reading in self._readings:
                cost = name_cost(reading.stem, self.word)
                if cost == 0 or cost > tol or 1 - cost / tol < MIN_FIT:
                    continue
                out.append((reading, cost, 1 - cost / tol))
            self._fits = tuple(out)
        return self._fits

    def _near_exact_fits(self) -> tuple[tuple[Reading, float, float], ...]:
        """The :attr:`fits` with a cost of at most NON_PERSON_MAX_COST, computed with the
        distance bounded there when the full fits are not known (a place's or a body's word
        near an unseen spelling is nearly never near-exact, and the bound tells in a row or
        two). The same tuples: the tolerance of any name is above 1, so at such a cost the
        fits' other conditions hold."""
        if self._fits is not None:
            return tuple(f for f in self._fits if f[1] <= NON_PERSON_MAX_COST)
        if self._near_exact is None:
            out = []
            tol = tolerance(self.word)
            for reading in self._readings:
                cost = name_cost_within(reading.stem, self.word, NON_PERSON_MAX_COST)
                if cost == 0 or cost > NON_PERSON_MAX_COST or cost > tol or 1 - cost / tol < MIN_FIT:
                    continue
                out.append((reading, cost, 1 - cost / tol))
            self._near_exact = tuple(out)
        return self._near_exact

    def fits_closely(self) -> bool:
        """Some reading fits (as in :attr:`fits`) at NEIGHBOUR_FIT or better (memoised);
        with the distance bounded there when the full fits are not known. Exact: a distance
        abandoned above the bound fits worse."""
        if self._close is None:
            if self._fits is not None:
                self._close = any(f[2] >= NEIGHBOUR_FIT for f in self._fits)
            else:
                tol = tolerance(self.word)
                self._close = False
                for reading in self._readings:
                    cost = name_cost_within(reading.stem, self.word, (1 - NEIGHBOUR_FIT) * tol)
                    if cost == 0 or cost > tol or 1 - cost / tol < MIN_FIT:
                        continue
                    if 1 - cost / tol >= NEIGHBOUR_FIT:
                        self._close = True
                        break
        return self._close

    def best(self, person: bool) -> tuple[Reading, float, float] | None:
        """The first best-fitting reading allowed for an entity of this kind (places and
        bodies only near-exact: cost at most NON_PERSON_MAX_COST)."""
        best = None
        for f in self.fits if person else self._near_exact_fits():
            if best is None or f[2] > best[2]:
                best = f
        return best


def _near_words(folded: str, words_near) -> list[tuple[Reading, list[str]]]:
    """(reading, the gazetteer name words within one skeleton edit of it) for each reading
    of ``folded`` with a skeleton of two letters or more (``words_near``: the gazetteer's
    deletion index, or a part of it), in the index's order."""
    out = []
    for reading in readings(folded):
        obs_skel = skeleton(split_article(reading.stem)[1])
        if len(obs_skel) >= 2:
            out.append((reading, words_near(obs_skel)))
    return out


def _meet(keys, words: frozenset[str]) -> set[str] | frozenset[str]:
    """``keys & words`` for a dict's keys and a frozenset, walking the smaller of the two
    (``keys & words`` walks the frozenset however large it is; the gazetteer's word sets can
    be thousands)."""
    return keys & words if len(words) <= len(keys) else words.intersection(keys)


def word_matches(folded: str, gazetteer: Gazetteer) -> tuple[WordMatch, ...]:
    """The distinct gazetteer name words ``folded`` could be a garbling of, by the deletion
    index. Distances are computed once per word, not once per entity bearing it, and only
    when asked for."""
    info = word_info(folded, gazetteer)
    return tuple(info.match(w) for w in info.pos)


class WordInfo:
    """What a spelling could be, by the index alone (memoised per spelling): the gazetteer
    words it could garble by position (``pos``; their :class:`WordMatch` made on first use
    by :meth:`match`: a short spelling reaches hundreds of words in a large gazetteer, of
    which few are ever looked at), those of them that places or bodies bear, and, for
    evidence that a neighbour is a garbled part of the same name, the entities bearing its
    matches that are not shared (:func:`is_shared`) and all those entities' words."""

    __slots__ = ("pos", "non_person", "_reach", "_made", "_gaz", "_pairs", "_non_person_ids", "_close")

    def __init__(self, folded: str, gazetteer: Gazetteer, words_near=None) -> None:
        reach = _near_words(folded, words_near or gazetteer.words_near)
        # the distinct words in the order first reached (by C-level calls: a short spelling
        # reaches hundreds of words in a large gazetteer)
        first_seen = dict.fromkeys(chain.from_iterable(words for _, words in reach))
        self.pos = dict(zip(first_seen, range(len(first_seen))))
        self._reach: list[tuple[Reading, list[str] | frozenset[str]]] = reach
        self._made: dict[str, WordMatch] = {}
        self.non_person = _meet(self.pos.keys(), gazetteer.non_person_words())
        self._gaz = gazetteer
        self._pairs: tuple[frozenset, frozenset] | None = None
        self._non_person_ids: frozenset[int] | None = None
        self._close: dict[str, frozenset[int]] | None = None

    @property
    def keys(self):
        """The gazetteer words it could garble (a set-like view)."""
        return self.pos.keys()

    def match(self, word: str) -> WordMatch:
        m = self._made.get(word)
        if m is None:
            m = self._made[word] = WordMatch(word, self._readings_reaching(word))
        return m

    def _readings_reaching(self, word: str) -> tuple[Reading, ...]:
        """The readings whose skeleton is near ``word``'s, in order."""
        reach = self._reach
        if len(reach) == 1:
            return (reach[0][0],)
        for k, (reading, words) in enumerate(reach):
            if not isinstance(words, frozenset):
                reach[k] = (reading, frozenset(words))  # a set for membership, made on first use
        return tuple(reading for reading, words in reach if word in words)

    @property
    def non_person_ids(self) -> frozenset[int]:
        """ids of the places and bodies bearing the words it could garble."""
        if self._non_person_ids is None:
            self._non_person_ids = frozenset().union(*map(self.entity_ids_of, self.non_person))
        return self._non_person_ids

    def entity_ids_of(self, word: str) -> frozenset[int]:
        """ids of the places and bodies bearing gazetteer word ``word`` (memoised per word)."""
        cache = self._gaz.cache("non-person-ids")
        ids = cache.get(word)
        if ids is None:
            ids = cache[word] = frozenset(id(p.entity) for p in self._gaz.non_person_parts(word))
        return ids

    def close_siblings(self, word: str) -> frozenset[int]:
        """ids of the persons bearing gazetteer word ``word`` (or sharing a name word with
        one who does) one of whose unshared distinctive words this spelling fits at
        NEIGHBOUR_FIT or better (memoised per word)."""
        if self._close is None:
            self._close = {}
        ids = self._close.get(word)
        if ids is None:
            gaz = self._gaz
            out: set[int] = set()
            for w in _meet(self.pos.keys(), gaz.sibling_words(word)):
                if not is_shared(gaz, w) and self.match(w).fits_closely():
                    out |= gaz.first_parts(w).keys()
            ids = self._close[word] = frozenset(out)
        return ids

    def _pair_sets(self) -> tuple[frozenset, frozenset]:
        # computed only when a neighbour of this word has candidates
        if self._pairs is None:
            # the memoised pair data of its hundreds of words looked up at C speed, the few
            # not yet known made (_pair_data); None for a shared word
            words = list(self.pos)
            found = list(map(self._gaz.cache("garble-pair-data").get, words, repeat(False)))
            data = _pair_data(self._gaz)
            for k in compress(count(), map(_IS_FALSE, found)):
                found[k] = data(words[k])
            pairs = list(filter(None, found))
            self._pairs = (frozenset().union(*map(_FIRST, pairs)), frozenset().union(*map(_SECOND, pairs)))
        return self._pairs

    @property
    def pair_ids(self) -> frozenset[int]:
        return self._pair_sets()[0]

    @property
    def pair_words(self) -> frozenset[str]:
        return self._pair_sets()[1]


def _pair_data(gazetteer: Gazetteer):
    """A function of a gazetteer word: None for a shared word, else (ids of the entities with a
    distinctive part so spelled, every word of those persons), memoised per gazetteer word."""
    cache = gazetteer.cache("garble-pair-data")

    def data(word: str):
        found = cache.get(word, False)
        if found is False:
            found = cache[word] = (
                None if is_shared(gazetteer, word) else (gazetteer.word_entity_ids(word), gazetteer.sibling_words(word))
            )
        return found

    return data


def word_info(folded: str, gazetteer: Gazetteer) -> WordInfo:
    cache = gazetteer.cache("garble-word-info")
    info = cache.get(folded)
    if info is None:
        info = gazetteer.remember("garble-word-info", folded, WordInfo(folded, gazetteer), 20_000)
    return info


def expand(matches, gazetteer: Gazetteer, eligible: set[int] | None = None) -> tuple[Candidate, ...]:
    """Candidates (one per entity and word, its first part) of the word matches, best fit
    first; with ``eligible``, ``matches`` are (position, match) pairs and only persons whose
    id is in ``eligible`` are expanded, and places and bodies."""
    return _expand(matches, gazetteer, None if eligible is None else (eligible,))


def _expand(
    matches, gazetteer: Gazetteer, eligible: tuple[set[int], ...] | None, other_ids: tuple[set[int], ...] | None = None
) -> tuple[Candidate, ...]:
    """:func:`expand` with the eligible persons given as a union of sets (not built: the sets
    can be large). A word's persons are found by intersecting its first parts with the
    eligible ids (C set operations, the smaller side walked), so the cost follows the
    evidence, not how many entities bear the word. The order is fit, then the match's
    position, then the part's place in the gazetteer: a total order, so the order in which
    parts are collected does not matter. ``other_ids``: the places and bodies allowed, as a
    union of sets (all when None)."""
    out: list[tuple[float, int, int, Candidate]] = []
    part_order = gazetteer.part_order
    for k, m in matches if eligible is not None else enumerate(matches):
        first = gazetteer.first_parts(m.word)
        if not first:
            persons = ()
        elif eligible is None:
            persons = first.values()
        else:
            keys = first.keys()
            ids = keys & eligible[0]
            for more in eligible[1:]:
                ids |= keys & more
            persons = [first[e] for e in ids]
        if persons:  # the distance is computed here, for chosen entities only
            f = m.best(True)
            if f is not None:
                for p in persons:
                    out.append((-f[2], k, part_order(p), Candidate(p, f[0], f[1], f[2])))
        others = gazetteer.non_person_parts(m.word)
        if others and other_ids is not None:
            others = [p for p in others if any(id(p.entity) in ids for ids in other_ids)]
        if others:
            f = m.best(False)
            if f is not None:
                for p in others:
                    out.append((-f[2], k, part_order(p), Candidate(p, f[0], f[1], f[2])))
    out.sort(key=lambda x: x[:3])
    return tuple(c for *_, c in out)


def candidates(folded: str, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    """Gazetteer name words that ``folded`` could be a garbling of, best first, for every
    entity bearing them (for lookups; the matcher expands only the entities with evidence)."""
    return expand(word_matches(folded, gazetteer), gazetteer)


def _beside_data(folded: str, gazetteer: Gazetteer) -> tuple[bool, frozenset[int]]:
    """What a word says as the neighbour of a possible garble (:meth:`_Words._evidence_near`),
    which depends on its spelling alone (memoised per spelling): whether a reading of it is a
    shared name word, and the ids of the entities bearing its unshared readings as parts."""
    memo = gazetteer.cache("garble-beside")
    found = memo.get(folded)
    if found is None:
        shared_word = False
        ids: set[int] = set()
        for r in readings(folded):
            if r.stem not in gazetteer.parts_by_word:
                continue
            if is_shared(gazetteer, r.stem):
                shared_word = True
            else:
                ids.update(id(p.entity) for p in gazetteer.parts_by_word[r.stem])
        found = gazetteer.remember("garble-beside", folded, (shared_word, frozenset(ids)), 100_000)
    return found


def _title_before(tokens: list[Token], i: int, ent: Entity, gazetteer: Gazetteer) -> bool:
    """The entity's title ends just before the word, or before the entity's other name words
    that precede it (وزير الدفاع مرهف أبو كاسرا)."""
    own = gazetteer.entity_words(ent)
    j = i
    while j > 0 and any(r.stem in own for r in readings(tokens[j - 1].folded)):
        j -= 1
    before = " ".join(t.folded for t in tokens[max(0, j - 4) : j])
    return any(before.endswith(fold(t)) for t in ent.titles)


def _titled_here(tokens: list[Token], i: int, gazetteer: Gazetteer) -> set[int]:
    """ids of every entity whose title could count for word ``i`` (:func:`_title_before` for
    all entities at once, over-inclusive: past any name words before it)."""
    out: set[int] = set()
    if not gazetteer.by_title:
        return out
    j = i
    while True:
        if j > 0 and gazetteer.may_end_a_title(tokens[j - 1].folded):  # most words end none
            out |= gazetteer.entities_titled(" ".join(t.folded for t in tokens[max(0, j - 4) : j]))
        if j > 0 and any(r.stem in gazetteer.parts_by_word for r in readings(tokens[j - 1].folded)):
            j -= 1
        else:
            return out


def _accepted_entities(folded: str, gazetteer: Gazetteer) -> list[tuple[Entity, str]]:
    out = []
    for r in readings(folded):
        out.extend((e, r.stem) for e in gazetteer.accepted.get(r.stem, []))
    return out


def entities_written(tokens: list[Token], gazetteer: Gazetteer) -> set[str]:
    """Entities written right in ``tokens``: a full accepted form of two or more words, or a
    distinctive part that no one else bears."""
    named: set[str] = set()
    memo = gazetteer.cache("written-word")
    data = list(map(memo.get, map(_FOLDED, tokens)))  # memoised per spelling, looked up at C speed
    for i in compress(count(), map(_IS_NONE, data)):
        folded = tokens[i].folded
        d = memo.get(folded)  # an earlier word of the text may have been the same spelling
        data[i] = d if d is not None else gazetteer.remember("written-word", folded, _written_word(folded, gazetteer), 100_000)
    # the positions of words that name an entity alone or open a full form
    telling = list(compress(count(), map(_TELLING, data)))
    n = len(data)
    for i in telling:
        _, singles, openers, _ = data[i]
        named.update(singles)
        # full forms of two or more words starting here
        for stem in openers if i + 1 < n else ():
            for second in data[i + 1][0]:
                for form_words, ent in gazetteer.forms_starting_with_pair(stem, second):
                    if all(i + k < n and w in data[i + k][0] for k, w in enumerate(form_words)):
                        named.add(ent.canonical)
    return named


def _written_word(folded: str, gazetteer: Gazetteer) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """What :func:`entities_written` needs of one spelling, which does not depend on the
    text around it: (the stems of its readings, the entities it names alone, the stems that
    open a full form of two or more words, whether either of those two is not empty)."""
    stems = tuple(r.stem for r in readings(folded))
    singles = []
    for stem in stems:
        ents = gazetteer.accepted.get(stem, ())
        if len(ents) == 1 and not is_shared(gazetteer, stem) and arabic_zipf(stem) < COMMON_WORD:
            singles.append(ents[0].canonical)
    openers = tuple(s for s in stems if gazetteer.opens_a_form(s))
    return stems, tuple(singles), openers, bool(singles or openers)


def english_word_for(part: NamePart, translit, gazetteer: Gazetteer) -> str:
    """The word of the entity's English forms that ``part`` renders (أسعد → Asaad), the one
    the transliteration model finds likeliest; memoised on the gazetteer."""
    cache = gazetteer.cache("english-word-for-part")
    key = (part.entity.canonical, part.folded)
    if key not in cache:
        words = sorted({w for form in part.entity.english for w in form.replace("-", " ").split() if w[:1].isupper()})
        stem = split_article(part.folded)[1]
        cache[key] = max(words, key=lambda w: translit.score(w, stem)) if words else ""
    return cache[key]


def model_gaps(observed_stem: str, part: NamePart, translit, gazetteer: Gazetteer) -> tuple[float, float]:
    """(naive gap, correct gap) of ``observed_stem`` for the entity's English word: how far
    below the model's best sounded-out reading and best correct rendering it scores."""
    if translit is None:
        return -20.0, -20.0
    english = english_word_for(part, translit, gazetteer)
    if not english:
        return -20.0, -20.0
    stem = split_article(observed_stem)[1]
    naive_best = translit.naive(english, 1)
    correct_best = translit.nbest(english, 1)
    naive = translit.naive_score(english, stem) - (naive_best[0][1] if naive_best else 0.0)
    correct = translit.score(english, stem) - (correct_best[0][1] if correct_best else 0.0)
    return round(max(-20.0, min(0.0, naive)), 3), round(max(-20.0, min(0.0, correct)), 3)


_SPAN = attrgetter("start", "text")  # a token as the memo of texts keys it
# A token's fields and tests on memoised per-word data, at C speed (map, compress): the
# matcher's per-text setup visits only the few words that can matter.
_TEXT = itemgetter(0)
_FOLDED = itemgetter(1)
_TELLING = itemgetter(3)
_NOT_ZERO = partial(ne, 0)
_IS_NONE = partial(is_, None)
_IS_FALSE = partial(is_, False)
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def find_garbles(tokens: list[Token], gazetteer: Gazetteer, source: str | None, translit=None) -> list[Garble]:
    """Every word of ``tokens`` that passes the evidence gates as a garbled gazetteer name,
    with its best reading and the evidence for it. ``translit`` (a TransliterationModel) adds
    the garble likelihood ratio to the evidence.

    Memoised on the gazetteer for the last texts: three checks ask for the same article. The
    model adds evidence, never a garble, so an answer with it also serves a caller without."""
    memo = gazetteer.cache("find-garbles")
    key = (source, tuple(map(_SPAN, tokens)))
    hit = memo.get(key)
    if hit is not None and (translit is None or hit[0] is translit):
        return list(hit[1])
    found = _find_garbles(tokens, gazetteer, source, translit)
    if len(memo) >= 64:
        memo.pop(next(iter(memo)))
    memo[key] = (translit, tuple(found))
    return found


def _named_index(entities: list[Entity], gazetteer: Gazetteer):
    """``words_near`` over the indexed words of ``entities`` only: a deletion index of those
    words, inserted in the gazetteer index's order, so that a lookup returns the whole
    index's answer with every other word left out, in the same order (a bucket is the
    whole bucket's subsequence). Every word that can give one of these entities a candidate
    is in it; the per-word results built on it (:class:`WordInfo`) therefore give the same
    candidates in the same order, for these entities."""
    own = {w for e in entities for w in gazetteer.entity_words(e) if gazetteer.parts_of_word(w)}
    index = SkeletonIndex((skeleton(split_article(w)[1]), w) for w in sorted(own, key=gazetteer.word_rank))
    return index.near


class _Words:
    """The candidate readings of each word of a text, and the entities with evidence near it.

    A word's candidates are expanded only into the entities that could pass the gates there
    (:func:`_passes_gates`): persons named beside it (spelled right, or possibly garbled),
    titled before it, written right elsewhere, garbled with strong evidence elsewhere, or
    named by the source; places and bodies always. The gates reject every other person
    anyway. The sets are over-inclusive and found by set operations on memoised per-word
    data, so that a word costs about the same with 300 or 30,000 entities in the gazetteer."""

    def __init__(self, tokens: list[Token], gazetteer: Gazetteer, source: str | None) -> None:
        self.tokens, self.gaz, self.source = tokens, gazetteer, source
        # by position, only for the few words that have any: most words are none of these
        self.info: dict[int, WordInfo] = {}  # words the index finds names near
        self.fixed: dict[int, tuple[Candidate, ...]] = {}  # ordinary words read as a name part
        # With a source, an entity it does not name fails the gates (source_silent): the
        # candidates are only ever those of the entities it names, so a word is looked up
        # only among their words (``restricted``, see _named_index), not the whole index.
        self.named_by_source = None if not source else gazetteer.entities_named(gazetteer.mentioned(source))
        restricted = _named_index(self.named_by_source, gazetteer) if self.named_by_source else None
        infos: dict[str, WordInfo | None] = {}
        kinds = gazetteer.cache("garble-word-kind")
        # Every word's memoised kind looked up at C speed; the loop below visits only the
        # words not yet known and those that may be names (most words are known to be neither).
        known = list(map(kinds.get, zip(map(_TEXT, tokens), map(_FOLDED, tokens))))
        for i in compress(count(), map(_NOT_ZERO, known)):
            t = tokens[i]
            kind = known[i]
            if kind is None:
                kind = kinds.get((t.text, t.folded))  # the same spelling earlier in the text
            if kind is None:
                # what the word is does not depend on the text around it: memoised per spelling
                if not t.is_arabic or gazetteer.is_accepted(t.folded):
                    kind = 0
                elif _is_ordinary_word(t):
                    kind = 1
                elif restricted is not None:
                    kind = 2  # maybe: the restricted lookup below answers, and is not memoised
                else:
                    kind = 2 if word_info(t.folded, gazetteer).pos else 0
                if kind != 2 or restricted is None:
                    gazetteer.remember("garble-word-kind", (t.text, t.folded), kind, 100_000)
            if kind == 2 and restricted is not None:
                if t.folded not in infos:
                    info = WordInfo(t.folded, gazetteer, restricted)
                    infos[t.folded] = info if info.pos else None
                if infos[t.folded] is None:
                    kind = 0  # none of the named entities' words is near: as a word no name is near
            if kind == 1 and source:  # without a source an ordinary word is never read as a name part
                fixed = _ordinary_word_in_a_name(tokens, i, gazetteer, source)
                if fixed:  # with none, the word is as one no name is near
                    self.fixed[i] = fixed
            elif kind == 2:
                self.info[i] = infos[t.folded] if restricted is not None else word_info(t.folded, gazetteer)
        #: the positions of the words with candidates, in order
        self.positions = sorted(self.info.keys() | self.fixed.keys())
        self._near: dict[int, tuple[set[int], list[int]]] = {}
        self._entity_words: dict[frozenset[int], frozenset[str]] = {}

    def any(self) -> bool:
        return bool(self.info or self.fixed)

    def candidates(self, i: int, elsewhere: set[int]) -> tuple[Candidate, ...]:
        """Candidates of word ``i`` for the entities that could pass the gates there;
        ``elsewhere``: ids of the entities with evidence anywhere in the text."""
        fixed = self.fixed.get(i)
        if fixed is not None:
            return fixed
        info = self.info.get(i)
        if info is None:
            return ()
        if self.named_by_source is not None and not self.named_by_source:
            return ()
        if i not in self._near:
            self._near[i] = self._evidence_near(i)
        near_ids, walk = self._near[i]
        small = near_ids | elsewhere
        keys = info.keys
        # the neighbours' pairs (WordInfo.pair_ids, pair_words: large sets in a large
        # gazetteer) are asked neighbour by neighbour, never copied into one
        neighbours = [self.info[j] for j in walk]
        if self.named_by_source is not None:
            return self._named_candidates(info, small, neighbours)
        # A person who is only a neighbour's pair passes the gates only if a neighbour is a
        # close garbling of one of its distinctive parts (close_part): that is asked first,
        # of the neighbour's few words paired with this one's, with a bounded distance.
        paired: set[str] = set()
        for nb in neighbours:
            paired |= _meet(keys, nb.pair_words)
        held = self._held_pairs(paired, walk) if paired else set()
        first_parts = self.gaz.first_parts
        relevant = {w for w in paired if not held.isdisjoint(first_parts(w).keys())} if held else set()
        if self._alone_possible(i):
            relevant |= info.non_person
            others = None
        else:
            # No place or body passes the gates here without evidence about it (the word is
            # attested or ordinary Arabic, so not "unseen"): only those near, elsewhere or a
            # neighbour's pair can, and most words have none (checked in C, by set).
            others = (small, *(nb.pair_ids for nb in neighbours))
            if not all(info.non_person_ids.isdisjoint(ids) for ids in others):
                relevant |= {w for w in info.non_person if not all(info.entity_ids_of(w).isdisjoint(ids) for ids in others)}
        # the words of the entities with evidence here (keys & each one's words, as one
        # intersection: those with evidence anywhere in the text are the same for every word)
        relevant |= _meet(keys, self._words_of(elsewhere))
        for e in self.gaz.entities_by_id(near_ids - elsewhere):
            relevant |= keys & self.gaz.entity_words(e)
        if not relevant:
            return ()
        chosen = [(k, info.match(w)) for k, w in sorted((info.pos[w], w) for w in relevant)]
        return _expand(chosen, self.gaz, (small, held), others)

    def _words_of(self, ids: set[int]) -> frozenset[str]:
        """Every word of the entities with these ids (memoised per set of ids for the text)."""
        key = frozenset(ids)
        words = self._entity_words.get(key)
        if words is None:
            entity_words = self.gaz.entity_words
            words = self._entity_words[key] = frozenset().union(*map(entity_words, self.gaz.entities_by_id(key)))
        return words

    def _held_pairs(self, paired: set[str], walk: list[int]) -> set[int]:
        """ids of the persons that a neighbour in ``walk`` garbles closely, by an unshared
        distinctive word of theirs, among the persons bearing a word of ``paired``: a superset
        of the neighbours' pairs that :meth:`close_part` can confirm (it also asks for a
        part other than the candidate's), within the neighbours' pairs."""
        held: set[int] = set()
        for j in walk:
            info = self.info[j]
            for w in paired:
                held |= info.close_siblings(w)
        return held

    def _alone_possible(self, i: int) -> bool:
        """Whether a place or body could pass the gates at word ``i`` on the spelling alone
        (:func:`_passes_gates`' last rule): only a word unseen in Arabic that morphology
        does not explain."""
        t = self.tokens[i]
        return arabic_zipf(t.text) < ATTESTED and explained_as_arabic(t.folded) is None

    def _named_candidates(self, info: WordInfo, small: set[int], neighbours: list[WordInfo]) -> tuple[Candidate, ...]:
        """:meth:`candidates` when a source is given, restricted to the entities it names
        (the others would be dropped by the gates): the same candidates in the same order,
        less the ones that cannot pass. A person's words are candidates when it is eligible
        (near or elsewhere, or a neighbour's pair); a place's or body's always."""
        keys = info.keys
        relevant: set[str] = set()
        persons: set[int] = set()
        others: set[int] = set()
        for e in self.named_by_source:
            if e.type == "person":
                if id(e) in small or any(id(e) in nb.pair_ids for nb in neighbours):
                    persons.add(id(e))
                    relevant |= keys & self.gaz.entity_words(e)
            else:
                others.add(id(e))
                relevant |= info.non_person & self.gaz.entity_words(e)
        if not relevant:
            return ()
        chosen = [(k, info.match(w)) for k, w in sorted((info.pos[w], w) for w in relevant)]
        return _expand(chosen, self.gaz, (persons,), (others,))

    def _evidence_near(self, i: int) -> tuple[set[int], list[int]]:
        """(entities named right beside word ``i`` or titled before it, the neighbours with
        index candidates, whose pairs a neighbour may garble: the words either side and past
        shared name words, a superset of :func:`_neighbours`)."""
        gaz = self.gaz
        out = _titled_here(self.tokens, i, gaz)
        walk: list[int] = []
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(self.tokens):
                shared_word, ids = _beside_data(self.tokens[j].folded, gaz)
                if ids:
                    out |= ids
                info = self.info.get(j)
                if info is not None:
                    walk.append(j)
                for o in self.fixed.get(j, ()):
                    out.add(id(o.entity))
                if not shared_word:
                    break
                j += step
        return out, walk

    def close_part(self, j: int, ent: Entity, index: int) -> bool:
        """Word ``j`` is a garbling (fit at least NEIGHBOUR_FIT) of a distinctive part of
        ``ent`` other than its part ``index``."""
        fixed = self.fixed.get(j)
        if fixed is not None:
            return any(
                o.entity is ent and o.part.index != index and o.fit >= NEIGHBOUR_FIT and not is_shared(self.gaz, o.part.folded)
                for o in fixed
            )
        info = self.info.get(j)
        if info is None:
            return False
        for w in sorted(info.keys & self.gaz.entity_words(ent), key=info.pos.get):
            if is_shared(self.gaz, w):
                continue
            m = info.match(w)
            if ent.type == "person":
                p = self.gaz.first_parts(w).get(id(ent))
            else:
                p = next((q for q in self.gaz.non_person_parts(w) if q.entity is ent), None)
            f = m.best(ent.type == "person") if p is not None else None
            if f is not None and p.index != index and f[2] >= NEIGHBOUR_FIT:
                return True
        return False


def _find_garbles(tokens: list[Token], gazetteer: Gazetteer, source: str | None, translit) -> list[Garble]:
    if source and not gazetteer.mentioned(source):
        return []  # the gates drop every entity a given source does not name (source_silent)
    words = _Words(tokens, gazetteer, source)
    if not words.any():
        return []
    named = entities_written(tokens, gazetteer)
    parts = parts_written(tokens, gazetteer)
    mentioned = gazetteer.mentioned(source) if source else frozenset()
    base = gazetteer.entity_ids(named | mentioned) | parts.keys()
    # the first pass only asks which mentions have strong evidence: the model adds none
    first = {i: _best(words, i, gazetteer, source, named, set(), base, None, parts) for i in words.positions}
    # entity → {position of a mention with strong evidence: whether that evidence is only
    # the words beside it}
    strong: dict[str, dict[int, bool]] = {}
    for i, g in first.items():
        e = g.evidence if g is not None else None
        if e is not None and (e.adjacent_part or e.title or e.source_names):
            strong.setdefault(g.candidate.entity.canonical, {})[i] = not (e.title or e.source_names)
    found = []
    for i in words.positions:
        # evidence from the other mentions only: a word does not confirm its own reading,
        # neither directly nor through a neighbour whose only evidence is this word (the two
        # halves of one name do not each count the other twice: beside it and "garbled
        # elsewhere")
        garbled = {name for name, where in strong.items() if any(_independent(words, first, j, i, beside) for j, beside in where.items())}
        if not garbled:
            # the first pass asked the same question: only the model's gaps are new, and
            # they do not take part in choosing the reading (_strength_of)
            g = first[i]
            if g is not None and translit is not None:
                gaps = model_gaps(g.candidate.reading.stem, g.candidate.part, translit, gazetteer)
                beside = neighbour_naive_gap(tokens, i, g.candidate, gazetteer, translit) if g.evidence.adjacent_garbled else -20.0
                g = Garble(g.token, g.candidate, replace(g.evidence, naive_gap=gaps[0], correct_gap=gaps[1], neighbour_naive_gap=beside))
        else:
            g = _best(words, i, gazetteer, source, named, garbled, base | gazetteer.entity_ids(garbled), translit, parts)
        if g is not None:
            found.append(g)
    # The same spelling elsewhere in the article is the same garbled name (وقال باري after
    # نبيه باري), even where it stands alone.
    by_spelling: dict[str, Garble] = {}
    for g in found:
        if g.token.folded not in by_spelling or _strength(g) > _strength(by_spelling[g.token.folded]):
            by_spelling[g.token.folded] = g
    at = {id(g.token) for g in found}
    for t in tokens:
        g = by_spelling.get(t.folded)
        if g is not None and id(t) not in at:
            found.append(Garble(t, g.candidate, g.evidence, follows=g))
    found.sort(key=lambda g: g.token.start)
    return found


def _independent(words: "_Words", first: dict, j: int, i: int, beside_only: bool) -> bool:
    """Whether mention ``j``'s strong evidence holds without word ``i``: it is another word,
    and its evidence is a title or the source, or ``i`` is not among the words beside it."""
    if j == i:
        return False
    return not beside_only or i not in _neighbours(words.tokens, j, first[j].candidate.entity, words.gaz)


def parts_written(tokens: list[Token], gazetteer: Gazetteer) -> dict[int, set[int]]:
    """ids of the persons with a family name (a part after the first, not a given name Wikidata
    people bear, not :func:`is_shared`, not spelled like a function word) written right in
    ``tokens``, clitics read off, and the positions where it is."""
    out: dict[int, set[int]] = {}
    memo = gazetteer.cache("family-name-word")
    for k, t in enumerate(tokens):
        if not t.is_arabic:
            continue
        ids = memo.get(t.folded)
        if ids is None:  # what a spelling names does not depend on the text around it
            ids = gazetteer.remember("family-name-word", t.folded, _family_name_of(t.folded, gazetteer), 100_000)
        for e in ids:
            out.setdefault(e, set()).add(k)
    return out


def _family_name_of(folded: str, gazetteer: Gazetteer) -> tuple[int, ...]:
    """ids of the persons whose family name (:func:`parts_written`) a spelling writes."""
    by_word = gazetteer.parts_by_word
    out: dict[int, None] = {}
    for r in readings(folded):
        found = by_word.get(r.stem)
        if not found or r.stem in gazetteer.given_names or is_shared(gazetteer, r.stem) or arabic_zipf(r.stem) >= FUNCTION_WORD:
            continue
        for p in found:
            # a family name: a given name (توماس) is borne by many people the gazetteer lacks
            if p.entity.type == "person" and p.index > 0:
                out[id(p.entity)] = None
    return tuple(out)


def _written_away(parts: dict[int, set[int]] | None, i: int, c: Candidate) -> bool:
    """A family name of ``c``'s entity is written right outside the span its name would take
    around word ``i`` (the words beside it are ``adjacent_part``'s evidence, not another
    mention)."""
    where = parts.get(id(c.entity)) if parts else None
    if not where:
        return False
    reach = max(c.part.form_length, 2) - 1
    return any(abs(k - i) > reach for k in where)


def _strength(g: Garble) -> float:
    e = g.evidence
    return e.adjacent_part + e.title + e.source_names + e.named_elsewhere + e.fit


def _best(
    words: _Words,
    i: int,
    gazetteer: Gazetteer,
    source: str | None,
    named: set[str],
    garbled: set[str],
    elsewhere: set[int],
    translit=None,
    parts: dict[int, set[int]] | None = None,
) -> Garble | None:
    """The best-supported reading of token ``i`` as a garbled name that passes the gates."""
    cands = words.candidates(i, elsewhere)
    if not cands:
        return None
    tokens = words.tokens
    t = tokens[i]
    best: Garble | None = None
    zipf = arabic_zipf(t.text)
    explained = explained_as_arabic(t.folded) is not None
    for c in cands:
        ent = c.entity
        stem_zipf = max(zipf, arabic_zipf(c.reading.stem))
        mentioned = gazetteer.mentioned_in(ent, source) if source else None
        adjacent = _next_to_same_name(words, i, c, gazetteer)
        adjacent_garbled = adjacent and _next_to_same_name(words, i, c, gazetteer, garbled_only=True)
        ev = Evidence(
            fit=round(c.fit, 4),
            unseen=float(stem_zipf < ATTESTED),
            rare=float(stem_zipf < 2.0),
            # someone else's name in Wikidata; the name itself without its article (شيباني) is not
            wikidata_name=float(
                c.reading.stem in gazetteer.latin_forms
                and split_article(c.reading.stem)[1] != split_article(c.part.folded)[1]
            ),
            explained=float(explained),
            ordinary=float(stem_zipf >= COMMON_WORD),
            adjacent_part=float(adjacent),
            adjacent_garbled=float(adjacent_garbled),
            title=float(_title_before(tokens, i, ent, gazetteer)),
            named_elsewhere=float(ent.canonical in named),
            garbled_elsewhere=float(ent.canonical in garbled),
            source_names=float(bool(mentioned)),
            source_silent=float(mentioned is False),
            non_person=float(ent.type != "person"),
            part_elsewhere=float(ent.canonical not in named and _written_away(parts, i, c)),
            neighbour_fit=neighbour_fit(tokens, i, c, gazetteer) if adjacent_garbled else 0.0,
        )
        if not _passes_gates(ev, tokens, i, ent, gazetteer):
            continue
        naive_gap, correct_gap = model_gaps(c.reading.stem, c.part, translit, gazetteer)
        beside = neighbour_naive_gap(tokens, i, c, gazetteer, translit) if adjacent_garbled else -20.0
        ev = replace(ev, naive_gap=naive_gap, correct_gap=correct_gap, neighbour_naive_gap=beside, **edit_features(c))
        if best is None or _strength_of(ev) > _strength_of(best.evidence):
            best = Garble(t, c, ev)
    return best


def _strength_of(ev: Evidence) -> float:
    return ev.adjacent_part + ev.title + ev.source_names + ev.named_elsewhere + ev.garbled_elsewhere + ev.fit


def _passes_gates(ev: Evidence, tokens: list[Token], i: int, ent: Entity, gazetteer: Gazetteer) -> bool:
    if ev.source_silent:
        return False  # the source does not name it, so the MT cannot have garbled it
    strongest = ev.adjacent_part or ev.source_names
    if ev.explained or ev.wikidata_name or ev.ordinary:
        return bool(strongest)
    if i > 0 and not ev.adjacent_part and _is_other_given_name(tokens[i - 1], ent, gazetteer):
        return False  # إيناس ألشراي: after someone else's first name it is their surname
    specific = strongest or ev.title or ev.named_elsewhere or ev.garbled_elsewhere or ev.part_elsewhere
    if specific:
        return True
    # a near-exact misspelling of a one-word place or body, never seen in Arabic
    return bool(ev.non_person and ev.unseen)


def _is_ordinary_word(t: Token) -> bool:
    """An ordinary Arabic word: common itself (الشارع), or attested and read as a clitic
    plus a common word (ووفده = و + وفده)."""
    own = arabic_zipf(t.text)
    if own >= COMMON_WORD:
        return True
    return own >= ATTESTED and any(arabic_zipf(r.stem) >= COMMON_WORD for r in readings(t.folded)[1:])


def _ordinary_word_in_a_name(
    tokens: list[Token], i: int, gazetteer: Gazetteer, source: str | None
) -> tuple[Candidate, ...]:
    """Readings of an ordinary word (باري, أون) as a garbled part of a person's name,
    considered only when the English source names the person and the word stands next to
    another part of that name spelled right (نبيه باري for Nabih Berri)."""
    if not source:
        return ()
    mentioned = gazetteer.mentioned(source)
    if not mentioned:
        return ()
    beside: dict[int, NamePart] = {}
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            for r in readings(tokens[j].folded):
                parts = gazetteer.parts_by_word.get(r.stem, [])
                if len(parts) > 16:  # a word many share: only the parts of the persons the source names
                    parts = sorted(
                        (p for e in gazetteer.entities_named(mentioned) for p in gazetteer.parts_by_entity.get(e, ()) if p.folded == r.stem),
                        key=gazetteer.part_index,
                    )
                beside.update((id(p), p) for p in parts)
    found = []
    for neighbour in beside.values():
        ent = neighbour.entity
        # People only: names of bodies and places are built of ordinary words.
        if ent.type != "person" or not gazetteer.mentioned_in(ent, source):
            continue
        for part in gazetteer.parts_by_entity[ent]:
            if part.index == neighbour.index:
                continue
            for reading in readings(tokens[i].folded):
                cost = name_cost(reading.stem, part.folded)
                fit = 1 - cost / tolerance(part.folded)
                if 0 < cost and fit >= 0.7:
                    found.append(Candidate(part, reading, cost, fit))
    return tuple(sorted(found, key=lambda c: -c.fit))


def _next_to_same_name(words: _Words, i: int, c: Candidate, gazetteer: Gazetteer, garbled_only: bool = False) -> bool:
    """A neighbouring word is another distinctive word of the same multi-word name (أحمد
    الشارا, باشار الشاد), spelled right or itself garbled; a shared part (محمد) does not count."""
    if c.part.form_length < 2:
        return False
    tokens = words.tokens
    for j in _neighbours(tokens, i, c.entity, gazetteer):
        for r in () if garbled_only else readings(tokens[j].folded):
            if is_shared(gazetteer, r.stem):
                continue
            for part in gazetteer.parts_by_word.get(r.stem, []):
                if part.entity is c.entity and part.index != c.part.index:
                    return True
        if words.close_part(j, c.entity, c.part.index):
            return True
    return False


def _garbled_neighbours(tokens: list[Token], i: int, c: Candidate, gazetteer: Gazetteer):
    """(reading stem, part, fit) for each reading of a neighbouring word that garbles another
    distinctive part of ``c``'s name (fit at least NEIGHBOUR_FIT)."""
    ent = c.entity
    for j in _neighbours(tokens, i, ent, gazetteer):
        for part in gazetteer.parts_by_entity.get(ent, ()):
            if part.index == c.part.index or is_shared(gazetteer, part.folded):
                continue
            tol = tolerance(part.folded)
            for r in readings(tokens[j].folded):
                cost = name_cost(r.stem, part.folded)
                if 0 < cost <= tol and 1 - cost / tol >= NEIGHBOUR_FIT:
                    yield r.stem, part, 1 - cost / tol


def neighbour_naive_gap(tokens: list[Token], i: int, c: Candidate, gazetteer: Gazetteer, translit) -> float:
    """The best naive gap (:func:`model_gaps`) of a neighbouring word for another distinctive
    part of ``c``'s name that it garbles (fit at least NEIGHBOUR_FIT): -20 without the model
    or such a neighbour. Asked only for words with a garbled part beside them (few)."""
    if translit is None:
        return -20.0
    return max((model_gaps(stem, part, translit, gazetteer)[0] for stem, part, _ in _garbled_neighbours(tokens, i, c, gazetteer)), default=-20.0)


def neighbour_fit(tokens: list[Token], i: int, c: Candidate, gazetteer: Gazetteer) -> float:
    """The best spelling fit of a garbled neighbour to its part of ``c``'s name (0 without
    one): with the word's own fit, how near the pair as a whole is to the entity's name."""
    return round(max((f for *_, f in _garbled_neighbours(tokens, i, c, gazetteer)), default=0.0), 4)


def edit_features(c: Candidate) -> dict[str, float]:
    """The edit-class fields of :class:`Evidence` for a candidate (article read off both):
    whether the class occurs, not how often (counts fitted worse on held-out rows, and a
    second letter added after the name weighed a seed garble, شارايا, under the threshold)."""
    counts = channel_edits(split_article(c.reading.stem)[1], split_article(c.part.folded)[1])
    return {k: float(n > 0) for k, n in zip(EDIT_CLASSES, counts)}


def _neighbours(tokens: list[Token], i: int, ent: Entity, gazetteer: Gazetteer) -> list[int]:
    """The words on either side, looking past a shared word of the same name (مرهف أبو كاسرا:
    أبو is part of the name, but many people's)."""
    own = gazetteer.entity_words(ent)
    out = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens):
            out.append(j)
            if not any(r.stem in own and is_shared(gazetteer, r.stem) for r in readings(tokens[j].folded)):
                break
            j += step
    return out


def _is_other_given_name(t: Token, entity: Entity, gazetteer: Gazetteer) -> bool:
    if not t.is_arabic or t.folded not in gazetteer.given_names:
        return False
    return all(t.folded not in {fold(w) for w in form.split()} for form in entity.forms)
