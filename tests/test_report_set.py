"""Reports written as a set (mtaudit.reports.report_set): an interrupted or failed run leaves the old
report folder whole, a finished one leaves the new one complete, never a mix."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtaudit.reports.report_set import ReportSet, _host

ONE = "الحكومة تعلن خطة جديدة للتعليم\nأعلنت الحكومة اليوم خطة جديدة لتطوير التعليم في المدارس الحكومية.\n"
TWO = "وزير الخارجية يلتقي نظيره في القاهرة\nقال المتحدث إن الدعم الدبلوماسي الدبلوماسي مستمر.\n"


def test_commit_replaces_the_old_set_and_abort_keeps_it(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "findings.csv").write_text("old", encoding="utf-8")
    (out / "stale.txt").write_text("old only", encoding="utf-8")
    failed = ReportSet(out)
    (failed.staging / "findings.csv").write_text("half", encoding="utf-8")
    failed.abort()
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "stale.txt"]
    assert (out / "findings.csv").read_text(encoding="utf-8") == "old"
    done = ReportSet(out)
    (done.staging / "findings.csv").write_text("new", encoding="utf-8")
    assert done.final(done.staging / "findings.csv") == out / "findings.csv"
    done.commit()
    assert [p.name for p in out.iterdir()] == ["findings.csv"]  # nothing of the old set is left
    assert (out / "findings.csv").read_text(encoding="utf-8") == "new"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging or old folder left


def test_a_report_name_taken_by_a_file_is_a_clear_error(tmp_path):
    taken = tmp_path / "reports"
    taken.write_text("a file", encoding="utf-8")
    with pytest.raises(OSError, match="exists and is not a folder"):
        ReportSet(taken)


def test_a_folder_where_a_report_file_goes_does_not_mix_the_set(tmp_path):
    """The old set has a folder named report.html: the new set replaces the folder whole."""
    from typer.testing import CliRunner

    from mtaudit.cli import app

    story = tmp_path / "story.txt"
    story.write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    (out / "report.html").mkdir(parents=True)
    result = CliRunner().invoke(app, ["audit", str(story), "--out", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file()
    assert {"findings.csv", "articles.csv", "segments.csv", "findings.json", "report.html"} <= {p.name for p in out.iterdir()}


def _set_of(out: Path) -> str:
    """"old", "new" or a description of the mix found in ``out``."""
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    ids = sorted(a["article_id"] for a in report["articles"])
    with open(out / "articles.csv", encoding="utf-8-sig", newline="") as fh:
        rows = sorted(r["article_id"] for r in csv.DictReader(fh))
    html = (out / "report.html").read_text(encoding="utf-8")
    in_html = sorted(i for i in ("one", "two") if f'data-article="{i}"' in html)
    if ids == rows == in_html == ["one"]:
        return "old"
    if ids == rows == in_html == ["one", "two"]:
        return "new"
    return f"mixed: json {ids}, csv {rows}, html {in_html}"


@pytest.mark.slow
def test_sigint_at_any_moment_never_leaves_a_mixed_set(tmp_path):
    """20 runs, each interrupted at another moment of the audit and the writing."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    (folder / "one.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "MTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "mtaudit.cli", "audit", str(folder), "--out", str(out), "--fail-on", "never", "-q"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    assert _set_of(out) == "old"
    (folder / "two.txt").write_text(TWO, encoding="utf-8")
    started = time.monotonic()
    subprocess.run(cmd[:-1] + ["--out", str(tmp_path / "timing")], env=env, check=True, capture_output=True)
    full = time.monotonic() - started
    seen = set()
    for k in range(20):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(full * (k + 1) / 21)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        state = _set_of(out)
        assert state in ("old", "new"), f"run {k}: {state}"
        # 130: mtaudit stopped cleanly; -2: the signal came while Python was still starting
        # (before mtaudit could handle it), which also leaves the old set.
        assert proc.returncode in (0, 130, -signal.SIGINT), (proc.returncode, err)
        if b"is as it was" in err:  # interrupted before the swap: the message says so, and it is so
            assert state == "old", (k, state, err[-300:])
        seen.add(state)
        if state == "new":  # put the old set back for the next timing
            (folder / "two.txt").rename(tmp_path / "two.txt")
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            (tmp_path / "two.txt").rename(folder / "two.txt")
            assert _set_of(out) == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging folder left behind


@pytest.mark.slow
def test_sigterm_with_workers_ends_quietly(tmp_path):
    """SIGTERM while forked workers audit (--jobs 2): exit 143 with the old set kept, and the
    workers end without a traceback (they do not inherit the CLI's SIGTERM handler)."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    for i in range(400):
        (folder / f"a{i:03d}.txt").write_text(ONE if i % 2 else TWO, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mtaudit.cli", "audit", str(folder), "--out", str(out), "--jobs", "2", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:  # wait for the two workers
        children = subprocess.run(["ps", "--ppid", str(proc.pid), "-o", "pid="], capture_output=True, text=True).stdout
        if len(children.split()) >= 2:
            break
        time.sleep(0.2)
    time.sleep(3.0)  # the workers are auditing by now
    if proc.poll() is not None:
        pytest.skip("the audit finished before the workers could be seen")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err[-2000:]
    assert b"Traceback" not in err and b"_Terminated" not in err, err[-2000:]
    assert not out.exists()


def test_article_ids_never_become_file_paths(tmp_path):
    """Ids like ../../x or /etc/passwd name articles, not files: the per-article pages of a
    big report are numbered, and nothing is written outside the report folder."""
    from typer.testing import CliRunner

    from mtaudit.cli import app

    evil = ["../../escaped", "/tmp/absolute", "..", "a/b\\c", "con", "x" * 300]
    records = [{"id": evil[k % len(evil)] + (f"-{k}" if k >= len(evil) else ""), "target": ONE} for k in range(60)]
    delivery = tmp_path / "work" / "in.jsonl"
    delivery.parent.mkdir()
    delivery.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "work" / "out"
    result = CliRunner().invoke(app, ["audit", str(delivery), "--out", str(out), "--checks", "repeated-word"])
    assert result.exit_code in (0, 1), result.output
    outside = {p for p in tmp_path.rglob("*") if out not in p.parents and p != out} - {delivery.parent, delivery}
    assert not outside, outside
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert "report.html" in pages
    assert all(p == "report.html" or (p.startswith("articles/") and p[9:-5].isdigit()) for p in pages), pages


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "reports"
    # A run SIGKILLed while writing: its staging folder stays beside --out.
    code = (
        "import os, signal, sys; from pathlib import Path; from mtaudit.reports.report_set import ReportSet;"
        "s = ReportSet(Path(sys.argv[1])); (s.staging / 'findings.csv').write_text('half');"
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    subprocess.run([sys.executable, "-c", code, str(out)], env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    [left] = [p for p in tmp_path.iterdir() if p.name.startswith(".reports.partial-")]
    assert (left / "findings.csv").exists()
    done = ReportSet(out)
    assert [str(left) in note and "removed" in note for note in done.cleaned] == [True]
    (done.staging / "findings.csv").write_text("new", encoding="utf-8")
    done.commit()
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_a_running_or_other_hosts_staging_folder_is_left_alone(tmp_path):
    from mtaudit.reports.report_set import _host

    out = tmp_path / "reports"
    mine_alive = tmp_path / f".reports.partial-{_host()}-{os.getppid()}-abc_1234"
    other_host = tmp_path / f".reports.partial-elsewhere_host-{_dead_pid()}-abc_1234"
    other_out = tmp_path / f".reports2.partial-{_host()}-{_dead_pid()}-abc_1234"
    fresh_ownerless = tmp_path / ".reports.partial-k3j2x9ab"
    for d in (mine_alive, other_host, other_out, fresh_ownerless):
        d.mkdir()
    old_ownerless = tmp_path / ".reports.partial-a1b2c3d4"
    old_ownerless.mkdir()
    os.utime(old_ownerless, (time.time() - 7200, time.time() - 7200))
    user_own, user_backup = tmp_path / ".reports.partial-mine", tmp_path / ".reports.old-2019"
    for d in (user_own, user_backup):
        d.mkdir()
        os.utime(d, (time.time() - 7200, time.time() - 7200))
    s = ReportSet(out)
    s.abort()
    assert all(d.exists() for d in (mine_alive, other_host, other_out, fresh_ownerless, old_ownerless, user_own, user_backup))
    # a name without an owner (an older release's, or one only shaped like it) is noted, never deleted
    assert sorted(n.split(":")[0] for n in s.cleaned) == sorted(str(d) for d in (fresh_ownerless, old_ownerless, user_backup))


def test_a_leftover_whose_pid_is_no_pid_is_left_alone(tmp_path):
    from mtaudit.reports.report_set import _host

    odd = tmp_path / f".reports.old-{_host()}-99999999999999999999"
    odd.mkdir()
    s = ReportSet(tmp_path / "reports")
    s.abort()
    assert odd.exists() and s.cleaned == []


def test_an_old_set_left_between_the_two_renames_is_put_back(tmp_path):
    out = tmp_path / "reports"
    aside = tmp_path / f".reports.old-{_host()}-{_dead_pid()}"
    aside.mkdir()
    (aside / "findings.csv").write_text("previous", encoding="utf-8")
    s = ReportSet(out)
    assert (out / "findings.csv").read_text(encoding="utf-8") == "previous" and not aside.exists()
    assert "put back" in s.cleaned[0]
    s.abort()
    assert (out / "findings.csv").read_text(encoding="utf-8") == "previous"


def test_a_staging_folder_is_never_taken_as_output(tmp_path):
    from typer.testing import CliRunner

    from mtaudit.cli import app

    story = tmp_path / "story.txt"
    story.write_text(ONE, encoding="utf-8")
    shard = tmp_path / "shard"
    result = CliRunner().invoke(app, ["audit", str(story), "--shard", "1/1", "--out", str(shard), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    leftover = tmp_path / ".shard.partial-a1b2c3d4"
    shard.rename(leftover)  # what a killed shard run leaves: the files, in a staging folder
    merged = CliRunner().invoke(app, ["merge", str(tmp_path / "merged"), str(leftover)])
    assert merged.exit_code == 2 and "unfinished report folder of an interrupted run" in merged.output, merged.output
    refused = CliRunner().invoke(app, ["audit", str(story), "--out", str(leftover)])
    assert refused.exit_code == 2 and "unfinished report folder" in refused.output, refused.output
