"""Model-based segment scorers: what they receive, what they give back.

sacrebleu's reference-based scores run inside each article's audit (:mod:`mtaudit.scorers.reference_scores`).
The scorers here load a model once and score the whole delivery in batches after the
checks: COMET (:mod:`.comet`), cross-lingual adequacy with sentence embeddings
(:mod:`.adequacy`) and an MT model's likelihood under CTranslate2 (:mod:`.mt`).

The pipeline aligns each article's source, target and reference into :class:`ScoringUnit`
objects and hands every scorer the full list; a scorer returns a :class:`ScorerOutput` with
scores per unit and, optionally, per-unit signals (COMET error spans, improbable token
runs, the raw adequacy cosine). Scorers make no findings themselves: the ``unit`` checks in
:mod:`mtaudit.checks` (adequacy, alignment, comet-error-span, mt-improbable,
mt-retranslation) turn the signals into findings, so that model findings are validated,
listed and selected like every other check's. A scorer that needs something a unit lacks (a source, a reference)
skips that unit. A model that cannot be loaded raises :class:`ModelUnavailable`, whose
message names the missing file or path and says how to obtain it; the CLI exits 2 on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


def sampled_digest(path: Path, digits: int) -> str:
    """The first ``digits`` hex digits of a sha256 over a model file's size, first MiB and
    last MiB.

    Model files are 0.3-13 GB; hashing them whole would add seconds to minutes to every
    run. The size and both ends change with any re-save, re-quantisation or truncation,
    which is what the run signature needs to tell models apart; it is not a tamper check.
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
    return h.hexdigest()[:digits]


class ModelUnavailable(Exception):
    """A requested model (path or id) cannot be found or loaded; the message says which
    file is missing and how to get it. The CLI reports it and exits 2."""


@dataclass(frozen=True)
class ScoringUnit:
    """One aligned segment of a delivery: target text with its source and reference.

    ``start``/``end`` locate ``target`` in the article's original text, so a scorer that
    finds a span at character ``i`` of ``target`` reports ``start + i``. ``source`` or
    ``reference`` is None when the unit has none (an unmatched target sentence, or no
    source given). ``target`` may be empty for a source sentence the translation lacks
    (an omission), in which case ``start == end``.
    """

    article_id: str
    segment_id: str
    start: int
    end: int
    target: str
    source: str | None = None
    reference: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.segment_id)


@dataclass
class ScorerOutput:
    """What a scorer gives back for a delivery.

    ``scores`` maps a unit's key to {column name: value}; column names are what appears in
    segments.csv (e.g. ``comet``, ``adequacy``, ``mt_logprob``), and articles.csv carries
    their means. ``signals`` maps a unit's key to what the model observed beyond a score,
    for the unit checks (e.g. ``{"error_spans": [...]}``). ``system`` holds delivery-level
    values (e.g. COMET's system score).
    ``signature`` records everything that affects the numbers (model id or path and hash,
    package version, compute type, batch size) for the run signature.
    """

    scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    signals: dict[tuple[str, str], dict] = field(default_factory=dict)
    system: dict[str, float] = field(default_factory=dict)
    signature: str = ""


class SegmentScorer(Protocol):
    """A loaded model that scores aligned units. ``name`` is its id in the run signature."""

    name: str

    def score(self, units: list[ScoringUnit]) -> ScorerOutput: ...
