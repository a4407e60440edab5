"""sacrebleu scores: per segment and per corpus, identical to sacrebleu's own."""

import csv
import json
import re

import pandas as pd
import pytest
import sacrebleu
from conftest import require_shared
from typer.testing import CliRunner

from mtaudit.cli import app
from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.scorers.reference_scores import corpus_scores, sentence_scores
from mtaudit.types import Article

HYPS = ["قال الوزير إن المحادثات كانت مثمرة.", "ارتفعت أسعار النفط يوم الاثنين."]
REFS = ["قال الوزير إن المباحثات كانت مثمرة.", "ارتفعت أسعار النفط الاثنين."]


def test_corpus_scores_are_sacrebleus():
    ours = {s.name: s for s in corpus_scores(HYPS, REFS)}
    assert ours["bleu"].score == pytest.approx(sacrebleu.corpus_bleu(HYPS, [REFS]).score, abs=1e-4)
    assert ours["chrf2"].score == pytest.approx(sacrebleu.corpus_chrf(HYPS, [REFS]).score, abs=1e-4)
    assert ours["chrf2pp"].score == pytest.approx(sacrebleu.corpus_chrf(HYPS, [REFS], word_order=2).score, abs=1e-4)
    assert ours["ter"].score == pytest.approx(sacrebleu.corpus_ter(HYPS, [REFS]).score, abs=1e-4)
    assert ours["chrf2"].signature.startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")
    assert "nw:2" in ours["chrf2pp"].signature and "tok:13a" in ours["bleu"].signature


def test_sentence_scores():
    s = sentence_scores(HYPS[0], REFS[0])
    assert s["chrf2"] == pytest.approx(sacrebleu.sentence_chrf(HYPS[0], [REFS[0]]).score, abs=1e-4)
    assert s["bleu"] == pytest.approx(sacrebleu.sentence_bleu(HYPS[0], [REFS[0]]).score, abs=1e-4)
    assert sentence_scores(REFS[1], REFS[1])["chrf2"] == pytest.approx(100.0)


def test_record_references_give_segment_scores_and_article_means(tmp_path):
    path = tmp_path / "d.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, (h, r) in enumerate(zip(HYPS, REFS)):
            fh.write(json.dumps({"id": f"s{i}", "article_id": "a", "target": h, "reference": r}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "BLEU|nrefs:1" in result.output and "chrF2" in result.output
    segs = pd.read_csv(out / "segments.csv", encoding="utf-8-sig")
    assert list(segs["chrf2"].round(4)) == [round(sentence_scores(h, r)["chrf2"], 4) for h, r in zip(HYPS, REFS)]
    arts = pd.read_csv(out / "articles.csv", encoding="utf-8-sig")
    assert arts.loc[0, "chrf2"] == pytest.approx(segs["chrf2"].mean(), abs=1e-3)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert findings["signature"]["scorers"]["bleu"].startswith("nrefs:1")
    assert findings["summary"]["findings"] == {"critical": 0, "major": 0, "minor": 0, "info": 0}  # no checks ran


def test_no_reference_no_scores():
    result = audit([Article("a", HYPS[0])], AuditConfig(checks=["repeated-word"]))
    assert result.corpus_scores == [] and result.articles[0].scores == {}


@pytest.mark.slow  # a full 1,012-line corpus: run by .ci/run with -m slow
def test_hplt_parity_through_the_cli(tmp_path):
    """The published scores of the HPLT en→ar output on FLORES devtest (sacrebleu 2.3.1)."""
    hyp = require_shared("data", "hplt_flores200_mt", "flores200-devtest.eng-ara.hplt-v1.0.output")
    ref = require_shared("data", "flores200", "arb_Arab.devtest")
    hyps = hyp.read_text(encoding="utf-8").split("\n")[:1012]
    refs = ref.read_text(encoding="utf-8").split("\n")[:1012]
    table = tmp_path / "hplt.tsv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["id", "target", "reference"])
        for i, (h, r) in enumerate(zip(hyps, refs)):
            w.writerow([f"l{i + 1}", h, r])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads((out / "findings.json").read_text(encoding="utf-8"))["summary"]["scores"]
    assert round(scores["bleu"], 1) == 26.2
    assert round(scores["chrf2"], 3) == 59.019
    assert round(scores["chrf2pp"], 3) == 55.282


@pytest.mark.parametrize(
    "minimum, code",
    [("chrf=10", 0), ("chrf=99", 1), ("ter=1", 1), ("ter=100", 0), ("bleu=5,chrf++=10", 0)],
)
def test_min_score_gate(tmp_path, minimum, code):
    path = tmp_path / "d.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, (h, r) in enumerate(zip(HYPS, REFS)):
            fh.write(json.dumps({"id": f"s{i}", "article_id": "a", "target": h, "reference": r}, ensure_ascii=False) + "\n")
    args = ["audit", str(path), "--out", str(tmp_path / "out"), "--checks", "repeated-word", "--min-score", minimum]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    seg = CliRunner().invoke(app, [*args, "--score-level", "segment"])
    assert seg.exit_code == code, seg.output


def test_min_score_without_references_or_with_a_bad_name_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("قال الوزير إن المحادثات مثمرة.", encoding="utf-8")
    base = ["audit", str(path), "--out", str(tmp_path / "out")]
    assert CliRunner().invoke(app, [*base, "--min-score", "chrf=50"]).exit_code == 2
    assert CliRunner().invoke(app, [*base, "--min-score", "meteor=50"]).exit_code == 2


def test_html_report_shows_scores(tmp_path):
    articles = [Article(f"a{i}", h, reference=r) for i, (h, r) in enumerate(zip(HYPS, REFS))]
    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.reports.tables import write_reports

    result = audit(articles, AuditConfig(checks=["repeated-word"]))
    paths = write_reports(result, tmp_path, GatePolicy())
    page = paths["report.html"].read_text(encoding="utf-8")
    assert re.search(r"<th[^>]*>chrF2</th>", page) and "hsl(" in page
    assert "<svg" in page and "BLEU|nrefs:1" in page
