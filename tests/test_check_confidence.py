"""Every check's confidence is a fitted probability, and severity follows it (issue 13)."""

from __future__ import annotations

import inspect

import pytest
import regex
from conftest import default_resources

from mtaudit.checks import MAJOR_AT, capped, load_all
from mtaudit.knowledge.calibration import collecting
from mtaudit.knowledge.resources import Resources
from mtaudit.run.pipeline import audit_article, run_batch_checks
from mtaudit.types import Article, Severity

# A few findings keep a constant by design: name-garbled's cross-article "same garble
# again" note (its own helper's), nothing else.
_CONSTANT_ALLOWED = {"name-garbled"}
#: Issue 17's checks without labelled data to fit on yet (a client's termbase, consistency
#: across a delivery, month names): their confidences are documented fixed values (minor or
#: info findings, never major on clean copy), to be fitted once reviewed findings exist. The
#: other house-style checks are fitted on synthetic departures (scripts/fit_check_confidence.py).
NO_LABELLED_DATA_YET = {
    "termbase", "inconsistent-segment", "inconsistent-term", "inconsistent-target", "style-months",
    # The scoring-stage checks: COMET's spans carry the model's own confidence; adequacy's
    # grows with the distance below its threshold; alignment, mt-improbable and
    # mt-retranslation give documented fixed values. Fitting them needs the real models,
    # which cannot be downloaded here.
    "adequacy", "alignment", "comet-error-span", "mt-improbable", "mt-retranslation",
}


def test_every_check_has_a_shipped_fitted_model():
    res = default_resources()
    for check_id in load_all():
        if check_id in NO_LABELLED_DATA_YET:
            continue
        model = res.confidence_model(check_id)
        assert model.note.startswith("scripts/"), f"{check_id}: the model's note names the script that fitted it"
        assert model.weights, f"{check_id}: a fitted model has evidence features"


def test_no_check_hands_out_a_constant_confidence():
    for check_id, spec in load_all().items():
        if check_id in _CONSTANT_ALLOWED | NO_LABELLED_DATA_YET:
            continue
        code = inspect.getsource(inspect.getmodule(spec.func))
        constants = regex.findall(r"confidence=\d", code)
        assert not constants, f"{check_id} sets a constant confidence"


def test_capped_lowers_major_below_half_only():
    assert capped(Severity.MAJOR, MAJOR_AT) is Severity.MAJOR
    assert capped(Severity.MAJOR, 0.49) is Severity.MINOR
    assert capped(Severity.CRITICAL, 0.2) is Severity.MINOR
    assert capped(Severity.MINOR, 0.1) is Severity.MINOR
    assert capped(Severity.INFO, 0.9) is Severity.INFO


# (check, target, source): one plain case of each converted check's error class.
CASES = [
    ("english-in-arabic", "قال المسؤول إن سيكيوريتي المطار مشددة اليوم.", "The official said airport security was tight today."),
    ("calque", "وقال الوزير إن المحادثات مفيدة.\n(تقارير إضافية من قبل عمر فهمي)", "The minister said the talks were useful.\n(Additional reporting by Omar Fahmy)"),
    ("dateline", "التقى موسكو (رويترز) - الرئيس وزير الخارجية.", "MOSCOW (Reuters) - The president met the foreign minister."),
    ("punctuation-spacing", "قال الوزير ، إن المحادثات مفيدة.", None),
    ("unbalanced-marks", "قال الوزير «إن المحادثات مفيدة.", None),
    ("agreement", "التقى الرئيس روسي وزير الخارجية.", None),
    ("possessive-order", "وقال بوتين روسيا إن المحادثات مفيدة.", None),
    ("style-tatweel", "قال الوزيــر إن المحادثات مفيدة.", None),
    ("style-hamza", "وقال الوزير ان المحادثات مفيدة الى حد ما.", None),
    ("style-ta-marbuta", "وقالت الحكومه إن المحادثات مفيدة.", None),
    ("style-alef-maqsura", "وقال الوزير فى مؤتمر صحفي إن المحادثات مفيدة.", None),
    ("style-digits", "وقال الوزير إن 25 شخصاً قتلوا وأصيب ٤٠ آخرون في 3 مدن.", None),
    ("style-punctuation", "وقال الوزير إن المحادثات مفيدة, وإن الجولة المقبلة قريبة.", None),
]


def _evidence(check_id, target, source, res):
    spec = load_all()[check_id]
    with collecting() as c:
        result = audit_article(Article("t", target, source=source), [spec], res, score=False)
    assert not result.crashes, result.crashes
    return result.findings, c.rows


@pytest.mark.parametrize("check_id,target,source", CASES)
def test_confidence_is_the_fitted_probability_of_the_findings_evidence(check_id, target, source):
    res = default_resources()
    findings, rows = _evidence(check_id, target, source, res)
    found = [f for f in findings if f.check == check_id]
    assert found, f"{check_id} should flag {target!r}"
    model = res.confidence_model(check_id)
    by_span = {(s, e): feats for m, _a, s, e, feats in rows if m == check_id}
    for f in found:
        assert f.confidence == round(model.probability(by_span[f.start, f.end]), 3)


@pytest.mark.parametrize("check_id,target,source", [c for c in CASES if load_all()[c[0]].severity is Severity.MAJOR])
def test_a_major_check_below_half_confidence_is_minor(tmp_path, check_id, target, source):
    # A newsroom's own calibration (--references DIR) that puts every finding at p ≈ 0.12.
    features = default_resources().confidence_model(check_id).weights
    (tmp_path / "calibration.tsv").write_text(
        f"model\tfeature\tweight\tnote\n{check_id}\tintercept\t-2.0\ttest: a low-confidence model\n"
        + "".join(f"{check_id}\t{k}\t0.0\t\n" for k in features),
        encoding="utf-8",
    )
    res = Resources([tmp_path])
    spec = load_all()[check_id]
    result = audit_article(Article("t", target, source=source), [spec], res, score=False)
    found = [f for f in result.findings if f.check == check_id]
    assert found
    assert all(f.confidence < MAJOR_AT and f.severity is Severity.MINOR for f in found)


def test_batch_checks_fit_their_confidence_too():
    # name-inconsistent: a name the gazetteer does not know, misspelt once in the batch.
    res = default_resources()
    texts = [f"وقال أفرون ردموند إن الوضع معقد {k}." for k in range(4)] + ["وقال أفرون ردمند إن الوضع معقد."]
    specs = [load_all()["name-inconsistent"]]
    with collecting() as c:
        results = [audit_article(Article(f"a{k}", t), specs, res, score=False) for k, t in enumerate(texts)]
        run_batch_checks(results, specs, res)
    found = [f for r in results for f in r.findings if f.check == "name-inconsistent"]
    assert found and found[0].text == "ردمند"
    model = res.confidence_model("name-inconsistent")
    feats = next(f for m, _a, s, _e, f in c.rows if m == "name-inconsistent" and s == found[0].start)
    assert found[0].confidence == round(model.probability(feats), 3)
