"""The name-source measurement scripts: fixed splits and the judging of findings against a reference."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import hplt_name_source as hplt  # noqa: E402
import meaning_benchmark  # noqa: E402


def test_splits_are_fixed_halves():
    lines = [str(k) for k in range(1, 1013)]
    held = sum(hplt.held_out(x) for x in lines)
    assert 400 < held < 612 and hplt.held_out("7") == hplt.held_out("7")
    words = [e for e, _ in meaning_benchmark.glosses()]
    assert words and 0 < sum(meaning_benchmark.held_out(w) for w in words) < len(words)


def test_the_name_is_read_back_from_each_kind_of_message():
    assert hplt.name_of("The source names Ehud Ur; “ايهود” reads as its English spelling sounded out") == "Ehud Ur"
    assert hplt.name_of("The source names Ehud Ur, but this passage never writes it.") == "Ehud Ur"


def test_a_finding_is_right_when_the_reference_writes_the_name_otherwise():
    f = SimpleNamespace(category="name", message="The source names Tebboune; “تيبون” reads as its English spelling sounded out", text="تيبون", suggestion="تبون")
    assert hplt.judge(f, "قال الرئيس تبون إن المحادثات مفيدة.", set()) == (True, True)
    assert hplt.judge(f, "قال الرئيس تيبون إن المحادثات مفيدة.", set()) == (False, False)
    missing = SimpleNamespace(category="omission", message="The source names Tebboune, but this passage never writes it.", text="", suggestion="تبون")
    assert hplt.judge(missing, "قال الرئيس تبون.", set()) == (True, False)
    assert hplt.judge(missing, "قال الرئيس.", {"Tebboune"}) == (False, False)
