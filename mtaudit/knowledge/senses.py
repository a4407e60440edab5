"""Wrong-sense rules: an English word with several senses rendered in the wrong one.

Rules live in references/wrong_sense.tsv (see references/README.md). Each names the
suspicious Arabic form(s), the Arabic context that shows the sense is wrong, the English
source words that show it when a source is given, the words that make the sense right
after all (سيارة مفخخة is a car bomb), the right rendering, a severity and an explanation.

Matching is on folded words with their clitics (و ف ب ل ك) and article taken off, so one
rule form covers والإضرابات, بالإضرابات and إضرابات alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..text.morphology import proclitic_chains
from ..text.normalize import fold
from ..text.tokens import Token, positions_in
from ..types import Severity

#: Proclitic chains (conjunction, preposition, article) read off a word to find the form a
#: rule names (mtaudit.text.morphology).
_CLITICS = proclitic_chains(article=True)


@lru_cache(maxsize=200_000)
def bare_forms(folded: str) -> frozenset[str]:
    """The word and every reading of it with leading clitics and article removed
    (remembered per word: the same words come back in every sentence)."""
    out = {folded}
    for c in _CLITICS:
        if folded.startswith(c) and len(folded) - len(c) >= 2:
            out.add(folded[len(c) :])
    return frozenset(out)


@lru_cache(maxsize=16)
def clitic_forms(words: frozenset[str]) -> frozenset[str]:
    """Every folded word whose :func:`bare_forms` include one of ``words``: the words
    themselves and each with a clitic chain before it (one set lookup per token then tells
    what :func:`bare_forms` and a test against ``words`` would; ``words`` of two letters or
    more, as bare_forms keeps)."""
    return frozenset(words) | {c + w for c in _CLITICS for w in words if len(w) >= 2}


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
    source_en: tuple["EnglishPattern", ...]
    unless: tuple[tuple[str, ...], ...]
    correct: tuple[str, ...]
    severity: Severity
    explanation: str
    origin: str


class EnglishPattern:
    """A rule's English word as a compiled regex, compiled on first use: the table has
    hundreds and only an audit with sources needs them."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def compiled(self) -> "regex.Pattern[str]":
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern, self.flags)
        return self._compiled

    def finditer(self, text: str):
        return self.compiled().finditer(text)

    def search(self, text: str):
        return self.compiled().search(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnglishPattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __getstate__(self):
        return (self.pattern, self.flags)

    def __setstate__(self, state) -> None:
        self.pattern, self.flags = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"EnglishPattern({self.pattern!r})"


def english_pattern(word: str) -> EnglishPattern:
    """``strik*`` matches strike, strikes, striking; other words match whole. A word
    written in lower case matches any case; one written with a capital matches only so
    written (Turkey the country, not turkey the bird)."""
    word = word.strip()
    stem = regex.escape(word.rstrip("*"))
    tail = r"\p{L}*" if word.endswith("*") else ""
    flags = 0 if any(c.isupper() for c in word) else regex.IGNORECASE
    return EnglishPattern(rf"(?<!\p{{L}}){stem}{tail}(?!\p{{L}})", flags)


@dataclass(frozen=True)
class SenseMatch:
    rule: SenseRule
    start_token: int
    end_token: int  # exclusive
    # Evidence, for the fitted confidence (mtaudit.knowledge.calibration, model "wrong-sense"):
    context: bool = False  # the rule's Arabic context is within the window
    trigger_in_source: bool = False  # one of the rule's English words is in the source sentence
    aligned: bool = False  # the Arabic form is word-aligned to one of those English words
    has_source: bool = False
    # the Arabic form is aligned to an English word that can also mean the right sense (the
    # lexicon links it to the rule's right rendering: "released" → أفرج as well as أصدر),
    # and the rule's English words are elsewhere in the sentence ("three hostages")
    ambiguous: bool = False


def _matches_at(tokens: list[Token], i: int, seq: tuple[str, ...]) -> bool:
    if i + len(seq) > len(tokens):
        return False
    if seq[0] not in bare_forms(tokens[i].folded):
        return False
    return all(tokens[i + k].folded == w or w in bare_forms(tokens[i + k].folded) for k, w in enumerate(seq[1:], 1))


def _near(tokens: list[Token], start: int, end: int, window: int, words) -> bool:
    """Whether one of the word sequences ``words`` occurs (as :func:`_matches_at` matches)
    among the ``window`` tokens either side of tokens[start:end], the span left out."""
    lo, hi = max(0, start - window), min(len(tokens), end + window)
    around = [t for j, t in enumerate(tokens[lo:hi], lo) if not start <= j < end]
    forms = [bare_forms(t.folded) for t in around]
    present = frozenset().union(*forms)  # a sequence whose first word is not here cannot match
    if present.isdisjoint(_first_words(words)):
        return False  # (one set operation: nearly always, no sequence's first word is near)
    for seq in words:
        first, rest = seq[0], seq[1:]
        if first not in present:
            continue
        for j in range(len(around) - len(seq) + 1):
            if first in forms[j] and all(
                around[j + k].folded == w or w in forms[j + k] for k, w in enumerate(rest, 1)
            ):
                return True
    return False


#: _first_words' answers: id of the sequences → (the sequences, their first words).
_FIRSTS: dict[int, tuple[object, frozenset[str]]] = {}


def _first_words(words) -> frozenset[str]:
    """The first words of the word sequences ``words`` (a rule's context or unless words:
    fixed reference data, so remembered by identity)."""
    hit = _FIRSTS.get(id(words))
    if hit is not None and hit[0] is words:
        return hit[1]
    if len(_FIRSTS) >= 4096:
        _FIRSTS.clear()
    firsts = frozenset(seq[0] for seq in words)
    _FIRSTS[id(words)] = (words, firsts)
    return firsts


_INDEX: dict[int, tuple[list, dict[str, list[tuple[int, "SenseRule", tuple[str, ...]]]], frozenset[str]]] = {}


def _form_index(rules: list[SenseRule]) -> tuple[dict[str, list[tuple[int, SenseRule, tuple[str, ...]]]], frozenset[str]]:
    """First word of every form → (rule position, rule, form), rules in table order and
    each rule's forms longest first; and the folded words that can start a form (with
    their clitics: :func:`clitic_forms`). Built once per rule list."""
    key = id(rules)
    hit = _INDEX.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1], hit[2]
    index: dict[str, list] = {}
    for k, rule in enumerate(rules):
        for seq in rule.wrong:
            index.setdefault(seq[0], []).append((k, rule, seq))
    starters = clitic_forms(frozenset(index))
    _INDEX[key] = (rules, index, starters)
    return index, starters


def candidates(tokens: list[Token], rules: list[SenseRule], window: int = 4) -> list[SenseMatch]:
    """Every place a rule's suspicious form occurs and none of its ``unless`` words is
    near, with whether its Arabic context is near. A rule's longer form wins over a
    shorter one inside it (رجال الخفافيش, not also الخفافيش)."""
    index, starters = _form_index(rules)
    out = []
    covered: dict[str, int] = {}  # rule id → end of its last match
    # one set lookup per token: no rule's form starts with nearly every word
    for i in positions_in(tokens, starters):
        forms = bare_forms(tokens[i].folded)
        found = [e for b in forms for e in index.get(b, ())]
        tried: set[str] = set()
        for _, rule, _ in sorted(found, key=lambda e: e[0]):
            if rule.id in tried or covered.get(rule.id, 0) > i:
                continue
            tried.add(rule.id)
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
        return (m.aligned or m.ambiguous) if word_aligned else m.trigger_in_source
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


def _confusions(m: SenseMatch, source: str, u, js) -> dict[tuple[str, str], float]:
    """The rule's own knowledge for the alignment: MT writes its Arabic form for its
    English words, as (english stem, arabic stem) → a prior count."""
    from ..text.word_alignment import arabic_key, english_key

    out = {}
    ar_keys = [arabic_key(u.arabic[j].folded) for j in js]
    for a, b in trigger_spans(m.rule, source):
        for t in u.english:
            if t.start < b and a < t.end and t.text.lower() not in _FUNCTION_WORDS:
                for ak in ar_keys:
                    out[(english_key(t.text), ak)] = CONFUSION_PRIOR
    return out


def _rule_english_keys(rule: SenseRule) -> set[str]:
    """Alignment stems of the content words of the rule's English phrases: the words
    the rule says can carry its right sense ("settlement" of "peace settlement")."""
    from ..text.word_alignment import english_key

    words = set()
    for p in rule.source_en:
        text = p.pattern.replace(r"\p{L}", " ")
        words |= {w.lower() for w in regex.findall(r"[A-Za-z]{3,}", text)}
    return {english_key(w) for w in words if w not in _FUNCTION_WORDS}


def _right_keys(rule: SenseRule) -> set[str]:
    """Alignment stems of the content words of the rule's right renderings."""
    from ..text.word_alignment import arabic_key

    return {arabic_key(fold(w)) for c in rule.correct for w in regex.findall(r"[\p{L}\p{M}]+", c) if len(fold(w)) >= 3}


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
            "aligned_ambiguous": float(m.ambiguous and not m.aligned),
            "trigger_not_aligned": float(m.has_source and m.trigger_in_source and not m.aligned and not m.ambiguous),
            "trigger_absent": float(m.has_source and not m.trigger_in_source),
            "context": float(m.context),
            "no_source": float(not m.has_source),
            "minor_rule": float(m.rule.severity is Severity.MINOR),
            "phrase_form": float(m.end_token - m.start_token > 1),
        }


def article_senses(
    article, segments, rules: list[SenseRule], window: int = 4, align: bool = True, keep_all: bool = False
) -> list[ArticleSense]:
    """Wrong-sense matches in an article's content segments. With a source, a candidate
    whose rule's English word occurs in the unit's source sentence (the units of
    mtaudit.text.alignment.source_units) asks the word aligner (mtaudit.text.word_alignment) which
    English word its Arabic words translate; it fires when that is one of the rule's
    English words, or a word that can also mean the right sense ("released" with
    "hostages" near: the lexicon links "released" to أفرج as well as to أصدر). Without the
    aligner's data it fires when the English word occurs in the sentence (the old
    behaviour). Without a source, the rule's Arabic context decides. ``keep_all`` also returns the
    candidates that do not fire (``fired`` False), for fitting the confidence."""
    from ..text.alignment import source_units
    from ..text.tokens import tokenize, word_set

    has_source = bool(article.source or article.record_sources)
    units = source_units(article, segments) if has_source else []
    unit_of = {s.segment_id: k for k, (_, segs) in enumerate(units) for s in segs}
    tokens_of = {seg.segment_id: tokenize(seg.text, seg.start) for seg in segments}
    _, starters = _form_index(rules)
    # a segment none of whose words can start a rule's form has no candidate (most)
    cands = {
        seg.segment_id: candidates(tokens_of[seg.segment_id], rules, window)
        if not starters.isdisjoint(word_set(seg.text, seg.start)) else []
        for seg in segments
    }
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
        from ..text.word_alignment import lexical_aligner

        aligner = lexical_aligner()
    word_aligned = aligner is not None
    if aligner is not None:
        from ..text.word_alignment import UnitAlignment, english_key, english_tokens

        for k in sorted(need):
            src, segs = units[k]
            toks: list[Token] = []
            base_of = {}
            for s in segs:
                base_of[s.segment_id] = len(toks)
                toks += tokens_of[s.segment_id]
            u = UnitAlignment(english_tokens(src), toks, set())
            for s in segs:
                new = []
                for m in judged[s.segment_id]:
                    if m.trigger_in_source:
                        js = range(base_of[s.segment_id] + m.start_token, base_of[s.segment_id] + m.end_token)
                        extra = _confusions(m, src, u, js)
                        i = aligner.best_english(u, js, extra)
                        spans = [(u.english[i].start, u.english[i].end)] if i is not None else []
                        m = judge(m, src, spans)
                        if i is not None and not m.aligned:
                            e = english_key(u.english[i].text)
                            if e in _rule_english_keys(m.rule) or aligner.knows(e, _right_keys(m.rule)):
                                m = replace(m, ambiguous=True)
                    new.append(m)
                judged[s.segment_id] = new
    out = []
    for seg in segments:
        for m in judged[seg.segment_id]:
            ok = fires(m, word_aligned)
            if ok or keep_all:
                out.append(ArticleSense(seg.segment_id, tokens_of[seg.segment_id], m, ok))
    return out
