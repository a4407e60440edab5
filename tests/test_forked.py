"""mtaudit.forked: a function run in a forked child, its failure raised in the parent."""

from __future__ import annotations

import os

import pytest

from mtaudit.forked import start

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _write(path, text):
    path.write_text(text, encoding="utf-8")


def _fail(message):
    raise ValueError(message)


def test_the_child_writes_its_file_before_finish_returns(tmp_path):
    finish = start(_write, tmp_path / "page.html", "<p>ok</p>")
    finish()
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == "<p>ok</p>"


def test_the_childs_error_is_raised_in_the_parent():
    finish = start(_fail, "no page")
    with pytest.raises(ValueError, match="no page"):
        finish()


def test_an_abandoned_child_is_reaped_quietly(tmp_path):
    import time

    finish = start(time.sleep, 30)
    t0 = time.monotonic()
    finish(abandon=True)
    assert time.monotonic() - t0 < 10


def _late_write(path):
    import time

    time.sleep(1.5)
    path.write_text("late", encoding="utf-8")


def test_an_interrupt_while_waiting_kills_the_child(tmp_path):
    import signal
    import time

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        finish = start(_late_write, tmp_path / "page.html")
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(KeyboardInterrupt):
            finish()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(1.8)
    assert not (tmp_path / "page.html").exists()  # the child did not go on writing


def _write_slowly_then_clean_up(path):
    import time

    path.write_text("partial", encoding="utf-8")
    try:
        time.sleep(30)
    finally:  # what a writer's discard() does with its temporary files
        path.unlink()


def test_an_abandoned_child_unwinds_so_its_temporary_files_go(tmp_path):
    import time

    temp = tmp_path / ".findings.xlsx.tmp"
    finish = start(_write_slowly_then_clean_up, temp)
    for _ in range(200):
        if temp.exists():
            break
        time.sleep(0.01)
    assert temp.exists()
    finish(abandon=True)
    assert not temp.exists()
