"""report.html: one self-contained, right-to-left page for editors.

A summary table on top (one row per article), then each article's text paragraph by
paragraph with the flagged spans highlighted by severity and numbered; the numbered
findings (message, suggestion) stand beside the text. Boilerplate is shown greyed with the
rule that recognised it. No scripts, fonts or images are loaded from anywhere.
"""

from __future__ import annotations

import html
from collections import Counter

from .gate import GatePolicy, evaluate
from .types import SEVERITIES_WORST_FIRST, ArticleResult, AuditResult, Finding, SegmentKind

_CSS = """
body{font-family:"Noto Naskh Arabic","Geeza Pro","Arial",sans-serif;margin:1.5rem;color:#1d1d1f;background:#fafafa;line-height:1.8}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:start}
th{background:#eee}.num{text-align:end;font-variant-numeric:tabular-nums}
.verdict-pass{color:#196b24}.verdict-fail{color:#b00020;font-weight:bold}.verdict-incomplete{color:#8a5a00;font-weight:bold}
.article{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem}
.text p{margin:.4rem 0;padding:.2rem .4rem;background:#fff;border-radius:4px}
.text p.boilerplate{color:#888;background:#f0f0f0;font-size:.85rem}
.text p.headline{font-weight:bold;font-size:1.1rem}
.tag{font-size:.7rem;color:#666;border:1px solid #bbb;border-radius:3px;padding:0 .25rem;margin-inline-start:.4rem}
mark{padding:0 .1rem;border-radius:3px}
mark.critical{background:#ff8a80}mark.major{background:#ffcc80}mark.minor{background:#fff59d}mark.info{background:#cfe8fc}
mark sup{font-size:.65rem;color:#333;margin-inline-start:.1rem}
ol.findings{padding-inline-start:1.2rem;font-size:.9rem}ol.findings li{margin-bottom:.4rem}
.sev{font-size:.75rem;border-radius:3px;padding:0 .3rem}.sev.critical{background:#ff8a80}.sev.major{background:#ffcc80}
.sev.minor{background:#fff59d}.sev.info{background:#cfe8fc}
.sugg{color:#196b24}.quote{background:#f3f3f3;padding:0 .2rem}.meta{color:#666;font-size:.8rem}
.ltr{direction:ltr;unicode-bidi:isolate}
.score{font-variant-numeric:tabular-nums;text-align:end}
.hist{direction:ltr;margin:.5rem 0}.hist rect{fill:#5b8def}.hist text{font-size:10px;fill:#444}
"""

_SCORE_LABELS = {"chrf2": "chrF2", "chrf2pp": "chrF2++", "bleu": "BLEU", "ter": "TER", "comet": "COMET",
                 "comet_qe": "COMET-QE", "adequacy": "adequacy", "mt_logprob": "MT log-prob", "bt_chrf": "BT chrF"}
#: (worst, best, format) of each score's colour scale: red at worst, green at best.
#: adequacy's scale spans FLORES-200's shuffled (0.75) to true pairs (0.90); mt_logprob's
#: −4…0 nats per token covers what an OPUS-MT-sized model gives delivered MT.
_SCALES = {"chrf2": (0, 100, ".1f"), "chrf2pp": (0, 100, ".1f"), "bleu": (0, 100, ".1f"), "ter": (100, 0, ".1f"),
           "comet": (0.3, 1.0, ".3f"), "comet_qe": (0.3, 1.0, ".3f"), "adequacy": (0.75, 0.9, ".3f"),
           "mt_logprob": (-4.0, 0.0, ".2f"), "bt_chrf": (0, 100, ".1f")}


def _score_cell(name: str, value: object) -> str:
    """A score on a red (bad) to green (good) scale (TER is better when lower)."""
    if value in ("", None):
        return '<td class="score"></td>'
    v = float(value)  # type: ignore[arg-type]
    worst, best, fmt = _SCALES.get(name, (0, 100, ".1f"))
    good = max(0.0, min(1.0, (v - worst) / (best - worst)))
    hue = round(120 * good)  # 0 red … 120 green
    return f'<td class="score" style="background:hsl({hue},70%,85%)">{v:{fmt}}</td>'


def _histogram(values: list[float], label: str, lo: float = 0.0, hi: float = 100.0) -> str:
    """An inline SVG histogram of ``values`` in ten equal bins from ``lo`` to ``hi``."""
    width = (hi - lo) / 10 or 1.0
    bins = [0] * 10
    for v in values:
        bins[min(9, max(0, int((v - lo) // width)))] += 1
    top = max(bins) or 1

    def tick(i: int) -> str:
        value = lo + i * width
        return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2f}"

    bars = "".join(
        f'<rect x="{20 + i * 28}" y="{90 - 70 * n / top:.1f}" width="24" height="{70 * n / top:.1f}"><title>{tick(i)}–{tick(i + 1)}: {n}</title></rect>'
        f'<text x="{20 + i * 28}" y="104">{tick(i)}</text>'
        for i, n in enumerate(bins)
    )
    return f'<svg class="hist" width="310" height="110" role="img" aria-label="{_e(label)}"><text x="20" y="12">{_e(label)}</text>{bars}</svg>'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _mark_paragraph(text: str, start: int, end: int, findings: list[tuple[int, Finding]]) -> str:
    """HTML of text[start:end] with every finding span inside it highlighted.

    Spans may overlap: the paragraph is cut at every span boundary and each piece is
    marked with the worst severity covering it and the numbers of all findings there.
    """
    inside = [(n, f) for n, f in findings if f.start < end and f.end > start and f.end > f.start]
    cuts = sorted({start, end, *(max(start, f.start) for _, f in inside), *(min(end, f.end) for _, f in inside)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(n, f) for n, f in inside if f.start <= a and f.end >= b]
        piece = _e(text[a:b])
        if not covering:
            parts.append(piece)
            continue
        worst = max((f for _, f in covering), key=lambda f: f.severity.rank)
        ends_here = [n for n, f in covering if min(end, f.end) == b]
        title = " | ".join(f"{n}. {f.message}" for n, f in covering)
        sup = f"<sup>{','.join(map(str, ends_here))}</sup>" if ends_here else ""
        parts.append(f'<mark class="{worst.severity.value}" title="{_e(title)}">{piece}{sup}</mark>')
    return "".join(parts)


def _article_section(result: ArticleResult, row: dict) -> str:
    art = result.article
    numbered = list(enumerate(result.findings, 1))
    paras: dict[int, list] = {}
    for seg in result.segments:
        paras.setdefault(seg.paragraph, []).append(seg)
    body = []
    for _, segs in sorted(paras.items()):
        start, end = segs[0].start, segs[-1].end
        kind = segs[0].kind
        tag = f'<span class="tag">{_e(segs[0].reason or kind.value)}</span>' if kind is not SegmentKind.BODY else ""
        css = kind.value if kind is not SegmentKind.BODY else ""
        body.append(f'<p class="{css}">{_mark_paragraph(art.text, start, end, numbered)}{tag}</p>')
    items = []
    for n, f in numbered:
        sugg = f' → <span class="sugg">{_e(f.suggestion)}</span>' if f.suggestion.strip() else ""
        items.append(
            f'<li value="{n}"><span class="sev {f.severity.value}">{_e(f.severity.value)}</span> '
            f'<span class="quote">{_e(f.text)}</span>{sugg}<br>{_e(f.message)} '
            f'<span class="meta ltr">[{_e(f.check)} · {_e(f.category)} · {f.start}–{f.end} · {f.confidence:.2f}]</span></li>'
        )
    crashes = "".join(f"<li>{_e(c.check)} @ {_e(c.segment_id or 'article')}: {_e(c.error)}</li>" for c in result.crashes)
    side = f'<ol class="findings">{"".join(items)}</ol>' if items else "<p>No findings.</p>"
    if crashes:
        side += f"<p><b>Checks that crashed (audit incomplete):</b></p><ul>{crashes}</ul>"
    return (
        f'<section id="a-{_e(art.id)}"><h2>{_e(art.id)} <span class="verdict-{row["verdict"]}">{_e(row["verdict"])}</span></h2>'
        f'<p class="meta">{_e(art.origin)} · {row["words"]} words · {row["findings"]} findings</p>'
        f'<div class="article"><div class="text">{"".join(body)}</div><div>{side}</div></div></section>'
    )


def render_html(result: AuditResult, policy: GatePolicy, rows: list[dict]) -> str:
    verdict = evaluate(result, policy)
    sev_names = [s.value for s in SEVERITIES_WORST_FIRST]
    totals = Counter(f.severity.value for f in result.findings)
    scored = [n for n in _SCORE_LABELS if any(row.get(n) not in ("", None) for row in rows)]
    head = "".join(
        f"<th>{_e(h)}</th>"
        for h in ["article", "words", *sev_names, "per 1,000 words", "verdict", *(_SCORE_LABELS[n] for n in scored)]
    )
    trs = []
    for row in rows:
        cells = [f'<td><a href="#a-{_e(row["article_id"])}">{_e(row["article_id"])}</a></td>', f'<td class="num">{row["words"]}</td>']
        cells += [f'<td class="num">{row[s]}</td>' for s in sev_names]
        cells += [f'<td class="num">{row["findings_per_1000_words"]}</td>', f'<td class="verdict-{row["verdict"]}">{_e(row["verdict"])}</td>']
        cells += [_score_cell(n, row.get(n)) for n in scored]
        trs.append(f"<tr>{''.join(cells)}</tr>")
    skipped = "".join(f"<li>{_e(p.message)}</li>" for p in result.skipped)
    corpus = ""
    if result.corpus_scores:
        lines = "".join(f"<li>{_e(c.text)}</li>" for c in result.corpus_scores)
        chrf = [float(r["chrf2"]) for r in rows if r.get("chrf2") not in ("", None)]
        corpus = f'<h2>Scores against the references</h2><ul class="ltr meta">{lines}</ul>' + (
            _histogram(chrf, "articles by chrF2") if len(chrf) > 1 else ""
        )
    system = result.signature.get("system_scores") or {}
    if system:
        scorers = result.signature.get("scorers", {})
        lines = "".join(
            f"<li>{_e(_SCORE_LABELS.get(name, name))}: {value:.4f}</li>" for name, value in system.items()
        ) + "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in scorers.items() if k not in ("chrf2", "chrf2pp", "bleu", "ter"))
        charts = []
        for name in system:
            values = [v[name] for a in result.articles for v in a.unit_scores.values() if name in v]
            if len(values) > 1:
                worst, best, _ = _SCALES.get(name, (0, 100, ""))
                lo, hi = min(worst, best, min(values)), max(worst, best, max(values))
                charts.append(_histogram(values, f"segments by {_SCORE_LABELS.get(name, name)}", lo, hi))
        corpus += f'<h2>Model scores</h2><ul class="ltr meta">{lines}</ul>' + "".join(charts)
    sections = "".join(_article_section(a, r) for a, r in zip(result.articles, rows))
    sig = result.signature
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>mtaudit report</title><style>{_CSS}</style></head><body>"
        f"<h1>mtaudit: تقرير تدقيق الترجمة</h1>"
        f'<p>Verdict: <b class="verdict-{_e(verdict.status)}">{_e(verdict.status)}</b> '
        f'({_e("; ".join(verdict.reasons) or "no finding at or above the gate")}) · '
        f"{len(result.articles)} articles · "
        + " · ".join(f"{s}: {totals.get(s, 0)}" for s in sev_names)
        + f'</p><p class="meta ltr">mtaudit {_e(sig.get("mtaudit", ""))} · references {_e(sig.get("references", ""))} · '
        f'checks: {_e(", ".join(f"{k}@{v}" for k, v in sig.get("checks", {}).items()))}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table>"
        + corpus
        + (f"<h2>Inputs with problems</h2><ul>{skipped}</ul>" if skipped else "")
        + sections
        + "</body></html>"
    )
