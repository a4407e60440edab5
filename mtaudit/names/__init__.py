"""Everything mtaudit knows about names, in one place; the name checks stay thin.

- :mod:`.gazetteer`: entities, their accepted Arabic and English forms, titles.
- :mod:`.channel`: the weighted edit distance of English-mediated garbling, skeletons.
"""

from .gazetteer import ENTITY_TYPES, Entity, Gazetteer, NamePart

__all__ = ["ENTITY_TYPES", "Entity", "Gazetteer", "NamePart"]
