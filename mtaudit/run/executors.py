"""Running the article audits on a Dask cluster (``--executor dask``, ``mtaudit[dask]``).

The articles go to the cluster as a ``dask.bag`` in partitions of :data:`PARTITION`
articles; each worker audits a partition with :func:`mtaudit.run.pipeline.audit_article` and
sends the results back. A worker loads the checks and the reference data once (the first
partition it gets) and keeps them for the rest of the run, as the forked workers of
``--jobs`` do, and sends each result pickled once (mtaudit.run.packed). Results are yielded in input order as their partitions finish, so the
batch checks, the scoring stage and the reports run on the client exactly as for a local
run: the findings are the same, byte for byte.

The workers need mtaudit installed (the same version) and the reference folders at the
same paths (``--references`` must be on a shared file system). Without ``--scheduler`` a
``distributed.LocalCluster`` with ``--jobs`` worker processes is started for the run.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..install_hints import extra
from ..types import Article
from .packed import PackedResult

#: Articles per bag partition: large enough that scheduling costs little per article.
PARTITION = 16

# On each worker: the run's configuration (as text) → (specs, resources, score, time limit), loaded once.
_LOADED: dict = {}


def _worker_state(config):
    """The checks and reference data of ``config``, loaded once per worker (the same road as
    a local run: AuditConfig.specs() and AuditConfig.resources(), so user rules, termbases,
    enabled checks and the gazetteer choice reach the workers)."""
    key = repr(config)
    state = _LOADED.get(key)
    if state is None:
        from .pipeline import warm_up

        specs, resources = config.specs(), config.resources()
        resources.validate()
        if config.time_limit:
            warm_up(specs, resources)  # loading is not charged to the first article's limit
        state = _LOADED[key] = (specs, resources, config.score, config.time_limit)
    return state


def _audit_partition(articles: Iterable[Article], config) -> list[PackedResult]:
    from .pipeline import audit_article

    specs, resources, score, limit = _worker_state(config)
    # packed (pickled once, here) as the --jobs workers send them: a streamed run spools the bytes
    return [PackedResult.pack(audit_article(a, specs, resources, score, limit)) for a in articles]


def dask_audit(articles: list[Article], config) -> Iterator[PackedResult]:
    """Audit ``articles`` on the Dask cluster at ``config.scheduler`` (or a local one);
    yields the results (mtaudit.run.packed) in input order."""
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError(f"--executor dask needs the dask extra: {extra('dask')}") from None
    if not articles:
        return
    from dataclasses import replace

    # The model scorers run on the client, after the articles come back.
    worker_config = replace(config, scorers=[], executor="local", scheduler=None)
    cluster = None
    if config.scheduler:
        client = Client(config.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, config.jobs), threads_per_worker=1, processes=config.jobs > 1,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        bag = db.from_sequence(articles, partition_size=PARTITION)
        parts = bag.map_partitions(_audit_partition, worker_config).to_delayed()
        futures = client.compute(parts)
        for i, fut in enumerate(futures):
            yield from fut.result()
            futures[i] = None  # let the cluster forget it
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
