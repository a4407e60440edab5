"""scripts/check_benchmark.py and its corruptions, on a few lines written here (no ../shared)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import check_benchmark  # noqa: E402
from bench_common import Line, held_out  # noqa: E402
from check_corruptions import Kit, cases  # noqa: E402
from conftest import default_resources  # noqa: E402

LINES = [
    Line("t", 0, "قال المسؤول إن الحكومة «ستدرس» الاقتراح الذي قدمه 25 نائباً يوم الثلاثاء.",
         "The official said the government would \"study\" the proposal made by 25 deputies on Tuesday."),
    Line("t", 1, "وأضاف أن الاجتماع المقبل سيعقد في العاصمة خلال 3 أسابيع.",
         "He added that the next meeting would be held in the capital within 3 weeks."),
    Line("t", 2, "وأكدت الوزارة أن المستشفيات استقبلت 120 مريضاً منذ بداية الشهر.",
         "The ministry confirmed that hospitals had received 120 patients since the start of the month."),
    Line("t", 3, "وقالت المنظمة إن الوضع الإنساني في المنطقة ما زال صعباً جداً.",
         "The organisation said the humanitarian situation in the region was still very difficult."),
]


@pytest.fixture(scope="module")
def made():
    return cases(LINES, Kit(Path("/nonexistent"), default_resources()))


def test_the_split_is_fixed():
    assert [held_out(i) for i in range(8)] == [False, False, False, True] * 2
    assert [l.held_out for l in LINES] == [False, False, False, True]


def test_every_line_class_makes_cases_with_spans_inside_their_article(made):
    checks = {c.check for c in made}
    for expected in ("english-in-arabic", "calque", "dateline", "punctuation-spacing", "unbalanced-marks",
                     "agreement", "possessive-order", "number-mismatch", "repeated-word", "latin-leftover", "placeholder",
                     "style-tatweel", "style-hamza", "style-ta-marbuta", "style-alef-maqsura"):
        assert expected in checks, expected
    for c in made:
        if c.at:
            k, s, e = c.at
            assert 0 <= s < e <= len(c.articles[k][0]), c
        assert c.held_out == LINES[3].held_out or c.corpus == "t"


def test_the_benchmark_finds_the_errors_the_checks_exist_for(made, tmp_path):
    first: dict = {}
    for c in made:
        if not c.control:
            first.setdefault(c.check, c)  # one error of each class
    chosen = list(first.values())
    job = {"clean": {"t": [[l.target, l.source] for l in LINES]}, "seeds": [], "cases": [c.to_json() for c in chosen]}
    job_path, out_path = tmp_path / "job.json", tmp_path / "out.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    check_benchmark.measure(job_path, out_path, default_resources())
    out = json.loads(out_path.read_text(encoding="utf-8"))
    assert out["clean"]["t|source"]["words"] > 40
    found = {}
    for k, with_source, hit, _major in out["cases"]:
        if with_source:
            found.setdefault(chosen[k].check, []).append(hit)
    for check in ("repeated-word", "calque", "dateline", "punctuation-spacing", "number-mismatch", "style-tatweel", "style-ta-marbuta"):
        assert any(found[check]), (check, found)
    lines = check_benchmark.report(job, {"this tree": out})
    assert any(line.startswith("repeated-word") for line in lines)
