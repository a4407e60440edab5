#!/usr/bin/env python3
"""Fit the wrong-sense confidence model (references/calibration.tsv, model "wrong-sense").

Labelled findings, from mtaudit.knowledge.senses.article_senses (the check's own matcher):
  - positives: synthetic sense swaps of clean lines (scripts/sense_data.py: سوريا → سيارة
    where the source says Syria), the finding on the swapped word, audited with and
    without the source;
  - negatives: every candidate on the clean lines (human translations), with and without
    the source: each place a rule's suspicious form occurs with none of its "unless" words
    near, fired or not. (The findings proper, the candidates that fire, are too few on
    clean copy to fit anything: none at all on FLORES/TICO/SemEval when this was written.)
  Rows are candidates whether they fire or not, so the model learns what each piece of
  evidence is worth; the check applies it to the candidates that fire.
Features (mtaudit.knowledge.senses.ArticleSense.features): aligned to the rule's English word, the
English word present but aligned elsewhere, Arabic context near, no source, a minor rule,
a phrase form. Fixed split (sense_data.held_out: line index % 4 == 3 held out); the model
is fitted on the build part and the reliability table printed for both parts.

    python scripts/fit_wrong_sense_confidence.py [--shared ../shared] [--dry-run]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sense_data import clean_lines, correct_forms, held_out, sense_swaps  # noqa: E402

from mtaudit.knowledge.calibration import fit_and_report, write_models  # noqa: E402
from mtaudit.knowledge.resources import Resources  # noqa: E402
from mtaudit.knowledge.senses import article_senses  # noqa: E402
from mtaudit.text.segment import segment_article  # noqa: E402
from mtaudit.types import Article, SegmentKind  # noqa: E402


def findings(target: str, source: str | None, res: Resources):
    art = Article("x", target, source=source)
    segs = [s for s in segment_article(art, res) if s.kind is not SegmentKind.BOILERPLATE]
    return article_senses(art, segs, res.wrong_sense, keep_all=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--dry-run", action="store_true", help="print, do not write calibration.tsv")
    args = ap.parse_args()
    res = Resources()
    rules = res.wrong_sense
    lines = clean_lines(args.shared)
    if not lines:
        print("no clean corpora", file=sys.stderr)
        return 2
    correct = correct_forms(ROOT / "references")
    data = {"build": ([], []), "held-out": ([], [])}
    counts = collections.Counter()
    for line in lines:
        part = "held-out" if held_out(line.index) else "build"
        rows, labels = data[part]
        for src in (line.source, None):
            for f in findings(line.target, src, res):
                counts[part, "fired-clean"] += f.fired
                rows.append(f.features())
                labels.append(0)
                counts[part, "neg"] += 1
        for swap in sense_swaps(line, rules, correct):
            for src in (line.source, None):
                counts[part, "swaps"] += 1
                for f in findings(swap.target, src, res):
                    t = f.tokens[f.match.start_token]
                    if f.match.rule.id == swap.rule_id and t.start < swap.end and swap.start < f.tokens[f.match.end_token - 1].end:
                        rows.append(f.features())
                        labels.append(1)
                        counts[part, "pos"] += 1
                        counts[part, "found"] += f.fired
                        break
    for part in data:
        print(
            f"{part}: {counts[part, 'pos']} positives (candidates at a swap, {counts[part, 'found']} fired; "
            f"{counts[part, 'swaps']} swap audits), "
            f"{counts[part, 'neg']} negatives (candidates on clean copy, {counts[part, 'fired-clean']} of them fired)"
        )
    labelled_rows = [(part == "held-out", x, y) for part, (rows, labels) in data.items() for x, y in zip(rows, labels)]
    model, report = fit_and_report(
        "wrong-sense",
        labelled_rows,
        "scripts/fit_wrong_sense_confidence.py: sense swaps vs findings on FLORES/TICO/SemEval, build part",
        features=sorted(data["build"][0][0]),
    )
    print("\n".join(report))
    if not args.dry_run:
        write_models(ROOT / "references" / "calibration.tsv", [model], "")
        print("\nwrote references/calibration.tsv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
