"""mtaudit compare: paired bootstrap for the quality score, sacrebleu's for chrF2/BLEU."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import require_shared
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.gate.compare import quality_bootstrap, sacrebleu_bootstrap


def test_quality_bootstrap_sees_a_real_drop_and_not_noise():
    words = [300] * 40
    old = [5] * 40
    worse = [5] * 20 + [30] * 20  # half the articles lost 25 points
    s = quality_bootstrap(old, worse, words, 500, 0.05)
    assert s.delta < 0 and s.p_value < 0.05 and s.ci_high < 0 and s.worse
    same = quality_bootstrap(old, old, words, 500, 0.05)
    assert same.delta == 0 and not same.worse and same.p_value == 1.0


def test_sacrebleu_bootstrap_flags_a_worse_system():
    refs = ["ذهب الولد إلى المدرسة صباحا", "أعلنت الحكومة خطة جديدة للتعليم", "وصل الوزير إلى القاهرة اليوم"] * 8
    bad = ["ذهب إلى", "أعلنت خطة", "وصل الوزير"] * 8
    sig = {s.measure: s for s in sacrebleu_bootstrap(list(zip(refs, bad, refs)), 200, 0.05)}
    assert sig["chrf2"].old == 100 and sig["chrf2"].new < 60 and sig["chrf2"].worse and sig["bleu"].p_value < 0.05


@pytest.mark.slow
@pytest.mark.shared_data
def test_compare_hplt_against_a_corrupted_copy(tmp_path):
    require_shared("data/hplt_flores200_mt")
    spec = importlib.util.spec_from_file_location("cb", Path(__file__).parents[1] / "scripts" / "compare_benchmark.py")
    cb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cb)
    bad = cb.build(200, 50, tmp_path)
    out = tmp_path / "cmp"
    result = CliRunner().invoke(app, ["compare", str(tmp_path / "old.jsonl"), str(tmp_path / "new.jsonl"), "--out", str(out), "--no-align", "--samples", "300"])
    assert result.exit_code == 1, result.output
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    sig = {s["measure"]: s for s in data["significance"]}
    assert sig["chrf2"]["delta"] < 0 and sig["chrf2"]["p_value"] < 0.05 and data["significantly_worse"]
    top = {r["article_id"] for r in data["articles"][: len(bad)]}
    assert len(top & bad) >= 0.9 * len(bad)
    assert (out / "compare.csv").is_file() and "Significance" in (out / "compare.html").read_text(encoding="utf-8")
