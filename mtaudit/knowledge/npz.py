"""Read numpy ``.npz`` archives of flat arrays without importing numpy.

The name transliteration model ships as ``.npz`` (written by numpy in
scripts/train_transliteration.py) and is read at the start of most audits; importing numpy
only to read it costs about 0.1 CPU s a process, more than reading the arrays. The ``.npy``
format is simple and documented (numpy's ``numpy.lib.format``: a magic string, a version, a
header that is a Python dict literal with ``descr``, ``fortran_order`` and ``shape``, then
the raw data), so the arrays are read here with :mod:`zipfile` and :mod:`array`:

- a 1-d array of numbers becomes an ``array.array`` of the same type (indexing gives
  Python ints and floats, ``tolist()`` the same values numpy's ``tolist()`` gives: a float32
  widens to the same double);
- a 0-d array (shape ``()``) becomes a Python ``int``, ``float``, ``bool`` or ``str``;
- a 1-d array of fixed-width strings (``<U``) becomes a list of ``str``.

Anything else (several dimensions, Fortran order, object or structured dtypes) raises
ValueError naming the member: read such archives with numpy.
"""

from __future__ import annotations

import array
import ast
import sys
from pathlib import Path

MAGIC = b"\x93NUMPY"

#: numpy type character (with its byte size) → array.array type code of the same size.
_TYPECODES = {("i", 1): "b", ("u", 1): "B", ("i", 2): "h", ("u", 2): "H", ("i", 4): "i", ("u", 4): "I",
              ("i", 8): "q", ("u", 8): "Q", ("f", 4): "f", ("f", 8): "d"}


def read_npz(path: str | Path) -> dict[str, object]:
    """Every member of the archive at ``path``, by name without ``.npy``."""
    import zipfile  # only when a model is read from its file, not from the compiled cache

    out: dict[str, object] = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".npy"):
                continue
            out[name[:-4]] = parse_npy(zf.read(name), f"{path}:{name}")
    return out


def parse_npy(data: bytes, where: str = "array") -> object:
    """The array in the ``.npy`` bytes ``data`` (see the module docstring for what it becomes)."""
    if not data.startswith(MAGIC) or len(data) < 10:
        raise ValueError(f"{where}: not a .npy array")
    major = data[6]
    if major == 1:
        size, start = int.from_bytes(data[8:10], "little"), 10
    elif major in (2, 3):
        size, start = int.from_bytes(data[8:12], "little"), 12
    else:
        raise ValueError(f"{where}: .npy format version {major} is not supported")
    header = ast.literal_eval(data[start : start + size].decode("latin1" if major < 3 else "utf-8"))
    body = memoryview(data)[start + size :]
    descr, shape = header.get("descr"), tuple(header.get("shape", ()))
    if not isinstance(descr, str) or header.get("fortran_order") or len(shape) > 1:
        raise ValueError(f"{where}: only flat arrays of numbers or strings are read without numpy "
                         f"(descr {descr!r}, shape {shape})")
    count = shape[0] if shape else 1
    order, kind, width = descr[0], descr[1], int(descr[2:] or 0)
    swap = (order == "<" and sys.byteorder == "big") or (order == ">" and sys.byteorder == "little")
    if kind == "U":  # UTF-32 code units, padded with NULs
        codec = "utf-32-be" if order == ">" else "utf-32-le"
        items = [bytes(body[i * 4 * width : (i + 1) * 4 * width]).decode(codec).rstrip("\0") for i in range(count)]
        return items if shape else items[0]
    if kind == "b" and width == 1:  # bool
        values = [bool(b) for b in body[:count]]
        return values if shape else values[0]
    code = _TYPECODES.get((kind, width))
    if code is None or array.array(code).itemsize != width:
        raise ValueError(f"{where}: dtype {descr!r} is not read without numpy")
    values = array.array(code)
    values.frombytes(body[: count * width])
    if swap:
        values.byteswap()
    return values if shape else values[0]
