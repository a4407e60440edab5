"""Names spelled inconsistently within an article or across the batch."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import accumulate, compress, count
from operator import is_, itemgetter, le

import regex
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..names.channel import latin_to_arabic, name_cost, skeleton, split_article, tolerance
from ..names.morphology import readings, with_clitic
from ..spill import SpillList
from ..text.frequency import arabic_zipf
from ..text.tokens import tokenize
from ..types import Severity
from . import BatchContext, CheckContext, check

_UNSEEN = 1.0  # below this zipf a spelling is not an Arabic word (a foreign name, or a garble)
_ORDINARY = 3.0  # a word this common, unknown as a name, is an ordinary word, never a reference
_MIN_MAJORITY = 2  # occurrences a non-gazetteer spelling needs to be the reference
# Endings that make a different word of a name (سوري, سورية, السوريين), not another spelling.
_DERIVATIONAL_ENDINGS = ("يون", "يين", "يه", "يا", "ين", "ون", "ات", "ي", "ه", "ا")


_MAX_SHARE = 0.6  # of the garble tolerance, for a gazetteer spelling
# Without the gazetteer, only close spellings count: two vowel letters or ع for a vowel
# (الشرع / الشارا) when the reference is not an Arabic word; one vowel letter or one letter
# English spells alike when it is (زاخاروفا is in wordfreq, so is every word it resembles).
_MAX_COST_UNSEEN = 0.6
_MAX_COST_SEEN = 0.25


def _max_cost(target: str, name_words: set[str]) -> float:
    if target in name_words:
        return _MAX_SHARE * tolerance(target)
    return _MAX_COST_UNSEEN if arabic_zipf(target) < _UNSEEN else _MAX_COST_SEEN


def _name_like(stem: str, gaz) -> bool:
    """Can be a name: known to the gazetteer or to Wikidata's names, or not an ordinary
    Arabic word (foreign names in the news, زاخاروفا, are seen in wordfreq but rarely)."""
    return stem in gaz.accepted or stem in gaz.latin_forms or arabic_zipf(stem) < _ORDINARY


_CAPITALISED = regex.compile(r"(?<![\p{L}])\p{Lu}[\p{L}'’]+")


@lru_cache(maxsize=4096)
def _source_names(source: str) -> tuple[tuple[str, str], ...]:
    """(capitalised word, its skeleton written in Arabic letters) for an English source."""
    return tuple(_source_name(w) for w in _CAPITALISED.findall(source))


@lru_cache(maxsize=50_000)
def _source_name(word: str) -> tuple[str, str]:
    # per word: the same names recur across the sources of a batch
    return word.lower(), skeleton(split_article(latin_to_arabic(word))[1])


def _comparable(a: str, b: str) -> bool:
    """Two spellings of one name, as far as their shape goes: the same length give or take
    a letter (after the article), and neither derived from the other."""
    sa, sb = split_article(a)[1], split_article(b)[1]
    return abs(len(sa) - len(sb)) <= 1 and not _derived(a, b)


def _derived(a: str, b: str) -> bool:
    """One is the other plus a derivational ending or the article (سوريا / السوري)."""
    a, b = split_article(a)[1], split_article(b)[1]
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return any(long_ == short + e or long_ == short.rstrip("اه") + e for e in _DERIVATIONAL_ENDINGS)


@lru_cache(maxsize=100_000)
def _unseen_spelling(written: str) -> bool:
    """The word as written is no Arabic word (zipf below _UNSEEN)."""
    return arabic_zipf(written) < _UNSEEN


def _counted(counts: dict[str, int]) -> Counter:
    """``Counter(counts)`` for a dict of counts, without Counter's checks of its argument
    (the summaries make one per name-like form)."""
    out = Counter.__new__(Counter)
    dict.update(out, counts)
    return out


@lru_cache(maxsize=100_000)
def _form_keys(folded: str) -> frozenset[str]:
    """The group keys of a word form's readings."""
    return frozenset(_key(o.stem) for o in readings(folded))


@lru_cache(maxsize=100_000)
def _key(stem: str) -> str:
    """The group of a spelling: the consonants that survive transliteration."""
    return skeleton(split_article(stem)[1])


def _matching_source_words(names: tuple[tuple[str, str], ...], key: str, name_keys: list[str] | None = None) -> set[str]:
    """The capitalised source words that sound like the group ``key`` (``name_keys``: the
    names' skeletons, when the caller has them listed): every distance in one call into
    rapidfuzz."""
    if not names:
        return set()
    keys = name_keys if name_keys is not None else [k for _, k in names]
    return {names[i][0] for _, _, i in process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=1, limit=None)}


@dataclass(frozen=True)
class Occurrence:
    """A word of an article that may be a minority spelling: where it is, as written."""

    article_id: str
    segment_id: str
    start: int
    end: int
    text: str
    folded: str
    garbled: bool  # name-garbled already reported it
    #: group key → the source words that sound like it (None: the article has no source)
    source_words: dict[str, set[str]] | None
    #: the article's counts of the name-like forms of the same groups (for "n times in this article")
    local: dict[str, int]


@dataclass
class FormStats:
    """A folded word form that can be a name, over the whole batch."""

    surfaces: Counter = field(default_factory=Counter)  # as written → occurrences (a summary's: a dict)
    first: dict = field(default_factory=dict)  # as written → where first seen (the majority's ties go to the first)
    unseen: bool = True  # every occurrence, as written, is not an Arabic word (zipf < 1)
    #: group key → source words that sound like it, over the articles with a source
    source_words: dict[str, set[str]] = field(default_factory=dict)


def _name_forms(folded: str, gaz, name_words: set[str]) -> tuple[bool, bool]:
    """(can be a name, can be a rare spelling): whether any reading of the word is a
    gazetteer or Wikidata name, a name word, or not an ordinary word (zipf < 3); and
    whether any is a spelling unknown to the gazetteer and unseen in Arabic (zipf < 1)."""
    name, rare = False, False
    for o in readings(folded):
        known = o.stem in gaz.accepted or o.stem in gaz.latin_forms
        if known or o.stem in name_words or arabic_zipf(o.stem) < _ORDINARY:
            name = True
        if not known and arabic_zipf(o.stem) < _UNSEEN:
            rare = True
    return name, rare


def summarize(ctx: CheckContext, findings: list) -> dict:
    """What the batch needs from one article: how often it uses each Arabic word form,
    and, for the forms that can be names, where and how they are written."""
    gaz = ctx.resources.gazetteer
    name_words = _name_words(gaz)
    garbled = {f.start for f in findings if f.check == "name-garbled"}
    article = ctx.article
    sources = [src for src in (article.source, *article.record_sources) if src]
    names = tuple(n for src in sources for n in _source_names(src))
    name_keys = [k for _, k in names]
    matched: dict[str, frozenset[str]] = {}

    def matching(key: str) -> set[str]:
        # per article and group key: a name recurs, and each comparison is an edit distance
        hit = matched.get(key)
        if hit is None:
            hit = matched[key] = frozenset(_matching_source_words(names, key, name_keys))
        return set(hit)

    codes = gaz.cache("name-inconsistent-word-codes")
    arabic: list[str] = []  # every Arabic word form, in order (counted at the end, in C)
    # name-like form → as written → [occurrences, position first seen]; what depends only on
    # the form (its readings, keys, source words) is worked out once per form, below
    written: dict[str, dict[str, list[int]]] = {}
    rare_tokens = []
    for seg in ctx.content_segments:
        tokens = tokenize(seg.text, seg.start)
        folds = list(map(_FOLDED, tokens))
        # each word's code (_word_code, memoised per spelling) looked up at C speed; the loop
        # below visits only the name-like words
        seg_codes = list(map(codes.get, folds))
        for i in compress(count(), map(_IS_NONE, seg_codes)):
            code = codes.get(folds[i])  # the same spelling earlier in the segment
            seg_codes[i] = code if code is not None else gaz.remember(
                "name-inconsistent-word-codes", folds[i], _word_code(tokens[i], gaz, name_words), 100_000
            )
        # where each word stands among the article's Arabic words (1 for the first)
        ordinals = accumulate(map(bool, seg_codes), initial=len(arabic))
        next(ordinals)
        arabic.extend(compress(folds, seg_codes))
        for i, position in compress(zip(count(), ordinals), map(_NAME_LIKE, seg_codes)):
            t = tokens[i]
            folded = t.folded
            surfaces = written.get(folded)
            if surfaces is None:
                surfaces = written[folded] = {}
            seen = surfaces.get(t.text)
            if seen is None:
                surfaces[t.text] = [1, position]
            else:
                seen[0] += 1
            if seg_codes[i] == _RARE_NAME:
                rare_tokens.append((seg.segment_id, t))
    forms = Counter(arabic)
    named: dict[str, FormStats] = {}
    for folded, surfaces in written.items():
        stats = named[folded] = FormStats(
            # a plain dict here (Spellings.add makes the tally's Counter): the summary crosses
            # from a --jobs worker to the parent pickled, and an unpickled Counter is rebuilt
            # through Counter.update, two thirds of the time the parent took to unpickle it
            {w: n for w, (n, _) in surfaces.items()},
            {w: first for w, (_, first) in surfaces.items()},
            all(map(_unseen_spelling, surfaces)),
        )
        if sources:
            for o in readings(folded):
                stats.source_words.setdefault(_key(o.stem), set()).update(matching(_key(o.stem)))
    occurrences = []
    if rare_tokens:
        keys = {_key(o.stem) for _, t in rare_tokens for o in readings(t.folded)}
        local = {f: forms[f] for f in named if not keys.isdisjoint(_form_keys(f))}
        for seg_id, t in rare_tokens:
            words = (
                {_key(o.stem): matching(_key(o.stem)) for o in readings(t.folded)} if sources else None
            )
            occurrences.append(
                Occurrence(article.id, seg_id, t.start, t.end, t.text, t.folded, t.start in garbled, words, local)
            )
    return {"forms": forms, "named": named, "occurrences": occurrences}


class Spellings:
    """The batch's word forms: counts of every form, the name-like ones in detail."""

    def __init__(self) -> None:
        self.forms: Counter = Counter()
        self.named: dict[str, FormStats] = {}
        #: the possible minority spellings, one record per rare word: on disk (read once,
        #: when the check runs), so that the tally does not grow with the batch in memory
        self.occurrences = SpillList()
        self.articles = 0

    def add(self, summary: dict) -> "Spellings":
        """Fold in the next article's summary (articles in batch order)."""
        self.articles += 1
        # Counter.update(a Counter) is a Python loop over the article's forms; counting the
        # same forms, each as often (elements(): the counts are at least 1, they count
        # tokens), runs in C
        self.forms.update(summary["forms"].elements())
        for form, st in summary["named"].items():
            first = {w: (self.articles, i) for w, i in st.first.items()}
            mine = self.named.get(form)
            if mine is None:
                sources = {k: set(v) for k, v in st.source_words.items()}
                self.named[form] = FormStats(_counted(st.surfaces), first, st.unseen, sources)
                continue
            # Counter.update, without its checks of the argument's type (a form at a time)
            counts = mine.surfaces
            for w, n in st.surfaces.items():
                counts[w] = counts.get(w, 0) + n
            for w, seen in first.items():
                mine.first.setdefault(w, seen)
            mine.unseen = mine.unseen and st.unseen
            for k, v in st.source_words.items():
                mine.source_words.setdefault(k, set()).update(v)
        self.occurrences.extend(summary["occurrences"])
        return self

    def close(self) -> None:
        """Remove the spilled occurrences (the batch stage calls it when the check has run)."""
        self.occurrences.close()


def _given_name_only(stem: str, gaz) -> bool:
    """The gazetteer has this spelling only as the first word of longer names (توماس of
    توم باراك's forms): a given name, which many people bear whoever the gazetteer lists."""
    parts = gaz.parts_by_word.get(stem, ())
    return bool(parts) and all(p.index == 0 and p.form_length > 1 for p in parts)


def _name_words(gaz) -> frozenset[str]:
    # Gazetteer spellings that win: the words of names, not ordinary words inside the names
    # of bodies (حلف, الذرية in حلف شمال الأطلسي, الوكالة الدولية للطاقة الذرية).
    return gaz.distinctive_words()


# A word's code for summarize: not Arabic, Arabic but no name, a possible name, a possible
# name and a rare spelling (_name_forms).
_NOT_ARABIC, _NO_NAME, _NAME, _RARE_NAME = 0, 1, 2, 3
_FOLDED = itemgetter(1)  # a token's folded form
_IS_NONE = partial(is_, None)
_NAME_LIKE = partial(le, _NAME)


def _word_code(t, gaz, name_words: set[str]) -> int:
    if not t.is_arabic:
        return _NOT_ARABIC
    name, rare = _form_kind(t.folded, gaz, name_words)
    return _NO_NAME if not name else _RARE_NAME if rare else _NAME


def _form_kind(folded: str, gaz, name_words: set[str]) -> tuple[bool, bool]:
    cache = gaz.cache("name-inconsistent-form-kinds")
    hit = cache.get(folded)
    if hit is None:
        hit = cache[folded] = _name_forms(folded, gaz, name_words)
    return hit


@check(
    "name-inconsistent",
    severity=Severity.MINOR,
    category="name",
    version="2",
    scope="batch",
    resources=("gazetteer",),
    summarize=summarize,
    tally=Spellings,
)
def name_inconsistent(ctx: BatchContext):
    """Inconsistent name spelling: one name written in different ways in the batch.

    Words are grouped by the consonants that survive transliteration (الشيباني, شيباني and
    الشيبانى fall together). Within a group, the spelling to use is the gazetteer's when it
    has one, otherwise a spelling that occurs at least twice and twice as often as the
    rare one; each rare spelling close enough to it (mtaudit.names.channel) is reported with
    the spelling to use and how often that was seen. This works for names the gazetteer
    does not know: the batch is the evidence. Spans already reported by name-garbled are
    not reported again; ordinary Arabic words (wordfreq) never count as minority spellings.
    A spelling the gazetteer has only as a given name (the first word of longer names) is
    the one to use only in its own article: elsewhere in the batch it is as likely another
    person's, and a foreign name the gazetteer lacks is not "corrected" to it.

    Each article contributes a summary (its word-form counts, and where its possible names
    are), so the batch never holds the articles themselves.

    The confidence is a fitted probability (references/calibration.tsv, model
    name-inconsistent, scripts/fit_check_confidence.py: a name misspelt once in a batch
    against the check's findings on clean batches) over the evidence: how far the spelling
    is from the one to use (share of the tolerance), whether that is the gazetteer's, how
    often each is seen, the other spelling in the same article, a source. The check is minor.
    """
    gaz = ctx.resources.gazetteer
    tally: Spellings = ctx.tally
    name_words = _name_words(gaz)
    forms = tally.forms

    def chosen(folded: str):
        # Read a clitic off only when the rest is a known name or occurs bare in the batch.
        options = readings(folded)
        return next((o for o in options if o.stem in gaz.accepted), None) or next(
            (o for o in options[1:] if forms.get(o.stem)), options[0]
        )

    # Per group, per spelling (stem): occurrences, how it is written, whether it is unseen.
    counts: dict[str, Counter] = defaultdict(Counter)
    written_as: dict[str, list] = defaultdict(list)  # stem → (first seen, as written without clitic, n)
    unseen: dict[str, bool] = {}
    sources: dict[str, set[str]] = defaultdict(set)  # stem → source words of its articles
    stem_of: dict[str, str] = {}
    for form, st in tally.named.items():
        o = chosen(form)
        stem_of[form] = o.stem
        key = _key(o.stem)
        if len(key) < 2:
            continue
        counts[key][o.stem] += forms[form]
        for written, n in st.surfaces.items():
            written_as[o.stem].append((st.first[written], written[len(o.clitic) :], n))
        unseen[o.stem] = unseen.get(o.stem, True) and st.unseen
        sources[o.stem] |= st.source_words.get(key, set())
    # First which spellings are reported, and against which; then their records are read
    # back from the tally's file (the others are read once and dropped).
    plans = []
    for key, group in counts.items():
        if len(group) < 2:
            continue
        references = [s for s in group if s in name_words]
        for stem, n in group.items():
            if stem in gaz.accepted or stem in gaz.latin_forms or not (arabic_zipf(stem) < _UNSEEN and unseen[stem]):
                continue  # a spelling that names someone (Wikidata) is not taken for a slip
            targets = references + [
                s
                for s, m in group.items()
                if s not in references and s != stem and m >= max(_MIN_MAJORITY, 2 * n) and _name_like(s, gaz)
            ]
            scored = [(name_cost(stem, t), t) for t in targets if _comparable(stem, t)]
            scored = [(c, t) for c, t in scored if 0 < c <= _max_cost(t, name_words)]
            if not scored:
                continue
            cost, target = min(scored)
            surface: Counter = Counter()
            for _, w, c in sorted(written_as[target]):  # in the order first seen, as ties go
                surface[w] += c
            written = surface.most_common(1)[0][0]
            theirs = sources[target]
            plans.append((key, group, stem, n, cost, target, written, theirs))
    reported = {plan[2] for plan in plans}
    by_stem: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in tally.occurrences:
        stem = stem_of.get(occ.folded) or chosen(occ.folded).stem
        if stem in reported:
            by_stem[stem].append(occ)
    for key, group, stem, n, cost, target, written, theirs in plans:
        for o in by_stem[stem]:
            if o.garbled:
                continue
            if o.source_words is not None:  # with a source, the word must render a source name ...
                mine = o.source_words.get(key, set())
                if not mine or (theirs and not mine & theirs):  # ... the same one as the spelling to use
                    continue
            same_article = sum(c for f, c in o.local.items() if stem_of.get(f) == target)
            if not same_article and _given_name_only(target, gaz):
                # a given name elsewhere in the batch is someone else's as likely as this
                # name's: no evidence that this rare spelling (a foreign name the gazetteer
                # lacks) is a slip for it
                continue
            where = f"{same_article} time(s) in this article, " if same_article else ""
            clitic = chosen(o.folded).clitic
            suggestion = with_clitic(clitic, written)
            features = {
                "cost_share": cost / tolerance(target),
                "gazetteer_spelling": float(target in name_words),
                "log_majority": math.log(group[target]),
                "log_minority": math.log(n),
                "same_article": float(same_article > 0),
                "source_checked": float(o.source_words is not None),
            }
            p = ctx.fitted_confidence(o.article_id, "name-inconsistent", features, o.start, o.end)
            yield ctx.finding(
                o.article_id,
                o.segment_id,
                o.start,
                o.end,
                o.text,
                f"“{o.text}” is spelled “{written}” elsewhere ({where}{group[target]} in the batch"
                + (", the gazetteer's spelling" if target in name_words else "")
                + f"): write “{suggestion}”.",
                suggestion=suggestion,
                confidence=p,
            )
