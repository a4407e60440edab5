"""Progress is told through every stage of a run, not only while articles are audited: the
batch checks, the report pass (alignment, scores, triage) and the report files, each stage
counted up to its total, in the order the run goes through them."""

from __future__ import annotations

from mtaudit.gate.verdict import GatePolicy
from mtaudit.reports.tables import write_reports
from mtaudit.run.pipeline import AuditConfig, audit
from mtaudit.run.stream import audit_to_reports
from mtaudit.types import Article, Severity

ARTICLES = [
    Article("n1", "قالت أستاخوفا إن المصادر أكدت الخبر، وأضافت أستاخوفا أن الاجتماع انتهى.", source="Astakhova said so."),
    Article("n2", "وكتبت أستخوفا التقرير.\nوصل الوفد إلى موسكو.", reference="وكتبت أستاخوفا التقرير.\nوصل الوفد إلى موسكو."),
    Article("n3", "وصل الرئيس إلى موسكو صباح اليوم."),
]
POLICY = GatePolicy(Severity.CRITICAL, {}, "article")


def _stages(calls: list[tuple[str, int, int]]) -> list[str]:
    """The stages in the order they were first told."""
    seen: list[str] = []
    for stage, _, _ in calls:
        if stage not in seen:
            seen.append(stage)
    return seen


def _check_counts(calls: list[tuple[str, int, int]]) -> None:
    for stage in _stages(calls):
        told = [(done, total) for s, done, total in calls if s == stage]
        dones = [d for d, _ in told]
        assert dones == sorted(dones), stage  # never backwards
        assert told[-1][0] == told[-1][1] > 0, (stage, told)  # ends complete


def test_a_streamed_run_tells_every_stage_to_its_end(tmp_path):
    calls: list[tuple[str, int, int]] = []
    audit_to_reports(ARTICLES, AuditConfig(), tmp_path / "out", POLICY,
                     progress=lambda *a: calls.append(a), total=len(ARTICLES))
    assert _stages(calls) == ["audit", "batch", "reports", "files"]
    _check_counts(calls)
    assert [c for c in calls if c[0] == "files"][-1] == ("files", 6, 6)  # 3 CSV, JSON, workbook, pages


def test_an_in_memory_run_tells_its_batch_alignment_and_files_stages(tmp_path):
    calls: list[tuple[str, int, int]] = []
    result = audit(ARTICLES, AuditConfig(), stages=lambda *a: calls.append(a))
    write_reports(result, tmp_path / "out", POLICY, progress=lambda done, total: calls.append(("files", done, total)))
    assert _stages(calls) == ["batch", "align", "files"]
    _check_counts(calls)
    assert ("align", len(ARTICLES), len(ARTICLES)) in calls  # no model scorer: the articles are all its steps


def test_the_command_line_display_has_a_bar_for_every_stage_a_run_tells(tmp_path):
    from mtaudit.cli import _progress, _progress_callback

    display = _progress(len(ARTICLES))
    update = _progress_callback(display)
    calls: list[tuple[str, int, int]] = []

    def both(*a):
        calls.append(a)
        update(*a)  # a KeyError for a stage without a bar

    audit_to_reports(ARTICLES, AuditConfig(), tmp_path / "out", POLICY, progress=both, total=len(ARTICLES))
    audit(ARTICLES, AuditConfig(), stages=both)
    for stage, done, total in calls[-1:]:
        task = display.tasks[display.tasks_by_stage[stage]]
        assert (task.completed, task.total, task.visible) == (done, total, True)
    rows = {display.tasks[t].description for s, t in display.tasks_by_stage.items() if display.tasks[t].visible}
    assert len(rows) == 5
