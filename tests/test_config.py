"""Configuration files (mtaudit.config): discovery, profiles, validation, origins, CLI."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.config import ConfigError, discover, load, show

TOML = """
[tool.mtaudit]
fail_on = "minor"
exclude = ["calque"]
weights = { major = 10 }
severity = { "punctuation-spacing" = "info" }
max_findings = { "repeated-word" = 2 }
references = ["refs"]

[tool.mtaudit.profiles.wire]
fail_on = "critical"
min_quality = 90
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "refs").mkdir()
    (tmp_path / "pyproject.toml").write_text(TOML, encoding="utf-8")
    sub = tmp_path / "deliveries" / "today"
    sub.mkdir(parents=True)
    return tmp_path, sub


def test_discovered_upwards_with_origins(project):
    root, sub = project
    path, table = discover(sub)
    assert path == root / "pyproject.toml" and table["fail_on"] == "minor"
    s = load(start=sub)
    assert s["fail_on"] == "minor" and s["weights"] == {"critical": 25, "major": 10, "minor": 1, "info": 0}
    assert s["references"] == [str(root / "refs")]  # relative to the file
    assert s.origins["fail_on"].endswith("pyproject.toml [tool.mtaudit]") and s.origins["jobs"] == "default"
    wire = load(profile="wire", start=sub)
    assert wire["fail_on"] == "critical" and wire["min_quality"] == 90 and wire["exclude"] == ["calque"]
    assert wire.origins["fail_on"].endswith("[tool.mtaudit.profiles.wire]")
    text = show(wire)
    assert "min_quality" in text and "profiles.wire]" in text


def test_mtaudit_toml_wins_in_its_folder_and_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert discover(tmp_path) is None or discover(tmp_path)[0] != tmp_path / "pyproject.toml"
    (tmp_path / "mtaudit.toml").write_text('fail_on = "info"\n', encoding="utf-8")
    assert load(start=tmp_path)["fail_on"] == "info"


@pytest.mark.parametrize("body, message", [
    ('[tool.mtaudit]\nfail_onn = "major"\n', "unknown key tool.mtaudit.fail_onn (did you mean: fail_onn → fail_on?)"),
    ('[tool.mtaudit.profiles.wire]\nweight = 3\n', "unknown key tool.mtaudit.profiles.wire.weight"),
    ('[tool.mtaudit]\nweights = { blocker = 3 }\n', "unknown key tool.mtaudit.weights.blocker"),
    ('[tool.mtaudit]\nfail_on = "blocker"\n', "tool.mtaudit.fail_on: 'blocker' is not one of"),
    ('[tool.mtaudit]\nmin_quality = 120\n', "tool.mtaudit.min_quality: 120 is greater than the maximum"),
])
def test_bad_keys_are_named(tmp_path, body, message):
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load(start=tmp_path)


def test_cli_uses_the_config_and_command_line_wins(project, monkeypatch):
    root, sub = project
    monkeypatch.chdir(sub)
    runner = CliRunner()
    shown = runner.invoke(app, ["config", "show", "--profile", "wire"])
    assert shown.exit_code == 0 and "fail_on" in shown.stdout and "profiles.wire]" in shown.stdout
    (root / "pyproject.toml").write_text(TOML + "\n[tool.mtaudit.profiles.bad]\nfial_on = 1\n", encoding="utf-8")
    bad = runner.invoke(app, ["audit", "x.txt"])
    assert bad.exit_code == 2 and "unknown key tool.mtaudit.profiles.bad.fial_on (did you mean: fial_on → fail_on?)" in bad.stderr
    (root / "pyproject.toml").write_text(TOML, encoding="utf-8")
    story = sub / "story.txt"
    story.write_text("وزير الخارجية يصل إلى القاهرة\nوصل الوزير يوم الخميس ، وهي زيارة مهمة للبلدين.\n", encoding="utf-8")
    # fail_on minor from the file, but punctuation-spacing is overridden to info: passes.
    result = runner.invoke(app, ["audit", str(story), "--out", str(root / "o1"), "--format", "json"])
    assert result.exit_code == 0, result.output
    cli_wins = runner.invoke(app, ["audit", str(story), "--out", str(root / "o2"), "--fail-on", "info", "-q"])
    assert cli_wins.exit_code == 1 and "fail-on info" in cli_wins.stderr
