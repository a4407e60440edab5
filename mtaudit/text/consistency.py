"""What the delivery-wide consistency checks compare: aligned source/target units, source
terms and their renderings.

A *unit* is a source sentence or paragraph with the target segments that translate it
(mtaudit.text.alignment.source_units: a record, or a paragraph of a 1:1 translation); an article
whose paragraphs do not line up with its source gives no units, because a whole article is
not a segment anyone would translate the same way twice.

A *source term* is a termbase entry named in the unit's source, or a run of two or more
capitalised English words (inner "of", "for", "and", "the", "on" allowed: Ministry of
Health), a leading "The" off. Its *rendering* is the Arabic words the word aligner
(mtaudit.text.word_alignment) links to it, as light stems (clitics, article and plural endings
off), so that لمجلس الأمن and مجلس الأمن are one rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..types import SegmentKind
from .alignment import source_units
from .morphology import affixes, proclitic_chains
from .normalize import fold
from .tokens import Token, tokenize

_PUNCT = regex.compile(r"[^\p{L}\p{M}\p{N}]+")
_CAP_WORD = regex.compile(r"\b(?:[A-Z][\p{L}'’-]*[\p{L}]|[A-Z]{2,})\b")
_INNER = {"of", "for", "the", "on", "de", "al"}
_LEADING_DROP = {"The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "This", "That"}
#: Source units shorter than this many words are not compared (datelines, "Update 1").
MIN_WORDS = 4


@dataclass
class Unit:
    result: object  # ArticleResult
    source: str
    segments: list
    start: int  # target offsets in the article
    end: int

    @property
    def target(self) -> str:
        return self.result.article.text[self.start:self.end]


def units(results) -> list[Unit]:
    """Every aligned unit of every article, in delivery order."""
    out = []
    for r in results:
        art = r.article
        if not (art.source or art.record_sources):
            continue
        content = [s for s in r.segments if s.kind is not SegmentKind.BOILERPLATE]
        pairs = source_units(art, content)
        if len(pairs) == 1 and not art.record_sources and len(content) > 1 and pairs[0][1] == content:
            paras = {s.paragraph for s in content}
            if len(paras) > 1:
                continue  # the whole article against the whole source: not a unit
        for src, segs in pairs:
            if segs and src and src.strip():
                out.append(Unit(r, src, segs, segs[0].start, segs[-1].end))
    return out


def source_key(text: str) -> str:
    """Lower case, punctuation and spacing collapsed: identical sources share a key."""
    return _PUNCT.sub(" ", text.lower()).strip()


def target_key(text: str) -> str:
    """The folded target with punctuation and spacing collapsed: spellings that folding
    treats as one (hamza, tashkeel, digits) are one rendering."""
    return _PUNCT.sub(" ", fold(text)).strip()


def digits(text: str) -> tuple[str, ...]:
    return tuple(regex.findall(r"\d+", fold(text)))


@dataclass(frozen=True)
class SourceTerm:
    text: str  # as in the source
    key: str  # lower case, words joined by spaces
    start: int
    end: int


def capitalised_terms(source: str) -> list[SourceTerm]:
    """Runs of two or more capitalised words (see the module docstring)."""
    words = [(m.group(), m.start(), m.end()) for m in regex.finditer(r"[\p{L}][\p{L}'’-]*", source)]
    out = []
    i = 0
    while i < len(words):
        if not _CAP_WORD.fullmatch(words[i][0]):
            i += 1
            continue
        j = i + 1
        while j < len(words):
            gap = source[words[j - 1][2]:words[j][1]]
            if gap.strip() not in ("",):
                break  # punctuation between words ends the term
            if _CAP_WORD.fullmatch(words[j][0]):
                j += 1
            elif (
                words[j][0].lower() in _INNER
                and j + 1 < len(words)
                and _CAP_WORD.fullmatch(words[j + 1][0])
                and not source[words[j][2]:words[j + 1][1]].strip()
            ):
                j += 2
            else:
                break
        run = words[i:j]
        while run and (run[0][0] in _LEADING_DROP or (_sentence_initial(source, run[0][1]) and _common_english(run[0][0]))):
            run = run[1:]
        while run and run[-1][0].lower() in _INNER:
            run = run[:-1]
        caps = [w for w in run if _CAP_WORD.fullmatch(w[0])]
        if len(caps) >= 2:
            out.append(SourceTerm(source[run[0][1]:run[-1][2]], " ".join(w[0].lower() for w in run), run[0][1], run[-1][2]))
        i = j
    return out


def _sentence_initial(source: str, at: int) -> bool:
    before = source[:at].rstrip()
    return not before or before[-1] in ".!?:;\"'“‘(\n"


def _common_english(word: str) -> bool:
    """A capitalised word that begins a sentence and is a common English word ("As",
    "Officials") is not part of a name."""
    from .frequency import english_zipf

    return english_zipf(word.lower()) >= 5.0


def aligned_rendering(u, term: SourceTerm, tokens: list[Token]) -> tuple[int, int] | None:
    """Token span [i, j) the alignment ``u`` links to ``term``: the linked tokens and any
    between them, provided the span is not much longer than the term."""
    wanted = {k for k, e in enumerate(u.english) if term.start <= e.start and e.end <= term.end}
    js = sorted({j for k, j in u.links if k in wanted})
    if not js:
        return None
    n_words = len(wanted)
    if js[-1] - js[0] + 1 > 2 * n_words + 1:
        return None
    return js[0], js[-1] + 1


#: Chains ending in the article (ل + ال, written لل, is handled apart), longest first.
_ARTICLE_PREFIXES = proclitic_chains(prepositions="بك", article_required=True)
#: One-letter proclitics (conjunctions and prepositions).
_CLITIC_LETTERS = "".join(a for a in affixes("proclitic", ("conjunction", "preposition")) if len(a) == 1)


def stems(tokens: list[Token]) -> tuple[str, ...]:
    """A rendering's words, folded, with a proclitic-and-article prefix off (للأمن, الأمن
    and بالأمن are one word); a lone proclitic letter is dealt with by :func:`same_word`."""
    out = []
    for t in tokens:
        w = t.folded
        if w.startswith("لل") and len(w) > 4:
            w = w[2:]
        else:
            for p in _ARTICLE_PREFIXES:
                if w.startswith(p) and len(w) - len(p) >= 2:
                    w = w[len(p):]
                    break
        out.append(w)
    return tuple(out)


_ENDINGS = ("يه", "ات", "ون", "ين", "ان", "ه")


def _inflection_off(w: str) -> str:
    """Gender and number endings off (الكورية, الكوري; مقاتلون, مقاتلين): agreement makes
    them differ between sentences, which is no inconsistency."""
    for e in _ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 3:
            return w[: -len(e)] + ("ي" if e == "يه" else "")
    return w


def same_word(a: str, b: str) -> bool:
    """Equal but for a proclitic letter (وزارة, ووزارة) or a gender or number ending."""
    a, b = _inflection_off(a), _inflection_off(b)
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    return len(b) == len(a) + 1 and b[0] in _CLITIC_LETTERS and b[1:] == a and len(a) >= 3


def same_rendering(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(same_word(x, y) for x, y in zip(a, b))


def partial(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every word of the shorter rendering is in the longer: a partial alignment, not
    another rendering."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(same_word(x, y) for y in long_) for x in short)


def unit_tokens(unit: Unit) -> list[Token]:
    return [t for s in unit.segments for t in tokenize(s.text, s.start)]
