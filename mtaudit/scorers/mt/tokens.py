"""Where a translation model's sentencepiece pieces sit in the text, and the improbable
runs of them: pure text work, no model back-end (see :mod:`mtaudit.scorers.mt`)."""

from __future__ import annotations

from collections.abc import Sequence

import regex

#: Log-probability below which a target token counts as improbable (e^-6 ≈ 0.25 %).
DEFAULT_IMPROBABLE_LOGPROB = -6.0

_SPECIAL_TOKENS = frozenset({"<s>", "</s>", "<pad>", "<mask>"})
#: Language tokens of OPUS-MT (>>ara<<), NLLB (arb_Arab), M2M-100 (__ar__), mBART (ar_AR),
#: and the filler tokens CTranslate2's M2M-100/NLLB converter may add (madeupword0).
_LANGUAGE_TOKEN = regex.compile(r">>\w+<<|[a-z]{3}_[A-Z][a-z]{3}|__[a-z]{2,3}__|[a-z]{2}_[A-Z]{2}|madeupword\d+")
_WORD_CHAR = regex.compile(r"\w")  # regex's \w includes combining marks (tashkeel) and tatweel


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
