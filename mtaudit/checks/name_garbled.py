"""Garbled transliterated names, corrected from the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from rapidfuzz.distance import Levenshtein

from . import CheckContext, check
from ..frequency import arabic_zipf
from ..names import Entity, Gazetteer, NamePart
from ..normalize import fold
from ..tokens import Token, tokenize
from ..names.channel import ARTICLE, name_cost, skeleton, split_article, tolerance
from ..types import Severity

# Clitics a name can carry (the article is part of the name itself).
# ك ("like") is left out: on a name it is rare, and reading it off makes names of words.
_CLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")
_COMMON_WORD = 3.0  # zipf at or above which a word is ordinary Arabic, not a garble
_ATTESTED = 1.0  # zipf at or above which a spelling is seen in real Arabic text
_FLAG_AT = 0.55
_MIN_FIT = 0.3  # spellings fitting a name worse than this are not considered, whatever the context
_FIT_ALONE = 0.7  # spellings fitting worse than this are flagged only with some context
_NON_PERSON_MAX_COST = 0.4  # places and bodies are rarely garbled: only near-exact misspellings
_SUN_LETTERS = set("تثدذرزسشصضطظلن")


def rarity(zipf: float) -> float:
    """Evidence that a spelling is not a real word: 1.0 for unseen, less the more common."""
    if zipf < 1.0:
        return 1.0
    if zipf < 2.0:
        return 0.85
    if zipf < 2.5:
        return 0.7
    return 0.5


@dataclass(frozen=True)
class Reading:
    clitic: str  # و ب ل ... before the name
    stem: str  # folded word, with its article if any


def readings(folded: str) -> list[Reading]:
    out = [Reading("", folded)]
    for c in _CLITICS:
        if folded.startswith(c) and len(folded) - len(c) >= 3:
            rest = folded[len(c) :]
            if c.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
                out.append(Reading(c, ARTICLE + rest[1:]))  # للشارا = ل + الشارا
            out.append(Reading(c, rest))
    return out


def with_clitic(clitic: str, word: str) -> str:
    """Attach a clitic to a correctly spelled word (ل + الشرع → للشرع)."""
    if clitic.endswith("ل") and word.startswith("ال"):
        return clitic + word[1:]
    return clitic + word


@dataclass(frozen=True)
class Candidate:
    part: NamePart
    reading: Reading
    cost: float
    base: float  # 1 - cost / tolerance: how well the spelling fits the name

    @property
    def entity(self) -> Entity:
        return self.part.entity


def candidates(folded: str, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    """Gazetteer name words that ``folded`` could be a garbling of, best first (memoised
    on the gazetteer: a batch repeats the same words)."""
    cache = gazetteer.cache("garble-candidates")
    if folded not in cache:
        cache[folded] = _candidates(folded, gazetteer)
    return cache[folded]


def _candidates(folded: str, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    index = gazetteer.cache("skeletons")
    if not index:
        index.update({i: (p, skeleton(split_article(p.folded)[1])) for i, p in enumerate(gazetteer.distinctive_parts())})
    found: dict[tuple[str, str], Candidate] = {}
    for reading in readings(folded):
        obs_skel = skeleton(split_article(reading.stem)[1])
        if len(obs_skel) < 2:
            continue
        for part, part_skel in index.values():
            # Cheap filter on the consonant skeletons before the weighted distance.
            if abs(len(part_skel) - len(obs_skel)) > 1 or Levenshtein.distance(part_skel, obs_skel) > 1:
                continue
            cost = name_cost(reading.stem, part.folded)
            tol = tolerance(part.folded)
            if cost == 0 or cost > tol or (part.entity.type != "person" and cost > _NON_PERSON_MAX_COST):
                continue
            key = (part.entity.canonical, part.folded)
            cand = Candidate(part, reading, cost, 1 - cost / tol)
            if key not in found or cand.base > found[key].base:
                found[key] = cand
    return tuple(sorted(found.values(), key=lambda c: -c.base))


def _title_before(tokens: list[Token], i: int, titles: tuple[str, ...]) -> bool:
    before = " ".join(t.folded for t in tokens[max(0, i - 4) : i])
    return any(before.endswith(fold(t)) for t in titles)


def _source_mentions(source: str | None, entity: Entity, gazetteer: Gazetteer) -> bool | None:
    """True/False when a source is given and does/does not name the entity; None without source."""
    if not source:
        return None
    return gazetteer.mentioned_in(entity, source)


@dataclass(frozen=True)
class Garble:
    token: Token
    candidate: Candidate
    score: float
    reasons: tuple[str, ...]


def find_garbles(tokens: list[Token], gazetteer: Gazetteer, source: str | None) -> list[Garble]:
    """Tokens that are likely garblings of gazetteer names, with the evidence for each.

    Two passes: the first scores every token on its own; the second adds, as evidence,
    that the same entity is already named in the article (spelled right, or garbled with
    strong evidence), so a weakly garbled mention (شارايا) is caught once the article has
    shown whose name it is.
    """
    named = {ent.canonical for t in tokens for ent in _accepted_entities(t.folded, gazetteer)}
    cands: list[tuple[Candidate, ...]] = []
    for i, t in enumerate(tokens):
        if not t.is_arabic or gazetteer.is_accepted(t.folded):
            cands.append(())
        elif _is_ordinary_word(t):
            cands.append(_ordinary_word_in_a_name(tokens, i, gazetteer, source))
        else:
            cands.append(tuple(c for c in candidates(t.folded, gazetteer) if c.base >= _MIN_FIT))

    first = [_best(tokens, cands, i, gazetteer, source, named) for i in range(len(tokens))]
    flagged_at: dict[str, set[int]] = {}
    for i, g in enumerate(first):
        if g is not None and g.score >= _FLAG_AT:
            flagged_at.setdefault(g.candidate.entity.canonical, set()).add(i)
    found = []
    for i in range(len(tokens)):
        # evidence from the other mentions only: a word does not confirm its own reading
        confirmed = named | {name for name, where in flagged_at.items() if where - {i}}
        g = _best(tokens, cands, i, gazetteer, source, confirmed)
        if g is not None and g.score >= _FLAG_AT:
            found.append(g)
    # The same spelling elsewhere in the article is the same garbled name (وقال باري after
    # نبيه باري), even where it stands alone.
    by_spelling = {g.token.folded: g for g in found}
    at = {id(g.token) for g in found}
    for t in tokens:
        g = by_spelling.get(t.folded)
        if g is not None and id(t) not in at:
            found.append(Garble(t, g.candidate, g.score, ("spelled like a garbled mention of the name nearby",)))
    found.sort(key=lambda g: g.token.start)
    return found


def _best(
    tokens: list[Token],
    cands: list[tuple[Candidate, ...]],
    i: int,
    gazetteer: Gazetteer,
    source: str | None,
    named: set[str],
) -> Garble | None:
    """The best-scoring reading of token ``i`` as a garbled name, or None."""
    t = tokens[i]
    best: Garble | None = None
    for c in cands[i]:
        ent = c.entity
        score = c.base * rarity(max(arabic_zipf(t.text), arabic_zipf(c.reading.stem)))
        reasons = [f"spelling distance {c.cost:.2f}"]
        if c.reading.stem in gazetteer.latin_forms:
            score *= 0.7  # a real name elsewhere (Wikidata), so weaker evidence of garbling
        if _next_to_same_name(tokens, cands, i, c, gazetteer):
            score += 0.3
            reasons.append("next to another part of the same name")
        elif i > 0 and _is_other_given_name(tokens[i - 1], ent, gazetteer):
            score -= 0.6  # إيناس ألشراي: after someone else's first name it is their surname
        if _title_before(tokens, i, ent.titles):
            score += 0.2
            reasons.append("after the name's title")
        if ent.canonical in named:
            score += 0.2
            reasons.append("the entity is named elsewhere in the article")
        mentioned = _source_mentions(source, ent, gazetteer)
        if mentioned:
            score += 0.35
            reasons.append("the English source names it")
        elif mentioned is False:
            score -= 0.5  # the source does not name it, so the MT cannot have garbled it
        if len(reasons) == 1 and c.base < _FIT_ALONE:
            continue  # a loose fit needs context: the rest of the name, a title, the source
        if best is None or score > best.score:
            best = Garble(t, c, score, tuple(reasons))
    return best


def _is_ordinary_word(t: Token) -> bool:
    """An ordinary Arabic word: common itself (الشارع), or attested and read as a clitic
    plus a common word (ووفده = و + وفده). A clitic reading alone is not enough: باشار
    splits into ب + أشار, yet nobody writes that."""
    own = arabic_zipf(t.text)
    if own >= _COMMON_WORD:
        return True
    return own >= _ATTESTED and any(arabic_zipf(r.stem) >= _COMMON_WORD for r in readings(t.folded)[1:])


def _ordinary_word_in_a_name(
    tokens: list[Token], i: int, gazetteer: Gazetteer, source: str | None
) -> tuple[Candidate, ...]:
    """Readings of an ordinary word (باري, أون) as a garbled part of a person's name,
    allowed only on the strongest evidence: the English source names the person and the
    word stands next to another part of that name spelled right (نبيه باري for Nabih
    Berri, جوزيف أون for Joseph Aoun). Without a source an ordinary word is never taken
    for a name."""
    if not source:
        return ()
    beside: dict[int, NamePart] = {}  # the parts spelled right next to the word
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            for r in readings(tokens[j].folded):
                beside.update((id(p), p) for p in gazetteer.parts_by_word.get(r.stem, []))
    found = []
    for neighbour in beside.values():
        ent = neighbour.entity
        # People only: names of bodies and places are built of ordinary words
        # (منظومة الأمم المتحدة is the UN system, not a garbled منظمة).
        if ent.type != "person" or not gazetteer.mentioned_in(ent, source):
            continue
        # Compared with the entity's other words directly: short names (عون, بري) have
        # too few consonants for the skeleton index.
        for part in gazetteer.parts_by_entity[ent]:
            if part.index == neighbour.index:
                continue
            for reading in readings(tokens[i].folded):
                cost = name_cost(reading.stem, part.folded)
                fit = 1 - cost / tolerance(part.folded)
                if 0 < cost and fit >= _FIT_ALONE:
                    found.append(Candidate(part, reading, cost, fit))
    return tuple(sorted(found, key=lambda c: -c.base))


def _next_to_same_name(tokens: list[Token], cands: list, i: int, c: Candidate, gazetteer: Gazetteer) -> bool:
    """A neighbouring word is another word of the same multi-word name (أحمد الشارا,
    باشار الشاد), whether spelled right or itself garbled."""
    if c.part.form_length < 2:
        return False
    for j in (i - 1, i + 1):
        if not 0 <= j < len(tokens):
            continue
        for r in readings(tokens[j].folded):
            for part in gazetteer.parts_by_word.get(r.stem, []):
                if part.entity is c.entity and part.index != c.part.index:
                    return True
        if any(o.entity is c.entity and o.part.index != c.part.index for o in cands[j][:2]):
            return True
    return False


def _is_other_given_name(t: Token, entity: Entity, gazetteer: Gazetteer) -> bool:
    if not t.is_arabic or t.folded not in gazetteer.given_names:
        return False
    return all(t.folded not in {fold(w) for w in form.split()} for form in entity.forms)


def _accepted_entities(folded: str, gazetteer: Gazetteer) -> list[Entity]:
    out: list[Entity] = []
    for r in readings(folded):
        out.extend(gazetteer.accepted.get(r.stem, []))
    return out


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
    rest = fold(text[2:])
    if not (rest.endswith("ي") or rest in gazetteer.latin_forms or ARTICLE + rest in gazetteer.latin_forms):
        return None
    return "ا" + text[1:]


@check(
    "name-garbled",
    severity=Severity.MAJOR,
    category="name",
    version="2",
    scope="article",
    resources=("gazetteer",),
)
def name_garbled(ctx: CheckContext):
    """Garbled name: a known name mangled by transliteration through English.

    Machine translation from English wire copy turns Arabic names into the English
    spelling written back in Arabic letters: ع ح ء ه lost or turned into alef
    (الشرع → الشارا, أسعد → آساد), short vowels lengthened (بشار → باشار), letters confused
    (الأسد → الشاد), the name torn from its article (الشيباني → شيباني), the article
    written with hamza (ألشراي). Each word that is not an accepted spelling is scored as a
    possible garbling of every name in the gazetteer (references/gazetteer_curated.tsv):

    - a weighted edit distance in which the edits English causes are cheap (mtaudit.translit);
    - how rare the spelling is in Arabic (wordfreq): الشارا never occurs, الشرع is common;
      ordinary words (الشارع) are not taken for names, unless the English source names
      the entity and the word stands next to the rest of its name spelled right (نبيه
      باري for Nabih Berri);
    - context: another part of the same name next to it (أحمد الشارا), the name's title
      before it (الرئيس), the entity named elsewhere in the article, and the English source
      naming it (or not) when one is given.

    The suggestion is the gazetteer's spelling with the word's clitics kept (وشيباني →
    والشيباني); the confidence is the score. Accepted variants (سيرجي and سيرغي) are never
    flagged, nor are names the gazetteer does not know (أستاخوفا).
    """
    gaz = ctx.resources.gazetteer
    tokens = [t for s in ctx.content_segments for t in tokenize(s.text, s.start)]
    for g in find_garbles(tokens, gaz, ctx.article.source):
        c = g.candidate
        suggestion = with_clitic(c.reading.clitic, c.part.word)
        english = c.entity.english[0] if c.entity.english else ""
        yield ctx.finding(
            g.token.start,
            g.token.end,
            f"“{g.token.text}” looks like a garbled spelling of {c.entity.canonical}"
            + (f" ({english})" if english else "")
            + f": write “{suggestion}”. Evidence: {', '.join(g.reasons)}.",
            suggestion=suggestion,
            confidence=min(0.99, g.score),
        )
    for t in tokens:
        fixed = hamza_article(t, gaz)
        if fixed:
            yield ctx.finding(
                t.start,
                t.end,
                f"The definite article is written with hamza in “{t.text}”: write “{fixed}”.",
                suggestion=fixed,
                confidence=0.6,
            )
