"""Build a tiny but real COMET model on disk, laid out like one from ``comet.download_model``.

No model hub is reachable on the machines mtaudit is tested on, so the tests (and the
COMET benchmark) make their own model of the same kind: a sentencepiece unigram model
trained here on a few dozen English and Arabic news sentences, wrapped as an XLM-R
tokenizer; an XLM-R config; and a COMET estimator (``RegressionMetric``,
``ReferencelessRegression`` or a word-level ``UnifiedMetric``) with random weights,
saved as a Lightning checkpoint next to its ``hparams.yaml``::

    <dir>/tiny-encoder/            tokenizer files + config.json (what hparams' pretrained_model names)
    <dir>/<name>/hparams.yaml
    <dir>/<name>/checkpoints/model.ckpt

The scores such a model gives mean nothing; loading and scoring it runs exactly the code
a downloaded ``Unbabel/wmt22-comet-da`` runs. Requires the ``comet`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

#: English and Arabic wire-copy sentences the tokenizer is trained on (and tests may reuse).
SENTENCES_EN = [
    "The president met the foreign minister in Cairo on Monday.",
    "Oil prices rose two percent after the OPEC meeting in Vienna.",
    "The United Nations called for an immediate ceasefire in Gaza.",
    "Police said three people were killed in the explosion.",
    "The central bank kept interest rates unchanged at 5.5 percent.",
    "Talks between the two delegations will resume next week in Doha.",
    "The prime minister announced a new cabinet on Thursday evening.",
    "Heavy rain caused flooding in several southern provinces.",
    "The company reported a net profit of 120 million dollars.",
    "Protesters gathered outside the parliament building in Beirut.",
    "The army said it had intercepted two drones over the border.",
    "Saudi Arabia and the United Arab Emirates signed a trade agreement.",
    "The minister told reporters that the negotiations were difficult.",
    "Schools will reopen on Sunday after a two-week closure.",
    "The football match ended in a goalless draw in Riyadh.",
    "An earthquake of magnitude 5.8 struck eastern Turkey on Friday.",
    "The king received the visiting delegation at the royal palace.",
    "Inflation slowed to 3.1 percent in October, official data showed.",
    "The court sentenced the former official to five years in prison.",
    "Rescue teams are still searching for survivors under the rubble.",
]
SENTENCES_AR = [
    "التقى الرئيس وزير الخارجية في القاهرة يوم الاثنين.",
    "ارتفعت أسعار النفط اثنين في المئة بعد اجتماع أوبك في فيينا.",
    "دعت الأمم المتحدة إلى وقف فوري لإطلاق النار في غزة.",
    "قالت الشرطة إن ثلاثة أشخاص قتلوا في الانفجار.",
    "أبقى البنك المركزي أسعار الفائدة دون تغيير عند 5.5 في المئة.",
    "ستستأنف المحادثات بين الوفدين الأسبوع المقبل في الدوحة.",
    "أعلن رئيس الوزراء حكومة جديدة مساء الخميس.",
    "تسببت الأمطار الغزيرة في فيضانات في عدة محافظات جنوبية.",
    "أعلنت الشركة عن صافي ربح قدره 120 مليون دولار.",
    "تجمع المحتجون خارج مبنى البرلمان في بيروت.",
    "قال الجيش إنه اعترض طائرتين مسيرتين فوق الحدود.",
    "وقعت السعودية والإمارات العربية المتحدة اتفاقية تجارية.",
    "قال الوزير للصحفيين إن المفاوضات كانت صعبة.",
    "ستعيد المدارس فتح أبوابها يوم الأحد بعد إغلاق دام أسبوعين.",
    "انتهت مباراة كرة القدم بالتعادل السلبي في الرياض.",
    "ضرب زلزال بقوة 5.8 درجات شرق تركيا يوم الجمعة.",
    "استقبل الملك الوفد الزائر في القصر الملكي.",
    "تباطأ التضخم إلى 3.1 في المئة في أكتوبر بحسب بيانات رسمية.",
    "حكمت المحكمة على المسؤول السابق بالسجن خمس سنوات.",
    "لا تزال فرق الإنقاذ تبحث عن ناجين تحت الأنقاض.",
]

ENCODER_DIRNAME = "tiny-encoder"


def build_tiny_encoder(
    directory: Path,
    *,
    vocab_size: int = 320,
    hidden_size: int = 32,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 64,
    embedding_rows: int | None = None,
    max_position_embeddings: int = 130,
    corpus: Sequence[str] | None = None,
) -> Path:
    """Write an XLM-R tokenizer (slow and fast) and config into ``directory``; return it.

    ``embedding_rows`` sets the config's ``vocab_size`` (the embedding matrix) when it should
    be larger than the tokenizer, e.g. 250002 to give a benchmark model xlm-roberta-large's
    memory footprint with a small trained vocabulary. ``corpus`` replaces the built-in
    sentences as the tokenizer's training text (a benchmark wants realistic subword
    counts, which a few dozen sentences cannot give). No encoder weights are written:
    COMET loads a checkpoint with ``load_pretrained_weights=False``, so only the config and
    tokenizer of ``pretrained_model`` are read, and the weights come from the checkpoint.
    """
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaTokenizer, XLMRobertaTokenizerFast

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lines = list(corpus) if corpus is not None else SENTENCES_EN + SENTENCES_AR
    corpus_file = directory / "corpus.txt"
    corpus_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prefix = directory / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus_file),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        # A few dozen sentences may not support the requested size; take what they give.
        hard_vocab_limit=False,
        # XLM-R's own layout of the sentencepiece model: <unk>=0, <s>=1, </s>=2, no <pad>
        # (the HF tokenizer adds the fairseq offset and <pad>/<mask> itself).
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
        num_threads=1,
    )
    slow = XLMRobertaTokenizer(vocab_file=str(prefix) + ".model")
    slow.save_pretrained(directory)
    # comet's XLMREncoder loads XLMRobertaTokenizerFast; saving tokenizer.json spares a
    # slow->fast conversion (which needs protobuf) at every load.
    XLMRobertaTokenizerFast(vocab_file=str(prefix) + ".model").save_pretrained(directory)
    config = XLMRobertaConfig(
        vocab_size=embedding_rows or len(slow),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=intermediate_size,
        max_position_embeddings=max_position_embeddings,
        type_vocab_size=1,
        pad_token_id=slow.pad_token_id,
        bos_token_id=slow.bos_token_id,
        eos_token_id=slow.eos_token_id,
    )
    config.save_pretrained(directory)
    corpus_file.unlink()
    return directory


def _write_checkpoint(model: Any, model_dir: Path) -> Path:
    """Save ``model`` as ``model_dir/checkpoints/model.ckpt`` + ``model_dir/hparams.yaml``.

    The checkpoint holds what Lightning's ``load_from_checkpoint`` reads (state dict,
    hyper-parameters, Lightning version), so it loads like a released COMET checkpoint.
    """
    import pytorch_lightning as pl
    import torch
    import yaml

    hparams = dict(model.hparams)
    (model_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
    ckpt = model_dir / "checkpoints" / "model.ckpt"
    torch.save(
        {
            "state_dict": model.state_dict(),
            "hyper_parameters": hparams,
            "pytorch-lightning_version": pl.__version__,
            "epoch": 0,
            "global_step": 0,
        },
        ckpt,
    )
    (model_dir / "hparams.yaml").write_text(yaml.safe_dump(hparams, sort_keys=True), encoding="utf-8")
    return ckpt


def build_tiny_comet(
    directory: Path,
    referenceless: bool = False,
    *,
    name: str | None = None,
    word_level: bool = False,
    encoder: Path | None = None,
    hidden_sizes: tuple[int, ...] = (16,),
    layer: str | int = "mix",
    layer_transformation: str = "softmax",
    seed: int = 0,
    encoder_kwargs: dict[str, Any] | None = None,
    model_kwargs: dict[str, Any] | None = None,
) -> Path:
    """Build a tiny COMET model under ``directory`` and return its folder (``<dir>/<name>``).

    ``referenceless=False`` gives a ``RegressionMetric`` (like wmt22-comet-da: source,
    translation and reference), ``True`` a ``ReferencelessRegression`` (QE: source and
    translation). ``word_level=True`` instead gives a ``UnifiedMetric`` with a word-level
    tagger over minor/major/critical, which returns error spans like XCOMET (QE input
    ``[mt, src]``). The encoder (tokenizer + config) is built once in
    ``<dir>/tiny-encoder`` and shared, unless ``encoder`` names another folder;
    ``encoder_kwargs`` go to :func:`build_tiny_encoder`, ``model_kwargs`` to the COMET
    class (e.g. ``layer_norm``). Weights are random, seeded by ``seed``, so the same call
    builds the same model.
    """
    import torch
    from comet.models import ReferencelessRegression, RegressionMetric, UnifiedMetric

    directory = Path(directory)
    if encoder is None:
        encoder = directory / ENCODER_DIRNAME
        if not (encoder / "config.json").is_file():
            build_tiny_encoder(encoder, **(encoder_kwargs or {}))
    encoder = Path(encoder).resolve()
    if name is None:
        name = "tiny-xcomet-qe" if word_level else ("tiny-cometkiwi" if referenceless else "tiny-comet-da")
    common = dict(
        encoder_model="XLM-RoBERTa",
        pretrained_model=str(encoder),
        # Random encoder from the config: there are no pretrained weights to load, and a
        # released checkpoint's own weights replace them anyway.
        load_pretrained_weights=False,
        local_files_only=True,
        hidden_sizes=list(hidden_sizes),
        layer_transformation=layer_transformation,
        # The defaults (0.3 frozen epochs, frozen embeddings) only matter for training.
        nr_frozen_epochs=0.0,
        keep_embeddings_frozen=False,
        dropout=0.0,
    )
    common.update(model_kwargs or {})
    torch.manual_seed(seed)
    if word_level:
        num_layers = int((encoder_kwargs or {}).get("num_layers", 2))
        model = UnifiedMetric(
            **common,
            sent_layer=layer,
            word_layer=num_layers,  # the last hidden layer (0 is the embeddings)
            input_segments=["mt", "src"],
            word_level_training=True,
            error_labels=["minor", "major", "critical"],
        )
        # Make the random tagger flag roughly half of the subwords so that spans open and
        # close: argmax over [O, minor, major, critical] with a bias on "O".
        with torch.no_grad():
            model.hidden2tag.bias.copy_(torch.tensor([0.5, 0.0, 0.0, 0.0]))
    else:
        cls = ReferencelessRegression if referenceless else RegressionMetric
        model = cls(**common, layer=layer)
    model.eval()
    return _write_checkpoint(model, directory / name).parents[1]
