"""The built gazetteer (scripts/build_gazetteer.py → references/gazetteer_built.tsv) and its
loading as an optional layer under the curated rows."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest
import regex

from mtaudit.knowledge.resources import Resources, default_reference_dir, read_tsv

ROOT = Path(__file__).resolve().parent.parent
REFS = default_reference_dir()
BUILT = REFS / "gazetteer_built.tsv"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _build_module()


@pytest.fixture(scope="module")
def built_rows():
    return read_tsv(BUILT)


@pytest.fixture(scope="module")
def layered() -> Resources:
    return Resources(built_gazetteer=True)


def test_built_file_has_the_curated_columns_and_more(build):
    header = next(line for line in BUILT.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    assert header.split("\t") == build.COLUMNS
    curated = next(
        line for line in (REFS / "gazetteer_curated.tsv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
    assert header.split("\t")[: len(curated.split("\t"))] == curated.split("\t")


def test_built_rows_are_arabic_with_english(built_rows):
    arabic_form = regex.compile(r"\p{Arabic}[\p{Arabic}\p{Mn} '\-]*")  # tashkeel as in عُمان
    regions = {r["country"]: r["region"] for r in read_tsv(REFS / "regions.tsv")}
    for r in built_rows:
        for form in [r["canonical"], *filter(None, r["variants"].split("|"))]:
            assert arabic_form.fullmatch(form), r.origin
        assert all(e.strip() for e in r["english"].split("|")), r.origin
        assert r["type"] in ("person", "organisation", "place"), r.origin
        assert r["source"] in ("wikidata", "cldr"), r.origin
        if r["country"]:
            assert regions[r["country"]] == r["region"], r.origin
        else:
            assert r["region"] == "World", r.origin
        if r["type"] == "person":
            assert len(r["canonical"].split()) >= 2 and len(r["english"].split("|")[0].split()) >= 2, r.origin


def test_built_file_is_a_few_megabytes_at_most():
    assert BUILT.stat().st_size < 4_000_000


def test_default_gazetteer_is_the_curated_one(resources):
    curated = read_tsv(REFS / "gazetteer_curated.tsv")
    assert not resources.built_gazetteer
    assert len(resources.gazetteer.entities) == len(curated)


def test_built_layer_loads_and_is_fast(layered, resources):
    start = time.process_time()  # CPU time: other jobs on the machine do not count
    gaz = layered.gazetteer
    elapsed = time.process_time() - start
    assert len(gaz.entities) > len(resources.gazetteer.entities) + 10_000
    # measured 2.0 s CPU on the development machine (it was 36 s before the index was fixed)
    assert elapsed < 15, elapsed
    # every curated entity is there, as curated
    curated = {e.canonical: e for e in resources.gazetteer.entities}
    mine = {e.canonical: e for e in gaz.entities}
    for canonical, ent in curated.items():
        assert mine[canonical].english == ent.english and mine[canonical].variants == ent.variants
    assert any(e.origin.startswith(str(BUILT)) for e in gaz.entities)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text(
        "# test fixture\n" + "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8"
    )


def test_curated_rows_override_built_ones(tmp_path):
    cols = ["canonical", "english", "type", "variants", "titles", "wikidata", "note"]
    _write(
        tmp_path / "gazetteer_curated.tsv",
        cols,
        [
            ["بشار الأسد", "Bashar al-Assad|Assad", "person", "", "الرئيس", "Q44329", "curated"],
            ["أسعد الشيباني", "Asaad al-Shaibani|Shaibani", "person", "أسعد حسن الشيباني", "", "", "curated"],
        ],
    )
    _write(
        tmp_path / "gazetteer_built.tsv",
        [*cols, "region", "country", "source"],
        [
            # same canonical form (folded: الاسد)
            ["بشار الاسد", "Bashar Assad", "person", "", "", "", "", "Mashriq", "SY", "wikidata"],
            # same Wikidata id
            ["بشار حافظ الأسد", "Bashar Hafez al-Assad", "person", "", "", "Q44329", "", "Mashriq", "SY", "wikidata"],
            # same English full name, another spelling
            ["أسعد الشيبانى", "Asaad al-Shaibani", "person", "", "", "", "", "Mashriq", "SY", "wikidata"],
            # the canonical form is a curated variant
            ["أسعد حسن الشيباني", "Asaad Hassan al-Shaibani", "person", "", "", "", "", "Mashriq", "SY", "wikidata"],
            # a new entity, one of whose variants is a curated form
            ["نبيل رجب", "Nabeel Rajab|Nabil Rajab", "person", "بشار الأسد|نبيل رجاب", "", "", "", "Gulf", "BH", "wikidata"],
        ],
    )
    import shutil

    from mtaudit.knowledge.resources import default_reference_dir

    for table in ("spelling_conventions.tsv", "english_given_names.tsv", "person_titles.tsv"):
        shutil.copy(default_reference_dir() / table, tmp_path / table)  # the name checks' other tables
    res = Resources(built_gazetteer=True)
    res.dirs = [tmp_path]  # the fixture alone, not the bundled gazetteers
    gaz = res.gazetteer
    assert sorted(e.canonical for e in gaz.entities) == sorted(["بشار الأسد", "أسعد الشيباني", "نبيل رجب"])
    assadd = next(e for e in gaz.entities if e.wikidata == "Q44329")
    assert assadd.note == "curated" and assadd.titles == ("الرئيس",)
    assert [e.canonical for e in gaz.by_english["nabil rajab"]] == ["نبيل رجب"]
    assert gaz.by_english["nabil rajab"][0].variants == ("نبيل رجاب",)
    assert gaz.accepted_forms["بشار الاسد"] is assadd
    # without the layer, the built file is not read
    plain = Resources()
    plain.dirs = [tmp_path]
    assert len(plain.gazetteer.entities) == 2


def _readme_table(text: str, build) -> tuple[int, list[list[str]]]:
    block = text.split(build.README_START, 1)[1].split(build.README_END, 1)[0]
    n_rows = int(regex.search(r"\(([\d]+) rows", block).group(1))
    lines = [line for line in block.splitlines() if line.startswith("|")]
    return n_rows, [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def test_coverage_statement_matches_the_file(build, built_rows):
    n_rows, table = _readme_table((REFS / "README.md").read_text(encoding="utf-8"), build)
    assert n_rows == len(built_rows)
    header, lines = build.coverage([r.values for r in built_rows])
    assert table[0] == header
    assert table[2:] == lines
    # recomputed here, independently of the script: people per region, and the total
    people = {}
    for r in built_rows:
        if r["type"] == "person":
            people[r["region"]] = people.get(r["region"], 0) + 1
    by_region = {line[0]: line for line in table[2:]}
    for region, n in people.items():
        assert int(by_region[region][header.index("person")]) == n
    assert int(by_region["all"][header.index("total")]) == len(built_rows)


def test_no_country_dominates_the_people(built_rows):
    countries = {}
    people = [r for r in built_rows if r["type"] == "person"]
    for r in people:
        countries[r["country"]] = countries.get(r["country"], 0) + 1
    assert max(countries.values()) <= 0.1 * len(people)


def test_restoration_writes_hamza_ya_and_ta_marbuta_only_where_arabic_does(build):
    pytest.importorskip("arabic_name_romanizer")
    freq = {
        "أحمد": 3e-4, "احمد": 5e-5, "على": 1e-2, "علي": 3e-4, "موسى": 5e-5, "موسي": 1e-6,
        "فاطمة": 3e-5, "فاطمه": 1e-6, "رأفت": 4e-6, "رافت": 3e-7, "الأمين": 2e-5, "الامين": 1e-5,
    }
    restore = build.Restorer(freq, preferred={"الامين": "الأمين"})
    assert restore("احمد علي") == "أحمد علي"  # علي is not the preposition على
    assert restore("موسي الامين") == "موسى الأمين"
    assert restore("فاطمه رافت") == "فاطمة رافت"  # a medial hamza is not restored
    assert restore("زيد كيلوني") == "زيد كيلوني"  # unknown words stay as they are


def test_person_filters(build):
    pytest.importorskip("arabic_name_romanizer")
    assert build.well_formed_arabic("نبيل رجب")
    assert not build.well_formed_arabic("نبيل")  # one name unit
    assert not build.well_formed_arabic("عبد الله")  # one unit too (a particle and its name)
    assert not build.well_formed_arabic("حسين پوراميني")  # a Persian letter
    assert build.clear_english("Nabeel Rajab") and build.clear_english("Ibtisam al-Samadi")
    assert not build.clear_english("Nabeel") and not build.clear_english("Heba El ghamrawy")
    assert build.corresponds("نبيل رجب", "Nabeel Rajab")
    assert not build.corresponds("صالح كامل", "Saleh Abdullah Kamel")
