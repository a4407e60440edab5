"""Run one scoring-stage (unit) check on a scorer's output, as the pipeline does."""

from __future__ import annotations

from mtaudit.checks import ScoringContext, load_all
from mtaudit.knowledge.resources import Resources
from mtaudit.types import Article


def unit_check_findings(check_id: str, scorer, out, units, text: str, source: str = "source") -> list:
    """The findings of check ``check_id`` given ``scorer``'s output ``out`` for ``units``
    of an article whose text is ``text`` (all units in article "art" unless they say)."""
    spec = load_all()[check_id]
    found = []
    for article_id in dict.fromkeys(u.article_id for u in units):
        mine = [u for u in units if u.article_id == article_id]
        ctx = ScoringContext(
            spec, Article(article_id, text, source=source), [], Resources(), units=mine,
            signals={u.key: {scorer.name: out.signals[u.key]} for u in mine if u.key in out.signals},
            models={scorer.name: scorer},
        )
        found.extend(spec.func(ctx))
    return found
