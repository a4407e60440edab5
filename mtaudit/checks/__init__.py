"""The check registry.

A check is a function in its own module under ``mtaudit/checks/``, registered with
:func:`check`. Its docstring is its user documentation: the first line is the title shown
by ``mtaudit checks``, the rest is printed by ``mtaudit checks explain ID``. A check yields
:class:`~mtaudit.types.Finding` objects built with :meth:`CheckContext.finding`, which fills
in the check's id, category and default severity and validates the offsets.

Scopes: a ``segment`` check runs once per headline or body segment; an ``article`` check
runs once per article and sees every segment (for checks that compare with the source or
look across paragraphs); a ``batch`` check runs once after every article was audited and
sees them all (for evidence across the batch, such as how a name is usually spelled).

A batch check never holds the articles themselves: it registers a ``summarize`` function,
run in each article's audit right after the article's own checks (in the worker, with the
article's findings so far), that returns the compact, picklable evidence the check needs
from that article; and a ``tally`` class whose ``add(summary)`` folds each summary in as
articles finish (so memory grows with the batch's vocabulary, not with its text). The
check function reads the tally from ``ctx.tally``. Summaries travel with the article's
result, so cached results and shard outputs carry them too.

An article check declared ``after_checks=True`` runs after the article's other checks and
reads their findings from ``ctx.findings`` (headline-garbled counts them as evidence).

A ``unit`` check runs in the scoring stage, after the article was aligned with its source
and reference into scoring units and the model scorers (COMET, the MT model, adequacy)
have scored them. It sees the article's units, their scores and the scorers' per-unit
signals (``ctx.signals``: COMET's error spans, the MT model's improbable runs) and turns
them into findings through the same :meth:`ScoringContext.finding`, so model findings are
validated, listed by ``mtaudit checks`` and selected with ``--checks``/``--exclude`` like
every other. ``needs`` names what a check needs beyond the target text, for
``mtaudit checks`` and the scheduler: ``source``, ``reference``, ``batch``, or a model
scorer by name (``comet``, ``mt-model``, ``adequacy``); a check whose model was not
loaded does not run.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..knowledge.resources import Resources
from ..text.normalize import Normalized, normalize
from ..text.tokens import Token, tokenize
from ..types import CATEGORIES, Article, Finding, Segment, SegmentKind, Severity

#: A finding whose fitted confidence is below this is not major (issue 13: a check that is
#: right less than half the time on a class of input cannot emit major for that class).
MAJOR_AT = 0.5


def capped(severity: Severity, confidence: float) -> Severity:
    """``severity``, lowered to minor when ``confidence`` is below :data:`MAJOR_AT`."""
    if confidence >= MAJOR_AT or severity.rank <= Severity.MINOR.rank:
        return severity
    return Severity.MINOR


def _fitted(resources: Resources, model: str, article_id: str, features: dict, start: int, end: int) -> float:
    from ..knowledge import calibration
    from ..knowledge.resources import ReferenceDataError

    collecting = calibration.record(model, article_id, start, end, features)
    try:
        return resources.confidence_model(model).probability(features)
    except ReferenceDataError:
        if collecting:
            return 0.5  # the first fit: no model yet
        raise


def _built(
    spec: "CheckSpec", article_id: str, segment_id: str, start: int, end: int, text: str, message: str,
    suggestion: str, confidence: float, severity: Severity | None, category: str | None,
    values: dict[str, str] | None = None,
) -> Finding:
    """A finding of ``spec`` with its defaults filled in (the one place findings are made)."""
    return Finding(
        article_id=article_id,
        segment_id=segment_id,
        start=start,
        end=end,
        text=text,
        check=spec.id,
        category=category or spec.category,
        severity=severity or spec.severity,
        suggestion=suggestion,
        message=message,
        confidence=round(float(confidence), 3),
        values=tuple(values.items()) if values else (),
    )


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: Severity
    category: str
    version: str
    scope: str
    resources: tuple[str, ...]
    requires_source: bool
    func: Callable[["CheckContext"], Iterable[Finding]]
    #: Batch checks: per-article evidence (ctx, findings so far) → a picklable summary ...
    summarize: Callable[["CheckContext", list], Any] | None = None
    #: ... and the class that folds the summaries together (``add(summary)``).
    tally: type | None = None
    #: False for a check that runs only when asked for (``--enable``, or named in
    #: ``--checks``): the house-style conventions a newsroom switches on.
    default: bool = True
    #: Where the check comes from: "" for a built-in check, the rules file for a user rule.
    origin: str = ""
    #: An article check that runs after the article's other checks (it reads ctx.findings).
    after_checks: bool = False
    #: Model scorers (by name) the check's evidence comes from; it runs only when one is loaded.
    models: tuple[str, ...] = ()

    @property
    def needs(self) -> tuple[str, ...]:
        """What the check needs beyond the target text: source, batch, a model scorer."""
        return (("source",) if self.requires_source else ()) + (("batch",) if self.scope == "batch" else ()) + self.models

    @property
    def stage(self) -> str:
        """When the pipeline runs it: ``article`` (each article's audit), ``batch`` (after
        every article) or ``scoring`` (after alignment and the model scorers)."""
        return {"batch": "batch", "unit": "scoring"}.get(self.scope, "article")

    @property
    def title(self) -> str:
        return (inspect.getdoc(self.func) or self.id).splitlines()[0].strip()

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.func) or ""


REGISTRY: dict[str, CheckSpec] = {}


def check(
    id: str,
    *,
    severity: Severity,
    category: str,
    version: str = "1",
    scope: str = "segment",
    resources: tuple[str, ...] = (),
    requires_source: bool = False,
    summarize: Callable[["CheckContext", list], Any] | None = None,
    tally: type | None = None,
    default: bool = True,
    after_checks: bool = False,
    models: tuple[str, ...] = (),
) -> Callable[[Callable[["CheckContext"], Iterable[Finding]]], Callable[["CheckContext"], Iterable[Finding]]]:
    """Register a check function under ``id``."""
    if category not in CATEGORIES:
        raise ValueError(f"check {id}: unknown category {category!r}")
    if scope not in ("segment", "article", "batch", "unit"):
        raise ValueError(f"check {id}: scope must be 'segment', 'article', 'batch' or 'unit'")
    if after_checks and scope not in ("article", "unit"):
        raise ValueError(f"check {id}: only an article or unit check can run after the others")
    if scope == "batch" and (summarize is None or tally is None):
        raise ValueError(f"check {id}: a batch check needs summarize and tally (see mtaudit.checks)")

    def register(func: Callable[["CheckContext"], Iterable[Finding]]) -> Callable[["CheckContext"], Iterable[Finding]]:
        if id in REGISTRY and REGISTRY[id].func is not func:
            raise ValueError(f"check id {id!r} registered twice")
        if not inspect.getdoc(func):
            raise ValueError(f"check {id}: a docstring (its title and documentation) is required")
        REGISTRY[id] = CheckSpec(
            id, severity, category, version, scope, tuple(resources), requires_source, func, summarize, tally, default,
            after_checks=after_checks, models=tuple(models),
        )
        return func

    return register


class _once:
    """A property computed once per object and kept in its ``__dict__`` (the next read is a
    plain attribute). functools.cached_property does the same under a lock, which costs more
    than the answer: every check of every segment asks for its folding and tokens."""

    def __init__(self, func) -> None:
        self.func, self.name = func, func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass
class CheckContext:
    """What a check sees: the article, its segments, the segment at hand, reference data."""

    spec: CheckSpec
    article: Article
    segments: list[Segment]
    resources: Resources
    segment: Segment | None = None
    #: For a check declared ``after_checks``: the article's findings from its other checks.
    findings: list[Finding] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The segment's text (segment scope) or the article's (article scope)."""
        return self.segment.text if self.segment else self.article.text

    @property
    def base(self) -> int:
        """Offset of :attr:`text` in the article."""
        return self.segment.start if self.segment else 0

    @_once
    def normalized(self) -> Normalized:
        return normalize(self.text)

    def normalized_segment(self, segment: Segment) -> Normalized:
        """The folded copy of one segment's text, with its offset map (offsets relative to the segment)."""
        return normalize(segment.text)

    @_once
    def tokens(self) -> list[Token]:
        return tokenize(self.text, self.base)  # folded as self.normalized is

    @property
    def content_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.kind is not SegmentKind.BOILERPLATE]

    @property
    def source_units(self) -> list[tuple[str, list[Segment]]]:
        """The article's (source text, target segments) units (mtaudit.text.alignment.source_units),
        computed once per article and shared by every check that compares with the source.
        Read-only: checks must not change the lists."""
        from ..text.alignment import shared_source_units

        return shared_source_units(self.article, self.content_segments)

    def segment_at(self, offset: int) -> Segment | None:
        for s in self.segments:
            if s.start <= offset < s.end or (s.start == s.end == offset):
                return s
        return None

    def fitted_confidence(self, model: str, features: dict, start: int, end: int) -> float:
        """P(real error) for a finding at [start, end) from the fitted model ``model``
        (references/calibration.tsv) given its evidence ``features``. Fitting scripts
        collect the features through mtaudit.knowledge.calibration.collecting."""
        return _fitted(self.resources, model, self.article.id, features, start, end)

    def finding(
        self,
        start: int,
        end: int,
        message: str,
        suggestion: str = "",
        confidence: float = 1.0,
        severity: Severity | None = None,
        category: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Finding:
        """A finding of this check at article offsets [start, end); ``values`` name the parts
        of the message the catalogues' wording can show (Finding.values)."""
        if not 0 <= start <= end <= len(self.article.text):
            raise ValueError(f"{self.spec.id}: span {start}:{end} outside the article")
        seg = self.segment or self.segment_at(start)
        return _built(
            self.spec, self.article.id, seg.segment_id if seg else "", start, end, self.article.text[start:end],
            message, suggestion, confidence, severity, category, values,
        )


@dataclass
class BatchContext:
    """What a batch check sees: the tally of every article's summary, and reference data."""

    spec: CheckSpec
    tally: Any
    resources: Resources

    def fitted_confidence(self, article_id: str, model: str, features: dict, start: int, end: int) -> float:
        """:meth:`CheckContext.fitted_confidence` for a finding in article ``article_id``."""
        return _fitted(self.resources, model, article_id, features, start, end)

    def finding(
        self,
        article_id: str,
        segment_id: str,
        start: int,
        end: int,
        text: str,
        message: str,
        suggestion: str = "",
        confidence: float = 1.0,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this check in article ``article_id`` at offsets [start, end) of
        its text, where ``text`` is (its summary recorded) ``original[start:end]``."""
        if not 0 <= start <= end or len(text) != end - start:
            raise ValueError(f"{self.spec.id}: span {start}:{end} does not fit {text!r}")
        return _built(self.spec, article_id, segment_id, start, end, text, message, suggestion, confidence, severity, None)


@dataclass
class ScoringContext:
    """What a ``unit`` check sees: one article after alignment and scoring.

    ``units`` are the article's aligned units (``mtaudit.scorers.ScoringUnit``: target span,
    source, reference); ``scores`` maps a unit's segment id to its score columns;
    ``signals`` maps a unit's key to what each model scorer observed beyond a score
    (``{"comet": {"error_spans": ...}, "mt-model": {"improbable_runs": ...}}``);
    ``models`` are the loaded model scorers by name; ``findings`` are the article's
    findings so far (every check of the earlier stages and earlier unit checks)."""

    spec: CheckSpec
    article: Article
    segments: list[Segment]
    resources: Resources
    units: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    signals: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: ``audit_text(text, check_ids)``: the findings of those checks on a bare text, with
    #: this run's reference data (a check asks the pipeline; it never imports a check).
    audit_text: Callable[[str, list[str]], list[Finding]] | None = None

    def signal(self, unit, model: str) -> dict:
        """What scorer ``model`` observed on ``unit`` ({} when nothing)."""
        return self.signals.get(unit.key, {}).get(model, {})

    def finding(
        self,
        unit,
        start: int,
        end: int,
        message: str,
        suggestion: str = "",
        confidence: float = 1.0,
        severity: Severity | None = None,
        category: str | None = None,
        segment_id: str | None = None,
    ) -> Finding:
        """A finding of this check at article offsets [start, end) inside ``unit`` (its
        segment id is the unit's unless ``segment_id`` is given)."""
        if not unit.start <= start <= end <= max(unit.end, unit.start) or end > len(self.article.text):
            raise ValueError(f"{self.spec.id}: span {start}:{end} outside unit {unit.segment_id} ({unit.start}:{unit.end})")
        return _built(
            self.spec, self.article.id, unit.segment_id if segment_id is None else segment_id, start, end,
            self.article.text[start:end], message, suggestion, confidence, severity, category,
        )


def load_all() -> dict[str, CheckSpec]:
    """Import every check module so that each registers itself; return the registry."""
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    return dict(sorted(REGISTRY.items()))


def select(
    ids: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    extra: Iterable[CheckSpec] = (),
    enable: Iterable[str] = (),
) -> list[CheckSpec]:
    """The checks to run: every default one (plus those in ``enable``), or those named;
    ``extra`` are checks defined at run time (user rules), which run unless excluded or
    left out of ``ids``. Unknown ids raise KeyError."""
    registry = load_all()
    for spec in extra:
        if spec.id in registry:
            raise KeyError(f"{spec.id} (defined twice)")
        registry[spec.id] = spec
    enable = list(enable)
    chosen = list(ids) if ids else [i for i, s in registry.items() if s.default or i in enable]
    if ids:
        chosen += [i for i in enable if i not in chosen]
    unknown = [i for i in [*chosen, *exclude, *enable] if i not in registry]
    if unknown:
        raise KeyError(", ".join(unknown))
    excluded = set(exclude)
    return [registry[i] for i in chosen if i not in excluded]


