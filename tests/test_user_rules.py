"""User rules as data (--rules FILE): loading, validation with file and line, matching."""

from __future__ import annotations

import pytest
from conftest import default_resources
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.knowledge.user_rules import RulesError, load_rules
from mtaudit.run.pipeline import audit_article
from mtaudit.types import Article

TOML = """
[[rule]]
id = "entity"
kind = "phrase"
pattern = "الكيان الصهيوني"
message = "Write Israel"
message_ar = "اكتب إسرائيل"
severity = "major"
suggestion = "إسرائيل"

[[rule]]
id = "because-of"
pattern = "بسبب (?P<what>\\\\w+)"
source = "\\\\bdue to\\\\b"
message = "due to is rendered with نتيجة in this newsroom"
severity = "minor"
category = "fluency"
suggestion = "نتيجة {what}"
"""


def _run(rules, text, source=None):
    art = Article("t", text, source=source)
    result = audit_article(art, rules, default_resources())
    assert not result.crashes, result.crashes
    for f in result.findings:
        assert f.text == text[f.start : f.end]
    return result.findings


@pytest.fixture
def rules(tmp_path):
    p = tmp_path / "rules.toml"
    p.write_text(TOML, encoding="utf-8")
    return load_rules([p])


def test_rules_become_checks(rules):
    assert [s.id for s in rules] == ["rule:entity", "rule:because-of"]
    assert rules[0].title == "Write Israel" and rules[1].requires_source


def test_phrase_matches_on_folded_text_and_maps_back(rules):
    text = "عنوان\nوقال إن الكيـان الصهيونيّ يرفض."  # tatweel and shadda in the delivered text
    [f] = _run(rules[:1], text)
    assert f.text == "الكيـان الصهيونيّ" and f.suggestion == "إسرائيل" and f.check == "rule:entity"
    assert "اكتب" in f.message
    assert _run(rules[:1], "عنوان\nالكيانات الصهيونية") == []  # whole words only


def test_source_condition_and_template(rules):
    text = "عنوان\nتأخر القطار بسبب الثلوج."
    assert _run(rules[1:], text, source="Headline\nThe train was late because of snow.") == []
    [f] = _run(rules[1:], text, source="Headline\nThe train was late due to snow.")
    assert f.suggestion == "نتيجة الثلوج" and f.severity.value == "minor" and f.category == "fluency"


def test_tsv_rules(tmp_path):
    p = tmp_path / "r.tsv"
    p.write_text("# a checklist\nid\tpattern\tkind\tmessage\nsoon\tقريبا جدا\tphrase\tAvoid\n", encoding="utf-8")
    [spec] = load_rules([p])
    assert spec.origin.endswith("r.tsv:3")
    [f] = _run([spec], "عنوان\nسيصل قريباً جداً.")
    assert f.text == "قريباً جداً"


@pytest.mark.parametrize(
    "body, line, what",
    [
        ('[[rule]]\nid = "a"\nmessage = "m"\npattern = "(abc"\n', 4, "bad pattern regex"),
        ('[[rule]]\nid = "a"\npattern = "x"\nmessage = "m"\nseverity = "huge"\n', 5, "severity must be"),
        ('[[rule]]\nid = "a"\npattern = "x"\nmessage = "m"\ncategory = "nope"\n', 5, "unknown category"),
        ('[[rule]]\nid = "a"\npattern = "x"\nmessage = "m"\nsuggestion = "{3}"\n', 5, "does not fit"),
        ('[[rule]]\nid = "a"\npattern = "x*"\nmessage = "m"\n', 3, "matches the empty string"),
        ('[[rule]]\nid = "a"\npattern = "x"\nmessage = "m"\n[[rule]]\nid = "a"\npattern = "y"\nmessage = "m"\n', 5, "already defined"),
        ('[[rule]]\nid = "a"\npattern = "x\nmessage = "m"\n', 3, "not valid TOML"),
    ],
)
def test_bad_rules_name_file_and_line(tmp_path, body, line, what):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(RulesError, match=f"bad.toml:{line}: .*{what}"):
        load_rules([p])


def test_broken_rules_file_is_exit_2_and_nothing_runs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("عنوان\nنص.\n", encoding="utf-8")
    rules = tmp_path / "rules.tsv"
    rules.write_text("id\tpattern\tmessage\nok\tنص\tfine\nbroken\t[abc\tbad\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--rules", str(rules), "--out", str(out)])
    assert r.exit_code == 2
    assert f"{rules}:3: bad pattern regex" in r.output
    assert not out.exists()


def test_checks_lists_user_rules(tmp_path):
    p = tmp_path / "rules.toml"
    p.write_text(TOML, encoding="utf-8")
    r = CliRunner().invoke(app, ["checks", "--rules", str(p)])
    assert r.exit_code == 0 and "rule:entity" in r.output and "rule:because-of" in r.output
    r = CliRunner().invoke(app, ["checks", "--rules", str(p), "explain", "rule:because-of"])
    assert r.exit_code == 0 and "due to" in r.output


def test_a_user_rule_is_a_sarif_rule(tmp_path):
    """A rule from --rules carries its metadata into SARIF like a built-in check."""
    import json

    from typer.testing import CliRunner

    from mtaudit.cli import app

    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nid = "no-kayan"\nkind = "phrase"\npattern = "الكيان"\nmessage = "Write the country\'s name."\n'
        'message_ar = "اكتب اسم البلد."\nseverity = "major"\n',
        encoding="utf-8",
    )
    story = tmp_path / "story.txt"
    story.write_text("قال المسؤول إن الكيان أعلن ذلك اليوم.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["audit", str(story), "--rules", str(rules), "--out", str(tmp_path / "out"), "--sarif", str(tmp_path / "r.sarif")]
    )
    assert result.exit_code == 1, result.output
    run = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "rule:no-kayan" in ids
    [hit] = [r for r in run["results"] if r["ruleId"] == "rule:no-kayan"]
    assert hit["ruleIndex"] == ids.index("rule:no-kayan")
