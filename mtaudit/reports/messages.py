"""Message catalogues: the words an editor reads, in Arabic and English, as data.

Each language has a catalogue ``references/messages_<lang>.tsv`` (key, text): the labels of
the HTML review desk (``ui.*``), severity and category names, and for each check the
message shown for its findings (``check.<id>``, with ``{text}`` and ``{suggestion}``
placeholders, and those the finding names in its ``values``, such as ``{term}``;
``check.<id>.nosugg`` when the finding has no suggestion; ``check.<id>.<variant>[.nosugg]``
for a finding whose values give a ``variant``), the gate's reasons (``verdict.<key>``,
with the values mtaudit.gate.verdict records) and ``ui.not_run.*``. A newsroom rewords
any of them with a file of the same name in a ``--references`` folder. A check with no entry
keeps its own (English) message, so a new check is never shown without words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from markupsafe import Markup, escape

from ..knowledge.reference_tables import ReferenceDataError, default_reference_dir, read_tsv
from ..types import Finding

LANGUAGES = ("ar", "en")
#: Text direction of each language, for the page's dir attribute.
DIRECTION = {"ar": "rtl", "en": "ltr"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Catalogue:
    """One language's messages."""

    def __init__(self, lang: str, entries: dict[str, str]):
        self.lang = lang
        self.dir = DIRECTION[lang]
        self.entries = entries

    def __call__(self, key: str) -> str:
        """The text of ``key``; the key itself when missing (visible, never a crash)."""
        return self.entries.get(key, key)

    def has(self, key: str) -> bool:
        return key in self.entries

    def _template(self, finding: Finding) -> tuple[str, dict[str, str]] | None:
        """The finding's catalogue wording and the values its placeholders take; None when
        there is none or it names a value the finding does not have."""
        values = {"text": finding.text, "suggestion": finding.suggestion, **dict(finding.values)}
        nosugg = "" if finding.suggestion.strip() else ".nosugg"
        variant = values.get("variant")
        keys = ([f"check.{finding.check}.{variant}{nosugg}"] if variant else []) + [f"check.{finding.check}{nosugg}"]
        template = next((self.entries[k] for k in keys if k in self.entries), None)
        if template is None or any(m.group(1) not in values for m in _PLACEHOLDER.finditer(template)):
            return None
        return template, values

    def finding_text(self, finding: Finding) -> str:
        """The finding's message as plain text (the check's own message when uncatalogued)."""
        found = self._template(finding)
        if found is None:
            return finding.message
        template, values = found
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)

    def finding_html(self, finding: Finding) -> Markup:
        """The finding's message as HTML, each inserted text isolated in a ``<bdi>`` so that
        an English word or a number inside Arabic words keeps its order (and the reverse)."""
        found = self._template(finding)
        if found is None:
            return Markup('<bdi dir="auto">%s</bdi>') % finding.message
        return _filled(*found)

    def verdict_reasons(self, verdict) -> list[Markup]:
        """The gate's reasons (mtaudit.gate.verdict.Verdict) in this language, as HTML; a
        reason with no catalogue wording (or a verdict without details) stays as written."""
        if not verdict.details:
            return [Markup('<bdi dir="auto">%s</bdi>') % r for r in verdict.reasons]
        out = []
        for (key, values), english in zip(verdict.details, verdict.reasons):
            template = self.entries.get(f"verdict.{key}")
            shown = {k: self.entries.get(f"severity.{v}", v) if k == "severity" else str(v) for k, v in values.items()}
            if template is None or any(m.group(1) not in shown for m in _PLACEHOLDER.finditer(template)):
                out.append(Markup('<bdi dir="auto">%s</bdi>') % english)
            else:
                out.append(_filled(template, shown))
        return out


def _filled(template: str, values: dict[str, str]) -> Markup:
    """``template`` with each placeholder's value escaped and isolated in a ``<bdi>``."""
    parts, pos = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(escape(template[pos : m.start()]))
        parts.append(Markup('<bdi dir="auto">%s</bdi>') % values[m.group(1)])
        pos = m.end()
    parts.append(escape(template[pos:]))
    return Markup("").join(parts)


@lru_cache(maxsize=None)
def _load(lang: str, extra_dirs: tuple[Path, ...]) -> dict[str, str]:
    entries: dict[str, str] = {}
    for folder in (default_reference_dir(), *extra_dirs):
        path = Path(folder) / f"messages_{lang}.tsv"
        if folder != default_reference_dir() and not path.is_file():
            continue
        for row in read_tsv(path):
            if not row["key"]:
                raise ReferenceDataError(f"{row.origin}: empty key")
            entries[row["key"]] = row["text"]
    return entries


def catalogue(lang: str = "ar", extra_dirs: Iterable[Path] = ()) -> Catalogue:
    """The catalogue of ``lang`` ("ar" or "en"), with a newsroom's rows over the defaults."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    return Catalogue(lang, _load(lang, tuple(Path(d) for d in extra_dirs)))
