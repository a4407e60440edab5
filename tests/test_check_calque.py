"""The calque rules' quick test (mtaudit.knowledge.resources.PatternRule.quick)."""


def test_the_quick_test_is_the_pattern_after_its_leading_lookbehind():
    import regex

    from mtaudit.knowledge.resources import PatternRule, after_leading_lookbehind
    from mtaudit.types import Severity

    assert after_leading_lookbehind(r"(?<=(?:^|[(؛;،,\-–])\s*)(?:ال)?كتابه (?:من قبل|بواسطه)") == r"(?:ال)?كتابه (?:من قبل|بواسطه)"
    assert after_leading_lookbehind(r"(?<![\])])x") == "x"  # a parenthesis inside a class is literal
    assert after_leading_lookbehind(r"(?<=\()x") == "x"  # and so is an escaped one
    assert after_leading_lookbehind("abc") is None  # no lookbehind first: no quick test
    assert after_leading_lookbehind(r"(?<=(a))b\1") is None  # the rest refers back to a group
    full = r"(?<=^|، )كتابه من قبل"
    rule = PatternRule("r", regex.compile(full), "", Severity.MINOR, "", regex.compile(after_leading_lookbehind(full)))
    for text in ["كتابه من قبل فلان", "قال، كتابه من قبل فلان", "قالكتابه من قبل", "لا شيء هنا"]:
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in rule.pattern.finditer(text)]
