"""Segmentation: headline, paragraphs, sentences, boilerplate."""

import pytest
from conftest import require_shared

from mtaudit.inputs.readers import read_inputs
from mtaudit.knowledge.resources import Resources
from mtaudit.text.segment import segment_article, split_sentences
from mtaudit.types import Article, SegmentKind


def _kinds(text):
    return [(s.kind.value, s.text) for s in segment_article(Article("a", text), Resources())]


def test_sentences_split_on_arabic_punctuation_not_inside_quotes_or_numbers():
    text = "قال الوزير: “سنعمل. ونأمل النجاح”. وارتفع المؤشر 3.5 في المئة؟ نعم! انتهى؛ ثم غادر."
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == ["قال الوزير: “سنعمل. ونأمل النجاح”.", "وارتفع المؤشر 3.5 في المئة؟", "نعم!", "انتهى؛", "ثم غادر."]


def test_unclosed_quote_falls_back_to_plain_splitting():
    text = "قال: “سنعمل. ثم غادر."
    assert len(split_sentences(text)) == 2


def test_headline_body_and_boilerplate():
    text = "Connect with us\nاخر الاخبار\nبوتين يستقبل الشيباني في موسكو\nاستقبل الرئيس الوزير. وبحثا العلاقات.\nاترك تعليقاً\nمقال آخر لا علاقة له"
    kinds = _kinds(text)
    assert kinds[0] == ("boilerplate", "Connect with us")
    assert kinds[1] == ("boilerplate", "اخر الاخبار")
    assert kinds[2] == ("headline", "بوتين يستقبل الشيباني في موسكو")
    assert kinds[3:5] == [("body", "استقبل الرئيس الوزير."), ("body", "وبحثا العلاقات.")]
    assert [k for k, _ in kinds[5:]] == ["boilerplate", "boilerplate"]


def test_segments_are_exact_slices_and_do_not_overlap():
    text = "\ufeffعنوان الخبر\r\n\r\n  فقرة أولى. وجملة ثانية؟  \r\nتاريخ النشر: 26 ديسمبر 2024\r\n"
    segs = segment_article(Article("a", text), Resources())
    for s in segs:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert all(a.end <= b.start for a, b in zip(segs, segs[1:]))
    assert segs[-1].kind is SegmentKind.BOILERPLATE


def test_single_paragraph_is_body_not_headline():
    (seg,) = segment_article(Article("a", "جملة واحدة فقط"), Resources())
    assert seg.kind is SegmentKind.BODY


def test_seed_boilerplate_is_recognised():
    seeds = require_shared("seeds")
    arts = {a.id[:3]: a for a in read_inputs([seeds]).articles}
    res = Resources()
    for key, expected in {
        "002": ["Connect with us", "Hi, what are you looking for?", "اضف تعليقك", "مقالات ذات صلة"],
        "004": ["الكاتب: فريق العمل", "مشاركة:", "اقرأ أيضاً:"],
        "001": ["اترك تعليقاً", "Exit mobile version"],
        "000": ["تاريخ النشر: 26th, December 2024 GMT", "كلمات دلالية: سيرجي لافروف سوريا أحمد الشرع دعم روسيا"],
    }.items():
        boiler = {s.text for s in segment_article(arts[key], res) if s.kind is SegmentKind.BOILERPLATE}
        for line in expected:
            assert line in boiler, (key, line)
    headline = [s for s in segment_article(arts["002"], res) if s.kind is SegmentKind.HEADLINE]
    assert headline[0].text.startswith("يلتقي بوتين روسيا")


# Every boilerplate rule: a paragraph that is that furniture, and a paragraph of ordinary
# copy that contains the rule's phrase and must be audited.
BOILERPLATE_CASES = {
    "related-articles": ("مقالات ذات صلة", "ونشرت الصحيفة مقالات ذات صلة بالأزمة السورية خلال الأسبوع الماضي."),
    "read-also": ("اقرأ أيضاً:", "وقال الوزير إن على الجميع أن يقرأ أيضاً ما نشرته الأمم المتحدة في تقريرها."),
    "comment-form": ("اترك تعليقاً", "ودعا المتحدث المواطنين إلى أن يتركوا تعليقاتهم على مسودة القانون، وقال: اترك تعليقاً على الموقع."),
    "comment-notice": (
        "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
        "وقالت الشركة في رسالة للمستخدمين إنه لن يتم نشر عنوان بريدك الإلكتروني أو بياناتك لأي جهة خارجية.",
    ),
    "connect": ("مشاركة:", "وأكد الرئيس أن مشاركة روسيا في القمة العربية ستكون على مستوى رفيع."),
    "follow-app": ("تابعوا آخر الأخبار على تطبيقنا", "وقال إن موسكو تابع آخر الأخبار باهتمام، وإن الكرملين يراقب الوضع عن كثب منذ أسابيع."),
    "bullet-label": ("• الدوري المصري", "• وقال الوزير إن المحادثات ستتناول التعاون العسكري والاقتصادي بين البلدين."),
    "category-date": ("أخبار سورية 26 فبراير 2025", "وفي 26 فبراير 2025 أعلنت الحكومة السورية عن تشكيل لجنة جديدة للحوار الوطني."),
    "byline": ("الكاتب: فريق العمل", "وقال الكاتب: إن المرحلة المقبلة تتطلب حواراً وطنياً شاملاً يشارك فيه جميع السوريين دون استثناء."),
    "published": ("تاريخ النشر: 26 ديسمبر 2024", "وقال إن آخر تحديث للخطة الحكومية كان في العام الماضي، وإن الحكومة ستعلن خطة جديدة قريباً."),
    "source-line": ("المصدر: وكالات", "وقال المصدر: إن الوفد الروسي سيصل إلى دمشق الأسبوع المقبل لبحث ملف القواعد العسكرية في الساحل السوري مع المسؤولين."),
    "tags": ("كلمات دلالية: سوريا روسيا لافروف", "وقال المحلل إن كلمات دلالية مثل «الشراكة» و«السيادة» تكررت في البيان."),
    "advert": ("إعلان", "وجاء الإعلان بعد اجتماع استمر ساعتين."),
    "latest-news": ("آخر الأخبار", "وتابع المواطنون آخر الأخبار من موسكو باهتمام."),
    "date-only": ("2024/12/26", "وفي 2024/12/26 وصل الوزير إلى موسكو."),
    "no-letters": ("* * *", "وقال الوزير * إن المحادثات ناجحة."),
}


def test_every_boilerplate_rule_has_a_case():
    assert {r.id for r in Resources().boilerplate} == set(BOILERPLATE_CASES)


@pytest.mark.parametrize("rule_id", sorted(BOILERPLATE_CASES))
def test_boilerplate_rule_marks_furniture_not_copy_with_its_phrase(rule_id):
    furniture, copy = BOILERPLATE_CASES[rule_id]
    res = Resources()
    text = f"عنوان الخبر عن سوريا\nفقرة أولى من الخبر.\n{furniture}\nفقرة أخرى من الخبر."
    segs = segment_article(Article("a", text), res)
    assert [s.reason for s in segs if s.text == furniture] == [rule_id]
    text = f"عنوان الخبر عن سوريا\nفقرة أولى من الخبر.\n{copy}\nفقرة أخرى من الخبر."
    kinds = {s.kind for s in segment_article(Article("a", text), res)}
    assert SegmentKind.BOILERPLATE not in kinds, (rule_id, copy)


def test_html_entities_are_decoded_for_matching_and_the_paragraph_is_audited():
    res = Resources()
    text = "عنوان الخبر\nوقالت شركة AT&amp;T إن المحادثات &quot;ناجحة&quot; جدا.\nمقالات&nbsp;ذات صلة\nعنوان آخر"
    segs = segment_article(Article("a", text), res)
    body = [s for s in segs if s.kind is SegmentKind.BODY]
    assert body and body[0].text.startswith("وقالت شركة AT&amp;T")
    assert [s.reason for s in segs if s.text == "مقالات&nbsp;ذات صلة"] == ["related-articles"]


def test_decode_entities_maps_back_to_the_reference_as_written():
    from mtaudit.text.normalize import decode_entities, normalize

    text = "AT&amp;T &#39;x&#39; &nbsp;y"
    d = decode_entities(text)
    assert d.text == "AT&T 'x'  y"  # a no-break space matches as a space
    i = d.text.index("&")
    assert d.to_original(i, i + 1) == (2, 7) and text[2:7] == "&amp;"
    n = normalize(text, entities=True)
    assert n.text == "at&t 'x'  y"
    assert normalize(text).text == text.lower()  # off by default: nothing else changes


def test_flattened_seed_002_is_still_audited():
    from mtaudit.run.pipeline import audit

    seeds = require_shared("seeds")
    art = next(a for a in read_inputs([seeds]).articles if a.id.startswith("002"))
    flat = Article("flat", " ".join(line.strip() for line in art.text.splitlines() if line.strip()))
    full, one_line = audit([art, flat]).articles
    assert len(one_line.findings) >= 0.9 * len(full.findings)
    assert {f.text for f in full.findings if f.check == "repeated-word"} <= {
        f.text for f in one_line.findings if f.check == "repeated-word"
    }


def test_word_count_stops_at_the_cap_and_counts_short_texts_exactly():
    from mtaudit.text.segment import _WORDS, _word_count

    for text in ["", "…", "واحد", "واحد، اثنان 3 four", "ab-cd ef" * 20, " ".join(["كلمة"] * 50)]:
        exact = len(_WORDS.findall(text))
        for cap in (1, 2, 5, 41):
            assert _word_count(text, cap) == min(exact, cap)
