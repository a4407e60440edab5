"""name-inconsistent: one name spelled differently in an article or across the batch."""

from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.types import Article

CHECK = "name-inconsistent"


def _findings(*texts: str):
    articles = [Article(f"a{i}", t) for i, t in enumerate(texts)]
    result = audit(articles, AuditConfig(checks=[CHECK, "name-garbled"]))
    for a in result.articles:
        for f in a.findings:
            assert f.text == a.article.text[f.start : f.end]
    return [(a.article.id, f) for a in result.articles for f in a.findings if f.check == CHECK]


def test_batch_majority_wins_for_a_name_the_gazetteer_lacks():
    found = _findings(
        "شاركت في التغطية أوليسيا أستاخوفا من موسكو.",
        "قالت أستاخوفا إن المصادر أكدت الخبر، وأضافت أستاخوفا أن الاجتماع انتهى.",
        "وكتبت أستخوفا التقرير.",
    )
    assert [(aid, f.text, f.suggestion) for aid, f in found] == [("a2", "أستخوفا", "أستاخوفا")]
    assert found[0][1].severity.value == "minor"
    assert "3 in the batch" in found[0][1].message


def test_within_one_article():
    found = _findings("قالت المتحدثة زاخاروفا إن موسكو قلقة. وأضافت زاخاروفا أن الحوار ضروري. ورفضت زخاروفا التعليق.")
    assert [(f.text, f.suggestion) for _, f in found] == [("زخاروفا", "زاخاروفا")]


def test_gazetteer_spelling_wins_even_in_the_minority():
    found = _findings("قال الشيباني إن الزيارة مهمة.", "وصل شيبانى إلى موسكو ثم غادر شيبانى.")
    # شيبانى is garbled (name-garbled reports it); it is not reported twice
    assert not found


def test_does_not_flag_ordinary_words_derived_forms_or_different_names():
    assert not _findings(
        "قال الرئيس إن الرئاسة ستعلن القرار. وقالت الرئاسة إن الرئيس سافر.",
        "زار الوفد سوريا. وقال مسؤول سوري إن السوريين يرحبون. وأكدت الحكومة السورية ذلك.",
        "التقى حمد وحامد في الدوحة. وقال حمد إن حمد بن جاسم سيحضر.",
        "قال سيرغي لافروف إن سيرجي لافروف ... ",
    )


def _findings_with_sources(*pairs: tuple[str, str]):
    articles = [Article(f"a{i}", t, source=s) for i, (t, s) in enumerate(pairs)]
    result = audit(articles, AuditConfig(checks=[CHECK]))
    return [(a.article.id, f.text, f.suggestion) for a in result.articles for f in a.findings]


def test_with_a_source_only_words_rendering_a_capitalised_word_count():
    drug = [
        ("أوصى الأطباء بالكلوروكين.", "Doctors recommended chloroquine."),
        ("وقالت الدراسة إن الكلوروكين آمن.", "The study said chloroquine was safe."),
        ("وتناول المرضى الكلوركين.", "Patients took chloroquine."),
    ]
    assert _findings_with_sources(*drug) == []
    team = [
        ("فاز فريق بوكانيرز بالمباراة.", "The Buccaneers won the game."),
        ("وقال مدرب بوكانيرز إن الفريق جاهز.", "The Buccaneers coach said the team was ready."),
        ("وخسر بوكانييرز المباراة.", "The Buccaneers lost the game."),
    ]
    assert _findings_with_sources(*team) == [("a2", "بوكانييرز", "بوكانيرز")]


def test_with_sources_two_names_rendering_different_english_words_are_not_merged():
    found = _findings_with_sources(
        ("قال مالك إن المحادثات مستمرة.", "Malik said the talks continue."),
        ("وأكد مالك ذلك.", "Malik confirmed it."),
        ("وقالت مالاك إن الفريق جاهز.", "Malak said the team was ready."),
    )
    assert found == []


def test_a_given_name_in_another_article_does_not_correct_a_foreign_name():
    # توماس is in the gazetteer only as a given name: in another article of the batch it is
    # no evidence that a rare foreign name (a chief the gazetteer lacks) is a slip for it
    other = "وصل توماس إلى المدينة."
    foreign = "قتل الزعيم توبوا تاماسي في المدينة."
    assert not _findings(other, foreign)
    # in the same article it still is
    found = _findings(other + " " + foreign)
    assert [(f.text, f.suggestion) for _, f in found] == [("تاماسي", "توماس")]
