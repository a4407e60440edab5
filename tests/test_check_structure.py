"""calque, dateline and agreement: English structure copied into Arabic."""

import pytest
from conftest import fails, passes, run_check

from mtaudit.knowledge.resources import Resources

PLACES = (
    "canonical\tenglish\ttype\tvariants\ttitles\twikidata\tnote\n"
    "موسكو\tMoscow\tplace\t\t\t\ttest\n"
    "القاهرة\tCairo\tplace\t\t\t\ttest\n"
    "روسيا\tRussia\tplace\t\t\t\ttest\n"
    "سوريا\tSyria\tplace\tسورية\t\t\ttest\n"
    "الأردن\tJordan\tplace\t\t\t\ttest\n"
)


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "places.tsv"
    path.write_text(PLACES, encoding="utf-8")
    return Resources(name_files=[path])


@pytest.mark.parametrize(
    "target, span, suggestion",
    [
        ("(شارك في التغطية فلان؛ تقارير إضافية من قبل علي حسن في القاهرة)", "تقارير إضافية من قبل", "شارك في التغطية"),
        ("(الكتابة من قبل سامي عمر؛ تحرير ليلى أحمد)", "الكتابة من قبل", "إعداد"),
        ("(تحرير من قبل ليلى أحمد)", "تحرير من قبل", "تحرير"),
        ("(تقارير إضافية من قبل ليلى بسام؛ تحرير بواسطة ويليام ماكلين)", "تقارير إضافية من قبل", "شارك في التغطية"),
        ("(إعداد بواسطة سامي عمر للنشرة العربية)", "إعداد بواسطة", "إعداد"),
    ],
)
def test_calqued_credit_lines(target, span, suggestion):
    (f, *_) = fails("calque", target)
    assert (f.text, f.suggestion) == (span, suggestion)


def test_credit_patterns_need_a_credit_line():
    passes("calque", "وأكدت القوات أن تحرير الرهائن بواسطة وحدة خاصة تم بنجاح.")


def test_heavy_agentive_passive_is_reported_only_when_heavy():
    one = "وتمت الموافقة على القرار من قبل البرلمان."
    passes("calque", one)
    passes("calque", "لم يحدث هذا من قبل. ولم نره من قبل. ولا من قبل.")  # "before", not "by"
    heavy = "\n".join([one, "وتم توقيع الاتفاق من قبل الوزير.", "وجرى استقبال الوفد من قبل الرئيس."])
    found = run_check("calque", heavy)
    assert len(found) == 3 and all(f.severity.value == "minor" for f in found)


@pytest.mark.parametrize(
    "target, source, suggestion",
    [
        ("بوتين يلتقي الشيباني\nالتقى موسكو (رويترز)- الرئيس الروسي", None, "موسكو (رويترز) -"),
        ("بوتين يلتقي الشيباني\nالتقى (رويترز) - الرئيس", "MOSCOW (Reuters) - President Putin met", "موسكو (رويترز) -"),
    ],
)
def test_scrambled_dateline(places, target, source, suggestion):
    (f,) = run_check("dateline", target, source, resources=places)
    assert f.suggestion == suggestion


@pytest.mark.parametrize(
    "target, source",
    [
        ("عنوان\nموسكو (رويترز) - التقى الرئيس الروسي", "MOSCOW (Reuters) - The Russian president met"),
        ("عنوان\nالقاهرة (رويترز) - دعا الوزير", None),
        ("عنوان\nقال الوزير إن الاجتماع انتهى.", None),  # no dateline at all
    ],
)
def test_good_datelines_pass(places, target, source):
    assert run_check("dateline", target, source, resources=places) == []


def test_definite_noun_with_indefinite_nationality_adjective(places):
    (f,) = run_check("agreement", "قال الرئيس روسي إن موسكو مستعدة.", resources=places)
    assert (f.text, f.suggestion) == ("روسي", "الروسي")


@pytest.mark.parametrize(
    "target",
    [
        "قال الرئيس الروسي إن موسكو مستعدة.",
        "قال رئيس روسي سابق إن موسكو مستعدة.",  # indefinite noun, indefinite adjective
        "التقى وزير الخارجية السوري نظيره الأردني.",
        "وصل الوفد، سوري الجنسية، إلى عمان.",  # punctuation between: not an adjective of the noun
    ],
)
def test_agreement_passes_good_arabic(places, target):
    assert run_check("agreement", target, resources=places) == []


def test_multi_word_place_in_a_dateline(places, tmp_path):
    path = tmp_path / "tel_aviv.tsv"
    path.write_text(PLACES + "تل أبيب\tTel Aviv\tplace\t\t\t\ttest\n", encoding="utf-8")
    res = Resources(name_files=[path])
    target = "عنوان\nتل أبيب (رويترز) - قال الجيش"
    assert run_check("dateline", target, "TEL AVIV (Reuters) - The army said", resources=res) == []
    (f,) = run_check("dateline", "عنوان\nقال تل أبيب (رويترز) - الجيش", resources=res)
    assert f.suggestion == "تل أبيب (رويترز) -"
