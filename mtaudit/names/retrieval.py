"""Candidate retrieval by index: the gazetteer words a spelling could be a garbling of.

Every name word is indexed under its consonant skeleton (mtaudit.names.channel.skeleton)
and each skeleton with one letter deleted (a deletion neighbourhood, as in SymSpell). Two
skeletons within one edit of each other share a key, so a lookup touches only the buckets
of the observed word's own keys: its cost grows with the word's length, not with the size of
the gazetteer, and a 50,000-entity gazetteer costs what a 300-entity one does per word.
"""

from __future__ import annotations

from typing import Generic, Iterable, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

T = TypeVar("T")


def deletion_keys(skeleton: str) -> set[str]:
    """The skeleton and every form of it with one letter deleted."""
    return {skeleton} | {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


class SkeletonIndex(Generic[T]):
    """Values keyed by skeleton; :meth:`near` finds those within one edit of a skeleton.

    A bucket keeps its skeletons and values in two lists, so that the edit distance to every
    skeleton of a bucket is computed in one call into rapidfuzz (the buckets of short
    skeletons hold thousands of words in a large gazetteer)."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._buckets: dict[str, tuple[list[str], list[T]]] = {}
        self.size = 0
        for skeleton, value in items:
            self.add(skeleton, value)

    def add(self, skeleton: str, value: T) -> None:
        self.size += 1
        for key in deletion_keys(skeleton):
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = ([], [])
            bucket[0].append(skeleton)
            bucket[1].append(value)

    def near(self, skeleton: str, max_edits: int = 1) -> list[T]:
        """Values whose skeleton is within ``max_edits`` (at most 1) Levenshtein edits, in
        the order of the observed skeleton's keys (sorted) and of insertion."""
        if max_edits > 1:
            raise ValueError("the deletion index answers for one edit at most")
        seen: set[int] = set()
        out = []
        for key in sorted(deletion_keys(skeleton)):
            bucket = self._buckets.get(key)
            if bucket is None:
                continue
            skeletons, values = bucket
            hits = process.extract(skeleton, skeletons, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=None)
            for k in sorted(h[2] for h in hits):
                value = values[k]
                if id(value) not in seen:
                    seen.add(id(value))
                    out.append(value)
        return out
