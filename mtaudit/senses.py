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


def find_senses(
    tokens: list[Token], rules: list[SenseRule], source: str | None, window: int = 4
) -> list[SenseMatch]:
    """Rule matches in ``tokens`` (one sentence), judged by the Arabic context, or by the
    source when one is given. A rule's longer form wins over a shorter one inside it
    (رجال الخفافيش, not also الخفافيش)."""
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
                if rule.unless and _near(tokens, i, end, window, rule.unless):
                    continue
                if source and rule.source_en:
                    fires = any(p.search(source) for p in rule.source_en)
                else:
                    fires = not rule.context or _near(tokens, i, end, window, rule.context)
                if fires:
                    out.append(SenseMatch(rule, i, end))
                    covered[rule.id] = end
                    break
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
