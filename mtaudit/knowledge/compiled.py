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

import hashlib
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, TypeVar

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
    try:
        import platformdirs
    except ImportError:  # a bare install without platformdirs: ~/.cache/mtaudit
        return Path.home() / ".cache" / "mtaudit"
    return Path(platformdirs.user_cache_dir("mtaudit", appauthor=False))


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
        try:
            out.append(f"{p}=={metadata.version(p)}")
        except metadata.PackageNotFoundError:
            out.append(f"{p}==?")
    return tuple(out)


def key_for(name: str, parts: Iterable[object]) -> str:
    from .. import __version__

    return hashlib.sha1(repr((FORMAT, __version__, name, tuple(parts))).encode()).hexdigest()[:20]


def compiled(
    name: str, build: Callable[[], T], *, modules: Iterable[str] = (), packages: Iterable[str] = (), extra: Iterable[object] = ()
) -> T:
    """The table ``name``: loaded from its cache file when one was built from the same
    ``modules`` (source), ``packages`` (installed versions) and ``extra`` key parts;
    otherwise ``build()``, then saved."""
    root = cache_root()
    if root is None:
        return build()
    parts = (source_hash(*modules) if modules else "", package_versions(*packages), tuple(extra))
    path = root / "compiled" / f"{name}-{key_for(name, parts)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
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


def write_pickle(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` atomically (temporary file, then rename)."""
    atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
