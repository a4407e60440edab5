"""An English→Arabic MT model run with CTranslate2: likelihood of the delivered Arabic,
improbable passages, fresh translations and back-translation chrF.

The model is a *converted* CTranslate2 folder (``mtaudit models convert``, see
:func:`convert_model`) holding ``model.bin``, ``config.json``, the vocabulary and the
sentencepiece model(s). Two layouts are recognised from the tokenizer files:

``marian`` (OPUS-MT, e.g. Helsinki-NLP/opus-mt-en-ar or opus-mt-tc-big-en-ar)
    ``source.spm`` tokenizes the source, ``target.spm`` the target. The source ends with
    ``</s>``. Multi-target models, whose vocabulary has tokens such as ``>>ara<<``, get the
    token for the target language in front of the source (``>>arb<<`` or ``>>ara<<`` for
    ``arb_Arab``; choose another with ``target_token=``).

``shared`` (NLLB-200, also M2M-100 and mBART-50)
    one ``sentencepiece.bpe.model`` for both sides. The source is
    ``[src_lang] pieces </s>`` and the target starts with the ``tgt_lang`` token, as the
    CTranslate2 documentation does for NLLB. Codes are NLLB's (``eng_Latn``,
    ``arb_Arab``); the M2M-100 (``__ar__``) and mBART (``ar_AR``) spellings are found in
    the vocabulary when the model uses those.

The direction is a parameter: ``load_mt_model(path, src_lang="arb_Arab",
tgt_lang="eng_Latn")`` loads an Arabic→English model for :func:`back_translate_chrf`.

What the scorer reports (:meth:`MTModel.score`, scorer name ``mt-model``):

* ``mt_logprob`` per unit: the mean natural-log probability of the target's tokens given
  the source under forced decoding (``Translator.score_batch``). The end-of-sentence token
  is left out: units are sentences cut by mtaudit's segmenter and aligned to source
  sentences, and where those boundaries disagree the model's surprise at the sentence
  ending says nothing about the words. Closer to 0 is more likely; values are comparable
  only between runs with the same model and compute type (see the signature).
* findings ``mt-improbable`` (fluency, minor, confidence 0.3): runs of tokens whose
  log-probability is below ``improbable_logprob`` (default −6, i.e. the model gave the
  token less than 0.25 % probability), widened to whole words and merged when only
  whitespace separates them.

Nothing here needs torch or transformers; converting a model does (:func:`convert_model`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import regex
import sentencepiece as spm

from . import ModelUnavailable, ScorerOutput, ScoringUnit

#: Log-probability below which a target token counts as improbable (e^-6 ≈ 0.25 %).
DEFAULT_IMPROBABLE_LOGPROB = -6.0

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
_SPECIAL_TOKENS = frozenset({"<s>", "</s>", "<pad>", "<mask>"})
#: Language tokens of OPUS-MT (>>ara<<), NLLB (arb_Arab), M2M-100 (__ar__), mBART (ar_AR),
#: and the filler tokens CTranslate2's M2M-100/NLLB converter may add (madeupword0).
_LANGUAGE_TOKEN = regex.compile(r">>\w+<<|[a-z]{3}_[A-Z][a-z]{3}|__[a-z]{2,3}__|[a-z]{2}_[A-Z]{2}|madeupword\d+")
_WORD_CHAR = regex.compile(r"\w")  # regex's \w includes combining marks (tashkeel) and tatweel

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


class ModelConversionError(ValueError):
    """:func:`convert_model` could not convert: the message says why and what to do."""


# --------------------------------------------------------------------------- helpers


def model_digest(path: Path) -> str:
    """First 16 hex digits of sha256 over model.bin's size, first MiB and last MiB.

    model.bin is 300 MB for OPUS-MT and up to 13 GB for NLLB-3.3B; hashing it whole would
    add seconds to minutes to every run. The first MiB holds the spec name, binary version,
    variable names and shapes and the first weights, the last MiB the last weights, and
    the size changes with quantization: together they tell converted models apart for the
    run signature. It is not an integrity or tamper check.
    """
    chunk = 1 << 20
    size = path.stat().st_size
    h = hashlib.sha256(f"{size}\n".encode())
    with open(path, "rb") as f:
        if size <= 2 * chunk:
            h.update(f.read())
        else:
            h.update(f.read(chunk))
            f.seek(size - chunk)
            h.update(f.read(chunk))
    return h.hexdigest()[:16]


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


def _is_word(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def token_char_spans(text: str, proto) -> list[tuple[int, int] | None]:
    """Character span of each piece of a sentencepiece ``immutable_proto`` in ``text``.

    sentencepiece records, for each piece, ``begin``/``end`` offsets into the *original*
    (not normalised) input and the original ``surface`` text. The Python binding of
    sentencepiece 0.2 gives them in characters; older bindings gave UTF-8 bytes. Each
    span is accepted only if ``text[s:e] == surface`` under one of the two readings, so a
    span never points at other text than the piece came from; otherwise it is None.
    Surrounding whitespace (the ``▁`` of a word-initial piece) is trimmed, and a piece
    left with no characters — a lone ``▁``, or the extra pieces of a character that NFKC
    expanded, such as ``…`` → ``..`` — gets None too. Callers treat None as "no place in
    the text", never as an error.
    """
    spans: list[tuple[int, int] | None] = []
    byte_to_char: dict[int, int] | None = None
    n = len(text)
    for piece in proto.pieces:
        b, e, surface = piece.begin, piece.end, piece.surface
        span = None
        if 0 <= b <= e <= n and text[b:e] == surface:
            span = (b, e)
        else:
            if byte_to_char is None:
                byte_to_char, pos = {}, 0
                for i, ch in enumerate(text):
                    byte_to_char[pos] = i
                    pos += len(ch.encode("utf-8"))
                byte_to_char[pos] = n
            s, t = byte_to_char.get(b), byte_to_char.get(e)
            if s is not None and t is not None and s <= t and text[s:t] == surface:
                span = (s, t)
        if span is not None:
            s, t = span
            while s < t and text[s].isspace():
                s += 1
            while t > s and text[t - 1].isspace():
                t -= 1
            span = (s, t) if s < t else None
        spans.append(span)
    return spans


def expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words when it begins or ends inside a word.

    A word is a run of ``\\w`` characters in the Unicode sense of the ``regex`` module,
    which includes tashkeel, tatweel and zero-width joiners, so a span never cuts a
    diacritic off its letter. Punctuation is not widened into.
    """
    while start > 0 and start < len(text) and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and end > 0 and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    return start, end


def improbable_runs(
    text: str,
    spans: Sequence[tuple[int, int] | None],
    logprobs: Sequence[float],
    threshold: float,
) -> list[tuple[int, int, float]]:
    """``(start, end, mean log-prob)`` of the passages of ``text`` made of improbable tokens.

    A token is improbable when its log-prob is below ``threshold``. Each improbable token
    with a span is widened to whole words; spans that overlap or are separated only by
    whitespace are merged, and the mean is over the improbable tokens of the merged run.
    Tokens without a span (see :func:`token_char_spans`) join no run.
    """
    hits = []
    for span, lp in zip(spans, logprobs):
        if span is not None and lp < threshold:
            s, e = expand_to_words(text, *span)
            hits.append((s, e, lp))
    hits.sort()
    runs: list[list] = []
    for s, e, lp in hits:
        if runs and (s <= runs[-1][1] or not text[runs[-1][1] : s].strip()):
            runs[-1][1] = max(runs[-1][1], e)
            runs[-1][2].append(lp)
        else:
            runs.append([s, e, [lp]])
    return [(s, e, sum(lps) / len(lps)) for s, e, lps in runs]


def detokenize(tokens: Sequence[str]) -> str:
    """Text of a translation's tokens: pieces joined, ``▁`` as space, spacing normalised.

    Special tokens (``<s>``, ``</s>``, ``<pad>``) and language tokens (``>>ara<<``,
    ``arb_Arab``, ``__ar__``, ``ar_AR``, NLLB's ``madeupword``/``<mask>``) are dropped;
    ``<unk>`` becomes ``⁇`` so that a lost word stays visible. Pieces are joined by hand
    rather than with ``SentencePieceProcessor.decode``, which passes pieces it does not
    know through verbatim with their ``▁`` (a shared vocabulary lets an English→Arabic
    model emit English pieces, e.g. for a name kept in Latin script).
    """
    text = "".join(
        " ⁇ " if t == "<unk>" else t
        for t in tokens
        if t not in _SPECIAL_TOKENS and not _LANGUAGE_TOKEN.fullmatch(t)
    )
    return " ".join(text.replace("\u2581", " ").split())


def _short_name(path: Path) -> str:
    return path.name or str(path)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class TargetTokens:
    """A target's sentencepiece pieces and where each sits in the text (None: nowhere)."""

    pieces: list[str]
    spans: list[tuple[int, int] | None]
    consistent: bool


class MTModel:
    """A loaded CTranslate2 translation model with its tokenizers (see :func:`load_mt_model`).

    Implements :class:`~mtaudit.scorers.SegmentScorer` (``name = "mt-model"``).
    """

    name = "mt-model"

    def __init__(
        self,
        path: Path,
        translator: ctranslate2.Translator,
        source_sp: spm.SentencePieceProcessor,
        target_sp: spm.SentencePieceProcessor,
        *,
        layout: str,
        src_lang: str,
        tgt_lang: str,
        source_prefix: Sequence[str],
        target_prefix: Sequence[str],
        requested_compute_type: str,
        beam_size: int,
        max_batch_tokens: int,
        improbable_logprob: float,
        max_length_ratio: float,
        digest: str,
    ) -> None:
        self.path = path
        self.translator = translator
        self.source_sp = source_sp
        self.target_sp = target_sp
        self.layout = layout
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.source_prefix = list(source_prefix)
        self.target_prefix = list(target_prefix)
        self.requested_compute_type = requested_compute_type
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.improbable_logprob = improbable_logprob
        self.max_length_ratio = max_length_ratio
        self.digest = digest

    # ---------------------------------------------------------------- properties

    @property
    def compute_type(self) -> str:
        """The compute type CTranslate2 actually uses (``int8`` on this CPU runs as ``int8_float32``)."""
        return self.translator.compute_type

    @property
    def signature(self) -> str:
        """What determines the numbers: model (folder name, hash), layout, direction,
        CTranslate2 version, effective compute type, beam, batch and the improbable threshold."""
        return (
            f"mt-model:{_short_name(self.path)}|model_sha256:{self.digest}|layout:{self.layout}"
            f"|{self.src_lang}->{self.tgt_lang}|ct2:{ctranslate2.__version__}|compute:{self.compute_type}"
            f"|beam:{self.beam_size}|batch:{self.max_batch_tokens}tokens|improbable:{self.improbable_logprob:g}"
        )

    # ---------------------------------------------------------------- tokenization

    def source_tokens(self, text: str) -> list[str]:
        """The source as the model reads it: language prefix (if any), pieces, ``</s>``."""
        pieces = self.source_sp.encode(text, out_type=str)
        return [*self.source_prefix, *pieces, "</s>"] if pieces else []

    def target_tokens(self, text: str) -> TargetTokens:
        """Target pieces with their character spans in ``text`` (see :func:`token_char_spans`).

        ``consistent`` is False when some piece that has characters of its own could not be
        placed in the text; its unit then gets a score but no findings.
        """
        proto = self.target_sp.encode(text, out_type="immutable_proto")
        pieces = [p.piece for p in proto.pieces]
        spans = token_char_spans(text, proto)
        consistent = all(
            span is not None or not p.surface.strip() or p.begin == p.end
            for p, span in zip(proto.pieces, spans)
        )
        return TargetTokens(pieces, spans, consistent)

    # ---------------------------------------------------------------- scoring

    def token_logprobs(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        """Per-token log-probabilities of each target piece given its source (no ``</s>``).

        Pairs whose source or target tokenizes to nothing give an empty list. Inputs longer
        than 1024 tokens are truncated by CTranslate2; their lists are then shorter.
        """
        src = [self.source_tokens(s) for s in sources]
        tgt = [self.target_sp.encode(t, out_type=str) for t in targets]
        return self._score_tokens(src, tgt)

    def _score_tokens(self, src: list[list[str]], tgt: list[list[str]]) -> list[list[float]]:
        todo = [i for i, (s, t) in enumerate(zip(src, tgt)) if s and t]
        out: list[list[float]] = [[] for _ in src]
        if not todo:
            return out
        results = self.translator.score_batch(
            [src[i] for i in todo],
            [[*self.target_prefix, *tgt[i]] for i in todo],
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
        )
        skip = len(self.target_prefix)
        for i, res in zip(todo, results):
            # log_probs covers the prefix tokens, the pieces and </s>: keep the pieces.
            out[i] = list(res.log_probs[skip : skip + len(tgt[i])])
        return out

    def score(self, units: list[ScoringUnit]) -> ScorerOutput:
        """``mt_logprob`` for every unit with a source and a non-empty target, plus the
        unit's improbable runs as a signal (``improbable_runs``: (start, end, mean
        log-prob) in the target) for the mt-improbable check. ``system["mt_logprob"]`` is
        the mean over the scored units."""
        out = ScorerOutput(signature=self.signature)
        todo = [u for u in units if u.source and u.source.strip() and u.target.strip()]
        if not todo:
            return out
        src = [self.source_tokens(u.source or "") for u in todo]
        tok = [self.target_tokens(u.target) for u in todo]
        logprobs = self._score_tokens(src, [t.pieces for t in tok])
        means = []
        for unit, t, lps in zip(todo, tok, logprobs):
            if not lps:
                continue
            mean = sum(lps) / len(lps)
            if not math.isfinite(mean):
                continue
            means.append(mean)
            out.scores[unit.key] = {"mt_logprob": round(mean, 4)}
            if t.consistent:
                runs = list(improbable_runs(unit.target, t.spans[: len(lps)], lps, self.improbable_logprob))
                if runs:  # (start, end, mean log-prob) in the target, for the mt-improbable check
                    out.signals[unit.key] = {"improbable_runs": runs}
        if means:
            out.system["mt_logprob"] = round(sum(means) / len(means), 4)
        return out

    # ---------------------------------------------------------------- translation

    def translate(self, sources: Sequence[str]) -> list[str]:
        """Translate each source with beam search; empty sources give "".

        Sources are sorted by length and sent in chunks of about ``max_batch_tokens``
        tokens, each chunk limited to ``max_length_ratio`` × its longest source (+10)
        output tokens, so a model that starts repeating itself stops early. See
        :func:`detokenize` for how tokens become text.
        """
        toks = [self.source_tokens(s) if s and s.strip() else [] for s in sources]
        results = [""] * len(sources)
        order = sorted((i for i, t in enumerate(toks) if t), key=lambda i: len(toks[i]))
        chunk: list[int] = []
        size = 0
        for i in order + [None]:  # type: ignore[list-item]
            if i is not None and (not chunk or size + len(toks[i]) <= self.max_batch_tokens):
                chunk.append(i)
                size += len(toks[i])
                continue
            if chunk:
                self._translate_chunk(chunk, toks, results)
            if i is not None:
                chunk, size = [i], len(toks[i])
        return results

    def _translate_chunk(self, chunk: list[int], toks: list[list[str]], results: list[str]) -> None:
        longest = max(len(toks[i]) for i in chunk)
        hyps = self.translator.translate_batch(
            [toks[i] for i in chunk],
            target_prefix=[list(self.target_prefix) for _ in chunk] if self.target_prefix else None,
            beam_size=self.beam_size,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            max_decoding_length=int(self.max_length_ratio * longest) + 10,
        )
        for i, h in zip(chunk, hyps):
            results[i] = detokenize(h.hypotheses[0])


# --------------------------------------------------------------------------- loading


def _unavailable(path: Path, what: str) -> ModelUnavailable:
    return ModelUnavailable(f"MT model {path}: {what}; {HOW_TO_GET}")


def _load_spm(file: Path) -> spm.SentencePieceProcessor:
    try:
        head = file.read_bytes()[: len(_LFS_POINTER)]
        if head == _LFS_POINTER:
            raise ModelUnavailable(f"MT model tokenizer {file} is a Git LFS pointer, not the file: run `git lfs pull` in its folder")
        return spm.SentencePieceProcessor(model_file=str(file))
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


# --------------------------------------------------------------------------- uses of translation


def back_translate_chrf(model_ar_en: MTModel, units: list[ScoringUnit]) -> ScorerOutput:
    """``bt_chrf``: chrF (sacrebleu ``sentence_chrf``, chrF2) of the target translated back
    into English against the English source, for units with both.

    A low value means the Arabic does not carry the source's content as the Arabic→English
    model reads it; it is a coarse adequacy signal, to be read beside ``mt_logprob``.
    ``model_ar_en`` must be loaded with ``src_lang`` Arabic and ``tgt_lang`` English
    (``load_mt_model(path, src_lang="arb_Arab", tgt_lang="eng_Latn")``); ``ValueError``
    otherwise. ``system["bt_chrf"]`` is the corpus chrF over the scored units.
    """
    import sacrebleu

    if not model_ar_en.src_lang.startswith("ar") or not model_ar_en.tgt_lang.startswith("eng"):
        raise ValueError(
            f"back-translation needs an Arabic→English model; this one is loaded as "
            f"{model_ar_en.src_lang}→{model_ar_en.tgt_lang} (pass src_lang='arb_Arab', tgt_lang='eng_Latn')"
        )
    chrf = sacrebleu.CHRF()
    out = ScorerOutput(signature=f"bt-chrf|{model_ar_en.signature}")
    todo = [u for u in units if u.source and u.source.strip() and u.target.strip()]
    if not todo:
        return out
    back = model_ar_en.translate([u.target for u in todo])
    for unit, hyp in zip(todo, back):
        out.scores[unit.key] = {"bt_chrf": round(chrf.sentence_score(hyp, [unit.source or ""]).score, 4)}
    out.system["bt_chrf"] = round(chrf.corpus_score(back, [[u.source or "" for u in todo]]).score, 4)
    # sacrebleu knows its signature (nrefs) only once it has scored something.
    out.signature = f"bt-chrf|{chrf.get_signature()}|{model_ar_en.signature}"
    return out


class BackTranslationScorer:
    """:func:`back_translate_chrf` as a :class:`~mtaudit.scorers.SegmentScorer` (``mt-backtranslation``)."""

    name = "mt-backtranslation"

    def __init__(self, model_ar_en: MTModel) -> None:
        self.model = model_ar_en

    def score(self, units: list[ScoringUnit]) -> ScorerOutput:
        return back_translate_chrf(self.model, units)


def suggest_retranslations(
    model: MTModel,
    units: Iterable[ScoringUnit],
    check_names: Callable[[str], list] | None = None,
) -> dict[tuple[str, str], str]:
    """A fresh translation of each unit's source, keyed by unit key, to offer as a suggestion.

    Meant for units with major findings. A unit gets no suggestion when it has no source,
    when the model produces nothing, or when the translation equals the delivered target
    (ignoring spacing). ``check_names`` is called with each translation and returns the
    problems it finds (e.g. names not in the gazetteer); a translation with any problem is
    not suggested, since it would trade one error for another.
    """
    todo = [u for u in units if u.source and u.source.strip()]
    out: dict[tuple[str, str], str] = {}
    for unit, text in zip(todo, model.translate([u.source or "" for u in todo])):
        if not text or " ".join(text.split()) == " ".join(unit.target.split()):
            continue
        if check_names is not None and check_names(text):
            continue
        out[unit.key] = text
    return out


# --------------------------------------------------------------------------- conversion

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
    from ctranslate2.specs.model_spec import ACCEPTED_MODEL_TYPES

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
                f"pip install transformers torch==2.13.0"
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
