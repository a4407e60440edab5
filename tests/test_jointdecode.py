"""The compiled transliteration searches (mtaudit/names/_jointdecode.c) give what the Python
reference gives: the same n-best lists in the same order, the same marginals and joint
scores, float for float. Skipped only when the extension is not built."""

from __future__ import annotations

import random
from array import array

import pytest

from mtaudit.knowledge.resources import Resources
from mtaudit.names import jointdecode
from mtaudit.names.transliteration import BEAM_DECODE, BEAM_MARGINAL, BEAM_SCORE, JointNgram, TransliterationModel, latin_words
from mtaudit.text.normalize import fold

ext = pytest.importorskip("mtaudit.names._jointdecode", reason="the compiled decoder is not built (no compiler at install)")

# odd spellings the gazetteer may lack: a letter no unit covers (x, q alone), an apostrophe,
# doubled letters, a long word, one letter
ODD = ["x", "q", "o'neill", "aaliyah", "mcconaughey", "schwarzenegger", "tsvangirai", "ngozi", "eszter", "zzz",
       "abdelmadjid", "tebboune", "yiannis", "ouattara", "hwang", "krzysztof"]


def _word_pairs() -> list[tuple[str, str]]:
    """(Latin word, folded Arabic word) of the curated gazetteer's names, where the English
    and Arabic forms have as many words: Arabic, Western, Asian and African names."""
    pairs = []
    for entity in Resources().gazetteer.entities:
        arabic = fold(entity.canonical).split()
        for english in entity.english:
            words = latin_words(english)
            if len(words) == len(arabic):
                pairs.extend((latin, ar) for (_, latin), ar in zip(words, arabic))
    return list(dict.fromkeys(pairs))


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, str, str]]:
    """(Latin word, its Arabic, another Arabic word): a true pair and a random one."""
    pairs = _word_pairs()
    rng = random.Random(12)
    others = [ar for _, ar in pairs]
    out = [(latin, ar, rng.choice(others)) for latin, ar in pairs]
    out += [(latin, "", rng.choice(others)) for latin in ODD]
    assert len(out) >= 200
    return out


@pytest.fixture(scope="module")
def model() -> TransliterationModel:
    return TransliterationModel.load()


def _compiled(jm: JointNgram) -> jointdecode.CompiledSearch:
    return jointdecode.CompiledSearch(jm, ext)  # whatever MTAUDIT_PURE_PYTHON says


def _compare(jm: JointNgram, cases, nbest: bool = True, beams=((BEAM_DECODE, BEAM_MARGINAL, BEAM_SCORE),)) -> None:
    search = _compiled(jm)
    for latin, arabic, other in cases:
        for decode_beam, marginal_beam, score_beam in beams:
            if nbest:
                expected = jm.decode_python(latin, decode_beam)
                assert search.decode(latin, decode_beam) == expected, latin
                z = jm.marginal_python(latin)
                assert search.nbest(latin, decode_beam, z) == tuple((ar, lp - z) for lp, ar in expected), latin
            assert search.marginal(latin, marginal_beam) == jm.marginal_python(latin, marginal_beam), latin
            for ar in {arabic, other, arabic[::-1], arabic + "ي"}:
                for escapes in (False, True):
                    got = search.joint(latin, ar, score_beam, escapes)
                    assert got == jm._joint_python(latin, ar, score_beam, escapes), (latin, ar, escapes)


# The default run compares a sample (a few seconds); the slow run every case (pytest -m slow).
def test_compiled_equals_python_on_names_correct_model(model, cases):
    _compare(model.main, cases[::15])


def test_compiled_equals_python_on_names_naive_model(model, cases):
    _compare(model.naive_model, cases[::8])


def test_compiled_equals_python_with_narrow_beams(model, cases):
    """Narrow beams prune nearly every position, so ties and the beam's order matter more."""
    _compare(model.main, cases[1::25], beams=((3, 2, 1), (1, 1, 2)))


def test_compiled_equals_python_for_a_bigram(model, cases):
    """An order-2 n-gram (the shipped arrays read with one unit of history): the code path
    no shipped model takes."""
    bigram = JointNgram(model.main.units, 2, model.main.arrays, model.main.floor)
    _compare(bigram, cases[2::60])


def test_compiled_equals_python_on_long_and_odd_input(model):
    """A 'word' longer than any name (its output longer than 256 letters), and Arabic with
    letters no unit has (a Latin letter, an emoji outside the BMP)."""
    long_word = "abdelrahmanmohammedalsharaa" * 15
    naive = _compiled(model.naive_model)  # the cheaper model for the Python side
    assert naive.decode(long_word, BEAM_DECODE) == model.naive_model.decode_python(long_word)
    assert max(len(ar) for _, ar in naive.decode(long_word, BEAM_DECODE)) > 256
    assert naive.marginal(long_word, BEAM_MARGINAL) == model.naive_model.marginal_python(long_word)
    for jm in (model.main, model.naive_model):
        search = _compiled(jm)
        for latin, ar in (("ahmed", "احمدx"), ("ahmed", "\U0001F600احمد"), ("ahmed" * 8, "احمد" * 8)):
            for escapes in (False, True):
                assert search.joint(latin, ar, BEAM_SCORE, escapes) == jm._joint_python(latin, ar, BEAM_SCORE, escapes)


@pytest.mark.slow
def test_compiled_equals_python_on_all_names(model, cases):
    _compare(model.main, cases)
    _compare(model.naive_model, cases)


def test_model_scores_the_same_either_way(cases):
    """Through the model's own API (word caches, n-best, scores, garble llr), compiled and pure."""
    compiled, pure = TransliterationModel.load(), TransliterationModel.load()
    compiled.main._search, compiled.naive_model._search = _compiled(compiled.main), _compiled(compiled.naive_model)
    pure.main._search = pure.naive_model._search = None
    for latin, arabic, other in cases[3::40]:
        assert compiled.nbest(latin, 8) == pure.nbest(latin, 8)
        assert compiled.naive(latin, 3) == pure.naive(latin, 3)
        for ar in (arabic, other):
            assert compiled.garble_llr(latin, ar) == pure.garble_llr(latin, ar)


def test_a_model_of_another_layout_falls_back_to_python(model):
    arrays = dict(model.main.arrays)
    arrays["lps"] = array("d", arrays["lps"])  # float64: not the float32 the extension reads
    odd = JointNgram(model.main.units, 3, arrays, model.main.floor)
    assert jointdecode.compiled_search(odd) is None
    assert odd.decode("tebboune") == model.main.decode_python("tebboune")


def test_the_environment_forces_pure_python(monkeypatch):
    monkeypatch.setenv(jointdecode.PURE_ENV, "1")
    assert jointdecode._extension.__wrapped__() == (None, f"{jointdecode.PURE_ENV} is set")
    monkeypatch.setenv(jointdecode.PURE_ENV, "0")
    module, _ = jointdecode._extension.__wrapped__()
    assert module is ext


def test_scratch_memory_given_back_after_a_long_pair_gives_the_same_results(model):
    """A pair whose lattice has more cells than the scratch maps kept between searches (and
    a word whose decode trie outgrows the nodes kept): the searches after it are unchanged."""
    jm = model.naive_model
    search = _compiled(jm)
    latin, ar = "mohammed" * 10, "محمد" * 14  # 81 × 57 cells > KEEP_MAPS
    assert search.joint(latin, ar, BEAM_SCORE, False) == jm._joint_python(latin, ar, BEAM_SCORE, False)
    for word in ("tebboune", "ouattara", "x"):
        assert search.decode(word, BEAM_DECODE) == jm.decode_python(word)
        assert search.marginal(word, BEAM_MARGINAL) == jm.marginal_python(word)
        assert search.joint(word, "تبون", BEAM_SCORE, True) == jm._joint_python(word, "تبون", BEAM_SCORE, True)


def test_the_decoder_refuses_odd_calls(model):
    """Misuse of the private API raises instead of reading or writing out of bounds."""
    with pytest.raises(TypeError):  # __init__ never ran
        ext.Decoder.__new__(ext.Decoder).marginal(0, [-1, -1, -1], 1, -12.0)
    decoder = _compiled(model.main).decoder
    with pytest.raises(TypeError):  # __init__ runs once
        decoder.__init__(3, 0.0, array("q"), array("i", [0]), array("i"), array("f"), array("f"), [], [], [], 10)
    with pytest.raises(ValueError):  # (n + 1) * 3 wraps around to 5
        decoder.marginal(0x5555555555555556, [-1] * 5, 8, -12.0)
    with pytest.raises((OverflowError, ValueError)):
        decoder.joint(0x5555555555555556, [-1] * 5, "اب", 8, -12.0, True)
    with pytest.raises(TypeError):  # keys are ints
        decoder.marginal(1, [-1, -1, -1, 0.5, -1, -1], 8, -12.0)
    assert decoder.marginal(0, [-1, -1, -1], 8, -12.0) == model.main.marginal_python("")
