"""Names spelled inconsistently within an article or across the batch."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from . import BatchContext, check
from ..frequency import arabic_zipf
from ..tokens import Token, tokenize
from ..names.morphology import readings, with_clitic
from ..names.channel import latin_to_arabic, name_cost, skeleton, split_article, tolerance
from ..types import ArticleResult, Severity

_UNSEEN = 1.0  # below this zipf a spelling is not an Arabic word (a foreign name, or a garble)
_ORDINARY = 3.0  # a word this common, unknown as a name, is an ordinary word, never a reference
_MIN_MAJORITY = 2  # occurrences a non-gazetteer spelling needs to be the reference
# Endings that make a different word of a name (سوري, سورية, السوريين), not another spelling.
_DERIVATIONAL_ENDINGS = ("يون", "يين", "يه", "يا", "ين", "ون", "ات", "ي", "ه", "ا")


@dataclass(frozen=True)
class Occurrence:
    result: ArticleResult
    token: Token
    clitic: str
    stem: str


def _occurrences(results: list[ArticleResult], accepted: dict) -> list[Occurrence]:
    tokens = [
        (r, t)
        for r in results
        for s in r.segments
        if s.kind.value != "boilerplate"
        for t in tokenize(s.text, s.start)
        if t.is_arabic
    ]
    bare = Counter(t.folded for _, t in tokens)
    out = []
    for r, t in tokens:
        options = readings(t.folded)
        # Read a clitic off only when the rest is a known name or occurs bare in the batch.
        chosen = next((o for o in options if o.stem in accepted), None) or next(
            (o for o in options[1:] if bare.get(o.stem)), options[0]
        )
        out.append(Occurrence(r, t, chosen.clitic, chosen.stem))
    return out


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


def _rare_spelling(stem: str, group: list[Occurrence]) -> bool:
    """The spelling is not an Arabic word (wordfreq), as written and without its clitics."""
    return arabic_zipf(stem) < _UNSEEN and all(arabic_zipf(o.token.text) < _UNSEEN for o in group if o.stem == stem)


def _name_like(stem: str, gaz) -> bool:
    """Can be a name: known to the gazetteer or to Wikidata's names, or not an ordinary
    Arabic word (foreign names in the news, زاخاروفا, are seen in wordfreq but rarely)."""
    return stem in gaz.accepted or stem in gaz.latin_forms or arabic_zipf(stem) < _ORDINARY


_CAPITALISED = regex.compile(r"(?<![\p{L}])\p{Lu}[\p{L}'’]+")


@lru_cache(maxsize=4096)
def _source_names(source: str) -> tuple[tuple[str, str], ...]:
    """(capitalised word, its skeleton written in Arabic letters) for an English source."""
    return tuple((w.lower(), skeleton(split_article(latin_to_arabic(w))[1])) for w in _CAPITALISED.findall(source))


def _source_words(o: Occurrence) -> set[str] | None:
    """The capitalised source words that sound like the occurrence; None without a source."""
    article = o.result.article
    sources = [s for s in (article.source, *article.record_sources) if s]
    if not sources:
        return None
    key = skeleton(split_article(o.stem)[1])
    return {w for src in sources for w, k in _source_names(src) if Levenshtein.distance(key, k) <= 1}


def _source_allows(o: Occurrence, group: list[Occurrence], target: str) -> bool:
    """With a source, the word must render a capitalised source word (كلوروكين renders
    "chloroquine": no name; بوكانيرز renders "Buccaneers"), and the same one as the
    spelling it is compared with (مالاك is Malak, مالك is Malik: two names)."""
    mine = _source_words(o)
    if mine is None:
        return True
    if not mine:
        return False
    theirs = set()
    for x in group:
        if x.stem == target:
            words = _source_words(x)
            theirs |= words or set()
    return not theirs or bool(mine & theirs)


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


@check(
    "name-inconsistent",
    severity=Severity.MINOR,
    category="name",
    version="1",
    scope="batch",
    resources=("gazetteer",),
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

    The confidence is a fitted probability (references/calibration.tsv, model
    name-inconsistent, scripts/fit_check_confidence.py: a name misspelt once in a batch
    against the check's findings on clean batches) over the evidence: how far the spelling
    is from the one to use (share of the tolerance), whether that is the gazetteer's, how
    often each is seen, the other spelling in the same article, a source. The check is minor.
    """
    gaz = ctx.resources.gazetteer
    # Gazetteer spellings that win: the words of names, not ordinary words inside the names
    # of bodies (حلف, الذرية in حلف شمال الأطلسي, الوكالة الدولية للطاقة الذرية).
    name_words = {p.folded for p in gaz.distinctive_parts()}
    garbled = {(r.article.id, f.start) for r in ctx.results for f in r.findings if f.check == "name-garbled"}
    occs = _occurrences(ctx.results, gaz.accepted)
    groups: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occs:
        key = skeleton(split_article(o.stem)[1])
        if len(key) >= 2:
            groups[key].append(o)
    for group in groups.values():
        counts = Counter(o.stem for o in group)
        if len(counts) < 2:
            continue
        surface = {stem: Counter(o.token.text[len(o.clitic) :] for o in group if o.stem == stem) for stem in counts}
        references = [s for s in counts if s in name_words]
        for stem, n in counts.items():
            if stem in gaz.accepted or stem in gaz.latin_forms or not _rare_spelling(stem, group):
                continue  # a spelling that names someone (Wikidata) is not taken for a slip
            targets = references + [
                s
                for s, m in counts.items()
                if s not in references and s != stem and m >= max(_MIN_MAJORITY, 2 * n) and _name_like(s, gaz)
            ]
            scored = [(name_cost(stem, t), t) for t in targets if _comparable(stem, t)]
            scored = [(c, t) for c, t in scored if 0 < c <= _max_cost(t, name_words)]
            if not scored:
                continue
            cost, target = min(scored)
            written = surface[target].most_common(1)[0][0]
            for o in group:
                if o.stem != stem or (o.result.article.id, o.token.start) in garbled or not _source_allows(o, group, target):
                    continue
                same_article = sum(1 for x in group if x.stem == target and x.result is o.result)
                where = f"{same_article} time(s) in this article, " if same_article else ""
                suggestion = with_clitic(o.clitic, written)
                features = {
                    "cost_share": cost / tolerance(target),
                    "gazetteer_spelling": float(target in name_words),
                    "log_majority": math.log(counts[target]),
                    "log_minority": math.log(n),
                    "same_article": float(same_article > 0),
                    "source_checked": float(bool(o.result.article.source or o.result.article.record_sources)),
                }
                p = ctx.fitted_confidence(o.result, "name-inconsistent", features, o.token.start, o.token.end)
                yield ctx.finding(
                    o.result,
                    o.token.start,
                    o.token.end,
                    f"“{o.token.text}” is spelled “{written}” elsewhere ({where}{counts[target]} in the batch"
                    + (", the gazetteer's spelling" if target in name_words else "")
                    + f"): write “{suggestion}”.",
                    suggestion=suggestion,
                    confidence=p,
                )
