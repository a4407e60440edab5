"""The loaded model at work: forced-decoding scores, translation, back-translation chrF
and re-translations (see :mod:`mtaudit.scorers.mt`; loading is :mod:`.load`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import ScorerOutput, ScoringUnit
from .tokens import detokenize, improbable_runs, token_char_spans

if TYPE_CHECKING:  # the back-end (the mt extra) is imported by .load, which builds the model
    import ctranslate2
    import sentencepiece as spm


def _short_name(path: Path) -> str:
    """The model folder's name, for the signature."""
    return path.name or str(path)

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
        import ctranslate2

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
