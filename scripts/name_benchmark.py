#!/usr/bin/env python3
"""Precision and recall of the name checks on real MT output, against a simple baseline.

Data (../shared/data, not part of the project): the HPLT English→Arabic MT output of
FLORES-200 devtest with its English source and human reference, and the clean human
targets of the SemEval-2025 entity-aware MT training data (with their English sources).

There are no gold name annotations, so a finding on MT output is *confirmed* when the
reference agrees with it: the suggested spelling occurs in the human reference of that
segment and the flagged spelling does not. Recall is pooled (as in IR evaluation): the
segments with a confirmed finding from either system are the positives. Clean-copy
false flags are findings on the human references (FLORES, SemEval), per 10,000 words.

The baseline is the plain rule the issue asks us to beat: a word that is rare in Arabic
(wordfreq zipf < 1.5), not an accepted gazetteer spelling, within Levenshtein distance 2
of a gazetteer name word, is flagged with that word as the suggestion.

    python scripts/name_benchmark.py [--shared ../shared] [--show]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from mtaudit.names.morphology import readings
from mtaudit.frequency import arabic_zipf
from mtaudit.normalize import fold
from mtaudit.pipeline import AuditConfig, audit
from mtaudit.resources import Resources
from mtaudit.tokens import tokenize
from mtaudit.names.channel import latin_to_arabic, split_article
from mtaudit.types import Article

NAME_CHECKS = ["name-garbled", "name-source", "name-inconsistent"]


def name_findings(findings):
    """The name checks' findings only (the alignment stage reports omissions of its own)."""
    return [f for f in findings if f.check in NAME_CHECKS]

_TEMPLATES = [
    "وقال {title} {name} للصحفيين إن المحادثات كانت مثمرة.",
    "وأضاف {name} أن الاجتماع سيعقد الأسبوع المقبل.",
]


def synthetic(gaz) -> list[tuple[Article, str, bool]]:
    """(article, accepted surnames, is_garbled) for every person's English surname form; a
    suggestion is right when it is the surname of any accepted form (نتانياهو or نتنياهو)."""
    items = []
    for ent in gaz.entities:
        if ent.type != "person":
            continue
        surnames = [e for e in ent.english if " " not in e.strip()]
        if not surnames:
            continue
        garbled = latin_to_arabic(surnames[0])  # a different process from the scorer
        right = tuple(dict.fromkeys(form.split()[-1] for form in ent.forms))
        title = ent.titles[0] if ent.titles else ""
        for k, tpl in enumerate(_TEMPLATES):
            # a rendering that happens to be an accepted spelling (بوجدانوف) is no garble
            for name, is_garbled in ((garbled, not gaz.is_accepted(fold(garbled))), (ent.canonical, False)):
                text = tpl.format(title=title, name=name).replace("  ", " ")
                items.append((Article(f"{ent.canonical}:{k}:{int(is_garbled)}", text), right, is_garbled))
    return items


def stems(text: str) -> set[str]:
    """Every reading (with and without clitics, with and without article) of every word."""
    out = set()
    for t in tokenize(text):
        for r in readings(t.folded):
            out.add(r.stem)
            out.add(split_article(r.stem)[1])
    return out


def confirmed(flagged: str, suggestion: str, reference: str) -> bool:
    ref = stems(reference)
    sugg = {r.stem for t in tokenize(suggestion) for r in readings(t.folded)}
    sugg |= {split_article(s)[1] for s in sugg}
    flag = {r.stem for t in tokenize(flagged) for r in readings(t.folded)}
    return bool(sugg & ref) and not (flag & ref)


def baseline(text: str, words: list[str], accepted) -> list[tuple[str, str]]:
    out = []
    for t in tokenize(text):
        if not t.is_arabic or accepted(t.folded) or arabic_zipf(t.text) >= 1.5:
            continue
        best = min(words, key=lambda w: Levenshtein.distance(t.folded, w, score_cutoff=3))
        if Levenshtein.distance(t.folded, best) <= 2:
            out.append((t.text, best))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    ap.add_argument("--show", action="store_true", help="print every finding with its verdict")
    args = ap.parse_args()
    hplt = args.shared / "data/hplt_flores200_mt/flores200-devtest.eng-arb.src_ref_hplt.tsv"
    semeval = args.shared / "data/semeval2025_eamt_train/train.ar.jsonl"
    if not hplt.is_file():
        print(f"{hplt} not found", file=sys.stderr)
        return 2
    with hplt.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    gaz = Resources().gazetteer
    gaz_words = sorted({p.folded for p in gaz.parts if len(split_article(p.folded)[1]) >= 3})

    config = AuditConfig(checks=NAME_CHECKS, jobs=2)
    mt = audit([Article(f"hplt:{r['line']}", r["hyp_hplt_mt"], source=r["src_eng"]) for r in rows], config)
    ref_run = audit([Article(f"ref:{r['line']}", r["ref_arb_human"], source=r["src_eng"]) for r in rows], config)

    systems: dict[str, dict[str, list[tuple[str, str, bool]]]] = {"mtaudit": {}, "baseline": {}}
    for row, res in zip(rows, mt.articles):
        ref = row["ref_arb_human"]
        for f in name_findings(res.findings):
            systems["mtaudit"].setdefault(row["line"], []).append((f.text, f.suggestion, confirmed(f.text, f.suggestion, ref)))
        for text, sugg in baseline(row["hyp_hplt_mt"], gaz_words, gaz.is_accepted):
            systems["baseline"].setdefault(row["line"], []).append((text, sugg, confirmed(text, sugg, ref)))
    positives = {line for sys_ in systems.values() for line, fs in sys_.items() if any(c for *_, c in fs)}

    print(f"HPLT MT of FLORES devtest: {len(rows)} segments; pooled positive segments: {len(positives)}")
    for name, found in systems.items():
        flagged = set(found)
        tp = len(flagged & positives)
        n = sum(len(v) for v in found.values())
        good = sum(c for v in found.values() for *_, c in v)
        p = tp / len(flagged) if flagged else 0.0
        r = tp / len(positives) if positives else 0.0
        print(
            f"  {name:9} segments flagged {len(flagged):4}  precision {p:.2f}  recall {r:.2f}"
            f"  (findings {n}, confirmed by the reference {good})"
        )
        if args.show:
            for line, fs in sorted(found.items(), key=lambda kv: int(kv[0])):
                for text, sugg, ok in fs:
                    print(f"    {line:>5} {'OK ' if ok else '-- '} {text} -> {sugg}")

    items = synthetic(gaz)
    syn = audit([a for a, _, _ in items], AuditConfig(checks=["name-garbled"], jobs=2))
    tp = fp = fn = tn = 0
    base_tp = base_fp = 0
    for (article, right, garbled), res in zip(items, syn.articles):
        hit = any(fold(f.suggestion).endswith(split_article(fold(r))[1]) for f in res.findings for r in right)
        tp += garbled and hit
        fn += garbled and not hit
        fp += (not garbled) and bool(res.findings)
        tn += (not garbled) and not res.findings
        b = baseline(article.text, gaz_words, gaz.is_accepted)
        base_tp += garbled and any(split_article(fold(r))[1] in sugg for _, sugg in b for r in right)
        base_fp += (not garbled) and bool(b)
        if args.show and garbled and not hit:
            print(f"    missed: {article.text}  (expected {' or '.join(right)})")
    pos = tp + fn
    print(
        f"Synthetic English-mediated garbles of {pos} gazetteer names (and {fp + tn} correct mentions):"
        f"\n  mtaudit   recall {tp / max(pos, 1):.2f}  false flags on correct mentions {fp}"
        f"\n  baseline  recall {base_tp / max(pos, 1):.2f}  false flags on correct mentions {base_fp}"
    )

    clean = [("FLORES human references", ref_run)]
    if semeval.is_file():
        records = [json.loads(x) for x in semeval.read_text(encoding="utf-8").splitlines() if x.strip()]
        clean.append(("SemEval entity-aware targets", audit([Article(r["id"], r["target"], source=r["source"]) for r in records], config)))
    for name, res in clean:
        words = sum(len(tokenize(a.article.text)) for a in res.articles)
        by_check = Counter(f.check for a in res.articles for f in name_findings(a.findings))
        total = sum(by_check.values())
        print(f"  clean: {name}: {words} words, {total} name findings = {1e4 * total / words:.2f} per 10k words {dict(by_check)}")
        if args.show:
            for a in res.articles:
                for f in name_findings(a.findings):
                    print(f"    {a.article.id} {f.check} {f.text} -> {f.suggestion}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
