"""The names gazetteer: entities, their accepted Arabic forms, English forms and titles.

Loaded from references/gazetteer_curated.tsv (curated, cited) and any newsroom style list
of the same format (``--references DIR`` or ``--names FILE``), whose rows add to the
defaults and replace a default row with the same canonical form. references/name_forms.tsv
(built by scripts/build_name_forms.py from the CC0 Wikidata names shipped in
arabic-name-romanizer) adds how Arabic name words are spelled in Latin script.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

import regex

from ..text.normalize import fold, prefix_splits
from ..text.tokens import words
from .channel import ARTICLE, skeleton, split_article
from .conventions import Convention, convention_forms
from .retrieval import SkeletonIndex

ENTITY_TYPES = ("person", "organisation", "place")


@contextmanager
def bulk_build():
    """No cyclic garbage collection while building many small objects that all stay alive
    (the gazetteer's entities and indexes): the collector's repeated passes over them
    doubled the time to load a 50k-row gazetteer. The caller's setting is restored, and the
    objects built are then frozen out of the collector's reach (gc.freeze): otherwise every
    full collection walks the whole gazetteer again, and the checks' small allocations
    trigger one every few milliseconds, so the cost per word grew with the gazetteer."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Entity:
    canonical: str
    english: tuple[str, ...]
    type: str
    variants: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    wikidata: str = ""
    note: str = ""
    origin: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.canonical, *self.variants)


@dataclass(frozen=True)
class NamePart:
    """One word of an accepted form of an entity, as a target for garble detection."""

    entity: Entity
    word: str  # as written in the gazetteer
    folded: str
    index: int  # position in its form
    form_length: int  # words in its form


@dataclass
class Gazetteer:
    entities: list[Entity]
    #: folded Arabic name word → [(Latin spelling, count)] from Wikidata
    latin_forms: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: folded given name → how many Wikidata people bear it
    given_names: dict[str, int] = field(default_factory=dict)
    #: house spelling conventions (references/spelling_conventions.tsv)
    conventions: list[Convention] = field(default_factory=list)
    #: English given names (references/english_given_names.tsv), capitalised
    english_given_names: frozenset[str] = frozenset()
    #: English words that stand before a person's name (references/person_titles.tsv), lower-cased
    person_titles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        with bulk_build():
            self._index()

    def _index(self) -> None:
        self.accepted: dict[str, list[Entity]] = {}  # folded word → entities using it
        self.accepted_forms: dict[str, Entity] = {}  # folded full form → entity
        self.parts: list[NamePart] = []
        self.parts_by_word: dict[str, list[NamePart]] = {}
        self.parts_by_entity: dict[Entity, list[NamePart]] = {}
        self.by_english: dict[str, list[Entity]] = {}
        #: folded spelling an active convention explains → (entity, convention ids)
        self.by_convention: dict[str, tuple[Entity, str]] = {}
        #: first word of a full form → (its folded words, entity)
        self._forms_by_first: dict[str, list[tuple[tuple[str, ...], Entity]]] = {}
        self._caches: dict[str, dict] = {}
        # The entities each word's list already holds, as a set: a membership test on the list
        # itself made building 50k rows quadratic in the entities sharing a common word (محمد).
        listed: dict[str, set[Entity]] = {}
        folds: dict[str, str] = {}  # a name word is folded once, however many entities use it
        for ent in self.entities:
            for form in ent.forms:
                ws = words(form)
                folded = [folds[w] if w in folds else folds.setdefault(w, fold(w)) for w in ws]
                folded_words = tuple(folded)
                self.accepted_forms[" ".join(folded)] = ent
                if folded_words:
                    self._forms_by_first.setdefault(folded_words[0], []).append((folded_words, ent))
                for i, (w, f) in enumerate(zip(ws, folded)):
                    seen = listed.setdefault(f, set())
                    if ent not in seen:
                        seen.add(ent)
                        self.accepted.setdefault(f, []).append(ent)
                    part = NamePart(ent, w, f, i, len(ws))
                    self.parts.append(part)
                    self.parts_by_word.setdefault(f, []).append(part)
                    self.parts_by_entity.setdefault(ent, []).append(part)
            for eng in ent.english:
                self.by_english.setdefault(eng.lower(), []).append(ent)
        # Spellings a house convention explains are accepted too (جوتيريش beside غوتيريش).
        for part in list(self.parts):
            english = " ".join(part.entity.english)
            for variant, used in convention_forms(part.folded, self.conventions, english).items():
                if variant not in self.accepted:
                    self.by_convention[variant] = (part.entity, used)
                    self.accepted[variant] = [part.entity]
        self._skeletons: SkeletonIndex[str] | None = None
        self._entity_order = {id(e): k for k, e in enumerate(self.entities)}
        self._entity_by_id = {id(e): e for e in self.entities}
        self._part_index = {id(p): k for k, p in enumerate(self.parts)}
        self._parts_of_word: dict[str, list[NamePart]] = {}
        self._part_order: dict[int, int] = {}
        self._first_parts: dict[str, dict[int, NamePart]] = {}
        self._non_person_parts: dict[str, list[NamePart]] = {}
        self._non_person_seen: dict[str, set[int]] = {}
        # Full forms of two or more words by their first two words: finding the forms written
        # at a position costs the same whether 300 or 30,000 entities start with محمد.
        self._forms_by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], Entity]]] = {}
        for first, forms in self._forms_by_first.items():
            for form_words, ent in forms:
                if len(form_words) >= 2:
                    self._forms_by_pair.setdefault((first, form_words[1]), []).append((form_words, ent))
        self._pair_firsts = frozenset(first for first, _ in self._forms_by_pair)
        # Folded titles → the entities that bear them; and English forms by their first word.
        self.by_title: dict[str, list[Entity]] = {}
        for ent in self.entities:
            for t in ent.titles:
                self.by_title.setdefault(fold(t), []).append(ent)
        self.longest_title = max((len(t) for t in self.by_title), default=0)
        self._english_by_first: dict[str, list[Entity]] = {}
        self._english_odd: list[Entity] = []  # forms that do not open with a letter
        for ent in self.entities:
            for form in ent.english:
                first = regex.match(r"\p{L}+", form)
                if first is None:
                    self._english_odd.append(ent)
                else:
                    self._english_by_first.setdefault(first.group(), []).append(ent)

    def _word_index(self) -> SkeletonIndex[str]:
        """The deletion index over the distinct words of the distinctive name parts (built on
        first use): one entry per word, however many entities share it."""
        if self._skeletons is None:
            with bulk_build():
                self._build_word_index()
        return self._skeletons

    def _build_word_index(self) -> None:
        by_word = self._parts_of_word
        for k, p in enumerate(self.distinctive_parts()):
            by_word.setdefault(p.folded, []).append(p)
            self._part_order[id(p)] = k
            if p.entity.type == "person":
                self._first_parts.setdefault(p.folded, {}).setdefault(id(p.entity), p)
            elif id(p.entity) not in self._non_person_seen.setdefault(p.folded, set()):
                self._non_person_seen[p.folded].add(id(p.entity))
                self._non_person_parts.setdefault(p.folded, []).append(p)
        self._word_rank = {w: k for k, w in enumerate(by_word)}
        self._distinctive_words = frozenset(by_word)
        self._skeletons = SkeletonIndex((skeleton(split_article(w)[1]), w) for w in by_word)
        self._non_person_words = frozenset(self._non_person_parts)

    def entity_words(self, entity: Entity) -> frozenset[str]:
        """The folded words of the entity's accepted forms (memoised)."""
        cache = self.cache("entity-words")
        words_ = cache.get(id(entity))
        if words_ is None:
            if not cache:
                # every entity's at once, on first use (about 25 ms for a built gazetteer of
                # 25,000): the garble matcher asks for thousands of them on its first
                # article, one by one at several times that
                folded = attrgetter("folded")
                cache.update((id(e), frozenset(map(folded, parts))) for e, parts in self.parts_by_entity.items())
                words_ = cache.get(id(entity))
            if words_ is None:  # an entity without parts, or equal to one of them but not it
                words_ = cache[id(entity)] = frozenset(p.folded for p in self.parts_by_entity.get(entity, ()))
        return words_

    def entity_ids(self, canonicals) -> set[int]:
        """ids of the entities with these canonical forms."""
        if not hasattr(self, "_by_canonical"):
            self._by_canonical: dict[str, list[Entity]] = {}
            for e in self.entities:
                self._by_canonical.setdefault(e.canonical, []).append(e)
        return {id(e) for c in canonicals for e in self._by_canonical.get(c, ())}

    def entities_named(self, canonicals) -> list[Entity]:
        """The entities with these canonical forms, in gazetteer order."""
        ids = self.entity_ids(canonicals)
        return sorted((e for c in canonicals for e in self._by_canonical.get(c, ())), key=lambda e: self._entity_order[id(e)]) if ids else []

    def part_index(self, part: NamePart) -> int:
        """Where a part stands among all the gazetteer's parts."""
        return self._part_index[id(part)]

    def non_person_words(self) -> frozenset[str]:
        """Distinctive words that a place or a body bears."""
        self._word_index()
        return self._non_person_words

    def sibling_words(self, folded_word: str) -> frozenset[str]:
        """Every word of the persons who have a distinctive part spelled ``folded_word``."""
        cache = self.cache("sibling-words")
        out = cache.get(folded_word)
        if out is None:
            # one union of the persons' memoised word sets (a common word's persons are
            # hundreds in a built gazetteer, and this is asked for every word near a spelling)
            known = self.cache("entity-words")
            entity_words = self.entity_words
            persons = [p.entity for p in self.first_parts(folded_word).values()]
            out = cache[folded_word] = frozenset().union(*[known.get(id(e)) or entity_words(e) for e in persons])
        return out

    def entities_by_id(self, ids) -> list[Entity]:
        """The entities with these ids (ids of this gazetteer's entities)."""
        by_id = self._entity_by_id
        return [by_id[i] for i in ids if i in by_id]

    def word_entity_ids(self, folded_word: str) -> frozenset[int]:
        """ids of the entities with a distinctive part spelled ``folded_word`` (memoised)."""
        cache = self.cache("word-entity-ids")
        ids = cache.get(folded_word)
        if ids is None:
            ids = cache[folded_word] = frozenset(id(p.entity) for p in self.parts_of_word(folded_word))
        return ids

    def part_order(self, part: NamePart) -> int:
        """Where a distinctive part stands in the gazetteer (for a stable order)."""
        return self._part_order[id(part)]

    def first_parts(self, folded_word: str) -> dict[int, NamePart]:
        """id(person) → the person's first distinctive part spelled ``folded_word``."""
        self._word_index()
        return self._first_parts.get(folded_word, {})

    def non_person_parts(self, folded_word: str) -> list[NamePart]:
        """The first distinctive part spelled ``folded_word`` of each place and body."""
        self._word_index()
        return self._non_person_parts.get(folded_word, [])

    def words_near(self, observed_skeleton: str) -> list[str]:
        """Distinct distinctive name words whose skeleton is within one edit of
        ``observed_skeleton``, found through a deletion index (mtaudit.names.retrieval)."""
        cache = self.cache("words-near")
        found = cache.get(observed_skeleton)
        if found is None:
            found = self.remember("words-near", observed_skeleton, self._word_index().near(observed_skeleton))
        return found

    def distinctive_words(self) -> frozenset[str]:
        """The folded words of the distinctive parts (:meth:`distinctive_parts`), built with
        the word index."""
        self._word_index()
        return self._distinctive_words

    def word_rank(self, folded_word: str) -> int:
        """Where an indexed word stands in the deletion index (its insertion order)."""
        self._word_index()
        return self._word_rank[folded_word]

    def parts_of_word(self, folded_word: str) -> list[NamePart]:
        """The distinctive name parts spelled ``folded_word``, in gazetteer order."""
        self._word_index()
        return self._parts_of_word.get(folded_word, [])

    def parts_near(self, observed_skeleton: str) -> list[NamePart]:
        """Distinctive name parts whose skeleton is within one edit of ``observed_skeleton``."""
        return [p for w in self.words_near(observed_skeleton) for p in self._parts_of_word[w]]

    def english_words(self) -> frozenset[str]:
        """Every word of every English form, as written (Sharaa, Lavrov, Hmeimim, WHO)."""
        cache = self.cache("english-words")
        if "words" not in cache:
            cache["words"] = frozenset(
                w for e in self.entities for form in e.english for w in regex.findall(r"\p{L}+", form)
            )
        return cache["words"]

    def forms_starting(self, folded_word: str) -> list[tuple[tuple[str, ...], Entity]]:
        """Accepted full forms whose first word is ``folded_word``: (their folded words, entity)."""
        return self._forms_by_first.get(folded_word, [])

    def opens_a_form(self, folded_word: str) -> bool:
        """Some accepted full form of two or more words begins with this word."""
        return folded_word in self._pair_firsts

    def forms_starting_with_pair(self, first: str, second: str) -> list[tuple[tuple[str, ...], Entity]]:
        """Accepted full forms of two or more words that open with ``first second``."""
        return self._forms_by_pair.get((first, second), [])

    def may_end_a_title(self, folded_word: str) -> bool:
        """Whether a text whose last word is ``folded_word`` can end with a title: a title
        the text ends with ends with the title's last word, which is then a suffix of the
        text's last word (memoised per word; most words end none)."""
        cache = self.cache("may-end-a-title")
        found = cache.get(folded_word)
        if found is None:
            tails = self.__dict__.get("_title_tails")
            if tails is None:
                tails = self._title_tails = frozenset(t[t.rfind(" ") + 1 :] for t in self.by_title)
            found = any(folded_word[k:] in tails for k in range(len(folded_word) + 1))
            self.remember("may-end-a-title", folded_word, found, 100_000)
        return found

    def entities_titled(self, folded_text: str) -> set[int]:
        """ids of the entities one of whose titles ``folded_text`` ends with."""
        out: set[int] = set()
        if not self.may_end_a_title(folded_text[folded_text.rfind(" ") + 1 :]):
            return out
        n = len(folded_text)
        for k in range(max(0, n - self.longest_title), n):
            for ent in self.by_title.get(folded_text[k:], ()):
                out.add(id(ent))
        return out

    def __getstate__(self) -> dict:
        """What a pickle keeps (mtaudit.knowledge.compiled stores the built gazetteer): everything but
        the maps keyed by ``id()`` of entities and parts and the lazy word index and memos,
        which would point at the old objects' ids; :meth:`__setstate__` rebuilds them."""
        state = dict(self.__dict__)
        for lazy in ("_entity_order", "_entity_by_id", "_part_index", "_part_order", "_first_parts",
                     "_parts_of_word", "_non_person_parts", "_non_person_seen", "_caches", "_skeletons", "_word_rank", "_distinctive_words",
                     "_title_tails"):
            state.pop(lazy, None)
        state.pop("_non_person_words", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._skeletons = None
        self._entity_order = {id(e): k for k, e in enumerate(self.entities)}
        self._entity_by_id = {id(e): e for e in self.entities}
        self._part_index = {id(p): k for k, p in enumerate(self.parts)}
        self._parts_of_word, self._part_order, self._first_parts = {}, {}, {}
        self._non_person_parts, self._non_person_seen = {}, {}
        self._caches = {}

    def cache(self, name: str) -> dict:
        """A memo dict that lives as long as this gazetteer (checks cache derived data here)."""
        found = self._caches.get(name)  # not setdefault: it would make a dict at every call
        if found is None:
            found = self._caches[name] = {}
        return found

    def remember(self, name: str, key, value, limit: int = 50_000):
        """Store ``value`` in memo ``name``, dropping its oldest entry beyond ``limit``
        entries (memos keyed by text words must not grow without bound over a long batch)."""
        cache = self.cache(name)
        if len(cache) >= limit:
            cache.pop(next(iter(cache)))
        cache[key] = value
        return value

    def is_accepted(self, folded_word: str) -> bool:
        """True when the word, or the word after its clitics (و ف ب ل ك), is an accepted name word."""
        for prefix, stem in prefix_splits(folded_word):
            if stem in self.accepted:
                return True
            if prefix.endswith("ل") and ARTICLE + stem in self.accepted:
                return True  # للشرع = ل + الشرع
        return False

    def mentioned(self, source: str) -> frozenset[str]:
        """Canonical forms of the entities the English ``source`` names (:meth:`mentioned_in`
        for every entity at once). Only entities with an English form that opens with a word
        of the source are tested, so the cost follows the source, not the gazetteer; the
        last sources are memoised."""
        cache = self.cache("mentioned")
        found = cache.get(source)
        if found is None:
            tested: dict[int, Entity] = {id(e): e for e in self._english_odd}
            for w in set(regex.findall(r"\p{L}+", source)):
                for e in self._english_by_first.get(w, ()):
                    tested[id(e)] = e
            found = frozenset(e.canonical for e in tested.values() if self._mentioned_in(e, source))
            if len(cache) >= 256:
                cache.pop(next(iter(cache)))
            cache[source] = found
        return found

    def mentioned_in(self, entity: Entity, source: str) -> bool:
        """True when the English ``source`` names the entity (see :meth:`_mentioned_in`)."""
        return entity.canonical in self.mentioned(source)

    def _mentioned_in(self, entity: Entity, source: str) -> bool:
        """True when the English ``source`` uses one of the entity's English forms (case-sensitive,
        whole words). A form two entities share (Aoun: Joseph and Michel Aoun) counts for
        this one only when the source does not name the other in full (President Joseph
        Aoun ... Aoun said is Joseph's, not Michel's)."""
        own, shared = self._english_forms(entity)
        if _names_any(own, source):
            return True
        if not _names_any(shared, source):
            return False
        rivals = {id(o): o for form in entity.english for o in self.by_english.get(form.lower(), ()) if o is not entity}
        for rival in rivals.values():
            if _names_any(self._english_forms(rival)[0], source):
                return False  # the shared surname is the rival's, named in full
        return True

    def _english_forms(self, entity: Entity) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the English forms only this entity has, the shared ones), longest first; memoised
        by canonical form."""
        memo = self.cache("english-forms")
        found = memo.get(entity.canonical)
        if found is None:
            def owners(form: str) -> int:
                return len({id(o) for o in self.by_english.get(form.lower(), ())})

            own = [e for e in entity.english if e.strip() and owners(e) <= 1]
            shared = [e for e in entity.english if e.strip() and owners(e) > 1]
            found = memo[entity.canonical] = (tuple(sorted(own, key=len, reverse=True)), tuple(sorted(shared, key=len, reverse=True)))
        return found

    def arabic_for_latin(self, latin: str) -> list[str]:
        """Arabic name words (folded) that Wikidata people spell ``latin`` in Latin script,
        keeping the usual ones (at least 3 people and a tenth of that spelling's uses)."""
        index = self.cache("latin-to-arabic")
        if not index:
            counts: dict[str, dict[str, int]] = {}
            for arabic, spellings in self.latin_forms.items():
                for spelling, n in spellings:
                    by = counts.setdefault(spelling.lower(), {})
                    by[arabic] = by.get(arabic, 0) + n
            for spelling, by in counts.items():
                total = sum(by.values())
                index[spelling] = sorted((a for a, n in by.items() if n >= 3 and n >= total / 10), key=lambda a: -by[a])
        return index.get(latin.lower(), [])

    def distinctive_parts(self) -> list[NamePart]:
        """Name words worth correcting towards: those of persons, and one-word places and
        bodies; long enough, and not ordinary Arabic words (a first name like أحمد is
        common in the language but is still a name; جامعة is not)."""
        out = []
        for p in self.parts:
            _, stem = split_article(p.folded)
            if len(stem) < 3:
                continue
            if p.entity.type != "person" and p.form_length > 1:
                continue
            out.append(p)
        return out

    def lookup(self, text: str) -> list[dict]:
        """What is known about a form: exact entities, entities containing its words, Latin spellings."""
        folded = " ".join(fold(w) for w in words(text))
        found = []
        if folded in self.accepted_forms:
            found.append(("exact form", self.accepted_forms[folded]))
        for w in folded.split():
            for ent in self.accepted.get(w, []):
                found.append((f"contains the word {w}", ent))
        for ent in self.by_english.get(text.strip().lower(), []):
            found.append(("English form", ent))
        seen = set()
        rows = []
        for how, ent in found:
            if ent.canonical in seen:
                continue
            seen.add(ent.canonical)
            rows.append({"match": how, **_entity_dict(ent)})
        for w in folded.split():
            if w in self.latin_forms:
                totals: dict[str, int] = {}
                for latin, n in self.latin_forms[w]:
                    totals[latin] = totals.get(latin, 0) + n
                best = sorted(totals.items(), key=lambda kv: -kv[1])[:8]
                rows.append({"match": f"Wikidata Latin spellings of {w}", "latin": best})
        return rows


_LETTER = regex.compile(r"\p{L}")


def _names_any(forms: tuple[str, ...], text: str) -> bool:
    """True when ``text`` contains one of ``forms`` as whole words (case-sensitive; not
    inside a longer run of letters). A plain substring search with the boundary tested where
    a form occurs: compiling one pattern per entity cost more than the searches."""
    for form in forms:
        at = text.find(form)
        while at != -1:
            end = at + len(form)
            if (at == 0 or not _LETTER.match(text, at - 1)) and (end == len(text) or not _LETTER.match(text, end)):
                return True
            at = text.find(form, at + 1)
    return False


def _entity_dict(ent: Entity) -> dict:
    return {
        "canonical": ent.canonical,
        "english": list(ent.english),
        "type": ent.type,
        "variants": list(ent.variants),
        "titles": list(ent.titles),
        "wikidata": ent.wikidata,
        "note": ent.note,
        "origin": ent.origin,
    }
