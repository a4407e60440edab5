from mtaudit.gate.fingerprint import fingerprint, fingerprints
from mtaudit.types import Finding, Severity


def _finding(text, article, word):
    start = article.index(word)
    return Finding("a1", "s1", start, start + len(word), word, "repeated-word", "fluency",
                   Severity.MINOR, "", "", 0.9)


ARTICLE = "قال الوزير إن الحكومة الحكومة ستعقد اجتماعا غدا في العاصمة."


def test_edit_elsewhere_keeps_fingerprint():
    before = _finding("", ARTICLE, "الحكومة الحكومة")
    edited = "سطر جديد في البداية.\n" + ARTICLE.replace("العاصمة", "العاصمة اللبنانية")
    after = _finding("", edited, "الحكومة الحكومة")
    assert before.start != after.start
    assert fingerprint(before, ARTICLE) == fingerprint(after, edited)


def test_context_and_check_change_it():
    f = _finding("", ARTICLE, "الحكومة الحكومة")
    other_context = ARTICLE.replace("قال الوزير إن", "قال الرئيس إن")
    g = _finding("", other_context, "الحكومة الحكومة")
    assert fingerprint(f, ARTICLE) != fingerprint(g, other_context)
    h = Finding(**{**f.__dict__, "check": "name-garbled"})
    assert fingerprint(f, ARTICLE) != fingerprint(h, ARTICLE)


def test_folding_ignores_hamza_and_tashkeel():
    f = _finding("", ARTICLE, "الحكومة الحكومة")
    variant = ARTICLE.replace("إن", "ان").replace("قال", "قَال")
    g = _finding("", variant, "الحكومة الحكومة")
    assert fingerprint(f, ARTICLE) == fingerprint(g, variant)


def test_identical_findings_are_numbered():
    text = "كلمة كلمة. كلمة كلمة."
    first = Finding("a1", "s1", 0, 9, "كلمة كلمة", "repeated-word", "fluency", Severity.MINOR, "", "", 0.9)
    second = Finding("a1", "s2", 11, 20, "كلمة كلمة", "repeated-word", "fluency", Severity.MINOR, "", "", 0.9)
    prints = fingerprints([first, second], text)
    assert len(set(prints)) == 2
