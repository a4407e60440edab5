"""Segmentation: headline, paragraphs, sentences, boilerplate."""

from conftest import require_shared
from mtaudit.io import read_inputs
from mtaudit.resources import Resources
from mtaudit.segment import segment_article, split_sentences
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
