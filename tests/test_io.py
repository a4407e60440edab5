"""Reading deliveries (mtaudit.inputs.readers): .txt files and folders, JSONL, CSV/TSV, source/reference
pairing, encodings, and bad inputs that are reported (naming the file) without stopping
the rest of the batch."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mtaudit.inputs.readers import InputError, decode_bytes, read_inputs

BOM = b"\xef\xbb\xbf"
AR_HEADLINE = "وزير الخارجية يلتقي نظيره في القاهرة"
AR_BODY = "قال المتحدث إن المحادثات كانت مثمرة، وإن الجانبين اتفقا على اللقاء مجدداً."
AR_TEXT = f"{AR_HEADLINE}\n{AR_BODY}\n"


def write(path: Path, text: str, bom: bool = False, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((BOM if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    return path


def by_id(inputs) -> dict:
    return {a.id: a for a in inputs.articles}


def problem_for(inputs, name: str):
    """The single problem whose message names ``name``."""
    found = [p for p in inputs.problems if name in p.message]
    assert len(found) == 1, f"expected one problem naming {name}: {inputs.problems}"
    return found[0]


# -- .txt files and folders ---------------------------------------------------------------


@pytest.mark.parametrize(
    "bom, newline",
    [(False, "\n"), (True, "\n"), (False, "\r\n"), (True, "\r\n")],
    ids=["utf8", "utf8-bom", "utf8-crlf", "utf8-bom-crlf"],
)
def test_txt_file_text_is_kept_exactly_as_decoded(tmp_path, bom, newline):
    path = write(tmp_path / "cairo_talks.txt", AR_TEXT, bom=bom, newline=newline)
    inputs = read_inputs([path])
    assert inputs.problems == []
    [art] = inputs.articles
    assert art.id == "cairo_talks"  # file name without extension
    assert art.origin == str(path)
    # Only the BOM is removed; line endings and everything else are untouched (offsets point here).
    assert art.text == AR_TEXT.replace("\n", newline)
    assert not art.text.startswith("\ufeff")
    assert art.source is None and art.reference is None


def test_folder_is_searched_recursively_for_txt_only(tmp_path):
    root = tmp_path / "delivery"
    write(root / "a.txt", AR_TEXT)
    write(root / "2024" / "01" / "b.txt", AR_TEXT)
    write(root / "upper" / "c.TXT", AR_TEXT)
    write(root / "notes.md", AR_TEXT)  # not a .txt: ignored in a folder
    write(root / "meta.json", "{}")
    write(root / ".git" / "hidden.txt", AR_TEXT)  # hidden folders are not deliveries
    write(root / ".hidden.txt", AR_TEXT)
    inputs = read_inputs([root])
    assert inputs.problems == []
    assert sorted(a.id for a in inputs.articles) == ["a", "b", "c"]
    assert {Path(a.origin).name for a in inputs.articles} == {"a.txt", "b.txt", "c.TXT"}


def test_an_earlier_report_folder_inside_the_input_folder_is_not_input(tmp_path):
    from typer.testing import CliRunner

    from mtaudit.cli import app

    root = tmp_path / "delivery"
    write(root / "a.txt", AR_TEXT)
    first = CliRunner().invoke(app, ["audit", str(root), "--out", str(root / "reports"), "--fail-on", "never"])
    assert first.exit_code == 0, first.output
    assert (root / "reports" / "findings.xlsx").is_file()
    write(root / "tables" / "findings.csv", "id,target\nx,وصل الرئيس إلى موسكو.\n")  # a CSV of records, not a report set
    inputs = read_inputs([root])
    assert inputs.problems == []
    assert sorted(Path(a.origin).name for a in inputs.articles) == ["a.txt", "findings.csv"]


def test_explicit_file_of_any_extension_is_read_as_text(tmp_path):
    path = write(tmp_path / "story.md", AR_TEXT)
    inputs = read_inputs([path])
    assert [a.id for a in inputs.articles] == ["story"]


def test_same_file_name_in_two_subfolders_gets_a_path_id(tmp_path):
    root = tmp_path / "d"
    write(root / "x" / "story.txt", "النص الأول")
    write(root / "y" / "story.txt", "النص الثاني")
    inputs = read_inputs([root])
    arts = by_id(inputs)
    assert set(arts) == {"story", "y/story"}
    assert arts["story"].text == "النص الأول"
    assert arts["y/story"].text == "النص الثاني"


def test_duplicate_ids_across_inputs_are_renamed_with_a_warning(tmp_path):
    one = write(tmp_path / "one" / "story.txt", "النص الأول")
    two = write(tmp_path / "two" / "story.txt", "النص الثاني")
    inputs = read_inputs([one, two])
    assert [a.id for a in inputs.articles] == ["story", "story~2"]
    [warning] = inputs.problems
    assert not warning.skipped  # still audited
    assert "duplicate article id 'story'" in warning.message and str(two) in warning.message


def test_folder_without_txt_files_is_a_problem(tmp_path):
    folder = tmp_path / "empty_delivery"
    write(folder / "readme.md", "nothing")
    inputs = read_inputs([folder])
    assert inputs.articles == []
    p = problem_for(inputs, str(folder))
    assert p.skipped and "no input files" in p.message


def test_missing_path_is_a_problem_not_an_exception(tmp_path):
    good = write(tmp_path / "good.txt", AR_TEXT)
    missing = tmp_path / "nope.txt"
    inputs = read_inputs([missing, good])
    assert [a.id for a in inputs.articles] == ["good"]
    p = problem_for(inputs, "nope.txt")
    assert p.skipped and "no such file" in p.message


# -- JSONL, CSV and TSV ---------------------------------------------------------------------

ARTICLE_RECORDS = [
    {
        "id": "cairo",
        "target": AR_TEXT.rstrip("\n"),
        "source": "Foreign minister meets counterpart in Cairo\nThe spokesman said the talks were fruitful.",
        "reference": "وزير الخارجية يجتمع بنظيره في القاهرة\nقال المتحدث إن المحادثات كانت مثمرة.",
        "meta": {"vendor": "acme", "batch": 7},
    },
    # Only the required fields; a target with a comma, quotes and a tab-free newline.
    {"id": "oil", "target": 'أسعار "النفط" ترتفع، والأسواق تترقب\nارتفعت الأسعار اليوم.'},
]

SEGMENT_RECORDS = [
    {"id": "s1", "article_id": "gaza", "target": "دعوة إلى وقف إطلاق النار", "source": "Call for a ceasefire"},
    {"id": "s2", "article_id": "gaza", "target": "قال الوزيران إن المساعدات غير كافية.", "source": "The ministers said aid was not enough."},
    {"id": "s3", "article_id": "gaza", "target": "وسيعقد مؤتمر للمانحين.", "reference": "وسيُعقد مؤتمر للمانحين."},
]

COLUMNS = ["id", "article_id", "target", "source", "reference", "meta"]


def write_records(path: Path, records: list[dict], bom: bool = False) -> Path:
    """Write ``records`` as JSONL, CSV or TSV depending on the suffix (same columns)."""
    if path.suffix == ".jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    else:
        import io

        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter="," if path.suffix == ".csv" else "\t")
        writer.writeheader()
        for r in records:
            row = {c: r.get(c, "") for c in COLUMNS}
            if "meta" in r:
                row["meta"] = json.dumps(r["meta"], ensure_ascii=False)
            writer.writerow(row)
        text = buf.getvalue()
    path.write_bytes((BOM if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
def test_records_one_per_article(tmp_path, suffix, bom):
    path = write_records(tmp_path / f"delivery{suffix}", ARTICLE_RECORDS, bom=bom)
    inputs = read_inputs([path])
    assert inputs.problems == []
    arts = by_id(inputs)
    assert list(arts) == ["cairo", "oil"]  # input order
    cairo, oil = arts["cairo"], arts["oil"]
    for rec, art in ((ARTICLE_RECORDS[0], cairo), (ARTICLE_RECORDS[1], oil)):
        assert art.text == rec["target"]
        assert art.source == rec.get("source")
        assert art.reference == rec.get("reference")
        assert art.meta == rec.get("meta", {})
        assert art.origin == str(path)
        assert art.record_spans == ()  # a whole article, not segments


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
def test_records_per_segment_are_joined_into_one_article(tmp_path, suffix):
    other = {"id": "solo", "target": "خبر قصير من سطر واحد"}
    path = write_records(tmp_path / f"segments{suffix}", [*SEGMENT_RECORDS, other])
    inputs = read_inputs([path])
    assert inputs.problems == []
    arts = by_id(inputs)
    assert set(arts) == {"gaza", "solo"}
    gaza = arts["gaza"]
    assert gaza.text == "\n".join(r["target"] for r in SEGMENT_RECORDS)
    assert [sid for sid, _, _ in gaza.record_spans] == ["s1", "s2", "s3"]
    for (sid, start, end), rec in zip(gaza.record_spans, SEGMENT_RECORDS):
        assert gaza.text[start:end] == rec["target"]
    # Per-record sources and references stay aligned with the records (None where absent).
    assert gaza.record_sources == ("Call for a ceasefire", "The ministers said aid was not enough.", None)
    assert gaza.record_references == (None, None, "وسيُعقد مؤتمر للمانحين.")
    assert gaza.source == "Call for a ceasefire\nThe ministers said aid was not enough.\n"
    assert arts["solo"].record_spans == ()


def test_segment_records_of_one_article_need_not_be_contiguous(tmp_path):
    recs = [
        {"id": "a1", "article_id": "A", "target": "أول"},
        {"id": "b1", "article_id": "B", "target": "ثان"},
        {"id": "a2", "article_id": "A", "target": "ثالث"},
    ]
    inputs = read_inputs([write_records(tmp_path / "d.jsonl", recs)])
    arts = by_id(inputs)
    assert arts["A"].text == "أول\nثالث"
    assert arts["B"].text == "ثان"


def test_jsonl_target_keeps_crlf_and_file_may_use_crlf(tmp_path):
    target = "عنوان\r\nنص الخبر"
    path = tmp_path / "crlf.jsonl"
    path.write_bytes((json.dumps({"id": "x", "target": target}, ensure_ascii=False) + "\r\n").encode())
    [art] = read_inputs([path]).articles
    assert art.text == target


def test_csv_field_with_embedded_newline_and_quotes(tmp_path):
    target = 'قال "الوزير"، بحسب البيان:\nإن المحادثات مستمرة'
    path = write_records(tmp_path / "d.csv", [{"id": "q", "target": target}])
    [art] = read_inputs([path]).articles
    assert art.text == target


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_table_meta_column_must_be_a_json_object(tmp_path, suffix):
    sep = "," if suffix == ".csv" else "\t"
    path = tmp_path / f"d{suffix}"
    rows = [["id", "target", "meta"], ["ok", "نص", '{"k": 1}'], ["bad", "نص آخر", "[1, 2]"], ["junk", "نص ثالث", "{not json"]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)
    inputs = read_inputs([path])
    assert [a.id for a in inputs.articles] == ["ok"]
    assert inputs.articles[0].meta == {"k": 1}
    messages = [p.message for p in inputs.problems]
    assert any(f"{path}:3" in m and "'meta' must be an object" in m for m in messages), messages
    assert any(f"{path}:4" in m and "bad 'meta' JSON" in m for m in messages), messages


# -- pairing with --source / --reference folders --------------------------------------------


def test_source_and_reference_folders_are_paired_by_file_name(tmp_path):
    write(tmp_path / "ar" / "cairo.txt", AR_TEXT)
    write(tmp_path / "ar" / "oil.txt", "النفط يرتفع\nارتفعت أسعار النفط.")
    write(tmp_path / "en" / "cairo.txt", "Minister meets counterpart\nTalks were fruitful.", bom=True)
    write(tmp_path / "en" / "oil.txt", "Oil rises\nOil prices rose.")
    write(tmp_path / "ref" / "cairo.txt", "الوزير يلتقي نظيره\nكانت المحادثات مثمرة.")
    inputs = read_inputs([tmp_path / "ar"], tmp_path / "en", tmp_path / "ref")
    arts = by_id(inputs)
    assert arts["cairo"].source == "Minister meets counterpart\nTalks were fruitful."  # BOM removed
    assert arts["oil"].source == "Oil rises\nOil prices rose."
    assert arts["cairo"].reference == "الوزير يلتقي نظيره\nكانت المحادثات مثمرة."
    assert arts["oil"].reference is None
    # The missing reference is a warning naming the article; it is still audited.
    p = problem_for(inputs, "oil.txt")
    assert not p.skipped
    assert "no reference file named oil.*" in p.message and str(tmp_path / "ref") in p.message


def test_target_without_source_is_audited_with_a_warning(tmp_path):
    target = write(tmp_path / "ar" / "lonely.txt", AR_TEXT)
    (tmp_path / "en").mkdir()
    inputs = read_inputs([tmp_path / "ar"], tmp_path / "en")
    assert [a.id for a in inputs.articles] == ["lonely"]
    assert inputs.articles[0].source is None
    p = problem_for(inputs, str(target))
    assert not p.skipped and "no source file named lonely.*" in p.message


def test_unreadable_source_is_a_warning_and_the_target_is_still_read(tmp_path):
    write(tmp_path / "ar" / "story.txt", AR_TEXT)
    bad_source = tmp_path / "en" / "story.txt"
    bad_source.parent.mkdir()
    bad_source.write_bytes(b"\x00\x01\x02binary")
    inputs = read_inputs([tmp_path / "ar"], tmp_path / "en")
    [art] = inputs.articles
    assert art.id == "story" and art.source is None
    p = problem_for(inputs, str(bad_source))
    assert not p.skipped
    assert "binary" in p.message and "story.txt audited without its source" in p.message


@pytest.mark.parametrize("option", ["source", "reference"])
@pytest.mark.parametrize("kind", ["missing", "file"])
def test_unusable_pairing_folder_is_a_warning_and_the_article_is_audited(tmp_path, option, kind):
    write(tmp_path / "ar" / "a.txt", AR_TEXT)
    folder = tmp_path / "no_such_folder"
    if kind == "file":
        write(folder, "I am a file")
    kwargs = {"source_dir": folder} if option == "source" else {"reference_dir": folder}
    inputs = read_inputs([tmp_path / "ar"], **kwargs)
    assert [a.id for a in inputs.articles] == ["a"]
    [p] = inputs.problems
    assert not p.skipped and f"--{option} {folder}" in p.message
    assert ("no such folder" if kind == "missing" else "is a file") in p.message


def test_pairing_respects_subfolders(tmp_path):
    write(tmp_path / "ar" / "x" / "a.txt", "النص س")
    write(tmp_path / "ar" / "y" / "a.txt", "النص ص")
    write(tmp_path / "en" / "x" / "a.txt", "source X")
    write(tmp_path / "en" / "y" / "a.txt", "source Y")
    arts = by_id(read_inputs([tmp_path / "ar"], tmp_path / "en"))
    assert arts["a"].source == "source X"
    assert arts["y/a"].source == "source Y"


def test_source_without_target_is_reported(tmp_path):
    write(tmp_path / "ar" / "a.txt", AR_TEXT)
    write(tmp_path / "en" / "a.txt", "Source A")
    orphan = write(tmp_path / "en" / "forgotten.txt", "Source of an article nobody translated")
    inputs = read_inputs([tmp_path / "ar"], tmp_path / "en")
    assert any("forgotten" in p.message for p in inputs.problems), inputs.problems
    assert any(p.origin == str(orphan) or str(orphan) in p.message for p in inputs.problems)


# -- bad inputs: a clear error naming the file, the rest still read ------------------------

BAD_TEXT_FILES = [
    # name, bytes, words the message must contain
    ("cp1256.txt", "قال الوزير إن المحادثات مثمرة".encode("cp1256"), ["not valid UTF-8", "byte 0x", "Windows-1256"]),
    ("latin1.txt", "café crème".encode("latin-1"), ["not valid UTF-8"]),
    ("empty.txt", b"", ["file is empty"]),
    ("blank.txt", b"  \n\t\n", ["file is empty"]),
    ("bom_only.txt", BOM, ["file is empty"]),
    ("bom_blank.txt", BOM + b"\n\n", ["file is empty"]),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["binary"]),
    ("utf16.txt", "قال الوزير".encode("utf-16"), ["UTF-16"]),
]


@pytest.mark.parametrize("name, data, words", BAD_TEXT_FILES, ids=[b[0] for b in BAD_TEXT_FILES])
def test_bad_text_file_is_skipped_with_a_message_naming_it(tmp_path, name, data, words):
    folder = tmp_path / "delivery"
    write(folder / "a_good.txt", AR_TEXT)
    bad = folder / name
    bad.write_bytes(data)
    write(folder / "z_good.txt", AR_TEXT)
    inputs = read_inputs([folder])
    # One bad file does not stop the others, before or after it.
    assert [a.id for a in inputs.articles] == ["a_good", "z_good"]
    [p] = inputs.problems
    assert p.skipped
    assert p.origin == str(bad)
    assert str(bad) in p.message
    for w in words:
        assert w in p.message


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
@pytest.mark.parametrize(
    "data, words",
    [(b"", "file is empty"), ("قال".encode("cp1256") + b"\n", "not valid UTF-8"), (b"\x00\x00\x00", "binary")],
    ids=["empty", "cp1256", "binary"],
)
def test_bad_record_file_is_skipped_and_named(tmp_path, suffix, data, words):
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(data)
    good = write(tmp_path / "good.txt", AR_TEXT)
    inputs = read_inputs([bad, good])
    assert [a.id for a in inputs.articles] == ["good"]
    [p] = inputs.problems
    assert p.skipped and str(bad) in p.message and words in p.message


def test_malformed_jsonl_lines_are_reported_with_line_numbers_and_the_rest_kept(tmp_path):
    path = tmp_path / "delivery.jsonl"
    lines = [
        json.dumps({"id": "a", "target": "النص الأول"}, ensure_ascii=False),  # 1
        '{"id": "b", "target": "نص مقطوع',  # 2: truncated line
        "",  # 3: blank lines are fine
        json.dumps({"id": "c", "target": "النص الثالث"}, ensure_ascii=False),  # 4
        "[1, 2, 3]",  # 5: not an object
        json.dumps({"target": "بلا معرّف"}, ensure_ascii=False),  # 6: no id
        json.dumps({"id": "e", "target": "   "}),  # 7: no text
        json.dumps({"id": "f", "target": "نص", "source": 42}),  # 8: bad source type
        json.dumps({"id": "g", "target": "النص الأخير"}, ensure_ascii=False),  # 9
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = read_inputs([path])
    assert [a.id for a in inputs.articles] == ["a", "c", "g"]
    by_line = {}
    for p in inputs.problems:
        assert p.skipped and p.origin == str(path)
        line = int(p.message.split(":", 2)[1])
        assert p.message.startswith(f"{path}:{line}:")
        by_line[line] = p.message
    assert set(by_line) == {2, 5, 6, 7, 8}
    assert "malformed JSON (Unterminated string starting at column 23)" in by_line[2]  # one "at"
    assert "expected a JSON object" in by_line[5]
    assert "no 'id'" in by_line[6]
    assert "'e' has no text in 'target'" in by_line[7]
    assert "'source' must be a string" in by_line[8]


@pytest.mark.parametrize("suffix, sep", [(".csv", ","), (".tsv", "\t")])
@pytest.mark.parametrize(
    "header, missing", [(["id", "text"], "target"), (["target", "source"], "id"), (["name", "body"], "id, target")]
)
def test_table_missing_required_column(tmp_path, suffix, sep, header, missing):
    path = tmp_path / f"d{suffix}"
    path.write_text(sep.join(header) + "\n" + sep.join(["1", "نص"]) + "\n", encoding="utf-8")
    good = write(tmp_path / "good.txt", AR_TEXT)
    inputs = read_inputs([path, good])
    assert [a.id for a in inputs.articles] == ["good"]
    [p] = inputs.problems
    assert p.skipped and p.origin == str(path)
    assert f"{path}: missing column(s) {missing}" in p.message
    assert f"(has: {', '.join(header)})" in p.message


def test_csv_row_with_extra_fields_is_reported_by_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,target\n1,نص أول\n2,نص ثان,زائد\n3,نص ثالث\n", encoding="utf-8")
    inputs = read_inputs([path])
    assert [a.id for a in inputs.articles] == ["1", "3"]
    [p] = inputs.problems
    assert f"{path}:3: more fields than the header" == p.message


def test_csv_with_broken_quoting_names_the_file(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,target\n1,"نص لم يُغلق\n', encoding="utf-8")
    inputs = read_inputs([path])
    assert inputs.articles == []
    [p] = inputs.problems
    assert p.skipped and p.message.startswith(f"{path}:2: a quoted field never closes") and p.line == 2


@pytest.mark.parametrize(
    "data, words",
    [
        ("مرحبا".encode("utf-8"), None),
        (BOM + "مرحبا".encode("utf-8"), None),
        ("مرحبا".encode("cp1256"), "not valid UTF-8"),
        ("مرحبا بكم".encode("utf-16-be"), "binary"),  # no BOM: the space's NUL byte gives it away
        (b"\xfe\xff" + "مرحبا".encode("utf-16-be"), "UTF-16"),
    ],
    ids=["utf8", "bom", "cp1256", "utf16be-no-bom", "utf16be-bom"],
)
def test_decode_bytes(data, words):
    if words is None:
        assert decode_bytes(data, "x.txt") == "مرحبا"
    else:
        with pytest.raises(InputError, match=words) as exc:
            decode_bytes(data, "some/where/x.txt")
        assert str(exc.value).startswith("some/where/x.txt: ")


# -- a long batch holds paths, not texts (io.ArticleList) ----------------------------------


def test_text_articles_are_held_as_paths_and_read_again(tmp_path):
    from mtaudit.inputs.readers import ArticleList, _TextFile

    write(tmp_path / "src" / "a.txt", "The minister met his counterpart.\n")
    write(tmp_path / "in" / "a.txt", AR_TEXT, bom=True)
    write(tmp_path / "in" / "b.txt", AR_BODY + "\n")
    inputs = read_inputs([tmp_path / "in"], source_dir=tmp_path / "src")
    assert isinstance(inputs.articles, ArticleList)
    entries = list(inputs.articles.entries())
    assert all(isinstance(e, _TextFile) for e in entries)  # no text kept
    a, b = inputs.articles  # read again when taken out, BOM removed as before
    assert (a.id, a.text, a.source) == ("a", AR_TEXT, "The minister met his counterpart.\n")
    assert (b.id, b.text, b.source) == ("b", AR_BODY + "\n", None)
    assert inputs.articles[1] == b and inputs.articles[-1:] == [b]
    assert inputs.articles.select([False, True]) == [b]


def test_a_text_changed_after_reading_is_refused_not_audited_silently(tmp_path):
    path = write(tmp_path / "a.txt", AR_TEXT)
    inputs = read_inputs([path])
    path.write_text(AR_BODY + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed while the batch was being audited"):
        inputs.articles[0]


def test_duplicate_ids_are_renamed_without_reading_the_files_again(tmp_path):
    write(tmp_path / "x" / "story.txt", AR_TEXT)
    write(tmp_path / "y" / "story.jsonl", json.dumps({"id": "story", "target": AR_BODY}) + "\n")
    inputs = read_inputs([tmp_path / "x", tmp_path / "y"], allow_duplicates=True)
    assert [a.id for a in inputs.articles] == ["story", "story~2"]
    assert [a.text for a in inputs.articles] == [AR_TEXT, AR_BODY]
