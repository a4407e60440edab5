"""Throughput of the MT-model scorer with a model of OPUS-MT en-ar's shape: CTranslate2
int8 and float32 beside a plain Transformers (PyTorch) forward pass of the same model.

The model is built locally with Transformers — a Marian transformer-base like
Helsinki-NLP/opus-mt-en-ar (d_model 512, 6 encoder + 6 decoder layers, 8 heads, ffn 2048,
a shared vocabulary of 62,000 tokens) with random weights — and converted with
``mtaudit.scorers.mt.convert.convert_model`` to int8 and to float32. Sentencepiece models
(8k pieces a side) are trained on FLORES-200 devtest from ``../shared/data`` when present
(else on the tiny test pairs), and the rest of the vocabulary is filler, so tokenization
and the 62k-way output softmax cost what they cost with the real model. Speed does not
depend on the weights' values, except that random weights never emit ``</s>``: every
translation runs to the length cap, set here to the source length + 10 tokens
(``max_length_ratio=1.0``), about what a real model produces for English→Arabic.
``<pad>``'s output bias is -1e9, as in tests/tiny_marian.py: CTranslate2's converter drops
``<pad>`` from the vocabulary, and this keeps it out of Transformers' softmax too.

For ~200 segments of ~30 target tokens, both paths read the very same tokens (the
scorer's sentencepiece pieces, mapped to ids for Transformers) with the same number of
threads (``--threads``: CTranslate2's intra threads, ``inter_threads=1``, and
``torch.set_num_threads``). It times the best of ``--repeat`` interleaved rounds (after a
warm-up) of:

* ``forward``: teacher-forced log-probabilities of every target piece and ``</s>``:
  ``Translator.score_batch(..., max_batch_size=2048, batch_type="tokens")`` on pre-tokenized
  input, and ``MarianMTModel(input_ids, attention_mask, labels=...)`` under
  ``torch.inference_mode()`` then ``log_softmax`` at the labels (:func:`hf_token_logprobs`),
  in CTranslate2's own batches (sorted by source length, ≤ 2048 padded source tokens:
  :func:`token_batches`; sorting by target length instead would pad the sources by 47%
  rather than 12%, for 2% rather than 9% on the targets, more work in all);
* ``score``: ``MTModel.score`` end to end (tokenization, score_batch, span mapping);
* ``translate``: beam 4 on the first ``--translate-segments`` segments (default 40), one
  round: ``MTModel.translate`` and ``model.generate(num_beams=4)`` in the same chunks with
  the same length cap (:func:`hf_translate`).

Before timing, it scores every segment once each way and prints the largest per-token
difference from Transformers float32 (it must be tiny for CTranslate2 float32: the check
that the two compute the same thing) and the largest change of a unit's ``mt_logprob``.
tests/test_mt_model_hf.py checks the same agreement on tiny trained models.

Measured 2026-12-02 on the shared 2-core machine (AMD EPYC Zen 3, AVX2 without VNNI, so
CTranslate2 uses oneDNN for int8 and float32 GEMM; CTranslate2 4.8.5, torch 2.13.0+cpu,
transformers 4.57.6), ``python scripts/bench_mt_model.py --work /tmp/mtbench-work
--threads 1``, 200 segments of 30.0 target / 31.0 source tokens, best of 3 (translate: 40
segments, 1 round), while other sessions kept the 1-minute load average at 10-13 (this run
got about a third of a core), so wall-clock rates are far below an idle machine's and CPU
seconds (all threads of the process, for the 200 or 40 segments) are the figure to compare;
Transformers' padded batches hold 1.12× the real source tokens and 1.09× the target ones::

    path                     forward seg/s  tok/s  CPU s  score tok/s  translate seg/s  out tok/s  CPU s  max |Δ logprob|  size MB
    Transformers float32               3.6    107   20.6            -             0.43         21   31.1                0      304
    CT2 int8 (int8_float32)            5.7    171   13.6          203             0.96         47   13.7          2.0e-01       78
    CT2 float32 (float32)              4.7    140   16.5          134             0.63         31   20.4          1.9e-06      304
  a second run (load 9-15):
    Transformers float32               3.4    102   19.3            -             0.48         23   28.9                0      304
    CT2 int8 (int8_float32)            5.4    162   12.1          189             1.04         51   13.7          2.0e-01       78
    CT2 float32 (float32)              4.3    130   15.2          153             0.75         37   18.4          1.9e-06      304

CTranslate2 float32 and Transformers agree to 1.9e-6 per token (log-probs of this random
model: mean -11.14, sd 0.44); int8 moves a token's log-prob by up to 0.2 and a unit's
``mt_logprob`` by up to 0.014. In CPU seconds the teacher-forced scoring costs
Transformers 1.25-1.27× CTranslate2 float32 and 1.5-1.6× int8, beam-4 translation 1.5-1.6×
and 2.1-2.3× (short of the 2× issue 14 asks of the COMET path, for scoring);
Transformers also computes the padding CTranslate2 drops and allocates its logits (up to
0.6 GB a batch) afresh, with twice CTranslate2's page faults (a fifth of this run's CPU time
was system time). With 2 threads under this load an OpenMP thread mostly spins at barriers
waiting for its descheduled teammate (Transformers ``generate`` on 4 segments: 24 CPU s with
2 threads, 5 with 1), so compare at ``--threads 1`` unless the machine is idle.

An earlier run without the Transformers path (2 intra threads, load 2.7-4.9): ``score``
443 (int8) / 316 (float32) target tokens/s, ``score_batch`` 453 / 384, ``translate`` (beam
4, 200 segments) 102 / 100 output tokens/s; at ~450 tokens/s a delivery of 1,000 sentences
of 30 tokens scores in about a minute. With ``CT2_USE_MKL=1`` (Intel MKL instead of oneDNN
on this AMD CPU) int8 ``score_batch`` was 3-4× slower: leave it unset.

Run: ``python scripts/bench_mt_model.py [--work DIR] [--segments 200] [--translate-segments 40]
[--repeat 3] [--threads N]`` (``--work`` keeps the built models for the next run; needs
ctranslate2, sentencepiece, transformers and torch, e.g. the ``comet`` and ``mt`` extras).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT.parent / "shared" / "data" / "flores200"

VOCAB_SIZE = 62_000  # opus-mt-en-ar: 62,834 with <pad>
SPM_PIECES = 8_000


def corpus() -> tuple[list[str], list[str]]:
    en, ar = FLORES / "eng_Latn.devtest", FLORES / "arb_Arab.devtest"
    if en.is_file() and ar.is_file():
        return en.read_text(encoding="utf-8").splitlines(), ar.read_text(encoding="utf-8").splitlines()
    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_marian import PAIRS

    print(f"{FLORES} not found: using the tiny test pairs", file=sys.stderr)
    return [s for s, _ in PAIRS] * 5, [t for _, t in PAIRS] * 5


def train_spm(lines: list[str]) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=SPM_PIECES, hard_vocab_limit=False,
        character_coverage=1.0, model_type="unigram", minloglevel=2,
    )
    return buf.getvalue()


def build_hf(hf_dir: Path, en: list[str], ar: list[str]) -> None:
    """A randomly initialised Marian transformer-base with OPUS-MT's files and vocabulary size."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    hf_dir.mkdir(parents=True, exist_ok=True)
    tokens = ["</s>", "<unk>"]
    seen = set(tokens)
    for name, lines in (("source.spm", en), ("target.spm", ar)):
        model = train_spm(lines)
        (hf_dir / name).write_bytes(model)
        sp = spm.SentencePieceProcessor(model_proto=model)
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if not (sp.is_control(i) or sp.is_unknown(i)) and piece not in seen:
                seen.add(piece)
                tokens.append(piece)
    tokens += [f"<filler{i}>" for i in range(VOCAB_SIZE - 1 - len(tokens))] + ["<pad>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    config = MarianConfig(
        vocab_size=len(vocab), d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
        max_position_embeddings=512, pad_token_id=vocab["<pad>"], eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=0, scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        # CTranslate2's converter drops <pad> from the vocabulary; keep it out of Transformers'
        # softmax too (a trained model never predicts it), so that both compute the same thing.
        model.final_logits_bias[:, vocab["<pad>"]] = -1e9
    model.save_pretrained(hf_dir)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        MarianTokenizer(str(hf_dir / "source.spm"), str(hf_dir / "target.spm"), str(hf_dir / "vocab.json")).save_pretrained(hf_dir)


def token_batches(lengths: list[int], max_tokens: int) -> list[list[int]]:
    """The batches CTranslate2's ``score_batch(..., max_batch_size=max_tokens, batch_type="tokens")``
    makes (``rebatch_input``): examples sorted by source length, longest first, and a batch
    filled while its padded size, (examples + 1) × its longest source, fits in ``max_tokens``."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    for i in order:
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def translate_chunks(lengths: list[int], max_tokens: int) -> list[list[int]]:
    """The chunks ``MTModel.translate`` sends to ``translate_batch``: sources sorted by length,
    shortest first, a chunk closed when its total length would pass ``max_tokens``."""
    chunks: list[list[int]] = []
    size = 0
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if chunks and size + lengths[i] <= max_tokens:
            chunks[-1].append(i)
            size += lengths[i]
        else:
            chunks.append([i])
            size = lengths[i]
    return chunks


def _padded(rows: list[list[int]], fill: int):
    import torch

    out = torch.full((len(rows), max(map(len, rows))), fill, dtype=torch.long)
    for r, ids in enumerate(rows):
        out[r, : len(ids)] = torch.tensor(ids, dtype=torch.long)
    return out


def hf_token_logprobs(model, sources: list[list[int]], targets: list[list[int]], max_batch_tokens: int = 2048) -> list[list[float]]:
    """Teacher-forced log-probability of every target token given its source, from a plain
    Transformers forward pass: ``model(input_ids, attention_mask, labels=...)`` under
    ``torch.inference_mode()``, then ``log_softmax`` of the logits at each label.

    ``sources`` and ``targets`` are vocabulary ids, each ending in ``</s>``, as CTranslate2's
    ``score_batch`` reads them; the result has one value per target id, ``</s>`` included,
    like its ``log_probs``. The batches are CTranslate2's (:func:`token_batches`), padded on
    the right; padded labels are -100, which the model turns into ``<pad>`` decoder inputs
    after the real ones, so they change nothing before them.
    """
    import torch

    pad = model.config.pad_token_id
    out: list[list[float]] = [[] for _ in sources]
    with torch.inference_mode():
        for batch in token_batches([len(s) for s in sources], max_batch_tokens):
            input_ids = _padded([sources[i] for i in batch], pad)
            labels = _padded([targets[i] for i in batch], -100)
            logits = model(input_ids=input_ids, attention_mask=(input_ids != pad).long(), labels=labels).logits
            picked = torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
            for row, i in enumerate(batch):
                out[i] = picked[row, : len(targets[i])].tolist()
    return out


def hf_translate(model, sources: list[list[int]], *, beam_size: int, max_batch_tokens: int, max_length_ratio: float) -> int:
    """Beam search with ``model.generate`` in the chunks and with the length cap of
    ``MTModel.translate`` (:func:`translate_chunks`; ``max_length_ratio`` × the chunk's
    longest source + 10 new tokens); returns the number of output tokens (no ``</s>``, no padding)."""
    import torch

    pad, eos = model.config.pad_token_id, model.config.eos_token_id
    tokens = 0
    with torch.inference_mode():
        for chunk in translate_chunks([len(s) for s in sources], max_batch_tokens):
            input_ids = _padded([sources[i] for i in chunk], pad)
            longest = input_ids.shape[1]
            out = model.generate(
                input_ids=input_ids, attention_mask=(input_ids != pad).long(), num_beams=beam_size,
                do_sample=False, max_new_tokens=int(max_length_ratio * longest) + 10,
            )
            body = out[:, 1:]  # after the decoder start token
            tokens += int(((body != pad) & (body != eos)).sum())
    return tokens


def ct2_token_logprobs(translator, sources: list[list[str]], targets: list[list[str]], max_batch_tokens: int) -> list[list[float]]:
    """``score_batch``'s per-token log-probs (target pieces, then ``</s>``)."""
    results = translator.score_batch(sources, targets, max_batch_size=max_batch_tokens, batch_type="tokens")
    return [list(r.log_probs) for r in results]


class _CountingTranslator:
    """Passes calls to a Translator and counts the output tokens of each translate() run
    (a run is a series of translate_batch calls; ``last_tokens`` is the latest full one)."""

    def __init__(self, translator) -> None:
        self._t = translator
        self.tokens = 0
        self.last_tokens = 0

    def translate_batch(self, source, *a, **k):
        res = self._t.translate_batch(source, *a, **k)
        self.tokens += sum(len(r.hypotheses[0]) for r in res)
        return res

    def run(self, fn) -> int:
        self.tokens = 0
        fn()
        self.last_tokens = self.tokens
        return self.tokens

    def __getattr__(self, name):
        return getattr(self._t, name)


@dataclass
class Timing:
    wall: float = float("inf")  # best wall time of the rounds
    cpu: float = float("inf")  # least process CPU time (all threads) of the rounds
    result: object = None  # what the last run returned


def interleaved_best(repeat: int, fns: dict, warm_ups: dict | None = None) -> dict[str, Timing]:
    """Best wall time and least CPU time of each function over ``repeat`` rounds, taking turns
    within a round, so that load from other processes on a shared machine hits every variant alike."""
    for name, fn in fns.items():
        ((warm_ups or {}).get(name) or fn)()  # first-call allocations and thread start-up
    best = {name: Timing() for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            cpu, t = time.process_time(), time.perf_counter()
            result = fn()
            b = best[name]
            b.wall = min(b.wall, time.perf_counter() - t)
            b.cpu = min(b.cpu, time.process_time() - cpu)
            b.result = result
    return best


def max_abs_diff(a: list[list[float]], b: list[list[float]]) -> float:
    assert [len(x) for x in a] == [len(y) for y in b], "the two paths scored different tokens"
    return max(abs(x - y) for xs, ys in zip(a, b) for x, y in zip(xs, ys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, help="folder for the built models (kept; default: a temporary folder)")
    ap.add_argument("--segments", type=int, default=200)
    ap.add_argument("--translate-segments", type=int, default=40, help="segments translated by each path (beam 4)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="CTranslate2 intra threads and torch threads (default: all CPUs)")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    import ctranslate2
    import torch
    from transformers import MarianMTModel

    from mtaudit.scorers import ScoringUnit
    from mtaudit.scorers.mt.convert import convert_model
    from mtaudit.scorers.mt.load import load_mt_model

    tmp = None
    if args.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-mt-")
        args.work = Path(tmp.name)
    en, ar = corpus()
    hf = args.work / "hf"
    if not (hf / "config.json").is_file():
        t = time.perf_counter()
        build_hf(hf, en, ar)
        print(f"built the Transformers model in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    folders = {}
    for q in ("int8", "float32"):
        folders[q] = args.work / f"ct2-{q}"
        if not (folders[q] / "model.bin").is_file():
            convert_model(str(hf), folders[q], quantization=q, force=True)

    print("models ready", file=sys.stderr, flush=True)
    probe = load_mt_model(folders["int8"], threads=args.threads)
    # ~30 target tokens: the FLORES lines whose Arabic has 25-35 pieces, then the closest others.
    lengths = [len(probe.target_sp.encode(t, out_type=str)) for t in ar]
    order = sorted(range(len(ar)), key=lambda i: (abs(lengths[i] - 30), i))[: args.segments]
    units = [ScoringUnit("bench", str(i), 0, len(ar[i]), ar[i], en[i]) for i in sorted(order)]
    n = len(units)
    tgt_tokens = sum(lengths[int(u.segment_id)] for u in units)
    src_tokens = sum(len(probe.source_tokens(u.source or "")) for u in units)

    models = {q: load_mt_model(folder, compute_type=q, threads=args.threads, max_length_ratio=1.0) for q, folder in folders.items()}
    batch_tokens = models["float32"].max_batch_tokens
    # Both paths read the very same tokens: the scorer's pieces, mapped to ids for Transformers.
    src = [probe.source_tokens(u.source or "") for u in units]  # pieces + </s>
    tgt = [probe.target_tokens(u.target).pieces for u in units]  # pieces; score_batch adds </s>
    vocab = json.loads((hf / "vocab.json").read_text(encoding="utf-8"))
    unk = vocab["<unk>"]
    src_ids = [[vocab.get(p, unk) for p in s] for s in src]
    tgt_ids = [[vocab.get(p, unk) for p in [*t, "</s>"]] for t in tgt]
    batches = token_batches([len(s) for s in src_ids], batch_tokens)
    padded = {side: sum(len(b) * max(len(rows[i]) for i in b) for b in batches) / sum(map(len, rows))
              for side, rows in (("source", src_ids), ("target", tgt_ids))}
    torch.set_num_threads(args.threads)
    hf_model = MarianMTModel.from_pretrained(hf).eval()

    print("checking that both paths agree …", file=sys.stderr, flush=True)
    ref = hf_token_logprobs(hf_model, src_ids, tgt_ids, batch_tokens)
    ct2 = {q: ct2_token_logprobs(m.translator, src, tgt, batch_tokens) for q, m in models.items()}
    flat = [x for xs in ref for x in xs]
    mean = sum(flat) / len(flat)
    spread = (sum((x - mean) ** 2 for x in flat) / len(flat)) ** 0.5
    diff = {"hf": 0.0} | {q: max_abs_diff(ref, lp) for q, lp in ct2.items()}
    # What a unit's score (mt_logprob, the mean over its pieces without </s>) moves by.
    unit_diff = {q: max(abs(sum(a[:-1]) / (len(a) - 1) - sum(b[:-1]) / (len(b) - 1)) for a, b in zip(ref, lp))
                 for q, lp in ct2.items()}

    load = [os.getloadavg()[0]]
    print("scoring …", file=sys.stderr, flush=True)
    t_forward = interleaved_best(args.repeat, {
        "hf": lambda: hf_token_logprobs(hf_model, src_ids, tgt_ids, batch_tokens),
        **{q: (lambda m=m: ct2_token_logprobs(m.translator, src, tgt, batch_tokens)) for q, m in models.items()},
    })
    t_score = interleaved_best(args.repeat, {q: (lambda m=m: m.score(units)) for q, m in models.items()})
    load.append(os.getloadavg()[0])

    print("translating …", file=sys.stderr, flush=True)
    k = min(args.translate_segments, n)
    sources = [u.source or "" for u in units[:k]]
    counters = {}
    for q, m in models.items():
        counters[q] = m.translator = _CountingTranslator(m.translator)  # type: ignore[assignment]
    m32 = models["float32"]
    hf_translate_k = {"beam_size": m32.beam_size, "max_batch_tokens": batch_tokens, "max_length_ratio": m32.max_length_ratio}
    # Translation is ~20x slower than scoring: warm up on 4 segments, time fewer rounds.
    t_tr = interleaved_best(
        max(1, args.repeat - 2),
        {"hf": lambda: hf_translate(hf_model, src_ids[:k], **hf_translate_k),
         **{q: (lambda m=m, q=q: counters[q].run(lambda: m.translate(sources))) for q, m in models.items()}},
        {"hf": lambda: hf_translate(hf_model, src_ids[:4], **hf_translate_k),
         **{q: (lambda m=m: m.translate(sources[:4])) for q, m in models.items()}},
    )
    load.append(os.getloadavg()[0])

    print(f"ctranslate2 {ctranslate2.__version__}, torch {torch.__version__}, {args.threads} threads each; "
          f"{n} segments, {tgt_tokens / n:.1f} target / {src_tokens / n:.1f} source tokens on average, "
          f"vocabulary {VOCAB_SIZE}; best of {args.repeat} interleaved rounds "
          f"(translation: {k} segments, {max(1, args.repeat - 2)} rounds)")
    print(f"{'path':<26}{'forward seg/s':>14}{'tok/s':>7}{'CPU s':>7}{'score tok/s':>12}"
          f"{'translate seg/s':>16}{'out tok/s':>10}{'CPU s':>7}{'max |Δ logprob|':>16}{'size MB':>8}")
    rows = {"hf": "Transformers float32"} | {q: f"CT2 {q} ({m.compute_type})" for q, m in models.items()}
    for key, label in rows.items():
        f, tr = t_forward[key], t_tr[key]
        score = f"{tgt_tokens / t_score[key].wall:>12.0f}" if key in t_score else f"{'-':>12}"
        size = (folders[key] / "model.bin" if key in folders else hf / "model.safetensors").stat().st_size / 1e6
        print(f"{label:<26}{n / f.wall:>14.1f}{tgt_tokens / f.wall:>7.0f}{f.cpu:>7.1f}{score}"
              f"{k / tr.wall:>16.2f}{tr.result / tr.wall:>10.0f}{tr.cpu:>7.1f}{diff[key]:>16.1e}{size:>8.0f}")
    print(f"forward: teacher-forced log-probs of the target pieces and </s> (Transformers forward with labels= "
          f"vs score_batch); score: MTModel.score end to end; max |Δ logprob|: largest per-token difference "
          f"from Transformers float32 (per-token log-probs of the random model: mean {mean:.2f}, sd {spread:.2f}); "
          f"largest difference of a unit's mt_logprob: " + ", ".join(f"{q} {d:.1e}" for q, d in unit_diff.items()))
    print(f"Transformers' padded batches ({len(batches)}, CTranslate2's own) hold {padded['source']:.2f}× the real "
          f"source tokens and {padded['target']:.2f}× the target ones (CTranslate2 drops the padding in its linear layers)")
    print(f"1-minute load average during the runs: {', '.join(f'{x:.1f}' for x in load)} "
          f"(on {os.cpu_count()} CPUs; this benchmark alone accounts for up to {args.threads})")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
