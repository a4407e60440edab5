"""name-garbled: known names mangled by transliteration through English.

The cases are written for these tests (not taken from the seed): other names, other
garbles of the same classes, clitics, and the look-alikes that must pass.
"""

import pytest
from conftest import fails, passes, run_check

from mtaudit.knowledge.resources import Resources

CHECK = "name-garbled"


@pytest.mark.parametrize(
    "target, span, suggestion",
    [
        ("التقى وزير الخارجية الروسي سيرغي لافاروف نظيره في موسكو.", "لافاروف", "لافروف"),
        ("وصلت الطائرة إلى قاعدة هميميم الجوية قرب اللاذقية.", "هميميم", "حميميم"),
        # the clitic is kept in the suggestion
        ("والتقى بوتين وشيباني في الكرملين، وقال أسعد الشيباني إن الزيارة مهمة.", "وشيباني", "والشيباني"),
        ("فر الرئيس السابق باشار الأسد إلى موسكو.", "باشار", "بشار"),
        ("فر الرئيس السابق بشار الأساد إلى موسكو.", "الأساد", "الأسد"),
    ],
)
def test_flags_garbled_names(target, span, suggestion):
    found = fails(CHECK, target)
    (f,) = [f for f in found if f.text == span]
    assert f.suggestion == suggestion
    assert f.severity.value == "major" and f.category == "name"
    assert 0.5 <= f.confidence <= 1.0  # a fitted probability; below 0.5 it would be minor
    assert "garbled" in f.message


@pytest.mark.parametrize(
    "target",
    [
        "قال وزير الخارجية الروسي سيرجي لافروف إن موسكو مستعدة.",  # accepted variant
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة.",
        "عين ماهر الشرع أميناً عاماً للرئاسة.",  # another person with the same family name
        "قال الرئيس بشار الاسد إن الجيش تقدم.",  # hamza left off: a spelling variant, not a garble
        "خرج الناس إلى الشارع احتفالاً وشاركوا في المسيرة.",  # ordinary words close to الشرع
        "رفع البحارة الشراع، وحملت الرسالة بشارة الخير.",
        "شاركت أوليسيا أستاخوفا في التغطية؛ تحرير جايلز إيلغود.",  # rare foreign names
        "التقى الوفد السوري ووفده المرافق في الكرملين.",
        "قالت وكالة الأنباء إن الأسود والنمور في الحديقة بخير.",
    ],
)
def test_passes_accepted_and_ordinary_words(target):
    passes(CHECK, target)


def test_a_garble_whose_only_evidence_is_the_entity_named_elsewhere_is_found_with_less_confidence():
    target = "قال الرئيس السوري أحمد الشرع إن الحكومة وافقت، وأضاف شارا أن المحادثات مستمرة."
    (f,) = fails(CHECK, target)
    assert (f.text, f.suggestion) == ("شارا", "الشرع")
    (titled,) = fails(CHECK, "قال الرئيس السوري أحمد الشارا إن الحكومة وافقت.")
    assert f.confidence < titled.confidence


def test_a_lone_garble_needs_evidence_about_the_entity():
    # nothing here is about الشرع but the spelling: no finding without a source...
    target = "وجه لافروف الدعوة للشارا لحضور القمة."
    assert not run_check(CHECK, target)
    # ...and with the source naming him, the clitic is kept in the suggestion
    (f,) = run_check(CHECK, target, source="Lavrov invited Sharaa to attend the summit.")
    assert (f.text, f.suggestion) == ("للشارا", "للشرع")


def test_foreign_names_and_ordinary_words_are_not_corrected_to_the_gazetteer():
    passes(CHECK, "وقال الكاتب الأمريكي جون شارب إن الرواية ستصدر قريباً.")  # Sharp, not الشرع
    passes(CHECK, "وقال إنه سيلتقيه الأسبوع المقبل ثم ستدعمه الحكومة.")  # future prefix, object suffix
    passes(CHECK, "قال محمد لافي إن الاجتماع انتهى.")  # a shared first name is no evidence for لافروف


def test_house_convention_spellings_are_not_garbles():
    passes(CHECK, "قال الأمين العام للأمم المتحدة أنطونيو جوتيريش إن الوضع خطير.")  # Egyptian ج for G
    passes(CHECK, "استقبل الرئيس الإسرائيلي إسحاق هرتسوج الوفد.")


def test_hamza_article_leaves_verbs_alone():
    assert not [f for f in run_check(CHECK, "قال إن الحظ ألصقني بهذه المهنة.") if "hamza" in f.message]


def test_weak_garble_needs_evidence_and_the_source_gives_it():
    target = "شارايا دعت إلى القمة"
    assert not run_check(CHECK, target)
    (f,) = run_check(CHECK, target, source="Sharaa invited to the summit")
    assert f.text == "شارايا" and f.suggestion == "الشرع"
    assert "source" in f.message


def test_source_not_naming_the_entity_lowers_confidence():
    target = "قال الرئيس السوري أحمد الشرع إن الحكومة وافقت، وأضاف شارا أن المحادثات مستمرة."
    (with_name,) = run_check(CHECK, target, source="Syrian President Ahmed al-Sharaa said ... Sharaa added")
    without = run_check(CHECK, target, source="The president said the government agreed.")
    assert not without or without[0].confidence < with_name.confidence


def test_article_written_with_hamza_is_not_taken_for_another_persons_name():
    (f,) = fails(CHECK, "تقارير إضافية من قبل إيناس ألشراي في القاهرة.")
    assert f.text == "ألشراي"
    assert f.suggestion == "الشراي"  # the article fixed, not turned into الشرع
    assert "hamza" in f.message


def test_newsroom_names_file_adds_entities(tmp_path):
    names = tmp_path / "style.tsv"
    names.write_text(
        "canonical\tenglish\ttype\tvariants\ttitles\twikidata\tnote\n"
        "مرهف أبو قصرة\tMurhaf Abu Qasra|Abu Qasra\tperson\t\tوزير الدفاع\t\tnewsroom style list\n",
        encoding="utf-8",
    )
    target = "قال وزير الدفاع مرهف أبو قاسرة إن الجيش مستعد."
    resources = Resources(name_files=[names])
    found = run_check(CHECK, target, resources=resources)
    assert [(f.text, f.suggestion) for f in found] == [("قاسرة", "قصرة")]
    assert resources.gazetteer.is_accepted("قصره")


def test_an_ordinary_word_is_a_garbled_name_only_beside_the_rest_of_the_name_and_with_the_source():
    # باري and أون are ordinary words (zipf > 4); with Nabih Berri / Joseph Aoun in the
    # source and the given name spelled right beside them they are the garbled surnames.
    source = "Parliament speaker Nabih Berri met President Joseph Aoun on Tuesday. Berri said the talks went well."
    target = "التقى رئيس البرلمان نبيه باري الرئيس جوزيف أون يوم الثلاثاء. وقال باري إن المحادثات كانت جيدة."
    found = {(f.text, f.suggestion) for f in fails("name-garbled", target, source)}
    assert found == {("باري", "بري"), ("أون", "عون")}
    assert len([f for f in run_check("name-garbled", target, source) if f.text == "باري"]) == 2
    # without a source, or without the given name beside it, an ordinary word stays a word
    passes("name-garbled", target)
    passes("name-garbled", "وقال باري إن المحادثات كانت جيدة في مدينة باري الإيطالية.", "Berri said the talks in Bari went well.")


def test_a_surname_two_people_share_belongs_to_the_one_the_source_names_in_full():
    gaz = Resources().gazetteer
    joseph = next(e for e in gaz.entities if "Joseph Aoun" in e.english)
    michel = next(e for e in gaz.entities if "Michel Aoun" in e.english)
    source = "President Joseph Aoun said on Tuesday ... Aoun added that the army would deploy."
    assert gaz.mentioned_in(joseph, source) and not gaz.mentioned_in(michel, source)
    assert gaz.mentioned_in(michel, "Aoun said on Tuesday") and gaz.mentioned_in(joseph, "Aoun said on Tuesday")


def test_how_the_word_differs_from_the_name_weighs_in_its_confidence():
    # the same evidence (the family name beside it); a vowel written long is what English
    # does, a letter after the name's end is what a real other name shows
    def confidence(word):
        found = [f for f in run_check(CHECK, f"وقال {word} الأسد إن المحادثات مثمرة.") if f.text == word]
        return found[0].confidence if found else 0.0

    assert confidence("باشار") > confidence("بشارو") + 0.2
