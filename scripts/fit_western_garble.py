#!/usr/bin/env python3
"""Fit the western-garble model of name-source: is an Arabic word a misrendering of a Western name?

The model (``name-source:western-garble`` in references/calibration.tsv, features from
mtaudit.names.western_garble) decides for names of Western origin, whose naive reading is
their spelling, so that the naive-reading model cannot tell their garbles. Labelled pairs
(Latin name word, Arabic word) from Wikidata person-name tokens that the transliteration
model was NOT trained on (its held-out split, scripts/train_transliteration.py: SHA-1 of the
Latin word ≡ 0 mod 10) and whose Latin spelling reads as Western (mtaudit.names.origin):

- **misrendered (label 1)**: the word's most frequent attested spelling with one or two
  edits of the classes Western names suffer in Arabic MT: a plain letter written as an
  emphatic or guttural one (س→ص, ت→ط, د→ض, ز→ظ, ك→ق, ه→ح, a first alef as ع), a long
  vowel (ا, و or ي) written after a consonant, a letter written twice (first the letters
  the Latin spelling doubles), a consonant dropped. A result that is an attested spelling
  is left out;
- **legitimate (label 0)**: every attested spelling of the word (up to four), and the
  transliteration model's second and third renderings when no attested spelling is one of
  them (what scripts/name_benchmark.py calls "another rendering": it must stay silent).

Fixed split: words with crc32 ≡ 0 mod 4 are held out of the fit and reported apart.
scripts/name_benchmark.py measures the check on SemEval's names with its own garble
generator (fit_name_confidence._random_garble and the rule reader), not this one. Writes the
model into references/calibration.tsv unless ``--dry-run``.

    python scripts/fit_western_garble.py [--shared ../shared] [--words 3000] [--dry-run]   # about a minute
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_name_confidence import print_and_write, report_pair_reliability  # noqa: E402
from train_transliteration import is_test, wikidata_pairs  # noqa: E402

from mtaudit.knowledge.calibration import fit  # noqa: E402
from mtaudit.names.channel import split_article  # noqa: E402
from mtaudit.names.origin import default_origin  # noqa: E402
from mtaudit.names.transliteration import default_model  # noqa: E402
from mtaudit.names.western_garble import FEATURES, MODEL_NAME, features  # noqa: E402

_EMPHATIC_FOR = {"س": "ص", "ت": "ط", "د": "ض", "ز": "ظ", "ك": "ق", "ه": "ح"}
_VOWELS = "اوي"
_LATIN_DOUBLE_TO_ARABIC = {"ll": "ل", "tt": "ت", "ss": "س", "nn": "ن", "mm": "م", "rr": "ر", "pp": "ب", "ck": "ك", "ff": "ف", "dd": "د", "bb": "ب", "gg": "غ", "zz": "ز"}


def held_out(latin: str) -> bool:
    return zlib.crc32(latin.encode("utf-8")) % 4 == 0


def misrender(latin: str, word: str, rng: random.Random) -> str:
    """One or two misrendering edits of the Arabic spelling ``word`` of ``latin``."""
    w = word
    for _ in range(rng.choice((1, 1, 2))):
        ops = []
        for i, ch in enumerate(w):
            if ch in _EMPHATIC_FOR:
                ops.append(("emphatic", i))
            if i == 0 and ch == "ا":
                ops.append(("ain", i))
            if ch not in _VOWELS and (i + 1 == len(w) or w[i + 1] not in _VOWELS):
                ops.append(("vowel", i))
            if ch not in _VOWELS and 0 < i < len(w) - 1:
                ops.append(("drop", i))
        doubles = [ar for lat, ar in _LATIN_DOUBLE_TO_ARABIC.items() if lat in latin.lower() and ar in w]
        for ar in doubles:
            ops.append(("double", w.index(ar)))
        if not ops:
            break
        kind, i = rng.choice(ops)
        if kind == "emphatic":
            w = w[:i] + _EMPHATIC_FOR[w[i]] + w[i + 1 :]
        elif kind == "ain":
            w = "ع" + w[1:]
        elif kind == "vowel":
            w = w[: i + 1] + rng.choice(_VOWELS) + w[i + 1 :]
        elif kind == "drop":
            w = w[:i] + w[i + 1 :]
        elif kind == "double":
            w = w[: i + 1] + w[i] + w[i + 1 :]
    return w


def western_words(shared: Path) -> dict[str, Counter]:
    """Attested spellings of the Wikidata words of the transliteration held-out split that read as Western."""
    attested: dict[str, Counter] = defaultdict(Counter)
    for lat, ar, n in wikidata_pairs(shared / "data"):
        if is_test(lat, set()):
            attested[lat][split_article(ar)[1]] += n
    origin = default_origin()
    return {lat: c for lat, c in attested.items() if len(lat) >= 3 and origin.logodds(lat) < 0}


def labelled(words: list[str], attested: dict[str, Counter], model, rng: random.Random):
    rows = []
    for latin in words:
        spellings = [a for a, _ in attested[latin].most_common(4) if len(a) >= 2]
        if not spellings:
            continue
        for a in spellings:
            rows.append((features(model, latin, a), 0, "attested"))
        alternatives = [split_article(a)[1] for a, _ in model.nbest(latin, 3)[1:]]
        for a in alternatives:
            if a not in attested[latin]:
                rows.append((features(model, latin, a), 0, "n-best"))
        g = misrender(latin, spellings[0], rng)
        if g and g not in attested[latin] and g not in alternatives:
            rows.append((features(model, latin, g), 1, "misrendered"))
    return rows


def report(name: str, model, rows) -> None:
    report_pair_reliability(name, model, rows, "misrendered", ("misrendered", "attested", "n-best"), (0.5, 0.8, 0.85, 0.9, 0.95))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--words", type=int, default=3000, help="Western words to fit on (at most)")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found", file=sys.stderr)
        return 2
    rng = random.Random(23)
    translit = default_model()
    attested = western_words(args.shared)
    words = sorted(attested)
    build_words = [w for w in words if not held_out(w)]
    rng.shuffle(build_words)
    build_words = build_words[: args.words]
    test_words = [w for w in words if held_out(w)][: max(1, args.words // 3)]
    build = labelled(build_words, attested, translit, rng)
    test = labelled(test_words, attested, translit, rng)
    print(f"fit on {len(build_words)} Western words ({len(build)} pairs); held out: {len(test_words)} words ({len(test)} pairs)")
    note = "scripts/fit_western_garble.py: misrenderings of Western names vs attested spellings and n-best renderings (Wikidata, transliteration held-out words)"
    model = fit(MODEL_NAME, [f for f, _, _ in build], [y for _, y, _ in build], features=FEATURES, l2=1.0, note=note)
    report("build", model, build)
    report("held out (crc32 mod 4 = 0)", model, test)
    cut = threshold(model, build)
    shares = {what: share_at(model, test, what, cut) for what in ("misrendered", "attested")}
    print(f"\nthreshold (WESTERN_AT in mtaudit/names/source_names.py): {cut:.2f}, the lowest multiple of 0.05 at which at most "
          f"{FALSE_ALARM_BUDGET:.1%} of attested spellings reach it on the build rows; held out at it: misrendered "
          f"{shares['misrendered']:.3f}, attested {shares['attested']:.3f}")
    print_and_write(model, args.dry_run)
    return 0


#: The share of correct spellings the western-garble threshold may report on the build rows.
#: 1%, a third of garble-pair's share at PAIR_AT (3.1-3.3%), because Western names are far
#: commoner than unlisted Arabic ones in clean news copy: at a 3.3% budget the cut fell to
#: 0.85, garbled-Western recall on scripts/name_benchmark.py rose 0.21 -> 0.32, but the
#: held-out SemEval references with source went 0.89 -> 1.79 name findings per 10k words
#: (the bar for professional translations is 1) and the attested unlisted-name sentences
#: 25.0 -> 31.3 (2026-12-02, third stop). Until then 0.95 was set by hand.
FALSE_ALARM_BUDGET = 0.010


def share_at(model, rows, what: str, cut: float) -> float:
    ps = [model.probability(f) for f, _, w in rows if w == what]
    return sum(p >= cut for p in ps) / max(1, len(ps))


def threshold(model, rows) -> float:
    """The lowest multiple of 0.05 (from 0.5) at which at most ``FALSE_ALARM_BUDGET`` of the
    attested spellings among ``rows`` reach the model's probability."""
    for k in range(10, 20):
        if share_at(model, rows, "attested", k / 20) <= FALSE_ALARM_BUDGET:
            return k / 20
    return 0.95


if __name__ == "__main__":
    sys.exit(main())
