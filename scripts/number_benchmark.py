#!/usr/bin/env python3
"""Number checks (number-mismatch, unit-mismatch) on human translations: this code against
the previous release, side by side in one run.

Precision: the human Arabic references of ../shared/data (FLORES-200 devtest, TICO-19 test,
SemEval-2025 entity-aware MT training data) are audited against their English sources, and
FLORES and TICO once more without a source (a check that needs the source must stay
silent); every major finding there is a false flag (or a slip of the human translator).

Recall: one figure of a clean target is corrupted the way MT and careless editing corrupt
figures, and the checks must report the corrupted spot:

- ``changed``: a figure in digits replaced by another value (two digits transposed, or
  the last one moved): expect a major finding on it;
- ``scale``: the scale word of a figure changed or dropped (4.5 مليار → 4.5 مليون, 4.5):
  expect a major finding on it;
- ``unit``: the unit of a figure swapped for another of the same dimension, the figure
  kept (80 كيلومتراً → 80 ميلاً): expect a major finding on it;
- ``ident``: one digit of an identifier altered (a phone number, a code such as BA117):
  expect a major finding on it;
- ``dropped``: a figure in digits deleted: expect a finding (the omission, minor);
- ``month``: a month name next to a number replaced by another month: expect a major finding.

The corruptions are drawn once (seeded) from the items the current code reads and both
versions audit the same texts. The previous release is the code at git commit ``--old``
(default 3bd90eb), exported with ``git archive`` into a temporary folder and run in a
subprocess; each version imports its own ``mtaudit``. The split used to fit confidence
(scripts/fit_number_confidence.py) is the item's position: even = build, odd = held-out;
``--half`` restricts this benchmark to one half.

    python scripts/number_benchmark.py [--shared ../shared] [--old 3bd90eb] [--limit N] [--half build|held-out]

Measured 2026-12-01 on this project's 2-core machine (seed 13, limit 400; about 2 minutes),
previous release | this code:

    set                      words   major/10k       changed       unit          ident
    flores-arb               20240   0.00 | 0.00     0.96 | 0.95   0.00 | 1.00   0.00 | 1.00
    tico19-ar                50928   0.20 | 0.20     0.96 | 0.96   0.00 | 0.88   0.00 | 1.00
    semeval-ar               75203   0.13 | 0.13     1.00 | 0.99   0.00 | 1.00   0.00 | 1.00
    flores-arb (wire style)    353  84.99 | 0.00
    tico19-ar (wire style)    5008  67.89 | 0.00
    semeval-ar (wire style)    384 260.42 | 0.00
    without source           0 | 0 on FLORES and TICO-19

Scale changes and months 1.00 | 1.00, dropped figures 0.86-0.95 both; the full table and
the build / held-out halves are in docs/measurements.md ("Number checks, measured").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER_CHECKS = ("number-mismatch", "unit-mismatch")
KINDS = ("changed", "scale", "unit", "ident", "dropped", "month")
_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
# Arabic scale words and units to swap in (the benchmark's own corruptions, not data the
# checks read).
_SCALES = {"ألف": ["مليون", ""], "آلاف": ["ملايين", ""], "مليون": ["مليار", "ألف", ""], "ملايين": ["مليارات", "آلاف", ""],
           "مليار": ["مليون", "تريليون", ""], "مليارات": ["ملايين", ""], "بليون": ["مليون", ""], "تريليون": ["مليار", ""]}
_UNIT_SWAP = {"length": ["ميلاً", "كيلومتراً", "قدماً", "متراً"], "mass": ["كيلوغراماً", "رطلاً", "طناً"],
              "temperature": ["درجة مئوية", "درجة فهرنهايت"], "area": ["هكتاراً", "فداناً", "كيلومتراً مربعاً"],
              "speed": ["كيلومتراً في الساعة", "ميلاً في الساعة"], "volume": ["لتراً", "غالوناً"]}


def changed_figure(digits: str, rng: random.Random) -> str:
    """Another figure of the same length: two digits transposed, else the last one moved."""
    positions = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and digits[i].isdigit() and digits[i + 1].isdigit()]
    if positions:
        i = rng.choice(positions)
        return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    last = max(i for i, c in enumerate(digits) if c.isdigit())
    return digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]


def clean_sets(shared: Path) -> dict[str, list]:
    """name → articles; FLORES and TICO also without their sources."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from clean_copy_precision import corpora

    from mtaudit.types import Article

    found = {k: v for k, v in corpora(shared).items() if k != "seeds-human"}
    for name in list(found):
        wire = [r for r in map(restyled, found[name]) if r is not None]
        if wire:
            found[name + " (wire style)"] = wire
    for name in ("flores-arb", "tico19-ar"):
        if name in found:
            found[name + " (no source)"] = [Article(a.id, a.text, source=None) for a in found[name]]
    return found


# Wire-style rewrites of a clean pair that keep its meaning (the false-alarm classes of
# mtaudit issue 13): the English source as agency copy writes figures, and the Arabic with
# other digits and separators and a conversion added for readers. A finding on the
# rewritten pair is a false alarm as much as one on the original.
_EN_STYLE = [
    (r"([$£€])\s?(\d+(?:\.\d+)?) billion\b", r"\1\2bn"),
    (r"([$£€])\s?(\d+(?:\.\d+)?) million\b", r"\1\2m"),
    (r"(\d+(?:\.\d+)?) billion\b", r"\1bn"),
    (r"(\d+(?:\.\d+)?) million\b", r"\1 mln"),
    (r"(\d+(?:\.\d+)?) trillion\b", r"\1tn"),
    (r"(\d)\s?(?:%|percent\b)", r"\1 per cent"),
    (r"\b(?:10|ten) years\b", "a decade"),
    (r"\b(?:20|twenty) years\b", "two decades"),
    (r"\b(\d+) (?:kilometres|kilometers)\b", r"\1km"),
    (r"\b(\d+)\s?(?:miles)\b", r"\1-mile"),
    (r"\b(\d+) (?:feet)\b", r"\1ft"),
    (r"\b(\d+) (?:pounds)\b", r"\1lb"),
    (r"\b(\d),(\d{3})\b(?! (?:million|billion))", r"\1,\2"),
]
_INDIC = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")


def restyled(article):
    """The article with its source in wire style and its target in Arabic-Indic digits with
    Arabic separators (١٢٬٥٠٠, ٣٫٥); None when neither side changes."""
    import regex

    from mtaudit.types import Article

    source = article.source or ""
    for pattern, repl in _EN_STYLE:
        source = regex.sub(pattern, repl, source)
    target = regex.sub(r"\d+(?:[.,]\d+)*", lambda m: m.group().translate(_INDIC), article.text)
    if source == article.source:
        return None
    return Article(article.id, target, source=source)


def _unit_span(text: str, end: int, res):
    """(start, end, unit id) of the unit form written right after original offset ``end``."""
    from mtaudit.text.normalize import normalize
    from mtaudit.text.numbers import _unit_after

    norm = normalize(text)
    i = next((k for k, s in enumerate(norm.starts) if s >= end), None)
    if i is None:
        return None
    unit, uend = _unit_after(norm.text, i, res.units)
    if not unit:
        return None
    j = i
    while j < uend and norm.text[j] in " \u00a0-":
        j += 1
    s, e = norm.to_original(j, uend)
    return s, e, unit


def corruptions(article, res, rng: random.Random, kinds_wanted=KINDS):
    """(kind, corrupted text, offset expected in a finding or None) for one clean article."""
    from mtaudit.text.numbers import extract

    text = article.text
    mentions = extract(text, res)
    digits = [m for m in mentions if m.kind == "digits" and not m.in_date and not m.compound_part]
    out = []
    if digits and "changed" in kinds_wanted:
        m = rng.choice(digits)
        bad = changed_figure(m.text, rng)
        if bad != m.text:
            out.append(("changed", text[: m.start] + bad + text[m.end :], m.start))
    scaled = [m for m in digits if m.scale > 1 and text[m.start : m.end].split()[-1:] and text[m.start : m.end].split()[-1] in _SCALES]
    if scaled and "scale" in kinds_wanted:
        m = rng.choice(scaled)
        word = text[m.start : m.end].split()[-1]
        repl = rng.choice(_SCALES[word])
        head = text[m.start : m.end][: -len(word)].rstrip()
        out.append(("scale", text[: m.start] + head + (" " + repl if repl else "") + text[m.end :], m.start))
    if "unit" in kinds_wanted:
        with_unit = [(m, _unit_span(text, m.end, res)) for m in digits if m.unit and m.measure is not None]
        with_unit = [(m, sp) for m, sp in with_unit if sp]
        if with_unit:
            m, (us, ue, unit) = rng.choice(with_unit)
            dim = res.units.by_id[unit].dimension
            choices = [w for w in _UNIT_SWAP.get(dim, []) if _unit_of(w, res) and not _similar(_unit_of(w, res), unit, res)]
            if choices:
                out.append(("unit", text[:us] + rng.choice(choices) + text[ue:], m.start))
    idents = [m for m in mentions if m.kind == "ident" or (m.kind == "code" and any("a" <= c.lower() <= "z" for c in m.ident))]
    if idents and "ident" in kinds_wanted:
        m = rng.choice(idents)
        bad = changed_figure(m.text, rng)
        if bad != m.text:
            out.append(("ident", text[: m.start] + bad + text[m.end :], m.start))
    if digits and "dropped" in kinds_wanted:
        m = rng.choice(digits)
        out.append(("dropped", text[: m.start] + text[m.end :], None))
    months = [m for m in mentions if m.kind == "month"]
    if months and "month" in kinds_wanted:
        m = rng.choice(months)
        other = rng.choice([x for i, x in enumerate(_MONTHS, 1) if i != int(m.value)])
        out.append(("month", text[: m.start] + other + text[m.end :], m.start))
    return out


def _unit_of(word: str, res):
    from mtaudit.text.normalize import normalize
    from mtaudit.text.numbers import _unit_after

    unit, _ = _unit_after(normalize("1 " + word).text, 1, res.units)
    return unit


def _similar(a: str, b: str, res) -> bool:
    ua, ub = res.units.by_id[a], res.units.by_id[b]
    return a == b or (ua.dimension != "temperature" and max(ua.factor, ub.factor) / min(ua.factor, ub.factor) < 1.1)


def build_cases(shared: Path, limit: int, seed: int, half: str | None):
    from mtaudit.knowledge.resources import Resources

    res = Resources()
    rng = random.Random(seed)
    cases = []
    for name, articles in clean_sets(shared).items():
        for i, a in enumerate(articles):
            if half and (i % 2 == 0) != (half == "build"):
                continue
            cases.append({"set": name, "kind": "clean", "target": a.text, "source": a.source, "at": None})
        if "(no source)" in name or "(wire style)" in name:
            continue
        tallies = dict.fromkeys(KINDS, 0)
        order = [i for i in range(len(articles)) if not half or (i % 2 == 0) == (half == "build")]
        rng.shuffle(order)
        for i in order:
            a = articles[i]
            wanted = [k for k in KINDS if tallies[k] < limit]
            if not wanted:
                break
            for kind, text, at in corruptions(a, res, rng, wanted):
                tallies[kind] += 1
                cases.append({"set": name, "kind": kind, "target": text, "source": a.source, "at": at, "clean": a.text})
    return cases


def evaluate(cases_path: Path, out_path: Path) -> None:
    """Audit every case with the number checks of the mtaudit on sys.path (either version)."""
    from mtaudit.checks import load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.reports.tables import word_count
    from mtaudit.run.pipeline import audit_article
    from mtaudit.types import Article

    registry = load_all()
    specs = [registry[c] for c in NUMBER_CHECKS if c in registry]
    res = Resources()
    with cases_path.open(encoding="utf-8") as fin, out_path.open("w", encoding="utf-8") as fout:
        for line in fin:
            c = json.loads(line)
            result = audit_article(Article("b", c["target"], source=c["source"]), specs, res, score=False)
            fs = [(f.check, f.start, f.end, f.severity.value, f.category) for f in result.findings]
            fout.write(json.dumps({"findings": fs, "words": word_count(c["target"])}) + "\n")


def run_version(code_dir: Path, cases_path: Path, out_path: Path) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(code_dir))
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--evaluate", str(cases_path), str(out_path)],
        check=True, env=env, cwd=str(code_dir),
    )
    return [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]


def export_old(commit: str, into: Path) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_common import export_release

    return export_release(commit, into)


def summarise(cases, results):
    """{set: {"words", "major", "all", kind: (hits, n)}}"""
    out: dict[str, dict] = {}
    for c, r in zip(cases, results):
        s = out.setdefault(c["set"], {"words": 0, "major": 0, "all": 0, **{k: [0, 0] for k in KINDS}})
        fs = r["findings"]
        if c["kind"] == "clean":
            s["words"] += r["words"]
            s["major"] += sum(1 for f in fs if f[3] in ("major", "critical"))
            s["all"] += len(fs)
            continue
        at = c["at"]
        if at is None:
            hit = bool(fs)
        else:
            hit = any(f[3] in ("major", "critical") and f[1] <= at < max(f[2], at + 1) for f in fs)
        s[c["kind"]][0] += hit
        s[c["kind"]][1] += 1
    return out


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--evaluate":
        evaluate(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--old", default="3bd90eb", help="git commit of the previous release")
    ap.add_argument("--limit", type=int, default=400, help="corruptions per corpus and kind")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--half", choices=["build", "held-out"], help="only the even (build) or odd (held-out) items")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    cases = build_cases(args.shared, args.limit, args.seed, args.half)
    if not cases:
        print(f"no corpora under {args.shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases_path = tmp / "cases.jsonl"
        cases_path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
        old_dir = export_old(args.old, Path(tempfile.mkdtemp(dir=tmp)))
        old = summarise(cases, run_version(old_dir, cases_path, tmp / "old.jsonl"))
        new = summarise(cases, run_version(ROOT, cases_path, tmp / "new.jsonl"))
    print(f"number checks: previous release ({args.old}) | this code; seed {args.seed}, limit {args.limit}"
          + (f", {args.half} half" if args.half else ""))
    print(f"{'set':24} {'words':>7}  {'major/10k':>15}  {'all/10k':>15}  " + "  ".join(f"{k:>15}" for k in KINDS))
    for name in new:
        o, n = old[name], new[name]
        w = max(n["words"], 1)
        cells = [f"{1e4 * o['major'] / w:6.2f} | {1e4 * n['major'] / w:6.2f}", f"{1e4 * o['all'] / w:6.2f} | {1e4 * n['all'] / w:6.2f}"]
        for k in KINDS:
            hits_o, cnt = o[k]
            hits_n, _ = n[k]
            cells.append(f"{hits_o / cnt:.2f} | {hits_n / cnt:.2f}" + f" ({cnt})".rjust(5) if cnt else "-".rjust(15))
        print(f"{name:24} {n['words']:7}  " + "  ".join(f"{c:>15}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
