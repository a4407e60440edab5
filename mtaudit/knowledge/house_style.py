"""Arabic typographic house style: reading references/house_style.tsv and finding where a
text departs from each convention. The checks (mtaudit/checks/house_style.py) report what
this module finds; scripts/house_style_prevalence.py counts, on clean human copy, how often
each convention is kept and broken.

Every function takes a delivered text and returns :class:`Departure` objects with offsets
into that text; nothing is rewritten. Spelling conventions look at each word with its
tashkeel and tatweel taken off (the letters folding would hide: hamza, ta marbuta, alef
maqsura, are what is checked here).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from ..run.memo import memoized
from ..text.charclass import BmpTwin
from ..text.frequency import COMMON_ZIPF, arabic_common_zipf, arabic_exact_zipf
from ..text.morphology import proclitic_chains

CONVENTIONS = (
    "style-punctuation", "style-digits", "style-tatweel", "style-hamza", "style-ta-marbuta",
    "style-alef-maqsura", "style-months",
)
KINDS = ("mark", "word", "except", "levantine", "egyptian", "setting")
_MARKS = regex.compile(r"[\u064B-\u065F\u0670\u0640]")  # tashkeel and tatweel
_MARK_CHARS = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0640])  # the same, as a set
_WORD = regex.compile(r"[\p{Arabic}\p{M}\u0640]+")
_WORD_RUNS = BmpTwin(_WORD.pattern, "[CLASS]+", {"CLASS": r"\p{Arabic}\p{M}\u0640"})  # the same, for whole texts
_ARABIC_LETTER = regex.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_WESTERN = regex.compile(r"(?<![\p{Latin}0-9])[0-9]+(?:[.,][0-9]+)*(?![\p{Latin}0-9])")
_ANY_DIGIT = regex.compile(r"[0-9\u0660-\u0669\u06F0-\u06F9]")
_EASTERN = regex.compile(r"[\u0660-\u0669\u06F0-\u06F9]+(?:[\u066B\u066C.,][\u0660-\u0669\u06F0-\u06F9]+)*")
# Proclitics (and the article) a word may carry before the letters a convention looks at.
#: Proclitic chains before a word's hamza alef, longest first, then none (mtaudit.text.morphology).
_PREFIXES = proclitic_chains(article=True, empty=True)


@dataclass(frozen=True)
class WordRule:
    form: str
    value: str
    prev: frozenset[str] = frozenset()
    next: frozenset[str] = frozenset()
    origin: str = ""


@dataclass
class HouseStyle:
    marks: dict[str, str] = field(default_factory=dict)
    words: dict[str, list[WordRule]] = field(default_factory=dict)  # convention → rules
    excepted: dict[str, frozenset[str]] = field(default_factory=dict)
    months: dict[str, tuple[str, int]] = field(default_factory=dict)  # plain name → (set, month)
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    # What the finders derive from the table (rules by form, frequency verdicts), kept with it.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def setting(self, convention: str, name: str, default: str = "") -> str:
        return self.settings.get(convention, {}).get(name, default)

    def gap(self, convention: str) -> float:
        return float(self.setting(convention, "min_zipf_gap", "1.0"))


def plain(text: str) -> str:
    """``text`` without tashkeel and tatweel."""
    return _MARKS.sub("", text)


def read_house_style(rows) -> HouseStyle:
    """A :class:`HouseStyle` from reference rows (mtaudit.knowledge.resources.Row); ValueError names the row."""
    hs = HouseStyle()
    words: dict[str, list[WordRule]] = {}
    excepted: dict[str, set[str]] = {}
    for r in rows:
        conv, kind, form, value = r["convention"], r["kind"], r["form"], r["value"]
        if conv not in CONVENTIONS:
            raise ValueError(f"{r.origin}: unknown convention {conv!r} (known: {', '.join(CONVENTIONS)})")
        if kind not in KINDS:
            raise ValueError(f"{r.origin}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
        if kind == "mark":
            hs.marks[form] = value
        elif kind == "word":
            prev: set[str] = set()
            nxt: set[str] = set()
            for part in filter(None, r["context"].split(";")):
                where, _, ws = part.partition(":")
                if where not in ("prev", "next"):
                    raise ValueError(f"{r.origin}: context must be prev:WORDS or next:WORDS")
                (prev if where == "prev" else nxt).update(plain(w) for w in ws.split("|") if w)
            words.setdefault(conv, []).append(WordRule(plain(form), value, frozenset(prev), frozenset(nxt), r.origin))
        elif kind == "except":
            excepted.setdefault(conv, set()).add(plain(form))
        elif kind in ("levantine", "egyptian"):
            if not value.isdigit() or not 1 <= int(value) <= 12:
                raise ValueError(f"{r.origin}: a month's value must be 1-12")
            hs.months[plain(form)] = (kind, int(value))
        else:
            hs.settings.setdefault(conv, {})[form] = value
    hs.words = words
    hs.excepted = {k: frozenset(v) for k, v in excepted.items()}
    for conv, name, allowed in (
        ("style-digits", "prefer", ("either", "western", "arabic-indic")),
        ("style-months", "set", ("either", "levantine", "egyptian")),
        ("style-months", "paired", ("either", "required", "forbidden")),
    ):
        if hs.setting(conv, name, "either") not in allowed:
            raise ValueError(f"house_style.tsv: {conv} {name} must be one of {', '.join(allowed)}")
    return hs


@dataclass(frozen=True)
class Departure:
    convention: str
    start: int
    end: int
    suggestion: str
    message: str
    strong: bool = False  # the evidence is strong (a listed word, a large frequency gap)
    # What the departure rests on, for the check's fitted confidence model (references/
    # calibration.tsv, scripts/fit_check_confidence.py): name -> value in [0, 1].
    evidence: dict = field(default_factory=dict, compare=False, hash=False)


class Word(NamedTuple):
    """An Arabic word of a text (a named tuple: every segment makes a score of them)."""

    text: str  # as delivered
    plain: str
    start: int
    end: int


def arabic_words(text: str) -> tuple[Word, ...]:
    """The Arabic words of ``text``. Shared within an article's audit (mtaudit.run.memo):
    three conventions read the same segment."""
    return memoized("house-style-words", text, _arabic_words, text)


def _arabic_words(text: str) -> tuple[Word, ...]:
    make = tuple.__new__  # Word(...) without the keyword handling of its __new__
    matches = list(_WORD.finditer(text))
    if not _MARKS.search(text):
        # no tashkeel or tatweel: every word is its plain form
        return tuple([make(Word, (w, w, s, e)) for m in matches for w, (s, e) in ((m.group(), m.span()),)])
    # The marks are word characters, so the words of the text without its marks are the
    # plain forms of its words in order, less any word of marks alone.
    plains = _WORD.findall(_MARKS.sub("", text))
    if len(plains) == len(matches):
        return tuple([make(Word, (m.group(), bare, *m.span())) for m, bare in zip(matches, plains)])
    out = []
    for m in matches:
        word = m.group()
        bare = _MARKS.sub("", word)
        if bare:
            out.append(make(Word, (word, bare, m.start(), m.end())))
    return tuple(out)


def _plain_forms(text: str) -> frozenset[str]:
    """The plain forms of the Arabic words of ``text`` (those of :func:`arabic_words`,
    without making the words: the marks are word characters, so the words of the text
    without its marks are the plain forms)."""
    plain = _MARKS.sub("", text) if _MARKS.search(text) else text
    return frozenset(_WORD_RUNS(plain).findall(plain))


def zipf(word: str) -> float:
    """wordfreq's zipf frequency of the spelling as written."""
    return arabic_exact_zipf(word)


def punctuation(text: str, hs: HouseStyle) -> list[Departure]:
    """Latin , ; ? written after an Arabic word (not between figures)."""
    out: list[Departure] = []
    if not any(m in text for m in hs.marks):
        return out
    for i, ch in enumerate(text):
        if ch not in hs.marks:
            continue
        before = text[:i].rstrip()
        after = text[i + 1:].lstrip()
        if not before or not _ARABIC_LETTER.match(plain(before[-1:]) or " "):
            continue
        if after and not (_ARABIC_LETTER.match(after[0]) or after[0] in "\"«»“”'()\n" or ch == "?"):
            continue
        evidence = {
            "mark_comma": float(ch == ","),
            "mark_question": float(ch == "?"),
            "sentence_end": float(not after or after[0] == "\n"),
            "digit_near": float(bool(regex.search(r"[0-9\u0660-\u0669]", text[max(0, i - 3):i + 4]))),
        }
        out.append(
            Departure("style-punctuation", i, i + 1, hs.marks[ch], f"Latin '{ch}' in Arabic copy: write '{hs.marks[ch]}'", True, evidence)
        )
    return out


def digit_system(text: str, hs: HouseStyle) -> str | None:
    """The digit system ("western" or "arabic-indic") a figure of this article is to be
    written in: the house's setting, else the system most of the article's figures use (the
    only one, in nearly every article); None when the article has no figure. A suggestion
    that writes a figure (number-mismatch's) follows it, so it never contradicts style-digits."""
    prefer = hs.setting("style-digits", "prefer", "either")
    if prefer != "either":
        return prefer
    if not _ANY_DIGIT.search(text):
        return None
    eastern = sum(1 for _ in _EASTERN.finditer(text))
    if not eastern:
        return "western"
    western = sum(1 for m in _WESTERN.finditer(text) if _in_arabic(text, m.start(), m.end()))
    return "western" if western >= eastern else "arabic-indic"


def in_digit_system(text: str, system: str | None) -> str:
    """``text`` with its digits (and decimal and thousands marks) written in ``system``."""
    if system == "arabic-indic":
        return _to_eastern(text)
    return _to_western(text) if system == "western" else text


def digits(text: str, hs: HouseStyle) -> list[Departure]:
    """Figures in the digit system the house does not use, or in the article's minority one."""
    if not _ANY_DIGIT.search(text):
        return []
    eastern = list(_EASTERN.finditer(text))
    prefer = hs.setting("style-digits", "prefer", "either")
    if prefer == "either" and not eastern:
        return []  # one system only (nearly every article): no need to find the Western figures
    western = [m for m in _WESTERN.finditer(text) if _in_arabic(text, m.start(), m.end())]
    if prefer == "either":
        if not western or not eastern:
            return []
        prefer = "western" if len(western) >= len(eastern) else "arabic-indic"  # (digit_system's rule)
        why = "this article writes most figures in {} digits"
    else:
        why = "house style: {} digits"
    wrong = eastern if prefer == "western" else western
    out = []
    for m in wrong:
        s = m.group()
        sugg = _to_western(s) if prefer == "western" else _to_eastern(s)
        evidence = {
            "house_setting": float(why.startswith("house")),
            "minority_share": len(wrong) / max(1, len(western) + len(eastern)),
            "figure_digits": min(sum(c.isdigit() for c in s), 4) / 4,
        }
        out.append(Departure("style-digits", m.start(), m.end(), sugg, why.format(prefer.replace("-", " ")) + f": write {sugg}", prefer != "either", evidence))
    return out


def _in_arabic(text: str, start: int, end: int) -> bool:
    """A Western figure inside Arabic copy, not part of Latin text (COVID-19, A4)."""
    left = text[max(0, start - 12):start]
    right = text[end:end + 12]
    return bool(_ARABIC_LETTER.search(left) or _ARABIC_LETTER.search(right)) and not regex.search(r"\p{Latin}[-\s]?$", left)


def _to_western(s: str) -> str:
    out = []
    for ch in s:
        cp = ord(ch)
        if 0x0660 <= cp <= 0x0669:
            out.append(str(cp - 0x0660))
        elif 0x06F0 <= cp <= 0x06F9:
            out.append(str(cp - 0x06F0))
        else:
            out.append({"\u066B": ".", "\u066C": ","}.get(ch, ch))
    return "".join(out)


def _to_eastern(s: str) -> str:
    return "".join(chr(0x0660 + int(ch)) if ch.isdigit() else {".": "\u066B", ",": "\u066C"}.get(ch, ch) for ch in s)


_STRETCH = regex.compile(r"\p{L}\p{M}*\u0640+\p{M}*\p{L}")  # a kashida between two letters


def tatweel(text: str, hs: HouseStyle) -> list[Departure]:
    """Kashida (U+0640) stretching a word between two of its letters. A tatweel ending a
    proclitic written apart before a figure or a Latin name (بـ 5, الـ BBC) is the
    convention for that, not a stretch."""
    out: list[Departure] = []
    if "\u0640" not in text or not _STRETCH.search(text):
        return out  # (a stretch in a word is one in the text)
    for w in arabic_words(text):
        if _STRETCH.search(w.text):
            evidence = {
                "kashidas": min(w.text.count("\u0640"), 3) / 3,
                "letters": min(len(w.plain), 10) / 10,
            }
            out.append(Departure("style-tatweel", w.start, w.end, w.text.replace("\u0640", ""), "Tatweel (kashida) in a word: remove it", True, evidence))
    return out


def _context_ok(rule: WordRule, words: tuple[Word, ...], k: int) -> bool:
    if rule.prev and not (k > 0 and words[k - 1].plain in rule.prev):
        return False
    if rule.next and not (k + 1 < len(words) and words[k + 1].plain in rule.next):
        return False
    return True


def _readings(w: str) -> list[tuple[str, str]]:
    """(proclitic, rest) readings of a word: itself, and without a leading و or ف."""
    out = [("", w)]
    if len(w) > 3 and w[0] in "وف":
        out.append((w[0], w[1:]))
    return out


def _rules_by_form(conv: str, hs: HouseStyle) -> dict[str, list[WordRule]]:
    """The convention's listed rules by form, each form's in table order (built once per table)."""
    key = ("rules", conv)
    index = hs.memo.get(key)
    if index is None:
        index = {}
        for rule in hs.words.get(conv, ()):
            index.setdefault(rule.form, []).append(rule)
        hs.memo[key] = index
    return index


def _listed_forms(conv: str, hs: HouseStyle) -> frozenset[str]:
    """Every plain word :func:`_word_entry` finds listed: a listed form, or one of three
    letters or more after و or ف (built once per table)."""
    key = ("listed-forms", conv)
    forms = hs.memo.get(key)
    if forms is None:
        by_form = _rules_by_form(conv, hs)
        forms = hs.memo[key] = frozenset(by_form) | {c + f for f in by_form if len(f) >= 3 for c in "وف"}
    return forms


def _listed(conv: str, words: tuple[Word, ...], k: int, hs: HouseStyle) -> str | None:
    by_form = _rules_by_form(conv, hs)
    w = words[k].plain
    if w not in by_form and not (len(w) > 3 and w[0] in "وف" and w[1:] in by_form):
        return None  # neither reading is listed (the test _readings would make)
    for prefix, rest in _readings(w):
        for rule in by_form.get(rest, ()):
            if _context_ok(rule, words, k):
                return prefix + rule.value
    return None


def _suggest(w: Word, old_plain: str, new_plain: str) -> str:
    """The suggested word: the delivered word when only its letters change (tashkeel kept
    is not worth the risk: give the plain form)."""
    return new_plain if w.plain == old_plain else w.text


#: Distinct words whose frequency verdict one table keeps per convention (a long batch
#: meets ever more rare words; past this the verdicts are dropped and recomputed).
_VERDICTS_KEPT = 200_000


def _frequency_verdict(plain_word: str, excepted: frozenset[str], candidates, gap: float):
    """(suggestion, strong, evidence) when another spelling of the word is far more common, else None.

    Only a candidate of zipf at least 3 can be suggested, so candidates are looked up in the
    common words alone, and the word's own (exact) frequency only when one is."""
    if any(rest in excepted for _, rest in _readings(plain_word)):
        return None
    best, best_z = None, 0.0
    for prefix, cand in candidates(plain_word):
        if cand == plain_word or plain_word[len(prefix):] in excepted:
            continue
        z = arabic_common_zipf(cand)
        if z > best_z:
            best, best_z = cand, z
    if not best or best_z < COMMON_ZIPF:
        return None
    here = arabic_exact_zipf(plain_word)
    if best_z - here >= gap:
        # How much more often the other spelling is written, and how common the delivered
        # one is in itself (a word in its own right: a real spelling, maybe).
        evidence = {"listed": 0.0, "gap": min(best_z - here, 8.0) / 8, "delivered_zipf": min(here, 8.0) / 8}
        return best, best_z - here >= gap + 0.5, evidence
    return None


#: In a convention's verdicts, a word not seen yet.
_UNSEEN = object()


class _Speller:
    """One spelling convention (hamza, ta marbuta, alef maqsura) over texts, with what it
    derives from the table and remembers per word set up once."""

    def __init__(self, conv: str, hs: HouseStyle, candidates, sites=None) -> None:
        self.conv, self.hs, self.candidates = conv, hs, candidates
        # ``sites(words)``: those of a set of words that may have a candidate spelling (a
        # necessary condition, found by set operations or one cheap test a word); the others
        # have no frequency verdict, so only whether they are listed is asked of them
        self.sites = sites
        self.gap = hs.gap(conv)
        self.excepted = hs.excepted.get(conv, frozenset())
        # What a word's letters alone decide, remembered per word: whether it is listed
        # (its form, or its reading without و/ف: then its context decides first) and its
        # frequency verdict, which depends on the letters and the convention's settings
        # only; None for the many words with neither. A segment is then tested with set
        # operations alone.
        memo_key = ("verdicts", conv, self.gap, tuple(sorted(hs.settings.get(conv, {}).items())))
        verdicts = hs.memo.get(memo_key)
        if verdicts is None or len(hs.memo[("seen", memo_key)]) > _VERDICTS_KEPT:
            verdicts = hs.memo[memo_key] = {}
            hs.memo[("seen", memo_key)], hs.memo[("departing", memo_key)] = set(), set()
        self.verdicts = verdicts  # the entries of the departing words (the others' are None)
        self.seen = hs.memo[("seen", memo_key)]  # every word whose entry is known
        self.departing = hs.memo[("departing", memo_key)]  # those whose entry is not None

    def may_depart(self, plain_forms: frozenset[str]) -> bool:
        """Whether any of ``plain_forms`` may depart from the convention (its verdict found
        first for a word not met before): a necessary condition, tested with set
        operations alone (no Python loop over the words)."""
        if not plain_forms <= self.seen:
            by_form = _rules_by_form(self.conv, self.hs)
            verdicts, departing = self.verdicts, self.departing
            new = plain_forms - self.seen
            if self.sites is not None:
                # only the words that are listed or may have a candidate spelling can have
                # an entry (nearly every word is neither: no Python step for those)
                new = (new & _listed_forms(self.conv, self.hs)) | self.sites(new)
            for p in new:
                entry = _word_entry(p, by_form, self.excepted, self.candidates, self.gap)
                if entry is not None:
                    verdicts[p] = entry
                    departing.add(p)
            self.seen.update(plain_forms)
        return not self.departing.isdisjoint(plain_forms)

    def departures(self, text: str) -> list[Departure]:
        conv, hs, verdicts, departing = self.conv, self.hs, self.verdicts, self.departing
        # Set operations first: nearly every word was met before, and most segments have
        # no word that may depart.
        if not self.may_depart(memoized("house-style-plain-forms", text, _plain_forms, text)):
            return []
        words = arabic_words(text)
        out = []
        for k, w in enumerate(words):
            if w.plain not in departing:
                continue
            may_be_listed, verdict = verdicts[w.plain]
            if may_be_listed:
                listed = _listed(conv, words, k, hs)
                if listed is not None:
                    evidence = {"listed": 1.0, "gap": 0.0, "delivered_zipf": min(arabic_exact_zipf(w.plain), 8.0) / 8}
                    out.append(Departure(conv, w.start, w.end, listed, _MESSAGES[conv].format(listed), True, evidence))
                    continue
            if verdict is None:
                continue
            if conv == "style-alef-maqsura" and w.text[-1] in _MARK_CHARS:
                continue  # a vowelled final letter (إليَّ "to me") is written as meant
            best, strong, evidence = verdict
            out.append(Departure(conv, w.start, w.end, best, _MESSAGES[conv].format(best), strong, evidence))
        return out


def _word_entry(p: str, by_form, excepted: frozenset[str], candidates, gap: float):
    """(may be listed, frequency verdict) for a word's plain form; None when neither."""
    may_be_listed = p in by_form or (len(p) > 3 and p[0] in "وف" and p[1:] in by_form)
    verdict = None if len(p) < 2 else _frequency_verdict(p, excepted, candidates, gap)
    return (may_be_listed, verdict) if may_be_listed or verdict is not None else None


_MESSAGES = {
    "style-hamza": "Hamza missing on the alef: write '{}'",
    "style-ta-marbuta": "Ta marbuta and final ha confused: write '{}'",
    "style-alef-maqsura": "Alef maqsura and final ya confused: write '{}'",
}


# The proclitic (longest first, as _PREFIXES lists them) before the bare alef of a word:
# one match of an ordered alternation, the first prefix followed by ا and a letter.
_HAMZA_SITE = regex.compile("(" + "|".join(_PREFIXES) + ")(?=ا.)", regex.S)


def _hamza_candidates(w: str):
    m = _HAMZA_SITE.match(w)
    if m:
        p = m.group(1)
        rest = w[len(p) + 1:]
        for h in ("أ", "إ", "آ"):
            yield p, p + h + rest


def hamza(text: str, hs: HouseStyle) -> list[Departure]:
    """A bare alef where the word's hamza (أ إ آ) is written far more often."""
    return _SPELLERS["style-hamza"](hs).departures(text)


def _ta_candidates_for(hs: HouseStyle):
    article_only = hs.setting("style-ta-marbuta", "article_only", "yes") == "yes"

    def candidates(w: str):
        if w.endswith("ه") and len(w) >= 3:
            if not article_only or any(w.startswith(p) for p in ("ال", "وال", "فال", "بال", "كال", "لل")):
                yield "", w[:-1] + "ة"
        # Final ة for ه only where listed: a name may end in ة (أبو قصرة) where the
        # pronoun spelling is also a word (قصره "his palace").

    return candidates


def ta_marbuta(text: str, hs: HouseStyle) -> list[Departure]:
    """Final ه for ة (with the article, where ه cannot be a pronoun), and the listed ة for ه."""
    return _SPELLERS["style-ta-marbuta"](hs).departures(text)


def _alef_candidates(w: str):
    # (words whose final letter carries a mark, إليَّ, are skipped by _Speller)
    if w.endswith("ي") and len(w) >= 3:
        # With the article a final ي is mostly an adjective of relation or a participle
        # (الأولي "initial", المحتوي "containing") beside a noun in ى: not checked.
        if not any(w.startswith(p) for p in ("ال", "وال", "فال", "بال", "كال", "لل")):
            yield "", w[:-1] + "ى"
    elif w.endswith("ى") and len(w) >= 2:
        yield "", w[:-1] + "ي"


def alef_maqsura(text: str, hs: HouseStyle) -> list[Departure]:
    """Final ي for ى and ى for ي, where the other spelling is written far more often."""
    return _SPELLERS["style-alef-maqsura"](hs).departures(text)


@dataclass(frozen=True)
class MonthMention:
    start: int
    end: int
    set: str
    month: int
    paired: bool  # the other set's name follows in parentheses or after a slash


def month_mentions(text: str, hs: HouseStyle) -> list[MonthMention]:
    """Gregorian month names used as dates: next to a figure, or after شهر."""
    words = arabic_words(text)
    hits: list[tuple[MonthMention, bool]] = []  # (mention, date-like)
    k = 0
    while k < len(words):
        hit = None
        for n in (2, 1):
            if k + n <= len(words):
                name = " ".join(w.plain for w in words[k:k + n])
                # a proclitic on the name: بشباط, وآذار
                for p in ("", "و", "ب", "ل", "ف"):
                    if name.startswith(p) and name[len(p):] in hs.months:
                        hit = (n, hs.months[name[len(p):]])
                        break
            if hit:
                break
        if not hit:
            k += 1
            continue
        n, (which, month) = hit
        start, end = words[k].start, words[k + n - 1].end
        before = text[max(0, start - 6):start]
        after = text[end:end + 8]
        datelike = bool(regex.search(r"[\d\u0660-\u0669]\s*$", before) or regex.match(r"\s*[\d\u0660-\u0669]", after))
        datelike |= k > 0 and words[k - 1].plain in ("شهر", "وشهر", "بشهر", "لشهر", "الشهر")
        hits.append((MonthMention(start, end, which, month, False), datelike))
        k += n

    def linked(a: MonthMention, b: MonthMention) -> bool:
        """The same month in the other set right after: أكتوبر/تشرين الأول, مارس آذار,
        تشرين الأول (أكتوبر)."""
        return a.set != b.set and a.month == b.month and bool(regex.fullmatch(r"\s*[(/]?\s*", text[a.end:b.start]))

    out = []
    for i, (m, datelike) in enumerate(hits):
        prev = hits[i - 1][0] if i > 0 else None
        nxt = hits[i + 1][0] if i + 1 < len(hits) else None
        pair = bool((prev and linked(prev, m)) or (nxt and linked(m, nxt)))
        partner_datelike = bool((prev and linked(prev, m) and hits[i - 1][1]) or (nxt and linked(m, nxt) and hits[i + 1][1]))
        if datelike or partner_datelike:
            out.append(MonthMention(m.start, m.end, m.set, m.month, pair))
    return out


def months(text: str, hs: HouseStyle) -> list[Departure]:
    """Month names of the set the house does not use, sets mixed in one article, or a pair
    where the house wants none (or none where it wants one)."""
    mentions = month_mentions(text, hs)
    if not mentions:
        return []
    want = hs.setting("style-months", "set", "either")
    paired_rule = hs.setting("style-months", "paired", "either")
    names: dict[tuple[str, int], str] = {}
    for name, (which, month) in hs.months.items():
        names.setdefault((which, month), name)
    unpaired = [m for m in mentions if not m.paired]
    if want == "either":
        sets = Counter(m.set for m in unpaired)
        # Only a strict minority is a departure: on a tie neither set is the article's.
        want = sets.most_common(1)[0][0] if len(sets) == 2 and len(set(sets.values())) == 2 else ""
    out = []
    for m in mentions:
        other = "egyptian" if m.set == "levantine" else "levantine"
        if want and not m.paired and m.set != want:
            sugg = names[(want, m.month)]
            if paired_rule == "required":
                sugg = f"{sugg} ({names[(m.set, m.month)]})"
            out.append(Departure("style-months", m.start, m.end, sugg, f"Month name of the {m.set} set: this copy uses the {want} set ('{sugg}')"))
        elif paired_rule == "required" and not m.paired:
            sugg = f"{text[m.start:m.end]} ({names[(other, m.month)]})"
            out.append(Departure("style-months", m.start, m.end, sugg, "House style gives the other set's month name in parentheses"))
        elif paired_rule == "forbidden" and m.paired and (not want or m.set != want):
            out.append(Departure("style-months", m.start, m.end, "", "House style gives one month name, without the other set's"))
    return out


# Where each convention's candidates can be (necessary conditions of _hamza_candidates,
# _ta_candidates_for and _alef_candidates): a bare alef, a final ha, a final ya or alef maqsura.
def _hamza_sites(words: set[str]) -> set[str]:
    return {w for w in words if "ا" in w}


def _ta_sites(words: set[str]) -> set[str]:
    return {w for w in words if w.endswith("ه")}


def _alef_sites(words: set[str]) -> set[str]:
    return {w for w in words if w.endswith(("ي", "ى"))}


_SPELLERS = {
    "style-hamza": lambda hs: _Speller("style-hamza", hs, _hamza_candidates, _hamza_sites),
    "style-ta-marbuta": lambda hs: _Speller("style-ta-marbuta", hs, _ta_candidates_for(hs), _ta_sites),
    "style-alef-maqsura": lambda hs: _Speller("style-alef-maqsura", hs, _alef_candidates, _alef_sites),
}


def find_each(convention: str, texts, hs: HouseStyle) -> list[list[Departure]]:
    """``FINDERS[convention](text, hs)`` for each of ``texts`` (a spelling convention sets
    up what it derives from the table once for them all)."""
    speller = _SPELLERS.get(convention)
    if speller is not None:
        speller = speller(hs)
        texts = list(texts)
        # The words of all the texts at once first (one pattern run over them joined, shared
        # by the three spelling conventions): in nearly every article no word may depart,
        # and then no text needs looking at one by one.
        joined = "\n".join(texts)  # a line break is no word character: the words are the texts' words
        forms = memoized("house-style-plain-forms", joined, _plain_forms, joined)
        if not speller.may_depart(forms):
            return [[] for _ in texts]
        # Then only the texts that may hold one of the words that may depart: in a text
        # without tashkeel or tatweel a word's plain form is the word as written, so a text
        # that does not contain it as a substring does not have it.
        hits = speller.departing & forms
        return [
            speller.departures(t) if _MARKS.search(t) or any(h in t for h in hits) else []
            for t in texts
        ]
    find = FINDERS[convention]
    return [find(t, hs) for t in texts]


FINDERS = {
    "style-punctuation": punctuation,
    "style-digits": digits,
    "style-tatweel": tatweel,
    "style-hamza": hamza,
    "style-ta-marbuta": ta_marbuta,
    "style-alef-maqsura": alef_maqsura,
    "style-months": months,
}
