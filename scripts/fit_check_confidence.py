#!/usr/bin/env python3
"""Fit the confidence models of the checks without a fitting script of their own
(references/calibration.tsv): english-in-arabic, calque, dateline, headline-garbled,
punctuation-spacing, unbalanced-marks, agreement, possessive-order, name-inconsistent, and
the house-style conventions style-tatweel, style-hamza, style-ta-marbuta,
style-alef-maqsura, style-digits, style-punctuation (style-months has no generator yet).

Labelled findings, each with the evidence features its check records
(mtaudit.knowledge.calibration.collecting):

- positives: the check's finding on the span of a synthetic error of its class
  (scripts/check_corruptions.py: a source word in Arabic letters, a calqued credit line, a
  scrambled dateline, MT punctuation, a dropped quote, an adjective without its article,
  name + country, a name misspelt once in a batch, a headline with three artifacts; a
  kashida, a dropped hamza, ة as ه, ى and ي swapped, one figure in Arabic-Indic digits, a
  Latin comma or question mark) made
  in a clean human translation, audited with and without its source;
- negatives: every finding of the check on clean copy: FLORES-200 devtest, TICO-19 test,
  SemEval-2025 EA-MT train (../shared/data; one line an article, with and without source,
  and in batches of 50 lines for the batch checks), the human seeds 000, 001, 003, 004,
  and the controls of the corruptions (the same edit done right: a dateline with the place
  alone, a credit line in Arabic style, the adjective with its article, title + name).

Fixed split (scripts/bench_common.held_out): a line of a corpus whose 0-based index % 4 ==
3 is held out, with every corruption made from it; the human seeds are in the build part.
The model is fitted on the build part with a pseudo-count of one error and one false alarm
(calibration.fit_and_report, the routine every fitting script shares) and the reliability
table printed for both parts. As with the other fitted checks the probabilities carry the
labelled set's mix (about one error per line against the false alarms of clean copy): they
rank findings and keep the likely false alarms below 0.5 (not major); they do not estimate
the error rate of a real delivery.

Every clean line gives negatives; the errors are made from --case-limit lines of each
corpus (evenly spaced), so that a fit takes minutes.

    python scripts/fit_check_confidence.py [--only CHECK[,CHECK]] [--limit N] [--case-limit 400] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import clean_lines, human_seeds  # noqa: E402
from check_corruptions import Kit, cases  # noqa: E402

from mtaudit.checks import load_all  # noqa: E402
from mtaudit.knowledge.calibration import collecting, fit_and_report, write_models  # noqa: E402
from mtaudit.run.pipeline import audit_article, run_batch_checks  # noqa: E402
from mtaudit.types import Article  # noqa: E402

CHECKS = (
    "english-in-arabic", "calque", "dateline", "headline-garbled", "punctuation-spacing",
    "unbalanced-marks", "agreement", "possessive-order", "name-inconsistent",
    "style-tatweel", "style-hamza", "style-ta-marbuta", "style-alef-maqsura", "style-digits",
    "style-punctuation",
)
BATCH = 50  # clean lines audited together, for the batch checks' negatives


def audited(articles: list[Article], specs, res) -> list[tuple[str, str, int, int, dict]]:
    """The evidence rows (model, article id, start, end, features) of auditing ``articles``
    as one batch."""
    with collecting() as c:
        results = [audit_article(a, specs, res, score=False) for a in articles]
        run_batch_checks(results, specs, res)
    return c.rows


def labelled(shared: Path, only: set[str], limit: int, case_limit: int) -> tuple[list, Counter]:
    """[(model, held_out, features, label)] and counts."""
    kit = Kit(shared)
    res = kit.res
    registry = load_all()
    # headline-garbled counts the other checks' findings; the others need only themselves
    specs = list(registry.values()) if "headline-garbled" in only else [registry[c] for c in sorted(only)]
    rows: list[tuple[str, bool, dict, int]] = []
    counts: Counter = Counter()
    lines = clean_lines(shared, limit)
    for held in (False, True):
        part = [line for line in lines if line.held_out == held]
        for with_source in (True, False):
            for k in range(0, len(part), BATCH):
                group = part[k : k + BATCH]
                arts = [Article(f"{l.corpus}:{l.index}", l.target, source=l.source if with_source else None) for l in group]
                for model, *_, feats in audited(arts, specs, res):
                    if model in only:
                        rows.append((model, held, feats, 0))
                        counts[model, held, "clean"] += 1
    for with_source in (True, False):
        seeds = [Article(i, t) for i, t in human_seeds(shared)] if not with_source else []
        for model, *_, feats in audited(seeds, specs, res):
            if model in only:
                rows.append((model, False, feats, 0))
                counts[model, False, "clean"] += 1
    for case in cases(clean_lines(shared, case_limit), kit, only):
        used = specs if case.check == "headline-garbled" else [registry[case.check]]
        for with_source in (True, False):
            arts = [Article(f"c:{j}", t, source=s if with_source else None) for j, (t, s) in enumerate(case.articles)]
            found = False
            for model, aid, start, end, feats in audited(arts, used, res):
                if model != case.check:
                    continue
                if case.control:
                    rows.append((model, case.held_out, feats, 0))
                    counts[model, case.held_out, "control"] += 1
                    continue
                j, s, e = case.at
                if aid == f"c:{j}" and start < e and s < max(end, start + 1) and not found:
                    found = True  # one positive per error (an error reported twice is one error)
                    rows.append((model, case.held_out, feats, 1))
            if not case.control:
                counts[case.check, case.held_out, "errors"] += 1
                counts[case.check, case.held_out, "found"] += found
    return rows, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default=",".join(CHECKS), help="comma-separated check ids (default: all of them)")
    ap.add_argument("--limit", type=int, default=0, help="clean lines per corpus for the negatives (0: all)")
    ap.add_argument("--case-limit", type=int, default=400, help="clean lines per corpus to corrupt (0: all)")
    ap.add_argument("--dry-run", action="store_true", help="print, do not write references/calibration.tsv")
    args = ap.parse_args()
    only = {c for c in args.only.split(",") if c}
    unknown = only - set(CHECKS)
    if unknown:
        print(f"not fitted here: {', '.join(sorted(unknown))} (see scripts/fit_*_confidence.py)", file=sys.stderr)
        return 2
    if not clean_lines(args.shared, 1):
        print(f"no clean corpora under {args.shared}", file=sys.stderr)
        return 2
    rows, counts = labelled(args.shared, only, args.limit, args.case_limit)
    models = []
    for check in sorted(only):
        mine = [(held, f, y) for m, held, f, y in rows if m == check]
        for held in (False, True):
            part = "held out" if held else "build"
            print(
                f"{check} {part}: {counts[check, held, 'errors']} synthetic errors ({counts[check, held, 'found']} found),"
                f" {counts[check, held, 'clean']} findings on clean copy, {counts[check, held, 'control']} on controls"
            )
        if not any(y for _, _, y in mine):
            print(f"{check}: no positive row; not fitted")
            continue
        note = (
            f"scripts/fit_check_confidence.py: {sum(y for h, _, y in mine if not h)} synthetic errors vs"
            f" {sum(1 - y for h, _, y in mine if not h)} findings on clean copy and controls (build part)"
        )
        features = sorted({k for _, f, _ in mine for k in f})
        model, report = fit_and_report(check, mine, note, features=features, prior=True)
        models.append(model)
        print("\n".join(report) + "\n")
    if not args.dry_run and models:
        write_models(ROOT / "references" / "calibration.tsv", models, "")
        print("wrote references/calibration.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
