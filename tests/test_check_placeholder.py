"""placeholder: URLs, e-mails, handles, hashtags and markup lost or altered."""

import pytest
from conftest import passes, run_check

from mtaudit.knowledge.resources import Resources
from mtaudit.text.placeholders import find_placeholders

SRC = "Read the report at https://www.who.int/news/item/covid and write to press@who.int or @WHO."


def _kinds(text):
    return [(p.kind, p.text) for p in find_placeholders(text, Resources().placeholders)]


def test_shapes_are_found_with_offsets_into_the_raw_text():
    text = "راجع (/http://www.nhc.gov.cn)، وكتب @UN_News وسم ChineseDontComeToJapan# و<b>{0}</b> %s bbc.co.uk"
    found = find_placeholders(text, Resources().placeholders, base=10)
    assert [(p.kind, p.text) for p in found] == [
        ("url", "/http://www.nhc.gov.cn"),
        ("handle", "@UN_News"),
        ("hashtag", "ChineseDontComeToJapan#"),
        ("tag", "<b>"),
        ("variable", "{0}"),
        ("tag", "</b>"),
        ("variable", "%s"),
        ("domain", "bbc.co.uk"),
    ]
    for p in found:
        assert text[p.start - 10 : p.end - 10] == p.text
    assert found[0].key == "nhc.gov.cn" and found[2].key == "chinesedontcometojapan"


@pytest.mark.parametrize("text", ["U.S. e.g. i.e. 5.5 No.1", "Tocilizumab#COVID-19", "ارتفع 50% of", "C# and F#"])
def test_ordinary_text_has_no_placeholder(text):
    assert _kinds(text) == []


def test_kept_placeholders_pass_whatever_the_display_order():
    passes("placeholder", "اقرأ التقرير على https://www.who.int/news/item/covid/ واكتب إلى press@who.int أو @who.", SRC)
    passes("placeholder", "تصدر هاشتاج ChineseDontComeToJapan# تويتر.", "The hashtag #ChineseDontComeToJapan trended.")
    passes("placeholder", "راجع (/http://www.nhc.gov.cn)، ما بين", "See (http://www.nhc.gov.cn/), among")


def test_a_translated_hashtag_is_not_reported():
    passes("placeholder", "انتشر وسم #أنا_أيضا على نطاق واسع.", "The #MeToo hashtag spread widely.")


def test_a_dropped_url_is_an_omission():
    (f,) = run_check("placeholder", "اقرأ التقرير على الموقع واكتب إلى press@who.int أو @WHO.", SRC)
    assert f.category == "omission" and f.suggestion == "https://www.who.int/news/item/covid"


def test_a_changed_url_path_is_altered():
    (f,) = run_check("placeholder", "اقرأ التقرير على https://www.who.int/ar/news واكتب إلى press@who.int أو @WHO.", SRC)
    assert f.category == "mistranslation" and f.text == "https://www.who.int/ar/news"


def test_a_transliterated_handle_is_altered():
    (f,) = run_check("placeholder", "اقرأ التقرير على https://www.who.int/news/item/covid واكتب إلى press@who.int أو @دبليو_إتش_أو.", SRC)
    assert f.category == "mistranslation" and f.text == "@دبليو_إتش_أو" and f.suggestion == "@WHO"


def test_markup_and_variables_must_survive():
    src = "Hello <b>{name}</b>, you have %d messages."
    passes("placeholder", "مرحبا <b>{name}</b>، لديك %d رسائل.", src)
    found = run_check("placeholder", "مرحبا {name}، لديك %s رسائل.", src)
    assert {(f.category, f.suggestion) for f in found} == {("omission", "<b>"), ("omission", "</b>"), ("mistranslation", "%d")}


def test_placeholders_are_never_untranslated_english():
    text = "وقال في تغريدة على حسابه @UN_News مع وسم #StandWithUkraine ورابط www.un.org/en/story وموقع news.un.org إن الاجتماع مهم."
    assert run_check("latin-leftover", text) == []
    assert run_check("english-in-arabic", "وانتشر وسم #سيكيوريتي على المنصة.") == []
