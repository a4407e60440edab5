"""The compiled frequency tables answer exactly what wordfreq answers (mtaudit.text.frequency)."""

from __future__ import annotations

import random

from mtaudit.knowledge.compiled import LazyTable
from mtaudit.text import frequency
from mtaudit.text.frequency import arabic_common_zipf, arabic_exact_zipf, arabic_zipf


def test_lazy_table_answers_as_the_dict_it_packs():
    table = {"ب": 1.5, "ا": 2.0, "ت": 1.5, "": 0.25, "zz": 3.0, "p": (("AH0", "B"),), "q": ("x", 1)}
    packed = LazyTable.from_dict(table)
    assert {k: packed.get(k) for k in table} == table and len(packed) == len(table)
    assert packed.get("missing") is None and packed.get("بب", 0.0) == 0.0
    assert "zz" in packed and "zy" not in packed and 3 not in packed and packed["p"] == (("AH0", "B"),)
    rng = random.Random(3)
    big = {"".join(rng.choice("abجد") for _ in range(rng.randint(1, 6))): rng.random() for _ in range(3000)}
    packed = LazyTable.from_dict(big)
    assert len(packed.firsts) >= 4 and all(packed.get(k) == v for k, v in big.items())
    for k in ["", "a" * 9, "\uffff", "aaaaaaab", "0"]:
        assert packed.get(k) == big.get(k) and (k in packed) == (k in big)


def test_exact_arabic_zipf_matches_wordfreq_as_written():
    from wordfreq import get_frequency_dict, zipf_frequency

    rng = random.Random(14)
    words = rng.sample(sorted(get_frequency_dict("ar")), 3000)
    # spellings wordfreq does not list, marked words, digits and Latin letters (the fallback)
    words += [w + "ث" for w in words[:500]] + ["الى", "إلى", "حتي", "و2", "ال78", "وApple", "بالھواء", "يوميًّا", "طُوِّر"]
    for w in words:
        z = zipf_frequency(w, "ar")
        assert arabic_exact_zipf(w) == z, w
        assert arabic_common_zipf(w) == (z if z >= frequency.COMMON_ZIPF else 0.0), w


def test_marked_spellings_are_answered_without_wordfreq_as_before():
    from wordfreq import zipf_frequency

    for w in ("يوميًّا", "طُوِّر", "السياسيِّ", "تشبَّه"):
        folded = arabic_zipf.__wrapped__(w)
        assert folded == max(zipf_frequency(w, "ar"), folded)


def test_compiled_table_file_is_mapped_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    from mtaudit.knowledge import compiled

    monkeypatch.setenv(compiled.CACHE_ENV, str(tmp_path))
    calls = []
    table = {f"k{i}": (i, f"v{i}") for i in range(1000)}

    def build():
        calls.append(1)
        return table

    first = compiled.compiled_table("t", build, extra=("x",))
    again = compiled.compiled_table("t", build, extra=("x",))
    assert len(calls) == 1 and not isinstance(again.data, bytes)  # the second one is the mapped file
    assert all(first.get(k) == again.get(k) == v for k, v in table.items()) and len(again) == 1000
    (path,) = (tmp_path / "compiled").glob("t-*.table")
    path.write_bytes(path.read_bytes()[:-10])  # truncated: built again, same answers
    assert compiled.compiled_table("t", build, extra=("x",)).get("k999") == (999, "v999") and len(calls) == 2
    monkeypatch.setenv(compiled.CACHE_ENV, "off")
    assert compiled.compiled_table("t", build).get("k5") == (5, "v5") and len(calls) == 3
    import pickle

    monkeypatch.setenv(compiled.CACHE_ENV, str(tmp_path))
    mapped = compiled.compiled_table("t", build, extra=("x",))
    assert pickle.loads(pickle.dumps(mapped)).get("k7") == (7, "v7")
