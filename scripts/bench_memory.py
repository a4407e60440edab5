"""Memory of a streamed batch audit as it grows: parent RSS and PSS summed over the parent
and its workers, sampled every ``--every`` articles, with the peaks and the growth per article.

It audits bench_audit's deterministic corpus through the road `mtaudit audit` takes
(``run.stream.audit_to_reports``), so the figures are the CLI's without its start-up. Growth
per article is the slope between the first sample and the last one of a stage (the audit,
then the report writing); a bounded run shows near zero there however large the batch.

    python scripts/bench_memory.py --articles 5000 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_audit  # noqa: E402  (the corpus builder)

from mtaudit.gate.verdict import GatePolicy  # noqa: E402
from mtaudit.inputs.readers import read_inputs  # noqa: E402
from mtaudit.run.pipeline import AuditConfig  # noqa: E402
from mtaudit.run.stream import audit_to_reports  # noqa: E402
from mtaudit.types import Severity  # noqa: E402


def _proc_field(path: str, field: str) -> int:
    """A ``kB`` field of a /proc status file, in MB (0 when the process is gone)."""
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--every", type=int, default=500, help="sample every N articles")
    parser.add_argument("--shared", type=Path, default=bench_audit.DEFAULT_SHARED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mtaudit-bench")
    args = parser.parse_args()

    corpus = bench_audit.build_corpus(args.articles, args.shared, args.work)
    inputs = read_inputs([corpus], None, None)
    me = os.getpid()
    samples: list[tuple[str, int, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if done % args.every and done != total:
            return
        parent = _proc_field("/proc/self/status", "VmRSS:")
        pss = _proc_field("/proc/self/smaps_rollup", "Pss:") + sum(
            _proc_field(f"/proc/{k}/smaps_rollup", "Pss:") for k in _children(me)
        )
        samples.append((stage, done, parent, pss))
        print(f"{stage:>10} {done:>7}  parent RSS {parent:>5} MB  PSS summed {pss:>5} MB  {time.strftime('%X')}", flush=True)

    try:  # the collector as `mtaudit audit` tunes it (an install without it: the defaults)
        from mtaudit.run.collector import batch_collection
    except ImportError:
        from contextlib import nullcontext as batch_collection
    started = time.process_time()
    with tempfile.TemporaryDirectory() as out, batch_collection():
        audit_to_reports(
            inputs.articles,
            AuditConfig(jobs=args.jobs),
            Path(out),
            GatePolicy(Severity.MAJOR, {}, "article"),
            inputs.problems,
            progress,
            len(inputs.articles),
        )
    cpu = time.process_time() - started
    for stage, doing in (("audit", "auditing"), ("reports", "writing the reports")):
        stage_samples = [s for s in samples if s[0] == stage]
        if len(stage_samples) >= 2 and stage_samples[-1][1] > stage_samples[0][1]:
            (_, n0, r0, p0), (_, n1, r1, p1) = stage_samples[0], stage_samples[-1]
            growth = (r1 - r0) * 1024 / (n1 - n0)
            growth_pss = (p1 - p0) * 1024 / (n1 - n0)
            print(f"growth while {doing} ({n0} → {n1}): parent {growth:.2f} KB per article, PSS summed {growth_pss:.2f} KB per article")
    print(
        f"peaks: parent RSS {max(s[2] for s in samples)} MB (maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB), "
        f"largest worker maxrss {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024} MB, "
        f"PSS summed {max(s[3] for s in samples)} MB; parent CPU {cpu:.1f} s"
    )


if __name__ == "__main__":
    main()
