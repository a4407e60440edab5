"""Everything mtaudit knows about names, in one place; the name checks stay thin.

- :mod:`.gazetteer`: entities, their accepted Arabic and English forms, titles.
- :mod:`.channel`: the weighted edit distance of English-mediated garbling, skeletons.
- :mod:`.transliteration`: a learned English → Arabic name transliteration model (joint
  graphone n-gram: log P(Arabic | English), n-best renderings) and its context-free twin
  fitted on non-Arabic names, the English-mediated reading (``garble_llr``).
"""

from .gazetteer import ENTITY_TYPES, Entity, Gazetteer, NamePart

__all__ = ["ENTITY_TYPES", "Entity", "Gazetteer", "NamePart"]
