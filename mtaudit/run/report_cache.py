"""Whole report sets kept for an unchanged re-run: copied back instead of written again.

When every article of a batch comes from the result cache (mtaudit.run.result_cache), the
reports depend only on those results, on the options that shape the reports and the gate
(the *report options*: the effective settings, the gate policy, the report language, the
suppression and baseline files), on the input problems reported and on mtaudit's code.
A streamed audit (mtaudit.run.stream) whose articles were all stored keeps its report
folder here under a key over all of that (:func:`report_key`); a later run with the same
key copies the stored folder into its staging folder, which mtaudit.reports.report_set
swaps in whole as for any run, and takes the run's result without the article texts (what
the gate, the summary and the exit code read) from beside it. The batch checks, the
scoring stage and the report writers do not run, and no reference table is loaded.

An article audited afresh, a changed option or file, or other code gives another key, and
the reports are written as usual (with per-article results from the cache where they
hit), so a reused set is always the set a fresh run writes. A set that cannot be read is
a miss; one that cannot be stored is not kept.

The sets live in ``report-sets/`` of the result cache's folder, each as one file of the
reports' bytes one after another (:data:`PACK`: a thousand article pages are written back
from one read, not copied one file at a time) and :data:`META`. At most :data:`MAX_SETS`
are kept, taking at most half of mtaudit.run.result_cache.max_bytes() together; the least
recently used are dropped first, and a set larger than that on its own is not kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..types import AuditResult, InputProblem

#: Bumped when what is stored changes shape.
FORMAT = "2"
MAX_SETS = 8
META = "meta.pickle"
PACK = "files.pack"


def report_options(settings: dict, policy, lang: str, files: Iterable[Path | str | None]) -> str:
    """The report options of a CLI run: its effective settings (but ``jobs``, which changes
    no byte), the gate policy, the report language and the contents of ``files`` (the
    suppression file and the baseline)."""
    digests = []
    for f in files:
        if f is None:
            digests.append(None)
            continue
        try:
            digests.append(hashlib.sha256(Path(f).read_bytes()).hexdigest())
        except OSError as exc:  # unreadable: nothing to reuse (the run reports the error)
            digests.append(f"unreadable: {exc}")
    values = {k: v for k, v in settings.items() if k != "jobs"}
    return repr((sorted(values.items(), key=lambda kv: kv[0]), policy, lang, digests))


def report_key(article_keys: Iterable[str], options: str, skipped: Iterable[InputProblem]) -> str:
    """The key of a report set: every article's result-cache key in input order (which
    covers the checks, their versions, the reference data and mtaudit's code), the report
    options and the input problems."""
    from .result_cache import code_hash, package_versions

    h = hashlib.sha256(repr((FORMAT, code_hash(), package_versions(), options)).encode())
    for key in article_keys:
        h.update(key.encode() + b"\n")
    h.update(repr([p.__dict__ for p in skipped]).encode())
    return h.hexdigest()


@dataclass
class StoredSet:
    """A reused report set: the run's result (no article texts), {report name: path in the
    folder it was copied into} as the writers return it, and the triage counts."""

    result: AuditResult
    paths: dict[str, Path]
    stats: dict | None


def _report_files(folder: Path) -> list[str]:
    """The report files under ``folder`` (relative paths), without hidden temporary files."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            out.append(rel.as_posix())
    return out


class ReportSetCache:
    """Report sets in ``folder/report-sets/<key>/`` (:data:`PACK` and :data:`META`)."""

    def __init__(self, folder: Path, max_bytes: int | None = None) -> None:
        from .result_cache import max_bytes as results_max

        self.folder = Path(folder) / "report-sets"
        self.limit = results_max() // 2 if max_bytes is None else max_bytes

    def restore(self, key: str, out_dir: Path) -> StoredSet | None:
        """Copy the set ``key`` into ``out_dir``; None (and nothing left in ``out_dir``) when
        there is none or it cannot be read."""
        where = self.folder / key
        copied: list[Path] = []
        try:
            with open(where / META, "rb") as fh:
                meta = pickle.load(fh)
            folders: set[str] = set()
            with open(where / PACK, "rb") as pack:
                for rel, size in meta["files"]:
                    target = os.path.join(out_dir, rel)
                    folder = os.path.dirname(target)
                    if folder not in folders:
                        os.makedirs(folder, exist_ok=True)
                        folders.add(folder)
                    data = pack.read(size)
                    if len(data) != size:
                        raise ValueError(f"{where / PACK} is cut short")
                    with open(target, "wb") as out:
                        copied.append(Path(target))
                        out.write(data)
            os.utime(where)  # recently used: evicted last
        except FileNotFoundError:
            self._remove(copied)
            return None
        except Exception:  # noqa: BLE001 — a damaged or foreign set: write the reports afresh
            self._remove(copied)
            return None
        return StoredSet(meta["result"], {name: out_dir / rel for name, rel in meta["paths"].items()}, meta["stats"])

    @staticmethod
    def _remove(paths: list[Path]) -> None:
        for p in paths:
            try:
                p.unlink()
            except OSError:
                pass

    def store(self, key: str, out_dir: Path, result: AuditResult, paths: dict[str, Path], stats: dict | None) -> bool:
        """Keep the report set written into ``out_dir`` (before it is swapped into place)
        under ``key``; ``result`` is kept without the article texts. False when not kept."""
        from .stream import _light

        files = _report_files(out_dir)
        size = sum((out_dir / rel).stat().st_size for rel in files)
        if size > self.limit:
            return False
        light = AuditResult(
            [_light(r) for r in result.articles], result.skipped, result.signature, result.corpus_scores,
            result.fixed, result.unused_suppressions,
        )
        meta = {
            "files": [],  # (relative path, size) in the order of their bytes in PACK
            "paths": {name: Path(p).relative_to(out_dir).as_posix() for name, p in paths.items()},
            "stats": stats,
            "result": light,
        }
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=self.folder))
            with open(tmp / PACK, "wb") as pack:
                for rel in files:
                    data = (out_dir / rel).read_bytes()
                    pack.write(data)
                    meta["files"].append((rel, len(data)))
            with open(tmp / META, "wb") as fh:
                pickle.dump(meta, fh, protocol=pickle.HIGHEST_PROTOCOL)
            if (self.folder / key).exists():
                shutil.rmtree(self.folder / key, ignore_errors=True)
            os.rename(tmp, self.folder / key)
        except Exception:  # noqa: BLE001 — a full disk or a read-only cache: the reports stand, unkept
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            return False
        try:
            self.evict()
        except OSError:  # another run removed or renamed a set meanwhile: the next store evicts
            pass
        return True

    def evict(self) -> None:
        """Keep the :data:`MAX_SETS` most recently used sets that fit in the size limit."""
        import time

        try:
            found = [d for d in self.folder.iterdir() if d.is_dir()]
        except OSError:
            return
        def mtime(path: Path) -> float:  # 0 for what another run removed meanwhile
            try:
                return path.stat().st_mtime
            except OSError:
                return 0.0

        def size(folder: Path) -> int:
            total = 0
            for p in folder.rglob("*"):
                try:
                    total += p.stat().st_size if p.is_file() else 0
                except OSError:
                    pass
            return total

        for d in found:  # left by a run that stopped while storing its set
            if d.name.startswith(".new-") and time.time() - mtime(d) > 3600:
                shutil.rmtree(d, ignore_errors=True)
        sets = [d for d in found if not d.name.startswith(".")]
        sets.sort(key=mtime, reverse=True)
        total = 0
        for i, d in enumerate(sets):
            total += size(d)
            if i >= MAX_SETS or total > self.limit:
                shutil.rmtree(d, ignore_errors=True)
