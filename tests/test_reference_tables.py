"""Every reference table is described by references/tables.schema.json and read through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtaudit.knowledge.reference_tables import SCHEMA_FILE, ReferenceDataError, read_tsv, schema_for
from mtaudit.knowledge.resources import Resources, default_reference_dir
from mtaudit.names import ENTITY_TYPES
from mtaudit.text.placeholders import KINDS

REFS = default_reference_dir()
#: Tables with a format of their own (not header + rows of columns), read by their modules.
OWN_FORMAT = {"calibration.tsv", "word_alignment_priors.tsv", "wrong_sense_cases.tsv"}


def test_every_table_has_a_schema_and_reads_clean():
    names = sorted(p.name for p in REFS.glob("*.tsv") if p.name not in OWN_FORMAT)
    assert len(names) >= 20
    for name in names:
        assert read_tsv(REFS / name), name  # schema found, every row valid


def test_every_table_loads_through_resources():
    Resources().validate()


def test_schema_choices_match_the_code():
    tables = json.loads((REFS / SCHEMA_FILE).read_text(encoding="utf-8"))["tables"]
    assert tables["placeholders.tsv"]["properties"]["kind"]["enum"] == list(KINDS)
    for name in ("gazetteer_curated.tsv", "gazetteer_built.tsv"):
        assert tables[name]["properties"]["type"]["enum"] == list(ENTITY_TYPES)


@pytest.mark.parametrize(
    "table, header, row, message",
    [
        ("boilerplate.tsv", "id\tscope\tpattern\tmax_words", "x\tsomewhere\tabc\t3", "scope must be line, next or rest"),
        ("boilerplate.tsv", "id\tscope\tpattern\tmax_words", "x\tline\t(abc\t3", "pattern must be a valid regular expression"),
        ("boilerplate.tsv", "id\tscope\tpattern\tmax_words", "x\tline\tabc\t0", "max_words must be a whole number of at least 1"),
        ("months.tsv", "month\tname", "13\tfoo", "month must be 1-12"),
        ("number_words.tsv", "word\tvalue\tkind", "ten\tx\tunit", "value must be a number"),
        ("units.tsv", "unit\tdimension\tfactor", "mile\tlength\tfar", "factor must be a number"),
        ("units.tsv", "unit\tdimension\tfactor", "usd\tcurrency\t", None),  # no factor for a currency
        ("calques.tsv", "id\tpattern\tseverity\texplanation", "c\tabc\tbad\twhy", "severity must be critical, major, minor or info"),
        ("gazetteer_curated.tsv", "canonical\tenglish\ttype\twikidata", "س\tS\tperson\t42", "wikidata must be a Wikidata id like Q1234"),
        ("valid_repeats.tsv", "where", "anywhere", "header lacks column(s) word"),
        ("latin_allowed.tsv", "token\tnote", "\tempty", "empty 'token'"),
    ],
)
def test_a_bad_row_names_file_line_and_rule(tmp_path: Path, table, header, row, message):
    path = tmp_path / table
    path.write_text(f"# a newsroom's table\n{header}\n{row}\n", encoding="utf-8")
    if message is None:
        assert len(read_tsv(path)) == 1
        return
    with pytest.raises(ReferenceDataError) as err:
        read_tsv(path)
    assert str(err.value).startswith(f"{path}:") and message in str(err.value), str(err.value)


def test_a_table_without_a_schema_is_an_error(tmp_path: Path):
    path = tmp_path / "unknown.tsv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="no schema for table unknown.tsv"):
        read_tsv(path)


def test_a_newsroom_row_replaces_the_default_by_the_schemas_key(tmp_path: Path):
    key = schema_for("valid_repeats.tsv").key
    assert key == "word"
    before = Resources().valid_repeats
    word = next(w for w, where in sorted(before.items()) if where == "anywhere")
    (tmp_path / "valid_repeats.tsv").write_text(f"word\twhere\n{word}\tclause-start\n", encoding="utf-8")
    after = Resources([tmp_path]).valid_repeats
    assert after[word] == "clause-start" and len(after) == len(before)
