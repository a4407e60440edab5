"""Is this text Arabic copy at all? Two input classes that decode fine but are not copy.

- **Mojibake**: UTF-8 Arabic that was read as Windows-1256 or Latin-1/Windows-1252 and saved
  again (``Ø§Ù„`` or ``ط§ظ„`` for ``ال``). The evidence is specific: re-encoding a word in that
  code page gives valid UTF-8 that is Arabic. Real Arabic or English words almost never
  survive that round trip, so a text where most non-ASCII words do is mojibake.
- **Nothing visible**: only whitespace, format characters (bidi marks, zero-width joiners,
  BOMs) and control characters.

Both are reported as input problems instead of being audited: auditing them would pass a
broken delivery through the gate as if it were copy.
"""

from __future__ import annotations

import re
import unicodedata

#: Code pages that UTF-8 Arabic is commonly mis-decoded with.
MOJIBAKE_CODEPAGES = ("cp1256", "cp1252", "latin-1")
#: Share of non-ASCII words that must round-trip to Arabic to call the text mojibake.
MOJIBAKE_SHARE = 0.5

_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# UTF-8 Arabic letters (U+0621-064A) start with the byte D8 or D9, which each code page above
# writes as one character: ط ظ (cp1256), Ø Ù (cp1252, Latin-1). A word without one of them
# cannot round-trip to Arabic; most words of real copy are ruled out by this one search.
_LEAD_BYTE_CHARS = re.compile("[\u0637\u0638\u00d8\u00d9]")
_LEAD_BYTES = "\u0637\u0638\u00d8\u00d9"
# The spaces outside ASCII (str.isspace, which is regex's \\s): one can sit inside a
# _NON_ASCII_WORD match. (tests/test_bad_inputs.py checks that the list is complete.)
NON_ASCII_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _non_ascii_words(head: str) -> list[str]:
    """``_NON_ASCII_WORD.findall(head)``; without a non-ASCII space the matches are exactly
    the whitespace-separated words that are not all ASCII, found faster by str.split."""
    if not any(space in head for space in NON_ASCII_SPACES):
        return [w for w in head.split() if not w.isascii()]
    return _NON_ASCII_WORD.findall(head)


def _round_trips_to_arabic(word: str) -> bool:
    if not _LEAD_BYTE_CHARS.search(word):
        return False
    for codepage in MOJIBAKE_CODEPAGES:
        try:
            repaired = word.encode(codepage).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != word and _ARABIC_LETTER.search(repaired):
            return True
    return False


def is_visible(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp"))


def unusable_reason(text: str) -> str | None:
    """Why ``text`` cannot be audited as Arabic copy, or None when it can."""
    if not any(is_visible(ch) for ch in text):
        return "has no visible text (only spaces, bidi marks or control characters)"
    head = text[:20000]
    # A word that round-trips holds a lead-byte character, and no two words share one: with
    # fewer of those than the share needs (real copy: a few in a hundred words), no code
    # page needs trying.
    lead = sum(map(head.count, _LEAD_BYTES))
    if not lead:
        return None
    words = _non_ascii_words(head)
    if words and lead >= MOJIBAKE_SHARE * len(words):
        garbled = sum(_round_trips_to_arabic(w) for w in words)
        if garbled >= MOJIBAKE_SHARE * len(words):
            sample = next(w for w in words if _round_trips_to_arabic(w))
            return (
                f"looks like mojibake: UTF-8 Arabic decoded in a legacy code page and saved again "
                f"({sample!r}); re-export the file from its original UTF-8"
            )
    return None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def lone_surrogate(text: str) -> int | None:
    """Offset of the first lone surrogate code point in ``text`` (JSON's ``"\\ud800"``)."""
    match = _SURROGATE.search(text)
    return match.start() if match else None
