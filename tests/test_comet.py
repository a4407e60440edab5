"""COMET scorer: offline resolution, loading and scoring of real (tiny) COMET checkpoints.

The models are built here by tests/tiny_comet.py (a sentencepiece XLM-R tokenizer, a
2-layer XLM-R config, random estimator weights) in the layout comet.download_model leaves,
and go through exactly the loading and predict code a downloaded wmt22-comet-da does.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("comet")

from tiny_comet import SENTENCES_AR, SENTENCES_EN, build_tiny_comet  # noqa: E402
from unit_checks import unit_check_findings  # noqa: E402

from mtaudit.scorers import ModelUnavailable, ScoringUnit  # noqa: E402
from mtaudit.scorers.comet import (  # noqa: E402
    CometScorer,
    _place_span,
    checkpoint_digest,
    load_comet,
    resolve_checkpoint,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("comet-models")
    return {
        "ref": build_tiny_comet(root, referenceless=False),
        "qe": build_tiny_comet(root, referenceless=True),
        "spans": build_tiny_comet(root, word_level=True),
    }


@pytest.fixture(scope="session")
def ref_scorer(tiny_models) -> CometScorer:
    return load_comet(str(tiny_models["ref"]), batch_size=4, threads=1)


@pytest.fixture(scope="session")
def qe_scorer(tiny_models) -> CometScorer:
    return load_comet(str(tiny_models["qe"]), batch_size=4, threads=1)


def article_units(targets, sources, references, article_id="art"):
    """Units laid end to end in one article text, as the pipeline would give them."""
    text, units = "", []
    for i, (tgt, src, ref) in enumerate(zip(targets, sources, references)):
        if text:
            text += "\n"
        start = len(text)
        text += tgt
        units.append(ScoringUnit(article_id, f"s{i}", start, len(text), tgt, src, ref))
    return text, units


def mixed_length_units():
    """Units whose lengths differ a lot and are not sorted, so batching reorders them."""
    targets = [
        SENTENCES_AR[0],
        " ".join(SENTENCES_AR[1:6]),
        SENTENCES_AR[6][:12],
        " ".join(SENTENCES_AR[7:9]),
        SENTENCES_AR[9],
        " ".join(SENTENCES_AR[10:16]),
        SENTENCES_AR[16],
    ]
    sources = [
        SENTENCES_EN[0],
        " ".join(SENTENCES_EN[1:6]),
        SENTENCES_EN[6][:20],
        " ".join(SENTENCES_EN[7:9]),
        SENTENCES_EN[9],
        " ".join(SENTENCES_EN[10:16]),
        SENTENCES_EN[16],
    ]
    references = [t.replace("في", "فى") for t in targets]
    return article_units(targets, sources, references)


# --------------------------------------------------------------------------- resolving


def test_import_is_light():
    code = "import sys, mtaudit.scorers.comet; print('torch' in sys.modules, 'comet' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_resolve_folder_and_file(tiny_models):
    folder = tiny_models["ref"]
    ckpt = folder / "checkpoints" / "model.ckpt"
    assert resolve_checkpoint(str(folder)) == ckpt
    assert resolve_checkpoint(str(ckpt)) == ckpt


def test_missing_path_names_it(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelUnavailable) as e:
        resolve_checkpoint(str(missing))
    assert str(missing) in str(e.value)
    with pytest.raises(ModelUnavailable) as e:
        load_comet(str(missing / "checkpoints" / "model.ckpt"))
    assert str(missing) in str(e.value)


def test_folder_without_checkpoint(tmp_path):
    with pytest.raises(ModelUnavailable) as e:
        resolve_checkpoint(str(tmp_path))
    assert str(tmp_path / "checkpoints" / "model.ckpt") in str(e.value)


def test_uncached_model_id_names_id_and_cache(tmp_path, monkeypatch):
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelUnavailable) as e:
        load_comet("Unbabel/wmt22-comet-da")
    msg = str(e.value)
    assert "Unbabel/wmt22-comet-da" in msg
    assert str(tmp_path / "hf" / "hub" / "models--Unbabel--wmt22-comet-da") in msg
    assert "download_model('Unbabel/wmt22-comet-da')" in msg
    assert "--comet PATH" in msg


def _hub_layout(model_folder: Path, cache: Path, repo_id: str, revision: str = "0123abcd") -> Path:
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snap = repo / "snapshots" / revision
    shutil.copytree(model_folder, snap)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)
    return snap


def test_cached_model_id_is_found_and_loaded(tiny_models, tmp_path, monkeypatch):
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    snap = _hub_layout(tiny_models["qe"], tmp_path / "hf" / "hub", "Tiny/cometkiwi")
    assert resolve_checkpoint("Tiny/cometkiwi") == snap / "checkpoints" / "model.ckpt"
    # The cache's repo folder works as a path too.
    assert resolve_checkpoint(str(snap.parents[1])) == snap / "checkpoints" / "model.ckpt"
    scorer = load_comet("Tiny/cometkiwi", threads=1)
    assert scorer.signature().startswith("comet:Tiny/cometkiwi|")
    # Loaded from a path inside the cache, the signature still names the hub id.
    assert load_comet(str(snap), threads=1).signature().startswith("comet:Tiny/cometkiwi|")


def _copy_with_encoder(model_folder: Path, dest: Path, encoder: str) -> Path:
    shutil.copytree(model_folder, dest)
    hp = dest / "hparams.yaml"
    lines = [
        f"pretrained_model: {encoder}" if ln.startswith("pretrained_model:") else ln
        for ln in hp.read_text().splitlines()
    ]
    hp.write_text("\n".join(lines) + "\n")
    return dest


def test_missing_encoder_folder_is_named(tiny_models, tmp_path):
    encoder = tmp_path / "no-such-encoder"
    folder = _copy_with_encoder(tiny_models["ref"], tmp_path / "model", str(encoder))
    with pytest.raises(ModelUnavailable) as e:
        load_comet(str(folder))
    assert str(encoder) in str(e.value)
    assert "pretrained_model" in str(e.value)


def test_uncached_encoder_id_is_named(tiny_models, tmp_path, monkeypatch):
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    folder = _copy_with_encoder(tiny_models["qe"], tmp_path / "model", "microsoft/infoxlm-large")
    with pytest.raises(ModelUnavailable) as e:
        resolve_checkpoint(str(folder))
    msg = str(e.value)
    assert "'microsoft/infoxlm-large'" in msg
    assert str(tmp_path / "hf" / "hub" / "models--microsoft--infoxlm-large") in msg


def test_encoder_folder_without_tokenizer(tiny_models, tmp_path):
    encoder = tmp_path / "half-encoder"
    encoder.mkdir()
    shutil.copy(tiny_models["ref"].parent / "tiny-encoder" / "config.json", encoder)
    folder = _copy_with_encoder(tiny_models["ref"], tmp_path / "model", str(encoder))
    with pytest.raises(ModelUnavailable, match="lacks .*tokenizer.json"):
        resolve_checkpoint(str(folder))


def test_missing_hparams(tiny_models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_models["ref"], folder)
    (folder / "hparams.yaml").unlink()
    with pytest.raises(ModelUnavailable) as e:
        load_comet(str(folder))
    assert str(folder / "hparams.yaml") in str(e.value)


def test_git_lfs_pointer(tiny_models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_models["ref"], folder)
    (folder / "checkpoints" / "model.ckpt").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 2277398000\n"
    )
    with pytest.raises(ModelUnavailable, match="Git LFS pointer"):
        resolve_checkpoint(str(folder))


def test_load_error_keeps_original_text(tiny_models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_models["ref"], folder)
    (folder / "checkpoints" / "model.ckpt").write_bytes(b"\x80\x02 this is not a checkpoint" * 10)
    with pytest.raises(ModelUnavailable) as e:
        load_comet(str(folder))
    msg = str(e.value)
    assert msg.startswith(f"cannot load COMET checkpoint {folder / 'checkpoints' / 'model.ckpt'}: ")
    assert "Error" in msg  # the original exception's type and text follow


def test_unknown_model_class(tiny_models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_models["ref"], folder)
    hp = folder / "hparams.yaml"
    hp.write_text(hp.read_text().replace("class_identifier: regression_metric", "class_identifier: magic_metric"))
    with pytest.raises(ModelUnavailable, match="unknown model class 'magic_metric'.*regression_metric"):
        load_comet(str(folder))


def test_comet_not_installed(monkeypatch, tiny_models):
    monkeypatch.setitem(sys.modules, "comet", None)
    with pytest.raises(ModelUnavailable, match=r'pip install -e "\.\[comet\]" in the mtaudit checkout, torch first \(CPU build: pip install torch==2\.13\.0 --index-url https://download\.pytorch\.org/whl/cpu\)'):
        load_comet(str(tiny_models["ref"]))


def test_digest_reads_ends_and_size(tmp_path):
    big = tmp_path / "big.ckpt"
    data = bytearray(os.urandom(3 * (1 << 20)))
    big.write_bytes(bytes(data))
    d0 = checkpoint_digest(big)
    data[(1 << 20) + 5] ^= 0xFF  # the middle is not hashed: a deliberate trade-off
    big.write_bytes(bytes(data))
    assert checkpoint_digest(big) == d0
    data[-1] ^= 0xFF
    big.write_bytes(bytes(data))
    assert checkpoint_digest(big) != d0
    big.write_bytes(bytes(data) + b"x")
    assert len(checkpoint_digest(big)) == 12


# --------------------------------------------------------------------------- scoring


def test_loading_leaves_logging_alone(tiny_models):
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    load_comet(str(tiny_models["qe"]), threads=1)
    assert (list(root.handlers), root.level) == before


def test_reference_model_scores_and_keys(ref_scorer):
    assert ref_scorer.requires_references and ref_scorer.column == "comet" and ref_scorer.name == "comet"
    _, units = mixed_length_units()
    out = ref_scorer.score(units)
    assert list(out.scores) == [u.key for u in units]
    assert all(set(v) == {"comet"} and math.isfinite(v["comet"]) for v in out.scores.values())
    values = [v["comet"] for v in out.scores.values()]
    assert len(set(values)) == len(values)  # different inputs, different scores
    assert out.system["comet"] == pytest.approx(sum(values) / len(values))
    # Each unit alone gets the score it got in the length-sorted batches.
    for u in (units[1], units[2], units[5]):
        alone = ref_scorer.score([u]).scores[u.key]["comet"]
        assert alone == pytest.approx(out.scores[u.key]["comet"], abs=1e-5)
    # Reversing the input order changes nothing.
    rev = ref_scorer.score(list(reversed(units)))
    for k, v in out.scores.items():
        assert rev.scores[k]["comet"] == pytest.approx(v["comet"], abs=1e-5)


def test_reference_model_skips_units_it_cannot_score(ref_scorer):
    _, units = mixed_length_units()
    no_ref = ScoringUnit("art", "noref", 0, 5, units[0].target, units[0].source, None)
    no_src = ScoringUnit("art", "nosrc", 0, 5, units[0].target, None, units[0].reference)
    omission = ScoringUnit("art", "omitted", 7, 7, "", units[0].source, units[0].reference)
    out = ref_scorer.score([no_ref, units[0], no_src, omission, units[3]])
    assert list(out.scores) == [units[0].key, units[3].key]
    assert ref_scorer.score([no_ref, omission]).scores == {}


def test_qe_model_needs_no_reference(qe_scorer):
    assert not qe_scorer.requires_references and qe_scorer.column == "comet_qe"
    _, units = mixed_length_units()
    units = [ScoringUnit(u.article_id, u.segment_id, u.start, u.end, u.target, u.source, None) for u in units]
    out = qe_scorer.score(units)
    assert list(out.scores) == [u.key for u in units]
    assert all(math.isfinite(v["comet_qe"]) for v in out.scores.values())
    assert set(out.system) == {"comet_qe"}
    assert "|refs:no|" in out.signature


def test_signature(ref_scorer, tiny_models):
    import comet

    sig = ref_scorer.score(mixed_length_units()[1][:1]).signature
    assert sig.startswith("comet:tiny-comet-da|ckpt_sha256:")
    assert f"|comet:{comet.__version__}|" in sig and "|refs:yes|batch:4|" in sig
    assert checkpoint_digest(tiny_models["ref"] / "checkpoints" / "model.ckpt") in sig


def _predict_scores(scorer: CometScorer, units, refs: bool) -> list[float]:
    """unbabel-comet's predict, called as a user would (batch size, gpus=0), on the units in order."""
    samples = [{"src": u.source, "mt": u.target, **({"ref": u.reference} if refs else {})} for u in units]
    return list(scorer.model.predict(samples, batch_size=scorer.batch_size, gpus=0, progress_bar=False)["scores"])


@pytest.mark.parametrize("kind", ["ref", "qe"])
def test_fast_path_gives_predicts_scores(kind, ref_scorer, qe_scorer):
    scorer = ref_scorer if kind == "ref" else qe_scorer
    assert scorer.fast, "regression models skip predict"
    _, units = mixed_length_units()
    # A repeated source and an MT equal to its reference: each text is embedded once.
    units.append(ScoringUnit("art", "dup", 0, 5, units[0].reference, units[0].source, units[0].reference))
    if kind == "qe":
        units = [ScoringUnit(u.article_id, u.segment_id, u.start, u.end, u.target, u.source, None) for u in units]
    expected = _predict_scores(scorer, units, refs=kind == "ref")
    got = [v[scorer.column] for v in scorer.score(units).scores.values()]
    assert got == pytest.approx(expected, abs=1e-5)


def test_int8_encoder_stays_within_001_of_predict(tiny_models, ref_scorer):
    import torch

    _, units = mixed_length_units()
    expected = _predict_scores(ref_scorer, units, refs=True)
    int8 = load_comet(str(tiny_models["ref"]), batch_size=4, threads=1, quantize=True)
    linear = [m for m in int8.model.encoder.modules() if isinstance(m, torch.nn.Linear)]
    quantized = [m for m in int8.model.encoder.modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)]
    assert quantized and not linear, "every encoder Linear is int8"
    assert not any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in int8.model.estimator.modules())
    out = int8.score(units)
    got = [v["comet"] for v in out.scores.values()]
    assert got == pytest.approx(expected, abs=0.01)
    assert got != pytest.approx(expected, abs=1e-6), "int8 arithmetic shows in the last digits"
    assert out.signature.endswith("|int8:yes") and "int8" not in ref_scorer.signature()


def test_predict_path_still_available(tiny_models, ref_scorer):
    slow = load_comet(str(tiny_models["ref"]), batch_size=4, threads=1, fast=False)
    assert not slow.fast
    _, units = mixed_length_units()
    fast = ref_scorer.score(units).scores
    for k, v in slow.score(units).scores.items():
        assert v["comet"] == pytest.approx(fast[k]["comet"], abs=1e-5)


def test_error_spans_become_findings_at_article_offsets(tiny_models):
    scorer = load_comet(str(tiny_models["spans"]), batch_size=3, threads=1)
    text, units = mixed_length_units()
    assert not scorer.fast, "a word-level model goes through predict"
    out = scorer.score(units)
    assert list(out.scores) == [u.key for u in units]
    found = unit_check_findings("comet-error-span", scorer, out, units, text)
    assert found, "the tiny tagger flags about half the subwords"
    by_key = {u.key: u for u in units}
    for f in found:
        u = by_key[(f.article_id, f.segment_id)]
        assert u.start <= f.start < f.end <= u.end
        assert f.text == text[f.start : f.end] and f.text.strip() == f.text
        assert f.check == "comet-error-span" and f.severity.value in {"minor", "major", "critical"}
        assert 0.0 <= f.confidence <= 1.0


def test_place_span_checks_and_repairs_offsets():
    target = "قال الوزير إن المفاوضات كانت صعبة."
    i = target.index("المفاوضات")
    good = {"text": "المفاوضات", "start": i, "end": i + 9}
    assert _place_span(target, good) == (i, i + 9)
    # A span that starts on the preceding space is trimmed.
    assert _place_span(target, {**good, "start": i - 1}) == (i, i + 9)
    # Offsets that cut something else: the text is found again in the target.
    assert _place_span(target, {**good, "start": 0, "end": 3}) == (i, i + 9)
    # Offsets out of range (the end-of-sentence token has offset (0, 0)).
    assert _place_span(target, {**good, "start": i, "end": 0}) == (i, i + 9)
    # Nothing in the target matches: dropped.
    assert _place_span(target, {"text": "غير موجود", "start": 0, "end": 3}) is None
    assert _place_span(target, {"text": "", "start": 5, "end": 2}) is None
