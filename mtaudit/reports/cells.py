"""Spreadsheet cells that cannot run: neutralising formula injection (CSV injection).

OWASP's rule (CSV Injection, owasp.org/www-community/attacks/CSV_Injection): a text cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, so an article id ``=1+1`` or a span
``-HYPERLINK(...)`` would run. Such a cell is prefixed with a single quote, which the
spreadsheet shows as text. Numbers are left alone (a negative score is a number, not a
formula). findings.xlsx stores such cells as text cells with Excel's quote prefix instead,
so the value itself is unchanged there.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """``value`` safe for a CSV cell: a formula-like text gets a leading ``'``."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]
