"""Files written whole or not at all: a temporary file beside the target, then a rename.

Shared by the reports (every report file, SARIF, JUnit, fixed copies, baselines) and the
compiled-resource cache, so that an interrupted run never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, encoding: str = "utf-8", durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename. The file gets the
    permissions a plain write would (mkstemp makes it private), so colleagues can open
    the report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if durable:  # per-article pages of a big report skip the disk flush: they are many and cheap to redo
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
