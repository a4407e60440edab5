"""Compare two deliveries of the same articles: what changed, and is NEW significantly worse?

Both deliveries are audited with the same settings; then, per article and over the delivery:

- **findings** by fingerprint (mtaudit.gate.fingerprint): ``new`` (in NEW only), ``fixed`` (in OLD
  only) and ``unchanged``;
- the **quality score** (mtaudit.gate.policy) and every metric the audit produced (chrF2,
  chrF2++, BLEU, TER with references; model scores when asked), OLD, NEW and the delta.

Significance, both paired and resampling the same units for OLD and NEW:

- **chrF2 and BLEU**: sacrebleu's paired bootstrap resampling (Koehn 2004;
  ``sacrebleu.significance.PairedTest``, ``test_type="bs"``) over the scored units both
  deliveries share (records with the same id, else whole articles), OLD as the baseline.
  sacrebleu's p-value is the chance of a difference at least this large if the systems
  were the same; its 95% interval is around NEW's resampled mean.
- **quality score**: a paired bootstrap over articles (the same articles drawn for both):
  each of ``samples`` resamples recomputes the delivery quality of OLD and NEW, giving the
  distribution of NEW − OLD; the 95% interval is its 2.5th–97.5th percentiles and the
  p-value the one-sided share of resamples where NEW is not worse (Δ ≥ 0), with the
  (b + 1)/(B + 1) correction. The random seed is fixed (12345, as sacrebleu's), so a
  comparison always gives the same numbers.

NEW is **significantly worse** when a measure drops with p < alpha (default 0.05).
Articles are listed worst change first: the larger drop of the quality score and chrF2.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field

from ..types import ArticleResult, AuditResult
from .policy import article_penalty, article_quality, article_words
from .verdict import GatePolicy

SEED = 12345


@dataclass
class Significance:
    measure: str
    old: float
    new: float
    delta: float
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    units: int
    worse: bool
    method: str
    signature: str = ""


@dataclass
class Comparison:
    articles: list[dict]
    delivery: dict
    significance: list[Significance] = field(default_factory=list)
    only_old: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)

    @property
    def worse(self) -> bool:
        return any(s.worse for s in self.significance)

    @property
    def worse_measures(self) -> list[str]:
        return [s.measure for s in self.significance if s.worse]


def _fps(a: ArticleResult) -> set[str]:
    return {a.fingerprints[f] for f in a.findings if f in a.fingerprints}


def _units(old: ArticleResult, new: ArticleResult) -> list[tuple[str, str, str]]:
    """(old hypothesis, new hypothesis, reference) units both deliveries share."""
    o = {sid: (hyp, ref) for sid, hyp, ref in old.scored_pairs}
    n = {sid: (hyp, ref) for sid, hyp, ref in new.scored_pairs}
    if o and set(o) == set(n):
        return [(o[k][0], n[k][0], n[k][1]) for k in o]
    if o and n:  # segmented differently: the whole article is the unit
        return [(" ".join(h for h, _ in o.values()), " ".join(h for h, _ in n.values()), " ".join(r for _, r in n.values()))]
    return []


def quality_bootstrap(points_old, points_new, words, samples: int, alpha: float) -> Significance:
    import numpy as np  # the bootstrap only

    po, pn, w = (np.asarray(x, dtype=float) for x in (points_old, points_new, words))

    def q(p, wd):
        wd = np.where(wd.sum(axis=-1, keepdims=True) > 0, wd.sum(axis=-1, keepdims=True), 1)
        return np.maximum(0.0, 100.0 - 1000.0 * p.sum(axis=-1, keepdims=True) / wd)[..., 0]

    old_q, new_q = float(q(po, w)), float(q(pn, w))
    rng = np.random.default_rng(SEED)
    idx = rng.integers(0, len(w), size=(samples, len(w)))
    deltas = q(pn[idx], w[idx]) - q(po[idx], w[idx])
    p_value = float((np.sum(deltas >= 0) + 1) / (samples + 1))
    lo, hi = (float(v) for v in np.percentile(deltas, [2.5, 97.5]))
    delta = new_q - old_q
    return Significance("quality", round(old_q, 2), round(new_q, 2), round(delta, 2), round(p_value, 4),
                        round(lo, 2), round(hi, 2), len(w), delta < 0 and p_value < alpha,
                        f"paired bootstrap over articles, {samples} resamples, seed {SEED}")


def sacrebleu_bootstrap(units: list[tuple[str, str, str]], samples: int, alpha: float) -> list[Significance]:
    from sacrebleu.metrics import BLEU, CHRF
    from sacrebleu.significance import PairedTest

    old = [u[0] for u in units]
    new = [u[1] for u in units]
    refs = [[u[2] for u in units]]
    test = PairedTest([("old", old), ("new", new)], {"chrF2": CHRF(), "BLEU": BLEU()}, refs, test_type="bs", n_samples=samples)
    signatures, scores = test()
    out = []
    for name in ("chrF2", "BLEU"):
        base, cand = scores[name][0], scores[name][1]
        delta = cand.score - base.score
        p = float(cand.p_value) if cand.p_value is not None else None
        mean, ci = float(cand.mean), float(cand.ci)
        out.append(Significance(
            name.lower().replace("chrf2", "chrf2"), round(base.score, 2), round(cand.score, 2), round(delta, 2),
            round(p, 4) if p is not None else None, round(mean - ci, 2), round(mean + ci, 2), len(units),
            delta < 0 and p is not None and p < alpha, f"sacrebleu paired bootstrap, {samples} resamples",
            str(signatures[name]),
        ))
    return out


def compare(old: AuditResult, new: AuditResult, policy: GatePolicy, samples: int = 1000, alpha: float = 0.05) -> Comparison:
    """Compare two fingerprinted (mtaudit.gate.triage) audit results of the same articles."""
    olds = {a.article.id: a for a in old.articles}
    news = {a.article.id: a for a in new.articles}
    shared = [k for k in news if k in olds]
    rows, units = [], []
    points_old, points_new, words = [], [], []
    for aid in shared:
        o, n = olds[aid], news[aid]
        fo, fn = _fps(o), _fps(n)
        so, sn = o.article_scores(), n.article_scores()
        row = {
            "article_id": aid,
            "findings_old": len(o.findings), "findings_new": len(n.findings),
            "new": len(fn - fo), "fixed": len(fo - fn), "unchanged": len(fn & fo),
            "quality_old": article_quality(o, policy), "quality_new": article_quality(n, policy),
        }
        row["quality_delta"] = round(row["quality_new"] - row["quality_old"], 2)
        for name in sorted(set(so) | set(sn)):
            row[f"{name}_old"], row[f"{name}_new"] = so.get(name), sn.get(name)
            if name in so and name in sn:
                row[f"{name}_delta"] = round(sn[name] - so[name], 4)
        rows.append(row)
        units.extend(_units(o, n))
        points_old.append(article_penalty(o, policy))
        points_new.append(article_penalty(n, policy))
        # words of NEW's copy: the same articles, and NEW is what is being judged
        words.append(article_words(n))
    # Worst change first: the larger drop of quality and chrF2 (both on a 0-100 scale), so
    # an article whose text changed for the worse ranks above every unchanged one (0).
    rows.sort(key=lambda r: (min(r["quality_delta"], r.get("chrf2_delta") or 0.0), -r["new"]))
    sig = []
    if len(shared) >= 2:
        sig.append(quality_bootstrap(points_old, points_new, words, samples, alpha))
    if len(units) >= 2:
        sig.extend(sacrebleu_bootstrap(units, samples, alpha))
    delivery = {
        "articles": len(shared),
        "new": sum(r["new"] for r in rows), "fixed": sum(r["fixed"] for r in rows), "unchanged": sum(r["unchanged"] for r in rows),
        "scores_old": {s.name: s.score for s in old.corpus_scores},
        "scores_new": {s.name: s.score for s in new.corpus_scores},
    }
    return Comparison(rows, delivery, sig, sorted(set(olds) - set(news)), sorted(set(news) - set(olds)))


def to_json(c: Comparison) -> dict:
    return {
        "delivery": c.delivery,
        "significantly_worse": c.worse,
        "worse_measures": c.worse_measures,
        "significance": [s.__dict__ for s in c.significance],
        "articles": c.articles,
        "only_in_old": c.only_old,
        "only_in_new": c.only_new,
    }


def to_csv(c: Comparison) -> str:
    columns: list[str] = []
    for r in c.articles:
        columns += [k for k in r if k not in columns]
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(c.articles)
    return buf.getvalue()


def to_html(c: Comparison) -> str:
    """A self-contained page: the significance table, then the articles worst change first."""
    e = html.escape
    sig_rows = "".join(
        f"<tr><td>{e(s.measure)}</td><td>{s.old}</td><td>{s.new}</td><td>{s.delta:+}</td><td>{s.p_value}</td>"
        f"<td>[{s.ci_low}, {s.ci_high}]</td><td>{s.units}</td><td>{'<b>worse</b>' if s.worse else 'no'}</td></tr>"
        for s in c.significance
    )
    cols = ["article_id", "quality_old", "quality_new", "quality_delta", "new", "fixed", "unchanged", "chrf2_delta", "bleu_delta"]
    art_rows = "".join("<tr>" + "".join(f"<td>{e(str(r.get(k, '')))}</td>" for k in cols) + "</tr>" for r in c.articles)
    verdict = "significantly worse: " + ", ".join(c.worse_measures) if c.worse else "not significantly worse"
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>mtaudit compare</title>"
        "<style>body{font-family:sans-serif}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>"
        f"<h1>Delivery comparison: {e(verdict)}</h1>"
        f"<p>{c.delivery['articles']} shared articles; findings new {c.delivery['new']}, fixed {c.delivery['fixed']}, unchanged {c.delivery['unchanged']}.</p>"
        "<h2>Significance</h2><table><tr><th>measure</th><th>old</th><th>new</th><th>Δ</th><th>p</th><th>95% CI</th><th>units</th><th>worse?</th></tr>"
        f"{sig_rows}</table><h2>Articles, worst change first</h2><table><tr>"
        + "".join(f"<th>{k}</th>" for k in cols) + f"</tr>{art_rows}</table></html>"
    )
