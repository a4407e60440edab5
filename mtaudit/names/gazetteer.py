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

import regex

from ..normalize import fold, prefix_splits
from ..tokens import words
from .channel import ARTICLE, skeleton, split_article
from .conventions import Convention, convention_forms
from .retrieval import SkeletonIndex

ENTITY_TYPES = ("person", "organisation", "place")


@contextmanager
def bulk_build():
    """No cyclic garbage collection while building many small objects that all stay alive
    (the gazetteer's entities and indexes): the collector's repeated passes over them
    doubled the time to load a 50k-row gazetteer. The caller's setting is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
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
        self._skeletons: SkeletonIndex[NamePart] | None = None

    def parts_near(self, observed_skeleton: str) -> list[NamePart]:
        """Distinctive name parts whose skeleton is within one edit of ``observed_skeleton``,
        found through a deletion index (mtaudit.names.retrieval), not a scan."""
        if self._skeletons is None:
            self._skeletons = SkeletonIndex(
                (skeleton(split_article(p.folded)[1]), p) for p in self.distinctive_parts()
            )
        return self._skeletons.near(observed_skeleton)

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

    def cache(self, name: str) -> dict:
        """A memo dict that lives as long as this gazetteer (checks cache derived data here)."""
        return self._caches.setdefault(name, {})

    def is_accepted(self, folded_word: str) -> bool:
        """True when the word, or the word after its clitics (و ف ب ل ك), is an accepted name word."""
        for prefix, stem in prefix_splits(folded_word):
            if stem in self.accepted:
                return True
            if prefix.endswith("ل") and ARTICLE + stem in self.accepted:
                return True  # للشرع = ل + الشرع
        return False

    def mentioned_in(self, entity: Entity, source: str) -> bool:
        """True when the English ``source`` uses one of the entity's English forms (case-sensitive,
        whole words). A form two entities share (Aoun: Joseph and Michel Aoun) counts for
        this one only when the source does not name the other in full (President Joseph
        Aoun ... Aoun said is Joseph's, not Michel's)."""
        own, shared = self._english_patterns(entity)
        if own is not None and own.search(source):
            return True
        if shared is None or not shared.search(source):
            return False
        rivals = {id(o): o for form in entity.english for o in self.by_english.get(form.lower(), ()) if o is not entity}
        for rival in rivals.values():
            rival_own = self._english_patterns(rival)[0]
            if rival_own is not None and rival_own.search(source):
                return False  # the shared surname is the rival's, named in full
        return True

    def _english_patterns(self, entity: Entity):
        """(pattern of the forms only this entity has, pattern of the shared ones), compiled once."""
        patterns = self.cache("english-patterns")
        if entity.canonical not in patterns:
            def owners(form: str) -> int:
                return len({id(o) for o in self.by_english.get(form.lower(), ())})

            own = [e for e in entity.english if e.strip() and owners(e) <= 1]
            shared = [e for e in entity.english if e.strip() and owners(e) > 1]

            def compile_(forms):
                if not forms:
                    return None
                alternatives = "|".join(sorted((regex.escape(f) for f in forms), key=len, reverse=True))
                return regex.compile(rf"(?<!\p{{L}})(?:{alternatives})(?!\p{{L}})")

            patterns[entity.canonical] = (compile_(own), compile_(shared))
        return patterns[entity.canonical]

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
