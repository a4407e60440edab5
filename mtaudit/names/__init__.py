"""Everything mtaudit knows about names, in one place; the name checks stay thin.

- :mod:`.gazetteer`: entities, their accepted Arabic and English forms, titles.
- :mod:`.channel`: the weighted edit distance of English-mediated garbling, skeletons.
- :mod:`.transliteration`: a learned English → Arabic name transliteration model (joint
  graphone n-gram: log P(Arabic | English), n-best renderings) and its context-free twin
  fitted on non-Arabic names, the English-mediated reading (``garble_llr``).
"""


__all__ = ["ENTITY_TYPES", "Entity", "Gazetteer", "NamePart"]


def __getattr__(name: str):
    # The gazetteer's names on first use (PEP 562): importing a small module of this package,
    # such as .jointdecode for ``mtaudit --version``, then does not load the gazetteer stack.
    if name in __all__:
        from . import gazetteer

        return getattr(gazetteer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
