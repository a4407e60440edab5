"""report.html: the editor's review desk, a self-contained right-to-left page.

The markup is the jinja2 template ``templates/report.html.j2`` (autoescaped); this module
builds what it shows. A summary table links to each article; each article's text is shown
paragraph by paragraph (or, with a source, aligned sentence beside aligned sentence) with
the flagged spans marked by severity and numbered; the findings list beside it has the
message in the editor's language (``references/messages_<lang>.tsv``), the suggestion, and
accept / not an error / note buttons whose decisions the page keeps in the browser's
local storage and exports as a decisions file (``mtaudit fix --decisions``) or as a
suppression file (``mtaudit audit --suppressions``). Filters, search, sort and keyboard
navigation are a small inline script (``templates/desk.js``); nothing is loaded from
anywhere, and a Content-Security-Policy allows only the inline script and style.

Mixed text is isolated for the bidi algorithm: every id, path, check name, English
message, flagged text and suggestion sits in ``<bdi>`` or an element with ``dir``, so that
``000_45d3…`` and ``/path/x.txt`` keep their order inside Arabic lines. An invisible
difference (a space before ،) is drawn as a marker, and such findings are grouped and
collapsed under one line per check.

A batch of more than ``SINGLE_PAGE_LIMIT`` articles is written as an index page plus one
page per article (``articles/NNNNN.html``) so that a 5,000-article report opens fast. A
batch that is streamed (mtaudit.run.stream, above its in-memory limit) is written by
:class:`PagedReport`: each article's page as the article's rows are written, and an index
of at most ``INDEX_PAGE_ROWS`` rows per page (``report.html`` first, then
``index/NNNNN.html``), so that no file grows with the batch.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable

import jinja2
from markupsafe import Markup, escape

from ..gate.fingerprint import fingerprints
from ..gate.verdict import GatePolicy, evaluate
from ..types import CATEGORIES, SEVERITIES_WORST_FIRST, ArticleResult, AuditResult, Finding, SegmentKind
from .context import INVISIBLE_NAMES, ArticleIndex, invisible_difference, is_invisible
from .messages import Catalogue, catalogue

#: Above this many articles the report is an index page plus one page per article.
SINGLE_PAGE_LIMIT = 50
#: Rows of the summary table per index page of a streamed report.
INDEX_PAGE_ROWS = 1000
_TEMPLATES = Path(__file__).parent / "templates"

_SCORE_LABELS = {"chrf2": "chrF2", "chrf2pp": "chrF2++", "bleu": "BLEU", "ter": "TER", "comet": "COMET",
                 "comet_qe": "COMET-QE", "adequacy": "adequacy", "mt_logprob": "MT log-prob", "bt_chrf": "BT chrF"}
#: (worst, best, format) of each score's colour scale: red at worst, green at best.
#: adequacy's scale spans FLORES-200's shuffled (0.75) to true pairs (0.90); mt_logprob's
#: −4…0 nats per token covers what an OPUS-MT-sized model gives delivered MT.
_SCALES = {"chrf2": (0, 100, ".1f"), "chrf2pp": (0, 100, ".1f"), "bleu": (0, 100, ".1f"), "ter": (100, 0, ".1f"),
           "comet": (0.3, 1.0, ".3f"), "comet_qe": (0.3, 1.0, ".3f"), "adequacy": (0.75, 0.9, ".3f"),
           "mt_logprob": (-4.0, 0.0, ".2f"), "bt_chrf": (0, 100, ".1f")}


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """The compiled template kept in mtaudit's cache folder (compiling it cost more than the
    rest of a one-article report); jinja2 checks the template's source against it on load.
    A cache folder that cannot be written is no error: the template is compiled as before."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    from ..knowledge.compiled import cache_root

    root = cache_root()
    if root is None:
        return None
    try:
        (root / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(root / "templates"))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
    )
    return env


@lru_cache(maxsize=1)
def _assets() -> dict[str, Markup]:
    # The script and style are inlined as they are (not parsed as templates).
    return {name: Markup((_TEMPLATES / name).read_text(encoding="utf-8")) for name in ("desk.js", "desk.css")}


def score_cell(name: str, value: object) -> dict | None:
    """A score's text and colour on a red (bad) to green (good) scale (TER: lower is better)."""
    if value in ("", None):
        return None
    v = float(value)  # type: ignore[arg-type]
    worst, best, fmt = _SCALES.get(name, (0, 100, ".1f"))
    good = max(0.0, min(1.0, (v - worst) / (best - worst)))
    return {"text": f"{v:{fmt}}", "hue": round(120 * good), "value": v}


def histogram(values: list[float], label: str, lo: float = 0.0, hi: float = 100.0) -> dict:
    """Bars of an inline SVG histogram of ``values`` in ten equal bins from ``lo`` to ``hi``."""
    width = (hi - lo) / 10 or 1.0
    bins = [0] * 10
    for v in values:
        bins[min(9, max(0, int((v - lo) // width)))] += 1
    top = max(bins) or 1

    def tick(i: int) -> str:
        value = lo + i * width
        return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2f}"

    bars = [
        {"x": 20 + i * 28, "y": f"{90 - 70 * n / top:.1f}", "h": f"{70 * n / top:.1f}", "n": n, "lo": tick(i), "hi": tick(i + 1)}
        for i, n in enumerate(bins)
    ]
    return {"label": label, "bars": bars}


def visible(text: str) -> Markup:
    """``text`` escaped, with each invisible character drawn as a named marker."""
    out = []
    for ch in text:
        if is_invisible(ch) and ch != "\n":
            name = INVISIBLE_NAMES.get(ch, f"U+{ord(ch):04X}")
            out.append(Markup(f'<span class="inv" title="U+{ord(ch):04X}">') + escape(name) + Markup("</span>"))
        else:
            out.append(escape(ch))
    return Markup("").join(out)


@dataclass
class FindingView:
    n: int
    f: Finding
    fingerprint: str
    message: Markup
    message_plain: str
    line: int
    invisible: bool
    penalty: int = 0

    @property
    def draw_invisible(self) -> bool:
        """Draw spaces and marks in the quoted text and suggestion: the difference is in them,
        or the span begins or ends with one (a space one would not see)."""
        return self.invisible or any(t != t.strip() for t in (self.f.text, self.f.suggestion) if t)


@dataclass
class ArticleView:
    index: int
    anchor: str
    page: str
    result: ArticleResult
    row: dict
    findings: list[FindingView]
    blocks: list[dict]
    aligned: bool
    groups: list[dict] = field(default_factory=list)
    suppressed: list = field(default_factory=list)

    @property
    def checks(self) -> str:
        return " ".join(sorted({v.f.check for v in self.findings}))

    @property
    def categories(self) -> str:
        return " ".join(sorted({v.f.category for v in self.findings}))

    @property
    def severities(self) -> str:
        return " ".join(sorted({v.f.severity.value for v in self.findings}))


def _marked(text: str, start: int, end: int, findings: list[FindingView]) -> Markup:
    """HTML of text[start:end] with every finding span inside it marked.

    Spans may overlap: the text is cut at every span boundary and each piece is marked
    with the worst severity covering it and the numbers of all findings there. An empty
    span (an omission) is a zero-width marker at its place.
    """
    inside = [v for v in findings if v.f.start < end and v.f.end > start and v.f.end > v.f.start]
    empty = [v for v in findings if v.f.start == v.f.end and start <= v.f.start < end]
    if not inside and not empty:  # most paragraphs: the text alone
        return escape(text[start:end])
    cuts = sorted({start, end, *(max(start, v.f.start) for v in inside), *(min(end, v.f.end) for v in inside),
                   *(v.f.start for v in empty)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        for v in empty:
            if v.f.start == a:
                parts.append(Markup(f'<mark class="sev-{v.f.severity.value} gap" data-f="{v.n}" tabindex="-1">⁁<sup>{v.n}</sup></mark>'))
        covering = [v for v in inside if v.f.start <= a and v.f.end >= b]
        if not covering:
            parts.append(escape(text[a:b]))
            continue
        worst = max(covering, key=lambda v: v.f.severity.rank)
        piece = visible(text[a:b]) if any(v.invisible for v in covering) else escape(text[a:b])
        ends_here = [v.n for v in covering if min(end, v.f.end) == b]
        title = " | ".join(f"{v.n}. {v.message_plain}" for v in covering)
        sup = Markup("<sup>%s</sup>") % ",".join(map(str, ends_here)) if ends_here else ""
        parts.append(
            Markup('<mark class="sev-%s" data-f="%s" title="%s" tabindex="-1">%s%s</mark>')
            % (worst.f.severity.value, " ".join(str(v.n) for v in covering), title, piece, sup)
        )
    return Markup("").join(parts)


def _blocks(result: ArticleResult, views: list[FindingView], cat: Catalogue) -> tuple[list[dict], bool]:
    """The article text as display blocks: paragraphs, or aligned target/source rows."""
    text = result.article.text
    unit_of = {seg_id: u for u in result.units for seg_id in u.segment_id.split("+")}
    aligned = any(u.source for u in result.units)
    blocks: list[dict] = []
    if not aligned:
        paras: dict[int, list] = {}
        for seg in result.segments:
            paras.setdefault(seg.paragraph, []).append(seg)
        for _, segs in sorted(paras.items()):
            kind = segs[0].kind
            blocks.append({
                "kind": kind.value,
                "tag": (segs[0].reason or cat("ui.boilerplate")) if kind is SegmentKind.BOILERPLATE else "",
                "html": _marked(text, segs[0].start, segs[-1].end, views),
                "source": None,
            })
        return blocks, False
    rows: list[dict] = []
    for seg in sorted(result.segments, key=lambda s: s.start):
        unit = unit_of.get(seg.segment_id)
        if unit is not None and rows and rows[-1]["unit"] is unit:
            rows[-1]["end"] = seg.end
            continue
        rows.append({"unit": unit, "start": seg.start, "end": seg.end, "kind": seg.kind, "reason": seg.reason,
                     "paragraph": seg.paragraph})
    # A source sentence nothing translated: a row of its own at its place.
    for unit in result.units:
        if unit.source and unit.start == unit.end and not unit.target:
            rows.append({"unit": unit, "start": unit.start, "end": unit.end, "kind": SegmentKind.BODY, "reason": "",
                         "paragraph": -1, "missing": True})
    rows.sort(key=lambda r: (r["start"], r["end"]))
    previous_paragraph = None
    for r in rows:
        kind = r["kind"]
        blocks.append({
            "kind": kind.value,
            "tag": (r["reason"] or cat("ui.boilerplate")) if kind is SegmentKind.BOILERPLATE else "",
            "html": _marked(text, r["start"], r["end"], views) if r["end"] > r["start"] else
                    Markup('<span class="missing">%s</span>') % cat("ui.missing_translation"),
            "source": (r["unit"].source if r["unit"] is not None else None) or "",
            "new_paragraph": r["paragraph"] != previous_paragraph,
        })
        previous_paragraph = r["paragraph"]
    return blocks, True


def article_view(index: int, result: ArticleResult, row: dict, cat: Catalogue, page: str = "", policy=None) -> ArticleView:
    from ..gate.policy import penalty

    locator = ArticleIndex(result)
    known = result.fingerprints  # filled by mtaudit.gate.triage for these findings, in this order
    if known and list(known) == result.findings:
        fps = list(known.values())
    else:  # not triaged, findings changed since, or two identical ones (one key): compute them
        fps = fingerprints(result.findings, result.article.text)
    views = []
    for n, (f, fp) in enumerate(zip(result.findings, fps), 1):
        views.append(FindingView(
            n=n, f=f, fingerprint=fp, message=cat.finding_html(f), message_plain=cat.finding_text(f),
            line=locator.line(f.start), invisible=invisible_difference(f), penalty=penalty(f, policy),
        ))
    blocks, aligned = _blocks(result, views, cat)
    groups: dict[str, list[FindingView]] = {}
    for v in views:
        if v.invisible:
            groups.setdefault(v.f.check, []).append(v)
    return ArticleView(
        index=index, anchor=f"a{index}", page=page, result=result, row=row, findings=views, blocks=blocks,
        aligned=aligned, groups=[{"check": c, "findings": g} for c, g in groups.items()],
        suppressed=list(getattr(result, "suppressed", []) or []),
    )


def _report_key(result: AuditResult) -> str:
    """Names this report's decisions in local storage: the same batch and checks give the
    same key, so re-opening a regenerated report keeps the editor's decisions."""
    return report_key([a.article.id for a in result.articles], result.signature.get("checks", {}))


def report_key(article_ids: Iterable[str], checks_signature: dict) -> str:
    """The local-storage key of a report on these articles (in order) and check versions."""
    ids = "\n".join(article_ids)
    sig = json.dumps(checks_signature, sort_keys=True)
    return hashlib.sha1(f"{ids}\x1f{sig}".encode()).hexdigest()[:12]


def checks_run(signature: dict, n_articles: int, sourced: int) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The checks of a run's signature that ran (``id@version``), and those that did not or
    ran on part of the batch, as (check id, why: ``no-source``, ``part-source`` or
    ``no-model``, how many articles it ran on). ``sourced`` is how many of the
    ``n_articles`` had a source. Mirrors the pipeline's rules (mtaudit.run.pipeline): a
    check that needs the source runs on the articles that have one; a check that reads a
    model scorer runs only when one of its models was loaded."""
    from ..checks import REGISTRY  # the selected checks are registered by now; a user rule is not there

    loaded = set(signature.get("scorers", {}))
    ran, skipped = [], []
    for check, version in signature.get("checks", {}).items():
        spec = REGISTRY.get(check)
        if spec is not None and spec.models and not loaded.intersection(spec.models):
            skipped.append((check, "no-model", 0))
            continue
        if spec is not None and spec.requires_source and sourced < n_articles:
            skipped.append((check, "part-source" if sourced else "no-source", sourced))
            if not sourced:
                continue
        ran.append(f"{check}@{version}")
    return ran, skipped


def _not_run_lines(not_run: list[tuple[str, str, int]], n_articles: int, cat: Catalogue) -> list[tuple[str, list[str]]]:
    """(why, in the page's language; the checks) for each reason checks did not run."""
    groups: dict[tuple[str, int], list[str]] = {}
    for check, why, n in not_run:
        groups.setdefault((why, n), []).append(check)
    return [(cat(f"ui.not_run.{why}").replace("{n}", str(n)).replace("{total}", str(n_articles)), checks)
            for (why, n), checks in groups.items()]


def _summary(result: AuditResult, policy: GatePolicy, rows: list[dict], cat: Catalogue, sourced: int | None = None) -> dict:
    """The index page's header and summary; ``sourced`` counts the articles with a source
    when ``result``'s articles are light (their sources dropped, mtaudit.run.stream)."""
    verdict = evaluate(result, policy)
    totals = Counter(f.severity.value for f in result.findings)
    scored = [n for n in _SCORE_LABELS if any(row.get(n) not in ("", None) for row in rows)]
    corpus_charts = []
    chrf = [float(r["chrf2"]) for r in rows if r.get("chrf2") not in ("", None)]
    if result.corpus_scores and len(chrf) > 1:
        corpus_charts.append(histogram(chrf, "articles by chrF2"))
    system = result.signature.get("system_scores") or {}
    model_lines = [f"{_SCORE_LABELS.get(k, k)}: {v:.4f}" for k, v in system.items()]
    scorers = result.signature.get("scorers", {})
    model_lines += [f"{k}: {v}" for k, v in scorers.items() if k not in ("chrf2", "chrf2pp", "bleu", "ter")]
    model_charts = []
    for name in system:
        values = [v[name] for a in result.articles for v in a.unit_scores.values() if name in v]
        if len(values) > 1:
            worst, best, _ = _SCALES.get(name, (0, 100, ""))
            lo, hi = min(worst, best, min(values)), max(worst, best, max(values))
            model_charts.append(histogram(values, f"segments by {_SCORE_LABELS.get(name, name)}", lo, hi))
    sig = result.signature
    if sourced is None:
        sourced = sum(1 for a in result.articles if a.article.source or a.article.record_sources)
    ran, not_run = checks_run(sig, len(result.articles), sourced)
    return {
        "verdict": verdict,
        "totals": totals,
        "scored": scored,
        "score_labels": _SCORE_LABELS,
        "corpus_lines": [c.text for c in result.corpus_scores],
        "corpus_charts": corpus_charts,
        "model_lines": model_lines,
        "model_charts": model_charts,
        "skipped": [p.message for p in result.skipped],
        **_filter_options(result.findings),
        "signature_line": f"mtaudit {sig.get('mtaudit', '')} · references {sig.get('references', '')} · checks: "
                          + ", ".join(ran),
        "not_run": _not_run_lines(not_run, len(result.articles), cat),
        "verdict_reasons": cat.verdict_reasons(verdict),
    }


def _filter_options(findings: list[Finding]) -> dict:
    """The toolbar's check and category choices for these findings."""
    return {"checks": sorted({f.check for f in findings}),
            "categories": [c for c in CATEGORIES if any(f.category == c for f in findings)] or list(CATEGORIES)}


#: Where a shell of an article page (:class:`ArticlePages`) takes the page's own parts
#: (private-use characters: nothing a report shows, and the escapes leave them alone).
_SLOT, _TITLE, _PREV, _NEXT = "\ue000slot\ue000", "\ue000title\ue000", "\ue000prev\ue000", "\ue000next\ue000"


class ArticlePages:
    """The pages of a split report's articles (``articles/NNNNN.html``). A page is its
    article's section (:meth:`section`, a pure function of the article's result and its
    articles.csv row) inside a shell (head, toolbar, legend, footer, script) that is the
    same for every article of a batch but for the title and the pager: the shell is
    rendered once per kind (first, middle or last page; a streamed report's filters),
    the section once per article."""

    _SHELLS = 32  # shells kept (a streamed report's filters make one per distinct choice)

    def __init__(self, template, common: dict, cat: Catalogue, policy, count: int) -> None:
        self.template, self.common, self.cat, self.policy, self.count = template, common, cat, policy, count
        # The template as a module, for its article_section macro (which sees the common
        # names); making it renders a page, hence the page's names.
        self.module = template.make_module({
            **common, "s": _filter_options([]), "mode": "article", "articles": [], "index_rows": [], "root": "../",
            "title_id": "", "prev_page": "", "next_page": "",
        })
        self._shells: dict[tuple, list[str]] = {}

    def section(self, index: int, result: ArticleResult, row: dict) -> str:
        """Article ``index``'s <section> (its text with the marks, its findings) as HTML."""
        view = article_view(index, result, row, self.cat, page=f"articles/{index:05d}.html", policy=self.policy)
        return str(self.module.article_section(view))

    def _shell(self, first: bool, last: bool, s: dict) -> list[str]:
        key = (first, last, tuple(s["checks"]), tuple(s["categories"]))
        shell = self._shells.get(key)
        if shell is None:
            if len(self._shells) >= self._SHELLS:
                self._shells.clear()
            html = self.template.render(
                **{**self.common, "s": s}, mode="article", articles=[], index_rows=[], root="../",
                title_id=_TITLE, slot=Markup(_SLOT), prev_page="" if first else _PREV, next_page="" if last else _NEXT,
            )
            shell = self._shells[key] = _split_shell(html)
        return shell

    def page(self, index: int, result: ArticleResult, row: dict, s: dict) -> tuple[str, str]:
        """(path, HTML) of article ``index``'s page; ``s`` holds the toolbar's choices."""
        parts = {_TITLE: str(escape(result.article.id)), _SLOT: self.section(index, result, row),
                 _PREV: f"{index - 1:05d}.html", _NEXT: f"{index + 1:05d}.html"}
        shell = self._shell(index == 0, index + 1 >= self.count, s)
        return f"articles/{index:05d}.html", "".join(parts.get(piece, piece) for piece in shell)


def _split_shell(html: str) -> list[str]:
    """``html`` cut into its literal pieces and its slots (each slot a piece of its own)."""
    pieces = re.split(f"({_SLOT}|{_TITLE}|{_PREV}|{_NEXT})", html)
    if pieces.count(_SLOT) != 1 or pieces.count(_TITLE) != 1:
        raise RuntimeError("report.html.j2: an article page's shell lost its slots")
    return [p for p in pieces if p]


def render_pages(
    result: AuditResult,
    policy: GatePolicy,
    rows: list[dict],
    lang: str = "ar",
    references: Iterable[Path] = (),
    single_page_limit: int = SINGLE_PAGE_LIMIT,
) -> dict[str, str]:
    """{relative path: HTML} of the report: ``report.html``, and with more than
    ``single_page_limit`` articles one ``articles/NNNNN.html`` per article."""
    cat = catalogue(lang, references)
    env = _environment()
    template = env.get_template("report.html.j2")
    split = len(result.articles) > single_page_limit
    summary = _summary(result, policy, rows, cat)
    common = {
        "t": cat, "lang": lang, "dir": cat.dir, "s": summary, "severities": [s.value for s in SEVERITIES_WORST_FIRST],
        "key": _report_key(result), "score_cell": score_cell, "visible": visible, "assets": _assets(),
        "n_articles": len(result.articles),
    }
    pages: dict[str, str] = {}
    if not split:
        views = [article_view(i, a, r, cat, policy=policy) for i, (a, r) in enumerate(zip(result.articles, rows))]
        pages["report.html"] = template.render(**common, mode="single", articles=views, index_rows=views, root="")
        return pages
    # Index rows need no marked text: build them light, then each page on its own.
    index_rows = []
    for i, (a, r) in enumerate(zip(result.articles, rows)):
        page = f"articles/{i:05d}.html"
        index_rows.append(_IndexRow(i, f"a{i}", page, a, r))
    pages["report.html"] = template.render(**common, mode="index", articles=[], index_rows=index_rows, root="")
    renderer = ArticlePages(template, common, cat, policy, len(result.articles))
    for i, (a, r) in enumerate(zip(result.articles, rows)):
        page, html = renderer.page(i, a, r, summary)
        pages[page] = html
    return pages


@dataclass
class _IndexRow:
    """A summary-table row for the index page (no marked text)."""

    index: int
    anchor: str
    page: str
    result: ArticleResult
    row: dict

    @property
    def checks(self) -> str:
        return " ".join(sorted({f.check for f in self.result.findings}))

    @property
    def categories(self) -> str:
        return " ".join(sorted({f.category for f in self.result.findings}))

    @property
    def severities(self) -> str:
        return " ".join(sorted({f.severity.value for f in self.result.findings}))


class PagedReport:
    """The review desk of a streamed batch, written as it goes: :meth:`add` writes an
    article's page (``articles/NNNNN.html``) when its rows are written, :meth:`finish`
    the index (``report.html`` with the summary and the first ``INDEX_PAGE_ROWS`` rows,
    then ``index/NNNNN.html``). Pages are the split report's (:func:`render_pages`), except
    that an article page's filters offer the checks and categories found on it (the
    batch's are not known until its end). ``article_ids`` are the batch's ids in order
    (they name the editor's decisions in local storage, as in :func:`render_pages`)."""

    def __init__(self, out_dir: Path, policy: GatePolicy, article_ids: list[str], checks_signature: dict,
                 lang: str = "ar", references: Iterable[Path] = ()) -> None:
        self.out_dir = out_dir
        self.policy = policy
        self.count = len(article_ids)
        self.cat = catalogue(lang, references)
        self.template = _environment().get_template("report.html.j2")
        self.common = {
            "t": self.cat, "lang": lang, "dir": self.cat.dir, "severities": [s.value for s in SEVERITIES_WORST_FIRST],
            "key": report_key(article_ids, checks_signature), "score_cell": score_cell, "visible": visible,
            "assets": _assets(), "n_articles": self.count,
        }
        self.pages = ArticlePages(self.template, self.common, self.cat, policy, self.count)
        self.sourced = 0  # articles with a source, for the header's list of checks that ran
        (out_dir / "articles").mkdir(parents=True, exist_ok=True)

    def add(self, index: int, result: ArticleResult, row: dict) -> dict:
        """Write article ``index``'s page (``result`` whole, ``row`` its articles.csv row);
        returns what the index needs of the row (keep that, not the row: a batch of 100,000
        holds 100,000 of them)."""
        from ..files import atomic_write

        self.sourced += bool(result.article.source or result.article.record_sources)
        page, html = self.pages.page(index, result, row, _filter_options(result.findings))
        atomic_write(self.out_dir / page, html, durable=False)
        keep = ("words", *self.common["severities"], "findings_per_1000_words", "verdict", *_SCORE_LABELS)
        return {k: row[k] for k in keep if k in row}

    def finish(self, result: AuditResult, rows: Iterable[dict]) -> dict[str, Path]:
        """Write the index pages for the whole run (``result``'s articles may be light:
        their findings and scores are what the index shows; they and ``rows``, the index
        rows :meth:`add` returned, may be any sequences read in order); returns {"report.html": its path},
        as :func:`mtaudit.reports.tables.write_reports` names the desk (its other pages beside it)."""
        from ..files import atomic_write

        summary = _summary(result, self.policy, rows, self.cat, self.sourced)
        starts = range(0, max(len(result.articles), 1), INDEX_PAGE_ROWS)
        names = ["report.html"] + [f"index/{n:05d}.html" for n in range(1, len(starts))]
        if len(names) > 1:
            (self.out_dir / "index").mkdir(exist_ok=True)
        # (read in order, one page's worth at a time: the articles and rows may be on disk, mtaudit.spill)
        pairs = zip(result.articles, rows)
        for n, start in enumerate(starts):
            root = "" if n == 0 else "../"
            index_rows = [_IndexRow(i, f"a{i}", f"{root}articles/{i:05d}.html", a, r)
                          for i, (a, r) in enumerate(islice(pairs, INDEX_PAGE_ROWS), start)]
            pager = [{"href": root + name if name != names[n] else "", "label": f"{s + 1}–{min(s + INDEX_PAGE_ROWS, len(result.articles))}"}
                     for name, s in zip(names, starts)] if len(names) > 1 else []
            html = self.template.render(**self.common, s=summary, mode="index", articles=[], index_rows=index_rows,
                                        root=root, index_pages=pager)
            atomic_write(self.out_dir / names[n], html, durable=names[n] == "report.html")
        return {"report.html": self.out_dir / "report.html"}


def render_html(result: AuditResult, policy: GatePolicy, rows: list[dict], lang: str = "ar") -> str:
    """The whole report as one page, whatever its size (for callers that want one string)."""
    return render_pages(result, policy, rows, lang, single_page_limit=max(len(result.articles), 1))["report.html"]
