#!/usr/bin/env python3
"""Throughput of COMET (mtaudit's CometScorer) on the CPU, next to sacrebleu's sentence scores.

No COMET model can be downloaded here, so the benchmark builds one of the real
``Unbabel/wmt22-comet-da`` shape with random weights (tests/tiny_comet.py): an
xlm-roberta-large encoder (hidden 1024, 24 layers, 16 heads, intermediate 4096, 514
positions, an embedding matrix of 250,002 rows, so the checkpoint is 2.3 GB like the real
one), layerwise "mix" attention with sparsemax, and the [3072, 1024] estimator.
Its tokenizer is a sentencepiece unigram model trained on TICO-19 and SemEval EA-MT
English and Arabic (23.4k pieces, not the benchmark segments): on the FLORES segments it
gives 1.7 subwords per English word and 1.7-1.85 per Arabic word, probably a little more
than XLM-R's own 250k vocabulary gives, so if anything the cost is slightly overstated.
Random weights do not change the cost of a forward pass.

Segments: FLORES-200 devtest lines of 26-34 English words with the HPLT MT output and the
human reference (../shared/data); without ../shared, the tiny test sentences joined in
threes. The model is built once in a subprocess and kept in --workdir (2.3 GB); each
batch size is measured in a fresh process so that its memory is its own; a warm-up call
on two segments comes first, then one timed ``score()`` call over all segments
(Lightning's per-call set-up included, as in an audit).

Measured on this machine: 2 cores, shared with other jobs (the 1-minute load average at
the start of each timed call is shown; on an idle machine it would be about 1), torch
2.13.0+cpu, comet 2.2.7; 64 FLORES segments averaging 29/27/26 words and 49/46/48
subwords for source/MT/reference:

    scorer                       batch  threads  segments/s  s per 64  CPU s  load avg  peak RSS scoring
    COMET wmt22-comet-da shape       8        2        0.32       200    155       1.9       2.91 GB
    COMET wmt22-comet-da shape      16        2        0.40       161    140       4.7       3.03 GB
    COMET wmt22-comet-da shape       8        1        0.48       135     96       5.2       2.87 GB
    sacrebleu chrF2+chrF2++ +BLEU+TER   -        1         160      0.40      -       5.5             -
      chrF2 1420/s, chrF2++ 1377/s, BLEU 6880/s, TER 245/s (each alone)

Wall-clock COMET numbers moved a lot with the other jobs (other runs with 2 threads:
0.18, 0.27 and 0.44 segments/s at batch 4, 8, 16; 0.34 and 0.27 at 8 and 16), and with
two busy neighbours one thread beat two. The steady figure is the compute: 96 CPU-seconds
for 64 segments with one thread, 1.5 CPU-s per segment (three encoder passes of about 50
subwords), so an idle 2-core machine can do at most about 1.3 segments/s (1,000 segments
in about 13 minutes), and 0.3-0.5 segments/s under load like today's (35-55 minutes).
Batch 16 needed less CPU than 8 here (140 vs 155 s); length sorting keeps its padding low.
Loading takes 21-36 s, three quarters of it spent initialising random encoder weights
that the checkpoint then overwrites; RSS peaks at 4.8 GB while loading (the model plus the
checkpoint read into memory) and is 2.65 GB once loaded; scoring adds 0.25-0.4 GB.
sacrebleu's four sentence metrics (mostly TER) run at 110-180 segments/s on the same
segments: COMET is 300-500 times slower.

    python scripts/bench_comet.py [--segments 64] [--batch-size 8 16] [--layers 24] [--threads N]
                                  [--workdir /tmp/mtaudit-bench-comet] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tiny_comet lives with the tests that also use it

FULL = dict(hidden_size=1024, num_layers=24, num_heads=16, intermediate_size=4096, max_position_embeddings=514)
EMBEDDING_ROWS = 250002
MODEL_NAME = "bench-wmt22-comet-da-shape"


def load_segments(shared: Path, n: int) -> tuple[list[tuple[str, str, str]], str]:
    """(source, MT, reference) triples of about 30 source words, and where they come from."""
    tsv = shared / "data" / "hplt_flores200_mt" / "flores200-devtest.eng-arb.src_ref_hplt.tsv"
    if tsv.is_file():
        with open(tsv, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        rows = [r for r in rows if 26 <= len(r["src_eng"].split()) <= 34]
        if len(rows) >= n:
            return [(r["src_eng"], r["hyp_hplt_mt"], r["ref_arb_human"]) for r in rows[:n]], "FLORES-200 devtest + HPLT MT"
    from tiny_comet import SENTENCES_AR, SENTENCES_EN

    out = []
    for i in range(n):
        idx = [(i + k) % len(SENTENCES_EN) for k in range(3)]
        src = " ".join(SENTENCES_EN[j] for j in idx)
        mt = " ".join(SENTENCES_AR[j] for j in idx)
        out.append((src, mt, mt.replace("في", "فى")))
    return out, "tests/tiny_comet.py sentences, joined in threes"


def tokenizer_corpus(shared: Path) -> list[str] | None:
    """English and Arabic text to train the benchmark tokenizer on (not the benchmark segments)."""
    lines: list[str] = []
    tico = shared / "data" / "tico19"
    for name in ("tico19-test.en", "tico19-test.ar"):
        if (tico / name).is_file():
            lines += (tico / name).read_text(encoding="utf-8").splitlines()
    eamt = shared / "data" / "semeval2025_eamt_train" / "train.ar.jsonl"
    if eamt.is_file():
        for line in eamt.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            lines += [rec.get("source", ""), rec.get("target", "")]
    return [ln for ln in lines if ln.strip()] or None


def build(workdir: Path, layers: int, shared: Path) -> Path:
    """Build (once) the wmt22-comet-da-shaped model in workdir and return its folder."""
    from tiny_comet import build_tiny_comet, build_tiny_encoder

    shape = {**FULL, "num_layers": layers, "embedding_rows": EMBEDDING_ROWS}
    model_dir = workdir / f"{MODEL_NAME}-{layers}l"
    stamp = model_dir / "bench-shape.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == shape:
        return model_dir
    corpus = tokenizer_corpus(shared)
    encoder = build_tiny_encoder(
        workdir / f"encoder-{layers}l",
        vocab_size=24000 if corpus else 320,
        corpus=corpus,
        **shape,
    )
    t = time.perf_counter()
    build_tiny_comet(
        workdir,
        referenceless=False,
        name=model_dir.name,
        encoder=encoder,
        hidden_sizes=(3072, 1024),
        layer="mix",
        layer_transformation="sparsemax",
        model_kwargs={"layer_norm": False},
    )
    stamp.write_text(json.dumps(shape))
    print(f"built {model_dir} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return model_dir


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_rss() -> bool:
    """Start VmHWM afresh (Linux: writing 5 to clear_refs), so scoring's own peak can be read."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure(model_dir: Path, batch_size: int, threads: int | None, segments: list[tuple[str, str, str]]) -> dict:
    """Load the model and time one score() call over all segments (run in its own process)."""
    from mtaudit.scorers import ScoringUnit
    from mtaudit.scorers.comet import load_comet

    units = [ScoringUnit("bench", str(i), 0, len(mt), mt, src, ref) for i, (src, mt, ref) in enumerate(segments)]
    t = time.perf_counter()
    scorer = load_comet(str(model_dir), batch_size=batch_size, threads=threads)
    load_s = time.perf_counter() - t
    load_peak = _status_mb("VmHWM")
    rss_loaded = _status_mb("VmRSS")
    tok = scorer.model.encoder.tokenizer
    subwords = {k: sum(len(tok(x[i])["input_ids"]) for x in segments) / len(segments) for i, k in enumerate(("src", "mt", "ref"))}
    scorer.score(units[:2])  # warm-up: first-call kernel selection and Lightning imports
    reset = _reset_peak_rss()
    load_avg = os.getloadavg()[0]
    cpu0 = time.process_time()
    t = time.perf_counter()
    out = scorer.score(units)
    score_s = time.perf_counter() - t
    cpu_s = time.process_time() - cpu0
    assert len(out.scores) == len(units)
    return {
        "batch": batch_size,
        "threads": scorer.threads,
        "load_s": load_s,
        "score_s": score_s,
        "cpu_s": cpu_s,
        # Other processes on the machine slow the wall clock down; this says how busy it was.
        "load_avg_before": load_avg,
        "segments_per_s": len(units) / score_s,
        "rss_loaded_mb": rss_loaded,
        "load_peak_rss_mb": load_peak,
        # Peak while scoring when VmHWM could be reset, else the process's peak (incl. loading).
        "peak_rss_mb": _status_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "subwords": subwords,
        "signature": out.signature,
    }


def bench_sacrebleu(segments: list[tuple[str, str, str]], min_seconds: float = 0.5, repeats: int = 3) -> dict[str, float]:
    """Segments per second of mtaudit's sentence scores, all four together and each alone
    (best of ``repeats`` runs of at least ``min_seconds``, to see past other processes)."""
    from mtaudit.scorers.reference_scores import _sentence_metrics, sentence_scores

    def once(fn) -> float:
        done, t0 = 0, time.perf_counter()
        while True:
            for _, mt, ref in segments:
                fn(mt, ref)
            done += len(segments)
            if time.perf_counter() - t0 >= min_seconds:
                return done / (time.perf_counter() - t0)

    def rate(fn) -> float:
        return max(once(fn) for _ in range(repeats))

    out = {"chrF2+chrF2++ +BLEU+TER": rate(sentence_scores)}
    labels = {"chrf2": "chrF2", "chrf2pp": "chrF2++", "bleu": "BLEU", "ter": "TER"}
    for name, metric in _sentence_metrics().items():
        out[labels.get(name, name)] = rate(lambda h, r, m=metric: m.sentence_score(h, [r]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segments", type=int, default=64)
    ap.add_argument("--batch-size", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--layers", type=int, default=24, help="encoder layers (24 = xlm-roberta-large)")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "mtaudit-bench-comet")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--_measure", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_model", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_build", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    segments, origin = load_segments(args.shared, args.segments)
    if args._build:
        print(build(args.workdir, args.layers, args.shared))
        return
    if args._measure is not None:
        print(json.dumps(measure(args._model, args._measure, args.threads, segments)))
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    me = [sys.executable, __file__, "--segments", str(args.segments), "--layers", str(args.layers)]
    me += ["--workdir", str(args.workdir), "--shared", str(args.shared)]
    if args.threads:
        me += ["--threads", str(args.threads)]
    # Built in a child process so that the building's memory is not in any measurement.
    model_dir = Path(subprocess.run(me + ["--_build"], check=True, capture_output=True, text=True).stdout.strip())
    results = []
    for bs in args.batch_size:
        res = subprocess.run(me + ["--_model", str(model_dir), "--_measure", str(bs)], check=True, capture_output=True, text=True)
        results.append(json.loads(res.stdout.strip().splitlines()[-1]))
    bleu = bench_sacrebleu(segments)

    n = len(segments)
    words = {k: sum(len(s[i].split()) for s in segments) / n for i, k in enumerate(("src", "mt", "ref"))}
    sw = results[0]["subwords"]
    print(f"{n} segments from {origin}; words/subwords per segment: "
          + ", ".join(f"{k} {words[k]:.0f}/{sw[k]:.0f}" for k in ("src", "mt", "ref")))
    print(f"COMET model: {model_dir} ({args.layers} layers), {results[0]['threads']} torch threads, "
          f"{os.cpu_count()} CPUs; load {results[0]['load_s']:.1f} s, peak RSS while loading "
          f"{results[0]['load_peak_rss_mb'] / 1024:.2f} GB, RSS once loaded {results[0]['rss_loaded_mb'] / 1024:.2f} GB")
    print(f"signature: {results[0]['signature']}\n")
    print(f"{'scorer':<34}{'batch':>6}{'segments/s':>13}{f's per {n}':>11}{'CPU s':>8}{'load avg':>10}{'peak RSS scoring':>18}")
    for r in results:
        print(f"{'COMET wmt22-comet-da shape':<34}{r['batch']:>6}{r['segments_per_s']:>13.2f}{r['score_s']:>11.1f}"
              f"{r['cpu_s']:>8.0f}{r['load_avg_before']:>10.1f}{r['peak_rss_mb'] / 1024:>15.2f} GB")
    load_avg = os.getloadavg()[0]
    for i, (name, rate) in enumerate(bleu.items()):
        label = f"sacrebleu {name}" if i == 0 else f"  {name}"
        print(f"{label:<34}{'-':>6}{rate:>13.0f}{n / rate:>11.3f}{'':>8}{(f'{load_avg:.1f}' if i == 0 else ''):>10}{'-':>18}")
    if args.layers != 24:
        r = results[0]
        print(f"\n{args.layers} of 24 layers: the encoder dominates the cost, so expect about "
              f"{r['segments_per_s'] * args.layers / 24:.2f} segments/s for the full model.")


if __name__ == "__main__":
    main()
