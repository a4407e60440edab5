"""A batch audit in constant memory: results streamed to disk, reports written row by row.

:func:`mtaudit.run.pipeline.audit` holds every article's result until the reports are
written, so its memory grows with the batch. :func:`audit_to_reports` writes the same
files, byte for byte, holding only what the end of the run needs:

1. each article's result, as it finishes, is appended to a spool file in the report folder
   and its batch-check summaries are folded into the tallies (mtaudit.checks);
2. the batch checks run on the tallies;
3. the spool is read back one article at a time: the batch findings join the article, its
   alignment and sentence scores are computed (the scoring stage, per article), and its rows
   go to findings.csv, segments.csv, articles.csv and findings.json;
4. findings.json gets its summary head and the temporary files are renamed into place.

What stays in memory is one article at a time, the tallies (the batch's word forms), the
articles' ids and, with references, the hypothesis/reference pairs sacrebleu's corpus scores
need. Above :data:`HTML_ARTICLES` articles what the end of the run needs of each article
(its findings and scores for the gate and the summary: a light result; its row of the review
desk's index) is spilled to disk as its rows are written (mtaudit.spill.SpillList) and read
back in order; the returned result's articles are that spilled sequence. report.html is rendered from
the full results for batches up to :data:`HTML_ARTICLES` articles; above that each
article's page is written with its rows and the index pages at the end
(mtaudit.reports.html.PagedReport), so no report file grows with the batch.

Model scorers (COMET, the MT model, adequacy) score all units of the batch together, so a
run with them uses :func:`mtaudit.run.pipeline.audit`.
"""

from __future__ import annotations

import csv
import json
import os
import pickle
import tempfile
from dataclasses import replace
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable

from ..files import atomic_write
from ..gate.policy import article_words
from ..gate.verdict import GatePolicy
from ..knowledge.resources import Resources
from ..reports.cells import FORMULA_STARTS
from ..reports.report_set import is_staging
from ..reports.tables import (
    ARTICLE_COLUMNS,
    FINDING_EXTRA_COLUMNS,
    SEGMENT_COLUMNS,
    article_json,
    article_row,
    finding_rows,
    findings_json,
    segment_rows,
    summary,
    write_reports,
    write_suppressed,
)
from ..scorers.reference_scores import corpus_scores
from ..spill import SpillList
from ..types import FINDING_COLUMNS, Article, ArticleResult, AuditResult, CheckCrash, InputProblem, SegmentKind
from .packed import PackedResult
from .pipeline import (
    TIME_LIMIT,
    AuditConfig,
    BatchTallies,
    _finding_order,
    cache_plan,
    embedding_store,
    iter_audit_packed,
    score_units,
    signature,
    timeout_problem,
)

#: Batches up to this many articles get the full HTML report (it holds every article).
HTML_ARTICLES = 2000

#: A streamed batch keeps this many articles' light results and index rows in memory (a
#: few MB; a batch up to HTML_ARTICLES holds its whole results anyway), the rest on disk:
#: the gate, the summary and the index read them some 40 times, from disk at some 15 µs
#: an article each time.
SPILL_AFTER = HTML_ARTICLES

#: progress(stage, done, total): stage is "audit" (articles audited), "batch" (batch checks
#: run), "reports" (articles through the report pass: their batch findings, alignment and
#: scores, triage, and above HTML_ARTICLES their rows) or "files" (report files written).
Progress = Callable[[str, int, int], None]


def streamable(config: AuditConfig) -> bool:
    """Whether the run can be streamed: no model scorer needs all units at once."""
    return not config.scorers and not config.adequacy


class _Spool:
    """(input index, packed result) records (mtaudit.run.packed: the bytes a worker or the
    result cache gave) pickled one after another into a file: a temporary one, or with
    ``path`` a shard's results.spool that `mtaudit merge` reads."""

    def __init__(self, folder: Path, path: Path | None = None) -> None:
        if path is None:
            fd, name = tempfile.mkstemp(prefix=".spool-", suffix=".tmp", dir=folder)
            self.path, self.keep = Path(name), False
            self.fh = os.fdopen(fd, "w+b")
        else:
            self.path, self.keep = path, True
            self.fh = open(path, "w+b")
        self.count = 0

    def add(self, index: int, item: PackedResult) -> None:
        # (the summaries only in a shard's spool, which `mtaudit merge` reads them from: the
        # report pass of this run does not)
        summaries = item.summary_blob if self.keep else b""
        pickle.dump((index, item.blob, summaries), self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self):
        """(input index, result) for every record, the results without their summaries (the
        report pass does not read them: the batch checks have run)."""
        self.fh.flush()
        self.fh.seek(0)
        for _ in range(self.count):
            index, blob, _ = pickle.load(self.fh)
            yield index, pickle.loads(blob)

    def close(self) -> None:
        self.fh.close()
        if not self.keep:
            try:
                self.path.unlink()
            except OSError:
                pass


def read_spool(path: Path):
    """The (input index, result) records of a shard's results.spool, in order, the results
    with their summaries."""
    with open(path, "rb") as fh:
        while True:
            try:
                index, blob, summary_blob = pickle.load(fh)
            except EOFError:
                return
            result = pickle.loads(blob)
            result.summaries = pickle.loads(summary_blob)
            yield index, result


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
    """findings.csv, segments.csv, articles.csv, findings.json and findings.xlsx, one article
    at a time; the bytes are those :func:`mtaudit.reports.tables.write_reports` writes for the
    same results (findings.xlsx: the same cells; it is streamed, mtaudit.reports.xlsx)."""

    def __init__(self, out_dir: Path, policy: GatePolicy) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir, self.policy = out_dir, policy
        self.files = {
            "findings.csv": _TempFile(out_dir / "findings.csv", "utf-8-sig"),
            "articles.csv": _TempFile(out_dir / "articles.csv", "utf-8-sig"),
            "segments.csv": _TempFile(out_dir / "segments.csv", "utf-8-sig"),
        }
        self.writers = {
            name: _NeutralWriter(self.files[name].fh, list(cols))
            for name, cols in (
                ("findings.csv", (*FINDING_COLUMNS, *FINDING_EXTRA_COLUMNS)),
                ("articles.csv", ARTICLE_COLUMNS),
                ("segments.csv", SEGMENT_COLUMNS),
            )
        }
        for w in self.writers.values():
            w.writeheader()
        fd, name = tempfile.mkstemp(prefix=".articles-json.", suffix=".tmp", dir=out_dir)
        self.json_part = Path(name)
        self.json_fh = os.fdopen(fd, "w", encoding="utf-8")
        from ..reports.xlsx import XlsxTables  # (xlsxwriter is imported only when a report is written)

        self.xlsx = None
        try:
            self.xlsx = XlsxTables(out_dir / "findings.xlsx", [
                ("findings", (*FINDING_COLUMNS, *FINDING_EXTRA_COLUMNS)), ("articles", ARTICLE_COLUMNS),
                ("segments", SEGMENT_COLUMNS),
            ])
        except BaseException:
            self.discard()  # the temporary files made so far go too
            raise
        self.articles = 0

    def add(self, result: ArticleResult) -> dict:
        """Write one article's rows; returns its articles.csv row."""
        sheets = self.xlsx.sheets
        findings, sheet = self.writers["findings.csv"], sheets["findings"]
        for row, where in finding_rows(AuditResult([result], [], {}), self.policy):
            findings.writerow(row)
            sheet.add(row, where)
        seg_rows = list(segment_rows(result))
        if result.word_count < 0 and result.segments:  # the words of its rows: not counted again
            result.word_count = sum(r["words"] for r in seg_rows if r["kind"] != SegmentKind.BOILERPLATE.value)
        row = article_row(result, self.policy)
        self.writers["articles.csv"].writerow(row)
        sheets["articles"].add(row)
        segments, sheet = self.writers["segments.csv"], sheets["segments"]
        for seg in seg_rows:
            segments.writerow(seg)
            sheet.add(seg)
        self.json_fh.write((",\n" if self.articles else "") + "  " + _indent(_dumps(article_json(result, self.policy)), 2))
        self.articles += 1
        return row

    def finish(self, result: AuditResult) -> dict[str, Path]:
        """Write findings.json (its head needs the whole run); rename everything into place."""
        self.json_fh.close()
        whole = findings_json(
            AuditResult([], result.skipped, result.signature, result.corpus_scores, result.fixed, result.unused_suppressions),
            self.policy,
        )
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
        self.xlsx.close()
        written = {name: self.out_dir / name
                   for name in ("findings.csv", "articles.csv", "segments.csv", "findings.json", "findings.xlsx")}
        written.update(write_suppressed(result, self.out_dir))
        return written

    def discard(self) -> None:
        for f in self.files.values():
            f.discard()
        if self.xlsx is not None:
            self.xlsx.discard()
        try:
            self.json_fh.close()
            os.unlink(self.json_part)
        except OSError:
            pass


class _NeutralWriter:
    """csv.DictWriter whose text cells are neutralised against formula injection, as
    mtaudit.reports.tables writes them."""

    def __init__(self, fh, columns: list[str]) -> None:
        self.writer = csv.writer(fh, lineterminator="\r\n")
        self.columns = columns

    def writeheader(self) -> None:
        self.writer.writerow(self.columns)

    def writerow(self, row: dict) -> None:
        # (a missing column is empty, other keys are ignored: csv.DictWriter's way, in one pass)
        self.writer.writerow(["'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
                              for v in map(row.get, self.columns, repeat(""))])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def _light(result: ArticleResult, segment_scores: bool = True) -> ArticleResult:
    """What the gate and the summary need of an article once its rows are written; without
    ``segment_scores`` (a gate on article scores) its scores are kept as the article's
    means alone, which is all :meth:`ArticleResult.article_scores` gives then."""
    art = result.article
    scores = result.scores
    unit_scores = result.unit_scores
    if not segment_scores and (len(scores) > 1 or unit_scores):
        whole = result.article_scores()
        scores, unit_scores = ({"": whole} if whole else {}), {}
    return replace(
        result,
        article=replace(art, text="", source=None, reference=None, record_sources=(), record_references=()),
        segments=[], scored_pairs=[], units=[], alignment={}, summaries={}, segment_stats=[],
        word_count=article_words(result), scores=scores, unit_scores=unit_scores,
    )


SHARD_RESULTS = "results.spool"
SHARD_META = "shard.json"


def audit_to_reports(
    articles: Iterable[Article],
    config: AuditConfig,
    out_dir: Path,
    policy: GatePolicy,
    skipped: Iterable[InputProblem] = (),
    progress: Progress | None = None,
    total: int = 0,
    indices: list[int] | None = None,
    shard: str = "",
    triage=None,
    lang: str = "ar",
    report_options: str | None = None,
) -> tuple[AuditResult, dict[str, Path]]:
    """Audit ``articles`` and write the reports into ``out_dir`` in constant memory; returns
    the run's result (articles without their text and segments) and the files written.
    The reports are those of ``write_reports(audit(...))``, byte for byte.

    ``report_options`` (mtaudit.run.report_cache.report_options: what else shapes the
    reports and the gate): with the result cache on, an unsharded run whose articles are
    all stored reuses the report set an identical run stored (mtaudit.run.report_cache),
    and a run whose articles all end up stored keeps its set for the next one.

    ``shard`` ("I/N"): this run is one shard of a batch (``indices``: each article's place
    in the whole input); its results, with the batch checks' summaries, are kept in
    ``out_dir/results.spool`` for `mtaudit merge`."""
    if not streamable(config):
        raise ValueError("model scorers need the whole batch: use mtaudit.run.pipeline.audit")
    skipped = list(skipped)
    specs = config.specs()
    resources = config.resources()
    if config.cache and not isinstance(articles, list):
        articles = list(articles)
    plan = cache_plan(articles, config, specs, resources)
    sets = set_key = None
    try:
        if plan is not None and report_options is not None and not shard:
            from .report_cache import ReportSetCache, report_key

            sets = ReportSetCache(plan.cache.folder)
            # (the signature: findings.json records the reference folders' paths too)
            set_key = report_key(plan.keys, report_options + repr(signature(specs, resources)), skipped)
            if plan.complete:
                out_dir.mkdir(parents=True, exist_ok=True)
                stored = sets.restore(set_key, out_dir)
                if stored is not None:
                    plan.cache.touch(plan.keys)
                    if triage is not None and stored.stats is not None:
                        triage.stats = stored.stats
                    if progress:
                        progress("reports", len(plan.keys), len(plan.keys))
                    return stored.result, stored.paths
        if plan is None or not plan.complete:  # else this very data was validated when the results were stored
            resources.validate()
        out_dir.mkdir(parents=True, exist_ok=True)
        tallies = BatchTallies(specs)
        spool = _Spool(out_dir, out_dir / SHARD_RESULTS if shard else None)
        clean = 0  # articles audited without a crash (so stored in the result cache)
        ids: list[str] = []  # the spooled articles' ids, in order (they name the review desk's decisions)
        try:
            # Results come packed (mtaudit.run.packed): spooled as they are, only their
            # summaries read here.
            for k, item in enumerate(iter_audit_packed(articles, config, specs, resources, plan)):
                clean += not item.crashes
                if any(c.check == TIME_LIMIT for c in item.crashes):
                    # too slow: an input problem, as in mtaudit.run.pipeline.audit
                    skipped.append(timeout_problem(item.unpack(summaries=False)))
                    continue
                spool.add(indices[k] if indices else k, item)  # with its summaries, for a merge
                ids.append(item.article_id)
                tallies.add_summaries(item.summaries())
                if progress:
                    progress("audit", k + 1, total)
            if shard:
                spool.fh.flush()
                meta = {"shard": shard, "run": _run_id(specs, resources, config), "articles": spool.count,
                        "input_problems": [p.__dict__ for p in skipped]}
                atomic_write(out_dir / SHARD_META, json.dumps(meta, ensure_ascii=False, indent=1))
            result, paths = _write_reports(lambda: (r for _, r in spool), ids, tallies, specs, resources, config,
                                           out_dir, policy, skipped, progress, triage, lang)
        finally:
            spool.close()
        if sets is not None and clean == len(plan.keys) and not result.crashes:
            # every article is in the result cache now: the next unchanged run reuses these reports
            sets.store(set_key, out_dir, result, paths, triage.stats if triage is not None else None)
        return result, paths
    finally:
        if plan is not None:
            plan.close()


def _run_id(specs, resources: Resources, config: AuditConfig) -> str:
    from .pipeline import data_identity
    from .result_cache import run_key

    return run_key(specs, data_identity(resources), config.score)


def merge_shards(shard_dirs: list[Path], config: AuditConfig, out_dir: Path, policy: GatePolicy,
                 progress: Progress | None = None, triage=None, lang: str = "ar") -> tuple[AuditResult, dict[str, Path]]:
    """Join shard outputs (`mtaudit audit --shard I/N --out DIR`) into one report set: the
    articles in input order, the batch checks run over every shard's summaries. The
    reports are those an unsharded run writes. Raises ValueError for shards of different
    runs (checks, versions, reference data) or a missing shard file."""
    import heapq

    specs = config.specs()
    resources = config.resources()
    resources.validate()
    want = _run_id(specs, resources, config)
    metas = []
    for d in shard_dirs:
        if is_staging(d):
            raise ValueError(f"{d}: the unfinished report folder of an interrupted run, not a shard output")
        try:
            metas.append(json.loads((d / SHARD_META).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{d}: not a shard output ({SHARD_META}: {exc})") from None
        if not (d / SHARD_RESULTS).is_file():
            raise ValueError(f"{d}: {SHARD_RESULTS} is missing")
        if metas[-1]["run"] != want:
            raise ValueError(f"{d}: audited with other checks, versions or reference data than this merge")
    shards = {m["shard"] for m in metas}
    if len(shards) != len(metas):
        raise ValueError("a shard was given twice")

    def merged():
        return (r for _, r in heapq.merge(*(read_spool(d / SHARD_RESULTS) for d in shard_dirs), key=lambda x: x[0]))

    tallies = BatchTallies(specs)
    ids: list[str] = []
    for r in merged():
        tallies.add(r, keep=False)
        ids.append(r.article.id)
        if progress:
            progress("audit", len(ids), sum(m["articles"] for m in metas))
    skipped = [InputProblem(**p) for p in metas[0]["input_problems"]] if metas else []
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_reports(merged, ids, tallies, specs, resources, config, out_dir, policy, skipped, progress, triage, lang)


def _write_reports(results, ids, tallies, specs, resources, config, out_dir, policy, skipped, progress, triage=None,
                   lang="ar"):
    """Pass two: the batch checks from the tallies, then every article's rows (each article
    triaged first when ``triage`` (mtaudit.gate.triage.Triage) is given).

    Up to :data:`HTML_ARTICLES` articles the finished results are kept and written by
    :func:`mtaudit.reports.tables.write_reports`, the one writer of the in-memory road (so the
    files are the same, byte for byte, including the review desk and findings.xlsx); above
    that, rows, findings.xlsx's rows and review-desk pages are written one article at a time
    (the index pages at the end, mtaudit.reports.html.PagedReport). ``ids``: the articles'
    ids, in the order ``results()`` gives them."""

    found, failed = tallies.run(resources, (lambda done, total: progress("batch", done, total)) if progress else None)
    batch: dict[str, list] = {}
    for f in found:
        batch.setdefault(f.article_id, []).append(f)
    sig = signature(specs, resources)
    system: dict[str, float] = {}
    unit_config = replace(config, scorers=[], adequacy=False)
    count = len(ids)
    keep_full = count <= HTML_ARTICLES
    writer = pages = None
    store = embedding_store(config)  # one for the run's articles, each aligned on its own
    try:
        if not keep_full:
            writer = ReportWriter(out_dir, policy)
            from ..reports.html import PagedReport

            pages = PagedReport(out_dir, policy, ids, sig.get("checks", {}), lang, config.reference_dirs)
        # Above the in-memory limit what the end of the run needs of each article (its light
        # result for the gate and the summary, its index row) goes to disk as it comes.
        light = SpillList(memory_items=SPILL_AFTER)
        rows = SpillList(memory_items=SPILL_AFTER)
        full: list[ArticleResult] = []
        pairs: list[tuple[str, str]] = []
        for done, r in enumerate(results(), 1):
            r.summaries = {}
            r.findings.extend(batch.pop(r.article.id, []))
            for check_id, error in failed:
                r.crashes.append(CheckCrash(r.article.id, "", check_id, error))
            r.findings.sort(key=_finding_order)
            pairs.extend((hyp, ref) for _, hyp, ref in r.scored_pairs)
            if config.align and config.score:
                score_units([r], unit_config, system, specs, resources, store)
            if triage is not None:
                triage.article(r)
            if keep_full:
                full.append(r)
            else:
                rows.append(pages.add(done - 1, r, writer.add(r)))
                light.append(_light(r, segment_scores=policy.score_level == "segment"))
            if progress:
                progress("reports", done, count)
        scores = corpus_scores([h for h, _ in pairs], [r for _, r in pairs]) if pairs else []
        if scores:
            sig["scorers"] = {s.name: s.signature for s in scores}
        sig["system_scores"] = system
        if keep_full:
            result = AuditResult(full, skipped, sig, scores)
            if triage is not None:
                triage.finish(result)
            # with a second core, the HTML pages are written beside the tables (mtaudit.forked)
            aside = config.jobs > 1 and (os.cpu_count() or 1) > 1
            files = (lambda done, total: progress("files", done, total)) if progress else None
            return result, write_reports(result, out_dir, policy, lang, config.reference_dirs, pages_aside=aside,
                                         progress=files)
        result = AuditResult(light, skipped, sig, scores)
        if triage is not None:
            triage.finish(result)
        if progress:
            progress("files", 0, 2)
        paths = writer.finish(result)
        if progress:
            progress("files", 1, 2)
        paths.update(pages.finish(result, rows))
        if progress:
            progress("files", 2, 2)
        rows.close()  # (the light results stay: they are the returned result's articles)
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    finally:
        if store is not None:
            store.close()
    return result, paths


def shard_of(article_id: str, shards: int) -> int:
    """The shard (1..N) an article belongs to: by a hash of its id, the same on every machine."""
    import zlib

    return zlib.crc32(article_id.encode("utf-8")) % shards + 1


def parse_shard(text: str) -> tuple[int, int]:
    """"I/N" → (I, N), 1 ≤ I ≤ N; ValueError otherwise."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like 2/8, not {text!r}") from None
    if not 1 <= i <= n:
        raise ValueError(f"--shard {text}: the shard number must be between 1 and {n}")
    return i, n
