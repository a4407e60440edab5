"""Converting a Hugging Face translation model folder to CTranslate2 (``mtaudit models convert``).

Needs ctranslate2 (the ``mt`` extra) and, for the conversion itself, transformers and torch.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import regex

from ...install_hints import TORCH_CPU
from .load import MARIAN_FILES, MT_EXTRA, SHARED_SPM, TOKENIZER_FILES


class ModelConversionError(ValueError):
    """:func:`convert_model` could not convert: the message says why and what to do."""


#: Hub ids look like ``org/name`` or ``name``.
_MODEL_ID = regex.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")


def _resolve_model_input(model_name_or_path: str) -> Path:
    """The local folder to convert: the path itself, or a hub id's snapshot in the HF cache.

    Never downloads: a hub id that is not cached is an error saying how to get the folder.
    """
    path = Path(model_name_or_path).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelConversionError(f"{model_name_or_path} is a file; give the model's folder")
    if _MODEL_ID.fullmatch(model_name_or_path):
        try:
            import huggingface_hub

            return Path(huggingface_hub.snapshot_download(model_name_or_path, local_files_only=True))
        except Exception:  # not installed, not cached, or a malformed id: all mean "not here"
            pass
        raise ModelConversionError(
            f"{model_name_or_path} is neither a folder nor a model in the Hugging Face cache, and no model hub is "
            f"reachable here: download it on a machine with access (huggingface-cli download "
            f"{model_name_or_path} --local-dir DIR), copy DIR over and convert that"
        )
    raise ModelConversionError(f"no such model folder: {model_name_or_path}")


def convert_model(
    model_name_or_path: str,
    output_dir: str | os.PathLike,
    quantization: str = "int8",
    force: bool = False,
    copy_tokenizer: bool = True,
) -> Path:
    """Convert a translation model to CTranslate2 for mtaudit's MT-model scorer.

    MODEL is a local folder: a Hugging Face Transformers model (``config.json`` and
    weights, e.g. a download of Helsinki-NLP/opus-mt-en-ar, Helsinki-NLP/opus-mt-tc-big-en-ar
    or facebook/nllb-200-distilled-600M) or an original OPUS-MT release (unzipped, with
    ``decoder.yml``). A hub id works only if the model is already in the Hugging Face cache:
    no model hub is reachable here, so download the folder on a machine that has access
    (``huggingface-cli download Helsinki-NLP/opus-mt-en-ar --local-dir opus-mt-en-ar``) and
    copy it over.

    OUTPUT receives ``model.bin``, ``config.json`` and the vocabulary from CTranslate2's
    converter, plus the sentencepiece files scoring needs — ``source.spm`` and
    ``target.spm`` (OPUS-MT) or ``sentencepiece.bpe.model`` (NLLB) — copied from MODEL
    (CTranslate2 copies nothing by itself). QUANTIZATION is the stored weight type: int8
    (default, ~4× smaller, fastest on CPU) or float32 (reference numbers), or any other
    CTranslate2 type. OUTPUT must not exist unless FORCE, and must not be or contain MODEL.
    Converting a Transformers model needs ``transformers`` and ``torch``; using the
    converted model needs neither.

    Returns the output folder. Raises :class:`ModelConversionError` (a ``ValueError``) with
    the reason: missing folder or tokenizer, existing output, unsupported model, missing
    packages.
    """
    try:
        import ctranslate2
        from ctranslate2.specs.model_spec import ACCEPTED_MODEL_TYPES
    except ImportError as e:
        raise ModelConversionError(f"converting needs ctranslate2: {MT_EXTRA} ({e})") from e

    if quantization not in ACCEPTED_MODEL_TYPES:
        raise ModelConversionError(f"unknown quantization {quantization!r}; choose one of {', '.join(ACCEPTED_MODEL_TYPES)}")
    out = Path(output_dir).expanduser()
    src = _resolve_model_input(model_name_or_path)
    if out.exists() and not force:
        raise ModelConversionError(f"output folder {out} already exists; use --force to replace it")
    if out.exists() and not out.is_dir():
        raise ModelConversionError(f"output {out} exists and is not a folder")
    rs, ro = src.resolve(), out.resolve()
    if rs == ro or ro in rs.parents:
        # The converter deletes OUTPUT before writing: it must not hold the input.
        raise ModelConversionError(f"output folder {out} is or contains the input model {src}; choose another")

    tokenizer_files: list[Path] = []
    if copy_tokenizer:
        tokenizer_files = [src / f for f in TOKENIZER_FILES if (src / f).is_file()]
        if not tokenizer_files:
            raise ModelConversionError(
                f"{src} has no sentencepiece model to copy (source.spm + target.spm for OPUS-MT, "
                f"{SHARED_SPM} for NLLB); scoring needs it. Add it to the folder, or pass "
                f"copy_tokenizer=False (--no-copy-tokenizer) and copy it into {out} yourself"
            )
        names = {p.name for p in tokenizer_files}
        if names & set(MARIAN_FILES) and not set(MARIAN_FILES) <= names:
            missing = next(iter(set(MARIAN_FILES) - names))
            raise ModelConversionError(f"{src} has {', '.join(sorted(names))} but not {missing}; OPUS-MT models need both")

    opus_mt = (src / "decoder.yml").is_file() and not (src / "config.json").is_file()
    if not opus_mt:
        if not (src / "config.json").is_file():
            raise ModelConversionError(
                f"{src} is not a Transformers model (no config.json) nor an OPUS-MT release (no decoder.yml)"
            )
        try:
            import torch  # noqa: F401  (the converter needs both and fails obscurely without them)
            import transformers  # noqa: F401
        except ImportError as e:
            raise ModelConversionError(
                f"converting a Transformers model needs transformers and torch ({e}); "
                f"pip install transformers, torch first ({TORCH_CPU})"
            ) from e
    try:
        if opus_mt:
            # The Marian converter has no copy_files: the tokenizers are copied afterwards.
            converter = ctranslate2.converters.OpusMTConverter(str(src))
        else:
            converter = ctranslate2.converters.TransformersConverter(
                str(src), copy_files=[p.name for p in tokenizer_files] or None
            )
        with warnings.catch_warnings():
            # MarianTokenizer asks for sacremoses, whose normalizer conversion never uses.
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter.convert(str(out), quantization=quantization, force=force)
    except Exception as e:
        raise ModelConversionError(f"cannot convert {src}: {type(e).__name__}: {e}") from e
    if opus_mt:
        for f in tokenizer_files:
            shutil.copy2(f, out / f.name)
    return out
