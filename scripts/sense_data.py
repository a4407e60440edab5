"""Labelled data for the wrong-sense check: clean copy and synthetic sense swaps.

Shared by scripts/fit_wrong_sense_confidence.py and scripts/wrong_sense_benchmark.py.

Clean copy: FLORES-200 devtest, TICO-19 test and SemEval-2025 EA-MT training pairs in
../shared/data, one line per article, with its English source. Fixed split: a line whose
0-based index i in its corpus has i % 4 == 3 is held out; the rest is the build part.

A sense swap corrupts a clean line the way MT does: where the Arabic has a rule's right
rendering (سوريا, غارات, محكمة) and the English source has the rule's English word (Syria,
airstrike, court), the right word is replaced by the rule's wrong form (سيارة, إضرابات,
ملعب), keeping the token's clitics and article (لسوريا → لسيارة). One swap per line and
rule, on the first eligible token.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from mtaudit.knowledge.senses import SenseRule, bare_forms, bare_key, trigger_spans
from mtaudit.text.tokens import tokenize


def held_out(index: int) -> bool:
    return index % 4 == 3


@dataclass(frozen=True)
class Line:
    corpus: str
    index: int
    source: str
    target: str
    domain: str = ""


def clean_lines(shared: Path) -> list[Line]:
    d = shared / "data"
    out: list[Line] = []
    fl_en, fl_ar = d / "flores200/eng_Latn.devtest", d / "flores200/arb_Arab.devtest"
    if fl_en.is_file() and fl_ar.is_file():
        with open(d / "flores200/metadata_devtest.tsv", encoding="utf-8") as f:
            meta = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        en, ar = fl_en.read_text(encoding="utf-8").splitlines(), fl_ar.read_text(encoding="utf-8").splitlines()
        out += [Line("flores", i, e, a, meta[i]["domain"]) for i, (e, a) in enumerate(zip(en, ar))]
    ti_en, ti_ar = d / "tico19/tico19-test.en", d / "tico19/tico19-test.ar"
    if ti_en.is_file() and ti_ar.is_file():
        en, ar = ti_en.read_text(encoding="utf-8").splitlines(), ti_ar.read_text(encoding="utf-8").splitlines()
        out += [Line("tico", i, e, a) for i, (e, a) in enumerate(zip(en, ar))]
    se = d / "semeval2025_eamt_train/train.ar.jsonl"
    if se.is_file():
        recs = [json.loads(l) for l in se.read_text(encoding="utf-8").splitlines() if l.strip()]
        out += [Line("semeval", i, r["source"], r["target"]) for i, r in enumerate(recs)]
    return [l for l in out if l.source.strip() and l.target.strip()]


@dataclass(frozen=True)
class Swap:
    line: Line
    rule_id: str
    target: str  # the corrupted Arabic
    start: int  # the swapped word in target
    end: int


def _single_words(forms) -> list[str]:
    return [f[0] for f in forms if len(f) == 1]


def sense_swaps(line: Line, rules: list[SenseRule], correct_of: dict[str, list[str]]) -> list[Swap]:
    """Every swap of ``line`` (see the module docstring). ``correct_of`` maps a rule id to
    its right renderings as written in wrong_sense.tsv."""
    tokens = tokenize(line.target)
    out = []
    for rule in rules:
        wrong = _single_words(rule.wrong)
        if not wrong or not rule.source_en or not trigger_spans(rule, line.source):
            continue
        right = {w for c in correct_of.get(rule.id, []) for w in _single_words([bare_key(c)])}
        for t in tokens:
            bare = next((b for b in sorted(bare_forms(t.folded), key=len) if b in right), None)
            if bare is None:
                continue
            cut = len(t.folded) - len(bare)
            prefix = t.text[:cut] if cut else ""
            if prefix.endswith("ال") and wrong[0].startswith("ال"):
                prefix = prefix[:-2]
            new = prefix + wrong[0]
            target = line.target[: t.start] + new + line.target[t.end :]
            out.append(Swap(line, rule.id, target, t.start, t.start + len(new)))
            break
    return out


def correct_forms(reference_dir: Path) -> dict[str, list[str]]:
    """rule id → its ``correct`` cell, split."""
    lines = [l for l in (reference_dir / "wrong_sense.tsv").read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return {r["id"]: [c.strip() for c in r["correct"].split("|") if c.strip()] for r in rows}
