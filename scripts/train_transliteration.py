#!/usr/bin/env python3
"""Train mtaudit's English → Arabic name transliteration model (mtaudit/names/transliteration.py).

Sources (all offline, read in place, never copied into the project):
- ../shared/data/wikidata_person_names/wd_arabic.normalized.aligned.tokens (CC0):
  English token TAB spaced Arabic letters TAB count;
- ../shared/data/google_transliteration/ar2en-{train,eval,test}.txt (Apache-2.0): Arabic TAB
  English, with Google's own split: train is trained on, eval and test are held out;
- the Wikidata (CC0) name words of the arabic-name-romanizer package (its SQLite ``units``
  table, rows of source 'wikidata' from Arab countries; Persian-script IR/PK/AF rows and
  the Algerian civil-registry rows are left out), when the package is installed;
- the gazetteer's own pairs (Resources().gazetteer: English forms × Arabic forms, word by
  word where the word counts agree).

Split (fixed): a pair is held out when the SHA-1 of its normalised Latin word, read as a
hexadecimal number, is 0 mod 10, or when its Latin word occurs in Google's eval or test
files; everything else trains. Held-out words are never trained on, from any source.

Steps: EM many-to-many alignment (Latin chunks of 1–3 letters, Arabic chunks of 0–2
letters, a context-free joint model, forward–backward on a sample), Viterbi alignment of
every training pair, then two joint n-grams over the units: order 3 (interpolated
Kneser-Ney; on 300 held-out words order 2 and Witten-Bell are within 2 points of top-1,
but order 2 garbles common long names: Abdullah → عبدولله) on everything, order 1 on the non-Arabic-origin subset (the naive model).
Prints top-1/top-5 accuracy, AUCs and timings on the held-out split and on a sample of the
training split, and writes the model (an .npz: JSON header + arrays) with the data hash, split rule and
numbers. Usage:

    python scripts/train_transliteration.py                     # all sources → package model
    python scripts/train_transliteration.py --pairs FILE --out M.npz   # a TSV of english TAB arabic
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from mtaudit.names.channel import latin_to_arabic  # noqa: E402
from mtaudit.names.transliteration import (  # noqa: E402
    ARTICLE,
    DEFAULT_PATH,
    MAX_ARABIC,
    MAX_LATIN,
    TransliterationModel,
    context_key,
    latin_words,
)
from mtaudit.text.normalize import fold  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
MODEL_ID = "translit-graphone-v3"
SPLIT_RULE = (
    "held out: int(sha1(latin word).hexdigest(), 16) % 10 == 0, or the latin word is in "
    "google_transliteration ar2en-eval/ar2en-test; never trained on"
)
ARABIC_LETTERS = set("ءابتثجحخدذرزسشصضطظعغفقكلمنهوي")
# Letters that a Latin spelling sounded out never produces: pairs with one of them are
# Arabic-origin renderings and stay out of the naive model's data.
ARABIC_ORIGIN_LETTERS = set("عحءضظذثصق")
ARAB_COUNTRIES = {
    "EG", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "IQ", "JO", "PS", "SY", "LB", "SD", "LY", "SO", "DJ", "KM",
    "DZ", "MA", "TN", "MR",
}


# -- data ------------------------------------------------------------------------------
def clean_pair(english: str, arabic: str) -> tuple[str, str] | None:
    """(latin stem, folded arabic stem) of one name word, the article taken off both."""
    ws = latin_words(english)
    if len(ws) != 1:
        return None
    article, lat = ws[0]
    ar = fold(arabic).replace(" ", "")
    if not lat or not ar or any(c not in ARABIC_LETTERS for c in ar):
        return None
    if ar.startswith(ARTICLE) and len(ar) > 3 and (article or lat[:2] not in ("al", "el")):
        ar = ar[2:]  # al-Assad / الاسد, and Assad / الاسد where the English drops it
    if len(ar) > MAX_ARABIC * len(lat) or len(lat) > MAX_LATIN * len(ar) + 3:
        return None
    return lat, ar


def google_pairs(data: Path, split: str):
    """Cleaned (Latin, Arabic) pairs of one split of Google's ar2en files (Arabic TAB Latin)."""
    for line in (data / "google_transliteration" / f"ar2en-{split}.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        p = clean_pair(cells[1], cells[0]) if len(cells) >= 2 else None
        if p:
            yield p


def wikidata_pairs(data: Path):
    """Cleaned (Latin, Arabic, count) pairs of Wikidata's aligned name tokens (Latin TAB
    Arabic TAB count; a missing count is 1)."""
    for line in (data / "wikidata_person_names" / "wd_arabic.normalized.aligned.tokens").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        p = clean_pair(cells[0], cells[1]) if len(cells) >= 2 else None
        if p:
            yield (*p, int(cells[2]) if len(cells) > 2 and cells[2].isdigit() else 1)


def load_sources(shared: Path) -> tuple[list[tuple[str, str, str, int]], set[str]]:
    """[(latin, arabic, source, count)] from every source present, and the Latin words of
    Google's eval + test files (held out)."""
    rows: list[tuple[str, str, str, int]] = []
    forced_test: set[str] = set()
    if (shared / "wikidata_person_names" / "wd_arabic.normalized.aligned.tokens").exists():
        for lat, ar, n in wikidata_pairs(shared):
            rows.append((lat, ar, "wikidata_tokens", n))
    for split in ("train", "eval", "test"):
        if not (shared / "google_transliteration" / f"ar2en-{split}.txt").exists():
            continue
        for p in google_pairs(shared, split):
            rows.append((*p, f"google_{split}", 1))
            if split != "train":
                forced_test.add(p[0])
    try:
        import arabic_name_romanizer

        db = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        for ar, lat, country, n in con.execute(
            "select arabic_key, latin, country, sum(count) from units where source = 'wikidata' group by arabic_key, latin, country"
        ):
            if country in ARAB_COUNTRIES and " " not in ar and " " not in lat.strip():
                p = clean_pair(lat, ar)
                if p:
                    rows.append((*p, "romanizer", int(n)))
    except ImportError:
        print("arabic-name-romanizer not installed: its names are left out", file=sys.stderr)
    rows.extend(gazetteer_pairs())
    return rows, forced_test


def gazetteer_pairs() -> list[tuple[str, str, str, int]]:
    from mtaudit.knowledge.resources import Resources

    out = []
    for ent in Resources().gazetteer.entities:
        for eng in ent.english:
            ews = latin_words(eng)
            for form in ent.forms:
                aws = fold(form).split()
                if len(aws) != len(ews):
                    continue
                for (art, lat), ar in zip(ews, aws):
                    p = clean_pair(("al-" if art else "") + lat, ar)
                    if p:
                        out.append((*p, "gazetteer", 1))
    return out


def is_test(latin: str, forced_test: set[str]) -> bool:
    return latin in forced_test or int(hashlib.sha1(latin.encode()).hexdigest(), 16) % 10 == 0


# -- alignment ---------------------------------------------------------------------------
def _edges(lat: str, ar: str):
    n, m = len(lat), len(ar)
    for i in range(n):
        for k in range(1, MAX_LATIN + 1):
            if i + k > n:
                break
            lc = lat[i : i + k]
            for j in range(m + 1):
                for l in range(0, MAX_ARABIC + 1):
                    if j + l > m:
                        break
                    yield i, j, k, l, lc, ar[j : j + l]


def em_align(pairs: list[tuple[str, str]], iterations: int, log=print) -> dict[tuple[str, str], float]:
    """Context-free joint unit probabilities by forward–backward EM."""
    prob: dict[tuple[str, str], float] = defaultdict(float)
    for lat, ar in pairs:
        for _, _, k, l, lc, ac in _edges(lat, ar):
            # Start near one-to-one: longer chunks must earn their mass.
            prob[(lc, ac)] += 0.3 ** (k + max(l, 1) - 2)
    z = sum(prob.values())
    prob = {u: p / z for u, p in prob.items()}
    for it in range(iterations):
        counts: dict[tuple[str, str], float] = defaultdict(float)
        loglik = 0.0
        for lat, ar in pairs:
            n, m = len(lat), len(ar)
            edges = [(i, j, k, l, prob[(lc, ac)], (lc, ac)) for i, j, k, l, lc, ac in _edges(lat, ar) if (lc, ac) in prob]
            alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
            alpha[0][0] = 1.0
            for i, j, k, l, p, _ in edges:  # edges come sorted by i, then j
                a = alpha[i][j]
                if a:
                    alpha[i + k][j + l] += a * p
            total = alpha[n][m]
            if total <= 0:
                continue
            loglik += math.log(total)
            beta = [[0.0] * (m + 1) for _ in range(n + 1)]
            beta[n][m] = 1.0
            for i, j, k, l, p, u in reversed(edges):
                b = beta[i + k][j + l]
                if b:
                    beta[i][j] += p * b
            for i, j, k, l, p, u in edges:
                a = alpha[i][j]
                if a:
                    b = beta[i + k][j + l]
                    if b:
                        counts[u] += a * p * b / total
        counts = {u: c for u, c in counts.items() if c >= 0.5}
        z = sum(counts.values())
        prob = {u: c / z for u, c in counts.items()}
        log(f"  EM iteration {it + 1}: log-likelihood {loglik:.0f}, {len(prob)} units")
    return prob


def viterbi_align(lat: str, ar: str, prob: dict[tuple[str, str], float]) -> list[tuple[str, str]] | None:
    n, m = len(lat), len(ar)
    best = [[(-math.inf, None)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, None)
    for i, j, k, l, lc, ac in _edges(lat, ar):
        p = prob.get((lc, ac))
        if p is None or best[i][j][0] == -math.inf:
            continue
        v = best[i][j][0] + math.log(p)
        if v > best[i + k][j + l][0]:
            best[i + k][j + l] = (v, (i, j, lc, ac))
    if best[n][m][0] == -math.inf:
        return None
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        _, (pi, pj, lc, ac) = best[i][j]
        out.append((lc, ac))
        i, j = pi, pj
    return out[::-1]


_SOFT = set("aeiouhwy'^$")


def deleted_consonants(units: list[tuple[str, str]]) -> int:
    """Latin consonants (not h w y, which English writes silently; doubled letters count
    once) that an alignment leaves without an Arabic letter, word-final units aside (French
    silent endings: Renault, Dupont). One is a sign of a mis-paired name (Abdullah ↔ عبد or
    ↔ له, tokens of a split name), not of a spelling: such pairs are dropped before the
    n-grams are counted."""
    total = 0
    for lat, ar in units[:-1]:
        letters = lat.strip("^$")
        cons = sum(1 for i, c in enumerate(letters) if c not in _SOFT and (i == 0 or letters[i - 1] != c))
        total += max(0, cons - len(ar))
    return total


def mark_positions(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first unit's Latin side marked ^, the last one's $ (see transliteration.unit_key)."""
    out = list(units)
    out[0] = ("^" + out[0][0], out[0][1])
    out[-1] = (out[-1][0] + "$", out[-1][1])
    return out


# -- n-grams -----------------------------------------------------------------------------
def fit_ngram(seqs: list[list[int]], order: int, n_units: int, method: str = "kn", weights: list[int] | None = None) -> dict:
    """An n-gram over unit ids in backoff form: for each seen context h, the seen units'
    interpolated log-probabilities and the log of the mass left to the shorter context.

    ``kn``: interpolated Kneser-Ney, one discount per order (D = n1 / (n1 + 2 n2)), lower
    orders on continuation counts; ``wb``: interpolated Witten-Bell. The unigram
    interpolates with uniform over the inventory. ``weights``: integer count per sequence."""
    counts: list[dict[tuple, dict[int, int]]] = [defaultdict(lambda: defaultdict(int)) for _ in range(order)]
    for si, seq in enumerate(seqs):
        w = weights[si] if weights else 1
        padded = [0] * (order - 1) + seq + [1]
        for t in range(order - 1, len(padded)):
            u = padded[t]
            for k in range(order):
                counts[k][tuple(padded[t - k : t])][u] += w
    if method == "kn" and order > 1:
        # Lower orders count the distinct histories a unit continues, not its tokens.
        for k in range(order - 1, 0, -1):
            cont: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            for ctx, nxt in counts[k].items():
                for u in nxt:
                    cont[ctx[1:]][u] += 1
            # Contexts that start the sequence (all <s>) have no left extension: keep their counts.
            for ctx, nxt in counts[k - 1].items():
                if ctx and all(x == 0 for x in ctx):
                    cont[ctx] = nxt
            counts[k - 1] = cont
    discounts = []
    for k in range(order):
        n1 = sum(1 for nxt in counts[k].values() for c in nxt.values() if c == 1)
        n2 = sum(1 for nxt in counts[k].values() for c in nxt.values() if c == 2)
        discounts.append(n1 / (n1 + 2 * n2) if n1 + n2 else 0.5)
    totals = [{ctx: (sum(nx.values()), len(nx)) for ctx, nx in level.items()} for level in counts]
    memo: dict[tuple, float] = {}

    def left_over(k: int, ctx: tuple) -> float:
        c, T = totals[k][ctx]
        if method == "kn" and k > 0:
            return discounts[k] * T / c
        return T / (c + T)

    def prob(ctx: tuple, u: int) -> float:
        key = (ctx, u)
        if key in memo:
            return memo[key]
        k = len(ctx)
        lower = 1.0 / n_units if k == 0 else prob(ctx[1:], u)
        ct = totals[k].get(ctx)
        if ct is None:
            v = lower
        else:
            x = counts[k][ctx].get(u, 0)
            if method == "kn" and k > 0:
                v = max(x - discounts[k], 0.0) / ct[0] + left_over(k, ctx) * lower
            else:
                v = (x + ct[1] * lower) / (ct[0] + ct[1])
        memo[key] = v
        return v

    keys, offsets, ids_all, lps, bows = [], [0], [], [], []
    for k in range(order):
        for ctx, nxt in sorted(counts[k].items()):
            ids = sorted(nxt)
            keys.append(context_key(ctx, n_units))
            ids_all.extend(ids)
            lps.extend(math.log(prob(ctx, u)) for u in ids)
            offsets.append(len(ids_all))
            bows.append(math.log(left_over(k, ctx)))
    return {
        "order": np.array(order), "floor": np.array(-math.log(n_units)),
        "ctx_key": np.array(keys, dtype=np.int64), "offsets": np.array(offsets, dtype=np.int32),
        "ids": np.array(ids_all, dtype=np.int32), "lps": np.array(lps, dtype=np.float32),
        "bows": np.array(bows, dtype=np.float32),
    }


# -- evaluation --------------------------------------------------------------------------
def auc(pos: list[float], neg: list[float]) -> float:
    """P(a positive scores above a negative), ties counted half (Mann-Whitney)."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2
        rank_sum += mean_rank * sum(1 for t in allv[i:j] if t[1])
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def evaluate(model: TransliterationModel, refs: dict[str, dict[str, int]], label: str, seed: int = 0) -> dict:
    """Accuracy and AUCs on ``refs`` (latin word → {arabic: count}); the reference of a word
    is its most frequent Arabic form, "any variant" accepts every attested form. The AUCs
    are also given on the Arabic-origin subset (reference with a letter of
    ARABIC_ORIGIN_LETTERS), where English-mediated garbling changes the spelling."""
    rng = random.Random(seed)
    words = sorted(refs)
    refs_best = {w: max(refs[w], key=lambda a: (refs[w][a], a)) for w in words}
    pool = list(refs_best.values())
    acc = {"top1": 0, "top5": 0, "top1_any_variant": 0, "top5_any_variant": 0}
    sc: dict[str, list[float]] = defaultdict(list)
    for w in words:
        accepted, best_ref = refs[w], refs_best[w]
        origin = "ar" if set(best_ref) & ARABIC_ORIGIN_LETTERS else "other"
        nb = [a for a, _ in model.nbest(w, 5)]
        acc["top1"] += bool(nb) and nb[0] == best_ref
        acc["top5"] += best_ref in nb
        acc["top1_any_variant"] += bool(nb) and nb[0] in accepted
        acc["top5_any_variant"] += any(a in accepted for a in nb)
        s_true, l_true = model.score(w, best_ref), model.garble_llr(w, best_ref)
        for o in ("all", origin):
            sc[f"true/{o}"].append(s_true)
            sc[f"true_llr/{o}"].append(-l_true)
        other = rng.choice(pool)
        if other not in accepted:
            sc["random/all"].append(model.score(w, other))
        naive = model.naive(w, 1)
        for kind, garble in (("naive", naive[0][0] if naive else ""), ("rule", latin_to_arabic(w))):
            if garble and garble not in accepted:
                s_g, l_g = model.score(w, garble), model.garble_llr(w, garble)
                for o in ("all", origin):
                    sc[f"{kind}/{o}"].append(s_g)
                    sc[f"{kind}_llr/{o}"].append(-l_g)
                    # Same English name: does the truth outscore its garble?
                    sc[f"{kind}_win/{o}"].append(float(s_true > s_g) + 0.5 * (s_true == s_g))
                    sc[f"{kind}_llr_win/{o}"].append(float(l_true < l_g) + 0.5 * (l_true == l_g))
    n = len(words)
    res: dict = {"words": n, **{k: round(v / n, 4) for k, v in acc.items()}}
    res["auc_true_vs_random"] = round(auc(sc["true/all"], sc["random/all"]), 4)
    for o in ("all", "ar"):
        for kind in ("naive", "rule"):
            res[f"auc_score_true_vs_{kind}_garble/{o}"] = round(auc(sc[f"true/{o}"], sc[f"{kind}/{o}"]), 4)
            res[f"auc_llr_true_vs_{kind}_garble/{o}"] = round(auc(sc[f"true_llr/{o}"], sc[f"{kind}_llr/{o}"]), 4)
            for key in ("win", "llr_win"):
                v = sc[f"{kind}_{key}/{o}"]
                res[f"pairwise_{key}_vs_{kind}_garble/{o}"] = round(sum(v) / len(v), 4) if v else float("nan")
        res[f"garbles_naive/{o}"] = len(sc[f"naive/{o}"])
        res[f"garbles_rule/{o}"] = len(sc[f"rule/{o}"])
    print(f"[{label}]")
    for k, v in res.items():
        print(f"  {k:40s} {v}")
    return res


def timing(model_path: Path, words: list[str], arabic: list[str]) -> dict:
    """Load time; score and nbest rates on first use of each English word (cold: the n-gram
    and marginal caches empty) and again (cached), on held-out words."""
    t = time.perf_counter()
    model = TransliterationModel.load(model_path)
    load_s = time.perf_counter() - t
    half = len(words) // 2
    warm_w, test_w, test_a = words[:half], words[half:], arabic[half:]
    t = time.perf_counter()
    for w in test_w:
        model.nbest(w, 5)
    nbest_cold = len(test_w) / (time.perf_counter() - t)
    model = TransliterationModel.load(model_path)
    t = time.perf_counter()
    for w, a in zip(test_w, test_a):
        model.score(w, a)
    score_cold = len(test_w) / (time.perf_counter() - t)
    # Steady state: the n-gram caches warmed on other words, new (english, arabic) pairs.
    model = TransliterationModel.load(model_path)
    for w, a in zip(warm_w, arabic[:half]):
        model.score(w, a)
    t = time.perf_counter()
    for w, a in zip(test_w, test_a):
        model.score(w, a)
    score_warm = len(test_w) / (time.perf_counter() - t)
    # The checks score one English name against several Arabic words: marginal cached.
    t = time.perf_counter()
    for w, a in zip(test_w, test_a[1:] + test_a[:1]):
        model.score(w, a)
    score_same_english = len(test_w) / (time.perf_counter() - t)
    t = time.perf_counter()
    for w, a in zip(test_w, test_a):
        model.score(w, a)
    score_cached = len(test_w) / (time.perf_counter() - t)
    res = {
        "load_seconds": round(load_s, 3),
        "score_per_second_cold": round(score_cold),
        "score_per_second_warm_new_words": round(score_warm),
        "score_per_second_known_english_new_arabic": round(score_same_english),
        "score_per_second_repeated": round(score_cached),
        "nbest_per_second_cold": round(nbest_cold),
    }
    print("[timing]")
    for k, v in res.items():
        print(f"  {k:40s} {v}")
    return res


# -- main --------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--pairs", type=Path, help="a TSV of english TAB arabic instead of the sources (tests)")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--em-sample", type=int, default=10000, help="pairs used by EM (all pairs are then aligned)")
    ap.add_argument("--em-iterations", type=int, default=4)
    ap.add_argument("--order", type=int, default=3)
    ap.add_argument("--smoothing", choices=("kn", "wb"), default="kn")
    ap.add_argument("--eval-sample", type=int, default=1000, help="held-out words evaluated (0: all)")
    ap.add_argument("--no-eval", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.time()
    if args.pairs:
        rows, forced = [], set()
        for line in args.pairs.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and not line.startswith("#"):
                p = clean_pair(parts[0], parts[1])
                if p:
                    rows.append((*p, "pairs", 1))
    else:
        rows, forced = load_sources(args.shared)
    by_source: dict[str, int] = defaultdict(int)
    for r in rows:
        by_source[r[2]] += 1
    print("pairs by source:", dict(by_source))
    train: dict[tuple[str, str], set[str]] = defaultdict(set)
    test: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lat, ar, src, n in rows:
        if is_test(lat, forced):
            test[lat][ar] += n
        else:
            train[(lat, ar)].add(src)
    train_pairs = sorted(train)
    data_sha = hashlib.sha256("".join(f"{a}\t{b}\n" for a, b in train_pairs).encode()).hexdigest()
    print(f"train: {len(train_pairs)} unique pairs; held out: {len(test)} latin words; data sha256 {data_sha[:16]}")

    rng = random.Random(13)
    sample = train_pairs if len(train_pairs) <= args.em_sample else rng.sample(train_pairs, args.em_sample)
    prob = em_align(sample, args.em_iterations)
    # Keep a small floor for every unit seen in the sample so rare pairs still align.
    aligned = []
    dropped = 0
    for lat, ar in train_pairs:
        a = viterbi_align(lat, ar, prob)
        if a and deleted_consonants(a) >= 1:
            dropped += 1
        elif a:
            aligned.append((lat, ar, a))
    print(f"aligned {len(aligned)}/{len(train_pairs)} training pairs ({dropped} dropped as mis-paired)")
    unit_ids: dict[tuple[str, str], int] = {("<s>", ""): 0, ("</s>", ""): 1}
    aligned = [(lat, ar, mark_positions(a)) for lat, ar, a in aligned]
    for _, _, a in aligned:
        for u in a:
            unit_ids.setdefault(u, len(unit_ids))
    units = sorted(unit_ids, key=unit_ids.get)
    seqs_all = [[unit_ids[u] for u in a] for _, _, a in aligned]
    naive_seqs = [
        s for (lat, ar, _), s in zip(aligned, seqs_all)
        if not (set(ar) & ARABIC_ORIGIN_LETTERS) and train[(lat, ar)] - {"romanizer", "gazetteer"}
    ]
    print(f"units: {len(units)}; naive-model pairs: {len(naive_seqs)}")
    main_lm = fit_ngram(seqs_all, args.order, len(units), args.smoothing)
    naive_lm = fit_ngram(naive_seqs or seqs_all, 1, len(units))
    meta = {
        "model_id": MODEL_ID,
        "data_sha256": data_sha,
        "split_rule": SPLIT_RULE,
        "sources": dict(by_source),
        "train_pairs": len(train_pairs),
        "heldout_words": len(test),
        "naive_pairs": len(naive_seqs),
        "order": args.order,
        "smoothing": args.smoothing,
        "em": {"sample": len(sample), "iterations": args.em_iterations},
    }
    payload = {"meta": meta, "units": [list(u) for u in units], "main": main_lm, "naive": naive_lm}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write(args.out, payload)
    if not args.no_eval and test:
        model = TransliterationModel.load(args.out)
        words = sorted(test)
        if args.eval_sample and len(words) > args.eval_sample:
            words = random.Random(7).sample(words, args.eval_sample)
        held = evaluate(model, {w: test[w] for w in words}, "held-out")
        train_refs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for lat, ar, src, n in rows:
            if not is_test(lat, forced):
                train_refs[lat][ar] += n
        tw = random.Random(8).sample(sorted(train_refs), min(len(train_refs), args.eval_sample or 1000))
        build = evaluate(model, {w: train_refs[w] for w in tw}, "build (train sample)")
        tim = timing(args.out, words, [max(test[w], key=test[w].get) for w in words])
        meta["heldout"] = held
        meta["build"] = build
        meta["timing"] = tim
        write(args.out, payload)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f} s")
    return 0


def write(path: Path, payload: dict) -> None:
    """One .npz: a JSON header (meta, units) and each model's arrays, prefixed main_/naive_."""
    arrays = {"header": np.array(json.dumps({"meta": payload["meta"], "units": payload["units"]}, ensure_ascii=False))}
    for name in ("main", "naive"):
        arrays.update({f"{name}_{k}": v for k, v in payload[name].items()})
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


if __name__ == "__main__":
    sys.exit(main())
