"""Loading a converted CTranslate2 model folder and its tokenizers (see :mod:`mtaudit.scorers.mt`).

ctranslate2 and sentencepiece are the ``mt`` extra; without them loading raises
:class:`~mtaudit.scorers.ModelUnavailable` naming the extra, which the CLI turns into exit 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from ...install_hints import extra
from .. import ModelUnavailable, sampled_digest
from .model import MTModel
from .tokens import DEFAULT_IMPROBABLE_LOGPROB

#: What to install when the back-end is missing (the message of ModelUnavailable).
MT_EXTRA = f"{extra('mt')} (ctranslate2 and sentencepiece)"


def backend():
    """(ctranslate2, sentencepiece), or ModelUnavailable naming the extra that provides them."""
    try:
        import ctranslate2
        import sentencepiece
    except ImportError as e:
        raise ModelUnavailable(f"--mt-model and --back-model need the mt extra: {MT_EXTRA} ({e})") from e
    return ctranslate2, sentencepiece

HOW_TO_GET = (
    "convert a Hugging Face model folder with `mtaudit models convert MODEL_DIR OUTPUT_DIR` "
    "(e.g. a local copy of Helsinki-NLP/opus-mt-en-ar or facebook/nllb-200-distilled-600M); "
    "see 'MT model' in the README"
)

MARIAN_FILES = ("source.spm", "target.spm")
SHARED_SPM = "sentencepiece.bpe.model"
#: Tokenizer files convert_model copies next to model.bin when the input has them.
TOKENIZER_FILES = (*MARIAN_FILES, SHARED_SPM)

_COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                  "int16", "float16", "bfloat16", "float32")
_LFS_POINTER = b"version https://git-lfs"

#: Other spellings of NLLB language codes: M2M-100's and mBART-50's.
_CODE_ALIASES = {
    "eng_Latn": ("__en__", "en_XX"),
    "arb_Arab": ("__ar__", "ar_AR"),
}
#: OPUS-MT multi-target language tokens tried for a target language, in order.
_MARIAN_TARGET_TOKENS = {
    "arb_Arab": (">>arb<<", ">>ara<<"),
    "eng_Latn": (">>eng<<",),
}


def model_digest(path: Path) -> str:
    """First 16 hex digits of sha256 over model.bin's size, first MiB and last MiB. (:func:`mtaudit.scorers.sampled_digest`)."""
    return sampled_digest(path, 16)


def _read_vocabulary(folder: Path, side: str) -> set[str] | None:
    """The model's vocabulary for ``side`` ("source"/"target"), or None if not stored apart.

    Converters write ``shared_vocabulary.json`` (or ``source_``/``target_vocabulary``;
    ``.txt`` with one token a line in older versions). Very old models keep it inside
    model.bin; then language-token checks are skipped.
    """
    for stem in (f"{side}_vocabulary", "shared_vocabulary"):
        js, txt = folder / f"{stem}.json", folder / f"{stem}.txt"
        try:
            if js.is_file():
                return set(json.loads(js.read_text(encoding="utf-8")))
            if txt.is_file():
                return set(txt.read_text(encoding="utf-8").splitlines())
        except (OSError, ValueError) as e:
            raise ModelUnavailable(f"cannot read the vocabulary of the MT model in {folder}: {e}") from e
    return None


def _unavailable(path: Path, what: str) -> ModelUnavailable:
    return ModelUnavailable(f"MT model {path}: {what}; {HOW_TO_GET}")


def _load_spm(file: Path):
    try:
        head = file.read_bytes()[: len(_LFS_POINTER)]
        if head == _LFS_POINTER:
            raise ModelUnavailable(f"MT model tokenizer {file} is a Git LFS pointer, not the file: run `git lfs pull` in its folder")
        return backend()[1].SentencePieceProcessor(model_file=str(file))
    except ModelUnavailable:
        raise
    except Exception as e:  # sentencepiece raises OSError/RuntimeError for unreadable models
        raise ModelUnavailable(f"cannot read the sentencepiece model {file}: {e}; {HOW_TO_GET}") from e


def _pick(candidates: Sequence[str], vocab: set[str] | None) -> str | None:
    if vocab is None:
        return candidates[0]
    return next((c for c in candidates if c in vocab), None)


def _language_tokens(
    path: Path, layout: str, src_lang: str, tgt_lang: str, target_token: str | None
) -> tuple[list[str], list[str]]:
    """Source prefix and target prefix tokens for the layout and direction."""
    if layout == "shared":
        src_vocab = _read_vocabulary(path, "source")
        tgt_vocab = _read_vocabulary(path, "target")
        src = _pick((src_lang, *_CODE_ALIASES.get(src_lang, ())), src_vocab)
        tgt = _pick((target_token or tgt_lang, *_CODE_ALIASES.get(tgt_lang, ())), tgt_vocab)
        for lang, tok in ((src_lang, src), (tgt_lang, tgt)):
            if tok is None:
                raise ModelUnavailable(
                    f"MT model {path} has {SHARED_SPM} (NLLB layout) but no language token for {lang} "
                    f"in its vocabulary; pass the model's own code (src_lang/tgt_lang)"
                )
        return [src], [tgt]  # type: ignore[list-item]
    vocab = _read_vocabulary(path, "source")
    codes = sorted(t for t in vocab or () if t.startswith(">>") and t.endswith("<<"))
    if target_token:
        if vocab is not None and target_token not in vocab:
            raise ModelUnavailable(f"MT model {path}: target token {target_token} is not in its vocabulary")
        return [target_token], []
    if not codes:
        return [], []
    # A multi-target OPUS-MT model: the target language is chosen by a source prefix token.
    tok = _pick(_MARIAN_TARGET_TOKENS.get(tgt_lang, (f">>{tgt_lang.split('_')[0]}<<",)), set(codes))
    if tok is None:
        raise ModelUnavailable(
            f"MT model {path} is a multi-target OPUS-MT model without a token for {tgt_lang} "
            f"(it has {', '.join(codes[:12])}{' …' if len(codes) > 12 else ''}); pass target_token="
        )
    return [tok], []


def load_mt_model(
    path: str | os.PathLike,
    compute_type: str = "int8",
    threads: int | None = None,
    beam_size: int = 4,
    max_batch_tokens: int = 2048,
    *,
    src_lang: str = "eng_Latn",
    tgt_lang: str = "arb_Arab",
    target_token: str | None = None,
    improbable_logprob: float = DEFAULT_IMPROBABLE_LOGPROB,
    max_length_ratio: float = 2.0,
    device: str = "cpu",
) -> MTModel:
    """Load a converted CTranslate2 translation model from a local folder.

    The folder needs ``model.bin`` and ``config.json`` (as written by
    ``mtaudit models convert``) and the sentencepiece model(s): ``source.spm`` and
    ``target.spm`` (OPUS-MT/Marian) or ``sentencepiece.bpe.model`` (NLLB). ``compute_type``
    is what CTranslate2 is asked for (``int8`` default; ``float32`` for reference numbers);
    the one it actually uses is in :attr:`MTModel.compute_type` and the signature.
    ``threads`` (default: all CPUs) are CTranslate2's intra-op threads for one batch at a
    time. ``beam_size`` applies to :meth:`MTModel.translate`; ``max_batch_tokens`` bounds
    the tokens per batch of scoring and translation. ``src_lang``/``tgt_lang`` (NLLB codes)
    set the direction: swap them for an Arabic→English model. ``target_token`` forces the
    language token (e.g. ``>>ara<<``). ``improbable_logprob`` is the threshold for
    ``mt-improbable`` findings.

    Raises :class:`~mtaudit.scorers.ModelUnavailable` naming the path and the missing or
    unreadable file; ``ValueError`` for an unknown compute type.
    """
    ctranslate2, _ = backend()
    if compute_type not in _COMPUTE_TYPES:
        raise ValueError(f"unknown compute type {compute_type!r}; choose one of {', '.join(_COMPUTE_TYPES)}")
    if beam_size < 1 or max_batch_tokens < 1:
        raise ValueError("beam_size and max_batch_tokens must be at least 1")
    folder = Path(path).expanduser()
    if not folder.exists():
        raise _unavailable(folder, "no such folder")
    if not folder.is_dir():
        raise _unavailable(folder, "not a folder (give the folder holding model.bin)")
    model_bin = folder / "model.bin"
    if not model_bin.is_file():
        hint = ""
        if any((folder / f).is_file() for f in ("pytorch_model.bin", "model.safetensors", "decoder.yml")):
            hint = " (this looks like an unconverted Hugging Face or OPUS-MT model)"
        raise _unavailable(folder, f"model.bin is missing{hint}")
    if not (folder / "config.json").is_file():
        raise _unavailable(folder, "config.json is missing (copy it from the converter's output)")
    with open(model_bin, "rb") as f:
        if f.read(len(_LFS_POINTER)) == _LFS_POINTER:
            raise _unavailable(folder, "model.bin is a Git LFS pointer, not the weights (run `git lfs pull`)")

    if (folder / SHARED_SPM).is_file():
        layout = "shared"
        source_sp = target_sp = _load_spm(folder / SHARED_SPM)
    elif any((folder / f).is_file() for f in MARIAN_FILES):
        layout = "marian"
        for f in MARIAN_FILES:
            if not (folder / f).is_file():
                raise _unavailable(folder, f"{f} is missing (OPUS-MT models need source.spm and target.spm)")
        source_sp, target_sp = _load_spm(folder / "source.spm"), _load_spm(folder / "target.spm")
    else:
        extra = " (tokenizer.json alone is not enough: copy the sentencepiece model from the original model)" if (folder / "tokenizer.json").is_file() else ""
        raise _unavailable(
            folder,
            f"the tokenizer is missing: source.spm and target.spm (OPUS-MT/Marian) or {SHARED_SPM} (NLLB){extra}",
        )
    source_prefix, target_prefix = _language_tokens(folder, layout, src_lang, tgt_lang, target_token)

    try:
        translator = ctranslate2.Translator(
            str(folder),
            device=device,
            compute_type=compute_type,
            inter_threads=1,
            intra_threads=threads or os.cpu_count() or 1,
        )
    except Exception as e:  # a corrupt or foreign model.bin raises RuntimeError, UnicodeDecodeError, …
        raise ModelUnavailable(
            f"cannot load the CTranslate2 model {model_bin}: {type(e).__name__}: {e}; "
            f"the file may be corrupt, truncated or from a newer CTranslate2 (this is {ctranslate2.__version__}); "
            f"re-convert it with `mtaudit models convert` (see 'MT model' in the README)"
        ) from e
    return MTModel(
        folder,
        translator,
        source_sp,
        target_sp,
        layout=layout,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        source_prefix=source_prefix,
        target_prefix=target_prefix,
        requested_compute_type=compute_type,
        beam_size=beam_size,
        max_batch_tokens=max_batch_tokens,
        improbable_logprob=improbable_logprob,
        max_length_ratio=max_length_ratio,
        digest=model_digest(model_bin),
    )
