"""The Dask executor: a distributed.LocalCluster gives the findings of a local run, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_stream_and_cache import FILES, _articles

from mtaudit.gate.verdict import GatePolicy
from mtaudit.run.pipeline import AuditConfig
from mtaudit.run.stream import audit_to_reports
from mtaudit.types import Article, Severity

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


def test_dask_workers_run_the_configured_user_rules_and_enabled_checks(tmp_path):
    # The workers take the run's configuration whole: a user rule and an off-by-default
    # check that only the configuration names still fire on the cluster.
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    rules = Path(__file__).resolve().parent.parent / "examples" / "newsroom" / "rules.toml"
    article = Article("a1", "قال الوزير, في وقت سابق من اليوم, إن المحادثات كانت مفيدة.")
    policy = GatePolicy(Severity.CRITICAL, {}, "article")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        config = AuditConfig(executor="dask", scheduler=cluster.scheduler_address, rules=[rules], enable=["style-punctuation"])
        audit_to_reports([article], config, tmp_path / "dask", policy)
    found = (tmp_path / "dask" / "findings.csv").read_text(encoding="utf-8-sig")
    assert "rule:earlier-today" in found and "style-punctuation" in found
