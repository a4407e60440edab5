"""House spelling conventions (references/spelling_conventions.tsv) as classes, not rows.

A convention is a letter correspondence between the gazetteer's spelling and a newsroom's
(English G as ج in the Egyptian press where the standard writes غ: جوتيريش for غوتيريش).
:func:`convention_forms` spells an accepted name word every way the active conventions
allow, so that the name checks accept those spellings as variants of the name instead of
correcting them. Which conventions are active is data: a newsroom profile switches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from ..text.normalize import fold

# At most this many correspondences are applied in one word: enough for a house style
# (جوجل has two), few enough that the variants of a name stay a handful.
MAX_CHANGES = 2


@dataclass(frozen=True)
class Convention:
    id: str
    gazetteer: str  # folded letters of the standard spelling
    written: tuple[str, ...]  # folded alternatives
    where: str  # any | initial | final | medial
    english: tuple[str, ...]  # Latin letters the sound has in the English form, alternatives (() = any name)
    active: bool
    description: str


def parse_conventions(rows) -> list[Convention]:
    """Conventions from the TSV rows (mtaudit.knowledge.resources.Row); raises ValueError on bad data."""
    out = []
    for r in rows:
        if r["where"] not in ("any", "initial", "final", "medial"):
            raise ValueError(f"{r.origin}: where must be any, initial, final or medial")
        if r["active"] not in ("yes", "no"):
            raise ValueError(f"{r.origin}: active must be yes or no")
        written = tuple(fold(w.strip()) for w in r["written"].split("|") if w.strip())
        out.append(
            Convention(
                r["id"],
                fold(r["gazetteer"]),
                written,
                r["where"],
                tuple(e.strip() for e in r["english"].lower().split("|") if e.strip()),
                r["active"] == "yes",
                r["description"],
            )
        )
    return out


def _sites(word: str, c: Convention) -> list[int]:
    sites = []
    start = word.find(c.gazetteer)
    while start >= 0:
        end = start + len(c.gazetteer)
        ok = {
            "any": True,
            "initial": start == 0,
            "final": end == len(word),
            "medial": 0 < start and end < len(word),
        }[c.where]
        if ok:
            sites.append(start)
        start = word.find(c.gazetteer, start + 1)
    return sites


def convention_forms(word: str, conventions: list[Convention], english: str = "") -> dict[str, str]:
    """Other spellings of the folded ``word`` under the active conventions → the ids of the
    conventions used (comma-separated). ``english`` is the name's English form: a convention
    for a Latin letter applies only where the name has that letter (ش is spelt تش only in
    "ch" names, not in Guterres)."""
    latin = english.lower()
    usable = [c for c in conventions if c.active and (not c.english or not latin or any(e in latin for e in c.english))]
    edits = [(pos, c, alt) for c in usable for pos in _sites(word, c) for alt in c.written]
    out: dict[str, str] = {}
    for k in range(1, MAX_CHANGES + 1):
        for combo in _combinations(edits, k):
            positions = [(pos, pos + len(c.gazetteer)) for pos, c, _ in combo]
            if any(a[1] > b[0] for a, b in zip(sorted(positions), sorted(positions)[1:])):
                continue  # overlapping edits
            form = word
            for pos, c, alt in sorted(combo, key=lambda e: -e[0]):
                form = form[:pos] + alt + form[pos + len(c.gazetteer) :]
            if form != word:
                out.setdefault(form, ",".join(sorted({c.id for _, c, _ in combo})))
    return out


def _combinations(edits, k):
    for combo in combinations(edits, k):
        if len({pos for pos, _, _ in combo}) == k:
            yield combo

