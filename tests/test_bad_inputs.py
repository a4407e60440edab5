"""Bad inputs as table tests: each case puts one bad input beside a good article and runs
`mtaudit audit`. Every case must end with a clear exit code (0/1 when the bad input is only
a warning, 2 when something could not be read), a message naming the file (and the line
where there is one), and the good article audited and in the report: no traceback, no hang,
no silent loss."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtaudit.cli import app

GOOD = "الحكومة تعلن خطة جديدة للتعليم\nأعلنت الحكومة اليوم خطة جديدة لتطوير التعليم في المدارس الحكومية.\n"
TEXT = "أعلنت الحكومة اليوم خطة جديدة لتطوير التعليم."


def _jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


@dataclass
class Case:
    name: str
    #: Writes the bad input into the folder and returns the extra command-line arguments.
    build: Callable[[Path], list[str]]
    code: int
    #: Substrings the stderr must contain (the {dir} placeholder is the case folder).
    says: tuple[str, ...]
    #: Article ids that must be audited and reported, besides "good".
    audited: tuple[str, ...] = ()


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def dup_records(d: Path) -> list[str]:
    _write(d / "in.jsonl", _jsonl({"id": "a", "target": TEXT}, {"id": "a", "target": TEXT + " ثانيا"}, {"id": "a", "target": TEXT + " ثالثا"}))
    return [str(d / "in.jsonl")]


def dup_across_files(d: Path) -> list[str]:
    _write(d / "one.jsonl", _jsonl({"id": "x", "target": TEXT}))
    _write(d / "two.jsonl", _jsonl({"id": "x", "target": TEXT + " آخر"}))
    return [str(d / "one.jsonl"), str(d / "two.jsonl")]


def dup_segments(d: Path) -> list[str]:
    _write(d / "seg.jsonl", _jsonl({"id": "s1", "article_id": "art", "target": TEXT}, {"id": "s1", "article_id": "art", "target": TEXT}))
    return [str(d / "seg.jsonl")]


def mixed_folder(d: Path) -> list[str]:
    folder = d / "delivery"
    _write(folder / "t.txt", GOOD)
    _write(folder / "j.jsonl", _jsonl({"id": "from-jsonl", "target": TEXT}))
    _write(folder / "c.csv", f"id,target\nfrom-csv,{TEXT}\n")
    _write(folder / "t2.tsv", f"id\ttarget\nfrom-tsv\t{TEXT}\n")
    return [str(folder)]


def json_array(d: Path) -> list[str]:
    _write(d / "arr.json", json.dumps([{"id": "j1", "target": TEXT}, {"id": "j2", "target": TEXT}], ensure_ascii=False))
    return [str(d / "arr.json")]


def lone_surrogate(d: Path) -> list[str]:
    _write(d / "s.jsonl", _jsonl({"id": "fine", "target": TEXT}, '{"id": "bad", "target": "نص \\ud800 مكسور"}'))
    return [str(d / "s.jsonl")]


def deep_nesting(d: Path) -> list[str]:
    _write(d / "n.jsonl", _jsonl({"id": "fine", "target": TEXT}, "[" * 100000 + "]" * 100000))
    return [str(d / "n.jsonl")]


def fifo(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.txt")
    return [str(d / "pipe.txt")]


def csv_unbalanced_quote(d: Path) -> list[str]:
    _write(d / "q.csv", f'id,target\nbefore,{TEXT}\nbroken,"{TEXT}\nafter,{TEXT}\n')
    return [str(d / "q.csv")]


def csv_huge_field(d: Path) -> list[str]:
    _write(d / "h.csv", f"id,target\nbig,{' '.join([TEXT] * 4000)}\nsmall,{TEXT}\n")
    return [str(d / "h.csv")]


def tsv_crlf_in_quotes(d: Path) -> list[str]:
    _write(d / "crlf.tsv", f'id\ttarget\r\nm\t"{TEXT}\r\n{TEXT}"\r\nn\t{TEXT}\r\n')
    return [str(d / "crlf.tsv")]


def tsv_leading_quote(d: Path) -> list[str]:
    _write(d / "lq.tsv", f'id\ttarget\nquoted\t"الحكومة" تعلن خطة جديدة\nplain\t{TEXT}\n')
    return [str(d / "lq.tsv")]


def missing_source_folder(d: Path) -> list[str]:
    return ["--source", str(d / "no_such_folder")]


def file_as_source(d: Path) -> list[str]:
    _write(d / "a_file.txt", "English source")
    return ["--source", str(d / "a_file.txt")]


def u2028_in_jsonl(d: Path) -> list[str]:
    _write(d / "ls.jsonl", '{"id": "ls", "target": "' + TEXT + "\u2028" + TEXT + '"}\n')
    return [str(d / "ls.jsonl")]


def header_only_csv(d: Path) -> list[str]:
    _write(d / "empty.csv", "id,target\n")
    return [str(d / "empty.csv")]


def invisible_only(d: Path) -> list[str]:
    _write(d / "ghost.txt", "\u200f\u200e\u200b \n\ufeff\u2066\u2069\n")
    return [str(d / "ghost.txt")]


def mojibake(d: Path) -> list[str]:
    _write(d / "moji.txt", GOOD.encode("utf-8").decode("cp1256", errors="replace"))
    return [str(d / "moji.txt")]


def _docx_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def docx_named(d: Path) -> list[str]:
    _write(d / "story.docx", _docx_bytes())
    return [str(d / "story.docx")]


def docx_in_folder(d: Path) -> list[str]:
    _write(d / "delivery" / "story.docx", _docx_bytes())
    _write(d / "delivery" / "beside.txt", GOOD)
    return [str(d / "delivery")]


def plain_text_named_docx(d: Path) -> list[str]:
    _write(d / "plain.docx", GOOD)
    return [str(d / "plain.docx")]


def rtf_named_txt(d: Path) -> list[str]:
    _write(d / "word.txt", "{\\rtf1\\ansi\\deff0 " + TEXT + "}")
    return [str(d / "word.txt")]


def glob_characters(d: Path) -> list[str]:
    _write(d / "ar" / "x[1].txt", GOOD)
    _write(d / "ar" / "x1.txt", GOOD)
    _write(d / "en" / "x[1].txt", "The government announced a new plan.")
    _write(d / "en" / "x1.txt", "Another story entirely.")
    return [str(d / "ar"), "--source", str(d / "en")]


def newline_in_name(d: Path) -> list[str]:
    _write(d / "two\nlines.txt", GOOD)
    return [str(d / "two\nlines.txt")]


def leading_dash(d: Path) -> list[str]:
    _write(d / "-dash.txt", GOOD)
    return ["--", str(d / "-dash.txt")]


CASES = [
    Case("duplicate ids in one JSONL", dup_records, 2, ("error: " + "{dir}/in.jsonl:2: duplicate article id 'a'", "in.jsonl:3", "an input error, exit 2", "--allow-duplicates")),
    Case("duplicate ids across files", dup_across_files, 2, ("error: " + "{dir}/two.jsonl:1: duplicate article id 'x' (first in {dir}/one.jsonl:1)", "an input error, exit 2")),
    Case("duplicate segment ids", dup_segments, 2, ("error: " + "{dir}/seg.jsonl:2: duplicate segment id 's1'", "an input error, exit 2"), ("art",)),
    Case("a .docx named", docx_named, 2, ("skipped: {dir}/story.docx: a Word document, not plain text", "save it as UTF-8 plain text")),
    Case("a .docx in a folder of .txt", docx_in_folder, 2, ("skipped: {dir}/delivery/story.docx: a Word document",), ("beside",)),
    Case("plain text named .docx", plain_text_named_docx, 2, ("plain.docx: a Word document",)),
    Case("RTF named .txt", rtf_named_txt, 2, ("word.txt: an RTF document, not plain text",)),
    Case("folder of txt, jsonl, csv, tsv", mixed_folder, 0, (), ("t", "from-jsonl", "from-csv", "from-tsv")),
    Case("JSON array", json_array, 0, (), ("j1", "j2")),
    Case("lone surrogate", lone_surrogate, 2, ("s.jsonl:2", "lone surrogate"), ("fine",)),
    Case("deep nesting", deep_nesting, 2, ("n.jsonl:2", "nested too deeply"), ("fine",)),
    Case("FIFO", fifo, 2, ("pipe.txt", "not a regular file"), ()),
    Case("CSV unbalanced quote", csv_unbalanced_quote, 2, ("q.csv:3", "never closes"), ("before", "after")),
    Case("CSV field over the csv module's limit", csv_huge_field, 0, (), ("big", "small")),
    Case("TSV CRLF inside quotes", tsv_crlf_in_quotes, 0, (), ("m", "n")),
    Case("TSV line starting with a quote", tsv_leading_quote, 0, (), ("quoted", "plain")),
    Case("missing --source folder", missing_source_folder, 0, ("--source", "no such folder", "audited without it")),
    Case("a file as --source", file_as_source, 0, ("--source", "is a file, not a folder")),
    Case("U+2028 inside a JSONL string", u2028_in_jsonl, 0, (), ("ls",)),
    Case("header-only CSV", header_only_csv, 2, ("empty.csv", "header but no records")),
    Case("only invisible characters", invisible_only, 2, ("ghost.txt", "no visible text")),
    Case("mojibake", mojibake, 2, ("moji.txt", "mojibake")),
    Case("glob characters in a file name", glob_characters, 0, (), ("x[1]", "x1")),
    Case("newline in a file name", newline_in_name, 0, (), ("two\\x0alines",)),
    Case("leading dash in a file name", leading_dash, 0, (), ("-dash",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_named_and_the_good_article_is_reported(tmp_path, case):
    good = _write(tmp_path / "good" / "good.txt", GOOD)
    extra = case.build(tmp_path)
    out = tmp_path / "out"
    if "--" in extra:  # everything after "--" is a path
        cut = extra.index("--")
        args = ["audit", "--out", str(out), "--checks", "repeated-word", *extra[:cut], "--", str(good), *extra[cut + 1 :]]
    else:
        args = ["audit", str(good), *extra, "--out", str(out), "--checks", "repeated-word"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == case.code, result.output
    for words in case.says:
        words = words.replace("{dir}", str(tmp_path))
        assert words in result.stderr, f"{words!r} not in:\n{result.stderr}"
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    audited = {a["article_id"] for a in report["articles"]}
    assert {"good", *case.audited} <= audited, audited
    named = {p["origin"] for p in report["input_problems"]}
    assert all(Path(o).exists() or "no_such" in o for o in named)


def test_duplicates_allowed_keeps_every_record(tmp_path):
    dup_records(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "in.jsonl"), "--allow-duplicates", "--out", str(out), "--checks", "repeated-word"])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.stderr and "error: " not in result.stderr and "(--allow-duplicates)" in result.stderr
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert sorted(a["article_id"] for a in report["articles"]) == ["a", "a~2", "a~3"]


def test_glob_stem_pairs_with_its_own_source(tmp_path):
    from mtaudit.inputs.readers import read_inputs

    glob_characters(tmp_path)
    inputs = read_inputs([tmp_path / "ar"], tmp_path / "en")
    sources = {a.id: a.source for a in inputs.articles}
    assert sources == {"x[1]": "The government announced a new plan.", "x1": "Another story entirely."}


def test_u2028_stays_inside_the_record(tmp_path):
    from mtaudit.inputs.readers import read_inputs

    u2028_in_jsonl(tmp_path)
    [art] = read_inputs([tmp_path / "ls.jsonl"]).articles
    assert art.text == TEXT + "\u2028" + TEXT


def test_an_article_over_the_time_limit_is_an_input_problem_and_the_batch_goes_on():
    from mtaudit.run.pipeline import AuditConfig, audit
    from mtaudit.types import Article

    slow = Article("slow", "عنوان\n" + " ".join(["أعلنت الحكومة اليوم خطة جديدة لتطوير التعليم،"] * 3000), origin="big.jsonl", line=7)
    fine = Article("fine", GOOD, origin="fine.txt")
    result = audit([slow, fine], AuditConfig(time_limit=0.05))
    assert [r.article.id for r in result.articles] == ["fine"]
    [problem] = result.skipped
    assert problem.origin == "big.jsonl" and problem.line == 7
    assert "big.jsonl:7: article 'slow' took longer than 0.05 s" in problem.message


def test_a_sentence_without_punctuation_is_cut_into_bounded_pieces():
    from mtaudit.text.segment import MAX_SENTENCE_CHARS, split_sentences

    text = " ".join(["كلمة"] * 20000)
    spans = split_sentences(text)
    assert len(spans) > 1 and max(e - s for s, e in spans) <= MAX_SENTENCE_CHARS
    assert " ".join(text[s:e] for s, e in spans) == text  # nothing lost, only cut at spaces


@pytest.mark.slow
def test_a_5_mb_line_without_punctuation_finishes(tmp_path):
    import time

    words = "الحكومة أعلنت اليوم خطة جديدة لتطوير التعليم في المدارس".split()
    line = " ".join(words[i % len(words)] for i in range(500_000))  # about 5 MB of UTF-8
    assert len(line.encode("utf-8")) > 5_000_000
    big = _write(tmp_path / "big.txt", "عنوان\n" + line + "\n")
    good = _write(tmp_path / "good.txt", GOOD)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["audit", str(big), str(good), "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert time.monotonic() - started < 240
    assert result.exit_code in (0, 1, 2), result.output
    report = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert "good" in {a["article_id"] for a in report["articles"]}
    if "big" not in {a["article_id"] for a in report["articles"]}:
        assert any("took longer than" in p["message"] for p in report["input_problems"])


def test_the_quick_word_split_of_the_mojibake_test_finds_the_regex_words():
    """sanity's split road for texts without a non-ASCII space gives _NON_ASCII_WORD's words,
    and its list of non-ASCII spaces is every one there is."""
    import random
    import sys

    from mtaudit.inputs import sanity

    spaces = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if chr(c).isspace())
    assert spaces == sanity.NON_ASCII_SPACES
    rng = random.Random(7)
    alphabet = "ab .\t\n\x1c\u0627\u0637\u0638\u00d8\u00d9\u00a0\u2003"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert sanity._non_ascii_words(text) == sanity._NON_ASCII_WORD.findall(text), repr(text)
        assert sum(map(text.count, sanity._LEAD_BYTES)) == len(sanity._LEAD_BYTE_CHARS.findall(text))
