"""The channel's weighted edit distance compiled: the C loop over cost tables read off the Python rules.

mtaudit.names.channel's ``_alignment`` is the garble matcher's innermost loop: every
gazetteer word a spelling could garble, and the close siblings asked for neighbour evidence,
cost one table of (cost, hard edits) states: about 90 µs each in Python, 4 µs compiled
(300,000 pairs of built-gazetteer words and near variants, bounded and not). The extension that
holds the transliteration searches (``mtaudit.names._jointdecode``, see
mtaudit.names.jointdecode for how it is built and when it is used) has a ``Channel`` type
running the same programme in C, cell for cell: the same sums in the same order, states
compared as the tuples are, a row abandoned on the same test; the caller rounds as the
Python code does. So the answers are the same floats (tests/test_compiled_channel.py
compares the two on the curated gazetteer's words, each against a near variant, a random
word and itself, under six bounds).

No cost is written twice: the tables are made here by calling the Python rules
(``channel._indel``, ``_sub``, ``_insert_cost``'s doubled-letter cost, ``_DIGRAPHS``) on an
alphabet of every letter of the Arabic block plus the rules' own letters, and one
representative of "any other letter"; a change to a weight in channel.py reaches the C code
unchanged. A new rule of another shape (a cost that depends on more than the two letters)
would need the C loop changed too, and the comparison test says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# letters of the Arabic block, which is what folded words are written in
_ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B)) + "".join(chr(c) for c in range(0x0671, 0x06D4))
# stands for every letter outside the alphabet: a private-use code point no rule names
_OTHER = "\uf8ff"


def alphabet(rule_letters: Iterable[str]) -> str:
    """The letters given their own costs: the Arabic block's and any the rules name, in order."""
    out = dict.fromkeys(_ARABIC_LETTERS)
    for group in rule_letters:
        out.update(dict.fromkeys(group))
    out.pop(_OTHER, None)
    return "".join(out)


def compiled_alignment(
    rule_letters: Iterable[str],
    indel: Callable[[str], float],
    sub: Callable[[str, str], float],
    doubled: float,
    digraph: float,
    hard_at: float,
    digraphs: dict[str, str],
    length_step: float,
    ext=None,
):
    """``align(observed, candidate, bound)``, channel._alignment's answer: (cost rounded to
    six places, hard edits), or None when the cost is certainly above ``bound`` (the length
    difference times ``length_step``, or a whole row, above it); None when the extension
    is not in use (the Python programme then runs). The arguments are channel.py's rules
    and weights; ``ext``, the extension module to use whatever MTAUDIT_PURE_PYTHON says (tests)."""
    if ext is None:
        from .jointdecode import _extension

        ext, _why = _extension()
    if ext is None or not hasattr(ext, "Channel"):
        return None
    letters = alphabet(rule_letters)
    classes = [*letters, _OTHER]
    # two different letters outside the alphabet: the rules' cost for two letters they do not name
    other_pair = sub(_OTHER, "\uf8fe")
    table = [other_pair if a == b == _OTHER else sub(a, b) for a in classes for b in classes]
    channel = ext.Channel(letters, [indel(a) for a in classes], table, doubled, digraph, hard_at, list(digraphs.items()), length_step)
    c_align = channel.align

    def align(observed: str, candidate: str, bound: float | None) -> tuple[float, int] | None:
        found = c_align(observed, candidate, bound)
        # rounded here: round() is correctly rounded, which C's printf-style rounding is not
        return None if found is None else (round(found[0], 6), found[1])

    return align
