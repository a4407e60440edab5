"""The transliteration model's searches compiled: a C extension, with the pure-Python code as fallback.

``JointNgram.decode`` (n-best), ``marginal`` (the forward pass for P(e)) and ``_joint`` (the
pair lattice) of mtaudit.names.transliteration are the name checks' hot loops on new text:
about 3 ms per new English word in Python, for the correct and the naive model. The
extension ``mtaudit.names._jointdecode`` (``_jointdecode.c`` beside this file) runs the same
three searches over the same stored arrays (ctx_key, offsets, ids, lps, bows, read through
the buffer protocol, whether array.array as loaded or numpy as built) and gives the same
results: the same hypotheses in the same order and the same floats, because it performs the
same operations in the same order (insertion-ordered state maps where Python has dicts,
stable beams, the same backoff sums, libm's exp and log1p as the math module uses, no fused
or reordered arithmetic). tests/test_jointdecode.py compares the two on a few hundred names.

Why a plain C extension: the searches are small loops over small hash maps, which C does
without any dependency; it builds with the compiler Python was built with (hatch_build.py,
a hatch build hook, for wheels and editable installs alike) and imports in under a
millisecond. Cython would add a build dependency to produce the same C, with the exact
operation order harder to see in the generated code; numba would add a heavy import
(llvmlite) and a JIT compile on first use, or a cache to manage, against the start-up bar
of a short article, and its typed containers would have to reproduce the dicts' order by
hand all the same. Not measured beyond that reasoning: the C version alone was built.

Choosing: the compiled searches are used when the extension is importable, was built from
the ``_jointdecode.c`` beside it (an editable install that was not rebuilt after an edit
falls back, with a warning) and ``MTAUDIT_PURE_PYTHON`` is unset (or 0); otherwise the
Python code runs, which is the reference and costs about ten times as much on new names.
:func:`decoder_info` says which (``mtaudit --version`` prints it; a debug log line too).
One Decoder's searches share scratch memory: they rely on the GIL (a free-threaded Python
switches the GIL back on when it imports the extension, with a RuntimeWarning; set
MTAUDIT_PURE_PYTHON=1 there to keep it off). Both give identical floats, so the result cache (keyed by the package's files, the built
module among them) need not tell a pure run from a compiled one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .transliteration import DECODE_UNITS, ESCAPE, MAX_LATIN, unit_key

if TYPE_CHECKING:
    from .transliteration import JointNgram

log = logging.getLogger(__name__)

PURE_ENV = "MTAUDIT_PURE_PYTHON"


@lru_cache(maxsize=1)
def _extension():
    """(the extension module or None, why not)."""
    if os.environ.get(PURE_ENV, "").strip() not in ("", "0"):
        return None, f"{PURE_ENV} is set"
    try:
        from . import _jointdecode
    except ImportError as exc:  # not built: no compiler at install time, or a source checkout
        return None, f"the compiled extension is not built ({exc})"
    # an editable install compiled the C file in place: after an edit it is stale until
    # reinstalled, and a stale build could differ from the Python reference
    source = Path(__file__).with_name("_jointdecode.c")
    built_from = getattr(_jointdecode, "SOURCE_SHA1", "")
    if built_from and source.is_file() and hashlib.sha1(source.read_bytes()).hexdigest() != built_from:
        log.warning("the compiled transliteration decoder is older than %s: reinstall (pip install -e .) to rebuild it; "
                    "using the pure-Python one", source.name)
        return None, f"the compiled extension was built from another {source.name}"
    return _jointdecode, ""


def decoder_info() -> str:
    """Which implementation the transliteration searches use, in words."""
    ext, why = _extension()
    return "compiled (C extension)" if ext is not None else f"pure Python: {why}"


class CompiledSearch:
    """The compiled decode / marginal / joint of one :class:`JointNgram`: the Python
    arguments (the Latin chunks of a word as indices) are prepared here, the search is C."""

    def __init__(self, model: JointNgram, ext) -> None:
        chunks = list(model.by_latin)
        self.chunk_index = {k: i for i, k in enumerate(chunks)}
        arrays = model.arrays
        self.decoder = ext.Decoder(
            model.order,
            model.floor,
            arrays["ctx_key"],
            arrays["offsets"],
            arrays["ids"],
            arrays["lps"],
            arrays["bows"],
            [ar for _, ar in model.units],
            [model.pool[k] for k in chunks],
            [list(model._by_key[k].values()) for k in chunks],
            DECODE_UNITS,
        )
        self.chunks_of = lru_cache(maxsize=50_000)(self._chunks_of)

    def _chunks_of(self, latin: str) -> list[int]:
        """For each position 0..n and chunk length 1..MAX_LATIN, the index of the Latin chunk
        (unit_key) there, or -1 where no unit has it or it runs past the end."""
        n, index = len(latin), self.chunk_index.get
        return [index(unit_key(latin, i, k), -1) if i + k <= n else -1 for i in range(n + 1) for k in range(1, MAX_LATIN + 1)]

    def decode(self, latin: str, beam: int) -> list[tuple[float, str]]:
        """JointNgram.decode: [(log P(e, a), a)] best first (sorted in C as sorted(..., reverse=True) sorts)."""
        return self.decoder.decode(len(latin), self.chunks_of(latin), beam, ESCAPE)

    def nbest(self, latin: str, beam: int, z: float) -> tuple[tuple[str, float], ...]:
        """((a, log P(e, a) − z), ...) best first: the decode as the model's n-best lists hold it."""
        return self.decoder.decode(len(latin), self.chunks_of(latin), beam, ESCAPE, z)

    def marginal(self, latin: str, beam: int) -> float:
        return self.decoder.marginal(len(latin), self.chunks_of(latin), beam, ESCAPE)

    def joint(self, latin: str, arabic: str, beam: int, escapes: bool) -> float:
        return self.decoder.joint(len(latin), self.chunks_of(latin), arabic, beam, ESCAPE, escapes)


def compiled_search(model: JointNgram) -> CompiledSearch | None:
    """The compiled searches of ``model``, or None (the Python code then runs)."""
    ext, why = _extension()
    if ext is None:
        log.debug("transliteration decoder: pure Python (%s)", why)
        return None
    try:
        search = CompiledSearch(model, ext)
    except (TypeError, ValueError) as exc:  # arrays of another layout than the extension reads
        log.warning("transliteration decoder: pure Python (the compiled one cannot read this model: %s)", exc)
        return None
    log.debug("transliteration decoder: compiled (order %d n-gram)", model.order)
    return search
