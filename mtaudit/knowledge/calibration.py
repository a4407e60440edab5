"""Confidence as a fitted probability: logistic models over a finding's evidence.

A check that reports a confidence describes each finding by named evidence features (0/1
flags and small numbers: "next to another part of the same name", a spelling's rarity, a
model's log-likelihood ratio). A :class:`LogisticModel` turns them into the probability
that the finding is a real error. The models are data, not code: ``references/
calibration.tsv`` holds one row per (model, feature, weight), written by the fitting
scripts in ``scripts/`` from labelled findings (synthetic corruptions of clean copy are the
errors, findings on clean copy the false alarms) and never typed by hand. Every fitting
script prints a :func:`reliability_table` for its held-out part, so the probabilities can
be checked against what was observed.

The fit is L2-regularised logistic regression by Newton's method (IRLS) in numpy: a few
dozen features and a few thousand rows need nothing heavier, and it keeps the fitting
deterministic and free of another dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

INTERCEPT = "intercept"


@dataclass(frozen=True)
class LogisticModel:
    """P(real error | features) = sigmoid(intercept + sum(weight * feature))."""

    name: str
    weights: Mapping[str, float]
    intercept: float = 0.0
    note: str = ""
    features: tuple[str, ...] = field(default=())

    def logit(self, features: Mapping[str, float]) -> float:
        unknown = set(features) - set(self.weights)
        if unknown:
            raise KeyError(f"calibration model {self.name!r} has no feature(s) {', '.join(sorted(unknown))}")
        return self.intercept + sum(self.weights[k] * float(v) for k, v in features.items())

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.logit(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def fit(
    name: str,
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    features: Sequence[str] | None = None,
    l2: float = 1.0,
    iterations: int = 50,
    note: str = "",
) -> LogisticModel:
    """Fit a logistic model to labelled rows (1 = real error). ``l2`` is the ridge penalty on
    the weights (not the intercept); it keeps a feature that separates the data perfectly
    from getting an infinite weight."""
    import numpy as np  # only the fitting scripts fit

    names = list(features) if features is not None else sorted({k for r in rows for k in r})
    x = np.array([[float(r.get(k, 0.0)) for k in names] for r in rows], dtype=float)
    x = np.hstack([np.ones((len(rows), 1)), x])
    y = np.asarray(labels, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return LogisticModel(
        name,
        {k: round(float(v), 6) for k, v in zip(names, w[1:])},
        round(float(w[0]), 6),
        note,
        tuple(names),
    )


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    predicted: float  # mean predicted probability in the bin
    observed: float  # share of real errors in the bin


def reliability_table(probabilities: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[ReliabilityBin]:
    """Predicted against observed, in equal-width probability bins (empty bins left out)."""
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in zip(probabilities, labels) if low <= p < high or (b == bins - 1 and p == 1.0)]
        if inside:
            out.append(
                ReliabilityBin(
                    low,
                    high,
                    len(inside),
                    sum(p for p, _ in inside) / len(inside),
                    sum(y for _, y in inside) / len(inside),
                )
            )
    return out


def format_reliability(table: Iterable[ReliabilityBin]) -> str:
    lines = ["  bin          n   predicted  observed  gap"]
    for b in table:
        lines.append(
            f"  {b.low:.1f}-{b.high:.1f}  {b.count:6d}   {b.predicted:8.3f}  {b.observed:8.3f}  {b.observed - b.predicted:+.3f}"
        )
    return "\n".join(lines)


def expected_calibration_error(table: Iterable[ReliabilityBin]) -> float:
    bins = list(table)
    total = sum(b.count for b in bins)
    return sum(b.count * abs(b.observed - b.predicted) for b in bins) / total if total else 0.0


def fit_and_report(
    name: str,
    rows: Sequence[tuple[bool, Mapping[str, float], int]],
    note: str,
    features: Sequence[str] | None = None,
    l2: float = 1.0,
    prior: bool = False,
) -> tuple[LogisticModel, list[str]]:
    """Fit ``name`` on the build rows of ``rows`` (``(held_out, features, label)``) and
    report both parts: rows, errors, ECE and the reliability table, then the weights.
    Returns the model and the report's lines (every fitting script prints the same report).

    ``prior`` adds a pseudo-count of one error and one false alarm with no evidence flag
    set: it keeps the fit finite when clean copy gives a check no false alarm at all (a
    probability of 1.0 would claim more than a few hundred cases can show)."""
    build = [(f, y) for held, f, y in rows if not held]
    test = [(f, y) for held, f, y in rows if held]
    names = list(features) if features is not None else sorted({k for _, f, _ in rows for k in f})
    xs, ys = [f for f, _ in build], [y for _, y in build]
    if prior:
        xs, ys = [*xs, *[dict.fromkeys(names, 0.0)] * 2], [*ys, 1, 0]
    model = fit(name, xs, ys, features=names, l2=l2, note=note)
    lines = []
    for part_name, part in (("build", build), ("held out", test)):
        probs = [model.probability(f) for f, _ in part]
        labels = [y for _, y in part]
        table = reliability_table(probs, labels)
        major = [(p, y) for p, y in zip(probs, labels) if p >= 0.5]
        lines.append(
            f"{name}, reliability on the {part_name} part: {len(part)} rows, {sum(labels)} errors, "
            f"ECE {expected_calibration_error(table):.3f}; at p >= 0.5: {sum(y for _, y in major)}/{sum(labels)} errors, "
            f"{sum(1 - y for _, y in major)}/{len(labels) - sum(labels)} false alarms"
        )
        lines.append(format_reliability(table))
    lines.append(
        f"{name} weights: intercept {model.intercept:+.3f}, "
        + ", ".join(f"{k} {v:+.3f}" for k, v in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])))
    )
    return model, lines


HEADER = "model\tfeature\tweight\tnote"


# -- Collecting the evidence of findings, for fitting ---------------------------------------
#
# A fitting script audits labelled text in this process inside ``collecting()``; every
# confidence a check asks for (CheckContext.fitted_confidence) is recorded with the span it
# is for, so the script can join each finding with its evidence features. While collecting,
# a model that is not fitted yet gives 0.5 (the first fit has nothing to read).

_COLLECTOR: list | None = None


class collecting:
    """Context manager: records (model, article id, start, end, features) in ``.rows``."""

    def __enter__(self) -> "collecting":
        global _COLLECTOR
        self.rows: list[tuple[str, str, int, int, dict]] = []
        _COLLECTOR = self.rows
        return self

    def __exit__(self, *exc) -> None:
        global _COLLECTOR
        _COLLECTOR = None


def record(model: str, article_id: str, start: int, end: int, features: Mapping[str, float]) -> bool:
    """Record one finding's evidence when collecting; True when a collector is active."""
    if _COLLECTOR is None:
        return False
    _COLLECTOR.append((model, article_id, start, end, dict(features)))
    return True


def read_models(lines: Iterable[str], origin: str = "calibration.tsv") -> dict[str, LogisticModel]:
    """Models from the TSV rows ``model, feature, weight, note`` (``#`` lines are comments)."""
    weights: dict[str, dict[str, float]] = {}
    intercepts: dict[str, float] = {}
    notes: dict[str, str] = {}
    header_seen = False
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if not header_seen:
            header_seen = True
            if cells[:3] != ["model", "feature", "weight"]:
                raise ValueError(f"{origin}:{lineno}: header must start with model, feature, weight")
            continue
        if len(cells) < 3:
            raise ValueError(f"{origin}:{lineno}: expected model, feature, weight")
        model, feature, weight = cells[0], cells[1], cells[2]
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(f"{origin}:{lineno}: weight {weight!r} is not a number") from None
        if feature == INTERCEPT:
            intercepts[model] = value
            if len(cells) > 3 and cells[3]:
                notes[model] = cells[3]
        else:
            weights.setdefault(model, {})[feature] = value
    return {
        name: LogisticModel(name, weights.get(name, {}), intercepts.get(name, 0.0), notes.get(name, ""), tuple(weights.get(name, {})))
        for name in sorted(set(weights) | set(intercepts))
    }


def write_models(path: Path, models: Iterable[LogisticModel], comment: str) -> None:
    """Replace the rows of ``models`` in ``path`` (other models' rows are kept), atomically."""
    existing = read_models(path.read_text(encoding="utf-8").splitlines(), str(path)) if path.is_file() else {}
    for m in models:
        existing[m.name] = m
    head = [line for line in (path.read_text(encoding="utf-8").splitlines() if path.is_file() else []) if line.startswith("#")]
    if not head:
        head = ["# " + c for c in comment.splitlines()]
    out = [*head, HEADER]
    for name in sorted(existing):
        m = existing[name]
        out.append(f"{name}\t{INTERCEPT}\t{m.intercept}\t{m.note}")
        out.extend(f"{name}\t{k}\t{v}\t" for k, v in m.weights.items())
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(out) + "\n", encoding="utf-8")
    tmp.replace(path)
