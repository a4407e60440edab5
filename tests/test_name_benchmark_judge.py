"""scripts/name_benchmark.py's judge of real-MT name findings against a human reference,
and its HPLT articles and split, on text written here (no ../shared)."""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import name_benchmark  # noqa: E402
from name_benchmark import judge_against_reference  # noqa: E402

REF = "وصل الوزير فرحات العبيدي إلى مدينة صور مساء الخميس."


def test_wrong_when_the_reference_writes_the_flagged_word():
    # the translator wrote it so: a "garble" that the human also writes is no error
    assert not judge_against_reference("العبيدي", "العبيد", REF)
    assert not judge_against_reference("والعبيدي", "والعبيد", REF)  # clitic read off


def test_right_when_the_reference_writes_the_suggestion():
    assert judge_against_reference("الابيدي", "العبيدي", REF)
    assert judge_against_reference("للابيدي", "للعبيدي", REF)


def test_right_when_the_reference_is_nearer_the_suggestion_than_the_mt():
    # the reference's spelling (فرحات) is neither word, but nearer the suggestion
    assert judge_against_reference("فارهات", "فرحاة", REF)


def test_wrong_when_the_reference_has_no_such_name():
    assert not judge_against_reference("كاتوبولو", "قطب", REF)


def test_no_suggestion_is_right_only_for_a_word_the_reference_lacks():
    assert judge_against_reference("فارهات", "", REF)
    assert not judge_against_reference("الوزير", "", REF)


def test_hplt_articles_group_lines_by_url_and_split_in_halves(tmp_path):
    rows = ["line\tdomain\turl\tsrc_eng\tref_arb_human\thyp_hplt_mt"]
    for k, url in enumerate(["u/a", "u/a", "u/b", "u/c", "u/c", "u/c"]):
        rows.append(f"{k + 1}\twikinews\t{url}\tEnglish {k} \"quoted\"\tمرجع {k}\tترجمة {k}")
    path = tmp_path / name_benchmark.HPLT_TSV
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    arts = name_benchmark.hplt_articles(tmp_path)
    assert [a["url"] for a in arts] == ["u/a", "u/b", "u/c"]
    assert arts[0]["hyp"] == "ترجمة 0\nترجمة 1" and arts[2]["src"].count("\n") == 2
    assert '"quoted"' in arts[0]["src"]  # QUOTE_NONE: quotes are text
    import zlib

    assert [a["held"] for a in arts] == [zlib.crc32(u.encode()) % 2 == 1 for u in ("u/a", "u/b", "u/c")]
    cases = name_benchmark.hplt_cases(tmp_path)
    assert len(cases) == 6 and {c["batch"] for c in cases} == {c["set"] for c in cases}
    assert sum(c["source"] is None for c in cases) == 3


def test_wrong_when_the_reference_is_nearer_the_mt_than_the_suggestion():
    # an unlisted name "corrected" to a known one: the reference's spelling is the MT's, near enough
    ref = "ووصل الرئيس بوتو كاراماسيس إلى المدينة وما زال فيها."
    assert not judge_against_reference("كاراماسي", "كرمس", ref)


def test_prior_shift_recovers_a_change_of_mix():
    # labels drawn at probabilities whose odds are 4 times those predicted: the fitted
    # offset is log 4, and a calibrated set gets about none
    import math
    import random

    from name_benchmark import prior_shift

    rng = random.Random(3)
    probs = [rng.uniform(0.05, 0.95) for _ in range(4000)]
    shifted = [1 / (1 + (1 - p) / (4 * p)) for p in probs]
    labels = [int(rng.random() < q) for q in shifted]
    assert abs(prior_shift(probs, labels) - math.log(4)) < 0.15
    calibrated = [int(rng.random() < p) for p in probs]
    assert abs(prior_shift(probs, calibrated)) < 0.15


def test_planted_word_is_the_word_the_corruption_put_in():
    # the SemEval garbled case's hit must be on this word (not any finding in the case)
    original = "قال الرئيس فرحات العبيدي إن المحادثات كانت مفيدة."
    assert name_benchmark.planted_word(original, original.replace("العبيدي", "الابيدي")) == "الابيدي"
    assert name_benchmark.planted_word(original, original.replace("العبيدي", "وللابيدي")) == "وللابيدي"
    assert name_benchmark.planted_word(original, original) == ""


def test_fit_mix_names_every_kind_with_its_count():
    import fit_name_confidence

    rows = [({}, 1, "SemEval dropped"), ({}, 1, "SemEval dropped"), ({}, 0, "named unlisted"), ({}, 1, "unlisted garbled")]
    assert fit_name_confidence.source_mix(rows) == "3 errors of 4 problems (SemEval dropped 2, named unlisted 1, unlisted garbled 1)"


def test_western_threshold_is_the_lowest_cut_within_the_false_alarm_budget():
    import fit_western_garble

    class Model:
        def probability(self, features):
            return features["p"]

    # 100 attested spellings: 3 at 0.87, 1 at 0.92, the rest low; at 0.85 4% reach it
    rows = [({"p": 0.87}, 0, "attested")] * 3 + [({"p": 0.92}, 0, "attested")] + [({"p": 0.1}, 0, "attested")] * 96
    rows += [({"p": 0.99}, 1, "misrendered")]
    assert fit_western_garble.FALSE_ALARM_BUDGET < 0.04
    assert fit_western_garble.threshold(Model(), rows) == 0.9
    assert fit_western_garble.share_at(Model(), rows, "misrendered", 0.9) == 1.0
