"""A learned English → Arabic name transliteration model, and its English-mediated twin.

Two joint-sequence ("graphone") models over the same inventory of units, each unit a
Latin letter chunk (1–3 letters) paired with an Arabic letter chunk (0–2 folded letters),
learnt by EM many-to-many alignment of name pairs (scripts/train_transliteration.py):

- the **correct-rendering model** is an n-gram (order 3, interpolated Witten-Bell) over
  units: it sees the neighbouring units, so it can learn that "aa" after "as" in *Asaad*
  is عا / ع, that "h" between vowels in an Arabic name is ح, and that "-ine" in French
  names is ين. Trained on all training pairs (Wikidata person-name tokens, Google's
  Wikipedia transliteration pairs, the Wikidata names of arabic-name-romanizer from Arab
  countries, the gazetteer's own names).
- the **naive (garble) model** is the context-free (order 1) model over the same units,
  fitted only on pairs of names that are not of Arabic origin (no ع ح ء ض ظ ذ ث in the
  Arabic, and no romanizer rows, which all come from Arab countries). It stands for the
  Arabic that someone writes by sounding out a Latin spelling letter by letter without
  knowing where the name comes from: with no context it cannot know that "aa" in *Asaad*
  is ع, and fitted on Western names it reads "h" as ه, "a" as ا and "g" the way Western
  names are written. Why this and not a rule table: its rates are measured, it shares the
  correct model's units, and `garble_llr` compares two probabilities of the same kind.

Scores. ``score(e, a)`` is log P(a | e) = log Σ_seg P(e, a, seg) − log P(e): the joint
probability is summed over the segmentations of the pair (a beam of the best 12 histories
per lattice cell), and P(e) is approximated by the sum over the finished hypotheses of a
beam search over Arabic outputs (beam 48), a lower bound of the true marginal; the same
procedure is used for both models, so ``garble_llr = naive_score − score`` compares like
with like. Letters no unit covers cost a fixed escape penalty, so every score is finite.
Multi-word names are scored word by word (spaces kept); the article (al-, el-, ad-, ash-
…, or "Al" as a word) becomes ال attached to the next word; an Arabic article without one
in the English (Assad → الاسد) or an English article the Arabic omits costs a fitted-free
fixed log-penalty (``ARTICLE_ADDED`` / ``ARTICLE_DROPPED``).

All Arabic inputs and outputs are folded (mtaudit.normalize.fold). The model file
(``data/transliteration.json.gz``) records the training data hash, the split rule and the
held-out numbers; ``signature`` is the model id plus that hash. See
``mtaudit/names/data/README.md`` for the numbers.
"""

from __future__ import annotations

import gzip
import json
import math
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..normalize import fold

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "transliteration.json.gz"

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
DECODE_UNITS = 10  # Arabic chunks tried per Latin chunk when decoding


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


def _logaddexp(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    if b == -math.inf:
        return a
    return a + math.log1p(math.exp(b - a))


class JointNgram:
    """An n-gram over joint units with interpolated probabilities stored in backoff form."""

    def __init__(self, units: list[tuple[str, str]], order: int, raw_tables: dict[str, list], floor: float):
        self.units = units
        self.order = order
        # Context "id id" → [unit ids, log P, log backoff weight], as stored; turned into
        # dicts on first use so that loading stays well under a second.
        self.raw_tables = raw_tables
        self.tables: dict[tuple, tuple[dict, float] | None] = {}
        self.floor = floor
        self._lp: dict[tuple, float] = {}
        self.start = (0,) * (order - 1)
        self.by_pair: dict[tuple[str, str], int] = {}
        by_latin: dict[str, list[int]] = {}
        for i, (lat, ar) in enumerate(units):
            if i < 2:
                continue
            by_latin.setdefault(lat, []).append(i)
            self.by_pair[(lat, ar)] = i
        # Decoding expands only the likeliest units of each Latin chunk (by unigram).
        self.by_latin = {
            lat: sorted(ids, key=lambda u: -self.logprob((), u))[:DECODE_UNITS] for lat, ids in by_latin.items()
        }

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
                raw = self.raw_tables.get(" ".join(map(str, ctx)))
                entry = self.tables[ctx] = None if raw is None else (dict(zip(raw[0], raw[1])), raw[2])
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

    def _next(self, hist: tuple, u: int) -> tuple:
        return (hist + (u,))[1:] if self.order > 1 else ()

    def decode(self, latin: str, beam: int = BEAM_DECODE) -> list[tuple[float, str]]:
        """Finished hypotheses (log P(e, a) summed over segmentations in the beam, a)."""
        n = len(latin)
        states: list[dict[tuple, float]] = [dict() for _ in range(n + 1)]
        states[0][(self.start, "")] = 0.0
        for i in range(n):
            cur = states[i]
            if not cur:
                continue
            if len(cur) > beam:
                cur = dict(sorted(cur.items(), key=lambda kv: -kv[1])[:beam])
            expanded = False
            for k in range(1, MAX_LATIN + 1):
                if i + k > n:
                    break
                ids = self.by_latin.get(unit_key(latin, i, k))
                if not ids:
                    continue
                nxt = states[i + k]
                for (hist, ar), lp in cur.items():
                    for u in ids:
                        key = (self._next(hist, u), ar + self.units[u][1])
                        v = lp + self.logprob(hist, u)
                        old = nxt.get(key)
                        nxt[key] = v if old is None else _logaddexp(old, v)
                        expanded = True
            if not expanded:  # a letter no unit covers: skip it at a cost
                nxt = states[i + 1]
                for key, lp in cur.items():
                    v = lp + ESCAPE
                    old = nxt.get(key)
                    nxt[key] = v if old is None else _logaddexp(old, v)
        finished: dict[str, float] = {}
        for (hist, ar), lp in states[n].items():
            v = lp + self.logprob(hist, 1)
            old = finished.get(ar)
            finished[ar] = v if old is None else _logaddexp(old, v)
        return sorted(((v, ar) for ar, v in finished.items()), reverse=True)

    def joint(self, latin: str, arabic: str, beam: int = BEAM_SCORE) -> float:
        """log Σ_seg P(e, a, seg) over a lattice of (Latin position, Arabic position, history)."""
        n, m = len(latin), len(arabic)
        cells: list[list[dict[tuple, float]]] = [[dict() for _ in range(m + 1)] for _ in range(n + 1)]
        cells[0][0][self.start] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                cur = cells[i][j]
                if not cur:
                    continue
                if len(cur) > beam:
                    cur = dict(sorted(cur.items(), key=lambda kv: -kv[1])[:beam])
                    cells[i][j] = cur
                for k in range(1, MAX_LATIN + 1):
                    if i + k > n:
                        break
                    lat = unit_key(latin, i, k)
                    for l in range(0, MAX_ARABIC + 1):
                        if j + l > m:
                            break
                        u = self.by_pair.get((lat, arabic[j : j + l]))
                        if u is None:
                            continue
                        nxt = cells[i + k][j + l]
                        for hist, lp in cur.items():
                            key = self._next(hist, u)
                            v = lp + self.logprob(hist, u)
                            old = nxt.get(key)
                            nxt[key] = v if old is None else _logaddexp(old, v)
                # Escapes keep every pair scorable: a Latin letter or an Arabic letter unexplained.
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
    def from_json(cls, units: list[tuple[str, str]], data: dict) -> "JointNgram":
        return cls(units, data["order"], data["tables"], data["floor"])


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
        path = Path(path) if path is not None else DEFAULT_PATH
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        units = [tuple(u) for u in data["units"]]
        return cls(JointNgram.from_json(units, data["main"]), JointNgram.from_json(units, data["naive"]), data["meta"])

    # -- one word ---------------------------------------------------------------------
    def _model(self, naive: bool) -> JointNgram:
        return self.naive_model if naive else self.main

    def _marginal_uncached(self, latin: str, naive: bool) -> float:
        total = -math.inf
        for lp, _ in self._model(naive).decode(latin):
            total = _logaddexp(total, lp)
        return total

    def _word_nbest_uncached(self, latin: str, naive: bool) -> tuple[tuple[str, float], ...]:
        hyps = self._model(naive).decode(latin)
        z = self._marginal(latin, naive)
        return tuple((ar, lp - z) for lp, ar in hyps)

    def _stem_score(self, latin: str, arabic: str, naive: bool) -> float:
        if not latin:
            return 0.0 if not arabic else ESCAPE * len(arabic)
        joint = self._model(naive).joint(latin, arabic)
        # The beam marginal is a lower bound; a pair outside the beam can exceed it.
        return min(0.0, joint - self._marginal(latin, naive))

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
        ews = latin_words(english)
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
        ews = latin_words(english)
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
