#!/usr/bin/env python3
"""Throughput of COMET on the CPU: unbabel-comet's own predict and mtaudit's CometScorer side by side.

No COMET model can be downloaded here, so the benchmark builds one of the real
``Unbabel/wmt22-comet-da`` shape with random weights (tests/tiny_comet.py): an
xlm-roberta-large encoder (hidden 1024, 24 layers, 16 heads, intermediate 4096, 514
positions, an embedding matrix of 250,002 rows, so the checkpoint is 2.3 GB like the real
one), layerwise "mix" attention with sparsemax, and the [3072, 1024] estimator.
``--layers`` keeps fewer encoder layers (the cost is nearly proportional to them).
Its tokenizer is a sentencepiece unigram model trained on TICO-19 and SemEval EA-MT
English and Arabic (23.4k pieces, not the benchmark segments): on the FLORES segments it
gives 1.7 subwords per English word and 1.7-1.85 per Arabic word, probably a little more
than XLM-R's own 250k vocabulary gives, so if anything the cost is slightly overstated.
Random weights do not change the cost of a forward pass; they do make the scores nearly
constant (a spread of about 0.07), so the int8 score error measured here says little about
the real model's.

Segments: FLORES-200 devtest lines of 26-34 English words with the HPLT MT output and the
human reference (../shared/data); without ../shared, the tiny test sentences joined in
threes. The model is built once in a subprocess and kept in --workdir; each batch size is
measured in a fresh process which loads the model once and, on the same segments, times
(after a warm-up call on two segments each):

1. ``model.predict(samples, batch_size=B, gpus=0, progress_bar=False)``, as a user calls it;
2. mtaudit's ``CometScorer.score`` (float): each distinct text embedded once in
   token-length-sorted batches, no Lightning Trainer (see mtaudit/scorers/comet.py);
3. the same after ``quantize_encoder`` (int8 dynamic quantisation of the encoder's Linear
   layers, ``load_comet(quantize=True)``).

and gives segments/s, CPU seconds and the largest |score difference| from predict's scores.

Measured on this machine (2 cores shared with three other agents' jobs, load average 5-10,
so the wall clock is noisy and CPU seconds are the steadier figure), torch 2.13.0+cpu,
comet 2.2.7, ``--layers 6 --segments 64`` (reduced model because the machine is shared),
64 FLORES segments of 29/27/26 words, 49/46/48 subwords (src/MT/ref):

    scorer                      batch  segments/s  s per 64  CPU s  x CPU  load avg  max |diff|
    unbabel-comet predict          16        0.64     100.2   53.7   1.00       4.9     0
    mtaudit CometScorer            16        1.08      59.4   38.7   1.39       6.0     1.3e-07
    mtaudit CometScorer int8       16        1.89      33.9   22.6   2.37       5.5     3.5e-03
  a second run:
    unbabel-comet predict          16        1.36      47.1   46.2   1.00       4.4     0
    mtaudit CometScorer            16        1.61      39.8   40.0   1.16       4.7     1.3e-07
    mtaudit CometScorer int8       16        2.84      22.6   22.0   2.10       4.2     3.5e-03

The float path saves the Trainer set-up and padding (1.2-1.4x in CPU); int8 halves the
encoder's cost again (2.1-2.4x in CPU over predict). Encoder batches of 16, 32 or 64
texts made no clear difference (float 37/37/35 CPU s, int8 21/20/24). Earlier runs of the full
24-layer model through predict (before this comparison existed) took 1.5 CPU-s per segment
with one thread: 0.3-0.5 segments/s under load, at most about 1.3 on an idle 2-core machine.

    python scripts/bench_comet.py [--segments 64] [--batch-size 16] [--layers 24] [--threads N]
                                  [--workdir /tmp/mtaudit-bench-comet] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
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


def _timed(fn):
    """(result, wall seconds, CPU seconds of this process, 1-minute load average before)."""
    load_avg = os.getloadavg()[0]
    cpu0, t0 = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - cpu0, load_avg


def measure(model_dir: Path, batch_size: int, threads: int | None, segments: list[tuple[str, str, str]]) -> dict:
    """In one process, on one loaded model and the same segments: unbabel-comet's own
    ``predict`` as a user calls it, then mtaudit's CometScorer (float), then the same scorer
    with the encoder quantised to int8. Each is warmed up on two segments first."""
    import torch

    from mtaudit.scorers import ScoringUnit
    from mtaudit.scorers.comet import _quiet, load_comet, quantize_encoder

    units = [ScoringUnit("bench", str(i), 0, len(mt), mt, src, ref) for i, (src, mt, ref) in enumerate(segments)]
    samples = [{"src": src, "mt": mt, "ref": ref} for src, mt, ref in segments]
    t = time.perf_counter()
    scorer = load_comet(str(model_dir), batch_size=batch_size, threads=threads)
    load_s = time.perf_counter() - t
    load_peak = _status_mb("VmHWM")
    rss_loaded = _status_mb("VmRSS")
    tok = scorer.model.encoder.tokenizer
    subwords = {k: sum(len(tok(x[i])["input_ids"]) for x in segments) / len(segments) for i, k in enumerate(("src", "mt", "ref"))}

    def predict(batch):
        # As the unbabel-comet README calls it: batch size and gpus=0, defaults otherwise
        # (length batching on, no DataLoader workers when gpus=0); no progress bar.
        return scorer.model.predict(batch, batch_size=batch_size, gpus=0, progress_bar=False)["scores"]

    def ours(batch):
        out = scorer.score(batch)
        return [out.scores[u.key]["comet"] for u in batch]

    rows = []
    # predict uses torch's own thread setting; give it the same threads as the scorer.
    torch.set_num_threads(scorer.threads)
    with _quiet():
        predict(samples[:2])
        base, wall, cpu, avg = _timed(lambda: predict(samples))
    rows.append(("unbabel-comet predict", base, wall, cpu, avg))
    ours(units[:2])
    got, wall, cpu, avg = _timed(lambda: ours(units))
    rows.append(("mtaudit CometScorer", got, wall, cpu, avg))
    signature = scorer.signature()
    quantize_encoder(scorer.model)
    scorer.quantized = True
    ours(units[:2])
    got, wall, cpu, avg = _timed(lambda: ours(units))
    rows.append(("mtaudit CometScorer int8", got, wall, cpu, avg))
    return {
        "batch": batch_size,
        "threads": scorer.threads,
        "load_s": load_s,
        "rss_loaded_mb": rss_loaded,
        "load_peak_rss_mb": load_peak,
        "subwords": subwords,
        "signature": signature,
        "score_range": [min(base), max(base)],
        "rows": [
            {
                "scorer": name,
                "score_s": wall,
                "cpu_s": cpu,
                "load_avg_before": avg,
                "segments_per_s": len(units) / wall,
                "max_abs_diff": max(abs(x - y) for x, y in zip(scores, base)),
            }
            for name, scores, wall, cpu, avg in rows
        ],
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
    ap.add_argument("--batch-size", type=int, nargs="+", default=[16])
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
    print(f"signature (float): {results[0]['signature']}\n")
    print(f"{'scorer':<34}{'batch':>6}{'segments/s':>12}{f's per {n}':>10}{'CPU s':>8}{'x CPU':>7}{'load avg':>10}{'max |diff|':>12}")
    for r in results:
        base_cpu = r["rows"][0]["cpu_s"]
        for row in r["rows"]:
            print(f"{row['scorer']:<34}{r['batch']:>6}{row['segments_per_s']:>12.2f}{row['score_s']:>10.1f}"
                  f"{row['cpu_s']:>8.1f}{base_cpu / row['cpu_s']:>7.2f}{row['load_avg_before']:>10.1f}{row['max_abs_diff']:>12.1e}")
    lo, hi = results[0]["score_range"]
    print(f"(max |diff| against predict's scores, which range {lo:.3f}..{hi:.3f}; x CPU = predict's CPU s / this one's)")
    load_avg = os.getloadavg()[0]
    for i, (name, rate) in enumerate(bleu.items()):
        label = f"sacrebleu {name}" if i == 0 else f"  {name}"
        print(f"{label:<34}{'-':>6}{rate:>13.0f}{n / rate:>11.3f}{'':>8}{(f'{load_avg:.1f}' if i == 0 else ''):>10}{'-':>18}")
    if args.layers != 24:
        print(f"\n{args.layers} of 24 layers: the encoder dominates the cost, so expect about "
              f"{args.layers / 24:.2f} times these segments/s for the full model.")


if __name__ == "__main__":
    main()
