"""Report writers: findings.csv, articles.csv, segments.csv, findings.json, findings.xlsx, report.html.

CSV files are UTF-8 with BOM so that Excel shows Arabic, and every text cell is neutralised
against formula injection (mtaudit.reports.cells). Every file is written to a
temporary file in the output folder and renamed into place, so a crash or a full disk never
leaves a half-written report where the previous one was.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable

import regex

from ..files import atomic_write
from ..gate.policy import article_penalty, article_quality, article_words, delivery_quality, penalty
from ..gate.verdict import GatePolicy, article_rules, article_verdict, evaluate, over_limits
from ..scorers.reference_scores import SCORE_NAMES
from ..text.oddness import oddness
from ..types import (
    CATEGORIES,
    FINDING_COLUMNS,
    SEVERITIES_WORST_FIRST,
    ArticleResult,
    AuditResult,
    SegmentKind,
)
from .cells import FORMULA_STARTS
from .context import ArticleIndex

#: Score columns of the model scorers (mtaudit.scorers), present when they ran.
MODEL_SCORE_NAMES = ("comet", "comet_qe", "adequacy", "mt_logprob", "bt_chrf")

_WORD = regex.compile(r"[\p{L}\p{N}]+")

#: Columns findings.csv adds after the DESIGN.md contract (FINDING_COLUMNS): the 1-based line
#: of the span (in the file for a .txt article, in the record for a JSONL/CSV record), its
#: sentence with the span between ⟦ ⟧, the aligned source sentence, and the penalty points.
FINDING_EXTRA_COLUMNS = ("line", "context", "source", "penalty")
#: Score columns of articles.csv and segments.csv are written only when something filled them.
OPTIONAL_COLUMNS = frozenset((*SCORE_NAMES, *MODEL_SCORE_NAMES))

ARTICLE_COLUMNS = (
    "article_id",
    "origin",
    "words",
    "segments",
    "boilerplate_segments",
    "findings",
    *(s.value for s in SEVERITIES_WORST_FIRST),
    *(f"category_{c}" for c in CATEGORIES),
    "findings_per_1000_words",
    "verdict",
    "crashes",
    *SCORE_NAMES,
    *MODEL_SCORE_NAMES,
    "penalty",
    "quality",
    "failed_rules",
    "suppressed",
)
SEGMENT_COLUMNS = (
    "article_id",
    "segment_id",
    "index",
    "kind",
    "start",
    "end",
    "paragraph",
    "boilerplate_rule",
    "words",
    "findings",
    "oddness",
    "text",
    "alignment",
    "aligned_unit",
    "source",
    "reference",
    *SCORE_NAMES,
    *MODEL_SCORE_NAMES,
)


#: suppressed.csv: the suppressed findings with why (written only when there are some).
SUPPRESSED_COLUMNS = (*FINDING_COLUMNS, "fingerprint", "reason", "author", "date")


def _csv_text(columns: Iterable[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO(newline="")
    write_csv_rows(buf, list(columns), rows, header=True)
    return buf.getvalue()


def write_csv_rows(fh, columns: list[str], rows: Iterable[dict], header: bool = False) -> None:
    """Write ``rows`` (dicts; a missing column is empty, others are ignored) to ``fh`` as
    the CSV files hold them: CRLF lines, text cells neutralised (mtaudit.reports.cells)."""
    writer = csv.writer(fh, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    starts = FORMULA_STARTS
    writer.writerows(
        ["'" + v if isinstance(v, str) and v.startswith(starts) else v for v in map(row.get, columns, repeat(""))]
        for row in rows
    )


def filled_columns(columns: Iterable[str], rows: list[dict]) -> list[str]:
    """``columns`` less the optional (score) ones that no row filled."""
    filled = set()
    for r in rows:  # (only a row's optional keys are looked at: most rows have none)
        for c in OPTIONAL_COLUMNS.intersection(r):
            if r[c] not in ("", None):
                filled.add(c)
    return [c for c in columns if c not in OPTIONAL_COLUMNS or c in filled]


def finding_rows(result: AuditResult, policy: GatePolicy | None = None) -> Iterable[tuple[dict, object]]:
    """(findings.csv row, where it sits) of every finding; the second item (a
    mtaudit.reports.context.Located) lets the spreadsheet highlight the span in its context."""
    for art in result.articles:
        yield from article_finding_rows(art, policy)


def article_finding_rows(art: ArticleResult, policy: GatePolicy | None = None) -> Iterable[tuple[dict, object]]:
    """(findings.csv row, where it sits) of one article's findings (see :func:`finding_rows`)."""
    index = ArticleIndex(art)
    for f in art.findings:
        where = index.locate(f)
        row = f.as_row()
        row.update(line=where.line, context=where.context, source=where.source, penalty=penalty(f, policy))
        yield row, where


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def article_row(result: ArticleResult, policy: GatePolicy, over: dict[str, int] | None = None) -> dict:
    content = [s for s in result.segments if s.kind is not SegmentKind.BOILERPLATE]
    words = article_words(result) if content else 0  # (counted once per article: the gate asks too)
    by_sev = Counter(f.severity.value for f in result.findings)
    by_cat = Counter(f.category for f in result.findings)
    row = {
        "article_id": result.article.id,
        "origin": result.article.origin,
        "words": words,
        "segments": len(content),
        "boilerplate_segments": len(result.segments) - len(content),
        "findings": len(result.findings),
        "findings_per_1000_words": round(1000 * len(result.findings) / words, 2) if words else 0.0,
        "verdict": article_verdict(result, policy, over),
        "penalty": article_penalty(result, policy),
        "quality": article_quality(result, policy),
        "failed_rules": "; ".join(article_rules(result, policy, over)),
        "suppressed": len(result.suppressed),
        "crashes": "; ".join(f"{c.check}@{c.segment_id or 'article'}: {c.error}" for c in result.crashes),
    }
    row.update({s.value: by_sev.get(s.value, 0) for s in SEVERITIES_WORST_FIRST})
    row.update({f"category_{c}": by_cat.get(c, 0) for c in CATEGORIES})
    row.update(result.article_scores())
    return row


def segment_text_stats(result: ArticleResult) -> list[tuple[int, float | str]]:
    """(words, oddness) of each segment of ``result``, in order (oddness "" for boilerplate):
    segments.csv's costly cells, a pure function of the article's segments (nothing of the
    batch, not even the findings), so a worker may compute them beside the audit and hand
    them to :func:`segment_rows`."""
    return [
        (word_count(s.text), oddness(s.text) if s.kind is not SegmentKind.BOILERPLATE else "")
        for s in result.segments
    ]


def segment_rows(result: ArticleResult, stats: list[tuple[int, float | str]] | None = None) -> Iterable[dict]:
    """segments.csv's rows of one article (``stats``: its :func:`segment_text_stats`, when
    computed already; by default those the audit left in ``result.segment_stats``)."""
    counts = Counter(f.segment_id for f in result.findings)
    unit_of = {seg_id: u for u in result.units for seg_id in u.segment_id.split("+")}
    if stats is None:
        stats = getattr(result, "segment_stats", None) or []  # (a result pickled before the field was)
    if len(stats) != len(result.segments):
        stats = segment_text_stats(result)
    for s, (words, odd) in zip(result.segments, stats):
        unit = unit_of.get(s.segment_id)
        # A segment aligned as part of a group (1:2, 2:1) carries the group's scores.
        scores = {**result.unit_scores.get(unit.segment_id, {}), **result.scores.get(s.segment_id, {})} if unit else result.scores.get(s.segment_id, {})
        yield {
            **scores,
            "alignment": result.alignment.get(s.segment_id, ""),
            "aligned_unit": unit.segment_id if unit else "",
            "source": (unit.source or "") if unit else "",
            "reference": (unit.reference or "") if unit else "",
            "article_id": s.article_id,
            "segment_id": s.segment_id,
            "index": s.index,
            "kind": s.kind.value,
            "start": s.start,
            "end": s.end,
            "paragraph": s.paragraph,
            "boilerplate_rule": s.reason,
            "words": words,
            "findings": counts.get(s.segment_id, 0),
            "oddness": odd,
            "text": s.text,
        }


def summary(result: AuditResult, policy: GatePolicy) -> dict:
    verdict = evaluate(result, policy)
    by_sev = Counter(f.severity.value for f in result.findings)
    return {
        "scores": {**{s.name: s.score for s in result.corpus_scores}, **result.signature.get("system_scores", {})},
        "articles_audited": len(result.articles),
        "inputs_skipped": sum(1 for p in result.skipped if p.skipped),
        "findings": {s.value: by_sev.get(s.value, 0) for s in SEVERITIES_WORST_FIRST},
        "check_crashes": len(result.crashes),
        "fail_on": policy.fail_on.value if policy.fail_on else "never",
        "words": sum(article_words(a) for a in result.articles),
        "penalty": sum(article_penalty(a, policy) for a in result.articles),
        "quality": delivery_quality(result, policy),
        "weights": dict(policy.weights),
        "suppressed": sum(len(a.suppressed) for a in result.articles),
        "unused_suppressions": len(result.unused_suppressions),
        "baseline": (
            {"new": sum(1 for a in result.articles for st in a.baseline_state.values() if st == "new"),
             "unchanged": sum(1 for a in result.articles for st in a.baseline_state.values() if st == "unchanged"),
             "fixed": len(result.fixed)}
            if any(a.baseline_state for a in result.articles) or result.fixed else None
        ),
        "verdict": verdict.status,
        "failed_rules": verdict.rules,
        "exit_code": verdict.exit_code,
        "reasons": verdict.reasons,
    }


def article_json(a: ArticleResult, policy: GatePolicy, over: dict[str, int] | None = None) -> dict:
    """One article's entry in findings.json (``over``: checks above their delivery-wide
    ``max_findings``, from mtaudit.gate.verdict.over_limits)."""
    return {
        "article_id": a.article.id,
        "origin": a.article.origin,
        "verdict": article_verdict(a, policy, over),
        "failed_rules": article_rules(a, policy, over),
        "quality": article_quality(a, policy),
        "penalty": article_penalty(a, policy),
        "words": article_words(a),
        "scores": a.article_scores(),
        "segment_scores": a.scores,
        "units": [
            {
                "segment_id": u.segment_id,
                "start": u.start,
                "end": u.end,
                "source": u.source,
                "reference": u.reference,
                "scores": a.unit_scores.get(u.segment_id, {}),
            }
            for u in a.units
        ],
        "findings": [finding_dict(a, f, policy) for f in a.findings],
        "suppressed": [
            {**s.finding.as_row(), "fingerprint": s.fingerprint, "reason": s.reason, "author": s.author, "date": s.date}
            for s in a.suppressed
        ],
    }


def finding_dict(article: ArticleResult, f, policy: GatePolicy) -> dict:
    """A finding as findings.json writes it: the CSV row plus fingerprint, penalty, baseline state."""
    fp = article.fingerprints.get(f, "")
    row = {**f.as_row(), "fingerprint": fp, "penalty": penalty(f, policy)}
    if article.baseline_state:
        row["baseline"] = article.baseline_state.get(fp, "new")
    return row


def findings_json(result: AuditResult, policy: GatePolicy) -> dict:
    over = over_limits(result, policy)
    return {
        "signature": result.signature,
        "summary": summary(result, policy),
        "corpus_scores": [s.__dict__ for s in result.corpus_scores],
        "articles": [article_json(a, policy, over) for a in result.articles],
        "input_problems": [{"origin": p.origin, "line": p.line, "message": p.message, "skipped": p.skipped, "kind": p.kind} for p in result.skipped],
        "check_crashes": [c.__dict__ for c in result.crashes],
        "baseline_fixed": [e.__dict__ for e in result.fixed],
        "unused_suppressions": [e.as_row() for e in result.unused_suppressions],
    }


def write_reports(
    result: AuditResult,
    out_dir: Path,
    policy: GatePolicy,
    lang: str = "ar",
    references: Iterable[Path] = (),
    pages_aside: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Path]:
    """Write every report into ``out_dir``; returns {name: path}. ``lang`` is the language of
    report.html (``references`` may hold a newsroom's message catalogues). ``pages_aside``:
    render and write the HTML pages in a forked child (mtaudit.forked) while this process
    writes the tables, for a run given a second core (``--jobs`` 2 or more), and findings.xlsx
    in another; the same bytes. ``progress(done, total)`` is told as each file (the HTML
    pages: one) is written."""
    from .xlsx import write_xlsx

    # findings, articles and segments CSV, findings.json, findings.xlsx, the HTML pages
    step, steps = [0], 6

    def wrote() -> None:
        step[0] += 1
        if progress:
            progress(step[0], steps)

    if progress:
        progress(0, steps)

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "findings.csv": out_dir / "findings.csv",
        "articles.csv": out_dir / "articles.csv",
        "segments.csv": out_dir / "segments.csv",
        "findings.json": out_dir / "findings.json",
        "findings.xlsx": out_dir / "findings.xlsx",
        "report.html": out_dir / "report.html",
    }
    located = list(finding_rows(result, policy))
    finding_columns = (*FINDING_COLUMNS, *FINDING_EXTRA_COLUMNS)
    over = over_limits(result, policy)
    segments = []
    for a in result.articles:
        rows = list(segment_rows(a))
        if a.word_count < 0 and a.segments:  # the words of its rows: not counted again for the gate
            a.word_count = sum(r["words"] for r in rows if r["kind"] != SegmentKind.BOILERPLATE.value)
        segments.extend(rows)
    articles = [article_row(a, policy, over) for a in result.articles]
    article_columns = filled_columns(ARTICLE_COLUMNS, articles)
    segment_columns = filled_columns(SEGMENT_COLUMNS, segments)
    sheets = [("findings", finding_columns, located), ("articles", article_columns, [(r, None) for r in articles]),
              ("segments", segment_columns, [(r, None) for r in segments])]
    aside = []  # finish() of each file written by a forked child
    try:
        if pages_aside:
            from ..forked import start

            # The pages and the workbook (each about a third of the writing) in two children, the
            # CSV files and findings.json here: three processes for the two cores. Started in
            # here: a second fork that fails abandons the first child.
            aside.append(start(write_pages, result, policy, articles, out_dir, lang, references))
            aside.append(start(write_xlsx, paths["findings.xlsx"], sheets))
        atomic_write(paths["findings.csv"], _csv_text(finding_columns, (r for r, _ in located)), "utf-8-sig")
        wrote()
        atomic_write(paths["articles.csv"], _csv_text(article_columns, articles), "utf-8-sig")
        wrote()
        atomic_write(paths["segments.csv"], _csv_text(segment_columns, segments), "utf-8-sig")
        wrote()
        atomic_write(paths["findings.json"], json.dumps(findings_json(result, policy), ensure_ascii=False, indent=1))
        wrote()
        if not aside:
            write_xlsx(paths["findings.xlsx"], sheets)
            wrote()
        paths.update(write_suppressed(result, out_dir))
    except BaseException:
        for finish in aside:
            finish(abandon=True)
        raise
    if not aside:
        write_pages(result, policy, articles, out_dir, lang, references)
        wrote()
    for k, finish in enumerate(aside):
        try:
            finish()
            wrote()
        except BaseException:
            for rest in aside[k + 1:]:
                rest(abandon=True)
            raise
    return paths


def write_pages(
    result: AuditResult, policy: GatePolicy, rows: list[dict], out_dir: Path, lang: str = "ar",
    references: Iterable[Path] = (),
) -> None:
    """report.html (and its article pages) into ``out_dir``; ``rows``: the articles.csv rows."""
    from .html import render_pages  # (jinja2 and the templates: not for a run whose reports are restored)

    for name, page in render_pages(result, policy, rows, lang, references).items():
        atomic_write(out_dir / name, page, durable=name == "report.html")


def write_suppressed(result: AuditResult, out_dir: Path) -> dict[str, Path]:
    """suppressed.csv, when a suppression file took findings out of the gate."""
    if not any(a.suppressed for a in result.articles):
        return {}
    path = out_dir / "suppressed.csv"
    atomic_write(path, _csv_text(SUPPRESSED_COLUMNS, (
        {**s.finding.as_row(), "fingerprint": s.fingerprint, "reason": s.reason, "author": s.author, "date": s.date}
        for a in result.articles for s in a.suppressed
    )), "utf-8-sig")
    return {"suppressed.csv": path}
