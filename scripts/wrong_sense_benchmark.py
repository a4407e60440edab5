#!/usr/bin/env python3
"""wrong-sense: false alarms on clean copy and recall on sense swaps, this tree vs a release.

Clean copy (human translations, every finding is a false alarm): FLORES-200 devtest,
TICO-19 test, SemEval-2025 EA-MT training targets (../shared/data), one line per article,
audited with and without the English source: major wrong-sense findings per 10,000 words
(and all findings). Recall: the synthetic sense swaps of scripts/sense_data.py (the right
word of a rule replaced by its wrong form where the source has the rule's English word),
audited with and without the source; a swap is found when a wrong-sense finding overlaps
it (any severity; "major" counts the major ones). Recall is given for the build and
held-out parts of the fixed split (sense_data.held_out), and over the swaps of the rules
the release also has.

The same measurement runs in a subprocess for each tree, with PYTHONPATH pointed at it;
the previous release is a git worktree of commit 3bd90eb:

    git worktree add --detach /tmp/ws-old 3bd90eb
    python scripts/wrong_sense_benchmark.py [--old /tmp/ws-old] [--shared ../shared] [--limit N]

The release's matcher is slow (about 0.1 s a line on a loaded 2-core machine), so the
figures in docs/measurements.md were taken with --limit 600 (the first 600 lines of each corpus,
with and without source; the swaps come from every line).

Measured on this project's 2-core machine, 2026-12-01 (see docs/measurements.md, "Wrong-sense benchmark", for the table).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(job_path: Path) -> dict:
    """Run in the tree on PYTHONPATH: audit the job's articles with wrong-sense only."""
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import AuditConfig, audit
    from mtaudit.text.tokens import tokenize
    from mtaudit.types import Article

    job = json.loads(job_path.read_text(encoding="utf-8"))
    cfg = AuditConfig(checks=["wrong-sense"], jobs=1, score=False, align=True)
    out: dict = {"rules": sorted(r.id for r in Resources().wrong_sense), "clean": {}, "swaps": []}
    for name, lines in job["clean"].items():
        for with_source in (True, False):
            arts = [Article(f"{name}:{k}", l["target"], source=l["source"] if with_source else None) for k, l in enumerate(lines)]
            res = audit(arts, cfg)
            words = sum(len(tokenize(a.text)) for a in arts)
            fs = [f for a in res.articles for f in a.findings if f.check == "wrong-sense"]
            out["clean"][f"{name}|{'source' if with_source else 'no source'}"] = {
                "words": words,
                "major": sum(f.severity.value in ("major", "critical") for f in fs),
                "all": len(fs),
            }
    swaps = job["swaps"]
    for with_source in (True, False):
        arts = [Article(f"swap:{k}", s["target"], source=s["source"] if with_source else None) for k, s in enumerate(swaps)]
        res = audit(arts, cfg)
        by_id = {a.article.id: a for a in res.articles}
        for k, s in enumerate(swaps):
            fs = [
                f
                for f in by_id[f"swap:{k}"].findings
                if f.check == "wrong-sense" and f.start < s["end"] and s["start"] < f.end
            ]
            out["swaps"].append(
                {
                    "k": k,
                    "source": with_source,
                    "found": bool(fs),
                    "major": any(f.severity.value in ("major", "critical") for f in fs),
                }
            )
    return out


def build_job(shared: Path, limit: int = 0) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    from sense_data import clean_lines, correct_forms, held_out, sense_swaps

    from mtaudit.knowledge.resources import Resources

    rules = Resources().wrong_sense
    lines = clean_lines(shared)
    correct = correct_forms(ROOT / "references")
    clean: dict[str, list] = {}
    swaps = []
    for line in lines:
        if not limit or len(clean.get(line.corpus, ())) < limit:
            clean.setdefault(line.corpus, []).append({"source": line.source, "target": line.target})
        for s in sense_swaps(line, rules, correct):
            swaps.append(
                {
                    "rule": s.rule_id,
                    "corpus": line.corpus,
                    "held_out": held_out(line.index),
                    "source": line.source,
                    "target": s.target,
                    "start": s.start,
                    "end": s.end,
                }
            )
    return {"clean": clean, "swaps": swaps}


def start_tree(tree: Path, job_path: Path, out_path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(job_path), "--out", str(out_path)],
        env=env,
        cwd=str(tree),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--old", type=Path, default=Path("/tmp/ws-old"), help="worktree of the previous release (3bd90eb)")
    ap.add_argument("--limit", type=int, default=0, help="first N lines of each clean corpus (0: all); swaps come from every line")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        args.out.write_text(json.dumps(measure(args.measure)), encoding="utf-8")
        return 0
    job = build_job(args.shared, args.limit)
    if not job["clean"]:
        print(f"no clean corpora under {args.shared}", file=sys.stderr)
        return 2
    trees = {"this tree": ROOT}
    if (args.old / "mtaudit").is_dir():
        trees = {"3bd90eb": args.old, **trees}
    else:
        print(f"no previous release at {args.old} (git worktree add --detach {args.old} 3bd90eb)", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        job_path = Path(tmp) / "job.json"
        job_path.write_text(json.dumps(job), encoding="utf-8")
        outs = {name: Path(tmp) / f"out{k}.json" for k, name in enumerate(trees)}
        procs = {name: start_tree(tree, job_path, outs[name]) for name, tree in trees.items()}  # side by side
        for name, proc in procs.items():
            if proc.wait() != 0:
                print(f"measurement failed in {name}", file=sys.stderr)
                return 1
        results = {name: json.loads(outs[name].read_text(encoding="utf-8")) for name in trees}
    names = list(results)
    print("Major wrong-sense findings per 10k words on clean copy (all findings in brackets):")
    print(f"{'set':28}" + "".join(f"{n:>18}" for n in names))
    for key in results[names[0]]["clean"]:
        row = f"{key:28}"
        for n in names:
            c = results[n]["clean"][key]
            row += f"{1e4 * c['major'] / c['words']:>10.2f} ({1e4 * c['all'] / c['words']:5.2f})"
        print(row)
    common = set.intersection(*(set(r["rules"]) for r in results.values()))
    swaps = job["swaps"]
    print(f"\nRecall on {len(swaps)} synthetic sense swaps (found, any severity / major):")
    print(f"{'swaps':40}" + "".join(f"{n:>18}" for n in names))
    groups = [
        ("with source, build", lambda s, src: src and not s["held_out"]),
        ("with source, held-out", lambda s, src: src and s["held_out"]),
        ("no source, build", lambda s, src: not src and not s["held_out"]),
        ("no source, held-out", lambda s, src: not src and s["held_out"]),
        ("with source, rules in both releases", lambda s, src: src and s["rule"] in common),
        ("no source, rules in both releases", lambda s, src: not src and s["rule"] in common),
    ]
    for label, keep in groups:
        row = f"{label:40}"
        for n in names:
            rs = [r for r in results[n]["swaps"] if keep(swaps[r["k"]], r["source"])]
            found = sum(r["found"] for r in rs) / len(rs) if rs else 0.0
            major = sum(r["major"] for r in rs) / len(rs) if rs else 0.0
            row += f"   {found:5.3f} / {major:5.3f}"
        print(row + f"   (n={len(rs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
