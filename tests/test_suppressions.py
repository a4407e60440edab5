import pytest

from mtaudit.gate.suppressions import Suppression, SuppressionError, SuppressionSet, apply, dumps, parse
from mtaudit.gate.triage import fingerprint_all
from mtaudit.types import Article, ArticleResult, AuditResult, Finding, Severity

TEXT = "قال الوزير إن الحكومة الحكومة ستعقد اجتماعا غدا."


def _result():
    start = TEXT.index("الحكومة الحكومة")
    f = Finding("a1", "p1.s1", start, start + 15, "الحكومة الحكومة", "repeated-word", "fluency",
                Severity.MAJOR, "الحكومة", "repeated", 0.9)
    return AuditResult([ArticleResult(Article("a1", TEXT), [], [f])], [], {})


def test_json_and_csv_round_trip():
    entry = Suppression("0123456789abcdef", "house style", "repeated-word", "a1", "x", "Hana", "2026-12-02")
    for fmt in ("json", "csv"):
        assert parse(dumps([entry], fmt)) == [entry]


@pytest.mark.parametrize("text, message", [
    ('[{"fingerprint": "0123456789abcdef"}]', "'reason' is required"),
    ('[{"fingerprint": "xyz", "reason": "r"}]', "not 16 hex digits"),
    ('[{"fingerprint": "0123456789abcdef", "reason": "r", "reviewer": "me"}]', "unknown column(s) reviewer"),
    ("fingerprint,reason,why\n0123456789abcdef,r,x\n", "unknown column(s) why"),
    ('[{"fingerprint": "0123456789abcdef", "reason": "r", "date": "02/12/2026"}]', "not ISO 8601"),
])
def test_bad_files_name_the_problem(text, message):
    with pytest.raises(SuppressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_apply_moves_finding_to_suppressed_and_reports_unused():
    result = _result()
    fingerprint_all(result)
    fp = next(iter(result.articles[0].fingerprints.values()))
    sset = SuppressionSet({fp: Suppression(fp, "a deliberate repetition", author="Hana"),
                           "ffffffffffffffff": Suppression("ffffffffffffffff", "stale")})
    assert apply(result, sset) == 1
    art = result.articles[0]
    assert art.findings == [] and art.suppressed[0].reason == "a deliberate repetition"
    assert [s.fingerprint for s in result.unused_suppressions] == ["ffffffffffffffff"]
