"""Latin-script leftovers: English left untranslated in Arabic copy."""

from __future__ import annotations

from functools import lru_cache

import regex

from ..text.frequency import english_zipf
from ..text.normalize import fold, prefix_splits
from ..text.placeholders import mask
from ..text.tokens import is_arabic_text
from ..types import Severity
from . import CheckContext, check

# Latin material that is legitimate in Arabic copy by its shape; masked before looking,
# besides the placeholders of references/placeholders.tsv (URLs, e-mails, domains, handles,
# hashtags, markup, HTML character references; mtaudit.text.placeholders).
_LEGIT_SHAPES = regex.compile(
    r"""(?xi)
      \$[A-Z]{1,6}\b                      # $TICKER
    | \b(?:NYSE|NASDAQ|LSE|TADAWUL|EGX|ADX|DFM)\s*:\s*[A-Z.]+  # exchange:TICKER
    """
)
# A run of Latin words: letters (and digits, apostrophes, hyphens, dots inside words)
# separated by spaces, commas or hyphens.
_RUN = regex.compile(
    r"[\p{Latin}][\p{Latin}\p{N}'’.\-]*(?:[ ,\-]+[\p{Latin}\p{N}][\p{Latin}\p{N}'’.\-]*)*"
)
_WORD = regex.compile(r"[\p{Latin}\p{N}'’]+")
_LATIN = regex.compile(r"\p{Latin}")
# Runs, for counting letters: one match per word rather than one per letter.
_LATIN_RUN = regex.compile(r"\p{Latin}+")
_ARABIC_RUN = regex.compile(r"\p{Arabic}+")
_OPENERS = {"(": ")", "[": "]", "«": "»", "“": "”", "\"": "\"", "'": "'", "‘": "’"}
_ENGLISH_COMMON = 3.0  # zipf: seen at least once per million English words
_KEPT_TERM = 4.5  # zipf: a word rarer than this (lacrosse, sushi, podcast) may be kept as a term
_RARE_SURNAME = 2.5  # zipf below which a capitalised last word reads as a surname


@lru_cache(maxsize=64)
def _is_arabic_article(text: str) -> bool:
    # Cached: every segment of an article asks (str hashes are cached by Python).
    return is_arabic_text(text)


@lru_cache(maxsize=64)
def _has_latin(text: str) -> bool:
    # Cached like _is_arabic_article: an article without a Latin letter (about half) is
    # then told once, not searched again for every segment.
    return _LATIN.search(text) is not None


@lru_cache(maxsize=50000)
def _english_zipf(word: str) -> float:
    return english_zipf(word)


def _word_class(word: str, allowed: frozenset[str]) -> str:
    """acronym | technical | short | allowed | proper | english | foreign."""
    bare = word.strip("'’.-")
    if not bare:
        return "short"
    if bare.lower() in allowed:
        return "allowed"
    if any(c.isdigit() for c in bare):
        return "technical"
    if len(bare) <= 2:
        return "short"
    letters = [c for c in bare if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if upper >= 2 and (upper == len(letters) or bare.rstrip("s").isupper()):
        return "acronym"
    if bare[0].isupper():
        return "proper"
    if upper:
        return "acronym"  # iPhone, eBay: product-style mixed case
    return "english" if _english_zipf(bare.lower()) >= _ENGLISH_COMMON else "foreign"


def _looks_like_person_name(words: list[str], classes: list[str]) -> bool:
    """Two or three capitalised words ending in one rare in English (Sara Danius, Maciej
    Krezel): a person's name left in Latin script. Organisation and product names usually
    end in a common word (Gilead Sciences, Google Play, Wild Card) and are left alone."""
    if not 2 <= len(words) <= 3 or any(c != "proper" for c in classes):
        return False
    if any(any(ch.isupper() for ch in w[1:]) for w in words):
        return False  # BioSolutions, NuGenerex: company-style capitals
    return _english_zipf(words[-1].lower()) < _RARE_SURNAME


# Words a title leaves in lower case (Planet of the Apes, Rock or Bust).
_TITLE_SMALL_WORDS = frozenset(
    "a an the and or nor but of in on at to for by with from as into over up off out my your his her its our their is be".split()
)


def _title_in_source(span: str, source: str | None) -> bool:
    """The span is a title or name the English source writes in title case (Shake It
    Off, Rough and Rowdy Ways): a work's or a band's name kept in its original script."""
    if not source:
        return False
    words = _WORD.findall(span)
    if not words:
        return False
    pattern = r"(?<![\p{L}\p{N}])" + r"[\s,\-]+".join(regex.escape(w) for w in words) + r"(?![\p{L}\p{N}])"
    for m in regex.finditer(pattern, source, regex.IGNORECASE):
        written = _WORD.findall(m.group())
        content = [w for i, w in enumerate(written) if i == 0 or w.lower() not in _TITLE_SMALL_WORDS]
        if all(w[0].isupper() or w[0].isdigit() for w in content):
            return True
    return False


def _title_shaped(words: list[str]) -> bool:
    """Title case by shape (Return of the King, Face the Nation): the first word and every
    word that is not one a title leaves small start with a capital or a digit, and two
    words at least do. A name or a work's title, not English prose (which MT leaves in lower
    case, capitalised at most at its first word)."""
    if len(words) < 2 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    content = [w for w in words[1:] if w.lower() not in _TITLE_SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


_ARABIC_WORD = regex.compile(r"[\p{Arabic}&&\p{L}][\p{Arabic}\p{M}]*")
_TITLE_MAX_WORDS = 6  # a work's title after its noun; a longer run reads as prose
_CUE_REACH = 2  # Arabic words allowed between the noun and the title (its author, an adjective)


def _after_title_cue(text: str, start: int, cues: frozenset[str]) -> bool:
    """The Latin run starting at ``start`` follows an Arabic noun naming a work (references/
    latin_title_cues.tsv: فيلم, ألبوم, أغنية, صحيفة …) directly, after an opening quote or
    bracket, or after at most two Arabic words (قصيدة محمود درويش "…", الجولة الأوروبية …)."""
    before = text[:start]
    if regex.search(r"[.!?؟؛:\n][^\p{L}]*$", before):
        return False  # the run opens a sentence or a clause: nothing names it
    tail = list(_ARABIC_WORD.finditer(before[-80:]))
    if not tail:
        return False
    # Nothing but Arabic words, spaces and an opening mark between the noun and the run.
    gap_start = tail[-1].end()
    if regex.search(r"[^\s«“\"'(\[]", before[-80:][gap_start:]):
        return False
    for k, m in enumerate(reversed(tail[-(_CUE_REACH + 1):])):
        if k and regex.search(r"\S", before[-80:][m.end():tail[-k].start()]):
            return False  # punctuation between the words: not one noun phrase
        word = fold(m.group())
        if any(stem in cues for _p, stem in prefix_splits(word)):
            return True
    return False


# English grammar that a work's title does not have at its edges or inside, and MT's
# fragments of a sentence do (movie actor was born in, is the first, does the director of):
# finite forms of be/have/do, a question word or conjunction to start, and a word that
# leaves a phrase hanging to end.
_FINITE = frozenset("is are was were am has have had does did do".split())
_NO_START = _FINITE | frozenset("who what which when where why how and or but".split())
_NO_END = frozenset(
    "the a an and or but of in on at to for by with from as into about than not before after that which who".split()
)


def _title_like(words: list[str]) -> bool:
    """Two to six words with a lower-case one (a title the translator kept, or lowered),
    shaped like a title rather than a fragment of an English sentence."""
    low = [w.lower() for w in words]
    return (
        2 <= len(words) <= _TITLE_MAX_WORDS
        and any(w[0].islower() for w in words)
        and low[0] not in _NO_START
        and low[-1] not in _NO_END
        and not _FINITE.intersection(low)
    )


def _title_case_in_source(words: list[str], source: str) -> bool:
    """The source has these words at one place, in this order (punctuation between them
    aside, a word of one or two letters possibly respelt: O → oh), most of its content
    words capitalised there: the work's name or title as the source writes it, lowered by
    the translator (the Grand River band → grand river band, O Hail, Bright Morning! → oh
    hail bright morning)."""
    parts = [r"\p{L}{1,2}" if len(w) <= 2 else regex.escape(w) for w in words]
    pattern = r"(?<![\p{L}\p{N}])" + r"[^\p{L}\p{N}]+".join(parts) + r"(?![\p{L}\p{N}])"
    for m in regex.finditer(pattern, source, regex.IGNORECASE):
        written = _WORD.findall(m.group())
        content = [w for w in written if w.lower() not in _TITLE_SMALL_WORDS] or written
        if 2 * sum(w[0].isupper() for w in content) > len(content):
            return True
    return False


def _aligned_source(ctx: CheckContext) -> str | None:
    """The source text aligned with the segment at hand (mtaudit.text.alignment.source_units)."""
    if not (ctx.article.source or ctx.article.record_sources) or ctx.segment is None:
        return ctx.article.source
    for source, segments in ctx.source_units:
        if any(s.segment_id == ctx.segment.segment_id for s in segments):
            return source
    return None


def _token_in_source(word: str, source: str | None) -> bool:
    """The source has this very token, written the same way (case included)."""
    if not source:
        return False
    return regex.search(r"(?<![\p{L}\p{N}])" + regex.escape(word) + r"(?![\p{L}\p{N}])", source) is not None


def _enclosed(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside brackets or quotes (a gloss, a title, a citation)."""
    stack: list[str] = []
    for ch in text[:start]:
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in _OPENERS:
            stack.append(_OPENERS[ch])
    if not stack:
        return False
    return stack[-1] in text[end:]


@check(
    "latin-leftover",
    severity=Severity.MAJOR,
    category="untranslated",
    version="4",
    resources=("latin_allowed", "latin_title_cues", "placeholders"),
)
def latin_leftover(ctx: CheckContext):
    """Latin-script leftovers: English left untranslated in Arabic copy.

    Flags runs of Latin-script words in an Arabic sentence that read as English rather than
    as the Latin script that belongs in Arabic news copy:

    - major: a phrase of ordinary lower-case English words ("Connect with us", "said on
      Thursday"), or a whole segment left in English;
    - minor: a single common lower-case English word; a person's name left in Latin script
      where Arabic copy transliterates it (two or three capitalised words ending in a word
      that is rare in English, such as Hifikepunye Pohamba or Sara Danius).

    Not flagged: acronyms and codes (NATO, COVID-19, H5N1, 802.11n), placeholders
    (references/placeholders.tsv: URLs, web domains, e-mail addresses, @handles, #hashtags,
    HTML tags and character references, template variables), $TICKERS, brand, product and organisation names (Apple,
    iPhone, Gilead Sciences, Google Play), units, one-letter symbols, Latin script in
    brackets or quotes (a gloss after the Arabic term, a title, a citation) unless it is a
    whole English phrase, a run in title case (Return of the King, Face the Nation: a name
    or a title, where MT's English is lower case), and, with a source, a title or name the
    source writes in title case (a song, album or film kept in its original script: Shake
    It Off), also when the translator lowered it after the Arabic noun naming the work
    (فرقة grand river band for "the Grand River band"), and a single
    word the aligned source has written the same way and that is not among the commonest
    English words (zipf < 4.5: a term kept as it is, such as lacrosse or podcast; "talks"
    or "meeting" left in Latin is still reported). A phrase of
    ordinary English is reported even when the source has it: that is what untranslated
    copy looks like.
    references/latin_allowed.tsv lists further tokens (units, brands) a newsroom accepts.

    Without a source, two to six lower-case words shaped like a title (no finite be/have/
    do, not opening with a question word nor ending on an article or a preposition) after
    an Arabic noun naming a work (references/latin_title_cues.tsv: ألبوم under the
    olive trees) may be the work's title: reported as minor, never major.

    Confidence comes from a fitted model (references/calibration.tsv, model
    `latin-leftover`, fitted by scripts/source_aware_benchmark.py: source words and names
    inserted in Latin script into clean copy against findings on clean copy) over the kind
    of finding, the share of common English and capitalised words, the run's length,
    brackets, and whether a source was checked; a phrase or segment below 0.5 is minor, a
    single word, a name or a possible title is always minor.
    """
    text = ctx.text
    if not _has_latin(ctx.article.text) or not _LATIN.search(text):
        return  # no Latin letter: nothing to find (most segments)
    if not _is_arabic_article(ctx.article.text):
        return  # not Arabic copy: nothing here is a leftover
    arabic = sum(map(len, _ARABIC_RUN.findall(text)))
    masked = _LEGIT_SHAPES.sub(lambda m: " " * len(m.group()), mask(text, ctx.resources.placeholders))
    allowed = ctx.resources.latin_allowed
    latin_letters = sum(map(len, _LATIN_RUN.findall(masked)))
    words_all = [m for m in _WORD.finditer(masked) if _LATIN.search(m.group())]
    source = _aligned_source(ctx)
    checked = source is not None

    def confident(kind: str, start: int, end: int, english: int = 0, proper: int = 0, n: int = 0, enclosed: bool = False):
        features = {
            "kind_segment": float(kind == "segment"),
            "kind_phrase": float(kind == "phrase"),
            "kind_word": float(kind == "word"),
            "kind_name": float(kind == "name"),
            "kind_title": float(kind == "title"),
            "english_share": english / max(1, n),
            "proper_share": proper / max(1, n),
            "words": min(n, 8) / 8,
            "enclosed": float(enclosed),
            "source_checked": float(checked),
        }
        p = ctx.fitted_confidence("latin-leftover", features, start, end)
        # A word or a name left in Latin script is at most minor: it may be meant.
        major = p >= 0.5 and kind in ("segment", "phrase")  # "title": minor, see below
        return {"confidence": p, "severity": Severity.MAJOR if major else Severity.MINOR}

    cues = ctx.resources.latin_title_cues

    def title_evidence(s: int, e: int, words: list[str]) -> str | None:
        """"source" when the Latin run is a title or name by the source (written there in
        title case), "cue" when only an Arabic noun naming a work introduces it (فيلم,
        ألبوم: references/latin_title_cues.tsv) and it has a title's shape, else None."""
        if _title_in_source(text[s:e], source):
            return "source"
        if "," in masked[s:e] or not _title_like(words) or not _after_title_cue(text, s, cues):
            return None
        if source is None:
            return "cue"
        return "source" if _title_case_in_source(words, source) else None

    runs = []
    for run in _RUN.finditer(masked):
        s, e = run.start(), run.end()
        # Trim trailing separators that the run pattern may have swallowed.
        while e > s and masked[e - 1] in " ,-.":
            e -= 1
        runs.append((s, e, [w.group() for w in _WORD.finditer(masked, s, e)]))

    # A segment is left in English when Latin outweighs Arabic, unless that Latin is a
    # title inside a short Arabic sentence (وصدر Return of the King عام ١٩٥٥).
    if (
        latin_letters > arabic
        and len(words_all) >= 4
        and not (_ARABIC_WORD.search(masked) and all(_title_shaped(w) or title_evidence(s, e, w) for s, e, w in runs))
    ):
        yield ctx.finding(
            ctx.base,
            ctx.base + len(text),
            "Segment is mostly in English: it was left untranslated.",
            **confident("segment", ctx.base, ctx.base + len(text), n=len(words_all), english=len(words_all)),
        )
        return

    for s, e, words in runs:
        classes = [_word_class(w, allowed) for w in words]
        english = classes.count("english")
        proper = classes.count("proper")
        enclosed = _enclosed(text, s, e)
        span = (ctx.base + s, ctx.base + e)
        evidence = title_evidence(s, e, words) if english or proper else None
        if evidence == "source":
            continue
        if evidence == "cue" and english >= 2:
            # No source to tell a kept title (ألبوم under the olive trees) from English left
            # after the noun: reported, never major.
            yield ctx.finding(
                *span,
                f"“{text[s:e]}” after the name of a work: its title kept in Latin script, "
                "or English left untranslated.",
                **confident("title", *span, english, proper, len(words), enclosed),
            )
            continue
        if english >= 2 and (english >= 3 or not enclosed) and proper <= english and not _title_shaped(words):
            yield ctx.finding(
                *span,
                f"English left untranslated: “{text[s:e]}”.",
                **confident("phrase", *span, english, proper, len(words), enclosed),
            )
        elif enclosed:
            continue
        elif len(words) == 1 and _english_zipf(words[0].lower()) < _KEPT_TERM and _token_in_source(words[0], source):
            continue  # a term the translator kept as the source writes it (lacrosse, NES)
        elif english == 1 and len(words) == 1:
            yield ctx.finding(
                *span,
                f"English word “{text[s:e]}” left in Latin script.",
                **confident("word", *span, english, proper, len(words), enclosed),
            )
        elif _looks_like_person_name(words, classes):
            yield ctx.finding(
                *span,
                f"Name or title “{text[s:e]}” left in Latin script; Arabic copy normally "
                "transliterates it (the Latin form may follow in brackets).",
                **confident("name", *span, english, proper, len(words), enclosed),
            )
