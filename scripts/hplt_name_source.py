#!/usr/bin/env python3
"""name-source on real MT with its source: HPLT's English→Arabic MT of FLORES-200 devtest, judged against the human reference.

Data: ../shared/data/hplt_flores200_mt/flores200-devtest.eng-arb.src_ref_hplt.tsv (1,012
lines: English source, human Arabic reference, HPLT v1.0 MT; see ../shared/data/README.md),
never copied here. Each line is audited as one article (the MT as target, the English as
source) with name-source alone, and each finding is judged against the human reference:

- a finding on a word (garbled, replaced) is **right** when the reference does not write
  that word (its stem, clitics and article aside: mtaudit.names.morphology.readings): the
  human spells the name differently, or writes something else there; of those, **agrees**
  counts the ones whose suggestion the reference writes;
- a **missing** finding (the passage never writes the name) is right when name-source,
  run on the reference with the same source, finds that name rendered there: the human
  wrote it and the MT did not.

The human reference is audited the same way: what name-source raises on it is a false
alarm on clean copy (an upper bound: the reference may itself misspell a name).

Fixed split: a line is held out when crc32 of its line number (as text) is odd, build when
even; thresholds are chosen only on the build half, and both halves are printed.

    python scripts/hplt_name_source.py [--shared ../shared] [--show]   # about a minute

Whichever mtaudit is importable is measured (PYTHONPATH=another tree measures that one).
"""

from __future__ import annotations

import argparse
import csv
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TSV = Path("data/hplt_flores200_mt/flores200-devtest.eng-arb.src_ref_hplt.tsv")
CHECK = "name-source"


def held_out(line_id: str) -> bool:
    return zlib.crc32(line_id.encode()) % 2 == 1


def read_lines(shared: Path) -> list[dict]:
    with (shared / TSV).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def name_of(message: str) -> str:
    """The source name a name-source message is about ("The source names X; ..." or "..., but")."""
    rest = message.removeprefix("The source names ")
    cut = [i for i in (rest.find("; "), rest.find(", but ")) if i >= 0]
    return rest[: min(cut)] if cut else rest


def kind_of(finding) -> str:
    if finding.category == "omission":
        return "missing"
    return "garbled" if "sounded out" in finding.message else "replaced"


def stems(text: str) -> set[str]:
    """Folded stems of every word of ``text``, without clitics and article."""
    from mtaudit.names.channel import split_article
    from mtaudit.names.morphology import readings
    from mtaudit.text.tokens import tokenize

    out = set()
    for t in tokenize(text):
        if t.is_arabic:
            out.add(t.folded)
            out.update(split_article(r.stem)[1] for r in readings(t.folded))
    return out


def judge(finding, reference: str, ref_names: set[str]) -> tuple[bool, bool]:
    """(right, agrees) of one finding on the MT (see the module docstring); ``ref_names``
    are the names name-source reports on the reference."""
    from mtaudit.names.channel import split_article
    from mtaudit.text.normalize import fold

    if kind_of(finding) == "missing":
        return name_of(finding.message) not in ref_names, False
    ref = stems(reference)
    word = stems(finding.text) or {fold(finding.text)}
    right = not (word & ref)
    suggestion = split_article(fold(finding.suggestion))[1] if finding.suggestion else ""
    return right, bool(suggestion) and right and bool(stems(finding.suggestion) & ref or suggestion in ref)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--show", action="store_true", help="print every finding with its judgement")
    args = ap.parse_args()
    if not (args.shared / TSV).is_file():
        print(f"{args.shared / TSV} not found", file=sys.stderr)
        return 2
    from mtaudit.checks import load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import audit_article
    from mtaudit.text.tokens import tokenize
    from mtaudit.types import Article, Severity

    specs = [load_all()[CHECK]]
    res = Resources()
    stats = {part: {"lines": 0, "words": 0, "ref_words": 0, "found": 0, "major": 0, "right": 0, "right_major": 0, "agrees": 0, "ref_found": 0, "ref_major": 0}
             for part in ("build", "held out")}
    for row in read_lines(args.shared):
        part = "held out" if held_out(row["line"]) else "build"
        s = stats[part]
        src, mt, ref = row["src_eng"], row["hyp_hplt_mt"], row["ref_arb_human"]
        mt_findings = audit_article(Article(f"l{row['line']}", mt, source=src), specs, res, score=False).findings
        ref_findings = audit_article(Article(f"r{row['line']}", ref, source=src), specs, res, score=False).findings
        mt_findings = [f for f in mt_findings if f.check == CHECK]
        ref_findings = [f for f in ref_findings if f.check == CHECK]
        ref_names = {name_of(f.message) for f in ref_findings}
        s["lines"] += 1
        s["words"] += len(tokenize(mt))
        s["ref_words"] += len(tokenize(ref))
        s["ref_found"] += len(ref_findings)
        s["ref_major"] += sum(f.severity != Severity.MINOR for f in ref_findings)
        for f in mt_findings:
            right, agrees = judge(f, ref, ref_names)
            major = f.severity != Severity.MINOR
            s["found"] += 1
            s["major"] += major
            s["right"] += right
            s["right_major"] += right and major
            s["agrees"] += agrees
            if args.show:
                print(f"{part:8} l{row['line']:>4} {'RIGHT' if right else 'wrong'} {kind_of(f):8} {f.severity.value:5} {f.confidence:.2f} "
                      f"{f.text} → {f.suggestion} | {name_of(f.message)}")
        if args.show:
            for f in ref_findings:
                print(f"{part:8} r{row['line']:>4} REF   {kind_of(f):8} {f.severity.value:5} {f.confidence:.2f} {f.text[:30]} → {f.suggestion} | {name_of(f.message)}")
    print(f"{CHECK} on HPLT MT of FLORES-200 devtest with source, judged against the human reference")
    print(f"{'part':9} {'lines':>5} {'words':>6} {'found':>5} {'/10k':>6} {'right':>5} {'prec':>5} {'major':>5} {'prec':>5} {'agrees':>6}  {'ref: found':>10} {'/10k':>6} {'major/10k':>9}")
    for part, s in stats.items():
        prec = f"{s['right'] / s['found']:.2f}" if s["found"] else "-"
        prec_major = f"{s['right_major'] / s['major']:.2f}" if s["major"] else "-"
        print(f"{part:9} {s['lines']:5d} {s['words']:6d} {s['found']:5d} {1e4 * s['found'] / s['words']:6.1f} {s['right']:5d} {prec:>5} "
              f"{s['major']:5d} {prec_major:>5} {s['agrees']:6d}  {s['ref_found']:10d} {1e4 * s['ref_found'] / s['ref_words']:6.1f} "
              f"{1e4 * s['ref_major'] / s['ref_words']:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
