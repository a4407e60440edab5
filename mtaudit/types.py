"""The data every part of mtaudit passes around: articles, segments, findings, results.

All are frozen dataclasses so that a check cannot change what another check sees, and
report writers can be driven by the field lists (the CSV columns are the field names).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is, from worst to mildest."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 3, major 2, minor 1, info 0."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: "Severity") -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.CRITICAL: 3, Severity.MAJOR: 2, Severity.MINOR: 1, Severity.INFO: 0}
SEVERITIES_WORST_FIRST = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR, Severity.INFO)

#: Categories used by the checks (DESIGN.md). A new category is added here first.
CATEGORIES = (
    "name",
    "mistranslation",
    "untranslated",
    "omission",
    "addition",
    "number",
    "fluency",
    "style",
    "terminology",
    "consistency",
)


class SegmentKind(str, enum.Enum):
    HEADLINE = "headline"
    BODY = "body"
    BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Article:
    """One delivered translation and what came with it.

    ``text`` is the article's original text exactly as read (decoded, BOM removed); every
    offset mtaudit reports points into it. ``source`` and ``reference`` are the English
    source and a human reference when given.
    """

    id: str
    text: str
    source: str | None = None
    reference: str | None = None
    origin: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    #: For JSONL/CSV input with one record per segment: (segment id, start, end) of each
    #: record's target inside ``text`` (records are joined with a newline).
    record_spans: tuple[tuple[str, int, int], ...] = ()
    #: Per-record sources and references, aligned with ``record_spans`` when given per segment.
    record_sources: tuple[str | None, ...] = ()
    record_references: tuple[str | None, ...] = ()
    #: 1-based line of the record in ``origin`` (JSONL, CSV/TSV), 0 for a whole file.
    line: int = 0
    #: 1-based line in ``origin`` of each record (JSONL/CSV/XLIFF), aligned with
    #: ``record_spans`` (or one line for a single-record article); empty when unknown.
    record_lines: tuple[int, ...] = ()
    #: XLIFF/TMX units (unit id, start, end) inside ``text``. Unlike records they do not
    #: change segmentation (the article is segmented as text); findings take the unit id
    #: as segment id and are located in the unit (mtaudit.inputs.xliff).
    unit_spans: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Segment:
    """A headline, a sentence of body copy, or a boilerplate block, with its offsets."""

    article_id: str
    segment_id: str
    index: int
    kind: SegmentKind
    start: int
    end: int
    text: str
    paragraph: int
    #: Why a boilerplate segment was classified so (the rule's id), empty otherwise.
    reason: str = ""
    #: The aligned English source sentence or paragraph when known.
    source: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found: where (half-open offsets into the article text), what, how bad."""

    article_id: str
    segment_id: str
    start: int
    end: int
    text: str
    check: str
    category: str
    severity: Severity
    suggestion: str
    message: str
    confidence: float
    #: Named parts of the message ((name, text) pairs: the term, the listed rendering) for
    #: the message catalogues' placeholders (mtaudit.reports.messages), and a "variant"
    #: choosing among a check's catalogue messages. Not a findings.csv column.
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def as_row(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in FINDING_COLUMNS}
        row["severity"] = self.severity.value
        return row


#: The findings.csv contract (DESIGN.md); extra columns may only be appended.
FINDING_COLUMNS = (
    "article_id",
    "segment_id",
    "start",
    "end",
    "text",
    "check",
    "category",
    "severity",
    "suggestion",
    "message",
    "confidence",
)


@dataclass(frozen=True)
class SuppressedFinding:
    """A finding an editor marked "not an error": out of the gate, listed as suppressed."""

    finding: Finding
    fingerprint: str
    reason: str
    author: str = ""
    date: str = ""


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read (or only partly): it is skipped, not fatal."""

    origin: str
    message: str
    #: False for a warning about an article that was still audited (e.g. no source file).
    skipped: bool = True
    #: 1-based line in ``origin`` where the problem is, 0 when it concerns the whole file.
    line: int = 0
    #: What kind of problem: "duplicate" ones stop the run (exit 2) unless
    #: ``--allow-duplicates``; the others are reported and the run goes on.
    kind: str = ""

    @property
    def label(self) -> str:
        """How stderr names it: "skipped" (input dropped), "error" (audited, but the run is an
        input error: a duplicate id) or "warning"."""
        if self.skipped:
            return "skipped"
        return "error" if self.kind == "duplicate" else "warning"


@dataclass(frozen=True)
class CheckCrash:
    """A check raised on one segment or article; the audit went on without it there."""

    article_id: str
    segment_id: str
    check: str
    error: str


@dataclass
class ArticleResult:
    article: Article
    segments: list[Segment]
    findings: list[Finding]
    crashes: list[CheckCrash] = field(default_factory=list)
    #: Reference-based scores (mtaudit.scorers.reference_scores): segment id ("" for the whole article) → {metric: score}.
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The (segment id, hypothesis, reference) pairs the scores were computed on.
    scored_pairs: list[tuple[str, str, str]] = field(default_factory=list)
    #: Aligned scoring units (mtaudit.scorers.ScoringUnit) after the scoring stage.
    units: list[Any] = field(default_factory=list)
    #: Target segment id → how it aligned with the source ("1:1", "1:2", "2:1", "0:1", "record").
    alignment: dict[str, str] = field(default_factory=dict)
    #: Unit segment id ("p2.s1" or "p2.s1+p2.s2" for a group) → {score column: value}:
    #: sentence-level sacrebleu on aligned whole articles, COMET, adequacy, MT likelihood.
    unit_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    #: Batch check id → this article's summary for it (mtaudit.checks: summarize/tally).
    summaries: dict[str, Any] = field(default_factory=dict)
    #: Findings taken out of the gate by a suppression file (mtaudit.gate.suppressions), still reported.
    suppressed: list["SuppressedFinding"] = field(default_factory=list)
    #: Finding → its fingerprint (mtaudit.gate.fingerprint), filled by mtaudit.gate.triage.
    fingerprints: dict[Finding, str] = field(default_factory=dict)
    #: Fingerprint → "new" or "unchanged" against a baseline (mtaudit.gate.baseline); empty without one.
    baseline_state: dict[str, str] = field(default_factory=dict)
    #: Words of the audited copy when the segments were dropped (a streamed run keeps only
    #: what the gate needs); -1: count them from the segments (mtaudit.gate.policy.article_words).
    word_count: int = -1
    #: (words, oddness) of each segment, segments.csv's costly cells (mtaudit.reports.tables.
    #: segment_text_stats), computed where the article was audited (a ``--jobs`` worker) so
    #: that the parent, which writes the rows alone, does not; empty: computed by the report.
    segment_stats: list[tuple[int, Any]] = field(default_factory=list)

    def article_scores(self) -> dict[str, float]:
        """The article's scores: sacrebleu's on the whole article when scored whole (else
        the mean over its records), and the mean over its units of every other score."""
        out: dict[str, float] = {}
        if "" in self.scores:
            out.update(self.scores[""])
        else:
            out.update(_means(self.scores.values()))
        for name, value in _means(self.unit_scores.values()).items():
            out.setdefault(name, value)
        return out

    def segment_score_items(self) -> list[tuple[str, dict[str, float]]]:
        """(segment id, scores) of every scored segment or unit, for segment-level gating."""
        items = [(sid, sc) for sid, sc in self.scores.items() if sid]
        seen = {sid for sid, _ in items}
        for sid, sc in self.unit_scores.items():
            if sid in seen:  # a record: merge its model scores with its sacrebleu ones
                items = [(i, {**s, **sc}) if i == sid else (i, s) for i, s in items]
            else:
                items.append((sid, sc))
        return items


def _means(score_dicts) -> dict[str, float]:
    """Per-name means over score dicts that may carry different names."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for scores in score_dicts:
        for name, value in scores.items():
            sums[name] = sums.get(name, 0.0) + value
            counts[name] = counts.get(name, 0) + 1
    return {n: round(sums[n] / counts[n], 4) for n in sums}


@dataclass
class AuditResult:
    """Everything one run produced; report writers and the gate read only this."""

    articles: list[ArticleResult]
    skipped: list[InputProblem]
    signature: dict[str, Any]
    #: Corpus-level reference-based scores over every scored pair (mtaudit.scorers.reference_scores.CorpusScore).
    corpus_scores: list[Any] = field(default_factory=list)
    #: Baseline entries (mtaudit.gate.baseline.BaselineEntry) that no finding matched any more: fixed.
    fixed: list[Any] = field(default_factory=list)
    #: Suppression entries that matched no finding (stale, or the finding was fixed).
    unused_suppressions: list[Any] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for a in self.articles for f in a.findings]

    @property
    def crashes(self) -> list[CheckCrash]:
        return [c for a in self.articles for c in a.crashes]
