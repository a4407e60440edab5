"""The Dask executor: a distributed.LocalCluster gives the findings of a local run, byte for byte."""

from __future__ import annotations

import pytest

from mtaudit.gate import GatePolicy
from mtaudit.pipeline import AuditConfig
from mtaudit.stream import audit_to_reports
from mtaudit.types import Severity

from test_stream_and_cache import FILES, _articles

pytestmark = pytest.mark.slow


def test_dask_local_cluster_gives_the_local_reports(tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    policy = GatePolicy(Severity.CRITICAL, {}, "article")
    audit_to_reports(_articles(), AuditConfig(), tmp_path / "local", policy)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        config = AuditConfig(executor="dask", scheduler=cluster.scheduler_address)
        audit_to_reports(_articles(), config, tmp_path / "dask", policy)
    for name in FILES:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
