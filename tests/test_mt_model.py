"""The CTranslate2 MT-model scorer (mtaudit.scorers.mt) on real, tiny models.

tests/tiny_marian.py builds an OPUS-MT-style Marian model (English→Arabic, and the reverse
for back-translation) and an NLLB-layout M2M-100 model with Transformers, converts them with
CTranslate2's own converter through ``convert_model``, and every test here runs the real
loading, tokenization, scoring and translation path on them. The span-mapping helpers are
also tested directly on Arabic with tashkeel, punctuation, a Latin word and NFKC-changed
characters.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import regex

spm = pytest.importorskip("sentencepiece")  # the mt extra
pytest.importorskip("ctranslate2")

from tiny_marian import PAIRS, build_tiny_marian, build_tiny_nllb
from unit_checks import unit_check_findings

from mtaudit.scorers import ModelUnavailable, ScoringUnit
from mtaudit.scorers.mt.convert import ModelConversionError, convert_model
from mtaudit.scorers.mt.load import load_mt_model
from mtaudit.scorers.mt.model import BackTranslationScorer, back_translate_chrf, suggest_retranslations
from mtaudit.scorers.mt.tokens import detokenize, expand_to_words, improbable_runs, token_char_spans
from mtaudit.types import Severity

ARABIC = regex.compile(r"\p{Arabic}")

# MarianTokenizer asks for sacremoses when the Transformers reference model is loaded.
pytestmark = pytest.mark.filterwarnings("ignore:Recommended")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """All tiny models, built once: int8 and float32 Marian en→ar, Marian ar→en, NLLB."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    root = tmp_path_factory.mktemp("tiny-mt")
    return {
        "int8": build_tiny_marian(root / "en-ar"),
        "float32": build_tiny_marian(root / "en-ar", quantization="float32"),
        "ar-en": build_tiny_marian(root / "ar-en", pairs=[(ar, en) for en, ar in PAIRS]),
        "nllb": build_tiny_nllb(root / "nllb", quantization="float32"),
        "hf": root / "en-ar" / "hf",
        "nllb-hf": root / "nllb" / "hf",
    }


@pytest.fixture(scope="session")
def model(built):
    return load_mt_model(built["int8"], threads=1)


def unit(i: int, target: str, source: str | None, start: int = 0) -> ScoringUnit:
    return ScoringUnit("art", f"s{i}", start, start + len(target), target, source)


def copy_model(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# --------------------------------------------------------------------------- conversion and loading


def test_convert_copies_the_tokenizers_next_to_the_model(built):
    out = built["int8"]
    for name in ("model.bin", "config.json", "shared_vocabulary.json", "source.spm", "target.spm"):
        assert (out / name).is_file(), name
    for name in ("source.spm", "target.spm"):
        assert (out / name).read_bytes() == (built["hf"] / name).read_bytes()
    assert (built["nllb"] / "sentencepiece.bpe.model").is_file()


def test_load_records_effective_compute_type_and_model_hash(built, model):
    assert model.layout == "marian"
    assert model.requested_compute_type == "int8"
    assert model.compute_type == model.translator.compute_type
    assert model.compute_type.startswith("int8")  # int8_float32 on a CPU without int8 GEMM+float16
    sig = model.signature
    assert f"|compute:{model.translator.compute_type}|" in sig
    assert "|beam:4|batch:2048tokens|" in sig and "eng_Latn->arb_Arab" in sig
    assert regex.search(r"model_sha256:[0-9a-f]{16}\|", sig)
    f32 = load_mt_model(built["float32"], compute_type="float32", threads=1)
    assert f32.compute_type == "float32" and "|compute:float32|" in f32.signature
    assert f32.digest != model.digest


def test_missing_folder_names_the_path_and_how_to_convert(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelUnavailable) as e:
        load_mt_model(missing)
    assert str(missing) in str(e.value)
    assert "mtaudit models convert" in str(e.value) and "README" in str(e.value)


def test_folder_without_model_bin_names_model_bin(built, tmp_path):
    folder = copy_model(built["int8"], tmp_path / "m")
    (folder / "model.bin").unlink()
    with pytest.raises(ModelUnavailable, match=r"model\.bin is missing") as e:
        load_mt_model(folder)
    assert str(folder) in str(e.value)


def test_unconverted_transformers_folder_is_recognised(built):
    with pytest.raises(ModelUnavailable, match="unconverted"):
        load_mt_model(built["hf"])


@pytest.mark.parametrize("removed, named", [(("target.spm",), "target.spm"), (("source.spm",), "source.spm"),
                                             (("source.spm", "target.spm"), "sentencepiece.bpe.model")])
def test_folder_without_tokenizer_names_the_missing_file(built, tmp_path, removed, named):
    folder = copy_model(built["int8"], tmp_path / "m")
    for name in removed:
        (folder / name).unlink()
    with pytest.raises(ModelUnavailable) as e:
        load_mt_model(folder)
    assert named in str(e.value) and str(folder) in str(e.value)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "lfs-pointer"])
def test_corrupt_model_bin_is_model_unavailable(built, tmp_path, damage):
    folder = copy_model(built["int8"], tmp_path / "m")
    data = (folder / "model.bin").read_bytes()
    new = {
        "garbage": bytes((i * 97 + 13) % 256 for i in range(len(data))),
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "lfs-pointer": b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n",
    }[damage]
    (folder / "model.bin").write_bytes(new)
    with pytest.raises(ModelUnavailable) as e:
        load_mt_model(folder)
    assert "model.bin" in str(e.value)


def test_corrupt_sentencepiece_model_is_model_unavailable(built, tmp_path):
    folder = copy_model(built["int8"], tmp_path / "m")
    (folder / "target.spm").write_bytes(b"not a sentencepiece model")
    with pytest.raises(ModelUnavailable, match="target.spm"):
        load_mt_model(folder)


def test_unknown_compute_type_is_a_usage_error(built):
    with pytest.raises(ValueError, match="compute type"):
        load_mt_model(built["int8"], compute_type="int3")


def test_multi_target_marian_gets_the_arabic_language_token(built, tmp_path):
    # OPUS-MT en-ar is multi-target: its vocabulary has >>ara<< & co. and the source must
    # start with one. Rename two tokens of the tiny vocabulary (its size must not change).
    folder = copy_model(built["int8"], tmp_path / "m")
    vocab = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    vocab[-1], vocab[-2] = ">>ara<<", ">>fra<<"
    (folder / "shared_vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    m = load_mt_model(folder, threads=1)
    assert m.source_prefix == [">>ara<<"]
    assert m.source_tokens("Oil prices fell.")[0] == ">>ara<<"
    assert m.source_tokens("Oil prices fell.")[-1] == "</s>"
    vocab[-2] = ">>deu<<"
    vocab[-1] = ">>fra<<"
    (folder / "shared_vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ModelUnavailable, match=r">>deu<<, >>fra<<"):
        load_mt_model(folder)
    assert load_mt_model(folder, target_token=">>fra<<").source_prefix == [">>fra<<"]


def test_convert_refuses_existing_output_and_output_holding_the_input(built, tmp_path):
    with pytest.raises(ModelConversionError, match="already exists"):
        convert_model(str(built["hf"]), built["int8"])
    with pytest.raises(ModelConversionError, match="contains the input"):
        convert_model(str(built["hf"]), built["hf"].parent, force=True)
    assert (built["hf"] / "config.json").is_file()


def test_convert_needs_a_tokenizer_to_copy(built, tmp_path):
    src = tmp_path / "hf"
    shutil.copytree(built["hf"], src)
    (src / "target.spm").unlink()
    with pytest.raises(ModelConversionError, match="target.spm"):
        convert_model(str(src), tmp_path / "out")
    (src / "source.spm").unlink()
    with pytest.raises(ModelConversionError, match="no sentencepiece model"):
        convert_model(str(src), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_convert_errors_for_missing_input_and_uncached_hub_id(tmp_path, monkeypatch):
    with pytest.raises(ModelConversionError, match="no such model folder"):
        convert_model(str(tmp_path / "nothing" / "here"), tmp_path / "out")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelConversionError, match="huggingface-cli download Helsinki-NLP/opus-mt-en-ar"):
        convert_model("Helsinki-NLP/opus-mt-en-ar", tmp_path / "out")
    with pytest.raises(ModelConversionError, match="quantization"):
        convert_model(str(tmp_path), tmp_path / "out", quantization="int3")


# --------------------------------------------------------------------------- scoring


def test_float32_token_logprobs_equal_transformers(built):
    """The whole convention (source </s>, target pieces, which log-prob is which token) is
    checked against the Transformers model the CTranslate2 one was converted from."""
    torch = pytest.importorskip("torch")
    from transformers import AutoTokenizer, MarianMTModel

    m = load_mt_model(built["float32"], compute_type="float32", threads=1)
    hf = MarianMTModel.from_pretrained(built["hf"]).eval()
    tok = AutoTokenizer.from_pretrained(built["hf"])
    for src, tgt in [PAIRS[0], (PAIRS[1][0], PAIRS[5][1])]:
        ours = m.token_logprobs([src], [tgt])[0]
        batch = tok([src], text_target=[tgt], return_tensors="pt")
        assert tok.convert_ids_to_tokens(batch["input_ids"][0]) == m.source_tokens(src)
        with torch.no_grad():
            lp = torch.log_softmax(hf(**batch).logits, -1)[0]
        labels = batch["labels"][0]
        ref = [lp[i, labels[i]].item() for i in range(len(labels))]
        assert len(ours) == len(ref) - 1  # </s> left out
        assert ours == pytest.approx(ref[:-1], abs=2e-3)


def test_nllb_layout_uses_language_tokens_and_matches_transformers(built):
    torch = pytest.importorskip("torch")
    from transformers import AutoTokenizer, M2M100ForConditionalGeneration

    m = load_mt_model(built["nllb"], compute_type="float32", threads=1)
    assert m.layout == "shared"
    assert m.source_prefix == ["eng_Latn"] and m.target_prefix == ["arb_Arab"]
    src, tgt = PAIRS[2]
    tok = AutoTokenizer.from_pretrained(built["nllb-hf"], src_lang="eng_Latn", tgt_lang="arb_Arab")
    hf = M2M100ForConditionalGeneration.from_pretrained(built["nllb-hf"]).eval()
    batch = tok([src], text_target=[tgt], return_tensors="pt")
    assert tok.convert_ids_to_tokens(batch["input_ids"][0]) == m.source_tokens(src)
    with torch.no_grad():
        lp = torch.log_softmax(hf(**batch).logits, -1)[0]
    labels = batch["labels"][0]
    ref = [lp[i, labels[i]].item() for i in range(len(labels))]
    # ref: arb_Arab, pieces…, </s>; ours: the pieces only.
    assert m.token_logprobs([src], [tgt])[0] == pytest.approx(ref[1:-1], abs=2e-3)
    out = m.score([unit(0, tgt, src)])
    assert math.isfinite(out.scores[("art", "s0")]["mt_logprob"])
    reverse = load_mt_model(built["nllb"], src_lang="arb_Arab", tgt_lang="eng_Latn", threads=1)
    assert reverse.source_prefix == ["arb_Arab"] and reverse.target_prefix == ["eng_Latn"]
    with pytest.raises(ModelUnavailable, match="xyz_Latn"):
        load_mt_model(built["nllb"], tgt_lang="xyz_Latn")


def test_score_gives_one_finite_logprob_per_unit_with_source(model):
    units = [
        unit(0, PAIRS[0][1], PAIRS[0][0]),
        unit(1, PAIRS[1][1], PAIRS[1][0], start=60),
        unit(2, "قال المتحدث إن الوضع هادئ.", None, start=120),  # no source: skipped
        unit(3, "", PAIRS[3][0], start=150),  # omission: nothing to score
        unit(4, PAIRS[4][1], "   ", start=150),  # blank source
        unit(5, "  " + PAIRS[5][1] + "\n", PAIRS[5][0], start=200),
    ]
    out = model.score(units)
    assert set(out.scores) == {("art", "s0"), ("art", "s1"), ("art", "s5")}
    for scores in out.scores.values():
        assert set(scores) == {"mt_logprob"}
        assert math.isfinite(scores["mt_logprob"]) and scores["mt_logprob"] < 0
    assert out.system["mt_logprob"] == pytest.approx(sum(s["mt_logprob"] for s in out.scores.values()) / 3, abs=1e-3)
    assert out.signature == model.signature
    # The unit score is the plain mean of the target pieces' log-probs, without </s>.
    lps = model.token_logprobs([PAIRS[0][0]], [PAIRS[0][1]])[0]
    assert len(lps) == len(model.target_sp.encode(PAIRS[0][1], out_type=str))
    assert out.scores[("art", "s0")]["mt_logprob"] == pytest.approx(sum(lps) / len(lps), abs=1e-4)


def test_score_of_nothing_is_empty(model):
    out = model.score([unit(0, "نص", None)])
    assert out.scores == {} and out.signals == {} and out.system == {}


def test_a_sentence_own_translation_is_more_likely_than_another(model):
    # The tiny model is trained on PAIRS: scoring must use the unit's own source.
    for i in range(6):
        j = (i + 3) % len(PAIRS)
        out = model.score([unit(0, PAIRS[i][1], PAIRS[i][0]), unit(1, PAIRS[j][1], PAIRS[i][0])])
        assert out.scores[("art", "s0")]["mt_logprob"] > out.scores[("art", "s1")]["mt_logprob"] + 0.3


def test_threshold_zero_makes_one_finding_over_the_whole_target(built):
    m = load_mt_model(built["int8"], improbable_logprob=0.0, threads=1)
    target = "  التقى الرئيسُ وزير الخارجية في «دمشق» يوم الثلاثاء… ﻻ Reuters.  "
    u = unit(0, target, PAIRS[0][0], start=41)
    out = m.score([u])
    found = unit_check_findings("mt-improbable", m, out, [u], " " * 41 + target)
    assert len(found) == 1
    f = found[0]
    assert f.text == target.strip() == target[f.start - 41 : f.end - 41]
    assert (f.start, f.end) == (41 + 2, 41 + len(target) - 2)
    assert (f.check, f.category, f.severity, f.confidence, f.suggestion) == ("mt-improbable", "fluency", Severity.MINOR, 0.3, "")
    assert f.article_id == "art" and f.segment_id == "s0"
    assert regex.fullmatch(r"the MT model finds this passage improbable given the source \(mean log-prob -\d+\.\d\d\)", f.message)
    # The message's mean is over the tokens in the passage: those with characters of
    # their own (not a lone "▁", nor the extra pieces NFKC made of "…" or "ﻻ").
    lps = m.token_logprobs([u.source], [target])[0]
    spans = m.target_tokens(target).spans
    placed = [lp for lp, span in zip(lps, spans) if span is not None]
    assert len(placed) < len(lps)
    mean = float(f.message.rsplit(" ", 1)[1].rstrip(")"))
    assert mean == pytest.approx(sum(placed) / len(placed), abs=0.006)


def test_findings_point_at_whole_words_of_the_article(built):
    m = load_mt_model(built["int8"], improbable_logprob=-2.0, threads=1)
    # An article made of three targets, each scored against the wrong source.
    targets = [PAIRS[7][1], "الرَّئيسُ الأمريكيّ يزور دمشقَ، Reuters.", PAIRS[12][1]]
    article, units = "", []
    for i, t in enumerate(targets):
        article += "\n" if article else ""
        units.append(unit(i, t, PAIRS[i][0], start=len(article)))
        article += t
    out = m.score(units)
    found = unit_check_findings("mt-improbable", m, out, units, article)
    assert found, "the wrong sources should make some tokens improbable"
    for f in found:
        assert article[f.start : f.end] == f.text and f.text.strip() == f.text and f.text
        for edge_in, edge_out in ((f.start, f.start - 1), (f.end - 1, f.end)):
            if 0 <= edge_out < len(article):
                assert not (regex.match(r"\w", article[edge_in]) and regex.match(r"\w", article[edge_out])), f
    assert {f.segment_id for f in found} <= {"s0", "s1", "s2"}


# --------------------------------------------------------------------------- span helpers


def test_token_char_spans_on_arabic_with_tashkeel_latin_and_nfkc_changes(built):
    sp = spm.SentencePieceProcessor(model_file=str(built["int8"] / "target.spm"))
    text = "  الرَّئِيسُ، التقى  Reuters في «دمشق»… ﻻ ٢٠٢٤ Ｍ.\t"
    proto = sp.encode(text, out_type="immutable_proto")
    spans = token_char_spans(text, proto)
    assert len(spans) == len(proto.pieces)
    covered = set()
    prev_end = 0
    for piece, span in zip(proto.pieces, spans):
        if span is None:
            assert not piece.surface.strip() or piece.begin == piece.end
            continue
        s, e = span
        assert prev_end <= s < e <= len(text)
        assert text[s:e] == piece.surface.strip() and text[s:e].strip() == text[s:e]
        covered.update(range(s, e))
        prev_end = e
    # Every visible character belongs to exactly one piece, including the ligature ﻻ and
    # the ellipsis that NFKC turns into two and three characters, and the fullwidth Ｍ.
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}


def test_token_char_spans_accepts_byte_offsets_and_rejects_mismatches():
    text = "قال Reuters."
    b = lambda s: len(s.encode("utf-8"))  # noqa: E731
    pieces = [
        SimpleNamespace(piece="▁قال", surface="قال", begin=0, end=b("قال")),
        SimpleNamespace(piece="▁Reuters", surface=" Reuters", begin=b("قال"), end=b("قال Reuters")),
        SimpleNamespace(piece=".", surface="!", begin=b("قال Reuters"), end=b("قال Reuters.")),
    ]
    spans = token_char_spans(text, SimpleNamespace(pieces=pieces))
    assert spans == [(0, 3), (4, 11), None]


def test_expand_to_words_keeps_tashkeel_and_stops_at_punctuation():
    text = "قال الرَّئيسُ، ثم غادر."
    s = text.index("ئ")
    assert text[slice(*expand_to_words(text, s, s + 1))] == "الرَّئيسُ"
    dot = text.index(".")
    assert expand_to_words(text, dot, dot + 1) == (dot, dot + 1)
    comma = text.index("،")
    assert text[slice(*expand_to_words(text, comma - 1, comma + 1))] == "الرَّئيسُ،"


def test_improbable_runs_merge_adjacent_words_only():
    text = "قال الرئيس إن الوزير وصل"
    words = [(m.start(), m.end()) for m in regex.finditer(r"\S+", text)]
    lps = [-1.0, -7.0, -8.0, -1.0, -9.0]
    runs = improbable_runs(text, words, lps, -6.0)
    assert [(text[s:e], round(mean, 2)) for s, e, mean in runs] == [("الرئيس إن", -7.5), ("وصل", -9.0)]
    assert improbable_runs(text, [None] * 5, lps, -6.0) == []


def test_detokenize_drops_language_and_special_tokens():
    assert detokenize(["arb_Arab", "▁قال", "▁الر", "ئيس", "▁Reu", "ters", "</s>"]) == "قال الرئيس Reuters"
    assert detokenize([">>ara<<", "▁قال", "<unk>", "."]) == "قال ⁇ ."


# --------------------------------------------------------------------------- translation


def test_translate_returns_arabic_for_each_source(model):
    sources = [PAIRS[0][0], PAIRS[33][0], "", PAIRS[21][0]]
    out = model.translate(sources)
    assert len(out) == 4 and out[2] == ""
    for text in (out[0], out[1], out[3]):
        assert text and ARABIC.search(text)
    assert model.translate([]) == []


def test_translate_in_several_chunks_keeps_the_order(built):
    m = load_mt_model(built["int8"], max_batch_tokens=16, threads=1)
    sources = [s for s, _ in PAIRS[:8]]
    assert m.translate(sources) == [model_out for model_out in (m.translate([s])[0] for s in sources)]


def test_suggest_retranslations_and_the_names_hook(model):
    units = [unit(0, "نص خاطئ تماما", PAIRS[1][0]), unit(1, "نص", None), unit(2, "نص آخر", PAIRS[9][0])]
    seen = []
    got = suggest_retranslations(model, units)
    assert set(got) == {("art", "s0"), ("art", "s2")}
    assert all(ARABIC.search(t) for t in got.values())
    blocked = suggest_retranslations(model, units, check_names=lambda t: seen.append(t) or ["garbled name"])
    assert blocked == {} and seen == [got[("art", "s0")], got[("art", "s2")]]
    # A translation identical to the delivered target is no suggestion.
    same = [unit(0, got[("art", "s0")], PAIRS[1][0])]
    assert suggest_retranslations(model, same) == {}


def test_back_translation_chrf_separates_right_from_wrong_targets(built, model):
    ar_en = load_mt_model(built["ar-en"], src_lang="arb_Arab", tgt_lang="eng_Latn", threads=1)
    right = [unit(i, PAIRS[i][1], PAIRS[i][0]) for i in range(8)]
    wrong = [unit(i, PAIRS[(i + 4) % 8][1], PAIRS[i][0]) for i in range(8)]
    good, bad = back_translate_chrf(ar_en, right), back_translate_chrf(ar_en, wrong)
    assert set(good.scores) == {u.key for u in right}
    assert all(0 <= s["bt_chrf"] <= 100 for s in good.scores.values())
    assert good.system["bt_chrf"] > bad.system["bt_chrf"] + 30
    assert good.signature.startswith("bt-chrf|nrefs:1|") and "arb_Arab->eng_Latn" in good.signature
    assert BackTranslationScorer(ar_en).score([unit(0, PAIRS[0][1], None)]).scores == {}
    with pytest.raises(ValueError, match="Arabic→English"):
        back_translate_chrf(model, right)
