"""A learned English → Arabic name transliteration model, and its English-mediated twin.

Two joint-sequence ("graphone") models over one inventory of units, each unit a Latin
letter chunk (1–3 letters, marked ^ at the start of a word and $ at its end) paired with
an Arabic chunk (0–2 folded letters), learnt by EM many-to-many alignment of name pairs
(scripts/train_transliteration.py; pairs whose alignment leaves a Latin consonant without
an Arabic letter, mostly tokens of split names such as Abdullah ↔ عبد, are dropped):

- the **correct-rendering model** is a trigram over units (interpolated Kneser-Ney): it
  sees the two units before, so it can learn that "aa" after "^as" in *Asaad* is ع and
  that "h" in an Arabic-looking name is ح. Trained on every training pair: Wikidata
  person-name tokens, Google's Wikipedia transliteration pairs, the Wikidata names of
  arabic-name-romanizer from Arab countries, the gazetteer's own names.
- the **naive (garble) model** is the context-free (order 1) model over the same units,
  fitted only on pairs that are not of Arabic origin: no ع ح ء ض ظ ذ ث ص ق in the Arabic,
  and neither romanizer nor gazetteer rows. It stands for the Arabic someone writes by
  sounding out a Latin spelling letter by letter without knowing where the name comes
  from: without context it cannot know that "aa" in *Asaad* is ع, and fitted on Western
  names it writes "h" as ه and short vowels long (Bashar → باشار, Hamdan → هامدان). Why
  this and not a rule table: its rates are fitted, it shares the correct model's units,
  and ``garble_llr`` then compares two probabilities of the same kind. The held-out
  numbers (mtaudit/names/data/README.md) show the division of labour: ``score`` alone
  barely separates a held-out Arabic name from its garble (the correct model has also
  seen many Western renderings), ``garble_llr`` does (AUC ≈ 0.95 on Arabic-origin names).

Scores. ``score(e, a)`` is log P(a | e) = log Σ_seg P(e, a, seg) − log P(e): the joint
probability is summed over the segmentations of the pair (the best 8 histories kept per
lattice cell) and P(e) = Σ_a P(e, a) by a forward pass over Latin positions over the
likeliest units of each chunk (8 histories per position); n-best log-probabilities use
the same P(e). Both sums are pruned approximations, made the same way for both models, so
``garble_llr = naive_score − score`` compares like with like. Letters no unit covers cost
a fixed escape penalty, so every score is finite. Multi-word names are scored word by
word (spaces kept; different word counts are scored as one word); the article (al-, el-,
ad-, ash- …, or "Al" as a word) becomes ال attached to the next word; an Arabic article
the English lacks (Assad → الاسد) or an English article the Arabic lacks costs a fixed
log-penalty (``ARTICLE_ADDED`` / ``ARTICLE_DROPPED``). Scores are cached per word.

All Arabic inputs and outputs are folded (mtaudit.text.normalize.fold). The model file
(``data/transliteration.npz``: a JSON header and numpy arrays, read without numpy by
mtaudit.knowledge.npz in a few tens of milliseconds) records the training data hash, the split rule and the held-out numbers;
``signature`` is the model id plus that hash.

The three searches (``decode``, ``marginal``, the pair lattice of ``joint``) run compiled
when the C extension is built (mtaudit.names.jointdecode: the same results, float for
float); the Python code here is the reference and the fallback.
"""

from __future__ import annotations

import json
import math
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the arrays are numpy's when built, array.array when loaded
    import numpy as np

from ..text.normalize import fold

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "transliteration.npz"

MAX_LATIN = 3  # letters in a unit's Latin chunk
MAX_ARABIC = 2  # letters in a unit's Arabic chunk
ESCAPE = -12.0  # log-cost of a letter no unit explains (either side)
ARTICLE = "ال"
ARTICLE_ADDED = math.log(0.15)  # Assad → الاسد: the Arabic writes an article the English omits
ARTICLE_DROPPED = math.log(0.2)  # al-Sharaa → شرع
# Article spellings of Arabic names in Latin script: "al-"/"el-" also as a separate word,
# the assimilated ones (ash-Shaibani, ad-Dawla) only hyphenated.
_ARTICLES_WORD = frozenset({"al", "el"})
_ARTICLES_HYPHEN = frozenset({"al", "el", "ad", "ash", "as", "at", "az", "ar", "an", "adh", "ath", "ud", "ut"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʿ": "'", "ʾ": "'", "´": "'", "ʼ": "'"})
_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe", "þ": "th", "ð": "d"})
BEAM_SCORE = 8
BEAM_DECODE = 24
BEAM_MARGINAL = 8
DECODE_UNITS = 10  # Arabic chunks tried per Latin chunk and history when decoding
DECODE_POOL = 30  # ... chosen among this many, the likeliest by unigram


def unit_key(latin: str, i: int, k: int) -> str:
    """The Latin side of a unit covering latin[i:i+k], marked ^ at the start of the word and
    $ at its end: where a letter stands changes how it is written (an initial vowel is
    always ا, a final "e" is often silent), and the context-free naive model sees nothing else."""
    return ("^" if i == 0 else "") + latin[i : i + k] + ("$" if i + k == len(latin) else "")


def latin_letters(word: str) -> str:
    """A Latin word as the models see it: lower case, no diacritics (ğ → g, ı → i), only
    a–z and the apostrophe (which often stands for ع or ء)."""
    w = word.lower().translate(_QUOTES).translate(_SPECIAL)
    w = unicodedata.normalize("NFKD", w)
    return "".join(c for c in w if "a" <= c <= "z" or c == "'").strip("'") or ""


def latin_words(english: str) -> list[tuple[bool, str]]:
    """(has article, stem) for each word of an English name: "Ahmed al-Sharaa" →
    [(False, "ahmed"), (True, "sharaa")]."""
    out: list[tuple[bool, str]] = []
    pending = False
    for chunk in english.translate(_QUOTES).split():
        parts = [p for p in chunk.split("-")]
        for k, part in enumerate(parts):
            low = latin_letters(part)
            if not low:
                continue
            hyphenated = k < len(parts) - 1
            is_article = (hyphenated and low in _ARTICLES_HYPHEN) or (
                not hyphenated and low in _ARTICLES_WORD and k == len(parts) - 1
            )
            if is_article and not pending:
                pending = True
                continue
            out.append((pending, low))
            pending = False
    if pending:  # a lone "Al": keep it as a word
        out.append((False, "al"))
    return out


_second = itemgetter(1)  # a state's log-probability in (state, log P) items


@lru_cache(maxsize=100_000)
def _name_words(english: str) -> tuple[tuple[bool, str], ...]:
    """:func:`latin_words`, remembered: the checks score many spans against the same name."""
    return tuple(latin_words(english))


def _logaddexp(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    if b == -math.inf:
        return a
    return a + math.log1p(math.exp(b - a))


class JointNgram:
    """An n-gram over joint units with interpolated probabilities stored in backoff form."""

    def __init__(self, units: list[tuple[str, str]], order: int, arrays: dict[str, np.ndarray], floor: float):
        self.units = units
        self.order = order
        # Stored arrays: context keys (ctx_key), each context's slice of unit ids and log P
        # (offsets, ids, lps) and its log backoff weight (bows); a context is turned into a
        # dict on first use so that loading stays well under a second.
        self.arrays = arrays
        self.offsets = arrays["offsets"]
        self.ctx_index = _KeyIndex(arrays["ctx_key"])
        self.tables: dict[tuple, tuple[dict, float] | None] = {}
        self.floor = floor
        self._lp: dict[tuple, float] = {}
        self.start = (0,) * (order - 1)
        self.by_pair: dict[tuple[str, str], int] = {}
        self._by_key: dict[str, dict[str, int]] = {}  # by_pair as Latin chunk → {Arabic chunk: unit}
        by_latin: dict[str, list[int]] = {}
        for i, (lat, ar) in enumerate(units):
            if i < 2:
                continue
            by_latin.setdefault(lat, []).append(i)
            self.by_pair[(lat, ar)] = i
            self._by_key.setdefault(lat, {})[ar] = i
        self.by_latin = by_latin
        # Decoding considers, per Latin chunk, the DECODE_POOL units likeliest out of context.
        self.pool = {k: sorted(ids, key=lambda u: -self.logprob((), u))[:DECODE_POOL] for k, ids in by_latin.items()}
        self._rows: dict[tuple, list] = {}
        self._short_rows: dict[tuple, list] = {}  # rows of histories that are no context (see _row)

    def logprob(self, hist: tuple, u: int) -> float:
        key = (hist, u)
        v = self._lp.get(key)
        if v is not None:
            return v
        total = 0.0
        for k in range(len(hist), -1, -1):
            ctx = hist[len(hist) - k :] if k else ()
            entry = self.tables.get(ctx, False)
            if entry is False:
                entry = self.tables[ctx] = self._context(ctx)
            if entry is None:
                continue
            probs, bow = entry
            p = probs.get(u)
            if p is not None:
                v = total + p
                break
            total += bow
        else:
            v = total + self.floor
        self._lp[key] = v
        return v

    def logprobs(self, hist: tuple, ids) -> list[float]:
        """[logprob(hist, u) for u in ids], walking the backoff chain once for all of them."""
        chain = []
        for k in range(len(hist), -1, -1):
            ctx = hist[len(hist) - k :] if k else ()
            entry = self.tables.get(ctx, False)
            if entry is False:
                entry = self.tables[ctx] = self._context(ctx)
            if entry is not None:
                chain.append(entry)
        if len(chain) == 3:  # the usual case, unrolled: the same sums in the same order
            (p3, b3), (p2, b2), (p1, b1) = chain
            g3, g2, g1 = p3.get, p2.get, p1.get
            t3 = 0.0 + b3
            t2 = t3 + b2
            t1 = t2 + b1
            floor = self.floor
            out = []
            append = out.append
            for u in ids:
                p = g3(u)
                if p is not None:
                    append(0.0 + p)
                    continue
                p = g2(u)
                if p is not None:
                    append(t3 + p)
                    continue
                p = g1(u)
                append(t2 + p if p is not None else t1 + floor)
            return out
        out = []
        for u in ids:
            total = 0.0
            for probs, bow in chain:
                p = probs.get(u)
                if p is not None:
                    total += p
                    break
                total += bow
            else:
                total += self.floor
            out.append(total)
        return out

    def _context(self, ctx: tuple) -> tuple[dict, float] | None:
        c = self.ctx_index.get(context_key(ctx, len(self.units)))
        if c is None:
            return None
        a, b = int(self.offsets[c]), int(self.offsets[c + 1])
        ids = self.arrays["ids"][a:b].tolist()
        lps = self.arrays["lps"][a:b].tolist()
        return dict(zip(ids, lps)), float(self.arrays["bows"][c])

    def _next(self, hist: tuple, u: int) -> tuple:
        return (hist + (u,))[1:] if self.order > 1 else ()

    def _row(self, hist: tuple, key: str) -> list:
        """The likeliest units of Latin chunk ``key`` after ``hist``: [(log P, Arabic, next
        history)] best first (the DECODE_UNITS first); cached, as decoding asks for the same
        (history, chunk) again and again.

        Most histories (about six in ten that decoding meets) are no context of the n-gram:
        their probabilities back off to the shorter history alone, and so do their next
        histories, so such a row is the same for every oldest unit and is computed once per
        (shorter history, chunk)."""
        row = self._rows.get((hist, key))
        if row is None:
            if self.order > 1 and self._entry(hist) is None:
                short = (hist[1:], key)
                row = self._short_rows.get(short)
                if row is None:
                    row = self._short_rows[short] = self._compute_row(hist, key)
            else:
                row = self._compute_row(hist, key)
            self._rows[(hist, key)] = row
        return row

    def _entry(self, ctx: tuple) -> tuple[dict, float] | None:
        entry = self.tables.get(ctx, False)
        if entry is False:
            entry = self.tables[ctx] = self._context(ctx)
        return entry

    def _compute_row(self, hist: tuple, key: str) -> list:
        ids = self.pool.get(key, ())
        lps = self.logprobs(hist, ids)
        # best first; equal log-probabilities keep the pool's order (a stable sort), and
        # only the DECODE_UNITS kept become (log P, Arabic, next history) triples
        best = sorted(range(len(ids)), key=lps.__getitem__, reverse=True)[:DECODE_UNITS]
        units = self.units
        if self.order > 1:
            tail = hist[1:]
            return [(lps[i], units[ids[i]][1], tail + (ids[i],)) for i in best]
        return [(lps[i], units[ids[i]][1], ()) for i in best]

    # -- the three searches: compiled when mtaudit.names.jointdecode can (the same results),
    # else the Python code below, which is the reference ---------------------------------
    def _compiled(self):
        search = self.__dict__.get("_search", False)
        if search is False:
            from .jointdecode import compiled_search

            search = self._search = compiled_search(self)
        return search

    def __getstate__(self) -> dict:
        # the compiled searches are made again after loading (JointNgrams are pickled in
        # the compiled cache)
        state = dict(self.__dict__)
        state.pop("_search", None)
        return state

    def decode(self, latin: str, beam: int = BEAM_DECODE) -> list[tuple[float, str]]:
        search = self._compiled()
        return self.decode_python(latin, beam) if search is None else search.decode(latin, beam)

    def marginal(self, latin: str, beam: int = BEAM_MARGINAL) -> float:
        search = self._compiled()
        return self.marginal_python(latin, beam) if search is None else search.marginal(latin, beam)

    def _joint(self, latin: str, arabic: str, beam: int, escapes: bool) -> float:
        search = self._compiled()
        return self._joint_python(latin, arabic, beam, escapes) if search is None else search.joint(latin, arabic, beam, escapes)

    def decode_python(self, latin: str, beam: int = BEAM_DECODE) -> list[tuple[float, str]]:
        """Finished hypotheses (log P(e, a) summed over segmentations in the beam, a), best
        first; a position expands the DECODE_UNITS likeliest units of each chunk.

        The hot loop of the name checks on new English names: attribute look-ups are
        hoisted and :func:`_logaddexp` is written out in place (the same operations in the
        same order, so the same floats)."""
        n = len(latin)
        states: list[dict[tuple, float]] = [dict() for _ in range(n + 1)]
        states[0][(self.start, "")] = 0.0
        by_latin, rows, row_of = self.by_latin, self._rows, self._row
        log1p, exp, neg_inf = math.log1p, math.exp, -math.inf
        for i in range(n):
            cur = states[i]
            if not cur:
                continue
            if len(cur) > beam:
                cur = dict(sorted(cur.items(), key=_second, reverse=True)[:beam])
            expanded = False
            for k in range(1, MAX_LATIN + 1):
                if i + k > n:
                    break
                key = unit_key(latin, i, k)
                if key not in by_latin:
                    continue
                expanded = True
                nxt = states[i + k]
                setdefault = nxt.setdefault
                for (hist, ar), lp in cur.items():
                    row = rows.get((hist, key))
                    if row is None:
                        row = row_of(hist, key)
                    for ulp, uar, nh in row:
                        sk = (nh, ar + uar)
                        v = lp + ulp
                        # one look-up for a new state (most are): the stored value is then v itself
                        old = setdefault(sk, v)
                        if old is not v:
                            if old < v:
                                nxt[sk] = v if old == neg_inf else v + log1p(exp(old - v))
                            else:
                                nxt[sk] = old if v == neg_inf else old + log1p(exp(v - old))
            if not expanded:  # a letter no unit covers: skip it at a cost
                nxt = states[i + 1]
                for sk, lp in cur.items():
                    v = lp + ESCAPE
                    old = nxt.get(sk)
                    nxt[sk] = v if old is None else _logaddexp(old, v)
        finished: dict[str, float] = {}
        for (hist, ar), lp in states[n].items():
            v = lp + self.logprob(hist, 1)
            old = finished.get(ar)
            finished[ar] = v if old is None else _logaddexp(old, v)
        return sorted(zip(finished.values(), finished.keys()), reverse=True)

    def marginal_python(self, latin: str, beam: int = BEAM_MARGINAL) -> float:
        """log P(e) = log Σ over Arabic outputs and segmentations, by a forward pass over
        (Latin position, history) that keeps the ``beam`` best histories per position and
        the DECODE_UNITS likeliest units of each chunk after each history."""
        n = len(latin)
        states: list[dict[tuple, float]] = [dict() for _ in range(n + 1)]
        states[0][self.start] = 0.0
        by_latin, rows, row_of = self.by_latin, self._rows, self._row
        log1p, exp, neg_inf = math.log1p, math.exp, -math.inf
        for i in range(n):
            cur = states[i]
            if not cur:
                continue
            if len(cur) > beam:
                cur = dict(sorted(cur.items(), key=_second, reverse=True)[:beam])
            expanded = False
            for k in range(1, MAX_LATIN + 1):
                if i + k > n:
                    break
                key = unit_key(latin, i, k)
                if key not in by_latin:
                    continue
                expanded = True
                nxt = states[i + k]
                setdefault = nxt.setdefault
                for hist, lp in cur.items():
                    row = rows.get((hist, key))
                    if row is None:
                        row = row_of(hist, key)
                    for ulp, _, nh in row:
                        v = lp + ulp
                        old = setdefault(nh, v)
                        if old is not v:
                            if old < v:
                                nxt[nh] = v if old == neg_inf else v + log1p(exp(old - v))
                            else:
                                nxt[nh] = old if v == neg_inf else old + log1p(exp(v - old))
            if not expanded:
                nxt = states[i + 1]
                for sk, lp in cur.items():
                    v = lp + ESCAPE
                    old = nxt.get(sk)
                    nxt[sk] = v if old is None else _logaddexp(old, v)
        total = -math.inf
        for hist, lp in states[n].items():
            total = _logaddexp(total, lp + self.logprob(hist, 1))
        return total

    def joint(self, latin: str, arabic: str, beam: int = BEAM_SCORE) -> float:
        """log Σ_seg P(e, a, seg) over a lattice of (Latin position, Arabic position, history);
        when no segmentation into known units exists, again with escapes (a letter of either
        side unexplained at a fixed cost)."""
        v = self._joint(latin, arabic, beam, False)
        return v if v > -math.inf else self._joint(latin, arabic, beam, True)

    def _joint_python(self, latin: str, arabic: str, beam: int, escapes: bool) -> float:
        n, m = len(latin), len(arabic)
        cells: list[list[dict[tuple, float]]] = [[dict() for _ in range(m + 1)] for _ in range(n + 1)]
        cells[0][0][self.start] = 0.0
        by_key, logprob, cache = self._by_key, self.logprob, self._lp
        log1p, exp, neg_inf = math.log1p, math.exp, -math.inf
        # the Arabic chunks that start at each position, and per Latin position the units of
        # each Latin chunk there: the same (k, l) order as a look-up of every pair
        chunks = [[(l, arabic[j : j + l]) for l in range(0, min(MAX_ARABIC, m - j) + 1)] for j in range(m + 1)]
        no_units: dict[str, int] = {}
        for i in range(n + 1):
            keys = [(k, by_key.get(unit_key(latin, i, k), no_units)) for k in range(1, MAX_LATIN + 1) if i + k <= n]
            for j in range(m + 1):
                cur = cells[i][j]
                if not cur:
                    continue
                if len(cur) > beam:
                    cur = dict(sorted(cur.items(), key=_second, reverse=True)[:beam])
                    cells[i][j] = cur
                for k, units_of in keys:
                    for l, chunk in chunks[j]:
                        u = units_of.get(chunk)
                        if u is None:
                            continue
                        nxt = cells[i + k][j + l]
                        for hist, lp in cur.items():
                            ulp = cache.get((hist, u))
                            if ulp is None:
                                ulp = logprob(hist, u)
                            nh = (hist + (u,))[1:]
                            v = lp + ulp
                            old = nxt.get(nh)
                            if old is None:
                                nxt[nh] = v
                            elif old < v:  # _logaddexp(old, v), written out as in decode
                                nxt[nh] = v if old == neg_inf else v + log1p(exp(old - v))
                            else:
                                nxt[nh] = old if v == neg_inf else old + log1p(exp(v - old))
                if not escapes:
                    continue
                for di, dj in ((1, 0), (0, 1)):
                    if i + di <= n and j + dj <= m:
                        nxt = cells[i + di][j + dj]
                        for hist, lp in cur.items():
                            v = lp + ESCAPE
                            old = nxt.get(hist)
                            nxt[hist] = v if old is None else _logaddexp(old, v)
        total = -math.inf
        for hist, lp in cells[n][m].items():
            total = _logaddexp(total, lp + self.logprob(hist, 1))
        return total

    @classmethod
    def from_arrays(cls, units: list[tuple[str, str]], data: dict, prefix: str) -> "JointNgram":
        arrays = {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}
        return cls(units, int(arrays["order"]), arrays, float(arrays["floor"]))


class _KeyIndex:
    """key → its position in the context keys: bisection when they are sorted (as the
    training script writes them), which loads at once where a dict of 82k keys takes
    tens of milliseconds to unpickle; a dict otherwise."""

    def __init__(self, keys) -> None:
        self.keys = keys
        self.by_key = None if all(a < b for a, b in zip(keys, keys[1:])) else dict(zip(keys.tolist(), range(len(keys))))

    def get(self, key: int) -> int | None:
        if self.by_key is not None:
            return self.by_key.get(key)
        i = bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else None


def context_key(ctx: tuple, n_units: int) -> int:
    """One integer per context of any length (digits id + 1 in base n_units + 1)."""
    key = 0
    for x in ctx:
        key = key * (n_units + 1) + x + 1
    return key


class TransliterationModel:
    """log P(Arabic | English) for names, n-best renderings, and the English-mediated garble model."""

    def __init__(self, main: JointNgram, naive: JointNgram, meta: dict):
        self.main = main
        self.naive_model = naive
        self.meta = meta
        self.signature = f"{meta.get('model_id', 'translit')}+data:{meta.get('data_sha256', '?')[:12]}"
        self._word_score = lru_cache(maxsize=100_000)(self._word_score_uncached)
        self._marginal = lru_cache(maxsize=50_000)(self._marginal_uncached)
        self._word_nbest = lru_cache(maxsize=50_000)(self._word_nbest_uncached)

    @classmethod
    def load(cls, path: Path | None = None) -> "TransliterationModel":
        # The two n-grams, built from the file's arrays, are kept in the compiled cache
        # (keyed by the file's bytes and this module's source): unpickled in milliseconds,
        # where reading the .npz and building the context index take tens. The file is read
        # without numpy (mtaudit.knowledge.npz: importing numpy cost more than the arrays).
        import hashlib

        from ..knowledge.compiled import compiled

        path = Path(path) if path is not None else DEFAULT_PATH
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        main, naive, meta = compiled("transliteration-model", lambda: cls._build(path), extra=(digest,),
                                     modules=(__name__, "mtaudit.knowledge.npz", "mtaudit.text.normalize"))
        return cls(main, naive, meta)

    @staticmethod
    def _build(path: Path) -> tuple[JointNgram, JointNgram, dict]:
        from ..knowledge.npz import read_npz

        data = read_npz(path)
        header = json.loads(str(data["header"]))
        units = [tuple(u) for u in header["units"]]
        return JointNgram.from_arrays(units, data, "main_"), JointNgram.from_arrays(units, data, "naive_"), header["meta"]

    # -- one word ---------------------------------------------------------------------
    def _model(self, naive: bool) -> JointNgram:
        return self.naive_model if naive else self.main

    def _marginal_uncached(self, latin: str, naive: bool) -> float:
        return self._model(naive).marginal(latin)

    def _word_nbest_uncached(self, latin: str, naive: bool) -> tuple[tuple[str, float], ...]:
        model = self._model(naive)
        search = model._compiled()
        if search is not None:  # the same list, normalised in C (about 250 hypotheses a word)
            return search.nbest(latin, BEAM_DECODE, self._marginal(latin, naive))
        hyps = model.decode(latin)
        z = self._marginal(latin, naive)
        return tuple((ar, lp - z) for lp, ar in hyps)

    def _stem_score(self, latin: str, arabic: str, naive: bool) -> float:
        if not latin:
            return 0.0 if not arabic else ESCAPE * len(arabic)
        joint = self._model(naive).joint(latin, arabic)
        # Not capped at 0: both sums are pruned, and capping would tie the candidates of
        # one name that the ratio still ranks.
        return joint - self._marginal(latin, naive)

    def _word_score_uncached(self, article: bool, latin: str, arabic: str, naive: bool) -> float:
        has_article = arabic.startswith(ARTICLE) and len(arabic) > 3
        if article:
            if has_article:
                return self._stem_score(latin, arabic[2:], naive)
            return self._stem_score(latin, arabic, naive) + ARTICLE_DROPPED
        best = self._stem_score(latin, arabic, naive)
        if has_article:
            best = max(best, self._stem_score(latin, arabic[2:], naive) + ARTICLE_ADDED)
        return best

    # -- names ------------------------------------------------------------------------
    def _score(self, english: str, arabic: str, naive: bool) -> float:
        ews = _name_words(english)
        aws = fold(arabic).split()
        if not ews:
            return ESCAPE * max(1, len("".join(aws)))
        if len(ews) != len(aws):
            # Different word counts (عبد الله / Abdullah): score the names as one word each.
            return self._word_score(ews[0][0], "".join(s for _, s in ews), "".join(aws), naive)
        return sum(self._word_score(art, lat, ar, naive) for (art, lat), ar in zip(ews, aws))

    def score(self, english: str, arabic: str) -> float:
        """log P(arabic | english) under the correct-rendering model (folded Arabic)."""
        return self._score(english, arabic, False)

    def naive_score(self, english: str, arabic: str) -> float:
        """log P_naive(arabic | english): the Arabic of a Latin spelling sounded out letter by letter."""
        return self._score(english, arabic, True)

    def garble_llr(self, english: str, arabic: str) -> float:
        """naive_score − score: above 0, ``arabic`` looks more like a garble than a correct rendering."""
        return self.naive_score(english, arabic) - self.score(english, arabic)

    def _nbest(self, english: str, n: int, naive: bool) -> list[tuple[str, float]]:
        ews = _name_words(english)
        if not ews:
            return []
        beams: list[tuple[str, float]] = [("", 0.0)]
        for art, lat in ews:
            word = [(ARTICLE + ar if art else ar, lp) for ar, lp in self._word_nbest(lat, naive)[: max(n, 1)]]
            if not word:
                word = [(ARTICLE if art else "", ESCAPE * len(lat))]
            beams = sorted(
                (((p + " " + w) if p else w, lp + wl) for p, lp in beams for w, wl in word),
                key=lambda x: -x[1],
            )[: max(n, 1)]
        return beams[:n]

    def nbest(self, english: str, n: int = 5) -> list[tuple[str, float]]:
        """The n most likely correct renderings: (folded Arabic, log P), best first."""
        return self._nbest(english, n, False)

    def naive(self, english: str, n: int = 1) -> list[tuple[str, float]]:
        """The n most likely English-mediated readings: (folded Arabic, log P_naive), best first."""
        return self._nbest(english, n, True)


@lru_cache(maxsize=1)
def default_model() -> TransliterationModel:
    """The model shipped in the package, loaded once."""
    return TransliterationModel.load()
