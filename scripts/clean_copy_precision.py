#!/usr/bin/env python3
"""False-flag rate of every check on clean human Arabic.

Audits the human Arabic references in ../shared/data (FLORES-200 devtest, TICO-19 test,
SemEval-2025 entity-aware MT training targets), one line per article with its English
source line (so source-aware checks run too), and the human seed articles, and prints
for each check: lines
flagged, share of lines flagged, findings per 10,000 words, and by severity. Clean copy
should come out (nearly) clean: every finding here is a false flag, or a real error in the
human text worth a look (use --show to print them).

    python scripts/clean_copy_precision.py [--shared ../shared] [--show CHECK] [--checks IDS]
        [--enable IDS] [--corpora flores-arb,tico19-ar,semeval-ar,seeds-human] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from mtaudit.inputs.readers import read_inputs
from mtaudit.reports.tables import word_count
from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.types import Article, SegmentKind


def corpora(shared: Path) -> dict[str, list[Article]]:
    out = {}
    pairs = (
        ("flores-arb", "data/flores200/arb_Arab.devtest", "data/flores200/eng_Latn.devtest"),
        ("tico19-ar", "data/tico19/tico19-test.ar", "data/tico19/tico19-test.en"),
    )
    for name, rel, src_rel in pairs:
        path, src_path = shared / rel, shared / src_rel
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            sources = src_path.read_text(encoding="utf-8").splitlines() if src_path.is_file() else []
            if len(sources) != len(lines):
                sources = [None] * len(lines)
            out[name] = [
                Article(f"{name}:{i + 1}", line, source=src) for i, (line, src) in enumerate(zip(lines, sources)) if line.strip()
            ]
    semeval = shared / "data/semeval2025_eamt_train/train.ar.jsonl"
    if semeval.is_file():
        records = [json.loads(line) for line in semeval.read_text(encoding="utf-8").splitlines() if line.strip()]
        out["semeval-ar"] = [Article(f"semeval:{r['id']}", r["target"], source=r["source"]) for r in records]
    seeds = shared / "seeds"
    if seeds.is_dir():
        arts = read_inputs([seeds]).articles
        out["seeds-human"] = [a for a in arts if not a.id.startswith("002")]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    ap.add_argument("--show", help="print the findings of this check")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--checks", default="", help="comma-separated check ids (default: all)")
    ap.add_argument("--enable", default="", help="comma-separated off-by-default checks to run too (house style)")
    ap.add_argument("--corpora", default="", help="comma-separated corpus names (default: all)")
    ap.add_argument("--limit", type=int, default=0, help="audit only the first N items of each corpus")
    args = ap.parse_args()
    found = corpora(args.shared)
    if args.corpora:
        found = {k: v for k, v in found.items() if k in args.corpora.split(",")}
    if args.limit:
        found = {k: v[: args.limit] for k, v in found.items()}
    if not found:
        print(f"no clean corpora under {args.shared}", file=sys.stderr)
        return 2
    for name, articles in found.items():
        checks = [c for c in args.checks.split(",") if c]
        enable = [c for c in args.enable.split(",") if c]
        result = audit(articles, AuditConfig(jobs=args.jobs, checks=checks, enable=enable, score=False))
        words = sum(
            word_count(s.text) for a in result.articles for s in a.segments if s.kind is not SegmentKind.BOILERPLATE
        )
        per_check = collections.defaultdict(lambda: {"articles": set(), "n": 0, "sev": collections.Counter()})
        for a in result.articles:
            for f in a.findings:
                c = per_check[f.check]
                c["articles"].add(a.article.id)
                c["n"] += 1
                c["sev"][f.severity.value] += 1
                if args.show == f.check:
                    print(f"  {a.article.id} [{f.severity.value}] {f.text!r}: {f.message}")
        print(f"{name}: {len(articles)} items, {words} words, {len(result.crashes)} crashes")
        for check, c in sorted(per_check.items()):
            share = 100 * len(c["articles"]) / len(articles)
            print(
                f"  {check:22} items {len(c['articles']):5} ({share:5.2f}%)  findings {c['n']:5}"
                f"  per 10k words {1e4 * c['n'] / max(words, 1):7.2f}  {dict(c['sev'])}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
