#!/usr/bin/env python3
"""Fit the confidence models of number-mismatch and unit-mismatch (references/calibration.tsv).

Labelled findings come from the clean human translations of ../shared/data (FLORES-200
devtest, TICO-19 test, SemEval-2025 EA-MT training data), each audited against its English
source with mtaudit.text.number_compare (the checks' evidence before a confidence is put on it):

- negatives: every candidate finding on the clean copy (a false alarm, or a translator's
  slip the reference keeps);
- positives: the candidate at the spot of a synthetic corruption of the same copy, made by
  scripts/number_benchmark.py's ``corruptions`` (a figure changed, a scale changed or
  dropped, a unit swapped, an identifier's digit altered, a figure dropped, a month changed),
  at most one of each kind per item.

Fixed split by the item's position in its corpus: even = build (fitted), odd = held-out
(only measured). The probabilities therefore carry the labelled set's mix (about one
corruption of each kind per item with a figure), a high error rate: they rank findings and
separate the likely false alarms (below 0.5: minor), they do not estimate the error rate
of a real delivery. A pseudo-count of one error and one false alarm keeps a model
finite when clean copy gives no false alarm at all. The script prints the reliability table of the held-out half and
writes the models fitted on the build half.

    python scripts/fit_number_confidence.py [--shared ../shared] [--dry-run]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from number_benchmark import clean_sets, corruptions  # noqa: E402

from mtaudit.knowledge.calibration import fit_and_report, write_models  # noqa: E402
from mtaudit.knowledge.resources import Resources  # noqa: E402
from mtaudit.text.number_compare import FEATURES, UNIT_FEATURES, number_candidates, unit_candidates  # noqa: E402
from mtaudit.text.segment import segment_article  # noqa: E402
from mtaudit.types import Article, SegmentKind  # noqa: E402


def candidates(article: Article, res: Resources):
    segments = segment_article(article, res)
    content = [s for s in segments if s.kind is not SegmentKind.BOILERPLATE]
    return number_candidates(article, content, res), unit_candidates(article, content, res)


def labelled(shared: Path, seed: int):
    """{(model, half): (rows, labels)}"""
    res = Resources()
    rng = random.Random(seed)
    data: dict[tuple[str, str], tuple[list, list]] = {}

    def put(model, half, features, label):
        rows, labels = data.setdefault((model, half), ([], []))
        rows.append(features)
        labels.append(label)

    for name, articles in clean_sets(shared).items():
        if "(no source)" in name:
            continue
        for i, a in enumerate(articles):
            half = "build" if i % 2 == 0 else "held-out"
            clean_num, clean_unit = candidates(a, res)
            for c in clean_num:
                put("number-mismatch", half, c.features, 0)
            for c in clean_unit:
                put("unit-mismatch", half, c.features, 0)
            clean_messages = {c.message for c in clean_num}
            for kind, text, at in corruptions(a, res, rng):
                num, unit = candidates(Article(a.id, text, source=a.source), res)
                if kind == "dropped":
                    for c in num:
                        if c.kind == "omission" and c.message not in clean_messages:
                            put("number-mismatch", half, c.features, 1)
                    continue
                for c in num:
                    if c.start <= at < max(c.end, at + 1):
                        put("number-mismatch", half, c.features, 1)
                for c in unit:
                    if c.start <= at < max(c.end, at + 1):
                        put("unit-mismatch", half, c.features, 1)
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write references/calibration.tsv")
    args = ap.parse_args()
    data = labelled(args.shared, args.seed)
    if not data:
        print(f"no corpora under {args.shared}", file=sys.stderr)
        return 2
    models = []
    for name, features in (("number-mismatch", FEATURES), ("unit-mismatch", UNIT_FEATURES)):
        rows, labels = data.get((name, "build"), ([], []))
        hrows, hlabels = data.get((name, "held-out"), ([], []))
        note = (
            f"scripts/fit_number_confidence.py: build half (even items) of FLORES devtest, TICO-19 test, SemEval EA-MT"
            f" train; {sum(labels)} corruptions vs {len(labels) - sum(labels)} clean-copy findings"
        )
        # The pseudo-count (prior=True) keeps the fit finite: clean copy gives unit-mismatch
        # no false alarm at all.
        labelled_rows = [(False, x, y) for x, y in zip(rows, labels)] + [(True, x, y) for x, y in zip(hrows, hlabels)]
        model, report = fit_and_report(name, labelled_rows, note, features=features, l2=args.l2, prior=True)
        models.append(model)
        print("\n".join(report))
        for half, (r, y) in (("build", (rows, labels)), ("held-out", (hrows, hlabels))):
            # omissions are minor whatever their confidence: count the findings that can be major
            probs = [model.probability(x) for x in r]
            major = [(p, lab) for p, lab, x in zip(probs, y, r) if p >= 0.5 and not x.get("omission")]
            fp = sum(1 for _, lab in major if not lab)
            kept = sum(lab for _, lab in major)
            print(f"  {half}: at p >= 0.5 (major, omissions aside): {kept}/{sum(y)} errors, {fp}/{len(y) - sum(y)} false alarms")
    if not args.dry_run:
        write_models(ROOT / "references" / "calibration.tsv", models, "")
        print("wrote references/calibration.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
