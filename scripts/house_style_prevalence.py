#!/usr/bin/env python3
"""How often clean human Arabic keeps each house-style convention, and what the style-*
checks report on it.

Reads the human Arabic of FLORES-200 devtest, TICO-19 test and the human seed articles
(000, 001, 003, 004) from ../shared (target text only: the conventions need no source),
and prints for each corpus and convention:
  - kept: the share of the places the convention applies to that follow it (Arabic commas,
    semicolons and question marks among all of them after Arabic words; words of the
    hamza/ta marbuta/alef maqsura shapes that are not flagged; articles with figures that
    use one digit system; month names not mixed with the other set in their article; words
    without tatweel);
  - the style-* checks' findings per 10,000 words, by severity.
A convention is on by default only where it is kept at least 99.5% of the time in every
corpus and its major findings stay at or below 0.5 per 10,000 words (references/README.md).

    python scripts/house_style_prevalence.py [--shared ../shared] [--limit N] [--show CHECK]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from mtaudit import house_style as hs
from mtaudit.checks import select
from mtaudit.inputs.readers import read_inputs
from mtaudit.knowledge.resources import Resources
from mtaudit.reports.tables import word_count
from mtaudit.run.pipeline import audit_article
from mtaudit.types import Article, SegmentKind

ARABIC_MARKS = {",": "،", ";": "؛", "?": "؟"}


def corpora(shared: Path, limit: int) -> dict[str, list[Article]]:
    out = {}
    for name, rel in (("flores-arb", "data/flores200/arb_Arab.devtest"), ("tico19-ar", "data/tico19/tico19-test.ar")):
        path = shared / rel
        if path.is_file():
            lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
            out[name] = [Article(f"{name}:{i + 1}", l) for i, l in enumerate(lines)]
    seeds = shared / "seeds"
    if seeds.is_dir():
        out["seeds-human"] = [a for a in read_inputs([seeds]).articles if a.id[:3] in ("000", "001", "003", "004")]
    return {k: v[:limit] if limit else v for k, v in out.items()}


def prevalence(texts: list[str], style: hs.HouseStyle) -> dict[str, tuple[int, int]]:
    """convention → (places it applies to, places that break it)."""
    counts = collections.defaultdict(lambda: [0, 0])
    for text in texts:
        words = hs.arabic_words(text)
        # punctuation: every , ; ? after an Arabic word, Latin or Arabic
        latin = len(hs.punctuation(text, style))
        arabic = sum(text.count(m) for m in ARABIC_MARKS.values())
        counts["style-punctuation"][0] += latin + arabic
        counts["style-punctuation"][1] += latin
        # digits: articles with figures, and those mixing the two systems
        if any(ch.isdigit() for ch in text):
            counts["style-digits"][0] += 1
            counts["style-digits"][1] += bool(hs.digits(text, style))
        counts["style-tatweel"][0] += len(words)
        counts["style-tatweel"][1] += len(hs.tatweel(text, style))
        for conv, shape in (
            ("style-hamza", lambda w: any(w.startswith(p + "ا") or w.startswith(p + "أ") or w.startswith(p + "إ") or w.startswith(p + "آ") for p in ("", "و", "ف", "ال", "وال"))),
            ("style-ta-marbuta", lambda w: w.endswith(("ة", "ه"))),
            ("style-alef-maqsura", lambda w: w.endswith(("ى", "ي"))),
        ):
            counts[conv][0] += sum(1 for w in words if shape(w.plain))
            counts[conv][1] += len(hs.FINDERS[conv](text, style))
        mentions = hs.month_mentions(text, style)
        counts["style-months"][0] += len(mentions)
        counts["style-months"][1] += len(hs.months(text, style))
    return {k: (v[0], v[1]) for k, v in counts.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="only the first N items of each corpus")
    ap.add_argument("--show", help="print this check's findings")
    args = ap.parse_args()
    found = corpora(args.shared, args.limit)
    if not found:
        print(f"no clean corpora under {args.shared}", file=sys.stderr)
        return 2
    resources = Resources()
    style = resources.house_style
    specs = select(list(hs.CONVENTIONS))
    for name, articles in found.items():
        words = 0
        per_check = collections.defaultdict(collections.Counter)
        texts = []
        for art in articles:
            result = audit_article(art, specs, resources, score=False)
            content = [s for s in result.segments if s.kind is not SegmentKind.BOILERPLATE]
            words += sum(word_count(s.text) for s in content)
            texts.extend(s.text for s in content)
            for f in result.findings:
                per_check[f.check][f.severity.value] += 1
                if f.check == args.show:
                    print(f"  {art.id} [{f.severity.value}] {f.text!r} -> {f.suggestion!r}")
        prev = prevalence(texts, style)
        print(f"{name}: {len(articles)} items, {words} words")
        for conv in hs.CONVENTIONS:
            places, broken = prev.get(conv, (0, 0))
            kept = 100 * (1 - broken / places) if places else 100.0
            sev = per_check[conv]
            major = sev.get("major", 0) + sev.get("critical", 0)
            total = sum(sev.values())
            print(
                f"  {conv:20} places {places:6}  broken {broken:5}  kept {kept:6.2f}%"
                f"  findings/10k {1e4 * total / max(words, 1):6.2f}  major/10k {1e4 * major / max(words, 1):5.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
