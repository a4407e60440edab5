"""number-mismatch: numbers and dates against the English source."""

import pytest
from conftest import fails, passes, run_check

CHECK = "number-mismatch"


@pytest.mark.parametrize(
    "source, target, span, suggestion",
    [
        ("The summit will be held on 15 October.", "ستعقد القمة في 16 أكتوبر.", "16", "15"),
        ("The summit will be held on 15 October.", "ستعقد القمة في 15 نوفمبر.", "نوفمبر", "أكتوبر"),
        # in the article's own (Arabic-Indic) digits, as style-digits would ask
        ("1.9 million people were displaced.", "نزح ١٫٦ مليون شخص.", "١٫٦ مليون", "١٫٩ مليون"),
        ("Prices rose 12% last year.", "ارتفعت الأسعار 21% العام الماضي.", "21", "12"),
        ("The army destroyed 15 sites.", "دمر الجيش 51 موقعاً.", "51", "15"),
    ],
)
def test_flags_changed_numbers(source, target, span, suggestion):
    found = [f for f in fails(CHECK, target, source) if f.category == "number"]
    assert found[0].text == span
    assert found[0].suggestion == suggestion
    assert found[0].severity.value == "major"


def test_missing_number_is_an_omission():
    (f,) = fails(CHECK, "دمر الجيش عدة مواقع في جنوب سوريا.", "The army destroyed 15 sites in southern Syria.")
    assert f.category == "omission" and f.severity.value == "minor"
    assert "15" in f.message


@pytest.mark.parametrize(
    "source, target",
    [
        ("The summit is scheduled for 15 October.", "ومن المقرر عقد القمة في ١٥ أكتوبر."),
        ("The summit is scheduled for October 15.", "ومن المقرر عقد القمة في 15 تشرين الأول."),
        ("1,500 people attended.", "حضر ١٬٥٠٠ شخص."),
        ("Output rose to 3.5 million barrels.", "ارتفع الإنتاج إلى 3.5 مليون برميل."),
        ("Output rose to 3.5 million barrels.", "ارتفع الإنتاج إلى ٣٫٥ ملايين برميل."),
        ("Output rose to 3,500,000 barrels.", "ارتفع الإنتاج إلى 3.5 مليون برميل."),
        ("Three people were killed.", "قتل 3 أشخاص."),
        ("Brent rose 1.2% to $74.50.", "ارتفع برنت 1.2 في المئة إلى 74.50 دولار."),
        ("He met two ministers.", "التقى وزيرين."),
        ("He will practise in May.", "مارس الرياضة."),  # مارس the verb is not March
        # number words, compounds and proclitics
        ("The victims were 25 and 21 years old.", "الضحايا في الخامسة والعشرين والواحد والعشرين من العمر."),
        ("It lasted 15 matches.", "دامت ل15 مباراة."),
        ("Reactors 1 and 2 were shut.", "أغلق المفاعلان رقم 1 و2."),
        ("Among its 78 recommendations", "من بين ال78 توصية"),
        ("Nineteen of the injured were police.", "كان ١٩ من المصابين من الشرطة."),
        ("In 1996 the film won.", "فاز الفيلم في عام ألف وتسعمئة وستة وتسعين."),
        ("They cost 2 billion dollars.", "كلفت ملياري دولار."),
        # ordinals, centuries, decades
        ("It dates from the 15th century.", "يعود إلى القرن الخامس عشر."),
        ("He was born on the 11th.", "ولد في الحادي عشر."),
        ("In the 1960s he advised Kennedy.", "في ستينيات القرن الماضي عمل مستشاراً لكينيدي."),
        ("Haiti had not seen the disease since the 1800s.", "لم تشهد هايتي المرض منذ القرن التاسع عشر."),
        ("He was in his 20s.", "كان في العشرينيات من عمره."),
        ("Which novel, Nineteen Eighty-four?", "أي رواية، 1984؟"),
        # Roman numerals, identifiers, separators, times, ranges, numeric dates
        ("Germany in World War II", "ألمانيا في الحرب العالمية 2"),
        ("Did the Patriots win Super Bowl XLII?", "هل فاز باتريوتس بسوبر بول 42؟"),
        ("The ACE2 receptor and the PS5 console", "مستقبل الإنزيم المحول 2 وجهاز بلايستيشن 5"),
        ("More than 10,000 lakes", "أكثر من 10.000 بحيرة"),
        ("at about 1200 GMT", "في الساعة 12:00 تقريباً بتوقيت جرينتش"),
        ("at 8:30 p.m. (15.00 UTC)", "في 08:30 مساءً (15،00 UTC)"),
        ("the 2019-20 season", "موسم 2019-2020"),
        ("born on February 17, 1963", "المولود بتاريخ 17-2-1963"),
        ("during the 9/11 attacks", "أثناء هجمات 11 سبتمبر"),
        ("in December of 2019", "في ديسمبر 2019"),
        ("from 13.04% in Algeria to .08% in New Zealand", "بين 13.04% في الجزائر و.08% في نيوزيلندا"),
        ("99.4 percent of students", "99.4 بالمئة من الطلاب"),
        ("surpasses one million infections", "تجاوز عدد إصابات سارس كوف-2 مليون إصابة"),
        ("an area of 3,850 km²", "مساحة قدرها 3,850 كم2"),  # the 2 of km², not a figure
        ("The talks lasted 2 days.", "استمرت المحادثات يومين."),  # a counting noun's dual
    ],
)
def test_passes_equivalent_renderings(source, target):
    passes(CHECK, target, source)


@pytest.mark.parametrize(
    "source, target, span",
    [
        ("It dates from the 1950s.", "يعود إلى 1960.", "1960"),
        ("More than 10,000 lakes", "أكثر من 100.000 بحيرة", "100.000"),
        ("the 2019-20 season", "موسم 2019-2021", "2021"),
        ("born on February 17, 1963", "المولود بتاريخ 17-2-1964", "1964"),
        ("Reactors 1 and 2 were shut.", "أغلق المفاعلان رقم 1 و3.", "3"),
        ("at about 1200 GMT", "في الساعة 13:00 تقريباً بتوقيت جرينتش", "13:00"),
    ],
)
def test_flags_changed_figures_in_the_new_readings(source, target, span):
    found = [f for f in fails(CHECK, target, source) if f.severity.value == "major"]
    assert [f.text for f in found] == [span]


def test_a_year_written_without_its_thousand_is_an_omission():
    # A human slip seen in real data: 1947 written as تسعمائة وسبعة وأربعين (947).
    (f,) = fails(CHECK, "من فازت بالجائزة في عام تسعمائة وسبعة وأربعين؟", "Who won the 1947 award?")
    assert f.category == "omission" and "1947" in f.message


def test_needs_a_source():
    assert run_check(CHECK, "ستعقد القمة في 16 أكتوبر.") == []


def test_paragraph_pairing_localises_findings():
    source = "Headline about talks\nThe talks lasted 3 hours.\nThey involved 40 delegates."
    target = "عنوان عن المحادثات\nاستمرت المحادثات 3 ساعات.\nوشارك فيها 44 مندوباً."
    (f,) = fails(CHECK, target, source)
    assert f.text == "44" and f.suggestion == "40"


# --- issue 13: scales, units, fractions, decades, identifiers, currencies (wire style) ---


@pytest.mark.parametrize(
    "source, target",
    [
        ("The deal is worth £4.5bn.", "تبلغ قيمة الصفقة 4.5 مليار جنيه إسترليني."),
        ("It raised $300m from investors.", "جمعت 300 مليون دولار من المستثمرين."),
        ("The fund holds €2bn ($2.3bn).", "يملك الصندوق 2 مليار يورو (2.3 مليار دولار)."),
        ("Output fell by 5 mln barrels.", "تراجع الإنتاج بمقدار 5 ملايين برميل."),
        ("It cost 5mn euros.", "كلف 5 ملايين يورو."),
        ("The debt passed $1tn.", "تجاوز الدين تريليون دولار."),
        ("About 20k people marched.", "سار نحو 20 ألفا."),
        ("The centre cost Dh50m.", "كلف المركز 50 مليون درهم."),
        ("The player is 6-foot-2.", "يبلغ طول اللاعب 6 أقدام وبوصتان."),
        ("The player is 6-foot-2.", "يبلغ طول اللاعب 1.88 متر."),
        ("He is 5ft 10in tall.", "طوله 5 أقدام و10 بوصات."),
        ("He is 1.8 metres tall.", "طوله 1.8 متر."),
        ("The storm was 5 miles wide.", "كان عرض العاصفة 8 كيلومترات."),
        ("The storm was 5 miles wide.", "كان عرض العاصفة 5 أميال (8 كيلومترات)."),
        ("It reached 100F.", "بلغت الحرارة 38 درجة مئوية."),
        ("The war lasted a decade.", "استمرت الحرب عقدا."),
        ("The war lasted a decade.", "استمرت الحرب 10 سنوات."),
        ("The war lasted two decades.", "استمرت الحرب 20 عاما."),
        ("in the 20th century", "في القرن العشرين"),
        ("Call +44 20 7946 0958 for details.", "للتفاصيل اتصل على +44 20 7946 0958."),
        ("Call +44 20 7946 0958 for details.", "للتفاصيل اتصل على 00442079460958."),
        ("ISBN 978-3-16-148410-0", "ردمك 978-3-16-148410-0"),
        ("Flight BA117 landed.", "هبطت الرحلة BA117."),
        ("12,500 people attended.", "حضر ١٢٬٥٠٠ شخص."),
        ("12,500 people attended.", "حضر ١٢،٥٠٠ شخص."),
        ("Growth was 3.5 per cent.", "بلغ النمو ٣٫٥ في المئة."),
        ("Growth was 3.5%.", "بلغ النمو ۳٫۵٪."),  # Persian digits
        ("between 10 and 15 people", "ما بين 10 و15 شخصا"),
        ("10-15 people", "من 10 إلى 15 شخصا"),
        ("10-15 people", "10 - 15 شخصا"),
        ("Half of the 20 people left.", "غادر نصف الأشخاص العشرين."),
        ("1/2 of them left.", "غادر نصفهم."),
        ("three-quarters of voters", "ثلاثة أرباع الناخبين"),
        ("a third of voters", "ثلث الناخبين"),
        ("It cost $50.", "كلف 50 دولارا (185 ريالا)."),  # a conversion added for readers
        ("It cost US$50.", "كلف 50 دولارا أمريكيا."),
    ],
)
def test_passes_wire_style_figures(source, target):
    passes(CHECK, target, source)


@pytest.mark.parametrize(
    "source, target, span",
    [
        ("The deal is worth £4.5bn.", "تبلغ قيمة الصفقة 4.5 مليون جنيه إسترليني.", "4.5 مليون"),
        ("It raised $300m.", "جمعت 300 مليار دولار.", "300 مليار"),
        ("The fund holds €2bn ($2.3bn).", "يملك الصندوق 2 مليار يورو (2.5 مليار دولار).", "2.5 مليار"),
        ("The player is 6-foot-2.", "يبلغ طول اللاعب 2.88 متر.", "2.88"),
        ("The war lasted two decades.", "استمرت الحرب 30 عاما.", "30"),
        ("Call +44 20 7946 0958 for details.", "للتفاصيل اتصل على +44 20 7964 0958.", "+44 20 7964 0958"),
        ("Flight BA117 landed.", "هبطت الرحلة BA171.", "171"),
        ("WIV1 binds to human ACE2.", "يرتبط WIV2 بالإنزيم ACE2 البشري.", "2"),  # the code's letters are the source's
        ("12,500 people attended.", "حضر ١٢٬٠٠٠ شخص.", "١٢٬٠٠٠"),
        ("Growth was 3.5%.", "بلغ النمو ٣٫٧٪.", "٣٫٧"),
    ],
)
def test_flags_wire_style_figures_changed(source, target, span):
    found = [f for f in fails(CHECK, target, source) if f.severity.value == "major"]
    assert [f.text for f in found] == [span]
    assert 0.5 <= found[0].confidence <= 1.0


def test_confidence_comes_from_the_fitted_model(resources):
    model = resources.confidence_model(CHECK)
    (f,) = [f for f in fails(CHECK, "دمر الجيش 51 موقعاً.", "The army destroyed 15 sites.") if f.category == "number"]
    assert f.confidence == round(model.probability(_features_of_changed()), 3)


def _features_of_changed():
    from mtaudit.text.number_compare import FEATURES

    f = dict.fromkeys(FEATURES, 0.0)
    f.update(near=1.0, unique=1.0)
    return f
