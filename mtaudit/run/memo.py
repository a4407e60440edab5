"""Work shared by the checks of one article: each segment folded and tokenised once.

Every check folds and tokenises the segments it looks at, and thirteen checks look at the
same segments. Inside :func:`article_scope` (the pipeline opens one per article) the
results of :func:`mtaudit.text.normalize.normalize` and :func:`mtaudit.text.tokens.tokenize`
(and of the house-style conventions' word splitting, mtaudit.knowledge.house_style) are
kept and handed to the next check that asks for the same text; outside it nothing is
kept. What depends on a word alone (its script, a check's verdict on it) is remembered
across articles by the modules that ask, per distinct word and bounded. The scope is one article on purpose: results never leak from one article to the
next, so a batch costs the same whether or not its articles repeat sentences.

What is kept must not be changed by the caller: :class:`~mtaudit.text.normalize.Normalized`
is frozen, and tokenize hands out a fresh list of its tokens (named tuples).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

_LOCAL = threading.local()  # one scope per thread (a threaded executor audits articles side by side)


@contextmanager
def article_scope() -> Iterator[None]:
    """Share folding and tokenising among everything run inside (nested scopes share the outer one)."""
    if getattr(_LOCAL, "scope", None) is not None:
        yield
        return
    _LOCAL.scope = {}
    try:
        yield
    finally:
        _LOCAL.scope = None


def memoized(kind: str, key: Any, compute: Callable[..., Any], *args: Any) -> Any:
    """``compute(*args)``, computed once per ``(kind, key)`` within the current scope."""
    scope = getattr(_LOCAL, "scope", None)
    if scope is None:
        return compute(*args)
    full = (kind, key)
    try:
        return scope[full]
    except KeyError:
        value = scope[full] = compute(*args)
        return value
