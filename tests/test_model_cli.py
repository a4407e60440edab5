"""The model back-ends through the CLI, on tiny models built locally: COMET (--comet),
the CTranslate2 MT model (--mt-model, --back-model) and `mtaudit models convert`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mtaudit.cli import app

pytest.importorskip("torch")
pytest.importorskip("transformers")

from tiny_marian import PAIRS, build_tiny_marian, build_tiny_marian_hf  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> dict[str, Path]:
    """Two articles as folders of .txt files: target, English source, Arabic reference.
    The second target has a planted repeated word (a major finding)."""
    root = tmp_path_factory.mktemp("delivery")
    for name in ("ar", "en", "ref"):
        (root / name).mkdir()
    (root / "ar/a.txt").write_text(f"{PAIRS[0][1]} {PAIRS[1][1]}\n{PAIRS[2][1]}\n", encoding="utf-8")
    (root / "en/a.txt").write_text(f"{PAIRS[0][0]} {PAIRS[1][0]}\n{PAIRS[2][0]}\n", encoding="utf-8")
    (root / "ref/a.txt").write_text(f"{PAIRS[0][1]} {PAIRS[1][1]}\n{PAIRS[2][1]}\n", encoding="utf-8")
    planted = PAIRS[4][1].replace("الانفجار", "الانفجار الانفجار")
    (root / "ar/b.txt").write_text(f"{PAIRS[3][1]}\n{planted}\n", encoding="utf-8")
    (root / "en/b.txt").write_text(f"{PAIRS[3][0]}\n{PAIRS[4][0]}\n", encoding="utf-8")
    (root / "ref/b.txt").write_text(f"{PAIRS[3][1]}\n{PAIRS[4][1]}\n", encoding="utf-8")
    return {k: root / k for k in ("ar", "en", "ref")}


@pytest.fixture(scope="module")
def marian(tmp_path_factory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("mt") / "en-ar")


def test_mt_model_scores_flags_and_suggests(delivery, marian, tmp_path):
    out = tmp_path / "r"
    res = runner.invoke(app, ["audit", str(delivery["ar"]), "--source", str(delivery["en"]),
                              "--mt-model", str(marian), "--out", str(out), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    seg = pd.read_csv(out / "segments.csv", encoding="utf-8-sig")
    body = seg[seg["kind"] != "boilerplate"]
    assert body["mt_logprob"].notna().all() and (body["mt_logprob"] <= 0).all()
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig", keep_default_na=False)
    retranslations = findings[findings["check"] == "mt-retranslation"]
    # only the passage with the planted major finding gets a fresh translation
    assert set(retranslations["article_id"]) <= {"b"}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in delivery["ar"].glob("*.txt")}
    for row in findings.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.text
    signature = json.loads((out / "findings.json").read_text(encoding="utf-8"))["signature"]["scorers"]["mt-model"]
    assert "int8" in signature


def test_back_translation_chrf(delivery, marian, tmp_path_factory, tmp_path):
    ar_en = build_tiny_marian(tmp_path_factory.mktemp("bt") / "ar-en", pairs=[(a, e) for e, a in PAIRS])
    out = tmp_path / "r"
    res = runner.invoke(app, ["score", str(delivery["ar"]), "--source", str(delivery["en"]),
                              "--back-model", str(ar_en), "--out", str(out)])
    assert res.exit_code == 0, res.output
    arts = pd.read_csv(out / "articles.csv", encoding="utf-8-sig")
    assert arts["bt_chrf"].between(0, 100).all()


def test_missing_or_broken_mt_model_exits_2(delivery, tmp_path):
    res = runner.invoke(app, ["audit", str(delivery["ar"]), "--mt-model", "/nonexistent/model"])
    assert res.exit_code == 2 and "/nonexistent/model" in res.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    res = runner.invoke(app, ["audit", str(delivery["ar"]), "--mt-model", str(broken)])
    assert res.exit_code == 2 and str(broken) in res.output


def test_models_convert_command(tmp_path):
    hf = build_tiny_marian_hf(tmp_path / "hf")
    out = tmp_path / "ct2"
    res = runner.invoke(app, ["models", "convert", str(hf), str(out), "--quantization", "float32"])
    assert res.exit_code == 0, res.output
    assert (out / "model.bin").is_file() and (out / "source.spm").is_file()
    res = runner.invoke(app, ["models", "convert", str(hf), str(out)])
    assert res.exit_code == 2  # the output exists and --force was not given


def test_comet_through_the_cli(delivery, tmp_path_factory, tmp_path):
    pytest.importorskip("comet")
    from tiny_comet import build_tiny_comet

    model = build_tiny_comet(tmp_path_factory.mktemp("comet"), referenceless=False)
    out = tmp_path / "r"
    args = ["score", str(delivery["ar"]), "--source", str(delivery["en"]), "--reference", str(delivery["ref"]),
            "--comet", str(model), "--out", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    seg = pd.read_csv(out / "segments.csv", encoding="utf-8-sig")
    assert seg["comet"].notna().any()
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert "comet" in report["signature"]["scorers"] and "comet" in report["summary"]["scores"]
    value = pd.read_csv(out / "articles.csv", encoding="utf-8-sig")["comet"].min()
    res = runner.invoke(app, [*args, "--min-score", f"comet={value + 1}"])
    assert res.exit_code == 1, res.output


def test_missing_comet_model_exits_2_naming_it(delivery, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-cache"))
    res = runner.invoke(app, ["audit", str(delivery["ar"]), "--comet", "Unbabel/wmt22-comet-da"])
    assert res.exit_code == 2 and "Unbabel/wmt22-comet-da" in res.output
