"""Word alignment inside an aligned unit: which English word each Arabic word translates.

A unit is one source sentence (or two) and the target sentence(s) the sentence aligner
(mtaudit.text.alignment) paired with it. The lexical model is eflomal's (Östling & Tiedemann
2016: a Bayesian IBM/HMM model with fertility, sampled in C), run offline on about 10,000
English–Arabic sentence pairs by scripts/build_alignment_priors.py; its link counts ship
as references/word_alignment_priors.tsv (194 KiB).

Two aligners use them:
  - :class:`LexicalAligner`, what the checks use: a deterministic decoder (each word links
    to the word of the other side with the best lexical probability times a preference for
    the diagonal, or to nothing; both directions symmetrised). The same input always gives
    the same links, it needs no binary, and it costs about 2 ms per sentence pair. On the
    hand-aligned set (tests/data/hand_alignments.tsv) precision 0.90, recall 0.42, AER 0.42.
  - :class:`WordAligner`, eflomal itself run on the units at hand with the shipped priors
    (the ``align`` extra): recall 0.64, precision 0.69, AER 0.34 on a 100-pair batch, but it
    samples at random (links can change between runs) and starts a process per call.

Anchors override the model: the same number, or the same Latin token, on both sides.
Arabic words carry clitics an English word does not (وبالسيارة is "and in the car"): the
model sees a light stem (proclitics و ف ب ل ك and the article off, a suffix pronoun and a
plural or feminine ending off), so one English word aligns with the part of a token that
translates it; a link is always between whole tokens, whose offsets are those of the
delivered text.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from .morphology import affixes
from .tokens import Token, tokenize

_EN_WORD = regex.compile(r"\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['’][\p{L}]+)?")
_PROCLITICS = affixes("proclitic", ("conjunction",))
_PREPOSITIONS = affixes("proclitic", ("preposition",))
_PRONOUNS = affixes("enclitic", on="noun")
_ENDINGS = affixes("suffix") + ("ه", "ة")  # plurals, dual, ta marbuta (folded to ه)


@dataclass(frozen=True)
class EnToken:
    text: str
    start: int  # offsets into the source text given
    end: int


def english_tokens(text: str) -> list[EnToken]:
    return [EnToken(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(text)]


def english_key(word: str) -> str:
    """A light stem of an English word: lower case, possessive and common endings off."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + keep
            break
    # strike, strikes, striking and struck... at least the first three share "strik".
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def arabic_key(folded: str) -> str:
    """A light stem of a folded Arabic token: proclitics, article, suffix pronoun and plural
    ending off, keeping at least three letters (so a short word is left as it is)."""
    w = folded
    if len(w) > 3 and w.startswith(_PROCLITICS):
        w = w[1:]
    if w.startswith("لل") and len(w) > 4:
        w = w[2:]  # للغارات = ل + الغارات
    elif len(w) > 3 and w.startswith(_PREPOSITIONS) and (w[1:].startswith("ال") or len(w) > 4):
        w = w[1:]
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    for s in _PRONOUNS:
        if w.endswith(s) and len(w) - len(s) >= 3:
            w = w[: -len(s)]
            if w.endswith("ت") and len(w) > 3:
                return w[:-1]  # حكومته: the ta marbuta written ت before a pronoun
            break
    for s in _ENDINGS:
        if w.endswith(s) and len(w) - len(s) >= 3:
            return w[: -len(s)]
    return w


def _is_number(s: str) -> bool:
    return bool(s) and s.replace(",", "").replace(".", "").isdigit()


@dataclass
class UnitAlignment:
    """Links between the English tokens and the Arabic tokens of one unit."""

    english: list[EnToken]
    arabic: list[Token]
    links: set[tuple[int, int]]  # (english index, arabic index)

    def english_for(self, j: int) -> list[EnToken]:
        """The English tokens aligned with Arabic token ``j``."""
        return [self.english[i] for i, jj in sorted(self.links) if jj == j]

    def english_words_for(self, j_start: int, j_end: int) -> list[str]:
        return [self.english[i].text for i, j in sorted(self.links) if j_start <= j < j_end]


def _read_links(path: str) -> list[set[tuple[int, int]]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.append({tuple(map(int, p.split("-"))) for p in line.split()})
    return out


def symmetrize(fwd: set[tuple[int, int]], rev: set[tuple[int, int]], n_src: int, n_trg: int) -> set[tuple[int, int]]:
    """grow-diag-final-and (Koehn et al. 2005): the intersection of both directions, grown
    with neighbouring links of the union, then union links of words still unaligned."""
    union = fwd | rev
    links = fwd & rev
    neighbours = [(-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]
    added = True
    while added:
        added = False
        for i, j in sorted(links):
            for di, dj in neighbours:
                p = (i + di, j + dj)
                if p in union and p not in links:
                    src_free = all(q[0] != p[0] for q in links)
                    trg_free = all(q[1] != p[1] for q in links)
                    if src_free or trg_free:
                        links.add(p)
                        added = True
    for p in sorted(union):
        if p not in links:
            if all(q[0] != p[0] for q in links) and all(q[1] != p[1] for q in links):
                links.add(p)
    return links


class WordAligner:
    """eflomal with shipped priors; one call aligns every unit of an article (or a batch)."""

    # Few iterations suffice with priors (measured on the hand-aligned set: (4, 4, 8) is as
    # good as eflomal's default for tiny inputs at a seventh of the time); priors count
    # three times their corpus counts, which helped one-sentence articles most.
    def __init__(self, priors_path: Path, n_iterations: tuple[int, int, int] | None = (8, 8, 16), prior_scale: float = 3.0):
        self.priors: dict[tuple[str, str], float] = {}
        self.other: list[str] = []  # jump and fertility priors, passed through as read
        self.n_iterations = n_iterations
        with open(priors_path, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if parts[0] == "LEX":
                    self.priors[(parts[1], parts[2])] = float(parts[3]) * prior_scale
                elif parts[0] in ("HMMF", "HMMR"):
                    self.other.append(line.rstrip("\n"))
        self.by_src: dict[str, list[tuple[str, float]]] = {}
        for (s, t), a in self.priors.items():
            self.by_src.setdefault(s, []).append((t, a))

    def knows(self, english: str, arabic: set[str], min_alpha: float = 2.0) -> bool:
        """Whether the priors link the English stem to one of the Arabic stems."""
        return any(t in arabic and a >= min_alpha for t, a in self.by_src.get(english, ()))

    def align(
        self, pairs: list[tuple[str, list[Token]]], extra_priors: dict[tuple[str, str], float] | None = None
    ) -> list[UnitAlignment]:
        """Align each (English text, Arabic tokens) pair; offsets of the English tokens are
        into the English text given. ``extra_priors`` adds lexical priors for this call,
        keyed by (english_key, arabic_key): a caller's knowledge of what may translate what
        (a wrong-sense rule knows MT writes سيارة for Syria)."""
        import eflomal

        ens = [english_tokens(src) for src, _ in pairs]
        out = [UnitAlignment(en, ar, set()) for en, (_, ar) in zip(ens, pairs)]
        todo = [k for k, u in enumerate(out) if u.english and u.arabic]
        if not todo:
            return out
        src_lines = [" ".join(english_key(t.text) for t in out[k].english) for k in todo]
        trg_lines = [" ".join(arabic_key(t.folded) for t in out[k].arabic) for k in todo]
        vocab_t = {w for line in trg_lines for w in line.split()}
        lex: dict[tuple[str, str], float] = {}
        for s in {w for line in src_lines for w in line.split()}:
            for t, a in self.by_src.get(s, ()):
                if t in vocab_t:
                    lex[(s, t)] = a
        for key, a in (extra_priors or {}).items():
            lex[key] = lex.get(key, 0.0) + a
        prior_lines = [f"LEX\t{s}\t{t}\t{a:g}" for (s, t), a in lex.items()]
        prior_lines += self.other
        with tempfile.TemporaryDirectory(prefix="mtaudit-wa-") as tmp:
            fwd, rev = os.path.join(tmp, "fwd"), os.path.join(tmp, "rev")
            aligner = eflomal.Aligner(n_iterations=self.n_iterations, n_samplers=4)
            aligner.align(
                io.StringIO("\n".join(src_lines) + "\n"),
                io.StringIO("\n".join(trg_lines) + "\n"),
                links_filename_fwd=fwd,
                links_filename_rev=rev,
                priors_input=io.StringIO("\n".join(prior_lines) + "\n"),
                quiet=True,
            )
            fwd_links, rev_links = _read_links(fwd), _read_links(rev)
        for k, f, r in zip(todo, fwd_links, rev_links):
            u = out[k]
            u.links = symmetrize(f, r, len(u.english), len(u.arabic))
            _anchor(u)
        return out


class LexicalAligner:
    """A deterministic decoder over the same priors: each word links to the word of the
    other side that maximises lexical probability (from the priors' link counts, both
    directions) times a preference for the diagonal (the distortion of fast_align, Dyer et
    al. 2013), or to nothing; the two directions are symmetrised with grow-diag-final-and.
    No sampling and no subprocess, so the same input always aligns the same way (a
    finding must not come and go between runs), and a call costs well under a millisecond
    per sentence."""

    # diagonal and null were chosen on the first 50 pairs of the hand-aligned set (the last
    # 50 were not looked at): precision matters more than recall to the checks.
    def __init__(self, base: WordAligner, diagonal: float = 2.0, null: float = 1e-2, floor: float = 1e-5):
        self.by_src = base.by_src
        self.by_trg: dict[str, list[tuple[str, float]]] = {}
        for (s, t), a in base.priors.items():
            self.by_trg.setdefault(t, []).append((s, a))
        self.src_total = {s: sum(a for _, a in v) for s, v in self.by_src.items()}
        self.trg_total = {t: sum(a for _, a in v) for t, v in self.by_trg.items()}
        self.pair = base.priors
        self.diagonal, self.null, self.floor = diagonal, null, floor
        self.knows = base.knows

    def score(self, e: str, a: str) -> float:
        """Lexical evidence that English stem ``e`` and Arabic stem ``a`` translate each
        other: the larger of p(a|e) and p(e|a) from the priors' counts."""
        c = self.pair.get((e, a), 0.0)
        if e == a:
            return 1.0
        if not c:
            return 0.0
        return max(c / self.src_total[e], c / self.trg_total[a])

    def best_english(self, u: UnitAlignment, js: range, extra: dict[tuple[str, str], float] | None = None) -> int | None:
        """The English word that best explains Arabic words ``js`` of the unit, never
        nothing: the lexical score (with a caller's confusion pairs, as in :meth:`align`)
        times the diagonal preference. Used to ask which English word a suspicious
        Arabic word translates."""
        import math

        if not u.english:
            return None
        e_keys = [english_key(t.text) for t in u.english]
        n, m = len(u.english), len(u.arabic)
        best, best_i = -math.inf, None
        for j in js:
            a = arabic_key(u.arabic[j].folded)
            for i, e in enumerate(e_keys):
                p = self.score(e, a)
                if extra and (e, a) in extra:
                    # Measured against what the Arabic word usually translates, so a word
                    # the lexicon knows it for (car → سيارة) still wins over the confusion.
                    x = extra[(e, a)]
                    p = max(p, x / (self.trg_total.get(a, 0.0) + x))
                sc = math.log(max(p, self.floor)) - self.diagonal * abs((i + 0.5) / n - (j + 0.5) / m)
                if sc > best:
                    best, best_i = sc, i
        return best_i

    def _direction(self, src: list[str], trg: list[str], given_src: bool) -> set[tuple[int, int]]:
        """For each target word, its best source word (indices as (src, trg))."""
        import math

        n, m = len(src), len(trg)
        links = set()
        for j, t in enumerate(trg):
            best, best_i = math.log(self.null), None
            for i, s in enumerate(src):
                c = self.pair.get((s, t) if given_src else (t, s), 0.0)
                total = (self.src_total if given_src else self.trg_total).get(s, 0.0)
                p = c / total if total else 0.0
                if s == t:  # the same number or Latin token
                    p = 1.0
                score = math.log(max(p, self.floor)) - self.diagonal * abs((i + 0.5) / n - (j + 0.5) / m)
                if score > best:
                    best, best_i = score, i
            if best_i is not None:
                links.add((best_i, j))
        return links

    def align(self, pairs, extra_priors=None) -> list[UnitAlignment]:
        out = []
        extra = extra_priors or {}
        saved = {}
        for key, a in extra.items():  # a caller's confusion pairs count as links seen
            saved[key] = self.pair.get(key)
            self.pair[key] = self.pair.get(key, 0.0) + a
            self.src_total[key[0]] = self.src_total.get(key[0], 0.0) + a
            self.trg_total[key[1]] = self.trg_total.get(key[1], 0.0) + a
        try:
            for src, ar in pairs:
                en = english_tokens(src)
                u = UnitAlignment(en, ar, set())
                if en and ar:
                    e = [t.text.replace(",", "") if _is_number(t.text) else english_key(t.text) for t in en]
                    a = [t.folded.replace(",", "") if t.is_number else (t.folded.lower() if t.is_latin else arabic_key(t.folded)) for t in ar]
                    fwd = self._direction(e, a, True)  # each Arabic word → an English word
                    rev = {(i, j) for j, i in self._direction(a, e, False)}
                    u.links = symmetrize(fwd, rev, len(en), len(ar))
                    _anchor(u)
                out.append(u)
        finally:
            for key, a in extra.items():
                if saved[key] is None:
                    del self.pair[key]
                else:
                    self.pair[key] = saved[key]
                self.src_total[key[0]] -= a
                self.trg_total[key[1]] -= a
        return out


def _anchor(u: UnitAlignment) -> None:
    """The same number or Latin token on both sides is a sure link: it replaces what the
    model linked to either token."""
    index: dict[str, list[int]] = {}
    for i, t in enumerate(u.english):
        key = t.text.replace(",", "") if _is_number(t.text) else t.text.lower()
        index.setdefault(key, []).append(i)
    for j, t in enumerate(u.arabic):
        if not (t.is_number or t.is_latin):
            continue
        key = t.folded.replace(",", "") if t.is_number else t.folded.lower()
        cands = index.get(key, [])
        if len(cands) == 1:
            i = cands[0]
            u.links = {(a, b) for a, b in u.links if a != i and b != j}
            u.links.add((i, j))


def default_priors_path() -> Path:
    from ..knowledge.resources import default_reference_dir

    return default_reference_dir() / "word_alignment_priors.tsv"


@lru_cache(maxsize=2)
def _priors(path: str) -> WordAligner | None:
    return WordAligner(Path(path)) if Path(path).is_file() else None


def aligner(path: Path | None = None) -> WordAligner | None:
    """The eflomal aligner with the shipped priors (loaded once per process), or None
    where eflomal is not installed (the ``align`` extra)."""
    try:
        import eflomal  # noqa: F401
    except ImportError:
        return None
    return _priors(str(path or default_priors_path()))


@lru_cache(maxsize=2)
def _lexical(path: str) -> LexicalAligner | None:
    base = _priors(path)
    return LexicalAligner(base) if base is not None else None


def lexical_aligner(path: Path | None = None) -> LexicalAligner | None:
    """The deterministic decoder over the shipped priors (needs no eflomal); the one the
    checks use. None only when the priors file is missing."""
    return _lexical(str(path or default_priors_path()))


def aligned_unit(source: str, tokens: list[Token]) -> UnitAlignment | None:
    """The deterministic alignment of one unit (English text, Arabic tokens), computed once
    per article (mtaudit.run.memo) and shared by the checks that ask for the same unit
    (termbase for each of its terms, the consistency checks); None without the priors.
    Read-only. A check that adds priors of its own (wrong-sense) aligns for itself."""
    from ..run.memo import memoized

    aligner = lexical_aligner()
    if aligner is None:
        return None
    key = (source, tuple((t.start, t.end, t.text) for t in tokens))
    return memoized("unit-alignment", key, _align_one, aligner, source, tokens)


def _align_one(aligner: "LexicalAligner", source: str, tokens: list[Token]) -> UnitAlignment:
    [unit] = aligner.align([(source, tokens)])
    return unit


def align_units(pairs: list[tuple[str, str]], method: str = "lexical") -> list[UnitAlignment] | None:
    """Align (English, Arabic) sentence pairs given as text with the deterministic decoder
    (``method="lexical"``) or eflomal (``"eflomal"``, sampled: runs may differ a little);
    None when that aligner is unavailable."""
    a = lexical_aligner() if method == "lexical" else aligner()
    if a is None:
        return None
    return a.align([(en, tokenize(ar)) for en, ar in pairs])


IGNORED_ENGLISH = frozenset({"a", "an", "the"})  # not annotated in the hand-aligned set


def read_hand_alignments(path: Path) -> list[tuple[str, str, set[tuple[int, int]]]]:
    """(english, arabic, sure links) from a file in the format of
    tests/data/hand_alignments.tsv."""
    rows = []
    lines = [l for l in Path(path).read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    for l in lines[1:]:
        _, en, ar, links = l.split("\t")
        rows.append((en, ar, {tuple(map(int, p.split("-"))) for p in links.split()}))
    return rows


def alignment_scores(gold: list[set[tuple[int, int]]], predicted: list[UnitAlignment]) -> dict[str, float]:
    """Precision, recall and AER (Och & Ney 2003, with every gold link sure) over a test
    set; links from English articles are left out on both sides."""
    hit = n_pred = n_gold = 0
    for g, u in zip(gold, predicted):
        skip = {i for i, t in enumerate(u.english) if t.text.lower() in IGNORED_ENGLISH}
        g = {p for p in g if p[0] not in skip}
        a = {p for p in u.links if p[0] not in skip}
        hit += len(g & a)
        n_pred += len(a)
        n_gold += len(g)
    p = hit / n_pred if n_pred else 0.0
    r = hit / n_gold if n_gold else 0.0
    aer = 1 - 2 * hit / (n_pred + n_gold) if n_pred + n_gold else 1.0
    return {"precision": p, "recall": r, "aer": aer}
