"""English words merely written in Arabic letters (أراب for "Arab")."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING

import regex

from ..knowledge.senses import bare_forms, clitic_forms
from ..names.channel import latin_to_arabic
from ..text.frequency import arabic_zipf, english_top, english_zipf
from ..text.phonetic import sounded_english
from ..text.placeholders import placeholder_spans
from ..text.tokens import Token, is_arabic_word, positions_in, tokenize, word_set
from ..types import Severity
from . import CheckContext, capped, check

if TYPE_CHECKING:
    from ..knowledge.resources import Loanwords

_ENGLISH_VOCABULARY = 30_000  # most common English words considered
_MIN_LETTERS = 4
_COMMON_ENGLISH = 4.0  # rarer English words (proton, kayak) are often borrowed as they are
_VERY_COMMON_ENGLISH = 5.0  # zipf: English words this common are almost never names
_UNSEEN_ARABIC = 1.0  # without a source, the spelling must be unseen in Arabic
_ORDINARY_ARABIC = 3.0  # with the source naming the word, anything rarer than this
# A word matched by its sound alone (mtaudit.text.phonetic) must be rarer than this in Arabic:
# a word has up to 48 sound spellings, which take in ordinary Arabic words (summit: سميت,
# سمات; foreign: الفارون) and loans Arabic writers spell by ear (هيليكوبتر, غيتار, كونسول).
_RARE_ARABIC = 2.0
_JOINED = regex.compile(r"\s*-?\s*")  # between two words of one name: spaces, a hyphen


@lru_cache(maxsize=1)
def english_in_arabic_letters():
    """Folded Arabic-letter rendering → the common English word it spells. Exact renderings
    only: looser matching finds English in ordinary Arabic (الإرهاب is not "arab").
    Compiled once (mtaudit.knowledge.compiled: a LazyTable, loaded in a millisecond)."""
    from ..knowledge.compiled import compiled_table

    return compiled_table(
        "english-in-arabic-letters",
        _english_in_arabic_letters,
        modules=(__name__, "mtaudit.names.channel", "mtaudit.text.normalize"),
        packages=("wordfreq",),
    )


def _english_in_arabic_letters() -> dict[str, str]:
    out: dict[str, str] = {}
    for word in english_top(_ENGLISH_VOCABULARY):
        if word.isascii() and word.isalpha() and len(word) >= 3:
            out.setdefault(latin_to_arabic(word), word)
    return out


@lru_cache(maxsize=65536)
def english_readings(bare: str) -> tuple[tuple[str, bool], ...]:
    """(English word, by sound only) for each common English word ``bare`` (folded, no
    clitics) writes: first the word it spells letter by letter (mtaudit.names.channel), then
    those whose pronunciation it writes (mtaudit.text.phonetic: سيكيوريتي, كاونسل), most common
    first."""
    spelled = english_in_arabic_letters().get(bare)
    out = [(spelled, False)] if spelled else []
    out += [(w, True) for w in sounded_english(bare) if w != spelled]
    return tuple(out)


def spelled_english(bare: str) -> str | None:
    """The English word ``bare`` (folded, no clitics) is written in Arabic letters, by its
    spelling or by its sound, if any."""
    readings = english_readings(bare)
    return readings[0][0] if readings else None


def _source_words(source: str) -> set[str]:
    """Lower-case words of the source used as common words: written in lower case
    somewhere (names and titles are capitalised everywhere)."""
    return {w for w in regex.findall(r"[A-Za-z]+", source) if w.islower()}


def _source_any_case(source: str) -> set[str]:
    return {w.lower() for w in regex.findall(r"[A-Za-z]+", source)}


def _reported(
    english: str,
    by_sound: bool,
    zipf_ar: float,
    loanwords: Loanwords,
    in_source: set[str] | None,
    named_in_source: set[str],
    in_name: Callable[[], bool],
) -> bool:
    """Whether an Arabic word (``zipf_ar`` common in Arabic) that writes ``english`` is
    reported; ``in_source`` is None without a source; ``in_name()`` tells whether the word
    stands next to another word of the source in Arabic letters."""
    known_copy = english in loanwords.translation
    if in_source is not None:
        if zipf_ar >= (_RARE_ARABIC if by_sound else _ORDINARY_ARABIC):
            return False
        if known_copy and english in named_in_source:
            return True
        return english in in_source and english_zipf(english) >= _COMMON_ENGLISH and not in_name()
    if known_copy and (not by_sound or zipf_ar < _RARE_ARABIC):
        return True
    return zipf_ar < _UNSEEN_ARABIC and english_zipf(english) >= _VERY_COMMON_ENGLISH


def _writes_source_word(token: Token, named_in_source: set[str]) -> bool:
    """Whether ``token`` writes in Arabic letters a word the source has (any case)."""
    return any(e in named_in_source for bare in bare_forms(token.folded) for e, _ in english_readings(bare))


def _next_to_source_word(text: str, base: int, tokens: list[Token], i: int, named_in_source: set[str]) -> bool:
    """Whether a token right before or after ``tokens[i]`` (only spaces or a hyphen between)
    writes a word of the source in Arabic letters: the two are one name or title
    (تكساس رينجيرز for "Texas rangers", إيبك غيمز for "Epic games")."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            left, right = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
            if _JOINED.fullmatch(text[left.end - base : right.start - base]) and _writes_source_word(
                tokens[j], named_in_source
            ):
                return True
    return False


def _inside_accepted_phrases(tokens: list[Token], accepted: frozenset[str]) -> set[int]:
    """Indices of tokens inside an established multi-word spelling of the loanword table
    (أراب نيوز, the newspaper Arab News), the first word possibly with clitics (لأراب نيوز)."""
    firsts = _phrase_first_words(accepted)
    starters = clitic_forms(firsts)  # a first word, bare or with clitics: one set lookup a token
    inside: set[int] = set()
    for i in positions_in(tokens, starters):
        forms = bare_forms(tokens[i].folded)  # the word itself and its readings without clitics
        starts = [f for f in forms if f in firsts]
        for n in (2, 3, 4):
            if i + n > len(tokens):
                break
            rest = " ".join(t.folded for t in tokens[i + 1 : i + n])
            if any(f"{first} {rest}" in accepted for first in starts):
                inside.update(range(i, i + n))
    return inside


#: Distinct words whose candidate reading is remembered (news vocabulary is Zipfian: most
#: tokens are words met before; past this the oldest are dropped, gazetteer.remember).
_WORDS_KEPT = 100_000


def _english_candidate(folded: str, loanwords: Loanwords, gaz) -> tuple[str, tuple[tuple[str, bool], ...]] | None:
    """(bare form, its English readings) of the one reading of a word (folded) the check
    weighs, or None when the word cannot be English in Arabic letters. It depends on the
    word and the reference data only (loanwords, gazetteer), so it is remembered per word.

    The reading weighed is the longest (least clitics read off) of at least
    :data:`_MIN_LETTERS` letters that writes an English word. None when that reading is an
    established loanword or a name, or when another reading of the clitics gives an
    ordinary Arabic word (للتول read as ل + "لتول" (little) is لل + تول, a word Arabic text
    uses)."""
    forms = bare_forms(folded)
    for bare in sorted(forms, key=len, reverse=True):  # readings differ in length: no ties
        if len(bare) < _MIN_LETTERS:
            continue  # (tested first: finding the readings is the costly part)
        readings = english_readings(bare)
        if not readings:
            continue
        if bare in loanwords.accepted or gaz.is_accepted(bare) or bare in gaz.latin_forms:
            return None
        if any(b != bare and len(b) >= 3 and arabic_zipf(b) >= _ORDINARY_ARABIC for b in forms):
            return None
        return bare, readings
    return None


def _english_reported(
    t: Token, bare: str, readings, loanwords: Loanwords, in_source: set[str] | None, named_in_source: set[str],
    seg, tokens: list[Token], i: int,
) -> str | None:
    """The English word the check reports ``t`` (a candidate: ``bare`` writes ``readings``)
    as, if any; ``in_source`` None without a source."""
    in_name = partial(_next_to_source_word, seg.text, seg.start, tokens, i, named_in_source) if seg else None
    zipf_ar = max(arabic_zipf(t.text), arabic_zipf(bare))
    return next(
        (e for e, by_sound in readings if _reported(e, by_sound, zipf_ar, loanwords, in_source, named_in_source, in_name)),
        None,
    )


def _reportable_without_source(bare: str, readings, loanwords: Loanwords) -> bool:
    """Whether some spelling of a word whose candidate reading is ``bare`` (writing
    ``readings``) may be reported without a source: :func:`_reported`'s test without one,
    with the Arabic word at its least common (``bare``'s: :func:`_english_reported` weighs
    the commoner of it and the word as written). False tells that no spelling of the word
    is reported, so that a segment without such words needs no look at its tokens."""
    least = arabic_zipf(bare)
    return any(
        (english in loanwords.translation and (not by_sound or least < _RARE_ARABIC))
        or (least < _UNSEEN_ARABIC and english_zipf(english) >= _VERY_COMMON_ENGLISH)
        for english, by_sound in readings
    )


#: In :class:`_WordMemo`, a word not seen yet.
_UNSEEN = object()
_FOLDED = attrgetter("folded")


class _WordMemo:
    """Per distinct folded word, for one set of reference data (the loanword table and the
    gazetteer, compared by identity: another set starts afresh): None when the word has no
    Arabic letter, else :func:`_english_candidate`. Bounded: past :data:`_WORDS_KEPT` words
    the oldest are dropped."""

    _current: "_WordMemo | None" = None

    def __init__(self, loanwords: Loanwords, gaz) -> None:
        self.loanwords, self.gaz = loanwords, gaz
        self.words: dict[str, tuple | None] = {}
        # the words of ``words``, and those of them with a candidate reading, as sets: a
        # segment is then tested by set operations on its words (mtaudit.text.tokens.word_set)
        self.seen: set[str] = set()
        self.found: set[str] = set()
        # those of ``found`` that may be reported without a source (_reportable_without_source):
        # a few of them (كورونا, مارس, التي have readings, and are never reported unsourced)
        self.reportable: set[str] = set()
        # Without a source, a cheaper first test per word (:meth:`may_report`): the words it
        # was asked of, and those it could not rule out
        self.asked: set[str] = set()
        self.maybe: set[str] = set()
        self.without_source: dict[str, str | None] = {}

    @classmethod
    def of(cls, loanwords: Loanwords, gaz) -> "_WordMemo":
        memo = cls._current
        if memo is None or memo.loanwords is not loanwords or memo.gaz is not gaz:
            memo = cls._current = cls(loanwords, gaz)
        return memo

    def candidate(self, token: Token):
        return self.of_word(token.folded)

    def of_word(self, folded: str):
        value = self.words.get(folded, _UNSEEN)
        if value is _UNSEEN:
            if len(self.words) >= _WORDS_KEPT:
                oldest = next(iter(self.words))
                del self.words[oldest]
                self.seen.discard(oldest)
                self.found.discard(oldest)
                self.reportable.discard(oldest)
            value = self.words[folded] = (
                _english_candidate(folded, self.loanwords, self.gaz) if is_arabic_word(folded) else None
            )
            self.seen.add(folded)
            if value is not None:
                self.found.add(folded)
                if _reportable_without_source(*value, self.loanwords):
                    self.reportable.add(folded)
        return value

    def none_in(self, forms: frozenset[str]) -> bool:
        """Whether no word of ``forms`` (a segment's, mtaudit.text.tokens.word_set) has a
        candidate reading, by set operations (the words not met before weighed first);
        False when that cannot be told so (a word dropped from the memo meanwhile)."""
        if not forms <= self.seen:
            for folded in forms - self.seen:
                self.of_word(folded)
            if not forms <= self.seen:
                return False
        return self.found.isdisjoint(forms)

    def may_report(self, folded: str) -> bool:
        """Whether the word (folded) may be reported without a source: False only when no
        reading of it can be (a necessary test of :func:`_reportable_without_source`
        for :func:`_english_candidate`'s reading, cheaper than finding that reading). A
        reading of at least :data:`_MIN_LETTERS` letters this common in Arabic is reported
        without a source only as a known phonetic copy spelled letter by letter, which
        needs no sound matching to rule out; a rarer one is weighed in full."""
        if not is_arabic_word(folded):
            return False
        longest = [b for b in bare_forms(folded) if len(b) >= _MIN_LETTERS]
        if not longest:
            return False  # no reading is long enough to be weighed
        if any(arabic_zipf(b) < _RARE_ARABIC for b in longest):
            candidate = self.of_word(folded)
            return candidate is not None and folded in self.reportable
        spelled = english_in_arabic_letters()
        translation = self.loanwords.translation
        return any(spelled.get(b) in translation for b in longest)

    def none_reportable(self, forms: frozenset[str]) -> bool:
        """Whether no word of ``forms`` (a segment's) may be reported without a source
        (:meth:`may_report`), by set operations for the words asked before."""
        if not forms <= self.asked:
            if len(self.asked) >= _WORDS_KEPT:
                self.asked.clear()
                self.maybe.clear()
            for folded in forms - self.asked:
                if self.may_report(folded):
                    self.maybe.add(folded)
            self.asked.update(forms)
        return self.maybe.isdisjoint(forms)

    def unsourced(self, token: Token, bare: str, readings) -> str | None:
        """:func:`_english_reported` without a source (a candidate's verdict then depends on
        the word as written alone)."""
        try:
            return self.without_source[token.text]
        except KeyError:
            if len(self.without_source) >= _WORDS_KEPT:
                self.without_source.pop(next(iter(self.without_source)))
            value = self.without_source[token.text] = _english_reported(
                token, bare, readings, self.loanwords, None, set(), None, [], 0
            )
            return value


@lru_cache(maxsize=4)
def _phrase_first_words(accepted: frozenset[str]) -> frozenset[str]:
    """First words of the accepted spellings of several words."""
    return frozenset(p.split(" ", 1)[0] for p in accepted if " " in p)


@check(
    "english-in-arabic",
    severity=Severity.MAJOR,
    category="untranslated",
    version="3",
    scope="article",
    resources=("gazetteer", "loanwords", "placeholders"),
)
def english_in_arabic(ctx: CheckContext):
    """English in Arabic letters: an English word transliterated instead of translated.

    MT leaves words it cannot place as their English sound in Arabic letters ("Arab" as
    أراب in "روسيا-أراب", "security" as سيكيوريتي). A word, after its clitics, matches an
    English word (one of the 30,000 most common) in one of two ways:

    - by spelling: it is the English word written letter by letter
      (mtaudit.names.channel.latin_to_arabic: أراب, كوميتي);
    - by sound: it is one of the usual Arabic spellings of the word's pronunciation in the
      CMU Pronouncing Dictionary (mtaudit.text.phonetic): consonants letter for letter, long
      vowels written, short vowels written or dropped, up to 48 spellings per word
      (سيكيوريتي, كاونسل, بيبول, بريزيدنت, ميتينغ). A word has many sound spellings, so a
      match by sound alone must be rare in Arabic (wordfreq zipf < 2): commoner ones are
      Arabic words (سميت, سمات, الفارون) or loans spelt by ear (هيليكوبتر, غيتار).

    It is reported when:

    - with an English source: the source uses that word in lower case (a common word, not
      a name: Texas and LeBron are written in Arabic letters on purpose) and it is a common
      English word (zipf ≥ 4; rarer ones such as proton or kayak are borrowed as they
      are), and the word next to it (only a space or hyphen between) is not itself a word
      of the source in Arabic letters (together they write a name or title: تكساس رينجيرز
      for "Texas rangers", إيبك غيمز for "Epic games"); or it is a known phonetic copy
      (references/loanwords.tsv: Arab, council) the source has in any case; and in both
      cases the Arabic spelling is not an ordinary Arabic word (wordfreq zipf < 3; < 2 for
      a match by sound alone);
    - without one: it is a known phonetic copy (matched by sound alone: zipf < 2), or the
      English word is very common (zipf ≥ 5, never a name) and the spelling is never seen
      in Arabic (zipf < 1).

    The confidence is a fitted probability (references/calibration.tsv, model
    english-in-arabic, scripts/fit_check_confidence.py: source words put in Arabic letters
    into clean copy against the check's findings on clean copy) over the evidence: a source
    was checked, a match by sound only, a known phonetic copy, how common the English word
    is, how common the Arabic spelling is, its length, a clitic. Below 0.5 it is minor.

    Placeholders (references/placeholders.tsv: an Arabic #hashtag or @handle) are never
    reported. Established loanwords (references/loanwords.tsv: تلفزيون, إنترنت, ديمقراطية; also
    multi-word titles written in Arabic letters on purpose, such as أراب نيوز) and names
    (the gazetteer and Wikidata's name words) are never reported. English in Latin letters
    is not this check's business. The suggestion comes from the loanword table's Arabic
    equivalents when it has one.
    """
    loanwords = ctx.resources.loanwords
    gaz = ctx.resources.gazetteer
    has_source = bool(ctx.article.source or ctx.article.record_sources)
    units = ctx.source_units if has_source else [("", ctx.content_segments)]
    words = _WordMemo.of(loanwords, gaz)
    for source, segments in units:
        in_source = _source_words(source) if source else set()
        named_in_source = _source_any_case(source) if source else set()
        for seg in segments:
            if not has_source:
                # only the words that may be reported without a source are weighed (the
                # others' verdict is None): nearly every segment has none
                if words.none_reportable(word_set(seg.text, seg.start)):
                    continue
                tokens = tokenize(seg.text, seg.start)
                candidates = [
                    (i, c)
                    for i in positions_in(tokens, words.maybe)
                    if (c := words.candidate(tokens[i])) is not None and tokens[i].folded in words.reportable
                ]
            else:
                if words.none_in(word_set(seg.text, seg.start)):
                    continue  # nearly every segment: no word can be English in Arabic letters
                tokens = tokenize(seg.text, seg.start)
                # the remembered readings of the words met before, looked up at C speed (nearly
                # every word was met before, and nearly none can be English in Arabic letters)
                found = list(map(words.words.get, map(_FOLDED, tokens), repeat(_UNSEEN)))
                if _UNSEEN in found:
                    found = [words.candidate(t) if c is _UNSEEN else c for t, c in zip(tokens, found)]
                if found.count(None) == len(found):
                    continue  # nearly every segment: no word can be English in Arabic letters
                candidates = [(i, c) for i, c in enumerate(found) if c is not None]
            in_title = held = None  # found when a candidate needs them
            for i, candidate in candidates:
                t = tokens[i]
                bare, readings = candidate
                if has_source:
                    english = _english_reported(t, bare, readings, loanwords, in_source, named_in_source, seg, tokens, i)
                else:
                    # without a source the verdict depends on the word alone: remembered
                    english = words.unsourced(t, bare, readings)
                if english is None:
                    continue
                if in_title is None:
                    in_title = _inside_accepted_phrases(tokens, loanwords.accepted)
                    held = placeholder_spans(seg.text, ctx.resources.placeholders, seg.start)
                if i in in_title or (held and any(s < t.end and t.start < e for s, e in held)):
                    continue  # a placeholder (an Arabic #hashtag, @handle) is never "English"
                zipf_ar = max(arabic_zipf(t.text), arabic_zipf(bare))
                suggestion = loanwords.translation.get(english, "")
                by_sound = dict(readings)[english]
                features = {
                    "source_checked": float(has_source),
                    "by_sound": float(by_sound),
                    "known_copy": float(english in loanwords.translation),
                    "english_zipf": english_zipf(english) - _COMMON_ENGLISH,
                    "arabic_zipf": zipf_ar,
                    "letters": len(bare) / 10,
                    "clitic": float(bare != t.folded),
                }
                p = ctx.fitted_confidence("english-in-arabic", features, t.start, t.end)
                yield ctx.finding(
                    t.start,
                    t.end,
                    f"“{t.text}” is the English word “{english}” written in Arabic letters"
                    + (" (the source has it)" if has_source else "")
                    + (f": write “{suggestion}”." if suggestion else ": translate it."),
                    suggestion=suggestion,
                    confidence=p,
                    severity=capped(Severity.MAJOR, p),
                )
