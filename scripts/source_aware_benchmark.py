#!/usr/bin/env python3
"""Source-aware precision and recall of repeated-word, latin-leftover, english-in-arabic,
placeholder and boilerplate, today's tree against the previous release, side by side.

Clean copy: the human Arabic of FLORES-200 devtest, TICO-19 test and SemEval-2025 EA-MT
train (../shared/data), one line an article, audited with and without its English source:
every finding is a false flag (or a real slip of the human translator), and so is every
line taken for boilerplate. Recall: synthetic corruptions of the same clean copy, a
word doubled (repeated-word), words of the source put into the target in Latin script (a
phrase, a common word or a name: latin-leftover), and a placeholder (URL, e-mail, handle, hashtag,
tag, variable) put into source and target alike and then dropped or altered in the target
(placeholder); the copies with the placeholder kept are clean copy too, and show whether
placeholders are reported as untranslated English. Seed 002 flattened to one line shows
the boilerplate change (a comment-notice phrase used to hide the whole line).

Split, fixed: line i of a corpus (0-based) is held-out when i % 4 == 3, build otherwise;
at most --per-corpus lines of each corpus are used, evenly spaced. Confidence models are
fitted on build only (--fit writes references/calibration.tsv), and every number is
printed for both parts.

    python scripts/source_aware_benchmark.py [--per-corpus 800] [--old 3bd90eb] [--fit]

Measured on this project's 2-core machine (about 15 minutes with --fit and the previous
release): the numbers are in docs/measurements.md ("Source-aware precision, placeholders,
boilerplate").

The previous release runs in a subprocess with PYTHONPATH pointed at a git worktree of it
(made with `git worktree add` under /tmp when missing). --measure prints one tree's raw
numbers as JSON (what the subprocess runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ["repeated-word", "latin-leftover", "english-in-arabic", "placeholder"]


def split_of(i: int) -> str:
    return "held-out" if i % 4 == 3 else "build"


def corpora(shared: Path, per_corpus: int) -> dict[str, list[tuple[int, str, str]]]:
    """name → [(line index, Arabic, English)]."""
    out = {}
    for name, ar, en in (
        ("flores", "data/flores200/arb_Arab.devtest", "data/flores200/eng_Latn.devtest"),
        ("tico19", "data/tico19/tico19-test.ar", "data/tico19/tico19-test.en"),
    ):
        if (shared / ar).is_file():
            a = (shared / ar).read_text(encoding="utf-8").splitlines()
            e = (shared / en).read_text(encoding="utf-8").splitlines()
            out[name] = [(i, t, s) for i, (t, s) in enumerate(zip(a, e)) if t.strip() and s.strip()]
    sem = shared / "data/semeval2025_eamt_train/train.ar.jsonl"
    if sem.is_file():
        recs = [json.loads(line) for line in sem.read_text(encoding="utf-8").splitlines() if line.strip()]
        out["semeval"] = [(i, r["target"], r["source"]) for i, r in enumerate(recs)]
    for name, rows in out.items():
        if len(rows) > per_corpus:
            step = len(rows) / per_corpus
            out[name] = [rows[int(k * step)] for k in range(per_corpus)]
    return out


# -- synthetic corruptions -------------------------------------------------------------------

_AR_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ابكديفغهيجكلمنوبقرستووكسيز"))


def _translit(word: str) -> str:
    return "".join(_AR_LETTERS.get(c, c) for c in word.lower())


def placeholder_case(rng: random.Random):
    """(kind, value, altered value) of a generated placeholder."""
    host = rng.choice(["who.int", "reuters.com", "un.org", "gov.uk", "example.org", "aljazeera.net"])
    word = rng.choice(["news", "health", "report", "story", "covid", "climate", "data", "press"])
    kind = rng.choice(["url", "email", "domain", "handle", "hashtag", "tag", "variable"])
    if kind == "domain":
        # A brand's domain: Arabic copy may write it in Arabic letters (أمازون.كوم), which is
        # the check's likeliest false alarm; that rendering is the "altered" copy here and
        # is labelled a false alarm, not an error.
        brand = rng.choice(["Amazon", "Booking", "Alibaba", "Expedia", "Zillow", "Craigslist"])
        return kind, f"{brand}.com", _translit(brand) + ".كوم"
    if kind == "url":
        v = f"https://www.{host}/{word}/{rng.randint(100, 9999)}"
        return kind, v, f"https://www.{host}/ar/{word}"
    if kind == "email":
        v = f"{word}@{host}"
        return kind, v, f"{word}s@{host}"
    if kind == "handle":
        v = "@" + rng.choice(["UN", "WHO", "Reuters", "BBCWorld", "AFP", "ICRC", "UNICEF"]) + rng.choice(["", "_News", "Arabic"])
        return kind, v, "@" + _translit(v[1:])
    if kind == "hashtag":
        v = "#" + rng.choice(["StaySafe", "COVID19", "ClimateAction", "MeToo", "StandWithUkraine"])
        return kind, v, None  # a hashtag is only dropped: its words may be translated
    if kind == "tag":
        return kind, rng.choice(["<br/>", "<b>", "<i>"]), None
    v = rng.choice(["{0}", "{name}", "%s", "%d", "{{count}}"])
    return kind, v, {"{0}": "{1}", "{name}": "{nom}", "%s": "%d", "%d": "%s", "{{count}}": "{{total}}"}[v]


def _insert_before_end(text: str, piece: str) -> str:
    body = text.rstrip()
    k = len(body)
    while k and body[k - 1] in ".؟?!؛;":
        k -= 1
    return body[:k] + " " + piece + body[k:]


def doubled(text: str, rng: random.Random):
    """``text`` with one Arabic word written twice, and the span of the repetition."""
    from mtaudit.text.tokens import tokenize

    toks = [t for t in tokenize(text) if t.is_arabic and len(t.folded) >= 2]
    if not toks:
        return None
    t = rng.choice(toks)
    return text[: t.end] + " " + t.text + text[t.end :], (t.start, t.end + 1 + len(t.text))


def leftover(text: str, source: str, rng: random.Random):
    """``text`` with words of ``source`` put in Latin script at a word boundary (MT that
    left them untranslated): a phrase of three to five words, one common word, or a
    capitalised name; and the span they take."""
    import regex
    from wordfreq import zipf_frequency

    from mtaudit.text.tokens import tokenize

    words = regex.findall(r"[A-Za-z]+(?:'[a-z]+)?", source)
    options = []
    for n in (3, 4, 5):
        for k in range(len(words) - n + 1):
            if all(w.islower() for w in words[k : k + n]):
                options.append(" ".join(words[k : k + n]))
    options += [w for w in words if w.islower() and len(w) > 3 and zipf_frequency(w, "en") >= 4.5]
    options += [f"{a} {b}" for a, b in zip(words, words[1:]) if a[0].isupper() and b[0].isupper() and len(a) > 2 and len(b) > 2]
    toks = tokenize(text)
    if not options or len(toks) < 3:
        return None
    piece = rng.choice(options)
    at = rng.choice(toks[1:]).start
    return text[:at] + piece + " " + text[at:], (at, at + len(piece))


# -- measuring ----------------------------------------------------------------------------


def measure(shared: Path, per_corpus: int, collect: bool = False) -> dict:
    from mtaudit.checks import load_all
    from mtaudit.inputs.readers import read_inputs
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import audit_article
    from mtaudit.text.tokens import tokenize
    from mtaudit.types import Article, SegmentKind

    registry = load_all()
    specs = [registry[c] for c in CHECKS if c in registry]
    res = Resources()
    out: dict = {"checks": [s.id for s in specs], "clean": {}, "boiler": {}, "doubled": {}, "placeholder": {}, "leftover": {}, "seed002": {}}
    labelled: list[tuple[str, str, dict, int]] = []  # (model, split, features, label)

    def run(article, label_span=None, model=None, split="build", negative=False):
        """Audit; when fitting, label the evidence rows: all negative (clean copy), or those
        of ``model`` covering ``label_span`` (or all of ``model``'s when no span) positive."""
        if collect:
            from mtaudit.knowledge.calibration import collecting

            with collecting() as c:
                r = audit_article(article, specs, res, score=False)
            for m, _aid, s, e, feats in c.rows:
                if negative:
                    labelled.append((m, split, feats, 0))
                elif m == model and (label_span is None or (s <= label_span[0] and label_span[1] <= e + 1)):
                    labelled.append((m, split, feats, 1))
            return r
        return audit_article(article, specs, res, score=False)

    for name, rows in corpora(shared, per_corpus).items():
        for i, target, source in rows:
            sp = split_of(i)
            for with_source in (False, True):
                key = f"{name}|{sp}|{'src' if with_source else 'nosrc'}"
                r = run(Article(f"{name}:{i}", target, source=source if with_source else None), split=sp, negative=True)
                c = out["clean"].setdefault(key, {"words": 0, "findings": Counter(), "major": Counter()})
                c["words"] += sum(len(tokenize(s.text)) for s in r.segments if s.kind is not SegmentKind.BOILERPLATE)
                for f in r.findings:
                    c["findings"][f.check] += 1
                    c["major"][f.check] += f.severity.value in ("major", "critical")
                if not with_source:
                    b = out["boiler"].setdefault(f"{name}|{sp}", {"lines": 0, "boilerplate": 0})
                    b["lines"] += 1
                    b["boilerplate"] += any(s.kind is SegmentKind.BOILERPLATE for s in r.segments)
            rng = random.Random(f"{name}:{i}")
            d = doubled(target, rng)
            if d:
                for with_source in (False, True):
                    key = f"{name}|{sp}|{'src' if with_source else 'nosrc'}"
                    art = Article(f"{name}:{i}:d", d[0], source=source if with_source else None)
                    r = run(art, d[1], "repeated-word", sp)
                    hit = any(f.check == "repeated-word" and f.start <= d[1][0] and d[1][1] <= f.end for f in r.findings)
                    c = out["doubled"].setdefault(key, {"n": 0, "found": 0})
                    c["n"] += 1
                    c["found"] += hit
            lo = leftover(target, source, rng)
            if lo:
                for with_source in (False, True):
                    key = f"{name}|{sp}|{'src' if with_source else 'nosrc'}"
                    r = run(Article(f"{name}:{i}:l", lo[0], source=source if with_source else None), lo[1], "latin-leftover", sp)
                    hit = [f for f in r.findings if f.check == "latin-leftover" and f.start <= lo[1][0] and lo[1][1] <= f.end]
                    c = out["leftover"].setdefault(key, {"n": 0, "found": 0, "major": 0})
                    c["n"] += 1
                    c["found"] += bool(hit)
                    c["major"] += any(f.severity.value == "major" for f in hit)
            kind, value, altered = placeholder_case(rng)
            src2 = _insert_before_end(source, value)
            kept = _insert_before_end(target, value)
            key = f"{name}|{sp}"
            c = out["placeholder"].setdefault(key, {"n": 0, "clean_words": 0, "clean_flags": Counter(), "dropped": 0, "dropped_found": 0, "altered": 0, "altered_found": 0, "legit": 0, "legit_found": 0, "by_kind": Counter()})
            r = run(Article(f"{name}:{i}:k", kept, source=src2), split=sp, negative=True)
            c["n"] += 1
            c["clean_words"] += len(tokenize(kept))
            for f in r.findings:
                if f.check in ("placeholder", "latin-leftover", "english-in-arabic"):
                    c["clean_flags"][f.check] += 1
            base_flags = {(f.check, f.start) for f in r.findings}
            changed = "legit" if kind == "domain" else "altered"
            for variant, text in (("dropped", target), (changed, _insert_before_end(target, altered) if altered else None)):
                if text is None:
                    continue
                legit = variant == "legit"
                r = run(Article(f"{name}:{i}:{variant}", text, source=src2), None, None if legit else "placeholder", sp, negative=legit)
                new = [f for f in r.findings if f.check == "placeholder" and (f.check, f.start) not in base_flags]
                c[variant] += 1
                # For the brand domain written in Arabic letters (no error) count major flags.
                c[f"{variant}_found"] += bool([f for f in new if f.severity.value == "major"] if legit else new)
                c["by_kind"][f"{kind}:{variant}:{'found' if new else 'missed'}"] += 1
    if collect:
        # False alarms are rare on clean copy: every line of the corpora (not only the
        # sample) gives its findings as negatives for the fitted checks, by the same split.
        fitted = [registry[c] for c in ("repeated-word", "placeholder", "latin-leftover") if c in registry]
        for name, rows in corpora(shared, 10**9).items():
            for i, target, source in rows:
                for src in (None, source):
                    from mtaudit.knowledge.calibration import collecting

                    with collecting() as c:
                        audit_article(Article(f"{name}:{i}:pool", target, source=src), fitted, res, score=False)
                    labelled.extend((m, split_of(i), feats, 0) for m, _a, _s, _e, feats in c.rows)
    # Seed 002 as scraped and flattened to one line.
    seeds = shared / "seeds"
    if seeds.is_dir():
        art = next(a for a in read_inputs([seeds]).articles if a.id.startswith("002"))
        flat = Article("flat", " ".join(x.strip() for x in art.text.splitlines() if x.strip()))
        all_specs = list(registry.values())
        out["seed002"] = {
            "lines": len(audit_article(art, all_specs, res, score=False).findings),
            "flattened": len(audit_article(flat, all_specs, res, score=False).findings),
        }
    if collect:
        out["labelled"] = labelled
    return out


# -- fitting ------------------------------------------------------------------------------


def fit_models(labelled) -> list[str]:
    from mtaudit.knowledge.calibration import fit_and_report, write_models

    lines = []
    models = []
    for model in sorted({m for m, *_ in labelled}):
        rows = [(sp == "held-out", f, y) for m, sp, f, y in labelled if m == model]
        build = [y for held, _, y in rows if not held]
        if len(set(build)) < 2:
            lines.append(f"{model}: only one class in build ({len(build)} rows); not fitted")
            continue
        m, report = fit_and_report(
            model,
            rows,
            note=f"scripts/source_aware_benchmark.py --fit: {sum(build)} synthetic errors vs "
            f"{len(build) - sum(build)} findings on clean copy (FLORES/TICO-19/SemEval build split)",
        )
        models.append(m)
        lines.extend(report)
    write_models(ROOT / "references" / "calibration.tsv", models, "")
    return lines


# -- reporting ----------------------------------------------------------------------------


def _rate(n, d, scale=1.0):
    return f"{scale * n / d:.2f}" if d else "-"


def summary(m: dict) -> dict[str, str]:
    """row label → value, for one tree."""
    out = {}
    have = set(m["checks"])
    for key, c in sorted(m["clean"].items()):
        corpus, sp, src = key.split("|")
        for check in CHECKS:
            label = f"clean {corpus:7} {sp:8} {src:5} {check:18} per 10k words (major)"
            out[label] = (
                f"{_rate(c['findings'].get(check, 0), c['words'], 1e4)} ({_rate(c['major'].get(check, 0), c['words'], 1e4)})"
                if check in have
                else "-"
            )
    for key, b in sorted(m["boiler"].items()):
        corpus, sp = key.split("|")
        out[f"clean {corpus:7} {sp:8} lines taken for boilerplate (%)"] = _rate(b["boilerplate"], b["lines"], 100)
    for key, c in sorted(m["doubled"].items()):
        corpus, sp, src = key.split("|")
        out[f"doubled-word recall {corpus:7} {sp:8} {src:5}"] = _rate(c["found"], c["n"])
    for key, c in sorted(m.get("leftover", {}).items()):
        corpus, sp, src = key.split("|")
        out[f"source words left in Latin: latin-leftover recall (major) {corpus:7} {sp:8} {src:5}"] = (
            f"{_rate(c['found'], c['n'])} ({_rate(c['major'], c['n'])})"
        )
    for key, c in sorted(m["placeholder"].items()):
        corpus, sp = key.split("|")
        for check in ("placeholder", "latin-leftover", "english-in-arabic"):
            out[f"placeholder kept: {check:17} flags per 10k words {corpus:7} {sp:8}"] = (
                _rate(c["clean_flags"].get(check, 0), c["clean_words"], 1e4) if check in have else "-"
            )
        for variant in ("dropped", "altered", "legit"):
            label = "brand domain in Arabic letters (no error): share flagged major" if variant == "legit" else "recall"
            out[f"placeholder {variant:7} {corpus:7} {sp:8} {label}"] = (
                _rate(c[f"{variant}_found"], c[variant]) if "placeholder" in have else "-"
            )
    if m.get("seed002"):
        out["seed 002 findings: as scraped / flattened to one line"] = f"{m['seed002']['lines']} / {m['seed002']['flattened']}"
    return out


def run_old(commit: str, shared: Path, per_corpus: int) -> dict:
    tree = Path(f"/tmp/pl-old-{commit}")
    if not tree.is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit], check=True, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(tree))
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", "--shared", str(shared), "--per-corpus", str(per_corpus)],
        env=env,
        cwd=str(tree),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--per-corpus", type=int, default=800)
    ap.add_argument("--old", default="3bd90eb", help="previous release to compare with ('' to skip)")
    ap.add_argument("--measure", action="store_true", help="print this tree's raw numbers as JSON")
    ap.add_argument("--fit", action="store_true", help="fit the confidence models (build split) first")
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"no data under {args.shared}", file=sys.stderr)
        return 2
    if args.measure:
        json.dump(measure(args.shared, args.per_corpus), sys.stdout, default=list)
        return 0
    if args.fit:
        fitted = measure(args.shared, args.per_corpus, collect=True)
        for line in fit_models(fitted.pop("labelled")):
            print(line)
    new = summary(json.loads(json.dumps(measure(args.shared, args.per_corpus), default=list)))
    old = summary(run_old(args.old, args.shared, args.per_corpus)) if args.old else {}
    width = max(len(k) for k in new)
    print(f"{'':{width}}  {'previous (' + args.old + ')':>18}  {'this tree':>12}")
    for k, v in new.items():
        print(f"{k:{width}}  {old.get(k, '-'):>18}  {v:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
