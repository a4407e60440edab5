"""Build a tiny OPUS-MT-style (Marian) English→Arabic model and convert it for CTranslate2.

No model hub is reachable on the machines mtaudit is tested on, so tests that exercise the
real CTranslate2 path build a model of the same kind locally:

1. train two small sentencepiece models (English source, Arabic target) on :data:`PAIRS`,
   with sentencepiece's default ``nmt_nfkc`` normalisation, like the OPUS-MT ones;
2. write the files ``MarianTokenizer`` reads — ``source.spm``, ``target.spm`` and a joint
   ``vocab.json`` (``</s>`` 0, ``<unk>`` 1, the pieces of both models, ``<pad>`` last as in
   OPUS-MT, which the CTranslate2 converter relies on to drop it);
3. make a ``MarianMTModel`` with a tiny config (d_model 32, 2+2 layers, 2 heads, ffn 64) from
   a fixed seed and train it for a few dozen steps on the pairs, so its likelihoods prefer
   the right words without being meaningful;
4. ``save_pretrained`` model and tokenizer, then convert with
   :func:`mtaudit.scorers.mt.convert.convert_model` (CTranslate2's ``TransformersConverter``).

Building takes a few seconds; the Transformers folder is reused by later calls on the same
directory, so converting to another quantization only reruns step 4.

Use from a test::

    torch = pytest.importorskip("torch")
    from tiny_marian import build_tiny_marian
    model_dir = build_tiny_marian(tmp_path_factory.mktemp("mt"))      # int8 by default
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Sequence
from pathlib import Path

#: Wire-style English→Arabic sentence pairs the tiny model is trained on.
PAIRS: tuple[tuple[str, str], ...] = (
    ("The president met the foreign minister in Damascus on Tuesday.", "التقى الرئيس وزير الخارجية في دمشق يوم الثلاثاء."),
    ("The prime minister said the talks would resume next week.", "قال رئيس الوزراء إن المحادثات ستستأنف الأسبوع المقبل."),
    ("Oil prices rose on Monday after the announcement.", "ارتفعت أسعار النفط يوم الاثنين بعد الإعلان."),
    ("The government spokesman declined to comment.", "رفض المتحدث باسم الحكومة التعليق."),
    ("Ten people were killed in the explosion.", "قتل عشرة أشخاص في الانفجار."),
    ("The foreign minister arrived in Cairo on Wednesday.", "وصل وزير الخارجية إلى القاهرة يوم الأربعاء."),
    ("The central bank raised interest rates.", "رفع البنك المركزي أسعار الفائدة."),
    ("The army said it had withdrawn its forces from the city.", "قال الجيش إنه سحب قواته من المدينة."),
    ("The United Nations called for an immediate ceasefire.", "دعت الأمم المتحدة إلى وقف فوري لإطلاق النار."),
    ("The president will visit Baghdad next month.", "سيزور الرئيس بغداد الشهر المقبل."),
    ("Protesters gathered in the capital on Friday.", "تجمع محتجون في العاصمة يوم الجمعة."),
    ("The minister said the economy grew by three percent.", "قال الوزير إن الاقتصاد نما بنسبة ثلاثة في المئة."),
    ("The talks ended without an agreement.", "انتهت المحادثات دون التوصل إلى اتفاق."),
    ("The king received the prime minister in Amman.", "استقبل الملك رئيس الوزراء في عمان."),
    ("Rescue teams searched for survivors on Thursday.", "بحثت فرق الإنقاذ عن ناجين يوم الخميس."),
    ("The election will be held in March.", "ستجرى الانتخابات في مارس."),
    ("The foreign ministry summoned the ambassador.", "استدعت وزارة الخارجية السفير."),
    ("The company said profits fell in the second quarter.", "قالت الشركة إن الأرباح تراجعت في الربع الثاني."),
    ("Security forces arrested five suspects.", "اعتقلت قوات الأمن خمسة مشتبه بهم."),
    ("The president met the prime minister in Beirut on Sunday.", "التقى الرئيس رئيس الوزراء في بيروت يوم الأحد."),
    ("The minister arrived in Riyadh on Saturday.", "وصل الوزير إلى الرياض يوم السبت."),
    ("The government announced new measures on Monday.", "أعلنت الحكومة إجراءات جديدة يوم الاثنين."),
    ("The two sides agreed to continue the talks.", "اتفق الجانبان على مواصلة المحادثات."),
    ("The foreign minister said the visit was important.", "قال وزير الخارجية إن الزيارة مهمة."),
    ("Prices rose by five percent last year.", "ارتفعت الأسعار بنسبة خمسة في المئة العام الماضي."),
    ("The army announced the death of two soldiers.", "أعلن الجيش مقتل جنديين."),
    ("The meeting was held in Doha on Tuesday.", "عقد الاجتماع في الدوحة يوم الثلاثاء."),
    ("The president called for calm.", "دعا الرئيس إلى الهدوء."),
    ("The parliament approved the budget on Wednesday.", "وافق البرلمان على الميزانية يوم الأربعاء."),
    ("The spokesman said the talks were positive.", "قال المتحدث إن المحادثات كانت إيجابية."),
    ("The minister met the ambassador in Damascus.", "التقى الوزير السفير في دمشق."),
    ("Oil prices fell on Thursday.", "تراجعت أسعار النفط يوم الخميس."),
    ("The United Nations said aid reached the city.", "قالت الأمم المتحدة إن المساعدات وصلت إلى المدينة."),
    ("The prime minister will visit Cairo next week.", "سيزور رئيس الوزراء القاهرة الأسبوع المقبل."),
    ("Reuters could not independently verify the report.", "لم يتسن لرويترز التحقق من التقرير بشكل مستقل."),
    ("The government said the situation was calm.", "قالت الحكومة إن الوضع هادئ."),
    ("The king called for dialogue.", "دعا الملك إلى الحوار."),
    ("The foreign minister met the president in Baghdad on Friday.", "التقى وزير الخارجية الرئيس في بغداد يوم الجمعة."),
    ("The bank said the economy would grow next year.", "قال البنك إن الاقتصاد سينمو العام المقبل."),
    ("The ministry said ten people were injured.", "قالت الوزارة إن عشرة أشخاص أصيبوا."),
)

_SPECIALS = ("<unk>", "<s>", "</s>", "<pad>")


def train_spm(sentences: Sequence[str], vocab_size: int = 200) -> bytes:
    """A unigram sentencepiece model (serialized) trained in memory on ``sentences``.

    ``hard_vocab_limit=False`` lets sentencepiece stop below ``vocab_size`` when a few
    dozen sentences cannot fill it. Normalisation is the default ``nmt_nfkc``, as in the
    OPUS-MT models, so offsets are exercised through a normalising tokenizer.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=buf,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))]


def build_tiny_marian_hf(
    hf_dir: Path,
    pairs: Sequence[tuple[str, str]] = PAIRS,
    *,
    train_steps: int = 120,
    seed: int = 0,
    d_model: int = 32,
    layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    vocab_size: int = 200,
) -> Path:
    """Write a tiny Transformers ``MarianMTModel`` + ``MarianTokenizer`` folder to ``hf_dir``."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    hf_dir = Path(hf_dir)
    hf_dir.mkdir(parents=True, exist_ok=True)
    src_spm = train_spm([s for s, _ in pairs], vocab_size)
    tgt_spm = train_spm([t for _, t in pairs], vocab_size)
    (hf_dir / "source.spm").write_bytes(src_spm)
    (hf_dir / "target.spm").write_bytes(tgt_spm)

    # OPUS-MT's vocab.json: </s> 0, <unk> 1, pieces, <pad> last (the converter drops a
    # trailing <pad> because CTranslate2 starts the decoder from a zero embedding instead).
    tokens = ["</s>", "<unk>"]
    seen = set(tokens)
    for piece in _pieces(src_spm) + _pieces(tgt_spm):
        if piece not in seen and piece not in _SPECIALS:
            seen.add(piece)
            tokens.append(piece)
    tokens.append("<pad>")
    vocab = {tok: i for i, tok in enumerate(tokens)}
    (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    pad_id = vocab["<pad>"]

    with warnings.catch_warnings():
        # It asks for sacremoses (punctuation normalisation), which these tests do not use.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            source_spm=str(hf_dir / "source.spm"),
            target_spm=str(hf_dir / "target.spm"),
            vocab=str(hf_dir / "vocab.json"),
            source_lang="en",
            target_lang="ar",
        )
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=256,
        pad_token_id=pad_id,
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=pad_id,
        forced_eos_token_id=vocab["</s>"],
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if train_steps:
        _train(model, tokenizer, pairs, train_steps)
    with torch.no_grad():
        model.get_input_embeddings().weight[pad_id].zero_()
        # <pad> is not in CTranslate2's vocabulary (the converter drops it): keep it out of
        # Transformers' softmax too, so that both give the same log-probabilities.
        model.final_logits_bias[:, pad_id] = -1e9
    model.eval()
    model.save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)
    return hf_dir


def _train(model, tokenizer, pairs, steps: int) -> None:
    """Full-batch Adam steps: 120 bring the loss from ~5.9 to ~0.05 in about 4 s, so the
    model clearly prefers a sentence's own translation to another sentence's."""
    import torch

    batch = tokenizer(
        [s for s, _ in pairs], text_target=[t for _, t in pairs], return_tensors="pt", padding=True
    )
    labels = batch["labels"].clone()
    labels[labels == model.config.pad_token_id] = -100
    batch["labels"] = labels
    pad = model.config.pad_token_id
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    model.train()
    # The tensors are tiny: thread hand-offs cost more than they save, and one thread is not
    # slowed down much by whatever else runs on the machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for _ in range(steps):
            optimizer.zero_grad()
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            # The output projection shares the embedding matrix, so the <pad> row gets
            # gradient through the softmax although <pad> is never an input there. Keep it
            # zero: the decoder starts from the <pad> embedding in Transformers and from a
            # zero vector in CTranslate2 (which drops <pad>), as with real OPUS-MT models.
            with torch.no_grad():
                model.get_input_embeddings().weight[pad].zero_()
    finally:
        torch.set_num_threads(threads)


def build_tiny_marian(
    directory: Path | str,
    *,
    quantization: str = "int8",
    pairs: Sequence[tuple[str, str]] = PAIRS,
    train_steps: int = 120,
    seed: int = 0,
) -> Path:
    """Build (or reuse) the tiny model under ``directory`` and return a CTranslate2 folder.

    The Transformers model lives in ``directory/hf``; the converted model in
    ``directory/ct2-<quantization>`` holds ``model.bin``, ``config.json``, the shared
    vocabulary and the copied ``source.spm``/``target.spm``.
    """
    from mtaudit.scorers.mt.convert import convert_model

    directory = Path(directory)
    hf_dir = directory / "hf"
    if not (hf_dir / "config.json").is_file():
        build_tiny_marian_hf(hf_dir, pairs, train_steps=train_steps, seed=seed)
    out = directory / f"ct2-{quantization}"
    if not (out / "model.bin").is_file():
        convert_model(str(hf_dir), out, quantization=quantization, force=True)
    return out


def build_tiny_nllb(directory: Path | str, *, quantization: str = "int8", pairs: Sequence[tuple[str, str]] = PAIRS, seed: int = 0) -> Path:
    """A tiny NLLB-layout model (M2M-100 architecture, ``NllbTokenizer``), untrained.

    One ``sentencepiece.bpe.model`` trained on both sides of ``pairs`` (ids as in NLLB:
    ``<unk>`` 0, ``<s>`` 1, ``</s>`` 2, which the tokenizer shifts by one), NLLB's ~200
    language-code tokens, random weights. It exercises the shared-tokenizer layout and the
    language tokens (``eng_Latn`` before the source, ``arb_Arab`` starting the target);
    its likelihoods mean nothing. Returns the converted folder ``directory/ct2-<quantization>``.
    """
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    from mtaudit.scorers.mt.convert import convert_model

    directory = Path(directory)
    hf_dir = directory / "hf"
    if not (hf_dir / "config.json").is_file():
        hf_dir.mkdir(parents=True, exist_ok=True)
        model_file = hf_dir / "sentencepiece.bpe.model"
        model_file.write_bytes(train_spm([s for p in pairs for s in p], 300))
        tokenizer = NllbTokenizer(vocab_file=str(model_file), src_lang="eng_Latn", tgt_lang="arb_Arab")
        config = M2M100Config(
            vocab_size=len(tokenizer),
            d_model=32,
            encoder_layers=2,
            decoder_layers=2,
            encoder_attention_heads=2,
            decoder_attention_heads=2,
            encoder_ffn_dim=64,
            decoder_ffn_dim=64,
            max_position_embeddings=256,
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            decoder_start_token_id=tokenizer.eos_token_id,
            dropout=0.0,
            scale_embedding=True,
        )
        torch.manual_seed(seed)
        model = M2M100ForConditionalGeneration(config).eval()
        model.save_pretrained(hf_dir)
        tokenizer.save_pretrained(hf_dir)
    out = directory / f"ct2-{quantization}"
    if not (out / "model.bin").is_file():
        convert_model(str(hf_dir), out, quantization=quantization, force=True)
    return out
