"""The CI recipes in examples/ci: the GitHub workflow's and the pre-commit hook's mtaudit
commands are run as written, on the example delivery, and their outputs checked."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from mtaudit.cli import app

yaml = pytest.importorskip("yaml")
ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "examples" / "ci"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A delivery repository laid out as the recipes expect."""
    shutil.copytree(ROOT / "examples" / "ar", tmp_path / "deliveries")
    shutil.copytree(ROOT / "examples" / "en", tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _mtaudit(command: str, extra: list[str] = ()):
    argv = shlex.split(command)
    assert argv[0] == "mtaudit"
    return CliRunner().invoke(app, argv[1:] + list(extra), catch_exceptions=False)


def test_github_workflow_commands(repo):
    flow = yaml.safe_load((CI / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["gate"]["steps"]
    (audit_step,) = [s for s in steps if "mtaudit audit" in s.get("run", "")]
    result = _mtaudit(audit_step["run"])
    assert result.exit_code == 1, result.output  # the example has planted artifacts: the gate fails
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload["if"] == "always()"
    sarif = repo / upload["with"]["sarif_file"]
    log = json.loads(sarif.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"deliveries/cairo_talks.txt"}  # relative to the checkout, as code scanning needs
    (artifact,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    for path in artifact["with"]["path"].split():
        assert (repo / path).exists(), path
    assert (repo / "mtaudit-report" / "report.html").is_file()


def test_pre_commit_hook_commands(repo):
    config = yaml.safe_load((CI / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    files = [p.relative_to(repo).as_posix() for p in sorted((repo / "deliveries").iterdir())]
    staged = [f for f in files if re.search(hook["files"], f)]
    assert staged == ["deliveries/cairo_talks.txt", "deliveries/oil_prices.txt"]
    result = _mtaudit(hook["entry"], staged)
    assert result.exit_code == 1
    assert result.stdout == ".mtaudit-report\n"
    assert result.stderr.startswith("mtaudit: FAIL: fail-on major: ")
    clean = _mtaudit(hook["entry"], ["deliveries/oil_prices.txt"])
    assert clean.exit_code == 0 and clean.stderr.startswith("mtaudit: PASS")
    (published,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert published["entry"] == hook["entry"] and published["id"] == hook["id"]


def test_cli_hygiene(tmp_path):
    runner = CliRunner()
    version = r"mtaudit \d+\.\d+\.\d+\n"
    decoder = r"transliteration decoder: (compiled \(C extension\)|pure Python: .+)\n"
    assert re.fullmatch(version + decoder, runner.invoke(app, ["--version"]).stdout)
    help_text = runner.invoke(app, ["audit", "--help"]).stdout
    assert "mtaudit[comet]" in help_text
    assert "--adequacy " in help_text and "--adequacy BOOLEAN" not in help_text
    story = tmp_path / "a.txt"
    story.write_text("الحكومة تعلن خطة جديدة\nأعلنت الحكومة اليوم خطة جديدة.\n", encoding="utf-8")
    score = runner.invoke(app, ["score", str(story), "--out", str(tmp_path / "o")])
    assert score.exit_code == 2 and "nothing to score" in score.stderr and not (tmp_path / "o").exists()
    impossible = runner.invoke(app, ["audit", str(story), "--out", str(tmp_path / "o2"), "--min-score", "comet=0.8"])
    assert impossible.exit_code == 2 and "cannot produce it" in impossible.stderr
    assert not (tmp_path / "o2").exists()  # refused before the audit ran
