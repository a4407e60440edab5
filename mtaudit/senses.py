"""Wrong-sense rules: an English word with several senses rendered in the wrong one.

Rules live in references/wrong_sense.tsv (see references/README.md). Each names the
suspicious Arabic form(s), the Arabic context that shows the sense is wrong, the English
source words that show it when a source is given, the words that make the sense right
after all (سيارة مفخخة is a car bomb), the right rendering, a severity and an explanation.

Matching is on folded words with their clitics (و ف ب ل ك) and article taken off, so one
rule form covers والإضرابات, بالإضرابات and إضرابات alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .normalize import fold
from .tokens import Token
from .types import Severity

_CLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def bare_forms(folded: str) -> set[str]:
    """The word and every reading of it with leading clitics and article removed."""
    out = {folded}
    for c in _CLITICS:
        if folded.startswith(c) and len(folded) - len(c) >= 2:
            out.add(folded[len(c) :])
    return out


def bare_key(phrase: str) -> tuple[str, ...]:
    """A rule form as a tuple of folded words, the first without article (forms are
    written bare in the data, but a writer may include the article)."""
    words = [fold(w) for w in regex.findall(r"[\p{L}\p{M}]+", phrase)]
    if words and words[0].startswith("ال") and len(words[0]) > 3:
        words[0] = words[0][2:]
    return tuple(words)


@dataclass(frozen=True)
class SenseRule:
    id: str
    wrong: tuple[tuple[str, ...], ...]  # folded word sequences, longest first
    context: tuple[tuple[str, ...], ...]
    source_en: tuple["regex.Pattern[str]", ...]
    unless: tuple[tuple[str, ...], ...]
    correct: tuple[str, ...]
    severity: Severity
    explanation: str
    origin: str


def english_pattern(word: str) -> "regex.Pattern[str]":
    """``strik*`` matches strike, strikes, striking; other words match whole. A word
    written in lower case matches any case; one written with a capital matches only so
    written (Turkey the country, not turkey the bird)."""
    word = word.strip()
    stem = regex.escape(word.rstrip("*"))
    tail = r"\p{L}*" if word.endswith("*") else ""
    flags = 0 if any(c.isupper() for c in word) else regex.IGNORECASE
    return regex.compile(rf"(?<!\p{{L}}){stem}{tail}(?!\p{{L}})", flags)


@dataclass(frozen=True)
class SenseMatch:
    rule: SenseRule
    start_token: int
    end_token: int  # exclusive
    # Evidence, for the fitted confidence (mtaudit.calibration, model "wrong-sense"):
    context: bool = False  # the rule's Arabic context is within the window
    trigger_in_source: bool = False  # one of the rule's English words is in the source sentence
    aligned: bool = False  # the Arabic form is word-aligned to one of those English words
    has_source: bool = False


def _matches_at(tokens: list[Token], i: int, seq: tuple[str, ...]) -> bool:
    if i + len(seq) > len(tokens):
        return False
    if seq[0] not in bare_forms(tokens[i].folded):
        return False
    return all(tokens[i + k].folded == w or w in bare_forms(tokens[i + k].folded) for k, w in enumerate(seq[1:], 1))


def _near(tokens: list[Token], start: int, end: int, window: int, words) -> bool:
    lo, hi = max(0, start - window), min(len(tokens), end + window)
    around = [t for j, t in enumerate(tokens[lo:hi], lo) if not start <= j < end]
    for seq in words:
        for j in range(len(around)):
            if _matches_at(around, j, seq):
                return True
    return False


def candidates(tokens: list[Token], rules: list[SenseRule], window: int = 4) -> list[SenseMatch]:
    """Every place a rule's suspicious form occurs and none of its ``unless`` words is
    near, with whether its Arabic context is near. A rule's longer form wins over a
    shorter one inside it (رجال الخفافيش, not also الخفافيش)."""
    out = []
    covered: dict[str, int] = {}  # rule id → end of its last match
    for i in range(len(tokens)):
        for rule in rules:
            if covered.get(rule.id, 0) > i:
                continue
            for seq in rule.wrong:  # longest first (resources.wrong_sense)
                if not _matches_at(tokens, i, seq):
                    continue
                end = i + len(seq)
                covered[rule.id] = end
                if rule.unless and _near(tokens, i, end, window, rule.unless):
                    break
                context = not rule.context or _near(tokens, i, end, window, rule.context)
                out.append(SenseMatch(rule, i, end, context=context))
                break
    return out


def trigger_spans(rule: SenseRule, source: str) -> list[tuple[int, int]]:
    """Character spans of the rule's English words (source_en) in the source sentence."""
    return [m.span() for p in rule.source_en for m in p.finditer(source)]


def judge(m: SenseMatch, source: str | None, aligned_spans: list[tuple[int, int]] | None) -> SenseMatch:
    """Fill in the source evidence of a candidate. ``aligned_spans`` are the character
    spans (in ``source``) of the English words aligned to the candidate's Arabic words, or
    None when no word alignment is available."""
    if not source:
        return m
    spans = trigger_spans(m.rule, source)
    aligned = aligned_spans is not None and any(a < e and s < b for s, e in spans for a, b in aligned_spans)
    return SenseMatch(m.rule, m.start_token, m.end_token, m.context, bool(spans), aligned, True)


def fires(m: SenseMatch, word_aligned: bool) -> bool:
    """With a source and the rule's English words: the Arabic form must translate one of
    them (aligned to it), or, without a word alignment, one must occur in the sentence.
    Without a source, the rule's Arabic context must be near."""
    if m.has_source and m.rule.source_en:
        return m.aligned if word_aligned else m.trigger_in_source
    return m.context


def find_senses(
    tokens: list[Token], rules: list[SenseRule], source: str | None, window: int = 4
) -> list[SenseMatch]:
    """Rule matches in ``tokens`` (one sentence) judged without word alignment: by the
    Arabic context, or by the source sentence when one is given."""
    out = []
    for m in candidates(tokens, rules, window):
        m = judge(m, source, None)
        if fires(m, word_aligned=False):
            out.append(m)
    return out


def carry_prefix(token_folded: str, token_text: str, bare: str, replacement: str, article_ok: bool = True) -> str:
    """Put the token's clitics and article on the replacement (الإضرابات → الغارات,
    لسيارة → لسوريا); the prefix is taken from the delivered text as written.

    ``article_ok`` is False when the replacement cannot take the article: a name
    (السيارة → سوريا, not السوريا) or a phrase (الدوري → جامعة الدول العربية); then only
    the clitics و ف ب ل ك are carried.
    """
    cut = len(token_folded) - len(bare)
    if cut <= 0:
        return replacement
    prefix = token_folded[:cut]  # clitics and article only: folding does not change them
    if prefix.endswith("ال"):
        clitics, article = prefix[:-2], True
    elif prefix.endswith("لل"):
        clitics, article = prefix[:-1], True  # للغارات = ل + الغارات
    else:
        clitics, article = prefix, False
    body = replacement
    if replacement.startswith("ال"):
        body, article = replacement[2:], True
    elif not article_ok:
        article = False
    if not article:
        return clitics + body
    return clitics + ("ل" if clitics.endswith("ل") else "ال") + body


# English words of a rule's source_en phrase that say nothing about the sense by themselves
# ("charged with": only "charged" gets the alignment prior).
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with from by as and or was were be been is are has have had "
    "his her their its him them he she they it this that who which".split()
)
# How much the alignment is told that MT writes the rule's form for its English word: a
# Dirichlet prior the size of a few corpus sightings, so that a right translation with
# stronger evidence (car → سيارة) still wins.
CONFUSION_PRIOR = 2.0


@dataclass(frozen=True)
class ArticleSense:
    segment_id: str
    tokens: list[Token]
    match: SenseMatch
    fired: bool = True

    def features(self) -> dict[str, float]:
        """Evidence for the fitted confidence (calibration model "wrong-sense")."""
        m = self.match
        return {
            "aligned_to_trigger": float(m.aligned),
            "trigger_not_aligned": float(m.has_source and m.trigger_in_source and not m.aligned),
            "trigger_absent": float(m.has_source and not m.trigger_in_source),
            "context": float(m.context),
            "no_source": float(not m.has_source),
            "minor_rule": float(m.rule.severity is Severity.MINOR),
            "phrase_form": float(m.end_token - m.start_token > 1),
        }


def article_senses(
    article, segments, rules: list[SenseRule], window: int = 4, align: bool = True, keep_all: bool = False
) -> list[ArticleSense]:
    """Wrong-sense matches in an article's content segments. With a source, each unit
    (mtaudit.alignment.source_units) holding a candidate whose rule's English word occurs
    in its source sentence is word-aligned (mtaudit.word_alignment, one call per article)
    and the candidate fires only when its Arabic words are aligned to that English word;
    without eflomal it fires when the word occurs in the sentence (the old behaviour).
    Without a source, the rule's Arabic context decides. ``keep_all`` also returns the
    candidates that do not fire (``fired`` False), for fitting the confidence."""
    from .alignment import source_units
    from .tokens import tokenize

    has_source = bool(article.source or article.record_sources)
    units = source_units(article, segments) if has_source else []
    unit_of = {s.segment_id: k for k, (_, segs) in enumerate(units) for s in segs}
    tokens_of = {seg.segment_id: tokenize(seg.text, seg.start) for seg in segments}
    cands = {seg.segment_id: candidates(tokens_of[seg.segment_id], rules, window) for seg in segments}
    judged: dict[str, list[SenseMatch]] = {}
    need: set[int] = set()
    for seg in segments:
        k = unit_of.get(seg.segment_id)
        src = units[k][0] if k is not None else None
        judged[seg.segment_id] = [judge(m, src, None) for m in cands[seg.segment_id]]
        if any(m.has_source and m.rule.source_en and m.trigger_in_source for m in judged[seg.segment_id]):
            need.add(k)
    aligner = None
    if need and align:
        from .word_alignment import aligner as _get

        aligner = _get()
    word_aligned = aligner is not None
    if aligner is not None:
        from .word_alignment import arabic_key, english_key, english_tokens

        order = sorted(need)
        pairs, offsets, extra = [], {}, {}
        for k in order:
            src, segs = units[k]
            toks: list[Token] = []
            for s in segs:
                offsets[s.segment_id] = (k, len(toks))
                toks += tokens_of[s.segment_id]
            pairs.append((src, toks))
            en_toks = english_tokens(src)
            for s in segs:
                for m in judged[s.segment_id]:
                    if not m.trigger_in_source:
                        continue
                    ar_keys = [arabic_key(t.folded) for t in tokens_of[s.segment_id][m.start_token : m.end_token]]
                    for a, b in trigger_spans(m.rule, src):
                        for t in en_toks:
                            if t.start < b and a < t.end and t.text.lower() not in _FUNCTION_WORDS:
                                for ak in ar_keys:
                                    key = (english_key(t.text), ak)
                                    extra[key] = max(extra.get(key, 0.0), CONFUSION_PRIOR)
        result = dict(zip(order, aligner.align(pairs, extra)))
        for seg in segments:
            if seg.segment_id not in offsets:
                continue
            k, base = offsets[seg.segment_id]
            u, src = result[k], units[k][0]
            new = []
            for m in judged[seg.segment_id]:
                if m.trigger_in_source:
                    spans = [(u.english[i].start, u.english[i].end) for i, j in u.links if base + m.start_token <= j < base + m.end_token]
                    m = judge(m, src, spans)
                new.append(m)
            judged[seg.segment_id] = new
    out = []
    for seg in segments:
        for m in judged[seg.segment_id]:
            ok = fires(m, word_aligned)
            if ok or keep_all:
                out.append(ArticleSense(seg.segment_id, tokens_of[seg.segment_id], m, ok))
    return out
