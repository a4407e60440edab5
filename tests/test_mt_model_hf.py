"""CTranslate2's ``score_batch`` through mtaudit's converter and scorer, against a plain
Transformers forward pass of the model it was converted from (marker ``slow``).

A tiny Marian model (tests/tiny_marian.py: 2+2 layers, d_model 32, a vocabulary of a few
hundred pieces, trained on the test pairs), English→Arabic and Arabic→English, is converted
with ``mtaudit.scorers.mt.convert.convert_model`` to float32 and int8, and every pair — each
sentence with its own translation and with another sentence's — is scored both ways in
padded, length-sorted batches. (Left with its random initial weights, a model this small
gives every token nearly the same log-probability whatever the source, which would make
agreement meaningless; trained, its log-probs range from about -0.01 to -20.) The Transformers side is
``scripts/bench_mt_model.py``'s ``hf_token_logprobs``, so this also checks that the
benchmark's two paths compute the same thing. tests/test_mt_model.py compares two pairs one
at a time; this covers batching, padding, ``</s>`` and int8.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("sentencepiece")
pytest.importorskip("ctranslate2")
torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tiny_marian import PAIRS, build_tiny_marian

from mtaudit.scorers.mt.load import load_mt_model

ROOT = Path(__file__).resolve().parents[1]
# MarianTokenizer asks for sacremoses when the model is built.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Recommended")]

FLOAT32_TOLERANCE = 1e-4  # measured: at most 1.1e-5 apart (float32 rounding, other kernels)
# int8 weights on a 32-wide model are coarse: per token 0.4-0.5 apart on average (up to ~8 on
# a token float32 gives -15), sentence means up to 0.9 apart; measured, both directions.
INT8_MEAN_TOKEN_DIFF = 1.0
INT8_SENTENCE_MEAN_DIFF = 1.5


def _bench():
    spec = importlib.util.spec_from_file_location("bench_mt_model", ROOT / "scripts" / "bench_mt_model.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


@pytest.fixture(scope="module", params=["en-ar", "ar-en"])
def tiny(request, tmp_path_factory):
    """One tiny model, converted both ways, with the Transformers model it came from."""
    root = tmp_path_factory.mktemp(f"tiny-{request.param}")
    pairs = list(PAIRS) if request.param == "en-ar" else [(ar, en) for en, ar in PAIRS]
    folders = {q: build_tiny_marian(root, quantization=q, pairs=pairs, seed=1) for q in ("float32", "int8")}
    hf_dir = root / "hf"
    return {
        "pairs": pairs,
        "ct2": {q: load_mt_model(f, compute_type=q, threads=1) for q, f in folders.items()},
        "hf": transformers.MarianMTModel.from_pretrained(hf_dir).eval(),
        "vocab": json.loads((hf_dir / "vocab.json").read_text(encoding="utf-8")),
    }


def _examples(tiny, model):
    """Every source with its own translation, then with another sentence's (different lengths)."""
    own = tiny["pairs"]
    pairs = own + [(own[i][0], own[(i + 7) % len(own)][1]) for i in range(len(own))]
    src = [model.source_tokens(s) for s, _ in pairs]  # pieces + </s>
    tgt = [model.target_sp.encode(t, out_type=str) for _, t in pairs]
    return pairs, src, tgt


def _ids(vocab, rows):
    return [[vocab[p] for p in row] for row in rows]


def _max_diff(a, b):
    assert [len(x) for x in a] == [len(y) for y in b]
    return max(abs(x - y) for xs, ys in zip(a, b) for x, y in zip(xs, ys))


def test_score_batch_equals_the_transformers_forward_pass(tiny, bench):
    f32 = tiny["ct2"]["float32"]
    pairs, src, tgt = _examples(tiny, f32)
    src_ids = _ids(tiny["vocab"], src)
    tgt_ids = _ids(tiny["vocab"], [[*t, "</s>"] for t in tgt])
    # A small token budget makes many batches, each padded on both sides.
    batches = bench.token_batches([len(s) for s in src], 160)
    assert len(batches) > 4
    assert any(len({len(src[i]) for i in b}) > 1 for b in batches) and any(len({len(tgt[i]) for i in b}) > 1 for b in batches)

    ref = bench.hf_token_logprobs(tiny["hf"], src_ids, tgt_ids, 160)
    ours = bench.ct2_token_logprobs(f32.translator, src, tgt, 160)
    assert [len(x) for x in ours] == [len(t) + 1 for t in tgt]  # every piece, then </s>
    assert _max_diff(ref, ours) < FLOAT32_TOLERANCE
    # mtaudit's own API: the same values, without </s>.
    assert _max_diff([r[:-1] for r in ref], f32.token_logprobs([s for s, _ in pairs], [t for _, t in pairs])) < FLOAT32_TOLERANCE

    # Padding changes nothing on the Transformers side either: one pair at a time gives the same.
    alone = [bench.hf_token_logprobs(tiny["hf"], [s], [t])[0] for s, t in zip(src_ids[:12], tgt_ids[:12])]
    assert _max_diff(alone, ref[:12]) < 1e-5

    # The tolerance tells a right answer from a wrong one: the same targets with other
    # sources are orders of magnitude further off.
    shifted = bench.hf_token_logprobs(tiny["hf"], src_ids[1:] + src_ids[:1], tgt_ids, 160)
    assert _max_diff(shifted, ours) > 100 * FLOAT32_TOLERANCE


def test_int8_stays_close_to_the_transformers_float32_model(tiny, bench):
    int8 = tiny["ct2"]["int8"]
    assert int8.compute_type.startswith("int8")
    pairs, src, tgt = _examples(tiny, int8)
    ref = bench.hf_token_logprobs(tiny["hf"], _ids(tiny["vocab"], src), _ids(tiny["vocab"], [[*t, "</s>"] for t in tgt]))
    ours = bench.ct2_token_logprobs(int8.translator, src, tgt, 2048)
    diffs = [abs(x - y) for xs, ys in zip(ref, ours) for x, y in zip(xs, ys)]
    assert 0 < sum(diffs) / len(diffs) < INT8_MEAN_TOKEN_DIFF  # 0 would mean int8 was not used
    mean = [sum(x) / len(x) for x in ref], [sum(x) / len(x) for x in ours]
    assert max(abs(a - b) for a, b in zip(*mean)) < INT8_SENTENCE_MEAN_DIFF
    # Each source's own translation stays more likely than another sentence's, as in float32.
    n = len(tiny["pairs"])
    for i in range(n):
        assert mean[0][i] > mean[0][n + i] + 0.3, pairs[i]  # the reference model tells them apart
        assert mean[1][i] > mean[1][n + i], pairs[i]
