#!/usr/bin/env python3
"""mtaudit.names.meaning on the glosses, build half and held-out half: does the translation of an English word stand out?

Each gloss of scripts/data/english_word_glosses.tsv (an English word that is also a name
part, and the Arabic word MT writes when it translates it) is put into a SemEval-2025
EA-MT pair drawn with a fixed seed (../shared/data/semeval2025_eamt_train): the English
word among the source's words, its gloss among the target's. Two rates:

- **found**: ``means(english, gloss, ...)`` says the gloss translates the English word (the
  two are mutual nearest neighbours in the unit);
- **false, one word**: the same pair without the gloss, asked about one content word of
  the target drawn at random (the check asks only about the one word standing in the name
  part's place): the rate at which such a question is wrongly answered yes;
- **false, any word**: some Arabic word of the unit is nonetheless the English word's mutual
  nearest neighbour (an upper bound: the English word's nearest word is mutual).

Fixed split of the glosses: held out when crc32 of the English word is odd. meaning.py's
choices (the passage form, CSLS over the unit, the function-word cut-offs) were made on
all glosses before 2026-12-02; from then on they are chosen on the build half only, and
both halves are reported.

    python scripts/meaning_benchmark.py [--shared ../shared]   # about a minute
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSES = ROOT / "scripts" / "data" / "english_word_glosses.tsv"


def held_out(english: str) -> bool:
    return zlib.crc32(english.encode()) % 2 == 1


def glosses() -> list[tuple[str, str]]:
    rows = []
    for line in GLOSSES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip() or line.startswith("english\t"):
            continue
        english, arabic = line.split("\t")[:2]
        rows.append((english.strip(), arabic.strip()))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    path = args.shared / "data/semeval2025_eamt_train/train.ar.jsonl"
    if not path.is_file():
        print(f"{path} not found", file=sys.stderr)
        return 2
    import regex

    from mtaudit.names.meaning import means
    from mtaudit.text.tokens import tokenize

    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    rng = random.Random(5)
    stats = {part: {"n": 0, "found": 0, "judged": 0, "false": 0, "false_judged": 0, "one": 0, "one_judged": 0} for part in ("build", "held out")}
    for english, gloss in glosses():
        s = stats["held out" if held_out(english) else "build"]
        r = records[rng.randrange(len(records))]
        source_words = [w for w in regex.findall(r"\p{L}+", r["source"]) if len(w) >= 2]
        arabic = [t.text for t in tokenize(r["target"]) if t.is_arabic and len(t.folded) >= 2]
        s["n"] += 1
        found = means(english, gloss, arabic, source_words + [english])
        s["judged"] += found is not None
        s["found"] += bool(found)
        # without the gloss: does any word of the unit pass for the English word's translation?
        answers = [means(english, w, [x for x in arabic if x != w], source_words + [english]) for w in dict.fromkeys(arabic)]
        if arabic:
            one = answers[list(dict.fromkeys(arabic)).index(rng.choice(arabic))]
            s["one_judged"] += one is not None
            s["one"] += bool(one)
        if any(a is not None for a in answers):
            s["false_judged"] += 1
            s["false"] += any(bool(a) for a in answers)
    print("mtaudit.names.meaning on the glosses (scripts/data/english_word_glosses.tsv), each in a SemEval pair")
    print(f"{'part':9} {'glosses':>7} {'found':>12} {'false, one word':>16} {'false, any word':>16}")
    for part, s in stats.items():
        print(f"{part:9} {s['n']:7d} {s['found']:5d}/{s['judged']:<3d} {s['found'] / max(1, s['judged']):.2f} "
              f"{s['one']:6d}/{s['one_judged']:<3d} {s['one'] / max(1, s['one_judged']):.2f}"
              f"{s['false']:8d}/{s['false_judged']:<3d} {s['false'] / max(1, s['false_judged']):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
