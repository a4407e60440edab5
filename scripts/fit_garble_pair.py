#!/usr/bin/env python3
"""Fit the garble-pair model of name-source: is an Arabic word a garble of a Latin name?

The model (``name-source:garble-pair`` in references/calibration.tsv, features from
mtaudit.names.garble_pair) decides for names that no gazetteer or name list knows. Labelled
pairs (Latin name word, Arabic word), from words the transliteration model was NOT trained
on (its held-out split, scripts/train_transliteration.py: SHA-1 of the Latin word ≡ 0 mod 10,
and Google's eval and test files):

- **garbles (label 1)**: the English-mediated reading of the Latin spelling (the rule reader
  ``latin_to_arabic``) and random edits of the classes English causes (fit_name_confidence's
  ``_random_garble``: ع ح ء dropped or turned into alef, ح written ه, letters English spells
  alike confused, a vowel lengthened) of a name whose correct spelling has a letter Latin
  cannot write, when the garble has lost such a letter;
- **correct (label 0)**: the most frequent attested spelling of the Latin word, and the same
  garbles of a name whose correct spelling has no such letter: for most Western names the
  sounded-out reading is the spelling, and variants of it are house style. A garble that is
  an attested spelling (all sources, including the model's training words) is left out.

Each word gives its correct spelling and one garble (either process, at random), so an
Arabic-origin name's garble is as frequent as its correct spelling: the probability is that
of a word standing for a name where both are equally likely beforehand.

Only the pairs name-source asks the model about are kept (:func:`as_judged`: each pair is
put in a sentence and the check's matcher runs on it; an attested spelling is rendered and
never asked about), so the probability is that of the check's own cases.

Fixed split: the model is fitted on Google's eval file and the Wikidata name tokens of the
transliteration held-out split (at most ``--wikidata`` of them, drawn with a fixed seed); it
is reported on Google's test file, the one scripts/name_benchmark.py draws its
non-gazetteer names from, and on the Wikidata held-out words not fitted on (the rest of
that split, about 3,500 words), each never fitted on, apart and pooled: Google's test file
alone gives the bins above 0.3 fewer than 30 rows each. Prints the reliability tables and the weights; writes the model into
references/calibration.tsv unless ``--dry-run``.

    python scripts/fit_garble_pair.py [--shared ../shared] [--wikidata 2500] [--dry-run]   # about 3 minutes (8 under load)
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_name_confidence import _random_garble, print_and_write, report_pair_reliability  # noqa: E402
from train_transliteration import google_pairs, is_test, wikidata_pairs  # noqa: E402

from mtaudit.knowledge.calibration import fit  # noqa: E402
from mtaudit.knowledge.resources import Resources  # noqa: E402
from mtaudit.names.channel import latin_to_arabic, split_article  # noqa: E402
from mtaudit.names.garble_pair import MODEL_NAME, ONLY_IN_ARABIC, pair_features  # noqa: E402
from mtaudit.names.transliteration import default_model, latin_letters  # noqa: E402


def load_pairs(shared: Path) -> tuple[dict[str, Counter], dict[str, list[str]]]:
    """Every attested spelling of each Latin word (counts), and the Latin words of each part:
    google_eval, google_test, wikidata_heldout."""
    attested: dict[str, Counter] = defaultdict(Counter)
    parts: dict[str, list[str]] = {"google_eval": [], "google_test": [], "wikidata_heldout": []}
    data = shared / "data"
    forced: set[str] = set()
    for split in ("train", "eval", "test"):
        for lat, ar in google_pairs(data, split):
            attested[lat][ar] += 1
            if split != "train":
                forced.add(lat)
                parts[f"google_{split}"].append(lat)
    for lat, ar, n in wikidata_pairs(data):
        attested[lat][ar] += n
        if is_test(lat, set()) and lat not in forced:
            parts["wikidata_heldout"].append(lat)
    # a word of both Google files is a test word
    test = set(parts["google_test"])
    parts["google_eval"] = [w for w in parts["google_eval"] if w not in test]
    for k in parts:
        parts[k] = sorted(set(parts[k]))
    return attested, parts


def labelled(words: list[str], attested: dict[str, Counter], model, rng: random.Random) -> list[tuple[str, str, int, str]]:
    """(Latin word, Arabic word, label, what) for each Latin word: its most frequent attested spelling
    (correct) and one garble of it, by one of the two processes at random (a garble when the
    name's spelling has a letter Latin cannot write and the garble lost it, a house-style
    variant when the name has no such letter; left out when it is an attested spelling or
    kept every such letter). So an Arabic name's garble is as frequent as its correct
    spelling: the probability is for a word where both are equally likely a priori."""
    rows = []
    for latin in words:
        truth = attested[latin].most_common(1)[0][0]
        rows.append((latin, truth, 0, "correct"))
        opaque = set(truth) & ONLY_IN_ARABIC
        if rng.random() < 0.5:
            g = split_article(latin_to_arabic(latin).replace(" ", ""))[1]
        else:
            g = _random_garble(truth, rng)
        if not g or g in attested[latin]:
            continue
        if opaque and opaque - set(g):
            rows.append((latin, g, 1, "garble"))
        elif not opaque:
            rows.append((latin, g, 0, "variant"))
    return rows


_SENTENCE = ("President {e} said the talks were useful.", "قال الرئيس {a} إن المحادثات كانت مفيدة.")


def as_judged(rows: list[tuple[str, str, int, str]], gaz, translit) -> list[tuple[dict, int, str]]:
    """(features, label, what) of the pairs name-source really asks the model about.

    Each (Latin word, Arabic word) is put in a sentence ("President X said ..." / "قال
    الرئيس ...") and the check's matcher (mtaudit.names.source_names.check_unit) runs on it;
    the model is fitted on the words it is asked about and whose lost letter it can restore
    (what the check requires to report), not on every pair: an attested spelling is
    rendered and never asked about, and most correct spellings keep every letter the model
    expects, so a fit on all pairs learned a base rate the check never meets (its findings
    were right more often than their probability said)."""
    import mtaudit.names.source_names as matcher
    from mtaudit.text.tokens import tokenize

    asked: list[tuple[str, str]] = []
    original = matcher._pair_garble

    class NoOpinion:  # the matcher's own steps without the shipped model (whose features may differ)
        def probability(self, features):
            return 0.0

    def spy(bare, stem, model, pair_model, latin_forms=None):
        p, restored = original(bare, stem, model, NoOpinion(), latin_forms)
        if restored:
            asked.append((bare, stem))
        return 0.0, restored  # never a finding here: the matcher goes on as when the model says no

    shipped = Resources().confidence_model(MODEL_NAME)
    out = []
    matcher._pair_garble = spy
    try:
        for latin, arabic, label, what in rows:
            asked.clear()
            matcher.check_unit(_SENTENCE[0].format(e=latin.capitalize()), tokenize(_SENTENCE[1].format(a=arabic)), gaz, translit, shipped)
            for bare, stem in asked[:1]:
                out.append((pair_features(translit, latin_letters(bare), stem, latin_forms=gaz.latin_forms), label, what))
    finally:
        matcher._pair_garble = original
    return out


def report(name: str, model, rows) -> None:
    report_pair_reliability(name, model, rows, "garbles", ("garble", "correct", "variant"), (0.12, 0.2, 0.25, 0.3, 0.5, 0.8))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--wikidata", type=int, default=2500, help="Wikidata held-out words to fit on (besides Google eval)")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found", file=sys.stderr)
        return 2
    rng = random.Random(17)
    translit = default_model()
    attested, parts = load_pairs(args.shared)
    wd = parts["wikidata_heldout"]
    rng.shuffle(wd)
    build_words = parts["google_eval"] + wd[: args.wikidata]
    gaz = Resources().gazetteer
    pairs = [labelled(ws, attested, translit, rng) for ws in (build_words, parts["google_test"], wd[args.wikidata :])]
    build, test, rest = (as_judged(p, gaz, translit) for p in pairs)
    print(f"pairs the check asks the model about: {len(build)} of {len(pairs[0])} (build), {len(test)} of {len(pairs[1])} "
          f"(Google test), {len(rest)} of {len(pairs[2])} (other Wikidata held-out words)")
    print(f"fit on {len(build_words)} words ({len(parts['google_eval'])} Google eval, {min(len(wd), args.wikidata)} Wikidata held out): "
          f"{len(build)} pairs; held out: {len(parts['google_test'])} Google test words, {len(test)} pairs; "
          f"{len(wd[args.wikidata:])} other Wikidata held-out words, {len(rest)} pairs")
    note = "scripts/fit_garble_pair.py: garbles of Arabic names vs attested spellings and Western house-style variants (transliteration held-out words), the pairs name-source asks about"
    model = fit(MODEL_NAME, [f for f, _, _ in build], [y for _, y, _ in build], l2=1.0, note=note)
    report("build", model, build)
    report("held out (Google test)", model, test)
    report("held out (Wikidata, not fitted on)", model, rest)
    report("held out, both", model, test + rest)
    print_and_write(model, args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
