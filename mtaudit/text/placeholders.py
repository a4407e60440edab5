"""Placeholders: URLs, e-mail addresses, domains, @handles, #hashtags and markup.

A placeholder is carried over from the source exactly as written, never translated. Its
shapes are data (references/placeholders.tsv); :func:`find_placeholders` matches them on
the raw text and returns spans into it, and :func:`mask` blanks them out (same length, so
offsets still hold) for the checks that look for English left untranslated. The comparison
key (:attr:`Placeholder.key`) ignores what is not a change of the placeholder: letter case
where it does not matter, a sentence's full stop after a URL, and the right-to-left display
artefacts of Arabic copy (a hashtag's mark typed after its word, a URL's final slash typed
before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import regex

if TYPE_CHECKING:
    from ..knowledge.resources import PlaceholderRule

KINDS = ("url", "email", "domain", "handle", "hashtag", "tag", "entity", "variable")


@dataclass(frozen=True)
class Placeholder:
    kind: str
    start: int  # offsets into the text searched (plus its base)
    end: int
    text: str

    @property
    def key(self) -> str:
        """What must be the same in source and translation."""
        t = self.text
        if self.kind == "url":
            t = t.strip("/")
            t = regex.sub(r"^(?i:https?://)", "", t)
            t = regex.sub(r"^(?i:www\.)", "", t)
            host, _, path = t.partition("/")
            return host.lower() + ("/" + path if path else "")
        if self.kind == "hashtag":
            return t.strip("#").lower()
        if self.kind in ("email", "domain", "handle", "tag"):
            return regex.sub(r"\s+", " ", t.lower())
        return t

    @property
    def host(self) -> str:
        """The host of a URL or e-mail address, the domain itself; else the key."""
        if self.kind == "url":
            return self.key.split("/", 1)[0]
        if self.kind == "email":
            return self.key.rsplit("@", 1)[-1]
        return self.key


def find_placeholders(text: str, rules: Iterable["PlaceholderRule"], base: int = 0) -> list[Placeholder]:
    """Every placeholder in ``text``, in text order, without overlaps (an earlier rule wins)."""
    taken: list[tuple[int, int]] = []
    found: list[Placeholder] = []
    if not text:
        return found
    for rule in rules:
        for m in rule.pattern.finditer(text):
            s, e = m.span()
            if s == e or any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append(Placeholder(rule.kind, base + s, base + e, m.group()))
    found.sort(key=lambda p: p.start)
    return found


def mask(text: str, rules: Iterable["PlaceholderRule"]) -> str:
    """``text`` with every placeholder replaced by spaces of the same length."""
    out = list(text)
    for p in find_placeholders(text, rules):
        out[p.start : p.end] = " " * (p.end - p.start)
    return "".join(out)


def placeholder_spans(text: str, rules: Iterable["PlaceholderRule"], base: int = 0) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in find_placeholders(text, rules, base)]
