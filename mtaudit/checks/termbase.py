"""Termbase: a client's must-use and forbidden renderings (--termbase FILE)."""

from __future__ import annotations

from ..text.tokens import tokenize
from ..types import Severity
from . import CheckContext, check


@check(
    "termbase",
    severity=Severity.MAJOR,
    category="terminology",
    version="1",
    scope="article",
    resources=("termbase",),
)
def termbase(ctx: CheckContext):
    """Termbase: a forbidden rendering, or a source term without its required rendering.

    The termbase is the client's (``--termbase FILE``, repeatable: TBX-Basic, or a CSV, TSV
    or XLSX list with the columns english, arabic, status, note; see mtaudit.knowledge.termbase and
    references/README.md). Without a termbase the check finds nothing.

    Forbidden renderings are findings wherever they appear, with or without a source: the
    suggestion is the concept's preferred rendering, with the word's proclitic carried over
    (والكيان → وإسرائيل). Matching is on whole folded tokens, with proclitics and the article
    allowed on the first word, so a forbidden word inside a longer, different word is not
    flagged.

    With a source, each source unit (a record, a paragraph of a 1:1 translation, or the whole
    article, mtaudit.text.alignment.source_units) is searched for the termbase's English terms
    (case- and plural-aware); a term whose preferred and admitted renderings are all missing
    from the unit's translation is a finding. It is anchored on the Arabic words the word
    aligner links to the English term (mtaudit.text.word_alignment), suggesting the preferred
    rendering in their place; else on the segment at the term's relative position in the unit,
    with the preferred rendering in the message and no suggestion (it replaces no sentence).

    Confidence is not fitted (no labelled termbase data): 0.9 when the source names the
    term, 0.7 without a source, 0.4 (minor) for a forbidden form where the source is given
    but does not name the term (the word may mean something else there).
    """
    tb = ctx.resources.termbase
    if not len(tb):
        return
    from ..knowledge.termbase import arabic_matches

    segments = ctx.content_segments
    tokens_of = {s.segment_id: tokenize(s.text, s.start) for s in segments}
    has_source = bool(ctx.article.source or ctx.article.record_sources)
    units = ctx.source_units if has_source else []
    unit_of = {s.segment_id: k for k, (_, segs) in enumerate(units) for s in segs}
    # English terms named in each unit's source: unit index → {term index: spans}
    named: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for k, (src, _) in enumerate(units):
        named[k] = tb.find(src)

    # 1. Forbidden renderings, anywhere.
    flagged_forbidden: set[tuple[int, int]] = set()  # (unit, term) pairs already reported
    for seg in segments:
        toks = tokens_of[seg.segment_id]
        k = unit_of.get(seg.segment_id)
        taken: dict[int, set[int]] = {}  # term → tokens already reported (longest rendering first)
        for ti, r, i, j in tb.find_arabic(toks, ("forbidden",)):
            t = tb.terms[ti]
            if taken.setdefault(ti, set()) & set(range(i, j)):
                continue
            taken[ti].update(range(i, j))
            start, end = toks[i].start, toks[j - 1].end
            suggestion = _carry_clitic(toks[i].folded, r.words[0], t.preferred) if t.preferred else ""
            in_source = k is not None and ti in named.get(k, {})
            if not has_source:
                confidence, severity = 0.7, None
            elif in_source:
                confidence, severity = 0.9, None
                flagged_forbidden.add((k, ti))
            else:
                confidence, severity = 0.4, Severity.MINOR
            note = f" ({t.note})" if t.note else ""
            yield ctx.finding(
                start,
                end,
                f"'{r.text}' is a forbidden rendering of '{t.english[0]}' in the termbase"
                + (f"; write '{t.preferred}'" if t.preferred else "")
                + note,
                suggestion=suggestion,
                confidence=confidence,
                severity=severity,
                values={"term": t.english[0]},
            )

    # 2. Source terms whose required rendering is missing from the unit's translation.
    if not units:
        return
    for k, (src, segs) in enumerate(units):
        unit_tokens = [tok for s in segs for tok in tokens_of[s.segment_id]]
        for ti, spans in named[k].items():
            t = tb.terms[ti]
            good = t.by_status("preferred", "admitted")
            if not good or (k, ti) in flagged_forbidden:
                continue
            if any(arabic_matches(r, unit_tokens) for r in good):
                continue
            span = _aligned_span(src, unit_tokens, spans[0])
            # The preferred rendering replaces the words the aligner linked to the term; on a
            # whole segment (no link) it is no replacement: accepting it would delete the rest.
            suggestion = t.preferred
            if span is None:
                seg = _segment_at_position(segs, spans[0][0] / max(1, len(src)))
                span, suggestion = (seg.start, seg.end), ""
            note = f" ({t.note})" if t.note else ""
            yield ctx.finding(
                span[0],
                span[1],
                f"The source's '{src[spans[0][0]:spans[0][1]]}' should be rendered '{t.preferred}' (termbase)"
                + note,
                suggestion=suggestion,
                confidence=0.9,
                values={"variant": "missing", "term": src[spans[0][0]:spans[0][1]], "preferred": t.preferred},
            )


def _carry_clitic(folded_token: str, folded_first: str, replacement: str) -> str:
    """The replacement with the proclitic the matched token carried (والكيان → وإسرائيل),
    and the article the token added to the listed form, for a one-word replacement."""
    from ..text.normalize import fold

    at = folded_token.find(folded_first)
    if at <= 0:
        at = folded_token.find(folded_first[2:]) - 2 if folded_first.startswith("ال") else at
    prefix = folded_token[:at] if at > 0 else ""
    if prefix.endswith("ال"):
        # The token added an article the listed form lacks (الإرهابيون for إرهابيون): a
        # one-word replacement without one takes it too.
        prefix = prefix[:-2]
        if " " not in replacement.strip() and not fold(replacement).startswith("ال"):
            prefix += "ال"
    if prefix == "ل" and fold(replacement).startswith("ال"):
        return "ل" + replacement[1:]  # ل + الأمم = للأمم
    return prefix + replacement


def _aligned_span(src: str, unit_tokens, en_span: tuple[int, int]) -> tuple[int, int] | None:
    """Offsets of the Arabic tokens the aligner links to the English words in ``en_span``
    (None without the aligner's priors)."""

    from ..text.word_alignment import aligned_unit

    u = aligned_unit(src, unit_tokens)
    if u is None:
        return None
    wanted = {i for i, e in enumerate(u.english) if en_span[0] <= e.start and e.end <= en_span[1]}
    js = sorted(j for i, j in u.links if i in wanted)
    if not js:
        return None
    return unit_tokens[js[0]].start, unit_tokens[js[-1]].end


def _segment_at_position(segs, fraction: float):
    return segs[min(len(segs) - 1, int(fraction * len(segs)))]
