"""Property-based tests (Hypothesis) over the readers, the normaliser, the segmenter, every
check and the report writers, on generated Arabic-like copy full of what real input has:
hamza forms, tashkeel, tatweel, bidi and zero-width marks, Arabic-Indic digits, Latin
words, URLs, HTML entities, quotes, odd line breaks.

Properties: nothing crashes; every offset is in range and ``text == original[start:end]``;
segment ids are unique and segments do not overlap; every input record is accounted for
(an article, a segment of one, or an input problem); re-runs are byte-identical.

Profiles (registered in conftest.py): ``mtaudit-short`` (15 examples per test, the
default run) and ``long`` (`pytest tests/test_properties.py --hypothesis-profile=long`, run
by .ci/run: 100,000 generated inputs, most of them for the cheap properties; see the
``long_profile_examples`` counts).
"""

from __future__ import annotations

import csv
import io
import json
from unittest import mock

import regex
from conftest import default_resources, long_profile_examples
from hypothesis import given
from hypothesis import strategies as st

from mtaudit.checks import load_all
from mtaudit.inputs.readers import read_inputs
from mtaudit.run.pipeline import audit_article
from mtaudit.text.normalize import normalize
from mtaudit.text.segment import segment_article
from mtaudit.text.tokens import Token, tokenize, word_set
from mtaudit.types import FINDING_COLUMNS, Article

WORDS = ["قال", "الرئيس", "إن", "الحكومة", "أعلنت", "اليوم", "خطة", "جديدة", "لتطوير", "التعليم", "في", "المدارس", "وزير", "الخارجية", "الأمم", "المتحدة", "مجلس", "الأمن", "دمشق", "سوريا", "بيروت", "لبنان", "الإضرابات", "الجوية", "سيارة", "أراب", "أسعد", "الشيباني", "آساد", "عراقجي", "دونالد", "ترامب", "بنيامين", "نتنياهو", "مليون", "مليار", "دولار", "بالمئة", "وقال", "وبالتالي", "للحكومة", "فسيذهب", "سيقولون", "ألصقني", "رويترز", "أ", "ف", "ب"]
LATIN = ["Reuters", "AFP", "said", "the", "strikes", "car", "Syria", "Trump", "Tebboune", "Ankara", "2024", "5km", "$3m", "£4.5bn"]
MARKS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640", "\u200f", "\u200e", "\u200b", "\u2066", "\u2069", "\ufeff"]
PUNCT = ["،", "؛", "؟", ".", ",", "!", "?", ":", '"', "«", "»", "“", "”", "(", ")", "-", "…", " ، ", " .", "&amp;", "&quot;"]
DIGITS = ["٣", "١٢٥", "2024", "3,5", "٣٫٥", "٢٠٬٠٠٠", "15%", "١٠٪", "1990s"]
SPECIAL = ["https://example.com/a?b=1", "@reuters", "#سوريا", "user@example.org", "<b>", "</b>"]
BREAKS = [" ", " ", " ", "\n", "\r\n", "\n\n", "\t", "\u2028", "\u00a0"]

piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(LATIN),
    st.sampled_from(DIGITS),
    st.sampled_from(SPECIAL),
    st.builds(lambda w, m: w + m, st.sampled_from(WORDS), st.sampled_from(MARKS)),
    st.sampled_from(PUNCT),
    st.text(min_size=1, max_size=3),  # anything at all, surrogates excluded by Hypothesis' default
)
copy_text = st.lists(st.tuples(piece, st.sampled_from(BREAKS)), min_size=1, max_size=60).map(
    lambda parts: "".join(p + b for p, b in parts)
)
source_text = st.one_of(st.none(), st.lists(st.sampled_from(LATIN + ["the", "a", "minister", "said", "."]), max_size=40).map(" ".join))

SPECS = list(load_all().values())


@long_profile_examples(35_000)
@given(copy_text)
def test_normalize_maps_every_folded_character_back(text):
    norm = normalize(text, entities=True)
    assert len(norm.text) == len(norm.starts) == len(norm.ends)
    for s, e in zip(norm.starts, norm.ends):
        assert 0 <= s < e <= len(text)
    assert list(norm.starts) == sorted(norm.starts)


@long_profile_examples(35_000)
@given(copy_text, st.sampled_from([0, 7]))
def test_tokens_are_the_words_of_the_folded_text_mapped_back(text, base):
    # tokenize splits and sums lengths at C speed; this is what it must give, one match at a time
    norm = normalize(text)
    expected = []
    for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", norm.text):
        s, e = norm.starts[m.start()], norm.ends[m.end() - 1]
        expected.append((text[s:e], m.group(), s + base, e + base))
    tokens = tokenize(text, base)
    assert [tuple(t) for t in tokens] == expected
    assert all(type(t) is Token for t in tokens)
    assert word_set(text, base) == {t.folded for t in tokens}


@long_profile_examples(35_000)
@given(copy_text)
def test_segments_cover_the_text_without_overlap(text):
    segments = segment_article(Article("p", text), default_resources())
    ids = [s.segment_id for s in segments]
    assert len(ids) == len(set(ids))
    last_end = 0
    for seg in segments:
        assert last_end <= seg.start < seg.end <= len(text)
        assert seg.text == text[seg.start : seg.end]
        last_end = seg.end


@long_profile_examples(6_000)
@given(copy_text, source_text)
def test_every_check_keeps_the_offset_contract_and_reruns_identically(text, source):
    article = Article("p", text, source=source)
    first = audit_article(article, SPECS, default_resources(), score=False)
    assert not first.crashes, first.crashes
    segment_ids = {s.segment_id for s in first.segments}
    for f in first.findings:
        assert 0 <= f.start < f.end <= len(text), f
        assert f.text == text[f.start : f.end], f
        assert f.segment_id in segment_ids or f.segment_id == "", f
        assert 0.0 <= f.confidence <= 1.0
    again = audit_article(article, SPECS, default_resources(), score=False)
    assert again.findings == first.findings


record = st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(["a", "b", "c", "=1+1", "-x", "x\ny"]), st.text(max_size=4))},
    optional={
        "target": st.one_of(copy_text, st.text(max_size=5), st.integers(), st.none()),
        "article_id": st.sampled_from(["", "art1", "art2"]),
        "source": st.one_of(source_text, st.integers()),
        "meta": st.one_of(st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.text(max_size=3)),
    },
)
jsonl_line = st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False)), st.text(max_size=20), st.just('{"id": "s", "target": "\\ud800"}'))


@long_profile_examples(20_000)
@given(st.lists(jsonl_line, min_size=1, max_size=12))
def test_every_jsonl_record_is_accounted_for(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = read_inputs([path], allow_duplicates=True)
    for art in inputs.articles:
        assert art.text.strip()
        ids = [rid for rid, _, _ in art.record_spans]
        assert len(ids) == len(set(ids)), ids  # duplicate segment ids are renamed
    assert len({a.id for a in inputs.articles}) == len(inputs.articles)
    if any(p.skipped and p.line == 0 for p in inputs.problems):
        assert not inputs.articles  # the whole file was refused (binary, not UTF-8): one problem
        return
    problem_lines = {p.line for p in inputs.problems if p.skipped}
    records = [(n, line) for n, line in enumerate(("\n".join(lines) + "\n").split("\n"), 1) if line.strip()]
    singles = [a for a in inputs.articles if not a.record_spans]
    segments = sum(len(a.record_spans) for a in inputs.articles)
    assert len(singles) + segments + len(problem_lines & {n for n, _ in records}) == len(records)


@long_profile_examples(4_000)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "=cmd", "x"]), copy_text), min_size=1, max_size=6))
def test_report_tables_round_trip(tmp_path_factory, rows):
    """findings.csv read back gives the findings' text exactly, and a re-run writes the same bytes."""
    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.reports.tables import write_reports
    from mtaudit.types import AuditResult

    articles = [Article(f"{aid}{n}", text) for n, (aid, text) in enumerate(rows) if text.strip()]
    if not articles:
        return
    specs = [spec for spec in SPECS if spec.id in ("repeated-word", "punctuation-spacing", "latin-leftover")]

    def run() -> AuditResult:
        return AuditResult([audit_article(a, specs, default_resources(), score=False) for a in articles], [], {})

    out = tmp_path_factory.mktemp("reports")
    policy = GatePolicy(None, {}, "article")
    result = run()
    # What is written, not how durably: without the disk flushes (most of this property's
    # time under the long profile was os.fsync: a dozen per example).
    with mock.patch("os.fsync"):
        write_reports(result, out / "one", policy)
        write_reports(run(), out / "two", policy)
    first = (out / "one" / "findings.csv").read_bytes()
    assert first == (out / "two" / "findings.csv").read_bytes()
    table = list(csv.DictReader(io.StringIO(first.decode("utf-8-sig"), newline="")))
    # A cell that a spreadsheet would read as a formula may carry a neutralising quote.
    assert [r["text"].removeprefix("'") for r in table] == [
        f.text.removeprefix("'") for f in result.findings
    ]
    # The contract's columns come first; extra columns may only be appended (DESIGN.md).
    assert list(table[0])[: len(FINDING_COLUMNS)] == list(FINDING_COLUMNS) if table else True
