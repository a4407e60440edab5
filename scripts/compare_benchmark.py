"""Does `mtaudit compare` see a corrupted delivery? HPLT MT of FLORES-200 devtest vs a copy
with N segments corrupted.

Builds two JSONL deliveries from ../shared/data/hplt_flores200_mt (one record per FLORES
line, grouped into articles by source URL, with the FLORES human reference): OLD is the
HPLT output as published, NEW the same with ``--corrupt`` segments (chosen with a fixed
seed) corrupted the way broken MT is: half the sentence dropped, a word stuttered, an
English word left in. Then runs ``mtaudit compare OLD NEW`` and prints its verdict, the
p-values and where the corrupted articles rank.

    python scripts/compare_benchmark.py --limit 300 --corrupt 50
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hplt_flores200_mt" / "flores200-devtest.eng-arb.src_ref_hplt.tsv"


def corrupt(text: str, rng: random.Random, english: str) -> str:
    words = text.split()
    if len(words) < 4:
        return text + " " + english
    kind = rng.randrange(3)
    if kind == 0:  # omission: the second half dropped
        return " ".join(words[: len(words) // 2]) + "."
    if kind == 1:  # stutter
        i = rng.randrange(1, len(words) - 1)
        return " ".join(words[: i + 1] + [words[i]] + words[i + 1 :])
    i = rng.randrange(1, len(words) - 1)  # an English word left untranslated
    return " ".join(words[:i] + [english] + words[i:])


def build(limit: int, n_corrupt: int, folder: Path, seed: int = 12345) -> set[str]:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:limit]
    urls: dict[str, str] = {}
    rng = random.Random(seed)
    chosen = set(rng.sample(range(len(rows)), n_corrupt))
    corrupted_articles = set()
    with (folder / "old.jsonl").open("w", encoding="utf-8") as old, (folder / "new.jsonl").open("w", encoding="utf-8") as new:
        for i, r in enumerate(rows):
            aid = urls.setdefault(r["url"], f"a{len(urls) + 1:03d}")
            rec = {"id": f"l{r['line']}", "article_id": aid, "target": r["hyp_hplt_mt"], "source": r["src_eng"], "reference": r["ref_arb_human"]}
            old.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if i in chosen:
                english = max(r["src_eng"].split(), key=len).strip('.,"')
                rec = {**rec, "target": corrupt(r["hyp_hplt_mt"], rng, english)}
                corrupted_articles.add(aid)
            new.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return corrupted_articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1012)
    ap.add_argument("--corrupt", type=int, default=50)
    ap.add_argument("--samples", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bad = build(args.limit, args.corrupt, folder)
        out = folder / "cmp"
        proc = subprocess.run(
            [sys.executable, "-m", "mtaudit.cli", "compare", str(folder / "old.jsonl"), str(folder / "new.jsonl"),
             "--out", str(out), "--samples", str(args.samples)],
            capture_output=True, text=True,
        )
        print(proc.stdout, proc.stderr, sep="\n")
        data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
        ranked = [r["article_id"] for r in data["articles"]]
        top = ranked[: len(bad)]
        print(f"exit {proc.returncode}; {len(bad)} corrupted articles of {len(ranked)}; "
              f"{len(set(top) & bad)} of them in the top {len(bad)}")


if __name__ == "__main__":
    main()
