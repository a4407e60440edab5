"""Running the article audits on a Dask cluster (``--executor dask``, ``mtaudit[dask]``).

The articles go to the cluster as a ``dask.bag`` in partitions of :data:`PARTITION`
articles; each worker audits a partition with :func:`mtaudit.pipeline.audit_article` and
sends the results back. A worker loads the checks and the reference data once (the first
partition it gets) and keeps them for the rest of the run, as the forked workers of
``--jobs`` do. Results are yielded in input order as their partitions finish, so the
batch checks, the scoring stage and the reports run on the client exactly as for a local
run: the findings are the same, byte for byte.

The workers need mtaudit installed (the same version) and the reference folders at the
same paths (``--references`` must be on a shared file system). Without ``--scheduler`` a
``distributed.LocalCluster`` with ``--jobs`` worker processes is started for the run.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .types import Article, ArticleResult

#: Articles per bag partition: large enough that scheduling costs little per article.
PARTITION = 16

# On each worker: (configuration key, (specs, resources, score)), loaded once.
_LOADED: dict = {}


def _worker_state(key: tuple):
    state = _LOADED.get(key)
    if state is None:
        from .checks import select
        from .resources import Resources

        checks, exclude, reference_dirs, name_files, score = key
        specs = select(list(checks) or None, list(exclude))
        resources = Resources(reference_dirs, name_files)
        resources.validate()
        state = _LOADED[key] = (specs, resources, score)
    return state


def _audit_partition(articles: Iterable[Article], key: tuple) -> list[ArticleResult]:
    from .pipeline import audit_article

    specs, resources, score = _worker_state(key)
    return [audit_article(a, specs, resources, score) for a in articles]


def dask_audit(articles: list[Article], config) -> Iterator[ArticleResult]:
    """Audit ``articles`` on the Dask cluster at ``config.scheduler`` (or a local one);
    yields the results in input order."""
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError('--executor dask needs the dask extra: pip install "mtaudit[dask]"') from None
    if not articles:
        return
    key = (
        tuple(config.checks or ()), tuple(config.exclude), tuple(str(d) for d in config.reference_dirs),
        tuple(str(f) for f in config.name_files), config.score,
    )
    cluster = None
    if config.scheduler:
        client = Client(config.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, config.jobs), threads_per_worker=1, processes=config.jobs > 1,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        bag = db.from_sequence(articles, partition_size=PARTITION)
        parts = bag.map_partitions(_audit_partition, key).to_delayed()
        futures = client.compute(parts)
        for i, fut in enumerate(futures):
            yield from fut.result()
            futures[i] = None  # let the cluster forget it
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
