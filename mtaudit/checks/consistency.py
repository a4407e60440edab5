"""Consistency across the delivery: one source, several translations (and the reverse)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from rapidfuzz import fuzz

from ..text import consistency as cons
from ..types import Severity
from . import BatchContext, CheckContext, check


class _Article(NamedTuple):
    """What mtaudit.text.consistency reads of an article result, built from a check's context."""

    article: object
    segments: list


class _Place(NamedTuple):
    """Where a compared text sits: enough to report a finding without the article."""

    article_id: str
    segment_id: str
    start: int
    end: int
    text: str


class Items:
    """The tally of a consistency check: every article's summary items, in delivery order."""

    def __init__(self) -> None:
        self.items: list = []

    def add(self, summary: list) -> "Items":
        self.items.extend(summary)
        return self


def _units(ctx: CheckContext) -> list:
    return cons.units([_Article(ctx.article, ctx.segments)])


def _place(unit, start: int, end: int) -> _Place:
    seg = next((s for s in unit.segments if s.start <= start < s.end), unit.segments[0])
    return _Place(unit.result.article.id, seg.segment_id, start, end, unit.result.article.text[start:end])


def _segment_summary(ctx: CheckContext, findings: list) -> list:
    """(source key, target key, place of the unit's translation) of each unit long enough."""
    out = []
    for u in _units(ctx):
        key = cons.source_key(u.source)
        if len(key.split()) >= cons.MIN_WORDS:
            out.append((key, cons.target_key(u.target), _place(u, u.start, u.end)))
    return out

#: Two source keys this similar (rapidfuzz ratio, 0-100) with the same figures are one source.
NEAR_IDENTICAL = 95


@check(
    "inconsistent-segment",
    severity=Severity.MINOR,
    category="consistency",
    version="1",
    scope="batch",
    requires_source=True,
    summarize=_segment_summary,
    tally=Items,
)
def inconsistent_segment(ctx: BatchContext):
    """Inconsistent segment: one source sentence translated differently across the delivery.

    Source units (a record, or a paragraph of a 1:1 translation, of at least four words;
    mtaudit.text.consistency) whose sources are identical once case, punctuation and spacing are
    ignored, or near-identical (rapidfuzz ratio at least 95 with the same figures), are one
    source. When their translations differ (after Arabic folding), the most frequent
    translation is the majority; each other translation is reported once, on its first
    occurrence, with the majority suggested. A tie goes to the translation seen first.
    """
    groups: dict[str, list] = defaultdict(list)
    for key, target, place in ctx.tally.items:
        groups[key].append((target, place))
    # Near-identical sources: compare keys that share their first or last three words.
    keys = list(groups)
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    blocks: dict[tuple, list[str]] = defaultdict(list)
    for k in keys:
        w = k.split()
        blocks[("head", *w[:3])].append(k)
        blocks[("tail", *w[-3:])].append(k)
    for members in blocks.values():
        for a_i, a in enumerate(members):
            for b in members[a_i + 1:]:
                if root(a) != root(b) and cons.digits(a) == cons.digits(b) and fuzz.ratio(a, b) >= NEAR_IDENTICAL:
                    parent[root(b)] = root(a)
    merged: dict[str, list] = defaultdict(list)
    for k in keys:
        merged[root(k)].extend(groups[k])
    for members in merged.values():
        if len(members) < 2:
            continue
        renderings = Counter(target for target, _ in members)
        if len(renderings) < 2:
            continue
        order: dict[str, _Place] = {}
        for target, place in members:
            order.setdefault(target, place)
        majority = max(renderings, key=lambda t: (renderings[t], -list(order).index(t)))
        best = order[majority]
        for key, place in order.items():
            if key == majority:
                continue
            yield ctx.finding(
                *place,
                f"The same source sentence is translated differently elsewhere in this delivery: "
                f"{renderings[majority]} of its {sum(renderings.values())} occurrences read as suggested "
                f"(first in {best.article_id}), {renderings[key]} as here",
                suggestion=best.text,
                confidence=round(renderings[majority] / sum(renderings.values()), 3),
            )


def _term_renderings(ctx: CheckContext, findings: list) -> list:
    """(source term key, display text, place of the rendering, rendering stems, the
    termbase's preferred form or None) for every source term of the article that the
    termbase or the word aligner places in its translation: the summary of the term checks."""
    from ..knowledge.termbase import arabic_matches
    from ..text.word_alignment import aligned_unit, lexical_aligner

    tb = ctx.resources.termbase
    aligner = lexical_aligner()
    out = []
    for u in _units(ctx):
        tokens = None
        termbase_spans: list[tuple[int, int]] = []
        for ti, spans in tb.find(u.source).items():
            t = tb.terms[ti]
            tokens = tokens if tokens is not None else cons.unit_tokens(u)
            for r in t.by_status("preferred", "admitted"):
                found = arabic_matches(r, tokens)
                if found:
                    i, j = found[0]
                    place = _place(u, tokens[i].start, tokens[j - 1].end)
                    out.append((t.english[0].lower(), t.english[0], place, r.words, t.preferred))
                    termbase_spans += spans
                    break
        terms = [
            st for st in cons.capitalised_terms(u.source)
            if not any(s <= st.start < e for s, e in termbase_spans)
        ]
        if not terms or aligner is None:
            continue
        tokens = tokens if tokens is not None else cons.unit_tokens(u)
        al = aligned_unit(u.source, tokens)
        for st in terms:
            span = cons.aligned_rendering(al, st, tokens)
            if span is None:
                continue
            toks = tokens[span[0]:span[1]]
            out.append((st.key, st.text, _place(u, toks[0].start, toks[-1].end), cons.stems(toks), None))
    return out


def _clustered(items: list) -> list:
    """``items`` with each rendering replaced by the first one it is the same as
    (mtaudit.text.consistency.same_rendering), so that counts see one rendering once."""
    reps: list[tuple] = []
    out = []
    for it in items:
        rep = next((r for r in reps if cons.same_rendering(r, it[3])), None)
        if rep is None:
            reps.append(it[3])
            rep = it[3]
        out.append((*it[:3], rep, it[4]))
    return out


@check(
    "inconsistent-term",
    severity=Severity.MINOR,
    category="consistency",
    version="1",
    scope="batch",
    requires_source=True,
    summarize=_term_renderings,
    tally=Items,
)
def inconsistent_term(ctx: BatchContext):
    """Inconsistent term: one source term rendered in different ways across the delivery.

    Source terms are the termbase's English terms and runs of capitalised words (Security
    Council, Ministry of Health; mtaudit.text.consistency); a termbase term's rendering is which
    of its preferred or admitted forms the unit's translation uses, another term's is the
    Arabic words the word aligner links to it, as light stems. A rendering is different
    only when neither's stems contain the other's (a partial alignment is not another
    rendering, nor one with another number of words, which is mostly a grammatical
    shape: الأمريكية for "United States"). The most frequent rendering is the majority (for a termbase term, its
    preferred form is suggested instead); each other rendering is reported once per
    article. Needs at least three occurrences of the term in the delivery, two of them in
    the majority rendering.
    """
    by_term: dict[str, list] = defaultdict(list)
    for item in ctx.tally.items:
        by_term[item[0]].append(item)
    for items in by_term.values():
        if len(items) < 3:
            continue
        items = _clustered(items)
        counts = Counter(it[3] for it in items)
        majority, n_major = counts.most_common(1)[0]
        if n_major < 2:
            continue
        first_of = {}
        for it in items:
            first_of.setdefault(it[3], it)
        best = first_of[majority]
        reported: set[tuple] = set()
        for it in items:
            stems = it[3]
            if stems == majority or cons.partial(stems, majority) or len(stems) != len(majority):
                continue  # a partial alignment, or another grammatical shape (an adjective for a noun)
            place = it[2]
            if (stems, place.article_id) in reported:
                continue
            reported.add((stems, place.article_id))
            suggestion = it[4] if it[4] is not None else best[2].text
            yield ctx.finding(
                *place,
                f"'{it[1]}' is rendered {n_major} of {len(items)} time(s) in this delivery as '{suggestion}'"
                f" (first in {best[2].article_id}); here differently",
                suggestion=suggestion,
                confidence=round(n_major / len(items), 3),
            )


def _abbreviates(a: str, b: str) -> bool:
    """One term holds the other's initials as an acronym (UN official, United Nations)."""
    def initials(t: str) -> str:
        return "".join(w[0] for w in t.split() if w[:1].isalpha() and w.lower() not in ("of", "for", "the", "on")).upper()

    return initials(b) in {w.upper() for w in a.split()} or initials(a) in {w.upper() for w in b.split()}


@check(
    "inconsistent-target",
    severity=Severity.INFO,
    category="consistency",
    version="1",
    scope="batch",
    requires_source=True,
    summarize=_term_renderings,
    tally=Items,
)
def inconsistent_target(ctx: BatchContext):
    """Inconsistent target: different source terms given one rendering across the delivery.

    The reverse of inconsistent-term (same source terms and renderings): when two source
    terms that share no word are rendered by the same Arabic words (as light stems), the
    less frequent term's first occurrence in each article is reported (not when one holds the
    other's initials: UN General Assembly, United Nations), as information:
    synonyms in the source (Interior Ministry, Home Office) are often rightly rendered alike,
    but two different bodies rendered alike are an error an editor should see.
    """
    by_target: dict[tuple, list] = defaultdict(list)
    for item in _clustered(ctx.tally.items):
        if len(item[3]) >= 2:  # one-word renderings (a bare مجلس) say too little
            by_target[item[3]].append(item)
    for items in by_target.values():
        counts = Counter(it[0] for it in items)
        if len(counts) < 2:
            continue
        majority, n_major = counts.most_common(1)[0]
        major_words = set(majority.split())
        reported: set[tuple] = set()
        for it in items:
            if it[0] == majority or set(it[0].split()) & major_words or _abbreviates(it[1], majority):
                continue
            place = it[2]
            if (it[0], place.article_id) in reported:
                continue
            reported.add((it[0], place.article_id))
            yield ctx.finding(
                *place,
                f"'{it[1]}' gets the same rendering as '{majority}' ({n_major} time(s) in this delivery): "
                "check that the two are the same thing",
                confidence=0.3,
            )
