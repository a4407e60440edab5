"""Throughput of the MT-model scorer with a model of OPUS-MT en-ar's shape, int8 vs float32.

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

It times, for ~200 segments of ~30 target tokens, the best of ``--repeat`` runs (after a
warm-up) of:

* ``score``: ``MTModel.score`` (tokenization, ``Translator.score_batch`` with
  ``max_batch_size=2048, batch_type="tokens"``, span mapping, findings);
* ``score_batch``: ``Translator.score_batch`` alone on pre-tokenized input;
* ``translate``: ``MTModel.translate``, beam 4 (``--repeat`` − 2 runs, at least one).

Measured on the 2-core development machine (AMD EPYC Zen 3, AVX2 without VNNI, so
CTranslate2 uses oneDNN for int8 and float32 GEMM; CTranslate2 4.8.5, 2 intra threads,
``inter_threads=1``), 200 segments of 30.0 target / 31.0 source tokens on average, best of
3 interleaved rounds (translate: 1)::

    compute type         score seg/s  tok/s  score_batch tok/s  translate seg/s  out tok/s  size MB
    int8 (int8_float32)         14.8    443                453              2.3        102       77
    float32 (float32)           10.5    316                384              2.2        100      304

Another process kept about one of the two cores busy throughout (1-minute load average
2.7-4.9, of which this benchmark is up to 2), so these are lower bounds; an earlier run
of 12 segments at load 3.2 gave int8 559 / float32 402 target tokens/s for ``score`` and
143 / 103 output tokens/s for ``translate``. int8 scores ~1.2-1.4× faster than float32
and its model is 4× smaller; for translation (beam 4) the two runs disagree (1.0× and
1.4×), too noisy under this load to say more. At ~450 tokens/s a delivery of 1,000
sentences of 30 tokens scores in about a minute; a suggested re-translation costs ~0.4 s
a sentence. With ``CT2_USE_MKL=1`` (Intel MKL instead of oneDNN on this AMD CPU) int8
``score_batch`` was 3-4× slower: leave it unset.

Run: ``python scripts/bench_mt_model.py [--work DIR] [--segments 200] [--repeat 3]``
(``--work`` keeps the built models for the next run; needs transformers and torch).
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
    MarianMTModel(config).save_pretrained(hf_dir)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        MarianTokenizer(str(hf_dir / "source.spm"), str(hf_dir / "target.spm"), str(hf_dir / "vocab.json")).save_pretrained(hf_dir)


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

    def run(self, fn) -> None:
        self.tokens = 0
        fn()
        self.last_tokens = self.tokens

    def __getattr__(self, name):
        return getattr(self._t, name)


def interleaved_best(repeat: int, fns: dict, warm_ups: dict | None = None) -> dict[str, float]:
    """Best wall time of each function over ``repeat`` rounds, taking turns within a round,
    so that load from other processes on a shared machine hits every variant alike."""
    for name, fn in fns.items():
        ((warm_ups or {}).get(name) or fn)()  # first-call allocations and thread start-up
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, help="folder for the built models (kept; default: a temporary folder)")
    ap.add_argument("--segments", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    import ctranslate2

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
    probe = load_mt_model(folders["int8"])
    # ~30 target tokens: the FLORES lines whose Arabic has 25-35 pieces, then the closest others.
    lengths = [len(probe.target_sp.encode(t, out_type=str)) for t in ar]
    order = sorted(range(len(ar)), key=lambda i: (abs(lengths[i] - 30), i))[: args.segments]
    units = [ScoringUnit("bench", str(i), 0, len(ar[i]), ar[i], en[i]) for i in sorted(order)]
    n = len(units)
    tgt_tokens = sum(lengths[int(u.segment_id)] for u in units)
    src_tokens = sum(len(probe.source_tokens(u.source or "")) for u in units)
    print(f"ctranslate2 {ctranslate2.__version__}, {n} segments, {tgt_tokens / n:.1f} target / "
          f"{src_tokens / n:.1f} source tokens on average, vocabulary {VOCAB_SIZE}, best of {args.repeat}")
    print(f"{'compute type':<22}{'score seg/s':>12}{'tok/s':>9}{'score_batch tok/s':>19}"
          f"{'translate seg/s':>17}{'out tok/s':>11}{'size MB':>9}")
    models = {q: load_mt_model(folder, compute_type=q, max_length_ratio=1.0) for q, folder in folders.items()}
    tokens = {q: ([m.source_tokens(u.source or "") for u in units], [m.target_tokens(u.target).pieces for u in units])
              for q, m in models.items()}
    load = [os.getloadavg()[0]]
    print("scoring …", file=sys.stderr, flush=True)
    t_score = interleaved_best(args.repeat, {q: (lambda m=m: m.score(units)) for q, m in models.items()})
    t_raw = interleaved_best(args.repeat, {
        q: (lambda m=m, q=q: m.translator.score_batch(*tokens[q], max_batch_size=m.max_batch_tokens, batch_type="tokens"))
        for q, m in models.items()
    })
    load.append(os.getloadavg()[0])
    print("translating …", file=sys.stderr, flush=True)
    counters = {}
    for q, m in models.items():
        counters[q] = m.translator = _CountingTranslator(m.translator)  # type: ignore[assignment]
    sources = [u.source or "" for u in units]
    # Translation is ~20x slower than scoring: warm up on 10 segments, time fewer rounds.
    t_tr = interleaved_best(
        max(1, args.repeat - 2),
        {q: (lambda m=m, q=q: counters[q].run(lambda: m.translate(sources))) for q, m in models.items()},
        {q: (lambda m=m: m.translate(sources[:10])) for q, m in models.items()},
    )
    load.append(os.getloadavg()[0])
    for q, m in models.items():
        out_tokens = counters[q].last_tokens
        size = (folders[q] / "model.bin").stat().st_size / 1e6
        print(f"{q + ' (' + m.compute_type + ')':<22}{n / t_score[q]:>12.1f}{tgt_tokens / t_score[q]:>9.0f}"
              f"{tgt_tokens / t_raw[q]:>19.0f}{n / t_tr[q]:>17.1f}{out_tokens / t_tr[q]:>11.0f}{size:>9.0f}")
    print(f"1-minute load average during the runs: {', '.join(f'{x:.1f}' for x in load)} "
          f"(on {os.cpu_count()} CPUs; this benchmark alone accounts for up to {os.cpu_count()})")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
