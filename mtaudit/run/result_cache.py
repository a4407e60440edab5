"""The result cache: an unchanged article is not audited again.

An article's result (its segments, findings, crashes, sacrebleu scores and the batch
checks' summaries, everything :func:`mtaudit.run.pipeline.audit_article` returns) is stored
under a key that covers everything it depends on: the article itself (id, text, source,
reference, records, meta, origin), the checks run and their versions, the reference data's
fingerprint (default tables, ``--references`` folders, ``--names`` files), whether scores
are computed, mtaudit's version and a hash of mtaudit's own source code (so an edited
check never serves stale findings). Model scorers run after the checks and are not cached
here; their signatures are recorded with every report as before.

The store is one SQLite file (``results.sqlite3``) in the cache folder: the user cache dir
(``platformdirs``; ``$MTAUDIT_CACHE_DIR``) or ``--cache DIR``; ``--no-cache`` (or
``MTAUDIT_RESULT_CACHE=off``, which the test suite sets) turns the default one off.
Results are committed every few dozen articles, so a batch that is interrupted and
restarted resumes from where it stopped. A cache that cannot be opened is not an error:
the audit runs without it.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..types import Article, ArticleResult

#: Bumped when what is stored changes shape.
FORMAT = "1"
COMMIT_EVERY = 50


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-1 of mtaudit's Python source (every module under the package)."""
    root = Path(__file__).resolve().parents[1]  # the package, mtaudit/
    h = hashlib.sha1()
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def run_key(specs, fingerprint: str, score: bool) -> str:
    """What every article of a run shares in its key."""
    from .. import __version__

    checks = sorted((s.id, s.version) for s in specs)
    return repr((FORMAT, __version__, code_hash(), checks, fingerprint, score))


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
    """Article results keyed by :func:`article_key`, in ``folder/results.sqlite3``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "results.sqlite3"
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
        self.db.commit()
        self.pending = 0
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, folder: Path | None) -> "ResultCache | None":
        """The cache in ``folder`` (None: the default folder; None back when turned off or unusable)."""
        if folder is None:
            import os

            from ..knowledge.compiled import cache_root

            if os.environ.get("MTAUDIT_RESULT_CACHE", "").lower() in ("off", "0", "no"):
                return None
            root = cache_root()
            if root is None:
                return None
            folder = root / "results"
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
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            result = pickle.loads(row[0])
        except Exception:  # written by another version of a class: audit again
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: ArticleResult) -> None:
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                (key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)),
            )
            self.pending += 1
            if self.pending >= COMMIT_EVERY:
                self.db.commit()
                self.pending = 0
        except sqlite3.Error:
            pass  # a full disk: the results are still reported, just not kept

    def close(self) -> None:
        try:
            self.db.commit()
            self.db.close()
        except sqlite3.Error:
            pass
