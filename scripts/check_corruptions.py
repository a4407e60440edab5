"""Synthetic errors for every check, made from clean human translations (bench_common.Line).

One generator per error class. Each returns :class:`Case` objects: the corrupted copy (a
positive: the check should report the span ``at``) and, where the class has one, a
*control*, the same edit done right (a dateline with the place alone, a credit line in
Arabic style, the adjective with its article): a finding there is a false alarm. The
classes are those an English→Arabic MT system makes; the Arabic pieces are written here
from the English construction, not copied from the checks' tables or the issue's examples.

Used by scripts/fit_check_confidence.py (positives and negatives to fit a check's
confidence) and scripts/check_benchmark.py (recall per check). The generators of other
scripts are reused, not copied: figures (number_benchmark.corruptions), senses
(sense_data.sense_swaps), doubled words, Latin leftovers and placeholders
(source_aware_benchmark).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import Line  # noqa: E402


@dataclass
class Case:
    check: str  # the check that should report it
    kind: str  # the error class
    articles: list[tuple[str, str]]  # (target, source); more than one for a batch check
    at: tuple[int, int, int] | None  # (article index, start, end) to be reported; None: a control
    corpus: str = ""
    held_out: bool = False

    @property
    def control(self) -> bool:
        return self.at is None

    def to_json(self) -> dict:
        return {"check": self.check, "kind": self.kind, "articles": self.articles, "at": self.at, "corpus": self.corpus, "held_out": self.held_out}


@dataclass
class Kit:
    """What the generators draw on: reference data of this tree, loaded once."""

    shared: Path
    res: object = field(default=None)

    def __post_init__(self):
        from mtaudit.knowledge.resources import Resources

        self.res = self.res or Resources()

    @cached_property
    def places(self) -> list[tuple[str, str]]:
        """(English, Arabic) of one-word gazetteer places with an English form."""
        out = []
        for e in self.res.gazetteer.entities:
            if e.type == "place" and e.english and " " not in e.canonical and regex.fullmatch(r"[A-Z][a-z]+", e.english[0]):
                out.append((e.english[0], e.canonical))
        return sorted(out)

    @cached_property
    def country_of_adjective(self) -> dict[str, str]:
        return {adj: place for adj, place in self.res.nationality_adjectives.items() if not adj.endswith("ه")}

    @cached_property
    def persons(self) -> list[tuple[str, str, str, str]]:
        """(English surname, Arabic surname, Arabic title with a nationality, country) of
        gazetteer people whose title names a country (الرئيس الروسي → روسيا)."""
        from mtaudit.text.normalize import fold

        adjectives = {fold("ال" + a): (a, p) for a, p in self.country_of_adjective.items()}
        out = []
        for e in self.res.gazetteer.entities:
            if e.type != "person" or not e.english or " " not in e.canonical:
                continue
            for t in e.titles:
                hit = next((adjectives[fold(w)] for w in t.split() if fold(w) in adjectives), None)
                if hit:
                    surname_en = e.english[0].split()[-1].split("-")[-1]
                    out.append((surname_en, e.canonical.split()[-1], t, hit[1]))
                    break
        return sorted(out)

    @cached_property
    def outside_names(self) -> list[tuple[str, str]]:
        """Arabic words of names the gazetteer does not know and Arabic does not use as
        words: the held-out (test) file of Google's transliteration pairs."""
        from mtaudit.text.frequency import arabic_zipf
        from mtaudit.text.normalize import fold

        path = self.shared / "data/google_transliteration/ar2en-test.txt"
        if not path.is_file():
            return []
        gaz = self.res.gazetteer
        out = []
        for row in path.read_text(encoding="utf-8").splitlines():
            ar, _, en = row.partition("\t")
            ar, en = ar.strip(), en.strip()
            if 5 <= len(ar) <= 8 and regex.fullmatch(r"\p{Arabic}+", ar) and en.isalpha() and arabic_zipf(ar) < 1.5 and not gaz.is_accepted(fold(ar)):
                out.append((ar, en.capitalize()))
        return sorted(set(out))


# -- helpers ------------------------------------------------------------------------------


def _arabic_tokens(text: str):
    from mtaudit.text.tokens import tokenize

    return [t for t in tokenize(text) if t.is_arabic]


def _insert_before_end(text: str, piece: str) -> tuple[str, int]:
    """``text`` with `` piece`` before its final punctuation, and where the piece starts."""
    body = text.rstrip()
    k = len(body)
    while k and body[k - 1] in ".؟?!؛;":
        k -= 1
    return body[:k] + " " + piece + body[k:], k + 1


# -- the error classes ----------------------------------------------------------------------


def english_left(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """english-in-arabic: a common word of the source written in Arabic letters (by its
    spelling or by its sound, mtaudit.text.phonetic) in place of an Arabic word of the target."""
    from wordfreq import zipf_frequency

    from mtaudit.names.channel import latin_to_arabic
    from mtaudit.text.frequency import arabic_zipf
    from mtaudit.text.phonetic import variants

    words = sorted({w for w in regex.findall(r"(?<![\p{L}'])[a-z]{4,}(?![\p{L}'])", line.source) if zipf_frequency(w, "en") >= 4.5})
    toks = _arabic_tokens(line.target)
    if not words or len(toks) < 4:
        return []
    w = rng.choice(words)
    spellings = sorted({latin_to_arabic(w), *variants(w)})
    spellings = [s for s in spellings if s and arabic_zipf(s) < 2]
    if not spellings:
        return []
    ar = rng.choice(spellings)
    t = rng.choice(toks[1:])
    text = line.target[: t.start] + ar + line.target[t.end :]
    return [Case("english-in-arabic", "english-in-arabic-letters", [(text, line.source)], (0, t.start, t.start + len(ar)))]


_CREDITS = [  # English credit label → its word-for-word renderings by MT
    ("Additional reporting by", ["تقارير إضافية من قبل", "تقرير إضافي بواسطة", "التقارير الإضافية من قبل"]),
    ("Reporting by", ["تقارير من قبل", "التقرير بواسطة"]),
    ("Writing by", ["الكتابة من قبل", "كتابة بواسطة"]),
    ("Editing by", ["التحرير من قبل", "تحرير بواسطة"]),
    ("Compiled by", ["تجميع من قبل", "الإعداد بواسطة"]),
]
# The same lines written as Arabic wire copy does (the control): label, then the names.
_CREDITS_ARABIC = {"Additional reporting by": "شارك في التغطية", "Reporting by": "تغطية", "Writing by": "إعداد",
                   "Editing by": "تحرير", "Compiled by": "إعداد"}
_PEOPLE = [("Omar Fahmy", "عمر فهمي"), ("Sarah Dadouch", "سارة دعدوش"), ("Tom Perry", "توم بيري"),
           ("Maya Gebeily", "مايا جبيلي"), ("Andrew Osborn", "أندرو أوزبورن"), ("Nadine Awadalla", "نادين عوض الله")]


def credit_calque(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """calque: the agency's credit line, translated word for word, as the last paragraph."""
    (en1, ar1s), (en2, ar2s) = rng.sample(_CREDITS, 2)
    (p1en, p1), (p2en, p2) = rng.sample(_PEOPLE, 2)
    source = f"{line.source}\n({en1} {p1en}; {en2} {p2en})"
    bad1, bad2 = rng.choice(ar1s), rng.choice(ar2s)
    head = line.target + "\n("
    text = f"{head}{bad1} {p1}؛ {bad2} {p2})"
    good = f"{head}{_CREDITS_ARABIC[en1]} {p1} - {_CREDITS_ARABIC[en2]} {p2})"
    return [
        Case("calque", "credit-line", [(text, source)], (0, len(head), len(head) + len(bad1))),
        Case("calque", "credit-line", [(good, source)], None),
    ]


_VERBS = ["التقى", "قال", "أعلن", "زار", "أكد"]


def scrambled_dateline(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """dateline: "PLACE (Reuters) -" in the source; the MT dateline with a verb pulled in
    front of the place, or another place; the control has the place alone."""
    if not kit.places:
        return []
    (en, ar), (_, other) = rng.sample(kit.places, 2)
    source = f"{en.upper()} (Reuters) - {line.source}"
    good = f"{ar} (رويترز) - {line.target}"
    if rng.random() < 0.5:
        head = f"{rng.choice(_VERBS)} {ar} (رويترز) -"
        kind = "verb-before-place"
    else:
        head = f"{other} (رويترز) -"
        kind = "other-place"
    return [
        Case("dateline", kind, [(f"{head} {line.target}", source)], (0, 0, len(head))),
        Case("dateline", kind, [(good, source)], None),
    ]


def punctuation(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """punctuation-spacing: English typography between two Arabic words: a space before
    the comma or full stop, or a Latin comma."""
    toks = _arabic_tokens(line.target)
    gaps = [(a, b) for a, b in zip(toks, toks[1:]) if line.target[a.end : b.start] == " "]
    if not gaps:
        return []
    a, _ = rng.choice(gaps)
    mark = rng.choice([" ، ", " ،", ", ", " . "])
    text = line.target[: a.end] + mark + line.target[a.end + 1 :]
    at = a.end + mark.index(mark.strip())
    return [Case("punctuation-spacing", "mt-typography", [(text, line.source)], (0, a.end, at + 1))]


def unbalanced(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """unbalanced-marks: one half of a pair of quotes or brackets dropped (an opening mark
    put before a word when the line has no pair)."""
    from mtaudit.checks.unbalanced_marks import unbalanced_positions

    text = line.target
    if unbalanced_positions(text):
        return []
    marks = [i for i, c in enumerate(text) if c in "«»()\"“”"]
    if marks:
        i = rng.choice(marks)
        bad = text[:i] + text[i + 1 :]
        kind = "half-dropped"
    else:
        toks = _arabic_tokens(text)
        if len(toks) < 3:
            return []
        i = rng.choice(toks[1:]).start
        bad = text[:i] + rng.choice("«(") + text[i:]
        kind = "opener-added"
    return [Case("unbalanced-marks", kind, [(bad, line.source)], (0, 0, len(bad)))]


def indefinite_adjective(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """agreement: a nationality adjective without the article after a definite noun
    (English "the Russian president" has one article; Arabic needs two). An adjective of
    the line loses its article, else one is put after a definite noun; the control keeps
    (or gets) the article."""
    from mtaudit.text.frequency import arabic_zipf

    adjectives = sorted(kit.country_of_adjective)
    toks = _arabic_tokens(line.target)
    text = line.target
    pairs = [(a, b) for a, b in zip(toks, toks[1:]) if text[a.end : b.start] == " " and a.folded.startswith("ال") and len(a.folded) >= 5 and arabic_zipf(a.text) >= 3]
    existing = [(a, b) for a, b in pairs if b.text.startswith("ال") and b.text[2:].rstrip("ة") in kit.country_of_adjective]
    if existing:
        a, b = rng.choice(existing)
        bad = text[: b.start] + b.text[2:] + text[b.end :]
        return [Case("agreement", "article-dropped", [(bad, line.source)], (0, b.start, b.end - 2)),
                Case("agreement", "article-dropped", [(text, line.source)], None)]
    if not pairs:
        return []
    a, _ = rng.choice(pairs)
    adj = rng.choice(adjectives) + ("ة" if a.text.endswith("ة") else "")
    bad = text[: a.end] + " " + adj + text[a.end :]
    good = text[: a.end] + " ال" + adj + text[a.end :]
    return [Case("agreement", "adjective-added", [(bad, line.source)], (0, a.end + 1, a.end + 1 + len(adj))),
            Case("agreement", "adjective-added", [(good, line.source)], None)]


def possessive(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """possessive-order: "Russia's Putin said" rendered name + country; the control names
    the country with the person's title."""
    if not kit.persons:
        return []
    en, ar, title, country = rng.choice(kit.persons)
    country_en = next((e for e, a in kit.places if a == country), None) or "the country"
    source = f"{line.source} {country_en}'s {en} said."
    bad, at = _insert_before_end(line.target, f"وقال {ar} {country}")
    good, _ = _insert_before_end(line.target, f"وقال {title} {ar}")
    s = at + len("وقال ")
    return [Case("possessive-order", "name-country", [(bad, source)], (0, s, s + len(ar) + 1 + len(country))),
            Case("possessive-order", "name-country", [(good, source)], None)]


_NAME_EDITS = [("ي", ""), ("و", ""), ("ا", ""), ("س", "ص"), ("ت", "ط"), ("د", "ض"), ("ك", "ق"), ("ه", "ح")]


def inconsistent_name(lines: list[Line], rng: random.Random, kit: Kit) -> list[Case]:
    """name-inconsistent (a batch): a name the gazetteer does not know, written the same
    way in several articles and once with one letter dropped or confused; the control is
    the batch without the slip."""
    names = kit.outside_names
    if len(names) < 2 or len(lines) < 3:
        return []
    (first, first_en), (last, last_en) = rng.sample(names, 2)
    edits = [(a, b) for a, b in _NAME_EDITS if a in last[1:]]
    if not edits:
        return []
    a, b = rng.choice(edits)
    k = rng.choice([i for i in range(1, len(last)) if last[i] == a])
    slip = last[:k] + b + last[k + 1 :]
    src_name = f"{first_en} {last_en}"  # the source names the same person each time
    arts, good = [], []
    j = rng.randrange(len(lines))
    for i, line in enumerate(lines):
        text, at = _insert_before_end(line.target, f"وقال {first} {slip if i == j else last}")
        src = f"{line.source} {src_name} said."
        arts.append((text, src))
        good.append((_insert_before_end(line.target, f"وقال {first} {last}")[0], src))
        if i == j:
            s = at + len(f"وقال {first} ")
            where = (i, s, s + len(slip))
    return [Case("name-inconsistent", "letter-slip", arts, where), Case("name-inconsistent", "letter-slip", good, None)]


def garbled_headline(lines: list[Line], rng: random.Random, kit: Kit) -> list[Case]:
    """headline-garbled: an article whose headline (a short clean line) carries three MT
    artifacts: a doubled word, a source word in Arabic letters and a common one left in Latin; the
    control is the same article with the clean headline."""
    from wordfreq import zipf_frequency

    head = next((l for l in lines if 5 <= len(l.target.split()) <= 16), None)
    if head is None:
        return []
    head = Line(head.corpus, head.index, head.target.rstrip().rstrip(".").rstrip(), head.source)  # a headline has no full stop
    body = [l for l in lines if l is not head]
    english = english_left(head, rng, kit)
    if not english:
        return []
    text = english[0].articles[0][0]
    toks = _arabic_tokens(text)
    t = rng.choice(toks)
    text = text[: t.end] + " " + t.text + text[t.end :]
    # A common word left in Latin (a rare one may be a term kept on purpose: lacrosse)
    latin = sorted({w for w in regex.findall(r"(?<![\p{L}'])[a-z]{4,}(?![\p{L}'])", head.source) if zipf_frequency(w, "en") >= 4.5})
    if not latin:
        return []
    toks = _arabic_tokens(text)
    at = rng.choice(toks[1:]).start
    text = text[:at] + rng.choice(latin) + " " + text[at:]
    src = "\n".join([head.source, *(l.source for l in body)])
    bad = "\n".join([text, *(l.target for l in body)])
    good = "\n".join([head.target, *(l.target for l in body)])
    return [Case("headline-garbled", "three-artifacts", [(bad, src)], (0, 0, len(text))),
            Case("headline-garbled", "three-artifacts", [(good, src)], None)]


# -- the classes of other scripts, reused -------------------------------------------------


def figures(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """number-mismatch / unit-mismatch: number_benchmark.corruptions (a figure changed, a
    scale changed or dropped, a unit swapped, an identifier altered, a figure dropped, a
    month changed)."""
    from number_benchmark import corruptions

    from mtaudit.types import Article

    out = []
    for kind, text, at in corruptions(Article("x", line.target, source=line.source), kit.res, rng):
        check = "unit-mismatch" if kind == "unit" else "number-mismatch"
        span = (0, 0, len(text)) if at is None else (0, at, at + 1)
        out.append(Case(check, f"figure-{kind}", [(text, line.source)], span))
    return out


def senses(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """wrong-sense: sense_data.sense_swaps (a rule's right word replaced by its wrong sense
    where the source has the rule's English word), one swap a line."""
    from sense_data import correct_forms, sense_swaps

    correct = _cached(kit, "correct", lambda: correct_forms(ROOT / "references"))
    swaps = sense_swaps(line, kit.res.wrong_sense, correct)
    if not swaps:
        return []
    s = rng.choice(swaps)
    return [Case("wrong-sense", "sense-swapped", [(s.target, line.source)], (0, s.start, s.end))]


def doubled_word(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """repeated-word: source_aware_benchmark.doubled (one Arabic word written twice)."""
    from source_aware_benchmark import doubled

    d = doubled(line.target, rng)
    return [Case("repeated-word", "word-doubled", [(d[0], line.source)], (0, *d[1]))] if d else []


def latin_left(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """latin-leftover: source_aware_benchmark.leftover (source words left in Latin)."""
    from source_aware_benchmark import leftover

    lo = leftover(line.target, line.source, rng)
    return [Case("latin-leftover", "latin-left", [(lo[0], line.source)], (0, *lo[1]))] if lo else []


def placeholder(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """placeholder: source_aware_benchmark.placeholder_case put in source and target, then
    dropped or altered in the target (the copy that keeps it is the control)."""
    from source_aware_benchmark import _insert_before_end as put
    from source_aware_benchmark import placeholder_case

    kind, value, altered = placeholder_case(rng)
    if kind == "domain":
        return []  # a brand's domain in Arabic letters is no error (see source_aware_benchmark)
    src = put(line.source, value)
    kept = put(line.target, value)
    bad = put(line.target, altered) if altered and rng.random() < 0.5 else line.target
    return [Case("placeholder", f"placeholder-{kind}", [(bad, src)], (0, 0, len(bad))),
            Case("placeholder", f"placeholder-{kind}", [(kept, src)], None)]


# -- house style: departures a typist or an MT system makes in well-spelt copy ----------

_WORD_AR = regex.compile(r"(?<![\p{Arabic}\p{M}\u0640])[\u0621-\u064A]+(?![\p{Arabic}\p{M}\u0640])")
_NO_JOIN = set("اأإآدذرزوؤةىء")  # letters that do not join the next one: no kashida after them


def _one_word(line: Line, rng: random.Random, check: str, kind: str, pick, change) -> list[Case]:
    """One Arabic word of the line that ``pick`` accepts, changed by ``change``."""
    words = [m for m in _WORD_AR.finditer(line.target) if pick(m.group())]
    if not words:
        return []
    m = rng.choice(words)
    new = change(m.group(), rng)
    text = line.target[: m.start()] + new + line.target[m.end() :]
    return [Case(check, kind, [(text, line.source)], (0, m.start(), m.start() + len(new)))]


def tatweel(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-tatweel: a word stretched with a kashida between two joined letters."""
    def spots(w):
        return [i for i in range(1, len(w) - 1) if w[i - 1] not in _NO_JOIN]

    def stretch(w, rng):
        i = rng.choice(spots(w))
        return w[:i] + "\u0640" * rng.choice((1, 1, 2)) + w[i:]

    return _one_word(line, rng, "style-tatweel", "kashida", lambda w: len(w) >= 4 and spots(w), stretch)


_HAMZA_WORD = regex.compile(r"^(?:[وفبلك]?ال|لل|[وفبلك])?[أإ]")


def hamza_dropped(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-hamza: the hamza of an initial alef dropped (أن → ان, والإعلان → والاعلان)."""
    def drop(w, rng):
        m = _HAMZA_WORD.match(w)
        return w[: m.end() - 1] + "ا" + w[m.end():]

    return _one_word(line, rng, "style-hamza", "hamza-dropped", lambda w: len(w) >= 2 and _HAMZA_WORD.match(w), drop)


def ta_marbuta_as_ha(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-ta-marbuta: a definite word's final ة written ه (الحكومة → الحكومه)."""
    return _one_word(
        line, rng, "style-ta-marbuta", "ta-as-ha",
        lambda w: len(w) >= 5 and w.endswith("ة") and regex.match(r"(?:[وفبك]?ال|لل)", w),
        lambda w, rng: w[:-1] + "ه",
    )


def alef_maqsura_swapped(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-alef-maqsura: final ى written ي (حتى → حتي) or final ي of a preposition
    written ى (في → فى)."""
    return _one_word(
        line, rng, "style-alef-maqsura", "ya-alef-swapped",
        lambda w: (len(w) >= 2 and w.endswith("ى")) or w in ("في", "وفي"),
        lambda w, rng: w[:-1] + ("ي" if w.endswith("ى") else "ى"),
    )


def digits_mixed(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-digits: one figure of a line that has two or more put in Arabic-Indic digits."""
    figures = list(regex.finditer(r"(?<![\p{Latin}0-9])[0-9]+(?![\p{Latin}0-9])", line.target))
    if len(figures) < 2:
        return []
    m = rng.choice(figures)
    new = "".join(chr(0x0660 + int(c)) for c in m.group())
    text = line.target[: m.start()] + new + line.target[m.end() :]
    return [Case("style-digits", "figure-arabic-indic", [(text, line.source)], (0, m.start(), m.end()))]


def latin_mark(line: Line, rng: random.Random, kit: Kit) -> list[Case]:
    """style-punctuation: an Arabic comma or question mark after an Arabic word written in
    Latin (، → , and ؟ → ?)."""
    spots = [m for m in regex.finditer(r"(?<=[\u0621-\u064A])[،؟]", line.target)]
    if not spots:
        return []
    m = rng.choice(spots)
    new = "," if m.group() == "،" else "?"
    text = line.target[: m.start()] + new + line.target[m.end() :]
    return [Case("style-punctuation", "latin-mark", [(text, line.source)], (0, m.start(), m.end()))]


def _cached(kit: Kit, key: str, make):
    store = kit.__dict__.setdefault("_store", {})
    if key not in store:
        store[key] = make()
    return store[key]


#: check id → generators of one line; and of a group of consecutive lines (one article or batch)
LINE_CLASSES = {
    "english-in-arabic": english_left,
    "calque": credit_calque,
    "dateline": scrambled_dateline,
    "punctuation-spacing": punctuation,
    "unbalanced-marks": unbalanced,
    "agreement": indefinite_adjective,
    "possessive-order": possessive,
    "number-mismatch": figures,  # unit-mismatch's cases come from the same generator
    "wrong-sense": senses,
    "repeated-word": doubled_word,
    "latin-leftover": latin_left,
    "placeholder": placeholder,
    "style-tatweel": tatweel,
    "style-hamza": hamza_dropped,
    "style-ta-marbuta": ta_marbuta_as_ha,
    "style-alef-maqsura": alef_maqsura_swapped,
    "style-digits": digits_mixed,
    "style-punctuation": latin_mark,
}
GROUP_CLASSES = {"name-inconsistent": inconsistent_name, "headline-garbled": garbled_headline}
GROUP_SIZE = 4


def cases(lines: list[Line], kit: Kit, only: set[str] | None = None, seed: int = 13) -> list[Case]:
    """Every class's cases over ``lines``: per line, and per group of GROUP_SIZE lines of the
    same corpus and split (a group never mixes build and held-out lines). Deterministic:
    each line's random generator is seeded with the seed, its corpus and index."""
    out: list[Case] = []
    for line in lines:
        for check, make in LINE_CLASSES.items():
            if only and check not in only and not (check == "number-mismatch" and "unit-mismatch" in only):
                continue
            rng = random.Random(f"{seed}:{check}:{line.corpus}:{line.index}")
            for c in make(line, rng, kit):
                if only and c.check not in only:
                    continue
                c.corpus, c.held_out = line.corpus, line.held_out
                out.append(c)
    groups: dict[tuple[str, bool], list[Line]] = {}
    for line in lines:
        groups.setdefault((line.corpus, line.held_out), []).append(line)
    for (corpus, held), members in groups.items():
        for k in range(0, len(members) - GROUP_SIZE + 1, GROUP_SIZE):
            group = members[k : k + GROUP_SIZE]
            for check, make in GROUP_CLASSES.items():
                if only and check not in only:
                    continue
                rng = random.Random(f"{seed}:{check}:{corpus}:{group[0].index}")
                for c in make(group, rng, kit):
                    c.corpus, c.held_out = corpus, held
                    out.append(c)
    return out
