#!/usr/bin/env python3
"""Precision and recall of every check, this tree beside the previous release.

Clean copy (every finding is a false alarm, or a slip of the human translator):
FLORES-200 devtest, TICO-19 test and SemEval-2025 EA-MT train (../shared/data), one line
an article, audited with and without the English source, each corpus and mode also as one
batch (for the batch checks), and the human seeds 000, 001, 003, 004 (no source). Per
check: major findings and all findings per 10,000 words.

Recall: the synthetic errors of scripts/check_corruptions.py (figures changed, senses
swapped, words doubled, placeholders dropped or altered, English left in Arabic letters
and in Latin, credit lines calqued, datelines scrambled, MT punctuation, a half of a quote
pair dropped, an adjective without its article, a name before its country, a name
misspelt once in a batch, a headline with three artifacts, house-style departures), at most --cases of each check
per corpus, audited with and without the source. A case is found when its check reports
a finding overlapping the corrupted span (any severity; "major" counts major or
critical). Controls (the same edit done right) count as false alarms: the share flagged
major is printed. Recall is given for the held-out part of the fixed split
(bench_common.held_out: line index % 4 == 3), on which no confidence model was fitted.

The previous release (--old, default 3bd90eb) is exported with ``git archive`` and both
trees run the same job in subprocesses, each importing its own mtaudit; a check the
release does not have shows "-".

    python scripts/check_benchmark.py [--limit 300] [--cases 40] [--old 3bd90eb] [--shared ../shared]

The default sample takes a few minutes on a 2-core machine; docs/measurements.md ("All checks:
precision and recall") has the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import clean_lines, export_release, human_seeds, run_in_tree  # noqa: E402

MAJOR = ("major", "critical")


def build_job(shared: Path, limit: int, per_check: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from check_corruptions import Kit, cases

    lines = clean_lines(shared, limit)
    kit = Kit(shared)
    taken: dict[tuple[str, str], int] = defaultdict(int)
    chosen = []
    # Held-out cases first, so that the recall that matters has the most cases.
    for c in sorted(cases(lines, kit), key=lambda c: not c.held_out):
        key = (c.check, c.corpus, c.control)
        if taken[key] < per_check:
            taken[key] += 1
            chosen.append(c.to_json())
    clean: dict[str, list] = defaultdict(list)
    for line in lines:
        clean[line.corpus].append([line.target, line.source])
    return {"clean": clean, "seeds": human_seeds(shared), "cases": chosen}


def measure(job_path: Path, out_path: Path, res=None) -> None:
    """Run in the tree on PYTHONPATH: audit the job with every check it has (``res``: its
    loaded reference data, when the caller has it)."""
    from mtaudit.checks import load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.reports.tables import word_count
    from mtaudit.run.pipeline import audit_article, run_batch_checks
    from mtaudit.types import Article, SegmentKind

    job = json.loads(job_path.read_text(encoding="utf-8"))
    registry = load_all()
    specs = list(registry.values())
    res = res or Resources()

    def batch(articles):
        results = [audit_article(a, specs, res, score=False) for a in articles]
        run_batch_checks(results, specs, res)
        return results

    out: dict = {"checks": sorted(registry), "clean": {}, "cases": []}

    def tally(key, results):
        words = sum(word_count(s.text) for r in results for s in r.segments if s.kind is not SegmentKind.BOILERPLATE)
        per = defaultdict(lambda: [0, 0])
        for r in results:
            for f in r.findings:
                per[f.check][0] += 1
                per[f.check][1] += f.severity.value in MAJOR
        out["clean"][key] = {"words": words, "findings": dict(per)}

    for corpus, rows in job["clean"].items():
        for with_source in (True, False):
            arts = [Article(f"{corpus}:{k}", t, source=s if with_source else None) for k, (t, s) in enumerate(rows)]
            tally(f"{corpus}|{'source' if with_source else 'no source'}", batch(arts))
    if job["seeds"]:
        tally("human seeds|no source", batch([Article(i, t) for i, t in job["seeds"]]))
    for k, c in enumerate(job["cases"]):
        for with_source in (True, False):
            arts = [Article(f"case{k}:{j}", t, source=s if with_source else None) for j, (t, s) in enumerate(c["articles"])]
            results = batch(arts)
            if c["at"] is None:
                fs = [f for r in results for f in r.findings if f.check == c["check"]]
            else:
                j, s, e = c["at"]
                fs = [f for f in results[j].findings if f.check == c["check"] and f.start < e and s < max(f.end, f.start + 1)]
            out["cases"].append([k, with_source, bool(fs), any(f.severity.value in MAJOR for f in fs)])
    out_path.write_text(json.dumps(out), encoding="utf-8")


def _per10k(n: int, words: int) -> str:
    return f"{1e4 * n / words:.2f}" if words else "-"


def report(job: dict, results: dict[str, dict]) -> list[str]:
    trees = list(results)
    checks = sorted(set().union(*(r["checks"] for r in results.values())))
    lines = ["Clean copy: major findings per 10,000 words (all findings), " + " | ".join(trees)]
    keys = list(results[trees[-1]]["clean"])
    head = f"{'check':20}" + "".join(f"{k:>28}" for k in keys)
    lines.append(head)
    worst = {}
    for check in checks:
        row = f"{check:20}"
        for key in keys:
            cells = []
            for t in trees:
                c = results[t]["clean"].get(key)
                if c is None or check not in results[t]["checks"]:
                    cells.append("-")
                    continue
                n, major = c["findings"].get(check, [0, 0])
                cells.append(f"{_per10k(major, c['words'])} ({_per10k(n, c['words'])})")
                if t == trees[-1]:
                    worst[check] = max(worst.get(check, 0.0), 1e4 * major / max(c["words"], 1))
            row += f"{' | '.join(cells):>28}"
        lines.append(row)
    words = {k: results[trees[-1]]["clean"][k]["words"] for k in keys}
    lines.append("words: " + ", ".join(f"{k} {w}" for k, w in words.items()))
    over = [c for c, v in worst.items() if v > 0.5]
    lines.append(f"checks above 0.5 major per 10k on some clean set ({trees[-1]}): {', '.join(over) or 'none'}")

    lines.append("")
    lines.append("Recall on synthetic errors, held-out part: found (major), " + " | ".join(trees))
    lines.append(f"{'check':20}{'class':28}{'n':>5}{'with source':>30}{'no source':>30}{'controls flagged major':>28}")
    cases = job["cases"]
    by_class: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(list))
    for t in trees:
        for k, with_source, found, major in results[t]["cases"]:
            c = cases[k]
            if not c["held_out"]:
                continue
            by_class[c["check"], c["kind"]][t, with_source, c["at"] is None].append((found, major))
    for (check, kind), cells in sorted(by_class.items()):
        n = len(cells.get((trees[-1], True, False), []))
        row = f"{check:20}{kind:28}{n:>5}"
        for with_source in (True, False):
            parts = []
            for t in trees:
                hits = cells.get((t, with_source, False), [])
                if not hits or check not in results[t]["checks"]:
                    parts.append("-")
                    continue
                parts.append(f"{sum(f for f, _ in hits) / len(hits):.2f} ({sum(m for _, m in hits) / len(hits):.2f})")
            row += f"{' | '.join(parts):>30}"
        parts = []
        for t in trees:
            ctl = cells.get((t, True, True), []) + cells.get((t, False, True), [])
            parts.append(f"{sum(m for _, m in ctl) / len(ctl):.2f}" if ctl and check in results[t]["checks"] else "-")
        row += f"{' | '.join(parts):>28}"
        lines.append(row)
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--old", default="3bd90eb", help="git commit of the previous release ('' to skip)")
    ap.add_argument("--limit", type=int, default=300, help="clean lines per corpus, evenly spaced (0: all)")
    ap.add_argument("--cases", type=int, default=40, help="synthetic errors (and as many controls) per check and corpus")
    ap.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(*args.measure)
        return 0
    if not (args.shared / "data").is_dir():
        print(f"no data under {args.shared}", file=sys.stderr)
        return 2
    job = build_job(args.shared, args.limit, args.cases)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        job_path = tmp / "job.json"
        job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        trees = {}
        if args.old:
            trees[args.old] = export_release(args.old, Path(tempfile.mkdtemp(dir=tmp)))
        trees["this tree"] = ROOT
        outs = {name: tmp / f"out{k}.json" for k, name in enumerate(trees)}
        procs = {name: run_in_tree(tree, Path(__file__).resolve(), "--measure", str(job_path), str(outs[name])) for name, tree in trees.items()}
        for name, proc in procs.items():
            if proc.wait() != 0:
                print(f"measurement failed in {name}", file=sys.stderr)
                return 1
        results = {name: json.loads(outs[name].read_text(encoding="utf-8")) for name in trees}
    print(f"check benchmark: --limit {args.limit} clean lines per corpus, --cases {args.cases}; previous release {args.old or '-'}")
    print("\n".join(report(job, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
