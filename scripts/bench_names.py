#!/usr/bin/env python3
"""What the name checks cost: ms per 100 words per check, curated and built gazetteer side by side.

The checks timed are name-garbled, name-source, name-inconsistent (batch) and
possessive-order (its name part calls the garble matcher). Each (check, gazetteer) pair runs
in its own subprocess, so that no check profits from caches another one filled; loading the
reference data and the transliteration model happens before the clock starts (it is paid
once per run, and printed separately). Memoisation within the sample is allowed: a batch
repeats names, and that is what a real run sees.

The sample (from ../shared, never copied here): the five human seeds without source, then
articles of ``--lines-per-article`` consecutive FLORES devtest, TICO-19 test and SemEval
EA-MT lines with their English source (``--limit`` lines of each corpus). Every line is new
text to the checks on the first pass, so the figure is an upper bound for a batch that
repeats its names.

``--corpus DIR`` times the checks on the first ``--limit`` ``.txt`` articles under DIR instead,
without a source (e.g. bench_audit.py's corpus, /tmp/mtaudit-bench/corpus-1000): the
target-only case, where a check cannot narrow its candidates to the entities a source names.

``--findings FILE`` also writes every finding (check, article, span, severity, confidence,
suggestion, message) as JSON lines, to compare behaviour before and after a change byte for
byte.

    python scripts/bench_names.py [--limit 300] [--gazetteer curated built] [--findings out.jsonl] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ["name-garbled", "name-source", "name-inconsistent", "possessive-order"]


def sample(shared: Path, limit: int, per_article: int, corpus: Path | None = None):
    """(id, target, source or None) articles of the sample."""
    if corpus is not None:
        return [(p.stem, p.read_text(encoding="utf-8"), None) for p in sorted(corpus.rglob("*.txt"))[:limit]]
    data = shared / "data"
    out = []
    for seed in sorted((shared / "seeds").glob("00*.txt")):
        out.append((f"seed:{seed.stem}", seed.read_text(encoding="utf-8"), None))

    def grouped(name, en_lines, ar_lines):
        pairs = list(zip(en_lines, ar_lines))[:limit]
        for k in range(0, len(pairs), per_article):
            chunk = pairs[k : k + per_article]
            out.append((f"{name}:{k}", "\n".join(a for _, a in chunk), "\n".join(e for e, _ in chunk)))

    def lines(p):
        return p.read_text(encoding="utf-8").splitlines()

    grouped("flores", lines(data / "flores200/eng_Latn.devtest"), lines(data / "flores200/arb_Arab.devtest"))
    grouped("tico", lines(data / "tico19/tico19-test.en"), lines(data / "tico19/tico19-test.ar"))
    records = [json.loads(x) for x in lines(data / "semeval2025_eamt_train/train.ar.jsonl") if x.strip()]
    grouped("semeval", [r["source"] for r in records], [r["target"] for r in records])
    return out


def run_one(
    check: str,
    gazetteer: str,
    shared: Path,
    limit: int,
    per_article: int,
    findings_path: str | None,
    corpus: Path | None = None,
    profile_path: str | None = None,
) -> dict:
    """Time one check on the sample with one gazetteer (in this process)."""
    from mtaudit.checks import BatchContext, CheckContext, load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.names.transliteration import default_model
    from mtaudit.run import memo
    from mtaudit.text.segment import segment_article
    from mtaudit.text.tokens import tokenize
    from mtaudit.types import Article, SegmentKind

    t0 = time.process_time()
    res = Resources(built_gazetteer=gazetteer == "built")
    gaz = res.gazetteer
    res.calibration, res.nationality_adjectives  # noqa: B018 - load before the clock
    gaz.parts_near("")  # the retrieval index is built once per gazetteer
    gaz.english_words()  # as is the set of its English name words (name-source)
    gaz.entity_words(gaz.entities[0])  # and every entity's word set, made at once (the garble matcher's)
    gaz.arabic_for_latin("")  # and the index of Wikidata's Latin spellings (name-source)
    default_model()
    from mtaudit.names.origin import default_origin
    from mtaudit.text.word_alignment import lexical_aligner

    default_origin(), lexical_aligner()  # name-source's origin model and word-alignment priors, read once
    from wordfreq import zipf_frequency

    from mtaudit.names.morphology import explained_as_arabic
    from mtaudit.text.frequency import arabic_zipf

    # wordfreq's tables, read once: its Arabic list too (about 0.9 s), which a word missing
    # from the remembered answers loads (mtaudit.text.frequency.wordfreq_zipf): otherwise
    # charged to whichever check first meets one, by the state of that cache
    arabic_zipf("كتاب"), explained_as_arabic("سيلتقيه"), zipf_frequency("the", "en"), zipf_frequency("كتاب", "ar")
    # The compiled frequency tables are read bucket by bucket on first use: all of them
    # now, a cost a run pays once however long (about 0.3 s), not per word; a small
    # sample would otherwise charge it to whichever check runs first.
    from mtaudit.text.frequency import _english_zipfs, _folded_frequencies

    for table in (_folded_frequencies(), _english_zipfs()):
        for first in table.firsts:
            table.get(first)
    load = time.process_time() - t0
    spec = load_all()[check]
    articles = [Article(i, t, source=s) for i, t, s in sample(shared, limit, per_article, corpus)]
    segmented = [(a, segment_article(a, res)) for a in articles]
    words = sum(len(tokenize(a.text)) for a in articles)
    # Each article audited in its own memo scope (mtaudit.run.memo), as the pipeline does;
    # its segments are tokenised before the clock, as one of the other checks that read
    # every segment does in a run (a run tokenises a segment once, for all thirteen). What
    # that costs is timed and printed on its own line.
    t0 = time.process_time()
    scopes = []
    for a, segs in segmented:
        with memo.article_scope():
            for s in segs:
                if s.kind is not SegmentKind.BOILERPLATE:
                    tokenize(s.text, s.start)
            scopes.append(memo._LOCAL.scope)  # kept, and reinstated for the timed passes
    tokenising = time.process_time() - t0

    def one_pass() -> list:
        found = []
        tally = spec.tally() if spec.scope == "batch" else None
        for (a, segs), scope in zip(segmented, scopes):
            if spec.requires_source and not a.source:
                continue
            memo._LOCAL.scope = scope
            try:
                if tally is not None:
                    # what the pipeline does: each article's summary (in the workers), folded
                    # into the check's tally, then the check over the tally; both are timed
                    tally.add(spec.summarize(CheckContext(spec, a, segs, res), []))
                    continue
                targets = [None] if spec.scope == "article" else [s for s in segs if s.kind is not SegmentKind.BOILERPLATE]
                for seg in targets:
                    found.extend(spec.func(CheckContext(spec, a, segs, res, seg)))
            finally:
                memo._LOCAL.scope = None
        if tally is not None:
            found = list(spec.func(BatchContext(spec, tally, res)))
        return found

    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.process_time()
    found = one_pass()
    elapsed = time.process_time() - t0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile_path}.{check}.{gazetteer}")
    # the same text again: what a word costs once the batch has seen it (the memos are warm;
    # find_garbles' memo of whole texts is cleared, as a new article would miss it)
    gaz.cache("find-garbles").clear()
    if profiler is not None:
        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.process_time()
    one_pass()
    warm = time.process_time() - t0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile_path}.{check}.{gazetteer}.warm")
    if findings_path:
        with open(findings_path, "a", encoding="utf-8") as f:
            for x in found:
                row = [gazetteer, check, x.article_id, x.start, x.end, x.severity.value, x.confidence, x.suggestion, x.message]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"check": check, "gazetteer": gazetteer, "entities": len(gaz.entities), "words": words,
            "seconds": elapsed, "warm": warm, "load": load, "tokenise": tokenising, "findings": len(found)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=300, help="lines of each of FLORES, TICO and SemEval")
    ap.add_argument("--lines-per-article", type=int, default=10)
    ap.add_argument("--gazetteer", nargs="+", default=["curated", "built"], choices=["curated", "built"])
    ap.add_argument("--checks", nargs="+", default=CHECKS)
    ap.add_argument("--findings", help="write every finding here (JSON lines)")
    ap.add_argument("--corpus", type=Path, help="time on the first --limit .txt articles of this folder, without source")
    ap.add_argument("--profile", metavar="PREFIX", help="cProfile each first pass into PREFIX.CHECK.GAZETTEER (the second into ….warm)")
    ap.add_argument("--one", nargs=2, metavar=("CHECK", "GAZETTEER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found", file=sys.stderr)
        return 2
    if args.one:
        print(json.dumps(run_one(*args.one, args.shared, args.limit, args.lines_per_article, args.findings, args.corpus, args.profile)))
        return 0
    if args.findings:
        Path(args.findings).write_text("", encoding="utf-8")
    rows = {}
    for gaz in args.gazetteer:
        for check in args.checks:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", check, gaz, "--shared", str(args.shared),
                   "--limit", str(args.limit), "--lines-per-article", str(args.lines_per_article)]
            if args.findings:
                cmd += ["--findings", args.findings]
            if args.corpus:
                cmd += ["--corpus", str(args.corpus)]
            if args.profile:
                cmd += ["--profile", args.profile]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ))
            rows[(check, gaz)] = json.loads(out.stdout.strip().splitlines()[-1])
    first = next(iter(rows.values()))
    print(f"sample: {first['words']} words; CPU ms per 100 words, first pass / same text again (findings)")
    print(f"{'check':20}" + "".join(f"{g + ' (' + str(rows[(args.checks[0], g)]['entities']) + ')':>28}" for g in args.gazetteer))

    def ms(r, key):
        return 1e5 * r[key] / r["words"]

    for check in args.checks:
        cells = []
        for g in args.gazetteer:
            r = rows[(check, g)]
            cells.append(f"{ms(r, 'seconds'):>9.2f} / {ms(r, 'warm'):<6.2f} ({r['findings']:>3})")
        print(f"{check:20}" + "".join(f"{c:>28}" for c in cells))
    cells = [f"{sum(ms(rows[(c, g)], 'seconds') for c in args.checks):>9.2f} / {sum(ms(rows[(c, g)], 'warm') for c in args.checks):<6.2f}      " for g in args.gazetteer]
    print(f"{'all name checks':20}" + "".join(f"{c:>28}" for c in cells))
    tok = [1e5 * rows[(args.checks[0], g)]["tokenise"] / rows[(args.checks[0], g)]["words"] for g in args.gazetteer]
    print(f"{'(tokenise, shared)':20}" + "".join(f"{t:>9.2f}{'':19}" for t in tok))
    print(f"{'load (s, once)':20}" + "".join(f"{rows[(args.checks[0], g)]['load']:>28.2f}" for g in args.gazetteer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
