#!/usr/bin/env python3
"""Batch-audit throughput: articles/s, seconds per phase and per check, peak RSS, the floor.

Builds the corpus of issue 14 deterministically: N articles of about 4 KB of Arabic (UTF-8
bytes), each a headline and paragraphs of human sentences from FLORES-200 devtest and
TICO-19 test drawn with a per-article seeded generator, and every tenth article one of the
seed articles in ../shared/seeds (cycled, so the MT seed 002 brings real findings). The
corpus is written once as .txt files under --work (default /tmp/mtaudit-bench) and reused.

For each install (this tree, and with ``--compare`` an earlier one) it measures, each in a
fresh subprocess:

- **phases** (one job, in process): import, reference data load, reading the files, the
  article checks, the batch checks, the scoring stage, the reports, and the seconds of
  every check (a timer around each check function);
- **end to end**: ``mtaudit audit CORPUS --quiet --jobs J`` as a user runs it (all default
  checks and reports, no source: the checks-only bar), wall time, articles/s and the peak
  RSS of the largest process;
- **start-up**: the same command on one short article.

The **floor** is measured in this process on the same files: read them, tokenise, fold
(mtaudit.text.normalize's table) and one dict lookup per token.

    python scripts/bench_audit.py --articles 1000 --jobs 1,2
    python scripts/bench_audit.py --articles 200 --compare git:3bd90eb   # the release, side by side
    python scripts/bench_audit.py --articles 100000 --jobs 2 --skip-phases --skip-startup
    python scripts/bench_audit.py --articles 200 --profile prof.out     # cProfile of the phases run

``--compare`` takes a source tree (put first on PYTHONPATH), a Python executable of another
install, or ``git:REV`` (exported with git archive into --work). ``--keep`` leaves each
run's report folder under --work so that outputs can be diffed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
DEFAULT_SHARED = TREE.parent / "shared"
TARGET_BYTES = 4096
CORPUS_VERSION = "1"


# ---------------------------------------------------------------------------- corpus


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_pool(shared: Path) -> tuple[list[str], list[str]]:
    """(sentences, seed articles) from ../shared; raises SystemExit when absent."""
    sentences: list[str] = []
    for rel in ("data/flores200/arb_Arab.devtest", "data/tico19/tico19-test.ar"):
        p = shared / rel
        if p.is_file():
            sentences.extend(_lines(p))
    seeds = [p.read_text(encoding="utf-8-sig") for p in sorted((shared / "seeds").glob("*.txt"))]
    if not sentences:
        raise SystemExit(f"bench_audit: no FLORES/TICO text under {shared}/data")
    return sentences, seeds


def build_article(i: int, sentences: list[str], seeds: list[str]) -> str:
    """Article ``i`` of the corpus: the same text for the same i, every run."""
    if seeds and i % 10 == 0:
        return seeds[(i // 10) % len(seeds)]
    rng = random.Random(f"mtaudit-bench:{i}")
    short = [s for s in (rng.choice(sentences) for _ in range(20)) if len(s) < 90]
    headline = (short[0] if short else rng.choice(sentences)[:80]).rstrip(".")
    lines = [headline]
    size = len(headline.encode())
    while size < TARGET_BYTES:
        para = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
        lines.append(para)
        size += len(para.encode()) + 1
    return "\n".join(lines) + "\n"


def build_corpus(n: int, shared: Path, work: Path) -> Path:
    """Write the n-article corpus once (a manifest records how it was made)."""
    folder = work / f"corpus-{n}"
    manifest = folder / ".manifest.json"
    sentences, seeds = corpus_pool(shared)
    pool_hash = hashlib.sha1("\n".join(sentences + seeds).encode()).hexdigest()
    want = {"version": CORPUS_VERSION, "articles": n, "pool": pool_hash}
    if manifest.is_file() and json.loads(manifest.read_text()) == want:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"a{i:06d}.txt").write_text(build_article(i, sentences, seeds), encoding="utf-8")
    manifest.write_text(json.dumps(want))
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


# ---------------------------------------------------------------------------- floor


def measure_floor(files: list[Path]) -> dict:
    """Read, tokenise, fold and one dict lookup per token: the least any audit must do."""
    import regex

    from mtaudit.text.normalize import fold

    word = regex.compile(r"[\p{L}\p{M}\p{N}]+")
    lexicon: dict[str, int] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    tokens = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        for w in word.findall(fold(text)):
            lexicon[w] = lexicon.get(w, 0) + 1
            tokens += 1
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "tokens": tokens,
            "articles_per_s": round(len(files) / seconds, 1), "articles_per_cpu_s": round(len(files) / cpu, 1)}


# ---------------------------------------------------------------------------- installs


def resolve_install(spec: str, work: Path) -> tuple[str, dict[str, str], str]:
    """(python executable, extra environment, label) for a --compare value."""
    if spec.startswith("git:"):
        rev = spec[4:]
        dest = work / f"tree-{rev}"
        if not (dest / "mtaudit").is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", "-C", str(TREE), "archive", rev], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        _share_compiled_decoder(dest)
        return sys.executable, {"PYTHONPATH": str(dest)}, rev
    path = Path(spec)
    if path.is_dir():
        return sys.executable, {"PYTHONPATH": str(path.resolve())}, path.name
    return str(path), {"PYTHONPATH": ""}, str(path)


def _share_compiled_decoder(dest: Path) -> None:
    """Give an exported tree this tree's compiled transliteration decoder when both have the
    same C source (git archive has no build products: the export would run the pure-Python
    decoder, same results but slower, and the comparison would measure that)."""
    rel = Path("mtaudit") / "names"
    mine, theirs = TREE / rel / "_jointdecode.c", dest / rel / "_jointdecode.c"
    if not (mine.is_file() and theirs.is_file()) or mine.read_bytes() != theirs.read_bytes():
        return
    for built in (TREE / rel).glob("_jointdecode*.so"):
        if not (dest / rel / built.name).exists():
            shutil.copy2(built, dest / rel / built.name)


def _run(python: str, env_extra: dict[str, str], args: list[str]) -> tuple[float, int, int, str, str]:
    """Run ``python args`` and return (wall s, exit code, peak RSS MB of the largest process, stdout, stderr);
    the CPU seconds of the run and its workers are left in ``_run.cpu``."""
    # The result cache is off unless asked for (an install without one ignores this).
    # PYTHONSAFEPATH: ``python -m mtaudit.cli`` would otherwise put the working directory
    # first on sys.path, so that run from a source tree every install imports that tree.
    env = {**os.environ, "MTAUDIT_RESULT_CACHE": "off", **env_extra, "CI": "1", "PYTHONSAFEPATH": "1"}
    env.pop("COLUMNS", None)
    # Bytecode is compiled once and kept, as for an installed package (a tree run with
    # PYTHONDONTWRITEBYTECODE would compile every module at every start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(_run.pycache))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        # Run outside any source tree: `python -m` puts the working folder first on sys.path,
        # so from a checkout's root every "install" would import that checkout.
        proc = subprocess.Popen([python, *args], stdout=out, stderr=err, env=env, cwd=_run.pycache.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        _run.cpu = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, proc.returncode, usage.ru_maxrss // 1024, out.read().decode(), err.read().decode()


def end_to_end(python, env, corpus: Path, n: int, jobs: int, out: Path, extra: list[str]) -> dict:
    wall, code, rss, _, err = _run(
        python, env, ["-m", "mtaudit.cli", "audit", str(corpus), "--out", str(out), "--quiet", "--jobs", str(jobs), *extra]
    )
    if code not in (0, 1):
        raise SystemExit(f"bench_audit: audit failed (exit {code}):\n{err[-3000:]}")
    cpu = _run.cpu
    return {
        "jobs": jobs, "seconds": round(wall, 2), "articles_per_s": round(n / wall, 1), "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round(n / cpu, 1), "peak_rss_mb": rss, "load": round(os.getloadavg()[0], 1),
    }


def cache_rerun(python, env, corpus: Path, n: int, jobs: int, work: Path) -> dict:
    """The same audit twice with a fresh result cache: cold, then unchanged; the outputs must be identical."""
    cache = work / "result-cache"
    subprocess.run(["rm", "-rf", str(cache)])
    runs = []
    for label in ("cold", "warm"):
        out = work / f"out-cache-{label}"
        runs.append(end_to_end(python, env, corpus, n, jobs, out, ["--cache", str(cache)]))
    same = same_reports(work / "out-cache-cold", work / "out-cache-warm")
    cold, warm = runs
    return {"cold": cold, "warm": warm, "speedup": round(cold["seconds"] / warm["seconds"], 1),
            "cpu_speedup": round(cold["cpu_seconds"] / warm["cpu_seconds"], 1), "identical_reports": same}


def same_reports(a: Path, b: Path) -> bool:
    """Whether two report folders hold the same files, byte for byte; in findings.xlsx all but
    docProps/core.xml, where XlsxWriter stamps the time the workbook was made."""
    import io
    import zipfile

    def files(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    if files(a) != files(b) or not files(a):
        return False
    for name in files(a):
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if name.endswith(".xlsx") and x != y:
            zx, zy = zipfile.ZipFile(io.BytesIO(x)), zipfile.ZipFile(io.BytesIO(y))
            if zx.namelist() != zy.namelist() or any(
                zx.read(m) != zy.read(m) for m in zx.namelist() if m != "docProps/core.xml"
            ):
                return False
        elif x != y:
            return False
    return True


def startup(python, env, work: Path) -> dict:
    art = work / "startup" / "one.txt"
    art.parent.mkdir(parents=True, exist_ok=True)
    art.write_text("وصل الرئيس إلى موسكو صباح اليوم\n", encoding="utf-8")
    runs = []
    for _ in range(3):  # warm: the first run fills the OS page cache (and any mtaudit cache)
        wall, code, rss, _, err = _run(
            python, env, ["-m", "mtaudit.cli", "audit", str(art), "--out", str(work / "startup" / "out"), "--quiet"]
        )
        if code not in (0, 1):
            raise SystemExit(f"bench_audit: start-up run failed (exit {code}):\n{err[-3000:]}")
        runs.append((wall, _run.cpu))
    warm = min(runs[1:])
    return {
        "seconds_warm": round(warm[0], 2), "cpu_seconds_warm": round(warm[1], 2), "seconds_first": round(runs[0][0], 2),
        "peak_rss_mb": rss, "load": round(os.getloadavg()[0], 1),
    }


# ---------------------------------------------------------------------------- phases (run in the install under test)


def phases_main(corpus: Path, out: Path, profile: str | None) -> None:
    """Measure the phases in this process (called through --phases by the parent)."""
    t = time.perf_counter()
    import dataclasses

    from mtaudit.checks import select
    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.inputs.readers import read_inputs
    from mtaudit.knowledge.resources import Resources
    from mtaudit.reports.tables import write_reports
    from mtaudit.run import pipeline
    from mtaudit.types import AuditResult, Severity

    phases: dict[str, float] = {"import": time.perf_counter() - t}
    cpu0 = time.process_time()
    check_seconds: dict[str, float] = {}

    def timed(spec):
        def run(ctx):
            # wall time, like the phases: process_time is a system call (about 0.7 µs against
            # 0.06), and with two per check call (about 340,000 per 1,000 articles) the timer
            # itself was a twentieth of the checks phase; on a shared machine read them as shares
            t0 = time.perf_counter()
            try:
                return list(spec.func(ctx))
            finally:
                check_seconds[spec.id] = check_seconds.get(spec.id, 0.0) + time.perf_counter() - t0

        if spec.summarize is None:
            return dataclasses.replace(spec, func=run)

        def summarize(ctx, findings):
            # a batch check's per-article summary is its work in the article stage: counted with it
            t0 = time.perf_counter()
            try:
                return spec.summarize(ctx, findings)
            finally:
                check_seconds[spec.id] = check_seconds.get(spec.id, 0.0) + time.perf_counter() - t0

        return dataclasses.replace(spec, func=run, summarize=summarize)

    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()

    try:  # as `mtaudit audit` runs (an install without it: the collector's defaults)
        from mtaudit.run.collector import batch_collection

        batch_collection().__enter__()
    except ImportError:
        pass

    t = time.perf_counter()
    config = pipeline.AuditConfig()
    specs = [timed(s) for s in select(config.checks, config.exclude)]
    resources = Resources(config.reference_dirs, config.name_files)
    resources.validate()
    phases["load"] = time.perf_counter() - t

    t = time.perf_counter()
    inputs = read_inputs([corpus])
    phases["read"] = time.perf_counter() - t

    t = time.perf_counter()
    results = list(pipeline.iter_audit(inputs.articles, config, specs, resources))
    phases["checks"] = time.perf_counter() - t

    t = time.perf_counter()
    pipeline.run_batch_checks(results, specs, resources)
    phases["batch"] = time.perf_counter() - t

    t = time.perf_counter()
    sig = pipeline.signature(specs, resources)
    system: dict = {}
    sig["scorers"].update(pipeline.score_units(results, config, system))
    sig["system_scores"] = system
    phases["scoring"] = time.perf_counter() - t

    t = time.perf_counter()
    write_reports(AuditResult(results, inputs.problems, sig, []), out, GatePolicy(Severity.CRITICAL, {}, "article"))
    phases["reports"] = time.perf_counter() - t
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    total = sum(phases.values())
    print(
        json.dumps(
            {
                "articles": len(results),
                "phases": {k: round(v, 3) for k, v in phases.items()},
                "total": round(total, 3),
                "cpu_seconds": round(time.process_time() - cpu0, 3),
                "checks": {k: round(v, 3) for k, v in sorted(check_seconds.items(), key=lambda kv: -kv[1])},
                "findings": sum(len(r.findings) for r in results),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
        )
    )


def stages_main(argv: list[str]) -> None:
    """Run ``mtaudit audit ARGV`` as the CLI does, with a progress callback that records the
    CPU seconds of this (the parent) process at each stage's first and last article, and
    print them with the CPU seconds of its children (the ``--jobs`` workers and the forked
    page writer, counted once they are reaped) as JSON on stderr's last line."""
    import mtaudit.cli as cli

    marks: dict[str, float] = {}
    children_at: dict[str, float] = {}

    def cpu() -> float:
        t = os.times()
        return t.user + t.system

    class _Quiet:
        tasks_by_stage: dict = {}

        def start(self):
            pass

        def stop(self):
            marks.setdefault("end_of_reports", cpu())

    def callback(_progress):
        def update(stage: str, done: int, total: int) -> None:
            if f"{stage}_first" not in marks:
                marks[f"{stage}_first"] = cpu()
                t = os.times()  # (at the first report row the workers are gone, reaped)
                children_at[stage] = t.children_user + t.children_system
            marks[f"{stage}_last"] = cpu()

        return update

    import multiprocessing

    fork = multiprocessing.get_context("fork")
    pool = fork.Pool

    def forked_pool(*a, **k):  # the workers start: what the parent did so far was alone
        marks.setdefault("fork", cpu())
        return pool(*a, **k)

    fork.Pool = forked_pool
    cli._show_progress = lambda: True
    cli._progress = lambda total: _Quiet()
    cli._progress_callback = callback
    sys.argv = ["mtaudit", "audit", *argv]
    try:
        cli.main()
    except SystemExit:
        pass
    end = cpu()
    t = os.times()
    children = t.children_user + t.children_system
    first = marks.get("fork", marks.get("audit_first", end))
    out = {
        # before the first result (with --jobs, before the workers fork): start-up, loading, the
        # warm-up and the articles audited before the fork
        "parent_before_audit": round(first, 2),
        "parent_during_audit": round(marks.get("audit_last", first) - first, 2),
        # the batch checks and the scoring stage, up to the first article's rows
        "parent_batch": round(marks.get("reports_first", end) - marks.get("audit_last", first), 2),
        "parent_reports": round(marks.get("end_of_reports", end) - marks.get("reports_first", end), 2),
        "parent_after": round(end - marks.get("end_of_reports", end), 2),  # the set's commit, the verdict
        "parent_total": round(end, 2),
        "children": round(children, 2),
        # the --jobs workers (reaped before the first report row), and the rest: the children
        # that write report files beside the parent
        "workers": round(children_at.get("reports", children), 2),
        "report_children": round(children - children_at.get("reports", children), 2),
    }
    out["marks"] = {k: round(v, 2) for k, v in marks.items()}
    print(json.dumps(out), file=sys.stderr)


def stages(python, env, corpus: Path, jobs: int, out: Path, extra: list[str]) -> dict:
    # (not --quiet, which turns the progress display off)
    args = [str(Path(__file__).resolve()), "--stages-run", str(corpus), "--out", str(out),
            "--jobs", str(jobs), *extra]
    wall, code, rss, _, err = _run(python, env, args)
    if code != 0:
        raise SystemExit(f"bench_audit: stages run failed (exit {code}):\n{err[-3000:]}")
    res = json.loads(err.strip().splitlines()[-1])
    res.update(jobs=jobs, seconds=round(wall, 2), load=round(os.getloadavg()[0], 1))
    # Two free cores: what the parent does alone (before the workers fork, the batch stage,
    # after the reports), the audit (the parent's share and the workers' spread over both
    # cores, or the parent's share if that is longer) and the reports (the parent's and its
    # report-writing children's spread over both cores, or the longest process's).
    during, reports = res["parent_during_audit"], res["parent_reports"]
    audit = max((during + res["workers"]) / 2, during) if jobs > 1 else during
    writing = max((reports + res["report_children"]) / 2, reports) if res["report_children"] else reports
    alone = res["parent_before_audit"] + res["parent_batch"] + res["parent_after"]
    res["two_core_estimate"] = round(alone + audit + writing, 2)
    return res


def phases(python, env, corpus: Path, out: Path, profile: str | None) -> dict:
    args = [str(Path(__file__).resolve()), "--phases", str(corpus), "--out", str(out)]
    if profile:
        args += ["--profile", profile]
    wall, code, _, stdout, err = _run(python, env, args)
    if code != 0:
        raise SystemExit(f"bench_audit: phases run failed (exit {code}):\n{err[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000, help="corpus size (the issue's: 1000, 10000, 100000)")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the end-to-end runs")
    ap.add_argument("--compare", action="append", default=[], help="another install: a tree, a python, or git:REV")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mtaudit-bench")
    ap.add_argument("--skip-phases", action="store_true")
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--cache-test", action="store_true", help="also time an unchanged re-run with the result cache (this tree)")
    ap.add_argument("--audit-args", default="", help="extra arguments for the end-to-end audits, e.g. '--no-cache'")
    ap.add_argument("--keep", action="store_true", help="keep every run's report folder under --work")
    ap.add_argument("--profile", help="write a cProfile of this tree's phases run to this file")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--stages", action="store_true",
                    help="also run each --jobs value once more, recording the parent's CPU seconds by stage and its "
                         "children's, with a two-core estimate (for a busy machine, where wall time says little)")
    ap.add_argument("--phases", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    if sys.argv[1:2] == ["--stages-run"]:  # (internal: the audit's own arguments follow)
        stages_main(sys.argv[2:])
        return 0
    args = ap.parse_args()
    if args.phases:
        phases_main(args.phases, args.out, args.profile)
        return 0

    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    _run.pycache = args.work / "pycache"
    t = time.perf_counter()
    corpus = build_corpus(args.articles, args.shared, args.work)
    files = corpus_files(corpus)
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files)} articles, {size / len(files) / 1024:.1f} KB each on average, {corpus} "
          f"(ready in {time.perf_counter() - t:.1f}s)")
    floor = measure_floor(files)
    print(f"floor (read + tokenise + fold + dict lookup per token): {floor['seconds']}s, "
          f"{floor['articles_per_s']} articles/s ({floor['cpu_seconds']} CPU s = {floor['articles_per_cpu_s']} "
          f"articles per CPU s), {floor['tokens']} tokens")

    installs = [(sys.executable, {"PYTHONPATH": str(TREE)}, "this tree")]
    installs += [resolve_install(c, args.work) for c in args.compare]
    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    extra = args.audit_args.split()
    report: dict = {"corpus": {"articles": len(files), "bytes": size}, "floor": floor, "installs": {}}
    for python, env, label in installs:
        slug = "".join(c if c.isalnum() else "-" for c in label)
        res: dict = {}
        print(f"\n== {label}")
        if not args.skip_startup:
            res["startup"] = startup(python, env, args.work)
            st = res["startup"]
            print(f"start-up, one short article: {st['seconds_warm']}s warm ({st['cpu_seconds_warm']} CPU s; "
                  f"first {st['seconds_first']}s), {st['peak_rss_mb']} MB, load average {st['load']}")
        if not args.skip_phases:
            out = args.work / f"out-{slug}-phases"
            res["phases"] = ph = phases(python, env, corpus, out, args.profile if label == "this tree" else None)
            print(f"phases, one job, {ph['articles']} articles, {ph['findings']} findings, "
                  f"{ph['total']}s = {ph['articles'] / ph['total']:.1f} articles/s ({ph['cpu_seconds']} CPU s), "
                  f"peak RSS {ph['peak_rss_mb']} MB:")
            print("  " + ", ".join(f"{k} {v}s" for k, v in ph["phases"].items()))
            print("  checks: " + ", ".join(f"{k} {v}s" for k, v in ph["checks"].items()))
        if not args.skip_e2e:
            res["end_to_end"] = []
            for j in jobs:
                out = args.work / f"out-{slug}-j{j}"
                e = end_to_end(python, env, corpus, len(files), j, out, extra)
                res["end_to_end"].append(e)
                print(f"end to end, --jobs {j}: {e['seconds']}s = {e['articles_per_s']} articles/s "
                      f"({e['cpu_seconds']} CPU s = {e['articles_per_cpu_s']} articles per CPU s), "
                      f"peak RSS {e['peak_rss_mb']} MB (largest process), load average {e['load']}")
                if not args.keep:
                    subprocess.run(["rm", "-rf", str(out)])
            if args.stages:
                res["stages"] = []
                for j in jobs:
                    out = args.work / f"out-{slug}-stages-j{j}"
                    st = stages(python, env, corpus, j, out, extra)
                    res["stages"].append(st)
                    print(f"CPU s by stage, --jobs {j}: parent before the audit {st['parent_before_audit']}, "
                          f"during it {st['parent_during_audit']}, batch stage {st['parent_batch']}, reports "
                          f"{st['parent_reports']}, after {st['parent_after']} (parent {st['parent_total']}); "
                          f"workers {st['workers']}, report writers {st['report_children']}; on two free cores about {st['two_core_estimate']}s "
                          f"({st['seconds']}s wall at load {st['load']})")
                    subprocess.run(["rm", "-rf", str(out)])
        if args.cache_test and label == "this tree":
            res["cache"] = c = cache_rerun(python, env, corpus, len(files), jobs[-1], args.work)
            print(f"result cache, --jobs {jobs[-1]}: first run {c['cold']['seconds']}s ({c['cold']['cpu_seconds']} CPU s), "
                  f"unchanged re-run {c['warm']['seconds']}s ({c['warm']['cpu_seconds']} CPU s): {c['speedup']}x "
                  f"({c['cpu_speedup']}x CPU); report folders identical: {c['identical_reports']}")
        report["installs"][label] = res
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
