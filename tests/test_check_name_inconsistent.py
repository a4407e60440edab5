"""name-inconsistent: one name spelled differently in an article or across the batch."""

from mtaudit.pipeline import AuditConfig, audit
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
