"""The CI gate end to end: baselines, suppressions, SARIF (validated against the official
2.1.0 schema), JUnit (parsed with junitparser), GitHub annotations and --format json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml
from typer.testing import CliRunner

from mtaudit.cli import app

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
HEAD = "وزير الخارجية يلتقي نظيره في القاهرة"
STUTTER = f"{HEAD}\nقال المتحدث إن الدعم الدبلوماسي الدبلوماسي مستمر.\nوأضاف أن المحادثات ستستمر الأسبوع المقبل.\n"
CLEAN = "الحكومة تعلن خطة جديدة للتعليم\nأعلنت الحكومة اليوم خطة جديدة لتطوير التعليم في المدارس الحكومية.\n"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def delivery(tmp_path):
    folder = tmp_path / "delivery"
    folder.mkdir()
    (folder / "a.txt").write_text(STUTTER, encoding="utf-8")
    (folder / "b.txt").write_text(CLEAN, encoding="utf-8")
    return folder


def _json(result):
    return json.loads(result.stdout)


def test_sarif_junit_and_json_from_one_run(delivery, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sarif, junit = tmp_path / "out.sarif", tmp_path / "junit.xml"
    result = run("audit", delivery, "--out", tmp_path / "r", "--sarif", sarif, "--junit", junit, "--format", "json")
    assert result.exit_code == 1
    data = _json(result)  # stdout is the result, nothing else
    assert data["summary"]["failed_rules"] == ["fail-on major"]
    (finding,) = [f for a in data["articles"] for f in a["findings"]]
    assert finding["check"] == "repeated-word" and len(finding["fingerprint"]) == 16 and finding["penalty"] == 5

    log = json.loads(sarif.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    run_ = log["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "repeated-word" in rule_ids and run_["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
    (res,) = run_["results"]
    assert res["ruleId"] == "repeated-word" and rule_ids[res["ruleIndex"]] == "repeated-word"
    region = res["locations"][0]["physicalLocation"]["region"]
    line = STUTTER.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == finding["text"]
    assert STUTTER[region["charOffset"] : region["charOffset"] + region["charLength"]] == finding["text"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "delivery/a.txt"
    assert res["partialFingerprints"]["mtaudit/v1"] == finding["fingerprint"]

    xml = JUnitXml.fromfile(str(junit))
    cases = {c.name: c for suite in xml for c in suite}
    assert set(cases) == {"a", "b"}
    assert cases["b"].is_passed
    (failure,) = [r for r in cases["a"].result if isinstance(r, Failure)]
    assert "fail-on major" in failure.message and "الدبلوماسي الدبلوماسي" in failure.text


@pytest.mark.slow
def test_sarif_result_limit_keeps_the_worst(delivery, tmp_path):
    from mtaudit.gate.triage import triage
    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.inputs.readers import read_inputs
    from mtaudit.reports.sarif import to_sarif
    from mtaudit.run.pipeline import AuditConfig, audit

    (delivery / "c.txt").write_text(CLEAN.replace("خطة جديدة", "خطة جديدة ، "), encoding="utf-8")  # a minor finding
    result = audit(read_inputs([delivery]).articles, AuditConfig(checks=["repeated-word", "punctuation-spacing"]))
    triage(result)
    log = to_sarif(result, GatePolicy(), max_results=1)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    run_ = log["runs"][0]
    assert [r["level"] for r in run_["results"]] == ["error"]
    assert run_["properties"]["resultsOmitted"] == run_["properties"]["resultsTotal"] - 1 >= 1
    assert "left out" in run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


@pytest.mark.slow
def test_baseline_fails_only_on_new_findings_and_suppressions_are_listed(delivery, tmp_path):
    base = tmp_path / "baseline.json"
    created = run("baseline", "create", delivery, "--output", base)
    assert created.exit_code == 0, created.output
    assert json.loads(base.read_text(encoding="utf-8"))["findings"][0]["check"] == "repeated-word"
    same = run("audit", delivery, "--out", tmp_path / "r1", "--baseline", base, "-q")
    assert same.exit_code == 0, same.output

    # An unrelated paragraph edited (and one added above) keeps the old finding's fingerprint;
    # one new artifact in the other article is the only thing that fails.
    (delivery / "a.txt").write_text(STUTTER.replace(HEAD + "\n", HEAD + "\nفقرة جديدة في البداية.\n").replace("الأسبوع المقبل", "الشهر المقبل"), encoding="utf-8")
    (delivery / "b.txt").write_text(CLEAN.replace("خطة جديدة لتطوير", "خطة خطة جديدة لتطوير"), encoding="utf-8")
    edited = run("audit", delivery, "--out", tmp_path / "r2", "--baseline", base, "--format", "json")
    assert edited.exit_code == 1
    data = _json(edited)
    states = {(a["article_id"], f["text"]): f["baseline"] for a in data["articles"] for f in a["findings"]}
    assert states == {("a", "الدبلوماسي الدبلوماسي"): "unchanged", ("b", "خطة خطة"): "new"}
    assert data["summary"]["baseline"] == {"new": 1, "unchanged": 1, "fixed": 0}
    assert data["summary"]["reasons"] == ["fail-on major: 1 new finding(s) at or above major in 1 article(s)"]

    new_fp = next(f["fingerprint"] for a in data["articles"] for f in a["findings"] if f["baseline"] == "new")
    sup = tmp_path / "suppressions.csv"
    sup.write_text(f"fingerprint,check,article_id,text,reason,author,date\n{new_fp},repeated-word,b,خطة خطة,quoted speech,Hana,2026-12-02\n", encoding="utf-8")
    sarif = tmp_path / "s.sarif"
    ok = run("audit", delivery, "--out", tmp_path / "r3", "--baseline", base, "--suppressions", sup, "--sarif", sarif)
    assert ok.exit_code == 0, ok.output
    assert "suppressed 1" in ok.stdout and "baseline: 0 new, 0 fixed" in ok.stdout
    assert "quoted speech" in (tmp_path / "r3" / "suppressed.csv").read_text(encoding="utf-8-sig")
    log = json.loads(sarif.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == ["quoted speech"]
    assert sorted(r["baselineState"] for r in log["runs"][0]["results"]) == ["new", "unchanged"]  # the new one is suppressed

    # The old artifact fixed: reported as fixed, still exit 0.
    (delivery / "a.txt").write_text(STUTTER.replace("الدبلوماسي الدبلوماسي", "الدبلوماسي"), encoding="utf-8")
    (delivery / "b.txt").write_text(CLEAN, encoding="utf-8")
    fixed = run("audit", delivery, "--out", tmp_path / "r4", "--baseline", base, "--format", "github")
    assert fixed.exit_code == 0
    assert fixed.stdout.strip().splitlines()[-1].startswith("::notice title=mtaudit verdict::PASS")


def test_github_annotations_and_quiet_verdict_line(delivery, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("audit", delivery, "--out", tmp_path / "r", "-q")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=") and ",line=2,col=" in lines[0] and "title=mtaudit repeated-word (major)" in lines[0]
    assert lines[-2].startswith("::error title=mtaudit verdict::FAIL: fail-on major")
    assert lines[-1] == str(tmp_path / "r")
    assert result.stderr.strip() == "mtaudit: FAIL: fail-on major: 1 finding(s) at or above major in 1 article(s)"
