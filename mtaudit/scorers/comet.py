"""COMET segment scores with unbabel-comet, loaded offline from a local checkpoint.

``load_comet(model)`` takes a checkpoint file, a model folder (``hparams.yaml`` +
``checkpoints/model.ckpt``, the layout ``comet.download_model`` produces) or a model id
such as ``Unbabel/wmt22-comet-da`` that is already in the Hugging Face cache
(``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else ``~/.cache/huggingface/hub``) or, for the
legacy names comet downloads from its own bucket (``wmt20-comet-da``), in
``~/.cache/torch/unbabel_comet``. Nothing is ever downloaded: a model or encoder that is
not on disk raises :class:`~mtaudit.scorers.ModelUnavailable` saying which file was looked
for and how to get it onto the machine.

A COMET checkpoint holds the estimator and the encoder weights, but the encoder's
tokenizer and config are read from the model named by ``pretrained_model`` in the model's
``hparams.yaml`` (``xlm-roberta-large`` for wmt22-comet-da, ``microsoft/infoxlm-large``
for wmt22-cometkiwi-da): that one must be in the Hugging Face cache too, under the very
id written there, or ``pretrained_model`` must name a local folder holding its
``config.json`` and tokenizer files. ``hparams.yaml`` is authoritative (the model is loaded
with ``reload_hparams=True``), so editing ``pretrained_model`` there is how a model is
pointed at a local encoder.

Scores go in the ``comet`` column for models that use references and ``comet_qe`` for
reference-free (QE) models, so both can run in one audit. Models with a word-level tagger
(XCOMET, word-level unified models) also return error spans, which become findings of the
check ``comet-error-span``. Inference runs on the CPU, in full precision unless int8 is
asked for (``load_comet(quantize=True)``). Regression models are scored without COMET's
``predict`` and its Lightning Trainer, to the same scores (``CometScorer._embed_and_estimate``).
Inputs longer than the encoder's 512 positions are truncated by COMET itself, so align to
sentences first.

Install with ``pip install torch==2.13.0`` and then ``pip install 'mtaudit[comet]'``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import Any, Iterator

from ..install_hints import with_torch
from . import ModelUnavailable, ScorerOutput, ScoringUnit, sampled_digest

INSTALL_HINT = f"install the comet extra: {with_torch('comet')}"

#: Loggers that chatter at INFO during load and predict ("GPU available: False", tips).
_NOISY_LOGGERS = ("pytorch_lightning", "lightning", "lightning_fabric", "lightning.pytorch", "comet")
#: Warnings raised from these modules during predict are about Lightning's own
#: configuration (no workers, deprecated tree specs), not about the scores.
_NOISY_WARNING_MODULES = r"(pytorch_lightning|lightning_fabric|lightning|torchmetrics|comet)(\.|$)"

#: The error-span severities COMET (XCOMET) reports; anything else is read as minor.
_SEVERITIES = ("minor", "major", "critical")

#: Hub ids look like ``org/name`` or ``name``; anything else that does not exist is a path.
_MODEL_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")

#: Files a local encoder folder or cache snapshot needs besides config.json: one tokenizer.
_TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.txt", "tokenizer.model")

_LFS_POINTER = b"version https://git-lfs"


# --------------------------------------------------------------------------- imports


def _import_comet() -> Any:
    """Import unbabel-comet without letting it configure logging for the whole process.

    ``comet/__init__.py`` calls ``logging.basicConfig(level=INFO)``, which would add a root
    handler and make every library's INFO messages appear; the root logger is restored.
    """
    if "comet" in sys.modules and hasattr(sys.modules["comet"], "load_from_checkpoint"):
        return sys.modules["comet"]
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with warnings.catch_warnings():
            # torchmetrics 0.10 (pinned by comet) imports pkg_resources, deprecated by setuptools.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            import comet
    except ImportError as e:
        raise ModelUnavailable(f"COMET needs unbabel-comet and torch, which cannot be imported ({e}); {INSTALL_HINT}") from e
    except Exception as e:  # noqa: BLE001 - a broken install (version clash) says why
        raise ModelUnavailable(f"unbabel-comet failed to import: {type(e).__name__}: {e}; {INSTALL_HINT}") from e
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
    return comet


# --------------------------------------------------------------------------- locating models


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache as huggingface_hub computes it, read from the environment now."""
    env = os.environ
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if env.get(var):
            return Path(env[var]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def comet_legacy_cache_dir() -> Path:
    """Where ``comet.download_model`` unpacks the legacy (pre-hub) models; fixed in comet 2.2.7."""
    return Path.home() / ".cache" / "torch" / "unbabel_comet"


def _snapshots(repo_id: str, cache: Path) -> list[Path]:
    """Snapshot folders of a cached hub repo, the one ``refs/main`` points at first."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snaps = sorted((p for p in (repo / "snapshots").glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    main = repo / "refs" / "main"
    if main.is_file():
        head = main.read_text().strip()
        snaps.sort(key=lambda p: p.name != head)
    return snaps


def _get_hint(model_id: str) -> str:
    return (
        "mtaudit never downloads models. On a machine with internet access run\n"
        f"  python -c \"from comet import download_model, load_from_checkpoint; "
        f"load_from_checkpoint(download_model('{model_id}'))\"\n"
        "which puts the model and its encoder's tokenizer and config in ~/.cache/huggingface/hub; copy the "
        f"folders models--{model_id.replace('/', '--')} and models--<encoder> (xlm-roberta-large, or "
        f"microsoft/infoxlm-large for cometkiwi models) into {hub_cache_dir()} here. Or copy the model folder "
        "(the parent of checkpoints/ in the path download_model prints) anywhere and pass --comet PATH; its "
        "encoder must then be in the cache too, or hparams.yaml's pretrained_model must name a local folder "
        "with the encoder's config.json and tokenizer."
    )


def _find_in_caches(model_id: str) -> tuple[Path | None, list[str]]:
    """The cached checkpoint of a model id and the patterns that were looked for."""
    looked: list[str] = []
    cache = hub_cache_dir()
    looked.append(str(cache / f"models--{model_id.replace('/', '--')}" / "snapshots" / "*" / "checkpoints" / "model.ckpt"))
    for snap in _snapshots(model_id, cache):
        ckpt = snap / "checkpoints" / "model.ckpt"
        if ckpt.is_file():
            return ckpt, looked
    if "/" not in model_id:
        legacy = comet_legacy_cache_dir() / model_id / "checkpoints"
        looked.append(str(legacy / "*.ckpt"))
        found = sorted(legacy.glob("*.ckpt")) if legacy.is_dir() else []
        if found:
            return found[-1], looked
    return None, looked


def _checkpoint_in_folder(folder: Path) -> Path:
    """The checkpoint of a model folder, a hub snapshot or a hub repo folder (models--org--name)."""
    ckpt = folder / "checkpoints" / "model.ckpt"
    if ckpt.is_file():
        return ckpt
    others = sorted((folder / "checkpoints").glob("*.ckpt"))
    if len(others) == 1:
        return others[0]
    if len(others) > 1:
        raise ModelUnavailable(
            f"{folder / 'checkpoints'} holds several checkpoints ({', '.join(p.name for p in others)}); pass the one to use"
        )
    if folder.name.startswith("models--") and (folder / "snapshots").is_dir():
        repo_id = folder.name[len("models--") :].replace("--", "/")
        for snap in _snapshots(repo_id, folder.parent):
            if (snap / "checkpoints" / "model.ckpt").is_file():
                return snap / "checkpoints" / "model.ckpt"
    raise ModelUnavailable(
        f"no COMET checkpoint in {folder}: looked for {ckpt} (a COMET model folder holds hparams.yaml and "
        "checkpoints/model.ckpt, as comet.download_model leaves it)"
    )


def _read_hparams(hparams_file: Path) -> dict[str, Any]:
    try:
        import yaml
    except ImportError as e:
        raise ModelUnavailable(f"reading {hparams_file} needs PyYAML, which comes with unbabel-comet; {INSTALL_HINT}") from e
    try:
        data = yaml.safe_load(hparams_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ModelUnavailable(f"cannot read {hparams_file}: {e}") from e
    if not isinstance(data, dict):
        raise ModelUnavailable(f"{hparams_file} is not a COMET hparams file (expected a mapping of hyper-parameters)")
    return data


def check_encoder(pretrained_model: str, hparams_file: Path) -> Path:
    """The folder the encoder's config and tokenizer will be read from, or ModelUnavailable.

    ``pretrained_model`` is what hparams.yaml names: a local folder (absolute, or relative to
    the working directory, as transformers reads it) or a hub id that must be cached.
    """
    local = Path(pretrained_model).expanduser()
    if local.is_dir():
        missing = [] if (local / "config.json").is_file() else ["config.json"]
        if not any((local / f).is_file() for f in _TOKENIZER_FILES):
            missing.append(" or ".join(_TOKENIZER_FILES[:2]))
        if missing:
            raise ModelUnavailable(
                f"the encoder folder {local} named by pretrained_model in {hparams_file} lacks {', '.join(missing)}; "
                "save the encoder's config and tokenizer there (AutoConfig/AutoTokenizer .save_pretrained)"
            )
        return local
    if not _MODEL_ID.fullmatch(pretrained_model) or pretrained_model.startswith((".", "~")):
        raise ModelUnavailable(
            f"the encoder folder {local} named by pretrained_model in {hparams_file} does not exist; "
            "point pretrained_model at a folder with the encoder's config.json and tokenizer, or at a hub id "
            "(e.g. xlm-roberta-large) that is in the Hugging Face cache"
        )
    cache = hub_cache_dir()
    for snap in _snapshots(pretrained_model, cache):
        if (snap / "config.json").is_file() and any((snap / f).is_file() for f in _TOKENIZER_FILES):
            return snap
    pattern = cache / f"models--{pretrained_model.replace('/', '--')}" / "snapshots" / "*"
    raise ModelUnavailable(
        f"the COMET encoder '{pretrained_model}' (pretrained_model in {hparams_file}) is not available offline: "
        f"looked for {pattern}/config.json and a tokenizer file ({', '.join(_TOKENIZER_FILES[:2])}). "
        "On a machine with internet access run\n"
        f"  python -c \"from transformers import AutoConfig, AutoTokenizer; AutoConfig.from_pretrained('{pretrained_model}'); "
        f"AutoTokenizer.from_pretrained('{pretrained_model}')\"\n"
        f"and copy ~/.cache/huggingface/hub/models--{pretrained_model.replace('/', '--')} into {cache} "
        "(the cache folder must carry the id exactly as hparams.yaml writes it), or save both with "
        f".save_pretrained(FOLDER) and set pretrained_model: FOLDER in {hparams_file}."
    )


def resolve_checkpoint(model: str) -> Path:
    """The COMET checkpoint ``model`` names, checked to be loadable offline.

    ``model`` is a checkpoint file, a model folder with ``checkpoints/model.ckpt`` (a hub
    snapshot or a ``models--org--name`` cache folder will do), or a model id looked up in
    the local caches. Beside the checkpoint, ``../hparams.yaml`` must exist and name an
    encoder (``pretrained_model``) whose config and tokenizer are on disk. Raises
    :class:`ModelUnavailable` naming what was looked for otherwise; never downloads.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        ckpt = _checkpoint_in_folder(path)
    elif path.is_file():
        ckpt = path
    elif _MODEL_ID.fullmatch(model) and not model.endswith(".ckpt"):
        found, looked = _find_in_caches(model)
        if found is None:
            raise ModelUnavailable(
                f"COMET model '{model}' is neither a local file or folder nor in the model cache: looked for "
                + " and ".join(looked)
                + ".\n"
                + _get_hint(model)
            )
        ckpt = found
    else:
        raise ModelUnavailable(
            f"COMET checkpoint {path.absolute()} does not exist (pass a model folder holding hparams.yaml and "
            "checkpoints/model.ckpt, a .ckpt file, or a cached model id such as Unbabel/wmt22-comet-da)"
        )
    ckpt = ckpt.absolute()
    try:
        with open(ckpt, "rb") as f:
            head = f.read(len(_LFS_POINTER))
    except OSError as e:
        raise ModelUnavailable(f"cannot read COMET checkpoint {ckpt}: {e}") from e
    if head == _LFS_POINTER:
        raise ModelUnavailable(
            f"{ckpt} is a Git LFS pointer, not the checkpoint: fetch the real file (git lfs pull, or download_model)"
        )
    hparams_file = ckpt.parents[1] / "hparams.yaml"
    if not hparams_file.is_file():
        raise ModelUnavailable(
            f"{hparams_file} is missing: COMET reads the model class and encoder from the hparams.yaml two levels "
            f"above the checkpoint ({ckpt}); keep the model folder as download_model leaves it"
        )
    hparams = _read_hparams(hparams_file)
    encoder = hparams.get("pretrained_model")
    if not encoder:
        raise ModelUnavailable(f"{hparams_file} names no encoder (pretrained_model)")
    check_encoder(str(encoder), hparams_file)
    return ckpt


def checkpoint_digest(path: Path) -> str:
    """First 12 hex digits of a sha256 over the file's size, first MiB and last MiB. (:func:`mtaudit.scorers.sampled_digest`)."""
    return sampled_digest(path, 12)


def _model_label(model: str, ckpt: Path) -> str:
    """A machine-independent name for the signature: the hub id, else the model folder's name."""
    if not Path(model).expanduser().exists():
        return model
    for parent in ckpt.parents:
        if parent.name.startswith("models--"):
            return parent.name[len("models--") :].replace("--", "/")
    return ckpt.parents[1].name


# --------------------------------------------------------------------------- scoring


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence Lightning/COMET INFO chatter and configuration warnings, for this block only."""
    # pytorch_lightning sets its own logger to INFO (with a handler of its own when the
    # root logger has none) at import; its children ("GPU available: False", tips) inherit.
    saved = []
    for name in _NOISY_LOGGERS:
        lg = logging.getLogger(name)
        saved.append((lg, lg.level))
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=_NOISY_WARNING_MODULES)
            warnings.filterwarnings("ignore", message=r".*(num_workers|LeafSpec|pkg_resources).*")
            yield
    finally:
        for lg, level in saved:
            lg.setLevel(level)


def _default_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _fold(text: str) -> str:
    """Text as COMET's decoded span shows it: NFKC (sentencepiece normalises so), without
    spaces (decoding re-spaces subwords and punctuation) or format characters (bidi marks)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def _place_span(target: str, span: dict[str, Any]) -> tuple[int, int] | None:
    """Where a COMET error span lies in ``target``, or None when it cannot be placed.

    COMET gives tokenizer character offsets plus the span's text decoded from its subwords.
    The offsets are trusted when the slice they cut agrees with the text (up to
    sentencepiece's NFKC normalisation and spacing), with surrounding spaces trimmed;
    otherwise the text is searched for in the target, nearest the reported start.
    """
    text = str(span.get("text") or "")
    try:
        s, e = int(span["start"]), int(span["end"])
    except (KeyError, TypeError, ValueError):
        s, e = -1, -1
    if 0 <= s < e <= len(target):
        while s < e and target[s].isspace():
            s += 1
        while e > s and target[e - 1].isspace():
            e -= 1
        if s < e and (not text.strip() or _fold(target[s:e]) == _fold(text)):
            return s, e
    needle = text.strip()
    if not needle:
        return None
    hits = [m.start() for m in re.finditer(re.escape(needle), target)]
    if not hits:
        return None
    best = min(hits, key=lambda i: abs(i - max(s, 0)))
    return best, best + len(needle)


class CometScorer:
    """A loaded COMET model that scores :class:`~mtaudit.scorers.ScoringUnit` lists.

    Create it with :func:`load_comet`. ``requires_references`` says whether units without
    a reference are skipped; ``column`` is ``comet`` (reference-based) or ``comet_qe``
    (reference-free), and ``name`` is the same, so a reference-based and a QE model can run
    side by side. Units with an empty target or without a source are always skipped.
    """

    name = "comet"

    def __init__(
        self,
        model: Any,
        checkpoint: Path,
        label: str,
        batch_size: int = 16,
        threads: int | None = None,
        fast: bool = True,
        quantized: bool = False,
    ) -> None:
        self.model = model
        self.checkpoint = checkpoint
        self.label = label
        self.batch_size = int(batch_size)
        self.threads = int(threads or _default_threads())
        self.requires_references = bool(model.requires_references())
        segments = list(getattr(model.hparams, "input_segments", None) or [])
        #: Models like XCOMET do not need references but use them when given.
        self.uses_references = self.requires_references or "ref" in segments
        self.column = "comet" if self.uses_references else "comet_qe"
        self.name = self.column
        self.digest = checkpoint_digest(checkpoint)
        self._fast_kind = _fast_kind(model)
        #: Score without ``predict`` (see :meth:`_embed_and_estimate`); only regression models can.
        self.fast = bool(fast) and self._fast_kind is not None
        #: The encoder's Linear layers are int8 (:func:`quantize_encoder`); part of the signature.
        self.quantized = bool(quantized)
        self.comet_version = getattr(sys.modules.get("comet"), "__version__", "?")
        import torch

        self.torch_version = torch.__version__

    def signature(self, refs: bool | None = None) -> str:
        """What determines the numbers: model, checkpoint hash, package versions, refs, batch."""
        refs = self.requires_references if refs is None else refs
        return (
            f"comet:{self.label}|ckpt_sha256:{self.digest}|comet:{self.comet_version}"
            f"|refs:{'yes' if refs else 'no'}|batch:{self.batch_size}|torch:{self.torch_version}"
            + ("|int8:yes" if self.quantized else "")
        )

    def _eligible(self, units: list[ScoringUnit]) -> tuple[list[ScoringUnit], bool]:
        ok = [u for u in units if u.target.strip() and u.source and u.source.strip()]
        if self.requires_references:
            return [u for u in ok if u.reference and u.reference.strip()], True
        # A model that can use references (XCOMET) gets them only if every unit has one, so
        # that all its scores in a delivery are of one kind.
        refs = self.uses_references and bool(ok) and all(u.reference and u.reference.strip() for u in ok)
        return ok, refs

    def score(self, units: list[ScoringUnit]) -> ScorerOutput:
        """Score every eligible unit; error spans (XCOMET) become ``comet-error-span`` findings.

        Units are batched in order of length (less padding) and the scores mapped back to
        their keys. ``system`` holds the mean over the scored units, under the column name.
        """
        import torch

        todo, refs = self._eligible(units)
        out = ScorerOutput(signature=self.signature(refs))
        if not todo:
            return out

        def size(u: ScoringUnit) -> int:
            return len(u.source or "") + len(u.target) + (len(u.reference or "") if refs else 0)

        order = sorted(range(len(todo)), key=lambda i: size(todo[i]))
        samples = []
        for i in order:
            u = todo[i]
            sample = {"src": u.source, "mt": u.target}
            if refs:
                sample["ref"] = u.reference
            samples.append(sample)

        previous_threads = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            with _quiet():
                if self.fast:
                    scores, spans = self._embed_and_estimate(samples), None
                else:
                    scores, spans = self._predict(samples)
        finally:
            torch.set_num_threads(previous_threads)

        if len(scores) != len(samples):
            raise RuntimeError(f"COMET returned {len(scores)} scores for {len(samples)} segments")
        # Back from length order to the order the units came in.
        position = {i: pos for pos, i in enumerate(order)}
        for i, u in enumerate(todo):
            pos = position[i]
            out.scores[u.key] = {self.column: scores[pos]}
            if spans is not None:
                placed = self._placed_spans(u, spans[pos] or [])
                if placed:
                    out.signals[u.key] = {"error_spans": placed, "label": self.label}
        out.system[self.column] = sum(scores) / len(scores)
        return out

    def _predict(self, samples: list[dict[str, str]]) -> tuple[list[float], list[Any] | None]:
        """Scores (and XCOMET error spans) from unbabel-comet's own ``predict``, in sample order."""
        # Sorted by the caller, so COMET's own length batching (by source length only) is off
        # and predictions come back in the order of `samples`.
        pred = self.model.predict(
            samples,
            batch_size=self.batch_size,
            gpus=0,
            accelerator="cpu",
            progress_bar=False,
            num_workers=0,
            length_batching=False,
        )
        metadata = pred.get("metadata") if hasattr(pred, "get") else None
        spans = metadata["error_spans"] if metadata is not None and "error_spans" in metadata else None
        return [float(s) for s in pred["scores"]], spans

    def _embed_and_estimate(self, samples: list[dict[str, str]]) -> list[float]:
        """The scores ``predict`` gives, computed without it (regression models only).

        A regression model's score is its estimator applied to one sentence embedding per
        input (src, mt, ref), each computed on its own. So every distinct text is embedded
        once, in batches of texts of similar token length (less padding than predict's
        batches of whole segments sorted by source characters), calling the model's own
        ``compute_sentence_embedding`` under ``torch.inference_mode``, with no Lightning
        Trainer or DataLoader; then the model's estimator runs on the stacked embeddings.
        Same weights, same tokenisation: the scores agree with ``predict`` to float noise.
        """
        import torch

        model = self.model
        keys = ("src", "mt", "ref") if self._fast_kind == "ref" else ("src", "mt")
        texts = list(dict.fromkeys(str(s[k]) for s in samples for k in keys))
        encoder = model.encoder
        lengths = encoder.tokenizer(texts, truncation=True, max_length=encoder.max_positions - 2)["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: len(lengths[i]))
        # predict encodes batch_size texts per pass; twice that here keeps the matrix
        # products large (they run faster per token) at about the same peak memory,
        # since similar lengths need little padding.
        step = 2 * self.batch_size
        emb: dict[str, Any] = {}
        with torch.inference_mode():
            for i in range(0, len(order), step):
                chunk = [texts[j] for j in order[i : i + step]]
                inputs = encoder.prepare_sample(chunk)
                vectors = model.compute_sentence_embedding(inputs["input_ids"], inputs["attention_mask"])
                emb.update(zip(chunk, vectors))
            src, mt = (torch.stack([emb[str(s[k])] for s in samples]) for k in ("src", "mt"))
            if self._fast_kind == "ref":
                ref = torch.stack([emb[str(s["ref"])] for s in samples])
                scores = model.estimate(src, mt, ref).score
            else:
                # ReferencelessRegression.forward's estimator input, in its order.
                features = torch.cat((mt, src, mt * src, torch.abs(mt - src)), dim=1)
                scores = model.estimator(features).view(-1)
        return [float(x) for x in scores.tolist()]

    def _placed_spans(self, unit: ScoringUnit, spans: list[dict[str, Any]]) -> list[tuple[int, int, str, float]]:
        """COMET's error spans placed in the unit's target: (start, end, severity, confidence)
        with offsets into the target, for the comet-error-span check."""
        placed_spans = []
        for span in spans:
            placed = _place_span(unit.target, span)
            if placed is None:
                continue
            severity = str(span.get("severity", "")).lower()
            severity = severity if severity in _SEVERITIES else "minor"
            placed_spans.append((placed[0], placed[1], severity, float(span.get("confidence", 0.0) or 0.0)))
        return placed_spans


def load_comet(
    model: str, batch_size: int = 16, threads: int | None = None, *, fast: bool = True, quantize: bool = False
) -> CometScorer:
    """Load a COMET model from a path or a cached id (see :func:`resolve_checkpoint`), offline.

    ``threads`` is the number of CPU threads torch uses while scoring (default: every core
    this process may run on). ``fast`` (default) scores regression models (wmt22-comet-da,
    wmt20/21 QE regression models) without unbabel-comet's ``predict`` and its Lightning
    Trainer, to the same scores (:meth:`CometScorer._embed_and_estimate`); ``fast=False``
    always calls ``predict``. ``quantize`` makes the encoder's Linear layers int8
    (:func:`quantize_encoder`): about twice as fast again, scores off by up to a few
    thousandths. Raises :class:`ModelUnavailable` when unbabel-comet is not
    installed, the checkpoint or its encoder is not on disk, or loading fails (the original
    error is included in the message).
    """
    comet = _import_comet()
    ckpt = resolve_checkpoint(model)
    try:
        with _quiet():
            loaded = comet.load_from_checkpoint(str(ckpt), reload_hparams=True, local_files_only=True)
    except ModelUnavailable:
        raise
    except KeyError as e:
        raise ModelUnavailable(
            f"cannot load COMET checkpoint {ckpt}: unknown model class {e} in {ckpt.parents[1] / 'hparams.yaml'} "
            f"(comet {getattr(comet, '__version__', '?')} knows {', '.join(sorted(_comet_classes()))})"
        ) from e
    except Exception as e:  # noqa: BLE001 - any load failure is reported with its own text
        raise ModelUnavailable(f"cannot load COMET checkpoint {ckpt}: {type(e).__name__}: {e}") from e
    loaded.eval()
    # The checkpoint's state dict is left in a reference cycle by the loader; collecting it
    # now returns its memory (2.2 GB for wmt22-comet-da) before scoring starts.
    gc.collect()
    if quantize:
        quantize_encoder(loaded)
    return CometScorer(
        loaded, ckpt, _model_label(model, ckpt), batch_size=batch_size, threads=threads, fast=fast, quantized=quantize
    )


def quantize_encoder(model: Any) -> None:
    """Replace the Linear layers of a COMET model's encoder by int8 dynamically quantised ones, in place.

    Weights are stored as int8 with one scale per matrix and activations are quantised per
    batch as they come (``torch.ao.quantization.quantize_dynamic``), so the encoder's matrix
    products, nearly all of its cost, run in int8 on the CPU. The estimator and the layerwise
    attention stay float: they are cheap and the score is sensitive to them.
    """
    import torch

    with warnings.catch_warnings():
        # torch 2.13 deprecates torch.ao.quantization in favour of torchao, not yet a dependency.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        torch.ao.quantization.quantize_dynamic(model.encoder, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def _fast_kind(model: Any) -> str | None:
    """``ref`` or ``qe`` for the regression models :meth:`CometScorer._embed_and_estimate` can score, else None.

    Exact classes only: a subclass may change ``forward``. Models with MC dropout or
    embedding caching switched on go through ``predict``, which handles them.
    """
    try:
        from comet.models import ReferencelessRegression, RegressionMetric
    except ImportError:
        return None
    if getattr(model, "mc_dropout", 0) or getattr(model, "caching", False):
        return None
    if type(model) is ReferencelessRegression:
        return "qe"
    if type(model) is RegressionMetric:
        return "ref"
    return None


def _comet_classes() -> list[str]:
    try:
        from comet.models import str2model

        return list(str2model)
    except ImportError:
        return []
