"""english-in-arabic: English words merely written in Arabic letters."""

import pytest
from conftest import fails, passes, run_check

from mtaudit.checks.english_in_arabic import english_in_arabic_letters, english_readings
from mtaudit.text.normalize import fold

CHECK = "english-in-arabic"


@pytest.mark.parametrize(
    "target, source, span, suggestion",
    [
        ("تستضيف موسكو قمة روسيا-أراب في أكتوبر.", None, "أراب", "عربي"),  # a known phonetic copy
        ("وعقدت الكوميتي اجتماعها الأول.", "The committee held its first meeting.", "الكوميتي", "لجنة"),
        ("وجاء في المركز السيكوند في السباق.", "He came second in the race.", "السيكوند", ""),
        ("وجاء في المركز سيكوند في السباق.", None, "سيكوند", ""),  # very common English word, unseen in Arabic
    ],
)
def test_flags_phonetic_copies(target, source, span, suggestion):
    found = fails(CHECK, target, source)
    (f,) = [f for f in found if f.text == span]
    assert f.suggestion == suggestion
    assert f.category == "untranslated"


@pytest.mark.parametrize(
    "target, source",
    [
        ("بث التلفزيون الرسمي الخبر عبر الإنترنت.", "State television broadcast the news online."),  # loanwords
        ("تعيش حيوانات البيسون في السهول.", "Bison live on the plains."),  # rare word: borrowed as is
        ("فاز ليبرون جيمس مع فريقه في تكساس.", "LeBron James won with his team in Texas."),  # names
        ("وقالت وكالة أراب نيوز إن الاجتماع انتهى.", "Arab News said the meeting ended."),
        ("وقالت صحيفة أراب نيوز السعودية إن القمة تأجلت.", None),  # the title, without a source
        ("ونقلت لأراب نيوز مصادر مطلعة.", None),  # with a clitic on its first word
        ("قال الرئيس إن الحكومة ستجتمع.", None),
    ],
)
def test_passes_loanwords_and_names(target, source):
    passes(CHECK, target, source)


def test_source_decides_for_words_it_does_not_have():
    # the source does not have "committee": the Arabic word may be a name or a loan
    assert not run_check(CHECK, "وعقدت الكوميتي اجتماعها الأول.", "The panel held its first meeting.")


# Phonetic copies: English words written from their pronunciation (mtaudit.text.phonetic), which
# the letter-by-letter rendering misses (it gives سيكوريتي, كونكيل, بريسيدينت).
@pytest.mark.parametrize(
    "target, span, suggestion",
    [
        # known phonetic copies (references/loanwords.tsv), rare in Arabic (zipf < 2)
        ("وقال إن كاونسل المدينة صوت على الميزانية.", "كاونسل", "مجلس"),
        ("وعقد الوزراء ميتينغ مطولا في العاصمة.", "ميتينغ", "اجتماع"),
        ("وصرح بريزيدنت الشركة بأن الأرباح تراجعت.", "بريزيدنت", "رئيس"),
        ("ووصل مينيستر الدفاع إلى المطار صباحا.", "مينيستر", "وزير"),
        ("وقالت غافرنمنت البلاد إنها سترد على الهجوم.", "غافرنمنت", "حكومة"),
        ("وتنطلق أعمال ساميت المناخ الأسبوع المقبل.", "ساميت", "قمة"),
        ("ونشرت الوزارة ستيتمنت قصيرا مساء أمس.", "ستيتمنت", "بيان"),
        # very common English words (zipf >= 5) in spellings never seen in Arabic
        ("وأعلنت اللجنة نتائج إليكشن البلدية.", "إليكشن", ""),
        ("وقال أوفيشال في الوزارة إن القرار نهائي.", "أوفيشال", ""),
    ],
)
def test_flags_phonetic_copies_without_source(target, span, suggestion):
    found = fails(CHECK, target)
    (f,) = [f for f in found if f.text == span]
    assert f.suggestion == suggestion


@pytest.mark.parametrize(
    "target, source, span",
    [
        # seen in Arabic web text (zipf 1-2) or less common in English: the source decides
        ("وشددت قوات الأمن السيكيوريتي حول المبنى.", "Forces tightened security around the building.", "السيكيوريتي"),
        ("وبثت القناة خبرا بريكينغ عن الانفجار.", "The channel aired breaking news about the blast.", "بريكينغ"),
        ("وأعلنت السلطات حالة إيميرجنسي في المدينة.", "Authorities declared a state of emergency in the city.", "إيميرجنسي"),
        ("وتضرر الإيكونومي بشدة هذا العام.", "The economy was badly hit this year.", "الإيكونومي"),
        ("ووصل ديليغيشن رسمي إلى القاهرة.", "An official delegation arrived in Cairo.", "ديليغيشن"),
        # a known copy is reported even inside a name the source capitalises
        ("وعقد سيكيوريتي كاونسل جلسة طارئة.", "The Security Council held an emergency session.", "كاونسل"),
    ],
)
def test_flags_phonetic_copies_with_source(target, source, span):
    found = fails(CHECK, target, source)
    assert [f for f in found if f.text == span]


@pytest.mark.parametrize(
    "target, source",
    [
        # established loanwords
        ("وتراجعت الديمقراطية في البلاد.", "Democracy declined in the country."),
        ("وأودع المال في بنك محلي.", "He deposited the money in a local bank."),
        ("وأودع المال في بنك محلي.", None),
        ("واشترى كمبيوتر جديدا لمكتبه.", "He bought a new computer for his office."),
        ("وانقطع الإنترنت عن المدينة.", None),
        # names
        ("وقالت أستاخوفا إن المحادثات مستمرة.", "Astakhova said the talks were continuing."),
        ("وقال إيلغود إن الخطة جاهزة.", "Elgood said the plan was ready."),
        ("وضربت الفيضانات إقليم كوازولوناتال.", "Floods hit KwaZulu-Natal province."),
        # ordinary Arabic words that are sound spellings of common English words
        ("سميت المدينة باسم مؤسسها.", None),  # summit, a known copy: سميت is Arabic (zipf 4.2)
        ("وتحمل الخطة سمات جديدة.", None),  # summit again
        ("وقالت إنها تريد اتفاقا جديدا.", "She said she wants a new trade deal."),  # trade
        ("وقال إن المحادثات تؤدي إلى اتفاق.", "He said the talks today lead to a deal."),  # today
        ("وقال رأيت الدمار بعيني.", "He said: right there I saw the destruction."),  # right
        ("وعبر الفارون الحدود ليلا.", "Those fleeing, many of them foreign workers, crossed at night."),  # foreign
        ("ووصل الموفد الأممي إلى دمشق.", "The UN envoy moved on to Damascus."),  # moved
        ("وتجذر التعاون بين البلدين.", "The two countries worked together."),  # together
        # loans Arabic writers spell by ear
        ("وسقطت طائرة هيليكوبتر قرب القاعدة.", "A helicopter crashed near the base."),
        # English words in Arabic letters that are part of a name or title
        ("وفاز فريق تكساس رينجيرز بالمباراة.", "The Texas rangers won the game."),
        ("وأعلنت شركة إيبك غيمز عن لعبة جديدة.", "Epic games announced a new game."),
        # English in Latin letters is not this check's business
        ("وقال إن Security Council سيجتمع غدا.", "He said the Security Council would meet tomorrow."),
        ("وقال إن security council سيجتمع غدا.", None),
    ],
)
def test_passes_arabic_words_loanwords_and_names_heard_as_english(target, source):
    passes(CHECK, target, source)


@pytest.mark.parametrize(
    "arabic, english",
    [("سيكيوريتي", "security"), ("كاونسل", "council"), ("بيبول", "people"), ("بريزيدنت", "president"), ("ميتينغ", "meeting")],
)
def test_words_are_matched_by_their_sound(arabic, english):
    assert english_in_arabic_letters().get(fold(arabic)) != english  # the spelling renderer misses it
    assert (english, True) in english_readings(fold(arabic))


def test_another_loanword_table_is_heeded_after_a_run_with_the_bundled_one(tmp_path):
    # The check remembers each word's reading per set of reference data (a word-type memo
    # shared across the articles of a run): another set, a newsroom's loanwords that accept
    # the spelling, must not reuse what the bundled set decided, nor the reverse.
    from conftest import Resources

    text = "وجاء في المركز سيكوند في السباق."
    assert [f.text for f in run_check(CHECK, text)] == ["سيكوند"]
    (tmp_path / "loanwords.tsv").write_text("english\testablished\ttranslation\nsecond\tسيكوند\t\n", encoding="utf-8")
    assert run_check(CHECK, text, resources=Resources([tmp_path])) == []
    assert [f.text for f in run_check(CHECK, text)] == ["سيكوند"]


def test_the_cheap_sound_test_never_rules_out_a_rendered_spelling():
    # sounded_english renders a word's spellings only when one of its pronunciations can
    # write the Arabic word at any cost (phonetic._writable): every rendered spelling must
    # pass it, and a spelling with a letter no phone gives (ع) must not
    from mtaudit.text import phonetic

    words = [w for w in ("security", "council", "people", "meeting", "president", "english", "think")
             if phonetic.pronunciations().get(w)]
    assert words
    for w in words:
        assert phonetic.variants(w)
        for spelling in phonetic.variants(w):
            assert phonetic._writable(spelling, w), (w, spelling)
            assert not phonetic._writable(spelling + "ع", w)


def _words_to_weigh(resources) -> list[str]:
    """Folded words to weigh: the letter-by-letter and sound spellings in Arabic letters of
    the loanword table's phonetic copies and of common English words, with clitics, and
    ordinary Arabic words, names and rare spellings."""
    from mtaudit.names.channel import latin_to_arabic
    from mtaudit.text.frequency import english_top
    from mtaudit.text.phonetic import variants

    english = [e for e in [*resources.loanwords.translation, *english_top(3000)[::30]] if e.isalpha() and len(e) >= 3]
    spelled = [fold(latin_to_arabic(e)) for e in english] + [v for e in english for v in sorted(variants(e))[:6]]
    ordinary = fold(
        "تستضيف موسكو قمة روسيا أراب في أكتوبر وعقدت الكوميتي اجتماعها الأول وجاء المركز السيكوند السباق "
        "سيكيوريتي كاونسل بيبول بريزيدنت ميتينغ كورونا مارس التي مليون الحكومة الرئيس هيليكوبتر غيتار سميت"
    ).split()
    return sorted({c + w for w in spelled + ordinary if " " not in w for c in ("", "ال", "وال")})


def test_the_unsourced_first_test_never_rules_out_a_reported_word(resources):
    """_WordMemo.may_report (the cheap test without a source) is a necessary condition: every
    word whose candidate reading may be reported without a source passes it."""
    from mtaudit.checks.english_in_arabic import _WordMemo

    memo = _WordMemo(resources.loanwords, resources.gazetteer)
    words = _words_to_weigh(resources)
    reportable = [w for w in words if memo.of_word(w) is not None and w in memo.reportable]
    assert len(reportable) >= 20  # the sample does reach the words it is about
    fresh = _WordMemo(resources.loanwords, resources.gazetteer)
    assert [w for w in reportable if not fresh.may_report(w)] == []
    ruled_out = sum(not fresh.may_report(w) for w in words)
    assert ruled_out > len(words) / 4  # and it does rule out most of the others
