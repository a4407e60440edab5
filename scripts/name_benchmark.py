#!/usr/bin/env python3
"""The name checks against the previous release, side by side: recall and false flags.

Both versions audit the same cases (``--old``, default 7b30dd9, the stop of 2026-12-02, is
exported with ``git archive`` and run in a subprocess; each imports its own ``mtaudit``; the
first release, 3bd90eb, predates mtaudit.text, which the harness imports). Name checks:
name-garbled and name-source (article scope). Data from ../shared/data, never copied here.

Cases:

- **clean copy** (false flags per 10,000 words, all and major): FLORES-200 devtest and
  TICO-19 test human Arabic with and without their English source, SemEval-2025 EA-MT
  human targets with and without source (without source they are target-only,
  out-of-domain encyclopaedic text), and the human seeds 000, 001, 003, 004;
- **gazetteer garbles, no source**: English-mediated garbles (the rule reader
  ``latin_to_arabic`` and random edits of the classes English causes) of gazetteer people in
  wire-style sentences, for the entities held out from the confidence fit (crc32 mod 4 = 0);
  a hit is a name finding on the garbled word whose suggestion is an accepted spelling;
- **garbles of names NOT in the gazetteer, with source**: two-word names from the held-out
  split of Google's transliteration pairs (its test file) whose surname is Arabic (its
  Arabic spelling has a letter the Latin spelling loses: ع ح ء ض ظ ذ ث ص ط ق), the surname
  replaced by its rule-reader rendering, in "President X Y said ..." / "قال الرئيس ...";
  a hit is a name finding on the garbled word; the clean sentence counts for false flags;
  since 2026-12-02 (third stop) a rule reading that kept every such letter (ارثور for
  ارثر, Arthur: a vowel added, nothing lost) is a set of its own, "rule readings that
  lost no letter" (before, about 7% of the set, never found by any version);
  one draw has about 55 such names, so ``--draws K`` adds K - 1 further draws (other splits
  of the file into given names and surnames, seeds ``DRAW_SEED + k``) as their own sets,
  and prints the recall pooled over the draws with its 95% interval and its range per draw;
- **unlisted names, clean, with source**: sentences naming people no gazetteer lists, two
  words of Google's test file written as Wikidata or Google spell them
  (fit_name_confidence.attested_name_sentences): false flags on names no model has seen;
  since 2026-12-02 (third stop) one per two held-out SemEval pairs, the density of
  name-source's confidence fit (fit_name_confidence.NAMED_PER_PAIR; was ``--pairs``), so
  that name-source's reliability table comes at the fit's mix;
- **gazetteer garbles with no evidence** (the garble alone, nothing else about the entity):
  reported apart, as the gates are meant to keep these silent;
- **SemEval corruptions, with source**: entity-bearing SemEval pairs held out from the fit
  (crc32 of the id mod 4 = 0) with a person's name dropped, replaced by a common word,
  replaced by another person's name, or garbled (its rule reading or random
  English-mediated edits; SemEval's names are mostly Western, for which that is often a
  variant); a hit is any name finding (for the garbled kind, one on the garbled word:
  since 2026-12-02, third stop). Each kind is its own set, and so is legitimate
  variation (the given name left out, another rendering the model finds nearly as likely),
  where a finding is a false flag. The "SemEval errors" line pools dropped, common word and
  other name (before 2026-12-02 the one SemEval line pooled the variation sets in too);
- **SemEval half-translated, with source**: every held-out SemEval pair whose person's name
  has a word that is an English word (scripts/data/english_word_glosses.tsv), that word's
  rendering replaced by its Arabic meaning (its own row, not in the pooled line).
- **unlisted people near a gazetteer name, clean** (since 2026-12-02): the confidence fit's
  hard negatives (fit_name_confidence.hard_negatives: a real Wikidata name word that spells
  close to a gazetteer person's, in that person's contexts) and pair negatives (two such
  words side by side, each near a part of one person), held-out words only: false flags of
  the class "a foreign name corrected to the nearest gazetteer person", and the negatives
  of the reliability table (without them its rows are nearly all planted garbles). Since
  2026-12-02 (second stop) the hard negatives are drawn at the fit's count
  (fit_name_confidence.HARD_NEGATIVES, 12,000 contexts; was 8 x --pairs), so that the
  reliability table's held-out rows come at the mix the confidence was fitted at: with a
  fifth as many look-alikes per planted garble its middle bins observed about 0.2 more
  right than predicted, a prior shift (a logit offset of about 1.3 explained it; the
  per-set predictions matched the fit's held-out rows);
- **real MT, HPLT**: the HPLT en→ar v1.0 output of FLORES-200 devtest
  (../shared/data/hplt_flores200_mt), its lines grouped into articles by their FLORES url (281
  articles of 1–6 lines), audited without and with the English source by every name check,
  name-inconsistent included (each half is one batch). Split by article, crc32 of the url mod
  2: 0 is the build half (looked at while working, and used by the confidence fit), 1 the
  held-out half, reported apart. Findings per 10,000 words (all and major) and their
  precision, judged against the human reference by :func:`judge_against_reference`:

    a finding is right when the reference spells the flagged name differently from the MT
    and the finding's suggestion agrees with the reference: wrong when the flagged word
    (or its stem, clitics read off) is itself a word of the reference (the translator wrote
    it so); right when the suggestion's stem is; otherwise the reference's word for the name
    is its word (a stem of three letters or more) nearest either the flagged word or the
    suggestion (normalised Levenshtein similarity), and the finding is right only when that
    word is nearer the suggestion, at 0.6 or more (حراء for the suggestion حرا against
    هيرا), and wrong when nearer the flagged word (تماسيس: the MT's تاماسي is nearer than a
    suggested توماس). A finding with no suggestion is right when the flagged word is not
    in the reference.

  ``--show-mt`` prints every HPLT finding with its verdict (for checking the judge by eye).

After the table, a reliability table per name check: its findings' confidence against
whether each was right, on the held-out cases (reliability_rows), with the mix it is
measured on (findings right and wrong per case set); then the same with one logit offset
fitted on those rows (prior_shift: what a change of mix explains).

    python scripts/name_benchmark.py [--shared ../shared] [--old 7b30dd9] [--pairs N] [--limit LINES] [--built] [--clean-offset N] [--draws K] [--show-mt]

``--clean-offset 600 --limit 1000`` reads clean copy the default run never reads (FLORES and
TICO after line 600, SemEval's other three quarters): a check of thresholds chosen on it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME_CHECKS = ["name-garbled", "name-source"]
#: the checks of the real-MT row, batch checks included (run over each half as one batch)
MT_CHECKS = ["name-garbled", "name-source", "name-inconsistent"]
HPLT_TSV = "data/hplt_flores200_mt/flores200-devtest.eng-arb.src_ref_hplt.tsv"
KEY_ALL, KEY_MAJOR = "all", "major"
_SEMEVAL_ERRORS = ("dropped", "common-word", "other-name")
#: the random seed of the non-gazetteer set's draw k (k >= 1; draw 0 is the run's own sequence)
DRAW_SEED = 1000
NON_GAZETTEER = "non-gazetteer names, source"
NOTHING_LOST = "non-gazetteer rule readings that lost no letter, source"


def build_cases(shared: Path, pairs: int, limit: int, offset: int = 0, draws: int = 1) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_name_confidence as fitting

    from mtaudit.knowledge.resources import Resources
    from mtaudit.names.transliteration import default_model
    from mtaudit.text.tokens import tokenize

    gaz = Resources().gazetteer
    rng = random.Random(7)
    cases: list[dict] = []
    taken: dict[str, int] = {}
    for held, key, text, source in fitting.clean_copy(shared):
        corpus = key.split(":")[0] + ("" if source or key.startswith("seed") else " (no source)")
        if key.startswith("semeval") and bool(zlib.crc32(key.encode()) % 4) != bool(offset):
            continue  # a quarter of SemEval keeps the run short (with --clean-offset, the other three)
        if not key.startswith("seed"):
            taken[corpus] = taken.get(corpus, 0) + 1
            semeval = key.startswith("semeval")
            if taken[corpus] > (limit if semeval else limit + offset) or (taken[corpus] <= offset and not semeval):
                continue
        cases.append({"set": f"clean: {corpus}", "kind": "clean", "target": text, "source": source, "held": held})
    # words of the sentences the garbles are put in: a finding on one of them, or on a right
    # spelling of a name, is wrong (for the reliability table); one on another garbled part
    # of the name (the "every part garbled" context) is right
    filler_words = {t.folded for f in fitting._FILLERS for t in tokenize(f.format(x=""))}
    for held, text, source, garbled, context in fitting.synthetic_errors(gaz, rng, with_context=True):
        if held and source is None:
            accepted = sorted({w for t in tokenize(text) for w in [t.folded] if w == garbled})
            if accepted:
                # the garble alone with no evidence about the entity must stay silent: its own set
                name = "gazetteer garbles, no evidence" if fitting.CONTEXTS[context] == "no evidence" else "gazetteer garbles, no source"
                fine = sorted({t.folded for t in tokenize(text) if t.folded in filler_words or gaz.is_accepted(t.folded)})
                cases.append({"set": name, "kind": "garbled", "target": text, "source": None, "word": garbled, "fine": fine})
    # names outside the gazetteer: Google's held-out transliteration pairs
    test_file = shared / "data/google_transliteration/ar2en-test.txt"
    # further draws of the same file (another split into given names and surnames, each its
    # own random sequence so that no other set moves): one draw holds about 55 names, too
    # few for its recall to say whether a bar of 0.6 is met (print_draws)
    for draw in range(draws):
        drawn = rng if draw == 0 else random.Random(DRAW_SEED + draw)
        name = NON_GAZETTEER + (f", draw {draw}" if draw else "")
        for src, clean, garbled_target, garbled in fitting.unlisted_name_sentences(test_file, gaz, drawn, pairs):
            cases.append({"set": name, "kind": "clean", "target": clean, "source": src, "draw": draw})
            # a rule reading that kept every letter Latin cannot write (ارثور for ارثر, Arthur)
            # is a variant, not the garble this set measures: its own set (since 2026-12-02,
            # third stop; before, it counted as a missed garble)
            lost = set(planted_word(garbled_target, clean)) & fitting._LOST_IN_LATIN - set(garbled)
            cases.append({"set": name if lost else NOTHING_LOST + (f", draw {draw}" if draw else ""), "kind": "garbled",
                          "target": garbled_target, "source": src, "word": garbled, "draw": draw})
    # people no gazetteer lists, written as Wikidata or Google's pairs spell them (Google's
    # test file, never fitted on): clean copy dense with names the models have not seen
    from fit_garble_pair import load_pairs

    spelled, parts = load_pairs(shared)
    records = [json.loads(x) for x in (shared / "data/semeval2025_eamt_train/train.ar.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    # at the confidence fit's density (fit_name_confidence.NAMED_PER_PAIR, since 2026-12-02,
    # third stop; was ``--pairs`` sentences, a fifth of it): the reliability table's
    # held-out rows come at the mix name-source's confidence was fitted at
    named = round(fitting.NAMED_PER_PAIR * min(pairs * 4, sum(1 for r in records if fitting.held_out(r["id"]))))
    for src, clean in fitting.attested_name_sentences(parts["google_test"], spelled, gaz, random.Random(11), named):
        cases.append({"set": "clean: unlisted names, attested spellings, source", "kind": "clean", "target": clean, "source": src})
    held_records = [r for r in records if fitting.held_out(r["id"])][: pairs * 4]
    originals = {r["source"]: r["target"] for r in held_records}
    for held, source, target, corrupted, kind in fitting.source_corruptions(held_records, gaz, default_model(), rng):
        if corrupted is None:
            continue
        # one set per kind: the errors (recall), and legitimate variation, where a finding
        # is a false flag (its "recall" should stay near 0)
        what = f"should stay silent: {kind[3:]}" if kind.startswith("ok:") else kind
        case = {"set": f"SemEval {what}, source", "kind": kind, "target": target, "source": source}
        if kind == "garbled":
            # a hit is a finding on the garbled word itself (since 2026-12-02, third stop;
            # before, any name finding in the case counted)
            case["word"] = planted_word(originals[source], target)
        cases.append(case)
    # half-translated names (a name word rendered by its English meaning): every held-out
    # pair whose person's name has a word with a gloss, as few pairs have one
    for held, source, target, corrupted, kind in fitting.half_translations([r for r in records if fitting.held_out(r["id"])], gaz, default_model()):
        cases.append({"set": f"SemEval {kind}, source", "kind": kind, "target": target, "source": source})
    # people no gazetteer lists whose names spell close to a gazetteer person's (the fit's
    # hard and pair negatives, held-out words only): clean copy of the class "a foreign
    # name corrected to the nearest gazetteer person", and the negatives of the
    # reliability table
    # as many contexts as the fit draws (HARD_NEGATIVES), so that the reliability table's
    # held-out rows come at the fit's mix of garbles and look-alikes (print_reliability)
    for held, text, source, word in fitting.hard_negatives(gaz, shared, random.Random(5), fitting.HARD_NEGATIVES):
        if held:
            corpus = "unlisted people near a gazetteer name" + (", source" if source else ", no source")
            cases.append({"set": f"clean: {corpus}", "kind": "clean", "target": text, "source": source, "held": True})
    for held, text, source, word in fitting.pair_negatives(gaz, shared, random.Random(5)):
        if held:
            cases.append({"set": "clean: unlisted two-word names, both near one person, no source", "kind": "clean",
                          "target": text, "source": source, "held": True})
    cases += hplt_cases(shared)
    return cases


def planted_word(original: str, corrupted: str) -> str:
    """The folded word that ``corrupted`` has where ``original`` has another (the one
    corruption of a SemEval target): the first token that differs."""
    from mtaudit.text.tokens import tokenize

    before, after = [t.folded for t in tokenize(original)], [t.folded for t in tokenize(corrupted)]
    return next((b for a, b in zip(before, after) if a != b), after[-1] if len(after) > len(before) else "")


def hplt_articles(shared: Path) -> list[dict]:
    """HPLT's MT of FLORES-200 devtest as articles (lines of one FLORES url, in order): url,
    held (crc32 of the url mod 2 is 1), hyp, ref, src (lines joined by newlines)."""
    with (shared / HPLT_TSV).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_url: dict[str, list[dict]] = {}
    for r in rows:
        by_url.setdefault(r["url"], []).append(r)
    return [
        {
            "url": url,
            "held": zlib.crc32(url.encode("utf-8")) % 2 == 1,
            "hyp": "\n".join(r["hyp_hplt_mt"] for r in rs),
            "ref": "\n".join(r["ref_arb_human"] for r in rs),
            "src": "\n".join(r["src_eng"] for r in rs),
        }
        for url, rs in by_url.items()
    ]


def hplt_cases(shared: Path) -> list[dict]:
    """The real-MT cases: each HPLT article without and with its source; each (half, with or
    without source) is one batch for name-inconsistent."""
    if not (shared / HPLT_TSV).is_file():
        return []
    cases = []
    for with_source in (False, True):
        for a in hplt_articles(shared):
            name = f"real MT: HPLT, {'source' if with_source else 'no source'}, {'held out' if a['held'] else 'build'}"
            cases.append({"set": name, "kind": "mt", "target": a["hyp"], "source": a["src"] if with_source else None,
                          "ref": a["ref"], "held": a["held"], "batch": name})
    return cases


def judge_against_reference(flagged: str, suggestion: str, reference: str) -> bool:
    """Whether a name finding on MT output is right, by the human reference (the rule is in
    the module docstring): folded forms, clitics read off (mtaudit.names.morphology)."""
    from rapidfuzz.distance import Levenshtein

    from mtaudit.names.morphology import readings
    from mtaudit.text.normalize import fold
    from mtaudit.text.tokens import tokenize

    def stems(word: str) -> set[str]:
        return {r.stem for r in readings(fold(word))}

    ref_stems = set().union(*(stems(t.text) for t in tokenize(reference) if t.is_arabic)) if reference else set()
    flagged_words = [t.text for t in tokenize(flagged) if t.is_arabic]
    if any(stems(w) & ref_stems for w in flagged_words):
        return False
    suggested = [t.text for t in tokenize(suggestion or "") if t.is_arabic]
    if not suggested:
        return True
    if all(stems(w) & ref_stems for w in suggested):
        return True
    # the reference's word for the name: the one nearest either spelling (a short word, ما,
    # is near anything)
    s = max((r.stem for w in suggested for r in readings(fold(w))), key=len)
    f = max((r.stem for w in flagged_words for r in readings(fold(w))), key=len, default="")
    sim = Levenshtein.normalized_similarity
    best = max((r for r in ref_stems if len(r) >= 3), key=lambda r: (max(sim(r, s), sim(r, f)), r), default=None)
    if best is None:
        return False
    return sim(best, s) >= 0.6 and sim(best, s) > sim(best, f)


def evaluate(cases_path: Path, out_path: Path) -> None:
    """Audit every case with the name checks of the mtaudit on sys.path (either version)."""
    from mtaudit.checks import load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import audit_article
    from mtaudit.text.normalize import fold
    from mtaudit.text.tokens import tokenize
    from mtaudit.types import Article

    registry = load_all()
    specs = [registry[c] for c in NAME_CHECKS if c in registry]
    mt_specs = [registry[c] for c in MT_CHECKS if c in registry]
    try:
        from mtaudit.run.pipeline import run_batch_checks
    except ImportError:  # a version without batch checks: the article checks only
        run_batch_checks = None
    # the previous release has no built gazetteer: it ignores the variable
    res = Resources(built_gazetteer=True) if os.environ.get("NAME_BENCHMARK_BUILT") == "1" else Resources()
    cases = [json.loads(line) for line in cases_path.read_text(encoding="utf-8").splitlines()]
    results = []
    batches: dict[str, list] = {}
    for k, c in enumerate(cases):
        batch = c.get("batch")
        article = Article(f"b{k}", c["target"], source=c["source"])
        result = audit_article(article, mt_specs if batch else specs, res, score=False)
        results.append(result)
        if batch:
            batches.setdefault(batch, []).append(result)
    if run_batch_checks is not None:
        for members in batches.values():
            run_batch_checks(members, mt_specs, res)
    with out_path.open("w", encoding="utf-8") as fout:
        for c, result in zip(cases, results):
            fs = [
                (fold(f.text), fold(f.suggestion), f.severity.value, f.category, f.check, getattr(f, "confidence", None))
                for f in result.findings
                if f.category in ("name", "omission")
            ]
            fout.write(json.dumps({"findings": fs, "words": len(tokenize(c["target"]))}) + "\n")


def run_version(code_dir: Path, cases_path: Path, out_path: Path, built: bool = False) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(code_dir), NAME_BENCHMARK_BUILT="1" if built else "0")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--evaluate", str(cases_path), str(out_path)], check=True, env=env, cwd=str(code_dir))
    return [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]


def summarise(cases: list[dict], results: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for c, r in zip(cases, results):
        s = out.setdefault(c["set"], {"words": 0, "all": 0, "major": 0, "hits": 0, "n": 0})
        fs = r["findings"]
        if c["kind"] == "mt":
            s["words"] += r["words"]
            s["all"] += len(fs)
            s["major"] += sum(1 for f in fs if f[2] in ("major", "critical"))
            verdicts = [judge_against_reference(f[0], f[1], c["ref"]) for f in fs]
            s["right"] = s.get("right", 0) + sum(verdicts)
            s["right_major"] = s.get("right_major", 0) + sum(v for v, f in zip(verdicts, fs) if f[2] in ("major", "critical"))
        elif c["kind"] == "clean":
            s["words"] += r["words"]
            s["all"] += len(fs)
            s["major"] += sum(1 for f in fs if f[2] in ("major", "critical"))
        else:
            s["n"] += 1
            hit = bool([f for f in fs if f[0].endswith(c["word"])]) if c.get("word") else bool(fs)
            s["hits"] += hit
            if c["kind"] in _SEMEVAL_ERRORS:
                pooled = out.setdefault("SemEval errors (dropped, common word, other name)", {"words": 0, "all": 0, "major": 0, "hits": 0, "n": 0})
                pooled["n"] += 1
                pooled["hits"] += hit
    return out


def reliability_rows(cases: list[dict], results: list[dict]) -> dict[str, list[tuple[float, int, str]]]:
    """(confidence, right, case set) of every name finding, per check: a finding on clean copy or on
    legitimate variation ("should stay silent") is wrong, one on a planted garble's word is
    right (elsewhere in that case, wrong, except on another garbled part of the same name),
    one on a SemEval error case is right (the case has one error, and any name finding
    counts as found, as in its recall; in a garbled case, one on the garbled word), one on real MT
    (HPLT) as :func:`judge_against_reference` says. Clean lines and HPLT articles that
    the confidence fit read (its build part, scripts/fit_name_confidence.py) are left out,
    so that every row is held out, and so are the non-gazetteer set's further draws
    (``--draws``), so that the table's mix does not depend on how many are drawn."""
    rows: dict[str, list[tuple[float, int]]] = {}
    for c, r in zip(cases, results):
        if c.get("held") is False or c.get("draw"):  # the further draws: their mix is chosen by the label
            # the further draws of the non-gazetteer set are for its recall: names of Arabic
            # origin only, chosen so by the letter the garble lost, are not the mix
            # garble-pair's probability is fitted at (every held-out name word, a garble of
            # an Arabic one is as likely as its right spelling)
            continue
        for f in r["findings"]:
            if len(f) < 6 or f[5] is None:
                continue  # a version that does not say
            if c["kind"] == "mt":
                right = int(judge_against_reference(f[0], f[1], c["ref"]))
            elif c["kind"] == "clean" or c["kind"].startswith("ok:"):
                right = 0
            elif c.get("word"):
                # on the planted garble; elsewhere, right unless on a word that is fine
                right = int(f[0].endswith(c["word"]) or ("fine" in c and f[0] not in c["fine"]))
            else:
                right = 1
            rows.setdefault(f[4], []).append((float(f[5]), right, c["set"]))
    return rows


def print_reliability(rows: dict[str, list[tuple[float, int, str]]]) -> None:
    """Reliability per name check: the mix it is measured on (findings right and wrong per
    case set: a probability holds for the mix of errors and look-alikes it was fitted at,
    and this benchmark draws its look-alikes at name-garbled's fit's count), then
    equal-width bins with counts and 95% (Wilson) intervals, and bins of about 100 findings
    each."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from fit_name_confidence import format_equal_count, format_equal_width

    for check in sorted(rows):
        probs = [p for p, _, _ in rows[check]]
        labels = [y for _, y, _ in rows[check]]
        print(f"\nreliability of {check}'s confidence on this benchmark's held-out cases ({len(probs)} findings, {sum(labels)} right):")
        mix: dict[str, list[int]] = {}
        for _, y, name in rows[check]:
            mix.setdefault(name, [0, 0])[y] += 1
        print("  measured on (findings right / wrong per set): " + "; ".join(f"{n} {r}/{w}" for n, (w, r) in sorted(mix.items())))
        print(format_equal_width(probs, labels))
        print(format_equal_count(probs, labels))
        print_prior_shift(probs, labels)


def prior_shift(probs: list[float], labels: list[int]) -> float:
    """The one logit offset that best fits ``labels`` given ``probs`` (maximum likelihood,
    Newton's method): how far the base rate of this benchmark's mix is from the fit's data.
    A change of mix (how often an error is planted among the cases a check fires on) moves
    only the intercept of a logistic model; a gap that the offset does not close is the
    features' weights, not the mix."""
    import math

    logits = [math.log(max(1e-6, p) / max(1e-6, 1 - p)) for p in probs]
    shift = 0.0
    for _ in range(50):
        ps = [1 / (1 + math.exp(-(z + shift))) for z in logits]
        gradient = sum(y - p for p, y in zip(ps, labels))
        curvature = sum(p * (1 - p) for p in ps) or 1e-9
        step = gradient / curvature
        shift += max(-2.0, min(2.0, step))
        if abs(step) < 1e-9:
            break
    return shift


def print_prior_shift(probs: list[float], labels: list[int]) -> None:
    """The reliability table again with :func:`prior_shift`'s offset added to every logit,
    with the ECE before and after (see prior_shift)."""
    import math

    from fit_name_confidence import format_equal_count

    from mtaudit.knowledge.calibration import expected_calibration_error, reliability_table

    if len(probs) < 20 or len(set(labels)) < 2:
        return
    shift = prior_shift(probs, labels)
    shifted = [1 / (1 + math.exp(-(math.log(max(1e-6, p) / max(1e-6, 1 - p)) + shift))) for p in probs]
    before = expected_calibration_error(reliability_table(probs, labels))
    after = expected_calibration_error(reliability_table(shifted, labels))
    print(f"  one logit offset fitted on these rows (the mix, not the features): {shift:+.2f} (odds x{math.exp(shift):.1f}); "
          f"ECE {before:.3f} -> {after:.3f}; with it:")
    print(format_equal_count(shifted, labels))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--evaluate":
        evaluate(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--old", default="7b30dd9", help="git commit of the previous release ('' to skip it)")
    ap.add_argument("--pairs", type=int, default=300, help="synthetic name pairs and SemEval pairs (x4) to corrupt")
    ap.add_argument("--limit", type=int, default=1000, help="clean lines per corpus (FLORES, TICO, SemEval; with and without source)")
    ap.add_argument("--built", action="store_true", help="also run this code with the built gazetteer (a third column)")
    ap.add_argument("--show-mt", action="store_true", help="print every real-MT (HPLT) finding of each version with its automatic verdict")
    ap.add_argument("--draws", type=int, default=1, help="draws of non-gazetteer names (each about 55; recall printed per draw and pooled)")
    ap.add_argument("--clean-offset", type=int, default=0, help="skip the first N clean lines of FLORES and TICO and read SemEval's other three quarters: clean copy the default run never reads")
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found", file=sys.stderr)
        return 2
    cases = build_cases(args.shared, args.pairs, args.limit, args.clean_offset, args.draws)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cases_path = tmp_path / "cases.jsonl"
        cases_path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
        old_dir = tmp_path / "old"
        old_dir.mkdir()
        if args.old:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.old, "mtaudit", "references"], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(old_dir)], input=archive.stdout, check=True)
        old_results = run_version(old_dir, cases_path, tmp_path / "old.jsonl") if args.old else []
        if args.old:
            old = summarise(cases, old_results)
        new_results = run_version(ROOT, cases_path, tmp_path / "new.jsonl")
        new = summarise(cases, new_results)
        columns = ([old] if args.old else []) + [new]
        if args.built:
            columns.append(summarise(cases, run_version(ROOT, cases_path, tmp_path / "built.jsonl", built=True)))
    heads = ([args.old] if args.old else []) + ["now"] + (["now+built"] if args.built else [])
    print(f"name checks: {' | '.join(heads)}")
    width = 8 * len(columns)
    print(f"{'set':36} {'words':>7} {'all/10k':>{width}} {'major/10k':>{width}} {'recall':>{width}}  n")

    def per10k(s, key):
        return f"{1e4 * s[key] / s['words']:.2f}" if s["words"] else "-"

    def recall(s):
        return f"{s['hits'] / s['n']:.2f}" if s["n"] else "-"

    for name in sorted(new):
        cols = [c[name] for c in columns]
        print(
            f"{name:36} {new[name]['words']:7d} {'|'.join(f'{per10k(c, KEY_ALL):>7}' for c in cols):>{width}}"
            f" {'|'.join(f'{per10k(c, KEY_MAJOR):>7}' for c in cols):>{width}}"
            f" {'|'.join(f'{recall(c):>7}' for c in cols):>{width}}  {new[name]['n']}"
        )
    print_draws(heads, columns)
    print_mt_precision(heads, columns)
    if args.show_mt:
        for head, results in ([(args.old, old_results)] if args.old else []) + [("now", new_results)]:
            print_mt_findings(head, cases, results)
    if args.old:
        print(f"\n--- reliability of {args.old}'s confidence, on the same cases:")
        print_reliability(reliability_rows(cases, old_results))
        print("\n--- reliability of this tree's confidence:")
    print_reliability(reliability_rows(cases, new_results))
    return 0


def print_draws(heads: list[str], columns: list[dict]) -> None:
    """The non-gazetteer set's recall over its draws (``--draws``): pooled (distinct cases
    may repeat a surname with another given name), its 95% Wilson interval, and the mean
    and range over draws, per version."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from fit_name_confidence import wilson

    names = sorted(n for n in columns[-1] if n.startswith(NON_GAZETTEER))
    if len(names) < 2:
        return
    print(f"\nnon-gazetteer names with source over {len(names)} draws:")
    for head, col in zip(heads, columns):
        sets = [col[n] for n in names if n in col and col[n]["n"]]
        hits, n = sum(s["hits"] for s in sets), sum(s["n"] for s in sets)
        rates = [s["hits"] / s["n"] for s in sets]
        words = sum(s["words"] for s in sets)
        lo, hi = wilson(hits / n, n)
        print(f"  {head:>9}: recall {hits / n:.3f} of {n} (95% {lo:.2f}-{hi:.2f}); per draw mean {sum(rates) / len(rates):.3f}, "
              f"{min(rates):.2f}-{max(rates):.2f}; clean sentences {words} words, all / major per 10k "
              f"{1e4 * sum(s['all'] for s in sets) / words:.2f} / {1e4 * sum(s['major'] for s in sets) / words:.2f}")


def print_mt_precision(heads: list[str], columns: list[dict]) -> None:
    """The real-MT sets' findings and their precision by the human reference, per version."""
    names = sorted(n for n in columns[-1] if n.startswith("real MT"))
    if not names:
        return
    print("\nreal MT (HPLT), precision judged against the human reference (judge_against_reference): right/findings")
    print(f"{'set':40} " + " ".join(f"{h[:9]:>9} all  {'major':>9}" for h in heads))
    for name in names:
        cells = []
        for col in columns:
            s = col.get(name, {})
            cells.append(f"{s.get('right', 0):>4}/{s.get('all', 0):<4}   {s.get('right_major', 0):>4}/{s.get('major', 0):<4}   ")
        print(f"{name:40} " + " ".join(cells))


def print_mt_findings(head: str, cases: list[dict], results: list[dict]) -> None:
    """Every real-MT finding of one version with the judge's verdict (to check it by eye)."""
    print(f"\nreal MT findings, {head}:")
    for c, r in zip(cases, results):
        if c["kind"] != "mt":
            continue
        for f in r["findings"]:
            verdict = "right" if judge_against_reference(f[0], f[1], c["ref"]) else "wrong"
            print(f"  {c['set']}: {f[4]} {f[2]} p={f[5]} «{f[0]}» → «{f[1]}»: {verdict}")


if __name__ == "__main__":
    sys.exit(main())
