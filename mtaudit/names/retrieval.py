"""Candidate retrieval by index: the gazetteer words a spelling could be a garbling of.

Every name word is indexed under its consonant skeleton (mtaudit.names.channel.skeleton)
and each skeleton with one letter deleted (a deletion neighbourhood, as in SymSpell), the
deletions also filed with the position deleted. Two skeletons within one edit of each
other share a key, and with the position the keys say which edit it is, so a lookup reads
only the words within one edit of the observed word's skeleton, with no distance computed:
its cost follows the word's length and how many names are that near, not the size of the
rest of the gazetteer.
"""

from __future__ import annotations

from typing import Generic, Iterable, TypeVar

T = TypeVar("T")


def deletion_keys(skeleton: str) -> set[str]:
    """The skeleton and every form of it with one letter deleted."""
    return {skeleton} | {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


class SkeletonIndex(Generic[T]):
    """Values keyed by skeleton; :meth:`near` finds those within one edit of a skeleton.

    Exact, with no distance computed: two skeletons are within one edit when they are equal,
    one is the other with a letter deleted, or they are the same with the letter at one
    position deleted (a substitution). So each skeleton is filed whole, and under each of
    its deletions both by the string alone (an insertion seen from the shorter one) and by
    the string and the position deleted (a substitution). A lookup reads only the buckets
    of the observed skeleton's own deletions, which hold only words within one edit: its
    cost follows the answer, not the size of the buckets (the short keys of a large
    gazetteer hold thousands of words, which a scan of every key's bucket paid for)."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._values: list[T] = []
        self._whole: dict[str, list[int]] = {}  # skeleton → insertion indices
        self._deleted: dict[str, list[int]] = {}  # a deletion of the skeleton → indices
        self._at: dict[tuple[str, int], list[int]] = {}  # (deletion, position deleted) → indices
        self._ids: set[int] = set()  # ids of the values filed
        self._repeated = False  # some value was filed twice (near() then keeps its first place)
        self.size = 0
        for skeleton, value in items:
            self.add(skeleton, value)

    def add(self, skeleton: str, value: T) -> None:
        k = self.size
        self.size += 1
        self._values.append(value)
        if id(value) in self._ids:
            self._repeated = True
        self._ids.add(id(value))
        self._whole.setdefault(skeleton, []).append(k)
        seen: set[str] = set()
        for i in range(len(skeleton)):
            key = skeleton[:i] + skeleton[i + 1 :]
            self._at.setdefault((key, i), []).append(k)
            if key not in seen:  # a doubled letter gives one deletion twice
                seen.add(key)
                self._deleted.setdefault(key, []).append(k)

    def near(self, skeleton: str, max_edits: int = 1) -> list[T]:
        """Values whose skeleton is within ``max_edits`` (at most 1) Levenshtein edits, in
        the order of the observed skeleton's keys (:func:`deletion_keys`, sorted; a value
        under the first key it shares with it) and of insertion."""
        if max_edits > 1:
            raise ValueError("the deletion index answers for one edit at most")
        # By key, in sorted order; a value first shows under the first key it shares with the
        # observed skeleton: every key for an equal skeleton, the observed one for a longer,
        # its own for a shorter, and the deletions at the changed position for a changed one
        # (two skeletons a letter apart share no other deletion).
        by_key: dict[str, list[int]] = {}
        for i in range(len(skeleton) if max_edits else 0):
            key = skeleton[:i] + skeleton[i + 1 :]
            members = by_key.get(key)
            if members is None:  # a doubled letter gives one deletion twice
                members = by_key[key] = list(self._whole.get(key, ()))  # one letter fewer
            members += self._at.get((key, i), ())  # one letter changed
        by_key[skeleton] = list(self._deleted.get(skeleton, ())) if max_edits else []  # one letter more
        keys = sorted(by_key)
        by_key[keys[0]] += self._whole.get(skeleton, ())  # the same skeleton
        # each key's new indices, sorted, as set operations (C loops: a short skeleton of a
        # large gazetteer reaches thousands of words)
        seen_at: set[int] = set()
        order: list[int] = []
        for key in keys:
            new = set(by_key[key])
            new -= seen_at
            if new:
                seen_at |= new
                order += sorted(new)
        values = self._values
        if not self._repeated:
            return list(map(values.__getitem__, order))
        seen: set[int] = set()  # a value filed under more than one skeleton: its first place
        out = []
        for k in order:
            value = values[k]
            if id(value) not in seen:
                seen.add(id(value))
                out.append(value)
        return out
