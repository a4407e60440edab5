"""What the benchmark and fitting scripts share: the clean copy, the fixed split, and running
a measurement in the previous release.

- :func:`clean_lines`: the human Arabic of ../shared/data with its English source, one line
  an item (FLORES-200 devtest, TICO-19 test, SemEval-2025 EA-MT train), at most ``limit``
  lines of each corpus, evenly spaced (the same lines whatever the limit's size is, for a
  given limit);
- :func:`held_out`: the fixed split, line index % 4 == 3 held out (the split of
  scripts/sense_data.py and scripts/source_aware_benchmark.py);
- :func:`export_release` and :func:`run_in_tree`: the previous release exported with
  ``git archive`` into a folder and a script run there in a subprocess, so that it imports
  its own ``mtaudit`` (a tree is measured by the code it ships, not by today's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Line:
    corpus: str
    index: int  # 0-based line number in the corpus file
    target: str
    source: str

    @property
    def held_out(self) -> bool:
        return held_out(self.index)


def held_out(index: int) -> bool:
    return index % 4 == 3


def clean_lines(shared: Path, limit: int = 0) -> list[Line]:
    """Clean human translations with their source; ``limit`` lines per corpus (0: all)."""
    out: list[Line] = []
    for name, ar, en in (
        ("flores", "data/flores200/arb_Arab.devtest", "data/flores200/eng_Latn.devtest"),
        ("tico19", "data/tico19/tico19-test.ar", "data/tico19/tico19-test.en"),
    ):
        if (shared / ar).is_file() and (shared / en).is_file():
            a = (shared / ar).read_text(encoding="utf-8").splitlines()
            e = (shared / en).read_text(encoding="utf-8").splitlines()
            rows = [Line(name, i, t, s) for i, (t, s) in enumerate(zip(a, e)) if t.strip() and s.strip()]
            out += _spread(rows, limit)
    sem = shared / "data/semeval2025_eamt_train/train.ar.jsonl"
    if sem.is_file():
        recs = [json.loads(line) for line in sem.read_text(encoding="utf-8").splitlines() if line.strip()]
        out += _spread([Line("semeval", i, r["target"], r["source"]) for i, r in enumerate(recs)], limit)
    return out


def _spread(rows: list[Line], limit: int) -> list[Line]:
    if not limit or len(rows) <= limit:
        return rows
    step = len(rows) / limit
    return [rows[int(k * step)] for k in range(limit)]


def human_seeds(shared: Path) -> list[tuple[str, str]]:
    """(id, text) of the human seed articles (000, 001, 003, 004; 002 is the MT seed)."""
    seeds = shared / "seeds"
    if not seeds.is_dir():
        return []
    return [
        (p.stem, p.read_text(encoding="utf-8-sig"))
        for p in sorted(seeds.glob("*.txt"))
        if not p.name.startswith("002")
    ]


def export_release(commit: str, into: Path) -> Path:
    """The release's ``mtaudit`` and ``references`` (``git archive``) under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "mtaudit", "references"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def run_in_tree(tree: Path, script: Path, *args: str) -> subprocess.Popen:
    """Start ``script`` with ``args`` in a subprocess that imports ``tree``'s mtaudit."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen([sys.executable, str(script), *args], env=env, cwd=str(tree))
