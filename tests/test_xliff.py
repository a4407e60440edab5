"""XLIFF 1.2 / 2.1 and TMX input (mtaudit.inputs.xliff): same findings as the plain text, unit ids
as segment ids, offsets into the unit's target with inline markup handled, write-back."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from conftest import require_shared
from lxml import etree

from mtaudit.gate.triage import triage
from mtaudit.inputs.readers import read_inputs
from mtaudit.inputs.xliff import ITS, XLIFF2, XLIFF12, plain_text, write_back
from mtaudit.reports.locations import locate
from mtaudit.run.pipeline import AuditConfig, audit

STORY = "وزير الخارجية يلتقي نظيره في القاهرة\nقال المتحدث إن الدعم الدبلوماسي الدبلوماسي مستمر.\n\nوأضاف أن المحادثات ستستمر.\n"


def xliff12(docs: dict[str, str], sources: dict[str, str] | None = None) -> str:
    files = []
    for doc_id, text in docs.items():
        src_lines = (sources or {}).get(doc_id, "").split("\n")
        units = "".join(
            f'<trans-unit id="u{i}"><source>{escape(src_lines[i] if i < len(src_lines) else "")}</source>'
            f'<target>{escape(line)}</target></trans-unit>'
            for i, line in enumerate(text.rstrip("\n").split("\n"))
        )
        files.append(f'<file original="{doc_id}.txt" source-language="en" target-language="ar" datatype="plaintext"><body>{units}</body></file>')
    return f'<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="{XLIFF12}">{"".join(files)}</xliff>'


def xliff21(docs: dict[str, str]) -> str:
    files = []
    for doc_id, text in docs.items():
        units = "".join(
            f'<unit id="u{i}"><segment><source></source><target>{escape(line)}</target></segment></unit>'
            for i, line in enumerate(text.rstrip("\n").split("\n"))
        )
        files.append(f'<file id="f-{doc_id}" original="{doc_id}.txt">{units}</file>')
    return f'<?xml version="1.0" encoding="UTF-8"?><xliff version="2.1" xmlns="{XLIFF2}" srcLang="en" trgLang="ar">{"".join(files)}</xliff>'


def _findings(result):
    return sorted((a.article.id, f.check, f.start, f.end, f.text, f.severity.value) for a in result.articles for f in a.findings)


def _audit(paths, checks=None):
    inputs = read_inputs(paths)
    assert not [p for p in inputs.problems if p.skipped], inputs.problems
    result = audit(inputs.articles, AuditConfig(checks=checks))
    triage(result)
    return result


def test_inline_markup_is_placeholders_not_text():
    target = etree.fromstring(
        f'<target xmlns="{XLIFF12}">قال <g id="1">المتحدث</g><x id="2"/> إن<ph id="3">&lt;br/&gt;</ph> الدعم<bpt id="4">&lt;b&gt;</bpt> مستمر<ept id="4">&lt;/b&gt;</ept></target>')
    assert plain_text(target) == "قال المتحدث إن الدعم مستمر"
    t2 = etree.fromstring(f'<target xmlns="{XLIFF2}">الدعم <pc id="1">مستمر</pc><ph id="2"/><cp hex="200F"/>.</target>')
    assert plain_text(t2) == "الدعم مستمر\u200f."


def test_xliff_12_21_and_tmx_give_the_plain_text_findings(tmp_path):
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "d12.xlf").write_text(xliff12({"story": STORY}), encoding="utf-8")
    (tmp_path / "d21.xlf").write_text(xliff21({"story": STORY}), encoding="utf-8")
    tus = "".join(f'<tu tuid="t{i}"><tuv xml:lang="en"><seg></seg></tuv><tuv xml:lang="ar-SA"><seg>{escape(line)}</seg></tuv></tu>'
                  for i, line in enumerate(STORY.rstrip("\n").split("\n")))
    (tmp_path / "story.tmx").write_text(f'<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>{tus}</body></tmx>', encoding="utf-8")
    checks = ["repeated-word", "punctuation-spacing", "latin-leftover"]
    plain = _audit([tmp_path / "txt"], checks)
    results = {}
    for name in ("d12.xlf", "d21.xlf", "story.tmx"):
        res = results[name] = _audit([tmp_path / name], checks)
        assert _findings(res) == _findings(plain), name
        (f,) = res.articles[0].findings
        assert f.segment_id == ("t1" if name.endswith("tmx") else "u1")
        loc = locate(res.articles[0].article, f)
        assert loc.record_id == f.segment_id and loc.line > 0
        assert STORY.split("\n")[1][loc.char_offset : loc.char_offset + loc.char_length] == f.text

    out = tmp_path / "back"
    (written,) = write_back(results["d12.xlf"], out)
    tree = etree.parse(str(written))
    note = tree.find(f".//{{{XLIFF12}}}trans-unit[@id='u1']/{{{XLIFF12}}}note")
    assert note.get("from") == "mtaudit" and "repeated-word" in note.text
    mrk = tree.find(f".//{{{XLIFF12}}}trans-unit[@id='u1']/{{{XLIFF12}}}target/{{{XLIFF12}}}mrk")
    assert mrk.text == "الدبلوماسي الدبلوماسي" and mrk.get(f"{{{ITS}}}locQualityIssueType") == "duplication"
    assert plain_text(mrk.getparent()) == STORY.split("\n")[1]  # the target's text is unchanged
    (w21,) = write_back(results["d21.xlf"], tmp_path / "back21")
    t21 = etree.parse(str(w21))
    assert t21.find(f".//{{{XLIFF2}}}unit[@id='u1']/{{{XLIFF2}}}notes/{{{XLIFF2}}}note").get("category") == "mtaudit"
    assert t21.find(f".//{{{XLIFF2}}}mrk").get("type") == "its:generic"


def test_bad_xliff_is_a_clear_skipped_input(tmp_path):
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    inputs = read_inputs([bad])
    assert not inputs.articles and "not well-formed XML" in inputs.problems[0].message


@pytest.mark.slow
@pytest.mark.shared_data
def test_seed_xliff_round_trip(tmp_path):
    seeds = require_shared("seeds")
    docs = {p.stem: p.read_text(encoding="utf-8-sig") for p in sorted(seeds.glob("*.txt"))}
    (tmp_path / "s12.xlf").write_text(xliff12(docs), encoding="utf-8")
    (tmp_path / "s21.xlf").write_text(xliff21(docs), encoding="utf-8")
    plain = _findings(_audit([seeds]))
    assert len(plain) > 20
    assert _findings(_audit([tmp_path / "s12.xlf"])) == plain
    assert _findings(_audit([tmp_path / "s21.xlf"])) == plain
