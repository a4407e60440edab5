"""How far an Arabic spelling is from a name, counting the edits that English-mediated MT makes.

A name translated Arabic → English → Arabic loses what the Latin spelling does not write
and gains what it writes as vowels: ع ح ء ه weaken or vanish (الشرع → الشارا, أسعد → آساد),
short vowels come back as long ones (بشار → باشار), the article may be detached or written
with hamza (الشيباني → شيباني, ألشراي), and letters that English spells alike are confused
(س/ص/ث, ت/ط, د/ض/ذ, ك/ق, ح/ه/خ, and sh/s in الأسد → الشاد), and English digraphs are
written letter by letter (Araghchi → اراقتشي for عراقجي). :func:`channel_cost` is a
weighted edit distance in which those edits are cheap and every other edit costs 1, so a
small cost means "this could be that name, garbled on the way through English".

All inputs are folded forms (mtaudit.text.normalize.fold).
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import regex

# Letters English renders as vowels or drops: inserting or deleting one is cheap.
VOWEL_LETTERS = frozenset("اوي")
WEAK_CONSONANTS = frozenset("عحءه")
_SILENT_IN_LATIN = frozenset("عء")  # written as a vowel or an apostrophe, if at all
_INDEL_VOWEL = 0.25
_INDEL_WEAK = 0.35
_SUB_NEAR = 0.4  # letters English writes the same way
_SUB_WEAK_TO_VOWEL = 0.3  # ع ء ه written as the vowel English puts in their place (Sharaa)
_SUB_SIBILANT = 0.5  # s / sh confusions
_SUB_OTHER = 1.0
_INDEL_OTHER = 1.0
_INDEL_DOUBLED = 0.4

_NEAR_GROUPS = [
    "سصث",
    "تط",
    "دضذ",
    "زظذ",
    "كق",
    "حهخ",
    "عاءو",
    "عاءي",
    "غجقك",
    "سز",  # English z is often s (Katz, كاتس / كاتز)
    "اوي",
]
_NEAR = {(a, b) for g in _NEAR_GROUPS for a in g for b in g if a != b}
_SIBILANT = {(a, b) for a in "سصشث" for b in "سصشث" if a != b}

# English digraphs written letter by letter in Arabic: Araghchi → اراقتشي for عراقجي,
# Khalil → كهليل for خليل. Observed pair → the single letters it can stand for.
_DIGRAPHS = {"تش": "جشچ", "كه": "خ", "ته": "ثت", "ده": "ذد", "سه": "ش", "جه": "ج"}
_SUB_DIGRAPH = 0.45

ARTICLE = "ال"
# The name torn from its article is common (wire copy drops "al-" on second reference:
# "Sharaa said"); an article added to a name that has none is rarer.
ARTICLE_DROPPED = 0.15
ARTICLE_ADDED = 0.3


def _indel(ch: str) -> float:
    if ch in VOWEL_LETTERS:
        return _INDEL_VOWEL
    if ch in WEAK_CONSONANTS:
        return _INDEL_WEAK
    return _INDEL_OTHER


def _sub(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if (a in _SILENT_IN_LATIN and b in VOWEL_LETTERS) or (b in _SILENT_IN_LATIN and a in VOWEL_LETTERS):
        return _SUB_WEAK_TO_VOWEL
    if (a, b) in _NEAR:
        return _SUB_NEAR
    if (a, b) in _SIBILANT:
        return _SUB_SIBILANT
    return _SUB_OTHER


@lru_cache(maxsize=200_000)
def channel_alignment(observed: str, candidate: str) -> tuple[float, int]:
    """(cost, hard edits) of the cheapest way to turn ``candidate`` (the real name) into
    ``observed``; hard edits are those English does not explain (a consonant changed,
    added or lost)."""
    return _aligner()(observed, candidate, None)  # type: ignore[return-value]


@lru_cache(maxsize=200_000)
def channel_alignment_within(observed: str, candidate: str, bound: float) -> tuple[float, int] | None:
    """:func:`channel_alignment`, or None when its cost is certainly above ``bound``: the
    table is abandoned at the first row whose every cell costs more (every path crosses
    every row, and costs only grow along a path), so a far spelling costs a row or two.
    Otherwise the answer is :func:`channel_alignment`'s, to the last bit."""
    return _aligner()(observed, candidate, bound)


def prepare() -> None:
    """Set up the channel distance now (its compiled tables take about 60 ms): a warm-up
    before the --jobs workers fork, so that each does not build them again."""
    _aligner()


@lru_cache(maxsize=1)
def _aligner():
    """:func:`_alignment`, compiled when the C extension is in use (the same answers: see
    mtaudit.names.compiled_channel), from the rules and weights of this module."""
    return _compiled_aligner() or _alignment


def _compiled_aligner(ext=None):
    from .compiled_channel import compiled_alignment

    rule_letters = [VOWEL_LETTERS, WEAK_CONSONANTS, _SILENT_IN_LATIN, *_NEAR_GROUPS, *(a + b for a, b in _SIBILANT),
                    *_DIGRAPHS, *_DIGRAPHS.values()]
    try:
        return compiled_alignment(rule_letters, _indel, _sub, _INDEL_DOUBLED, _SUB_DIGRAPH, _SUB_OTHER, _DIGRAPHS, _INDEL_VOWEL, ext)
    except (TypeError, ValueError, MemoryError) as exc:
        # an extension built from other sources than these rules: the Python programme gives
        # the same answers, only slower; a name check must not fail on every article for it
        warnings.warn(f"mtaudit: the compiled channel distance could not be set up ({exc}); using the Python one", RuntimeWarning, stacklevel=2)
        return None


def _alignment(observed: str, candidate: str, bound: float | None) -> tuple[float, int] | None:
    n, m = len(candidate), len(observed)
    # Each letter of length difference takes an insertion or deletion (at least
    # _INDEL_VOWEL) or a digraph (_SUB_DIGRAPH): a lower bound on the cost.
    if bound is not None and _INDEL_VOWEL * abs(m - n) > bound + 1e-6:
        return None
    # The letters the observed pair ending at j can stand for (تش → ج), per position.
    digraph_ending = [""] * 2 + [_DIGRAPHS.get(observed[j - 2 : j], "") for j in range(2, m + 1)]
    # Costs per letter computed once (the inner loop is the hot path of garble retrieval);
    # each state is (cost, hard edits), compared as a tuple, as _step builds them.
    ins = [_insert_cost(observed, j) for j in range(m)]
    ins_hard = [c >= _SUB_OTHER for c in ins]
    prev: list[tuple[float, int]] = [(0.0, 0)] * (m + 1)
    for j in range(1, m + 1):
        c0, h0 = prev[j - 1]
        d = _indel(observed[j - 1])
        prev[j] = (c0 + d, h0 + (d >= _SUB_OTHER))
    for i in range(1, n + 1):
        ci = candidate[i - 1]
        dl = _indel(ci)
        dl_hard = dl >= _SUB_OTHER
        c0, h0 = prev[0]
        cur = [(c0 + dl, h0 + dl_hard)] + [(0.0, 0)] * m
        for j in range(1, m + 1):
            oj = observed[j - 1]
            pc, ph = prev[j]
            best = (pc + dl, ph + dl_hard)  # candidate letter lost
            lc, lh = cur[j - 1]
            x = (lc + ins[j - 1], lh + ins_hard[j - 1])  # letter added
            if x < best:
                best = x
            sc = _sub(ci, oj)
            dc, dh = prev[j - 1]
            x = (dc + sc, dh + (sc >= _SUB_OTHER))
            if x < best:
                best = x
            if ci in digraph_ending[j]:
                gc, gh = prev[j - 2]
                x = (gc + _SUB_DIGRAPH, gh)  # ج written تش
                if x < best:
                    best = x
            cur[j] = best
        prev = cur
        # a margin over the bound: the cost is rounded below, and a cell a hair above the
        # bound may round to it
        if bound is not None and min(cur)[0] > bound + 1e-6:
            return None
    cost, hard = prev[m]
    return round(cost, 6), hard


def _step(state: tuple[float, int], cost: float) -> tuple[float, int]:
    return state[0] + cost, state[1] + (cost >= _SUB_OTHER)


def _insert_cost(observed: str, j: int) -> float:
    """Inserting observed[j]; a doubled consonant is English spelling (Assad → أسساد)."""
    if j > 0 and observed[j] == observed[j - 1]:
        return _INDEL_DOUBLED
    return _indel(observed[j])


def channel_cost(observed: str, candidate: str) -> float:
    """Weighted edit distance from ``candidate`` (the real name) to ``observed``."""
    return channel_alignment(observed, candidate)[0]


# One letter for each group of consonants English spells alike (q/k/g/j, s/z, t, d).
_SAME_IN_LATIN = str.maketrans("قصثطضذظغخزج", "كسستددسككسك")


def skeleton(stem: str) -> str:
    """The consonants that survive a round trip through English (no vowels, no ع ح ء ه),
    letters that English spells alike merged (قصرة and كاسرا share كسر)."""
    consonants = "".join(c for c in stem if c not in VOWEL_LETTERS and c not in WEAK_CONSONANTS)
    return consonants.replace("تش", "ج").translate(_SAME_IN_LATIN)  # "ch" letter by letter is ج


def split_article(folded: str) -> tuple[str, str]:
    """('ال', stem) for a word with the definite article (also hamza-written ألـ), else ('', word)."""
    if folded.startswith(ARTICLE) and len(folded) > 4:
        return ARTICLE, folded[2:]
    return "", folded


def name_cost(observed: str, candidate: str) -> float:
    """Cost of ``observed`` (a folded word without clitics) being a garbling of ``candidate``;
    infinite when the change needs more consonant edits than English explains
    (:func:`hard_edits_allowed`)."""
    oa, os_ = split_article(observed)
    ca, cs = split_article(candidate)
    article = ARTICLE_DROPPED if ca and not oa else ARTICLE_ADDED if oa and not ca else 0.0
    cost, hard = channel_alignment(os_, cs)
    if hard > hard_edits_allowed(cs):
        return float("inf")
    return cost + article


def name_cost_within(observed: str, candidate: str, bound: float) -> float:
    """:func:`name_cost`, or infinite when it is certainly above ``bound``: for callers that
    only want costs up to a small bound (a near-exact misspelling), which most spellings
    are far above."""
    oa, os_ = split_article(observed)
    ca, cs = split_article(candidate)
    article = ARTICLE_DROPPED if ca and not oa else ARTICLE_ADDED if oa and not ca else 0.0
    if bound - article < 0:
        return float("inf")
    found = channel_alignment_within(os_, cs, bound - article)
    if found is None or found[1] > hard_edits_allowed(cs):
        return float("inf")
    return found[0] + article


def hard_edits_allowed(stem: str) -> int:
    """Consonant edits English does not explain that a name can still survive: none in a
    short name (ووفده is not وأسعد), one in a long one."""
    return 0 if len(stem) <= 5 else 1


def tolerance(candidate: str) -> float:
    """The largest cost still plausible for a name of this length (longer names absorb more)."""
    _, stem = split_article(candidate)
    return 0.5 * len(stem) + 0.5


# How English letters come out when MT writes a Latin spelling in Arabic letters, longest
# first. Crude on purpose: used to ask "could this Arabic word be that English word?".
_LATIN_TO_ARABIC = [
    ("sh", "ش"), ("kh", "خ"), ("th", "ث"), ("gh", "غ"), ("dh", "ذ"), ("ch", "تش"), ("ph", "ف"),
    ("ou", "و"), ("oo", "و"), ("ee", "ي"), ("ai", "اي"), ("ay", "اي"), ("aa", "ا"),
    ("a", "ا"), ("e", "ي"), ("i", "ي"), ("o", "و"), ("u", "و"), ("y", "ي"), ("b", "ب"), ("t", "ت"),
    ("j", "ج"), ("h", "ه"), ("d", "د"), ("r", "ر"), ("z", "ز"), ("s", "س"), ("f", "ف"), ("q", "ق"),
    ("k", "ك"), ("c", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"), ("w", "و"), ("v", "ف"), ("g", "ج"),
    ("p", "ب"), ("x", "كس"),
]


def latin_to_arabic(latin: str) -> str:
    """A Latin spelling written letter by letter in Arabic letters (folded), as raw MT
    writes names it does not know: "al-Sharaa" → "الشارا"."""
    words = []
    for word in latin.lower().replace("-", " ").replace("'", "").split():
        word = regex.sub(r"([b-df-hj-np-tv-z])\1", r"\1", word)  # doubled consonants: one letter
        if word in ("al", "el"):
            words.append(ARTICLE)
            continue
        # left to right, at each place the first spelling of the table that is there (an
        # alternation tries its branches in order); a letter none begins with is dropped
        words.append("".join(map(_LATIN_LETTERS_TO_ARABIC.__getitem__, _LATIN_SPELLINGS.findall(word))))
    return " ".join(words).replace(ARTICLE + " ", ARTICLE)


_LATIN_SPELLINGS = regex.compile("|".join(regex.escape(lat) for lat, _ in _LATIN_TO_ARABIC))
_LATIN_LETTERS_TO_ARABIC = dict(_LATIN_TO_ARABIC)


#: The classes of :func:`channel_edits`, in order: letters added before the name's first
#: letter and after its last, vowel letters added inside it (ا, then و or ي), other letters
#: added inside it, and letters lost or changed, by kind (vowel letters, ع ح ء ه, others),
#: and English digraphs written letter by letter.
EDIT_CLASSES = (
    "added_before",
    "added_after",
    "alef_added",
    "waw_yeh_added",
    "consonant_added",
    "vowel_lost",
    "weak_lost",
    "consonant_lost",
    "weak_changed",
    "letter_changed",
    "digraph",
)


@lru_cache(maxsize=50_000)
def channel_edits(observed: str, candidate: str) -> tuple[int, ...]:
    """How many edits of each class of :data:`EDIT_CLASSES` a cheapest way to turn
    ``candidate`` (the real name, article read off) into ``observed`` makes, under the
    costs of :func:`channel_alignment`. Their fitted weights in the confidence model say
    which edits English-mediated MT makes (vowels added, ع ح ء lost or turned into alef)
    and which a real name that merely spells close to a listed one shows (letters at its
    ends, a long vowel missing: كاتسو beside كاتس, اجلان beside اوجلان). A lost first alef
    counts as a weak letter lost: it is a hamza seat (الاسد → الشاد). Only asked for
    the few candidates that pass the evidence gates."""
    _state, path = cheapest_path(observed, candidate)
    after = 0
    while after < len(path) and path[-1 - after][0] == "added":
        after += 1
    before = 0
    while before < len(path) - after and path[before][0] == "added":
        before += 1
    inside = path[before : len(path) - after]
    counts = dict.fromkeys(EDIT_CLASSES, 0)
    counts["added_before"], counts["added_after"] = before, after
    for how, c, o in inside:
        if how == "added":
            counts["alef_added" if o == "ا" else "waw_yeh_added" if o in "وي" else "consonant_added"] += 1
    for k, (how, c, o) in enumerate(path):
        if how == "lost" and k == 0 and c == "ا":
            counts["weak_lost"] += 1  # a word's first alef is a hamza seat (أ إ folded), lost as ء is
        elif how == "lost":
            counts["vowel_lost" if c in VOWEL_LETTERS else "weak_lost" if c in WEAK_CONSONANTS else "consonant_lost"] += 1
        elif how == "sub" and c != o:
            counts["weak_changed" if c in WEAK_CONSONANTS else "letter_changed"] += 1
        elif how == "digraph":
            counts["digraph"] += 1
    return tuple(counts[k] for k in EDIT_CLASSES)


def cheapest_path(observed: str, candidate: str) -> tuple[tuple[float, int], list[tuple[str, str, str]]]:
    """A cheapest edit path from ``candidate`` to ``observed`` under :func:`channel_alignment`'s
    costs, with its (cost, hard edits): steps (how, candidate letter, observed letter), how
    one of "lost", "added", "sub", "digraph". The state is _alignment's, unrounded."""
    n, m = len(candidate), len(observed)
    inf = (float("inf"), 0)
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = (0.0, 0)
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, how = inf, ""
            if i > 0:
                x = _step(cost[i - 1][j], _indel(candidate[i - 1]))
                if x < best:
                    best, how = x, "lost"
            if j > 0:
                # before the name's first letter an added letter costs its plain indel, with no
                # doubled-letter discount, as in _alignment's first row
                x = _step(cost[i][j - 1], _insert_cost(observed, j - 1) if i else _indel(observed[j - 1]))
                if x < best:
                    best, how = x, "added"
            if i > 0 and j > 0:
                x = _step(cost[i - 1][j - 1], _sub(candidate[i - 1], observed[j - 1]))
                if x < best:
                    best, how = x, "sub"
            if i > 0 and j > 1 and candidate[i - 1] in _DIGRAPHS.get(observed[j - 2 : j], ""):
                c, h = cost[i - 1][j - 2]
                x = (c + _SUB_DIGRAPH, h)
                if x < best:
                    best, how = x, "digraph"
            cost[i][j], back[i][j] = best, how
    path: list[tuple[str, str, str]] = []  # (how, candidate letter, observed letter), last first
    i, j = n, m
    while i or j:
        how = back[i][j]
        if how == "lost":
            path.append((how, candidate[i - 1], ""))
            i -= 1
        elif how == "added":
            path.append((how, "", observed[j - 1]))
            j -= 1
        elif how == "sub":
            path.append((how, candidate[i - 1], observed[j - 1]))
            i, j = i - 1, j - 1
        else:
            path.append((how, candidate[i - 1], observed[j - 2 : j]))
            i, j = i - 1, j - 2
    path.reverse()
    return cost[n][m], path
