#!/usr/bin/env python3
"""How much of real copy the gazetteer covers, curated alone and with the built layer.

Reads third-party data from ../shared/data (never copied into the project):

- SemEval-2025 Task 2 entity-aware MT, en→ar train (semeval2025_eamt_train/train.ar.jsonl):
  its entities' Wikidata ids found among the gazetteer's ids, and the names its English
  questions use found among the gazetteer's English forms;
- FLORES-200 devtest English (flores200/eng_Latn.devtest): its capitalised names (runs of
  capitalised words, a sentence's first word alone not counted) found among the English forms.

For every name found, ``agree`` says whether the human Arabic of the same line contains one
of the entity's accepted forms (folded, clitics allowed): how often the gazetteer's spelling
is the one translators wrote. ``--restoration`` measures the built gazetteer's hamza
restoration instead (scripts/build_gazetteer.py, Restorer) on the CC0 Wikidata name tokens.

    python scripts/gazetteer_coverage.py [--built FILE] [--restoration]
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from mtaudit.knowledge.resources import Resources  # noqa: E402
from mtaudit.text.normalize import fold  # noqa: E402

TOKEN = regex.compile(r"\p{Lu}[\p{L}\p{M}'’.\-]*|[\p{Ll}][\p{L}\p{M}'’.\-]*")
MAX_NGRAM = 6


def english_index(entities) -> dict[str, list]:
    index: dict[str, list] = defaultdict(list)
    for e in entities:
        for form in e.english:
            index[" ".join(form.replace("’", "'").split())].append(e)
    return index


def mentions(text: str, index: dict[str, list]) -> list[tuple[str, object]]:
    """English forms found in ``text`` (longest first, not overlapping)."""
    toks = [m.group(0).rstrip(".,'’").replace("’", "'") for m in TOKEN.finditer(text)]
    out, i = [], 0
    while i < len(toks):
        for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
            span = " ".join(toks[i : i + n])
            if span[:1].isupper() and span in index:
                out.append((span, index[span]))
                i += n
                break
        else:
            i += 1
    return out


def agrees(entities, arabic: str) -> bool:
    target = " " + " ".join(fold(w) for w in regex.findall(r"[\p{L}\p{M}]+", arabic)) + " "
    for e in entities:
        for form in e.forms:
            f = " ".join(fold(w) for w in regex.findall(r"[\p{L}\p{M}]+", form))
            if f and regex.search(rf"(?:^| )(?:[وفبلك]|ال|بال|وال|لل)?{regex.escape(f)}(?: |$)", target):
                return True
    return False


def layers(built: Path | None) -> dict[str, list]:
    """The entities of the curated gazetteer, of the built rows it adds, and of both."""
    from mtaudit.knowledge.reference_tables import read_tsv, schema_for

    curated = Resources()
    layered = Resources(built_gazetteer=True)
    if built is not None:
        # another built file in place of the bundled one (the cached property's slot)
        layered.__dict__["built_gazetteer_rows"] = read_tsv(built, schema_for("gazetteer_built.tsv"))
    built_name = built.name if built is not None else "gazetteer_built.tsv"
    both = layered.gazetteer.entities
    return {
        "curated": curated.gazetteer.entities,
        "built (rows not overridden)": [e for e in both if built_name in e.origin],
        "curated+built": both,
    }


def semeval(sets: dict[str, list]) -> None:
    path = SHARED / "semeval2025_eamt_train" / "train.ar.jsonl"
    if not path.is_file():
        print(f"{path} not present; skipped")
        return
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    qids = Counter(q for it in items for q in it["entities"])
    print(f"\nSemEval-2025 EA-MT en→ar train: {len(items)} questions, {len(qids)} distinct entity ids")
    print("| layer | entity ids in the gazetteer | questions naming an entry | names found | their type (person/place/organisation) | Arabic reference agrees |")
    print("|---|---|---|---|---|---|")
    for name, ents in sets.items():
        ids = {e.wikidata for e in ents if e.wikidata}
        hit_ids = [q for q in qids if q in ids]
        index = english_index(ents)
        n_items = n_found = n_agree = 0
        types = Counter()
        for it in items:
            found = mentions(it["source"], index)
            if found:
                n_items += 1
            for _, es in found:
                n_found += 1
                types[es[0].type] += 1
                n_agree += agrees(es, it["target"])
        print(
            f"| {name} | {len(hit_ids)} of {len(qids)} ({sum(qids[q] for q in hit_ids)} uses) | {n_items} | {n_found} | "
            f"{types['person']}/{types['place']}/{types['organisation']} | {n_agree} ({n_agree / max(n_found, 1):.0%}) |"
        )


def crosscheck(sets: dict[str, list]) -> None:
    """The built people against the curated ones (same person by English form: is the spelling
    one the curated row accepts?) and their name words against the CC0 Wikidata name tokens
    (../shared/data/wikidata_person_names, an independent mining of Wikidata)."""
    from mtaudit.text.tokens import words

    built = Resources(built_gazetteer=False)
    rows = built.built_gazetteer_rows
    by_english: dict[str, list] = defaultdict(list)
    for r in rows:
        for e in r["english"].split("|"):
            by_english[e.casefold()].append(r)
    curated_people = [e for e in sets["curated"] if e.type == "person"]
    found = agree = 0
    for ent in curated_people:
        hits = {id(r): r for e in ent.english for r in by_english.get(e.casefold(), []) if r["type"] == "person"}
        if not hits:
            continue
        found += 1
        accepted = {" ".join(fold(w) for w in words(f)) for f in ent.forms}
        agree += any(
            " ".join(fold(w) for w in words(f)) in accepted
            for r in hits.values()
            for f in [r["canonical"], *filter(None, r["variants"].split("|"))]
        )
    print(f"\nCurated people also in the built file (by English form): {found} of {len(curated_people)}; "
          f"a built spelling is one the curated row accepts for {agree} of them")
    path = SHARED / "wikidata_person_names" / "wd_arabic.normalized.aligned.tokens"
    if not path.is_file():
        return
    tokens: Counter = Counter()
    exact: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        _, arabic, n = line.split("\t")
        word = arabic.replace(" ", "")
        tokens[fold(word)] += int(n)
        exact.add(word)
    people = [r for r in rows if r["type"] == "person"]
    ws = [w for r in people for w in words(r["canonical"])]
    known = sum(fold(w) in tokens for w in ws)
    same = sum(w in exact for w in ws if fold(w) in tokens)
    print(f"Built people's canonical name words: {len(ws)}; in the Wikidata name tokens (folded): {known} ({known / len(ws):.0%}); "
          f"of those, spelled exactly as there (hamza, ى, ة): {same} ({same / max(known, 1):.0%})")


def capitalised_names(line: str) -> list[str]:
    toks = [m.group(0).rstrip(".,'’").replace("’", "'") for m in TOKEN.finditer(line)]
    runs, cur, start = [], [], 0
    for i, t in enumerate(toks + ["x"]):
        if t[:1].isupper():
            if not cur:
                start = i
            cur.append(t)
        else:
            if cur and not (start == 0 and len(cur) == 1):
                runs.append(" ".join(cur))
            cur = []
    return runs


def flores(sets: dict[str, list]) -> None:
    eng = SHARED / "flores200" / "eng_Latn.devtest"
    arb = SHARED / "flores200" / "arb_Arab.devtest"
    if not eng.is_file():
        print(f"{eng} not present; skipped")
        return
    en_lines = eng.read_text(encoding="utf-8").splitlines()
    ar_lines = arb.read_text(encoding="utf-8").splitlines() if arb.is_file() else [""] * len(en_lines)
    names = [(i, n) for i, line in enumerate(en_lines) for n in capitalised_names(line)]
    distinct = {n for _, n in names}
    print(f"\nFLORES-200 devtest English: {len(en_lines)} lines, {len(names)} capitalised names ({len(distinct)} distinct)")
    print("| layer | names that are an English form (all / distinct) | names containing one | forms found in the lines | Arabic reference agrees |")
    print("|---|---|---|---|---|")
    for name, ents in sets.items():
        index = english_index(ents)
        exact = [n for _, n in names if n in index]
        contains = [n for _, n in names if mentions(n, index)]
        n_found = n_agree = 0
        for i, line in enumerate(en_lines):
            for _, es in mentions(line, index):
                n_found += 1
                n_agree += agrees(es, ar_lines[i])
        print(
            f"| {name} | {len(exact)} / {len(set(exact))} | {len(contains)} | {n_found} | {n_agree} ({n_agree / max(n_found, 1):.0%}) |"
        )


def restoration() -> None:
    """Build/held-out accuracy of the hamza restoration on the Wikidata person-name tokens."""
    import importlib.util

    from arabic_name_romanizer.normalize import lookup_key
    from wordfreq import get_frequency_dict

    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build
    spec.loader.exec_module(build)
    path = SHARED / "wikidata_person_names" / "wd_arabic.normalized.aligned.tokens"
    gold: dict[str, Counter] = defaultdict(Counter)
    for line in path.read_text(encoding="utf-8").splitlines():
        _, arabic, n = line.split("\t")
        word = arabic.replace(" ", "")
        gold[lookup_key(word)][word] += int(n)
    restore = build.Restorer(get_frequency_dict("ar"))
    print("\nHamza/ى/ة restoration on Wikidata person-name tokens (gold: each key's most frequent spelling; token-weighted)")
    print("| split (crc32 of key) | tokens | key as it is | restored |")
    print("|---|---|---|---|")
    for part, label in ((0, "build (even)"), (1, "held-out (odd)")):
        total = bare = ok = 0
        for key, spellings in gold.items():
            if zlib.crc32(key.encode()) % 2 != part:
                continue
            best, n = spellings.most_common(1)[0][0], sum(spellings.values())
            total += n
            bare += n * (key == best)
            ok += n * (restore(key) == best)
        print(f"| {label} | {total} | {bare / total:.1%} | {ok / total:.1%} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--built", type=Path, help="a built gazetteer file to measure instead of the bundled one")
    ap.add_argument("--restoration", action="store_true", help="measure the spelling restoration only")
    args = ap.parse_args()
    if args.restoration:
        restoration()
        return 0
    sets = layers(args.built)
    for name, ents in sets.items():
        print(f"{name}: {len(ents)} entities ({Counter(e.type for e in ents)})")
    semeval(sets)
    flores(sets)
    crosscheck(sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
