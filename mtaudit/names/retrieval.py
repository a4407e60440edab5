"""Candidate retrieval by index: the gazetteer words a spelling could be a garbling of.

Every name word is indexed under its consonant skeleton (mtaudit.names.channel.skeleton)
and each skeleton with one letter deleted (a deletion neighbourhood, as in SymSpell). Two
skeletons within one edit of each other share a key, so a lookup touches only the buckets
of the observed word's own keys: its cost grows with the word's length, not with the size of
the gazetteer, and a 50,000-entity gazetteer costs what a 300-entity one does per word.
"""

from __future__ import annotations

from typing import Generic, Iterable, TypeVar

from rapidfuzz.distance import Levenshtein

T = TypeVar("T")


def deletion_keys(skeleton: str) -> set[str]:
    """The skeleton and every form of it with one letter deleted."""
    return {skeleton} | {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


class SkeletonIndex(Generic[T]):
    """Values keyed by skeleton; :meth:`near` finds those within one edit of a skeleton."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._buckets: dict[str, list[tuple[str, T]]] = {}
        self.size = 0
        for skeleton, value in items:
            self.add(skeleton, value)

    def add(self, skeleton: str, value: T) -> None:
        self.size += 1
        for key in deletion_keys(skeleton):
            self._buckets.setdefault(key, []).append((skeleton, value))

    def near(self, skeleton: str, max_edits: int = 1) -> list[T]:
        """Values whose skeleton is within ``max_edits`` (at most 1) Levenshtein edits."""
        if max_edits > 1:
            raise ValueError("the deletion index answers for one edit at most")
        seen: set[int] = set()
        out = []
        for key in deletion_keys(skeleton):
            for other, value in self._buckets.get(key, ()):
                if id(value) in seen:
                    continue
                if Levenshtein.distance(other, skeleton, score_cutoff=max_edits) <= max_edits:
                    seen.add(id(value))
                    out.append(value)
        return out
