#!/usr/bin/env python3
"""Precision, recall and AER of mtaudit.text.word_alignment on the hand-aligned test set.

tests/data/hand_alignments.tsv holds 100 FLORES-200 wikinews sentence pairs aligned by
hand (held out of the aligner's priors). The deterministic decoder the checks use
(LexicalAligner), then eflomal in two settings: the 100 pairs in one call (a
100-sentence batch), and each pair alone (a one-sentence article: only the priors know
the words). eflomal samples at random, so its figures move by a point or two between runs.

    python scripts/word_alignment_eval.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtaudit.text.tokens import tokenize  # noqa: E402
from mtaudit.text.word_alignment import aligner, alignment_scores, lexical_aligner, read_hand_alignments  # noqa: E402


def main() -> int:
    rows = read_hand_alignments(ROOT / "tests" / "data" / "hand_alignments.tsv")
    pairs = [(en, tokenize(ar)) for en, ar, _ in rows]
    gold = [g for _, _, g in rows]
    lex = lexical_aligner()
    t = time.perf_counter()
    pred = lex.align(pairs)
    ms = (time.perf_counter() - t) / len(pairs) * 1000
    # The decoder's two settings were chosen on pairs 1-50; 51-100 were not looked at.
    for name, sl in (("all 100", slice(None)), ("pairs 1-50 (tuning)", slice(0, 50)), ("pairs 51-100", slice(50, None))):
        s = alignment_scores(gold[sl], pred[sl])
        print(f"lexical decoder, {name:20}  precision {s['precision']:.3f}  recall {s['recall']:.3f}  AER {s['aer']:.3f}  ({ms:.2f} ms per pair)")
    a = aligner()
    if a is None:
        print("eflomal is not installed: no eflomal figures", file=sys.stderr)
        return 0
    t = time.perf_counter()
    batch = a.align(pairs)
    t_batch = time.perf_counter() - t
    t = time.perf_counter()
    single = [a.align([p])[0] for p in pairs]
    t_single = (time.perf_counter() - t) / len(pairs)
    for name, pred, secs in (("batch of 100", batch, f"{t_batch:.2f} s in all"), ("one pair per call", single, f"{t_single * 1000:.0f} ms per pair")):
        s = alignment_scores(gold, pred)
        print(f"eflomal, {name:18}  precision {s['precision']:.3f}  recall {s['recall']:.3f}  AER {s['aer']:.3f}  ({secs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
