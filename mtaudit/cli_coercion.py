"""Typer's parameter coercion without pydantic for plain values (start-up time).

Typer 0.2x converts every command-line value (and every default) through a pydantic
``TypeAdapter`` built per parameter. For `mtaudit audit` that imports pydantic and builds
about 40 adapters before the first article: some 0.2 CPU s of a one-article run that
otherwise takes well under a second. Nearly all those values are plain: a ``str`` that
stays a ``str``, digits for an ``int``, a choice of an ``Enum``, a file name for a ``Path``.

:func:`install` gives each Typer parameter a coercer that handles exactly those cases with
typer's own helpers (``coerce_cli_choice``, ``coerce_cli_path``) and hands everything else,
and anything that fails, to the coercer Typer would have built (so pydantic is imported
only then, and error messages stay Typer's). The results are the same objects Typer's
adapters return: tests/test_startup.py compares both on every parameter of every command
for valid and invalid values.

It leans on Typer internals (``typer.core._TyperParameter.get_runtime_param``,
``typer._coercion.RuntimeParam``). When they are not there (another Typer version), it
installs nothing and Typer works as shipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_DIGITS = re.compile(r"(?:0|[1-9][0-9]{0,17})")

#: Marks a value the fast path does not take (None is a value).
_DECLINE = object()

_installed = False


def install() -> bool:
    """Install the pydantic-free coercer into Typer; False when this Typer has no such hook."""
    global _installed
    if _installed:
        return True
    try:
        from typer import _coercion, _param_types, core
    except ImportError:
        return False
    param_cls = getattr(core, "_TyperParameter", None)
    needed = (
        getattr(param_cls, "get_runtime_param", None),
        getattr(_coercion, "RuntimeParam", None),
        getattr(_coercion, "build_runtime_param", None),
        getattr(_param_types, "coerce_cli_choice", None),
        getattr(_param_types, "coerce_cli_path", None),
        getattr(_param_types, "routes_to_path", None),
    )
    if any(x is None for x in needed) or "type_descriptor" not in getattr(param_cls, "__annotations__", {}):
        return False
    runtime_param = _runtime_param_class(_coercion, _param_types)

    def get_runtime_param(self):
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if descriptor.file_annotation is not None:  # an opened file: Typer's own
                self._runtime_param = _coercion.build_runtime_param(descriptor)
            else:
                self._runtime_param = runtime_param(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
                )
        return self._runtime_param

    param_cls.get_runtime_param = get_runtime_param
    _installed = True
    return True


def _runtime_param_class(_coercion, _param_types):
    @dataclass(frozen=True)
    class PlainRuntimeParam(_coercion.RuntimeParam):
        """Plain values coerced here; the rest by the coercer Typer builds (on first need)."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                out = _plain(self.annotation, self.parameter_info, value, param, ctx, _param_types)
            except Exception:  # Typer's coercer says what is wrong, in its own words
                out = _DECLINE
            if out is not _DECLINE:
                return out
            full = getattr(self, "_full", None)
            if full is None:
                full = _coercion.build_runtime_param(self.descriptor)
                object.__setattr__(self, "_full", full)
            return full._coerce_value(value, param=param, ctx=ctx)

    return PlainRuntimeParam


def _plain(annotation, info, value, param, ctx, _param_types) -> Any:
    """``value`` coerced as Typer's pydantic adapter would, or _DECLINE."""
    if info.parser is not None:
        return _DECLINE
    if get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        items = value if isinstance(value, (list, tuple)) else [value]
        out = [_plain(item_type, info, item, param, ctx, _param_types) for item in items]
        return _DECLINE if any(x is _DECLINE for x in out) else out
    if get_origin(annotation) is not None:
        return _DECLINE
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _param_types.coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
    if annotation is str:
        return value if type(value) is str else _DECLINE
    if annotation is int:
        if type(value) is str and _DIGITS.fullmatch(value):
            value = int(value)
        if type(value) is not int:
            return _DECLINE
        return value if _in_range(value, info) else _DECLINE
    if annotation is float:
        if type(value) is not float:
            return _DECLINE
        return value if _in_range(value, info) else _DECLINE
    if annotation is Path and info.path_type is None and _param_types.routes_to_path(annotation, info):
        if type(value) is str and value and "\0" not in value:
            value = Path(value)
        if not isinstance(value, Path):
            return _DECLINE
        return _param_types.coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    return _DECLINE


def _in_range(value, info) -> bool:
    # clamp or not, a value inside the bounds is returned as it is
    return (info.min is None or value >= info.min) and (info.max is None or value <= info.max)
