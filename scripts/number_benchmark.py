#!/usr/bin/env python3
"""Precision and recall of the number-mismatch check on human translations.

Precision: the human Arabic references of ../shared/data (FLORES-200 devtest, TICO-19 test,
SemEval-2025 entity-aware MT training data) are audited against their English sources;
every number-mismatch finding there is a false flag or a slip of the human translator.

Recall: in the items the check passes, one figure of the target is corrupted the way MT
and careless editing corrupt figures, and the check must flag the corrupted copy:

- ``changed``: a figure in digits replaced by another value (digits transposed, or off by
  one in its last digit): expect a major finding on that figure;
- ``dropped``: a figure in digits deleted: expect a finding (the omission);
- ``month``: a month name next to a number replaced by another month: expect a major
  finding on that month.

    python scripts/number_benchmark.py [--shared ../shared] [--limit N] [--show KIND]

Measured 2026-12-01 (number-mismatch v2, seed 13, limit 400; recall is over the items the
check passes, so it moves a little as precision changes):

    corpus      clean-copy flags / 10k words   recall changed   dropped   month
    FLORES      0.49 (1 item)                  0.960            0.931     0.909 (11)
    TICO-19     0.20 (1 item)                  0.965            0.850     0.993
    SemEval     1.99 (14 items; most are the   0.995            0.938     0.966 (29)
                translators' slips: 1947 written تسعمائة وسبعة وأربعين)

Version 1 of the check flagged 24.7 / 22.6 / 36.0 per 10k words on the same copy
(ordinals, decades, compounds with و, Roman numerals and identifiers were not understood).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean_copy_precision import corpora  # noqa: E402

from mtaudit.checks import load_all  # noqa: E402
from mtaudit.numbers import extract  # noqa: E402
from mtaudit.pipeline import audit_article  # noqa: E402
from mtaudit.report import word_count  # noqa: E402
from mtaudit.resources import Resources  # noqa: E402
from mtaudit.types import Article  # noqa: E402

_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


def changed_figure(digits: str, rng: random.Random) -> str:
    """Another figure of the same length: two digits transposed, else the last one moved."""
    positions = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and digits[i].isdigit() and digits[i + 1].isdigit()]
    if positions:
        i = rng.choice(positions)
        return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    last = max(i for i, c in enumerate(digits) if c.isdigit())
    return digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    ap.add_argument("--limit", type=int, default=400, help="corrupted items per corpus and kind")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", choices=["clean", "changed", "dropped", "month"], help="print the misses (or the clean-copy flags)")
    args = ap.parse_args()
    spec = [load_all()["number-mismatch"]]
    res = Resources()
    rng = random.Random(args.seed)
    found = {k: v for k, v in corpora(args.shared).items() if k != "seeds-human"}
    if not found:
        print(f"no corpora under {args.shared}", file=sys.stderr)
        return 2

    def findings(target: str, source: str):
        return audit_article(Article("b", target, source=source), spec, res).findings

    for name, articles in found.items():
        words = flagged_items = flags = 0
        silent: list[Article] = []
        for a in articles:
            fs = findings(a.text, a.source)
            words += word_count(a.text)
            if fs:
                flagged_items += 1
                flags += len(fs)
                if args.show == "clean":
                    print(f"  {a.id}: {[(f.text[:30], f.message[:80]) for f in fs]}")
            else:
                silent.append(a)
        print(f"{name}: {len(articles)} items, {words} words; clean-copy flags {flags} in {flagged_items} items"
              f" = {1e4 * flags / max(words, 1):.2f} per 10k words")
        tallies = {"changed": [0, 0], "dropped": [0, 0], "month": [0, 0]}
        rng.shuffle(silent)
        for a in silent:
            mentions = extract(a.text, res)
            digits = [m for m in mentions if m.kind == "digits" and not m.in_date]
            months = [m for m in mentions if m.kind == "month"]
            cases = []
            if digits and tallies["changed"][1] < args.limit:
                m = rng.choice(digits)
                bad = changed_figure(m.text, rng)
                if bad != m.text:
                    cases.append(("changed", a.text[: m.start] + bad + a.text[m.end :], m.start, lambda f: f.severity.value == "major"))
            if digits and tallies["dropped"][1] < args.limit:
                m = rng.choice(digits)
                cases.append(("dropped", a.text[: m.start] + a.text[m.end :], None, lambda f: True))
            if months and tallies["month"][1] < args.limit:
                m = rng.choice(months)
                other = rng.choice([x for i, x in enumerate(_MONTHS, 1) if i != int(m.value)])
                cases.append(("month", a.text[: m.start] + other + a.text[m.end :], m.start, lambda f: f.severity.value == "major"))
            for kind, text, at, good in cases:
                fs = findings(text, a.source)
                hit = any(good(f) and (at is None or f.start <= at < max(f.end, at + 1)) for f in fs)
                tallies[kind][0] += hit
                tallies[kind][1] += 1
                if args.show == kind and not hit:
                    print(f"  miss {a.id}: {text[:120]!r}")
        for kind, (hit, n) in tallies.items():
            if n:
                print(f"  recall {kind:8} {hit:4}/{n:<4} = {hit / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
