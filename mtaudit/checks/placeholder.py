"""Placeholders lost or altered: URLs, e-mails, handles, hashtags and markup of the source."""

from __future__ import annotations

import math
from difflib import SequenceMatcher

import regex

from ..text.placeholders import Placeholder, find_placeholders
from ..types import Severity
from . import CheckContext, check

# Markup and addresses are compared; HTML character references are not (a translation may
# render &amp; as و or as &).
_COMPARED = frozenset({"url", "email", "domain", "handle", "hashtag", "tag", "variable"})
_WEB = frozenset({"url", "email", "domain"})
_SIMILAR = 0.6  # difflib ratio above which a differing placeholder is the same one, altered
_ARABIC = regex.compile(r"\p{Arabic}")


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _features(p: Placeholder, altered: bool, unit_is_article: bool, n_source: int) -> dict[str, float]:
    return {
        "kind_web": float(p.kind in ("url", "email")),
        "kind_domain": float(p.kind == "domain"),
        "kind_handle": float(p.kind == "handle"),
        "kind_hashtag": float(p.kind == "hashtag"),
        "kind_markup": float(p.kind in ("tag", "variable")),
        "altered": float(altered),
        "unit_is_article": float(unit_is_article),
        "log_source_placeholders": math.log1p(n_source),
    }


@check(
    "placeholder",
    severity=Severity.MAJOR,
    category="omission",
    version="1",
    scope="article",
    resources=("placeholders",),
    requires_source=True,
)
def placeholder(ctx: CheckContext):
    """Placeholder lost or altered: a URL, e-mail, handle, hashtag or markup of the source.

    URLs, e-mail addresses, web domains, @handles, #hashtags, HTML tags and template
    variables ({0}, {name}, %s, {{count}}) are carried over exactly as written; their shapes
    are in references/placeholders.tsv. With a source, each placeholder of a source unit
    (mtaudit.text.alignment.source_units: a record, a paragraph, or the whole article) must be in
    the aligned target:

    - missing (category omission): the target has no such placeholder, nor its text;
    - altered (category mistranslation, not untranslated: the placeholder was changed, as a
      translation would change a word): a URL or address whose path or name changed (same
      host, or nearly the same text), an @handle written in Arabic letters
      (@الأمم_المتحدة for @UN) or misspelt, a variable or tag changed ({1} for {0}).

    Hashtags: Arabic copy often translates a hashtag's words (#MeToo as #أنا_أيضا), so any
    hashtag in the target unit answers a source hashtag; one is reported only when the
    target unit has no hashtag at all (minor unless the model says otherwise). What is not a
    change: letter case of hosts, handles and hashtags, a sentence's full stop after a URL,
    "www." and the scheme, and the right-to-left artefacts of Arabic copy (the mark typed
    after the hashtag's word: ChineseDontComeToJapan#; a URL's final slash typed before it).

    A bare web domain the target lacks is at most minor: it is often a brand's name
    (Booking.com) that Arabic copy may write in Arabic letters.

    Confidence comes from a fitted model (references/calibration.tsv, model `placeholder`,
    fitted by scripts/source_aware_benchmark.py on dropped and altered placeholders in
    clean copy against findings on clean copy); below 0.5 a finding is minor.
    """
    rules = ctx.resources.placeholders
    units = ctx.source_units
    for source, segments in units:
        if not segments:
            continue
        wanted = [p for p in find_placeholders(source, rules) if p.kind in _COMPARED]
        if not wanted:
            continue
        found = [p for seg in segments for p in find_placeholders(seg.text, rules, seg.start) if p.kind in _COMPARED]
        unit_text = "\n".join(seg.text for seg in segments).lower()
        unit_is_article = len(units) == 1 and len(segments) == len(ctx.content_segments) > 1
        pool = list(found)
        problems: list[Placeholder] = []
        for p in wanted:
            same = next((q for q in pool if q.key == p.key and _compatible(p, q)), None)
            if same is not None:
                pool.remove(same)
                continue
            if p.kind == "domain" and any(q.kind in _WEB and q.host.endswith(p.key) for q in found):
                continue  # the domain stands inside a URL or address of the target
            if p.kind == "hashtag" and any(q.kind == "hashtag" for q in found):
                continue  # a translated hashtag answers for it
            if _written_plain(p, unit_text):
                continue
            problems.append(p)
        # Exact matches were taken first; what is left in the target may be a changed copy.
        paired: list[tuple[Placeholder, Placeholder | None]] = []
        for p in problems:
            q = _altered_form(p, pool)
            if q is not None:
                pool.remove(q)
            paired.append((p, q))
        for p, q in paired:
            feats = _features(p, q is not None, unit_is_article, len(wanted))
            if q is not None:
                start, end = q.start, q.end
                message = f"The source's {_NAMES[p.kind]} “{p.text}” was altered to “{q.text}”: keep it exactly as written."
                category = "mistranslation"
            else:
                seg = segments[min(len(segments) - 1, int(len(segments) * p.start / max(1, len(source))))]
                start, end = seg.start, seg.end
                message = f"The source's {_NAMES[p.kind]} “{p.text}” is missing from this passage: carry it over as written."
                category = "omission"
            confidence = ctx.fitted_confidence("placeholder", feats, start, end)
            # A bare domain is often a brand's name (Booking.com), which Arabic copy may
            # write in Arabic letters: its omission is at most minor.
            major = confidence >= 0.5 and not (p.kind == "domain" and q is None)
            yield ctx.finding(
                start,
                end,
                message,
                suggestion=p.text,
                confidence=confidence,
                severity=Severity.MAJOR if major else Severity.MINOR,
                category=category,
            )


_NAMES = {
    "url": "web address",
    "email": "e-mail address",
    "domain": "web domain",
    "handle": "handle",
    "hashtag": "hashtag",
    "tag": "markup tag",
    "variable": "template variable",
}


def _compatible(p: Placeholder, q: Placeholder) -> bool:
    return p.kind == q.kind or (p.kind in _WEB and q.kind in _WEB)


def _written_plain(p: Placeholder, unit_text: str) -> bool:
    """The placeholder is in the target as written (a shape the patterns did not isolate
    there, such as a URL run into Arabic text); for a hashtag, its word without the mark
    counts too (running text may drop the mark: "the hashtag MeToo")."""
    if p.kind in _WEB:
        forms = (p.key, p.text.lower().strip("/"))
    elif p.kind == "hashtag":
        forms = (p.key,)
    else:
        forms = (p.text.lower(),)
    return any(_standing_alone(f, unit_text) for f in forms)


def _standing_alone(form: str, text: str) -> bool:
    """``form`` occurs in ``text`` not as part of a longer token (@who inside press@who.int)."""
    return regex.search(r"(?<![\w@.#/])" + regex.escape(form) + r"(?![\w@#])", text) is not None


def _altered_form(p: Placeholder, pool: list[Placeholder]) -> Placeholder | None:
    """The target's placeholder that is ``p`` changed, if any."""
    for q in pool:
        if not _compatible(p, q):
            continue
        if p.kind in _WEB and (q.host == p.host or _similar(p.key, q.key) >= _SIMILAR):
            return q
        if p.kind == "handle" and _ARABIC.search(q.text) and not _ARABIC.search(p.text):
            return q  # a Latin handle transliterated into Arabic letters
        if p.kind == "handle" and _similar(p.key, q.key) >= _SIMILAR:
            return q
        if p.kind in ("tag", "variable"):
            return q  # markup of the same kind in its place: changed ({1} for {0}, %s for %d)
    return None
