"""latin-leftover: English left in Arabic copy versus legitimate Latin script."""

import pytest
from conftest import fails, passes, run_check

CHECK = "latin-leftover"


@pytest.mark.parametrize(
    "target, span, severity",
    [
        ("وحث الأمم المتحدة على التحرك as soon as possible لإنهاء الأزمة.", "as soon as possible", "major"),
        ("وقال المتحدث إن الاجتماع kept going حتى المساء.", "kept going", "major"),
        ("قال الرئيس the talks were useful في مؤتمر صحفي.", "the talks were useful", "major"),
        ("أكد الوزير أن العلاقات strong بين البلدين.", "strong", "minor"),
        ("وحصل المرشح Hifikepunye Pohamba على أغلبية الأصوات.", "Hifikepunye Pohamba", "minor"),
    ],
)
def test_flags_untranslated(target, span, severity):
    found = fails(CHECK, target)
    assert found[0].text == span
    assert found[0].severity.value == severity
    assert found[0].category == "untranslated"


def test_whole_sentence_in_english_inside_arabic_copy():
    article = (
        "وزير الخارجية يزور موسكو\n"
        "التقى وزير الخارجية نظيره الروسي في موسكو يوم الخميس وبحثا العلاقات الثنائية.\n"
        "The minister said the talks in Moscow were constructive and useful."
    )
    (f,) = fails(CHECK, article)
    assert f.severity.value == "major"
    assert f.text == "The minister said the talks in Moscow were constructive and useful."


def test_english_article_is_not_audited_for_leftovers():
    passes(CHECK, "The minister said the talks in Moscow were constructive and useful.")


@pytest.mark.parametrize(
    "target",
    [
        "أعلن حلف الناتو NATO عن مناورات جديدة.",  # acronym
        "ارتفعت الإصابات بفيروس COVID-19 وسلالة H5N1.",  # codes
        "يعمل المعيار 802.11n على ترددين.",
        "للمزيد زوروا https://www.example.com/news?id=3 أو راسلونا على info@example.org.",
        "كتب الوزير على حسابه @SyrianMOFA مستخدماً الوسم #سوريا.",
        "ارتفع سهم أرامكو $ARAMCO وسهم TADAWUL: 2222 اليوم.",
        "تشهد الدول ارتفاعاً في حالات فيروس كوكساكي (Coxsackievirus) بين الأطفال.",
        "وصف الكاتب الحالة بعبارة (bien élevé) أي حسن التربية.",
        "أطلقت شركة Apple جهاز iPhone الجديد.",
        "تبلغ المسافة 15 km تقريباً.",
        "كما هو الحال في الصيغة pH للحموضة.",
        "فيلم (The Fools Who Dream) من إنتاج الاستوديو.",
        "وفقاً لدراسة (Oravec, 2002) فإن ذلك صحيح.",
    ],
)
def test_passes_legitimate_latin(target):
    passes(CHECK, target)


def test_a_title_the_source_writes_in_title_case_is_kept_in_its_script():
    source = "Which album by Taylor Swift has the song Shake It Off?"
    passes(CHECK, "ما هو ألبوم تايلور سويفت الذي يضم أغنية shake it off؟", source)
    passes(CHECK, "شاهد فيلم Planet of the Apes في السينما", "He watched Planet of the Apes at the cinema")


def test_english_the_source_writes_as_ordinary_words_is_still_a_leftover():
    source = "He said the talks would continue on Thursday."
    (f,) = fails(CHECK, "وقال المتحدث إن the talks would continue يوم الخميس في موسكو.", source)
    assert f.text == "the talks would continue" and f.severity.value == "major"


def test_a_single_token_the_aligned_source_has_is_kept_on_purpose():
    from conftest import passes, run_check

    passes("latin-leftover", "ما هو فريق lacrosse الجامعي الأكثر فوزا؟", "Which college lacrosse team has won the most titles?")
    assert run_check("latin-leftover", "ما هو فريق lacrosse الجامعي الأكثر فوزا؟")  # no source: still a leftover
    # a phrase of ordinary English is untranslated copy even though the source has it
    assert run_check(
        "latin-leftover",
        "وقال الوزير إن المحادثات the talks will continue for long مع الجانب الروسي في موسكو.",
        "The minister said the talks will continue for long.",
    )
    # aligned by paragraph: the token must be in this paragraph's source, not anywhere
    target = "عنوان الخبر\nيلعب الفريق lacrosse كل أسبوع.\nوفاز الفريق مرة أخرى."
    source = "Headline\nThe team plays every week.\nThe team won lacrosse again."
    assert run_check("latin-leftover", target, source)


@pytest.mark.parametrize(
    "target, source",
    [
        # the noun names a film; the source has the title in title case
        ("شاهد الجمهور فيلم the fools who dream في افتتاح المهرجان.", "The audience watched The Fools Who Dream at the festival."),
        ("وأصدرت الفرقة ألبوم «blue skies tonight» العام الماضي.", "The band released Blue Skies Tonight last year."),
        # clitic و on the noun, and the author between noun and title
        ("وغنى المطرب أغنيته الجديدة وأغنية river of dreams.", "The singer sang his new song and River of Dreams."),
        ("وألقى الشاعر قصيدة محمود درويش under the olive trees في الأمسية.", "The poet read Mahmoud Darwish's poem Under the Olive Trees."),
        # a name the translator lowered, as the source writes it (its last word lower case)
        ("انطلقت جولة فرقة grand river band العالمية من لندن.", "The Grand River band's world tour started in London."),
    ],
)
def test_a_work_named_by_its_arabic_noun_keeps_its_title(target, source):
    passes(CHECK, target, source)
    # without a source the noun is the only evidence: reported, never major
    (f,) = fails(CHECK, target)
    assert f.severity.value == "minor" and "title" in f.message


def test_title_case_by_shape_is_a_title_not_prose():
    passes(CHECK, "وتدور أحداث Return of the King في عالم خيالي.")
    passes(CHECK, "وكتب المحرر في صحيفة The Daily Record أن المشروع تأخر.")
    # a title inside a short Arabic sentence is not a segment left in English
    passes(CHECK, "وصدر Return of the King عام ١٩٥٥ في لندن.")


def test_a_title_noun_does_not_excuse_english_prose():
    # a clause after the noun, a long run, a sentence fragment: prose, not a title
    arabic = "وقال المخرج في مؤتمر صحفي بالقاهرة إن العمل استغرق ثلاث سنوات من التصوير. "
    (f,) = fails(CHECK, arabic + "وشاهدنا الفيلم: the film was released in spring في دور العرض.")
    assert f.severity.value == "major"
    (f,) = fails(CHECK, arabic + "وعرض فيلم about the war and the people who lived through it في المهرجان.")
    assert f.severity.value == "major"
    for fragment in ("movie actor was born in", "is the first", "book in the"):
        (f,) = fails(CHECK, arabic + f"من هو بطل فيلم {fragment} إكس مين؟")
        assert f.severity.value == "major", fragment
    # with a source, the title must be the source's, written there as a name
    source = "The band released the album Blue Skies Tonight last year."
    (f,) = fails(CHECK, "وأصدرت الفرقة ألبوم we will be back soon العام الماضي.", source)
    assert f.severity.value == "major"
    source = "He asked which movie actor won the prize."
    (f,) = fails(CHECK, arabic + "وسأل عن فيلم movie actor won the prize هذا العام.", source)
    assert f.severity.value == "major"


def test_a_title_the_translator_respelt_is_the_sources_title():
    # the source's title in title case, with its punctuation; the translator lowered it
    # and wrote one word differently: most of its words are the title's
    source = "Which poet wrote the poem 'O Hail, Bright Morning!' in 1850?"
    passes(CHECK, "أي شاعر كتب قصيدة oh hail bright morning في عام 1850؟", source)
    # a word added next to the title, or the title's words out of the source's order
    longer = "أي شاعر من شعراء القرن التاسع عشر الكبار كتب قصيدة {} في عام 1850؟"
    assert run_check(CHECK, longer.format("oh hail bright morning poem"), source)
    assert run_check(CHECK, longer.format("bright morning oh hail"), source)
    passes(CHECK, longer.format("oh hail bright morning"), source)
    # the same words lower case in the source are its prose, not a title
    source = "Which poet wrote about a bright morning in 1850?"
    assert run_check(CHECK, "أي شاعر كتب قصيدة about a bright morning في عام 1850؟", source)
