"""Derived resources compiled once into versioned cache files, so start-up takes milliseconds.

Some of what the checks look words up in is computed from installed data at every start:
wordfreq's Arabic list keyed by folded spelling (620k forms), the Arabic-letter spellings of
the 30,000 commonest English words, the CMU dictionary's sound skeletons. :func:`compiled`
computes such a table once and keeps it as a pickle under the user cache dir
(``platformdirs.user_cache_dir("mtaudit")/compiled``, or ``$MTAUDIT_CACHE_DIR/compiled``).

The file name carries a hash of everything the table is computed from: mtaudit's version,
the table's name and format version, the versions of the packages whose data it reads, and
the source code of the modules that compute it; a change to any of them builds a new file
(old ones are left for ``mtaudit cache clear``). A cache that cannot be read or written is
not an error: the table is computed as before. ``MTAUDIT_CACHE_DIR=off`` turns caching off.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import pickle
import re
import sys
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from ..files import atomic_write

T = TypeVar("T")

#: Bumped when the file format (not a table) changes.
FORMAT = "1"
CACHE_ENV = "MTAUDIT_CACHE_DIR"


def cache_root() -> Path | None:
    """mtaudit's cache folder (compiled tables, the result cache), or None when turned off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "none") else Path(value)
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux (the XDG base directory spec), without importing it
        # at every start; tests/test_startup.py holds the two to the same answer.
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache")) / "mtaudit"
    try:
        import platformdirs
    except ImportError:  # a bare install without platformdirs: ~/.cache/mtaudit
        return Path.home() / ".cache" / "mtaudit"
    return Path(platformdirs.user_cache_dir("mtaudit", appauthor=False))


def megabytes_from_env(name: str, default_mb: float) -> int:
    """A size bound in bytes from ``$name`` in MB (``default_mb`` when unset or not a number)."""
    try:
        return int(float(os.environ.get(name, default_mb)) * 1_000_000)
    except ValueError:
        return int(default_mb * 1_000_000)


def close_store(db, upkeep: Callable[[], None]) -> None:
    """Close a cache's SQLite database: what it holds is committed first, then ``upkeep``
    (last-use stamps, eviction) runs and is committed; a locked or full database rolls the
    upkeep back, never what was committed before it, and is closed all the same."""
    import sqlite3

    try:
        db.commit()
        try:
            upkeep()
            db.commit()
        except sqlite3.Error:
            db.rollback()
    except sqlite3.Error:
        pass
    finally:
        try:
            db.close()
        except sqlite3.Error:
            pass


def results_folder() -> Path | None:
    """The default folder of the result cache and of what is kept beside it (the report sets,
    the sentence embeddings), or None when it is turned off (``MTAUDIT_RESULT_CACHE=off``, which
    the test suite sets, or no cache folder)."""
    if os.environ.get("MTAUDIT_RESULT_CACHE", "").lower() in ("off", "0", "no"):
        return None
    root = cache_root()
    return None if root is None else root / "results"


@lru_cache(maxsize=None)
def source_hash(*modules: str) -> str:
    """SHA-1 of the source files of ``modules`` (dotted names): what computes a table."""
    import importlib.util

    h = hashlib.sha1()
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            raise ValueError(f"no source for module {name}")
        h.update(name.encode() + b"\0" + Path(spec.origin).read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=None)
def package_versions(*packages: str) -> tuple[str, ...]:
    """``name==version`` of each package (looked up once per process: a lookup scans the
    installed distributions and costs milliseconds)."""
    out = []
    for p in packages:
        version = _dist_info_version(p)
        if version is None:  # not a plain dist-info install: ask importlib.metadata
            from importlib import metadata

            try:
                version = metadata.version(p)
            except metadata.PackageNotFoundError:
                version = "?"
        out.append(f"{p}=={version}")
    return tuple(out)


def _normal_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=None)
def _dist_infos(folder: str) -> dict[str, str]:
    """Normalised distribution name → version, from the ``NAME-VERSION.dist-info`` folders
    in ``folder`` (PEP 427 names them so; a version holds no "-")."""
    out: dict[str, str] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return out
    for entry in names:
        for suffix in (".dist-info", ".egg-info"):
            if entry.endswith(suffix):
                name, _, version = entry[: -len(suffix)].rpartition("-")
                if name and version:
                    # an egg-info: "" (importlib.metadata is asked, it reads those too)
                    out.setdefault(_normal_name(name), version if suffix == ".dist-info" else "")
    return out


def _dist_info_version(package: str) -> str | None:
    """The version importlib.metadata would give, read from the first ``.dist-info`` folder
    on sys.path (importing importlib.metadata costs more than a one-article run's look-ups),
    or None when there is none (an egg, a zip: then importlib.metadata decides)."""
    want = _normal_name(package)
    for folder in sys.path:
        version = _dist_infos(folder or ".").get(want)
        if version is not None:
            return version or None
    return None


def key_for(name: str, parts: Iterable[object]) -> str:
    from .. import __version__

    # this module's own source too: it defines the formats tables are kept in (LazyTable)
    return hashlib.sha1(repr((FORMAT, __version__, source_hash(__name__), name, tuple(parts))).encode()).hexdigest()[:20]


def _unpickle(fh):
    """pickle.load with the garbage collector paused: a table of tens of thousands of
    tuples and lists would otherwise set off collections that find nothing to free
    (about a quarter of the gazetteer's load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


def _cache_path(name: str, suffix: str, modules: Iterable[str], packages: Iterable[str], extra: Iterable[object]) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    modules = tuple(modules)
    parts = (source_hash(*modules) if modules else "", package_versions(*packages), tuple(extra))
    return root / "compiled" / f"{name}-{key_for(name, parts)}{suffix}"


def compiled(
    name: str, build: Callable[[], T], *, modules: Iterable[str] = (), packages: Iterable[str] = (), extra: Iterable[object] = ()
) -> T:
    """The table ``name``: loaded from its cache file when one was built from the same
    ``modules`` (source), ``packages`` (installed versions) and ``extra`` key parts;
    otherwise ``build()``, then saved."""
    path = _cache_path(name, ".pickle", modules, packages, extra)
    if path is None:
        return build()
    try:
        with open(path, "rb") as fh:
            return _unpickle(fh)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or foreign file: rebuild it
        pass
    value = build()
    try:
        write_pickle(path, value)
    except Exception:  # a read-only home, or a table that cannot be pickled: no cache, same results
        pass
    return value


def compiled_table(
    name: str, build: Callable[[], dict], *, modules: Iterable[str] = (), packages: Iterable[str] = (), extra: Iterable[object] = ()
) -> "LazyTable":
    """The ``str`` → value table ``name`` as a :class:`LazyTable`, cached like :func:`compiled`
    (in a ``.table`` file that is memory-mapped, not read)."""
    path = _cache_path(name, ".table", modules, packages, extra)
    if path is not None:
        try:
            return LazyTable.open(path)
        except FileNotFoundError:
            pass
        except Exception:  # a truncated or foreign file: rebuild it
            pass
    table = LazyTable.from_dict(build())
    if path is not None:
        try:
            atomic_write(path, table.to_bytes(), durable=False)
        except Exception:  # a read-only home: no cache, same results
            pass
    return table


def compiled_patterns(name: str, specs: Iterable[tuple[str, int]]) -> list:
    """``[regex.compile(pattern, flags) for pattern, flags in specs]``, kept compiled: a
    pickled ``regex`` pattern holds its compiled code, so loading one skips regex's parser
    (written in Python; 2–3 ms a pattern for the boilerplate and calque rules). Keyed by the
    patterns themselves and regex's version."""
    specs = tuple(specs)

    def build() -> list:
        import regex

        return [regex.compile(pattern, flags) for pattern, flags in specs]

    if not specs:
        return []
    digest = hashlib.sha1(repr(specs).encode()).hexdigest()
    return compiled(f"patterns-{name}", build, packages=("regex",), extra=(digest,))


def write_pickle(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` atomically (temporary file, then rename)."""
    atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


class LazyTable:
    """A ``str`` → value table that loads in a millisecond however large it is.

    Unpickling a dict builds every key and value at once (20–50 ms for the 27k CMU
    pronunciations, the 56k common Arabic spellings or the 600k folded ones), and reading
    its file costs as much again; a one-article audit looks up a few dozen words. Here the
    keys are sorted and cut into buckets of :data:`BUCKET`; each bucket is one ``marshal``
    blob (a dict), decoded the first time a key in its range is asked for, then kept. The
    cache file (:func:`compiled_table`) is memory-mapped, so only the buckets looked up are
    read from it. Values are what marshal writes exactly: str, int, float, bytes, tuples of
    them. A look-up is a bisection over the buckets' first keys and a dict look-up.

    File layout: ``MAGIC``, the header's length (8 bytes, little-endian), the header (a
    pickle of the first keys, the blob offsets and the key count), then the blobs.
    """

    BUCKET = 256
    #: marshal's format version, fixed so that a file reads the same in every Python 3.
    MARSHAL_VERSION = 4
    MAGIC = b"mtaudit-table-1\n"

    def __init__(self, firsts: list[str], offsets: list[int], data, size: int, base: int = 0) -> None:
        self.firsts, self.offsets, self.data, self.size, self.base = firsts, offsets, data, size, base
        self.buckets: list[dict | None] = [None] * len(firsts)

    @classmethod
    def from_dict(cls, table: dict[str, Any]) -> "LazyTable":
        keys = sorted(table)
        chunks = [keys[i : i + cls.BUCKET] for i in range(0, len(keys), cls.BUCKET)]
        blobs = [marshal.dumps({k: table[k] for k in chunk}, cls.MARSHAL_VERSION) for chunk in chunks]
        offsets = [0]
        for blob in blobs:
            offsets.append(offsets[-1] + len(blob))
        return cls([chunk[0] for chunk in chunks], offsets, b"".join(blobs), len(keys))

    def to_bytes(self) -> bytes:
        header = pickle.dumps((self.firsts, self.offsets, self.size), protocol=pickle.HIGHEST_PROTOCOL)
        return self.MAGIC + len(header).to_bytes(8, "little") + header + bytes(self.data[self.base :])

    @classmethod
    def open(cls, path: Path) -> "LazyTable":
        import mmap

        with open(path, "rb") as fh:
            head = fh.read(len(cls.MAGIC) + 8)
            if head[: len(cls.MAGIC)] != cls.MAGIC:
                raise ValueError(f"{path}: not a compiled table")
            firsts, offsets, size = pickle.loads(fh.read(int.from_bytes(head[len(cls.MAGIC) :], "little")))
            base = fh.tell()
            if os.fstat(fh.fileno()).st_size != base + offsets[-1]:
                raise ValueError(f"{path}: truncated")
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if offsets[-1] else b""
        return cls(firsts, offsets, data, size, base)

    def __reduce__(self):  # a mapped file is not pickled: its bytes are
        return (LazyTable, (self.firsts, self.offsets, bytes(self.data[self.base :]), self.size))

    def _bucket(self, key: str) -> dict | None:
        i = bisect_right(self.firsts, key) - 1
        if i < 0:
            return None
        bucket = self.buckets[i]
        if bucket is None:
            base = self.base
            bucket = self.buckets[i] = marshal.loads(self.data[base + self.offsets[i] : base + self.offsets[i + 1]])
        return bucket

    def get(self, key: str, default=None):
        bucket = self._bucket(key)
        return default if bucket is None else bucket.get(key, default)

    def __getitem__(self, key: str):
        bucket = self._bucket(key)
        if bucket is None:
            raise KeyError(key)
        return bucket[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        bucket = self._bucket(key)
        return bucket is not None and key in bucket

    def __len__(self) -> int:
        return self.size
