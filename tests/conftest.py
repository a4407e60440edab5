"""Shared test helpers: build an article, run one check on it, locate ../shared data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from mtaudit.checks import load_all
from mtaudit.knowledge.resources import Resources
from mtaudit.run.pipeline import audit_article
from mtaudit.types import Article

# Hypothesis profiles for tests/test_properties.py (tests with their own @settings keep them).
settings.register_profile("mtaudit-short", max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("probe", max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile("mtaudit-short")
LONG_EXAMPLES = 20_000


def long_profile_examples(n: int):
    """Run a property test ``n`` times under the long profile, so that the cheap
    properties take most of its 100,000 inputs and the whole-audit ones fit CI's budget."""
    def decorate(test):
        return settings(max_examples=n)(test) if settings().max_examples == LONG_EXAMPLES else test

    return decorate

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SHARED_DATA = SHARED / "data"
SEEDS = SHARED / "seeds"


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    """Tests never read or fill the user's result cache: a result cached by one test (with a
    check patched to crash, say) must not answer another. (Tests of the cache pass --cache.)"""
    monkeypatch.setenv("MTAUDIT_RESULT_CACHE", "off")


@pytest.fixture(scope="session")
def resources() -> Resources:
    return Resources()


_DEFAULT_RESOURCES: list[Resources] = []


def default_resources() -> Resources:
    """The bundled reference data, loaded once per test session: tables are read-only once
    loaded, and building the gazetteer's indexes for every test made the suite slow."""
    if not _DEFAULT_RESOURCES:
        _DEFAULT_RESOURCES.append(Resources())
    return _DEFAULT_RESOURCES[0]


def run_check(check_id: str, target: str, source: str | None = None, resources: Resources | None = None):
    """Findings of one check on a one-article text (first line is the headline when there are several)."""
    spec = load_all()[check_id]
    result = audit_article(Article("t", target, source=source), [spec], resources or default_resources())
    assert not result.crashes, result.crashes
    for f in result.findings:
        assert f.text == target[f.start : f.end]
    return result.findings


def fails(check_id: str, target: str, source: str | None = None) -> list:
    found = run_check(check_id, target, source)
    assert found, f"{check_id} should flag: {target!r}"
    return found


def passes(check_id: str, target: str, source: str | None = None) -> None:
    found = run_check(check_id, target, source)
    assert not found, f"{check_id} should not flag {target!r}: {[(f.text, f.message) for f in found]}"


def require_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only next to a development checkout)")
    return path


#: Set by .ci/run: comma-separated words (module names such as torch, comet, ctranslate2,
#: or "browser") whose tests must run there. A test skipped because one of them is missing
#: fails instead, so CI cannot go green with a model back-end that stopped importing.
REQUIRED = [w.strip() for w in __import__("os").environ.get("MTAUDIT_REQUIRE", "").split(",") if w.strip()]


def _fail_required_skip(report) -> None:
    if not REQUIRED or not report.skipped:
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    missing = [w for w in REQUIRED if f"'{w}'" in reason or f"import {w}" in reason or (w == "browser" and "browser" in reason)]
    if missing:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where {', '.join(missing)} must be available (MTAUDIT_REQUIRE): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_required_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.importorskip at the top)."""
    outcome = yield
    _fail_required_skip(outcome.get_result())
