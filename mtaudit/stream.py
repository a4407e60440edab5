"""A batch audit in constant memory: results streamed to disk, reports written row by row.

:func:`mtaudit.pipeline.audit` holds every article's result until the reports are
written, so its memory grows with the batch. :func:`audit_to_reports` writes the same
files, byte for byte, holding only what the end of the run needs:

1. each article's result, as it finishes, is appended to a spool file in the report folder
   and its batch-check summaries are folded into the tallies (mtaudit.checks);
2. the batch checks run on the tallies;
3. the spool is read back one article at a time: the batch findings join the article, its
   alignment and sentence scores are computed (the scoring stage, per article), and its rows
   go to findings.csv, segments.csv, articles.csv and findings.json;
4. findings.json gets its summary head and the temporary files are renamed into place.

What stays in memory is one article at a time, the tallies (the batch's word forms), each
article's findings and scores (for the gate and the summary) and, with references, the
hypothesis/reference pairs sacrebleu's corpus scores need. report.html is rendered from
the full results for batches up to :data:`HTML_ARTICLES` articles; above that it is a
summary page that points to the CSV and JSON files (a paged report is the HTML report's
own business, see mtaudit.html_report).

Model scorers (COMET, the MT model, adequacy) score all units of the batch together, so a
run with them uses :func:`mtaudit.pipeline.audit`.
"""

from __future__ import annotations

import csv
import json
import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from .checks import select
from .gate import GatePolicy
from .pipeline import AuditConfig, BatchTallies, _finding_order, iter_audit, score_units, signature
from .report import (
    ARTICLE_COLUMNS, SEGMENT_COLUMNS, article_json, article_row, atomic_write, findings_json, segment_rows, summary,
)
from .resources import Resources
from .scoring import corpus_scores
from .types import FINDING_COLUMNS, Article, ArticleResult, AuditResult, CheckCrash, InputProblem

#: Batches up to this many articles get the full HTML report (it holds every article).
HTML_ARTICLES = 2000

#: progress(stage, done, total): stage is "audit" or "reports".
Progress = Callable[[str, int, int], None]


def streamable(config: AuditConfig) -> bool:
    """Whether the run can be streamed: no model scorer needs all units at once."""
    return not config.scorers and not config.adequacy


class _Spool:
    """Article results pickled one after another into a temporary file."""

    def __init__(self, folder: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=".spool-", suffix=".tmp", dir=folder)
        self.path = Path(name)
        self.fh = os.fdopen(fd, "w+b")
        self.count = 0

    def add(self, result: ArticleResult) -> None:
        pickle.dump(result, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self):
        self.fh.flush()
        self.fh.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.fh)

    def close(self) -> None:
        self.fh.close()
        try:
            self.path.unlink()
        except OSError:
            pass


class _TempFile:
    """A report file written to a temporary name in the report folder, renamed at the end."""

    def __init__(self, path: Path, encoding: str = "utf-8") -> None:
        self.path = path
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "w", encoding=encoding, newline="")

    def finish(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # as a plain write would (mkstemp makes it private)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        try:
            self.fh.close()
            self.tmp.unlink()
        except OSError:
            pass


def _indent(text: str, level: int) -> str:
    """JSON text (json.dumps, indent=1) nested ``level`` deep: its lines after the first
    shifted right (JSON strings never hold a raw newline)."""
    return text.replace("\n", "\n" + " " * level)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


class ReportWriter:
    """findings.csv, segments.csv, articles.csv and findings.json, one article at a time;
    the bytes are those :func:`mtaudit.report.write_reports` writes for the same results."""

    def __init__(self, out_dir: Path, policy: GatePolicy) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir, self.policy = out_dir, policy
        self.files = {
            "findings.csv": _TempFile(out_dir / "findings.csv", "utf-8-sig"),
            "articles.csv": _TempFile(out_dir / "articles.csv", "utf-8-sig"),
            "segments.csv": _TempFile(out_dir / "segments.csv", "utf-8-sig"),
        }
        self.writers = {
            name: csv.DictWriter(self.files[name].fh, fieldnames=list(cols), lineterminator="\r\n", extrasaction="ignore")
            for name, cols in (("findings.csv", FINDING_COLUMNS), ("articles.csv", ARTICLE_COLUMNS), ("segments.csv", SEGMENT_COLUMNS))
        }
        for w in self.writers.values():
            w.writeheader()
        fd, name = tempfile.mkstemp(prefix=".articles-json.", suffix=".tmp", dir=out_dir)
        self.json_part = Path(name)
        self.json_fh = os.fdopen(fd, "w", encoding="utf-8")
        self.articles = 0

    def add(self, result: ArticleResult) -> dict:
        """Write one article's rows; returns its articles.csv row."""
        self.writers["findings.csv"].writerows(f.as_row() for f in result.findings)
        row = article_row(result, self.policy)
        self.writers["articles.csv"].writerow(row)
        self.writers["segments.csv"].writerows(segment_rows(result))
        self.json_fh.write((",\n" if self.articles else "") + "  " + _indent(_dumps(article_json(result, self.policy)), 2))
        self.articles += 1
        return row

    def finish(self, result: AuditResult, html: str) -> dict[str, Path]:
        """Write findings.json (its head needs the whole run) and report.html; rename everything into place."""
        self.json_fh.close()
        whole = findings_json(AuditResult([], result.skipped, result.signature, result.corpus_scores), self.policy)
        whole["summary"] = summary(result, self.policy)
        whole["check_crashes"] = [c.__dict__ for c in result.crashes]
        json_tmp = _TempFile(self.out_dir / "findings.json")
        try:
            out = json_tmp.fh
            out.write("{\n")
            members = []
            for key, value in whole.items():
                if key == "articles" and self.articles:
                    members.append(None)
                else:
                    members.append(f" {json.dumps(key)}: {_indent(_dumps(value), 1)}")
            for i, member in enumerate(members):
                if i:
                    out.write(",\n")
                if member is None:
                    out.write(' "articles": [\n')
                    with open(self.json_part, encoding="utf-8") as part:
                        for chunk in iter(lambda: part.read(1 << 20), ""):
                            out.write(chunk)
                    out.write("\n ]")
                else:
                    out.write(member)
            out.write("\n}")
        except BaseException:
            json_tmp.discard()
            raise
        for f in self.files.values():
            f.finish()
        json_tmp.finish()
        os.unlink(self.json_part)
        atomic_write(self.out_dir / "report.html", html)
        return {name: self.out_dir / name for name in ("findings.csv", "articles.csv", "segments.csv", "findings.json", "report.html")}

    def discard(self) -> None:
        for f in self.files.values():
            f.discard()
        try:
            self.json_fh.close()
            os.unlink(self.json_part)
        except OSError:
            pass


def _light(result: ArticleResult) -> ArticleResult:
    """What the gate and the summary need of an article once its rows are written."""
    art = result.article
    return ArticleResult(
        Article(art.id, "", origin=art.origin), [], result.findings, result.crashes, result.scores, [], [], {},
        result.unit_scores,
    )


def _summary_page(result: AuditResult, policy: GatePolicy) -> str:
    from html import escape

    s = summary(result, policy)
    sev = ", ".join(f"{k} {v}" for k, v in s["findings"].items())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>mtaudit report</title></head><body>'
        f"<h1>mtaudit report</h1><p>{s['articles_audited']} articles, findings: {escape(sev)}; verdict "
        f"{escape(s['verdict'])}.</p><p>This batch is larger than {HTML_ARTICLES} articles: the findings are in "
        '<a href="findings.csv">findings.csv</a>, <a href="articles.csv">articles.csv</a>, '
        '<a href="segments.csv">segments.csv</a> and <a href="findings.json">findings.json</a>.</p></body></html>'
    )


def audit_to_reports(
    articles: Iterable[Article],
    config: AuditConfig,
    out_dir: Path,
    policy: GatePolicy,
    skipped: Iterable[InputProblem] = (),
    progress: Progress | None = None,
    total: int = 0,
) -> tuple[AuditResult, dict[str, Path]]:
    """Audit ``articles`` and write the reports into ``out_dir`` in constant memory; returns
    the run's result (articles without their text and segments) and the files written.
    The reports are those of ``write_reports(audit(...))``, byte for byte."""
    from .html_report import render_html

    if not streamable(config):
        raise ValueError("model scorers need the whole batch: use mtaudit.pipeline.audit")
    skipped = list(skipped)
    specs = select(config.checks, config.exclude)
    resources = Resources(config.reference_dirs, config.name_files)
    resources.validate()
    out_dir.mkdir(parents=True, exist_ok=True)
    tallies = BatchTallies(specs)
    spool = _Spool(out_dir)
    writer = None
    try:
        for result in iter_audit(articles, config, specs, resources):
            tallies.add(result, keep=False)
            spool.add(result)
            if progress:
                progress("audit", spool.count, total)
        found, failed = tallies.run(resources)
        batch: dict[str, list] = {}
        for f in found:
            batch.setdefault(f.article_id, []).append(f)
        sig = signature(specs, resources)
        system: dict[str, float] = {}
        unit_config = replace(config, scorers=[], adequacy=False)
        writer = ReportWriter(out_dir, policy)
        light: list[ArticleResult] = []
        full: list[ArticleResult] = []
        rows: list[dict] = []
        pairs: list[tuple[str, str]] = []
        keep_full = spool.count <= HTML_ARTICLES
        for done, r in enumerate(spool, 1):
            r.findings.extend(batch.pop(r.article.id, []))
            for check_id, error in failed:
                r.crashes.append(CheckCrash(r.article.id, "", check_id, error))
            r.findings.sort(key=_finding_order)
            pairs.extend((hyp, ref) for _, hyp, ref in r.scored_pairs)
            if config.align and config.score:
                score_units([r], unit_config, system)
            row = writer.add(r)
            light.append(_light(r))
            if keep_full:
                full.append(r)
                rows.append(row)
            if progress:
                progress("reports", done, spool.count)
        scores = corpus_scores([h for h, _ in pairs], [r for _, r in pairs]) if pairs else []
        if scores:
            sig["scorers"] = {s.name: s.signature for s in scores}
        sig["system_scores"] = system
        result = AuditResult(light, skipped, sig, scores)
        html = render_html(AuditResult(full, skipped, sig, scores), policy, rows) if keep_full else _summary_page(result, policy)
        paths = writer.finish(result, html)
        writer = None
        return result, paths
    finally:
        spool.close()
        if writer is not None:
            writer.discard()
