"""The command line (mtaudit.cli) through typer's CliRunner: every exit code of the gate,
`mtaudit checks`, the summary and the progress bar."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtaudit import cli
from mtaudit.checks import REGISTRY, load_all
from mtaudit.cli import app

CLEAN = "الحكومة تعلن خطة جديدة للتعليم\nأعلنت الحكومة اليوم خطة جديدة لتطوير التعليم في المدارس الحكومية.\n"
# One major finding (repeated-word) and nothing worse.
STUTTER = "وزير الخارجية يلتقي نظيره في القاهرة\nقال المتحدث إن الدعم الدبلوماسي الدبلوماسي مستمر.\n"
# One minor finding (punctuation-spacing) and nothing worse.
MINOR_ONLY = "وزير الخارجية يصل إلى القاهرة\nوصل الوزير يوم الخميس ، وهي زيارة مهمة للبلدين.\n"

SUMMARY = re.compile(
    r"Audited (?P<audited>\d+) article\(s\), skipped (?P<skipped>\d+) input\(s\) in [\d.]+s\.\n"
    r"Findings: critical (?P<critical>\d+), major (?P<major>\d+), minor (?P<minor>\d+), info (?P<info>\d+)\.\n"
    r"Verdict: (?P<verdict>[A-Z-]+) \(fail on (?P<fail_on>\w+)\)(?P<reasons>[^\n]*)\n"
    r"(?:Scores[^\n]*\n)?"
    r"(?:Model scores[^\n]*\n)?"
    r"Quality: (?P<quality>[\d.]+)/100[^\n]*\n"
    r"Report: (?P<report>[^\n]+)\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str | Path):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def summary_of(result) -> dict:
    m = SUMMARY.search(result.stdout)
    assert m, f"no summary in output:\n{result.stdout}"
    return m.groupdict()


# -- exit 0 and 1: the gate ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, fail_on, code",
    [
        (CLEAN, "info", 0),
        (CLEAN, "critical", 0),
        (STUTTER, "never", 0),
        (STUTTER, "critical", 0),  # major is below critical
        (STUTTER, "major", 1),
        (STUTTER, "minor", 1),
        (STUTTER, "info", 1),
        (MINOR_ONLY, "major", 0),
        (MINOR_ONLY, "minor", 1),
    ],
    ids=lambda v: v if isinstance(v, (str, int)) and len(str(v)) < 12 else None,
)
def test_gate_exit_codes(runner, tmp_path, text, fail_on, code):
    src = article(tmp_path / "ar", "story.txt", text)
    result = run(runner, "audit", src, "--out", tmp_path / "out", "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    s = summary_of(result)
    assert s["verdict"] == ("FAIL" if code else "PASS")
    assert s["fail_on"] == fail_on
    assert (tmp_path / "out" / "report.html").is_file()


def test_default_gate_is_major(runner, tmp_path):
    src = article(tmp_path, "story.txt", STUTTER)
    result = run(runner, "audit", src, "--out", tmp_path / "out")
    assert result.exit_code == 1
    s = summary_of(result)
    assert s["fail_on"] == "major"
    assert "fail-on major: 1 finding(s) at or above major" in s["reasons"]


def test_summary_line(runner, tmp_path):
    folder = tmp_path / "ar"
    article(folder, "a_stutter.txt", STUTTER)
    article(folder, "b_minor.txt", MINOR_ONLY)
    article(folder, "c_clean.txt", CLEAN)
    out = tmp_path / "out"
    result = run(runner, "audit", folder, "--out", out, "--fail-on", "major")
    assert result.exit_code == 1
    s = summary_of(result)
    assert s["audited"] == "3" and s["skipped"] == "0"
    assert (s["critical"], s["major"], s["minor"], s["info"]) == ("0", "1", "1", "0")
    assert s["verdict"] == "FAIL"
    assert "1 finding(s) at or above major" in s["reasons"]
    assert Path(s["report"]) == out / "report.html"
    assert f"findings.csv, articles.csv, segments.csv, findings.json, findings.xlsx in {out}" in result.stdout
    # The summary agrees with what was written.
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert written["summary"]["findings"] == {"critical": 0, "major": 1, "minor": 1, "info": 0}
    assert written["summary"]["exit_code"] == 1


def test_quiet_prints_only_the_report_folder(runner, tmp_path):
    src = article(tmp_path, "story.txt", STUTTER)
    out = tmp_path / "out"
    result = run(runner, "audit", src, "--out", out, "--fail-on", "major", "--quiet")
    assert result.exit_code == 1  # quiet does not change the gate
    assert result.stdout == f"{out}\n"


def test_default_report_folder_is_under_reports(runner, tmp_path, monkeypatch):
    src = article(tmp_path / "in", "story.txt", CLEAN)
    monkeypatch.chdir(tmp_path)
    result = run(runner, "audit", src)
    assert result.exit_code == 0, result.output
    reports = list((tmp_path / "reports").glob("*/report.html"))
    assert len(reports) == 1
    assert re.fullmatch(r"\d{8}-\d{6}", reports[0].parent.name)
    assert Path(summary_of(result)["report"]) == Path("reports") / reports[0].parent.name / "report.html"


def test_checks_and_exclude_select_what_runs(runner, tmp_path):
    src = article(tmp_path, "story.txt", STUTTER)
    excluded = run(runner, "audit", src, "--out", tmp_path / "o1", "--fail-on", "major", "--exclude", "repeated-word")
    assert excluded.exit_code == 0, excluded.output
    only = run(runner, "audit", src, "--out", tmp_path / "o2", "--fail-on", "major", "--checks", "repeated-word")
    assert only.exit_code == 1
    sig = json.loads((tmp_path / "o2" / "findings.json").read_text(encoding="utf-8"))["signature"]
    assert list(sig["checks"]) == ["repeated-word"]


# -- exit 2: usage, input and reference-data errors -----------------------------------------


def _bad_boilerplate(tmp_path: Path) -> list[str]:
    refs = tmp_path / "newsroom_refs"
    refs.mkdir()
    (refs / "boilerplate.tsv").write_text("id\tscope\tpattern\tmax_words\tnote\nmenu\teverywhere\tقائمة\t0\tbad scope\n", encoding="utf-8")
    return ["--references", str(refs)]


USAGE_ERRORS = [
    # id, extra args (callable of tmp_path), text expected on stderr
    ("nonexistent-path", lambda p: [str(p / "missing.txt")], "missing.txt: no such file or folder"),
    ("bad-fail-on", lambda p: ["--fail-on", "blocker"], "--fail-on"),
    ("unknown-check", lambda p: ["--checks", "repeated-word,spellcheck"], "unknown check id(s): spellcheck"),
    ("unknown-exclude", lambda p: ["--exclude", "nope"], "unknown check id(s): nope"),
    ("bad-min-score", lambda p: ["--min-score", "meteor=3"], "--min-score: unknown score 'meteor'"),
    ("bad-min-score-value", lambda p: ["--min-score", "chrf=high"], "expected NAME=NUMBER"),
    ("min-score-without-references", lambda p: ["--min-score", "chrf=50"], "--min-score chrf2: this run cannot produce it"),
    ("missing-references-data-folder", lambda p: ["--references", str(p / "no_refs")], "reference data:"),
    ("bad-references-data", _bad_boilerplate, "boilerplate.tsv:2: scope must be line, next or rest"),
    ("missing-names-file", lambda p: ["--names", str(p / "names.tsv")], "names file not found"),
    ("jobs-zero", lambda p: ["--jobs", "0"], "--jobs"),
]


@pytest.mark.parametrize("extra, expected", [u[1:] for u in USAGE_ERRORS], ids=[u[0] for u in USAGE_ERRORS])
def test_usage_and_input_errors_exit_2(runner, tmp_path, extra, expected):
    src = article(tmp_path / "ar", "story.txt", CLEAN)
    result = run(runner, "audit", src, "--out", tmp_path / "out", *extra(tmp_path))
    assert result.exit_code == 2, result.output
    assert expected in result.stdout + result.stderr


def test_skipped_input_exits_2_but_the_rest_is_audited(runner, tmp_path):
    folder = tmp_path / "ar"
    article(folder, "good.txt", CLEAN)
    bad = folder / "windows.txt"
    bad.write_bytes("قال الوزير إن المحادثات مثمرة".encode("cp1256"))
    out = tmp_path / "out"
    result = run(runner, "audit", folder, "--out", out)
    assert result.exit_code == 2
    assert f"mtaudit: skipped: {bad}: not valid UTF-8" in result.stderr
    s = summary_of(result)
    assert (s["audited"], s["skipped"], s["verdict"]) == ("1", "1", "INPUT-ERROR")
    # The readable article is still in the report, and the problem is recorded.
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [a["article_id"] for a in data["articles"]] == ["good"]
    assert [p["origin"] for p in data["input_problems"]] == [str(bad)]


def test_warning_alone_does_not_fail_the_run(runner, tmp_path):
    """A target without its source is audited with a warning: not an input error."""
    src = article(tmp_path / "ar", "story.txt", CLEAN)
    (tmp_path / "en").mkdir()
    result = run(runner, "audit", src, "--source", tmp_path / "en", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "mtaudit: warning:" in result.stderr and "no source file named story.*" in result.stderr


def test_no_arguments_shows_help(runner):
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)  # click's no_args_is_help exit code varies by version
    assert "audit" in result.output and "checks" in result.output


# -- exit 3: a check crashed ------------------------------------------------------------------


@pytest.fixture
def crashing_repeated_word(monkeypatch):
    """Replace the registered repeated-word check with one that raises."""
    load_all()

    def boom(ctx):
        """Always crashes."""
        raise RuntimeError("simulated failure")

    monkeypatch.setitem(REGISTRY, "repeated-word", dataclasses.replace(REGISTRY["repeated-word"], func=boom))


def test_check_crash_exits_3_and_other_checks_still_run(runner, tmp_path, crashing_repeated_word):
    src = article(tmp_path, "story.txt", MINOR_ONLY)
    out = tmp_path / "out"
    result = run(runner, "audit", src, "--out", out, "--fail-on", "never", "--jobs", "1")
    assert result.exit_code == 3, result.output
    assert summary_of(result)["verdict"] == "INCOMPLETE"
    assert re.search(r"mtaudit: check repeated-word crashed on story p\d+: RuntimeError: simulated failure", result.stderr)
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {c["check"] for c in data["check_crashes"]} == {"repeated-word"}
    # punctuation-spacing still ran on the same segment.
    checks_found = {f["check"] for a in data["articles"] for f in a["findings"]}
    assert "punctuation-spacing" in checks_found
    assert data["articles"][0]["verdict"] == "incomplete"


@pytest.mark.parametrize(
    "fail_on, add_bad_input, code",
    [
        ("minor", False, 3),  # crash beats a failing gate (the minor finding)
        ("never", True, 2),  # an input error beats a crash
    ],
)
def test_exit_code_precedence_with_a_crash(runner, tmp_path, crashing_repeated_word, fail_on, add_bad_input, code):
    folder = tmp_path / "ar"
    article(folder, "story.txt", MINOR_ONLY)
    if add_bad_input:
        (folder / "empty.txt").write_bytes(b"")
    result = run(runner, "audit", folder, "--out", tmp_path / "out", "--fail-on", fail_on, "--jobs", "1")
    assert result.exit_code == code, result.output


def test_input_error_beats_a_failing_gate(runner, tmp_path):
    folder = tmp_path / "ar"
    article(folder, "story.txt", STUTTER)
    (folder / "empty.txt").write_bytes(b"")
    result = run(runner, "audit", folder, "--out", tmp_path / "out", "--fail-on", "major")
    assert result.exit_code == 2
    assert "1 finding(s) at or above major" in summary_of(result)["reasons"]


# -- `mtaudit checks` -----------------------------------------------------------------------


def test_checks_lists_every_check(runner):
    result = run(runner, "checks")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert ids == sorted(load_all())
    for literal in ("repeated-word", "latin-leftover", "punctuation-spacing", "number-mismatch"):
        assert literal in ids
    line = next(l for l in result.stdout.splitlines() if l.startswith("repeated-word "))
    assert "major" in line and "fluency" in line and "Repeated word or phrase" in line
    assert "(needs source)" in next(l for l in result.stdout.splitlines() if l.startswith("number-mismatch "))


def test_checks_explain_prints_the_docstring(runner):
    result = run(runner, "checks", "explain", "repeated-word")
    assert result.exit_code == 0
    assert result.stdout.startswith("repeated-word (severity major, category fluency")
    assert load_all()["repeated-word"].doc in result.stdout
    assert "references/valid_repeats.tsv" in result.stdout
    assert "reference data: valid_repeats" in result.stdout


def test_checks_explain_unknown_id_exits_2(runner):
    result = run(runner, "checks", "explain", "spellcheck")
    assert result.exit_code == 2
    assert "unknown check 'spellcheck'" in result.stderr
    assert "repeated-word" in result.stderr  # lists the known ones
    assert result.stdout == ""


# -- progress bar ---------------------------------------------------------------------------


class _FakeTTY:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, s):  # pragma: no cover - not used
        return len(s)


@pytest.mark.parametrize(
    "tty, ci, shown",
    [(True, None, True), (False, None, False), (True, "true", False), (False, "true", False)],
)
def test_show_progress_only_on_a_terminal_outside_ci(monkeypatch, tty, ci, shown):
    monkeypatch.setattr(cli.sys, "stderr", _FakeTTY(tty))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert cli._show_progress() is shown


class _RecordingProgress:
    started = 0

    def __init__(self, *a, **k):
        pass

    def add_task(self, *a, **k):
        return 0

    def advance(self, task):
        pass

    def update(self, task, **k):  # the bar shows counts, articles/s and time left
        pass

    def start(self):
        type(self).started += 1

    def stop(self):
        pass


def test_no_progress_bar_when_not_a_tty(runner, tmp_path, monkeypatch):
    import rich.progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(rich.progress, "Progress", _RecordingProgress)
    _RecordingProgress.started = 0
    folder = tmp_path / "ar"
    article(folder, "a.txt", CLEAN)
    article(folder, "b.txt", STUTTER)
    result = run(runner, "audit", folder, "--out", tmp_path / "out", "--fail-on", "critical")
    assert result.exit_code == 0
    assert _RecordingProgress.started == 0  # CliRunner's streams are not terminals
    assert "auditing" not in result.output
    # Control: the same run on a "terminal" does start the bar.
    monkeypatch.setattr(cli, "_show_progress", lambda: True)
    result = run(runner, "audit", folder, "--out", tmp_path / "out2", "--fail-on", "critical")
    assert result.exit_code == 0
    assert _RecordingProgress.started == 1


def test_reports_are_readable_by_colleagues_not_private_to_the_writer(tmp_path):
    import os
    import stat

    from mtaudit.files import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "findings.csv", "a,b\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "findings.csv").stat().st_mode) == 0o644


def test_python_dash_m_runs_the_same_command_line():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "mtaudit", "checks"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "name-garbled" in out.stdout


def _raise_wrapped_interrupt():
    # What Python 3.11 makes of Ctrl-C while a class is created during an import: the
    # KeyboardInterrupt from a field's __set_name__ comes out as a RuntimeError.
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as interrupt:
        raise RuntimeError("Error calling __set_name__ on 'Field' instance 'evidence' in 'Departure'") from interrupt


@pytest.mark.parametrize("error, code", [(RuntimeError("a bug"), 3), (None, 130)])
def test_an_interrupt_wrapped_in_another_error_is_still_exit_130(monkeypatch, capsys, error, code):
    import mtaudit.cli as cli

    def command():
        if error is not None:
            raise error
        _raise_wrapped_interrupt()

    monkeypatch.setattr(cli, "only_command", lambda app, argv: command)
    monkeypatch.setattr(cli.sys, "argv", ["mtaudit", "audit"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == code
    err = capsys.readouterr().err
    assert ("interrupted" in err) == (code == 130)


@pytest.mark.parametrize("cache_args, says_resume", [((), True), (("--no-cache",), False)])
def test_an_interrupted_audit_says_whether_the_same_command_resumes(runner, tmp_path, monkeypatch, cache_args, says_resume):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "audit_to_reports", interrupted)
    src = article(tmp_path / "in", "a.txt", "نص عربي قصير.")
    out = runner.invoke(app, ["audit", str(src), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c"), *cache_args])
    assert out.exit_code == 130
    assert "interrupted: no report was written" in out.stderr
    assert ("the same command run again reuses them" in out.stderr) == says_resume


def test_main_puts_the_sigterm_handler_back(monkeypatch):
    import signal

    monkeypatch.setattr(cli, "only_command", lambda app, argv: lambda: None)
    monkeypatch.setattr(cli.sys, "argv", ["mtaudit", "audit"])
    before = signal.getsignal(signal.SIGTERM)
    cli.main()
    assert signal.getsignal(signal.SIGTERM) is before
