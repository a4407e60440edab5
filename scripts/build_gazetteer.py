#!/usr/bin/env python3
"""Build references/gazetteer_built.tsv: people and places from offline, licensed sources.

The built gazetteer widens the curated one (references/gazetteer_curated.tsv, which stays and
overrides it: see mtaudit.knowledge.resources.Resources(built_gazetteer=True)) beyond the stories its
rows were typed for. Sources, all offline and licensed for shipping in an Apache-2.0 project:

- people: the Wikidata names index shipped in the arabic-name-romanizer package
  (resources/names.sqlite3, table full_names; Wikidata labels, CC0 1.0). Its Arabic is a
  lookup key (hamza on alef dropped, ى written ي, ة written ه); the display spelling is
  recovered word by word (see ``Restorer``).
- places and two bodies (EU, UN): CLDR 48 territory names and time-zone exemplar cities in
  Arabic and English, read through babel (CLDR data: Unicode License v3; babel: BSD-3).
- the spelling of ambiguous name words: wordfreq's Arabic frequency list (already an mtaudit
  dependency; data CC BY-SA 4.0, used only to choose between spellings, nothing copied).

pycountry (LGPL-2.1 data from Debian iso-codes) has Arabic country names too, but LGPL data
cannot be shipped in an Apache-2.0 table, and it has no Arabic for ISO 3166-2 subdivisions;
it is not used. Rebuild (deterministic: the same package versions give the same file):

    pip install -e ".[build]" && python scripts/build_gazetteer.py

The script prints the coverage counts (by type and region) and rewrites the coverage
statement in references/README.md between its markers.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import unicodedata
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "references"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COLUMNS = ["canonical", "english", "type", "variants", "titles", "wikidata", "note", "region", "country", "source"]
README_START = "<!-- gazetteer-coverage:start (written by scripts/build_gazetteer.py) -->"
README_END = "<!-- gazetteer-coverage:end -->"
#: the regions that make up MENA in the coverage table (references/regions.tsv)
MENA = ("Maghreb", "Mashriq", "Gulf", "West Asia")
#: a row with no country (EU, UN) is counted here
WORLD = "World"
#: the order of the coverage table
REGION_ORDER = (*MENA, "Africa", "Europe", "Americas", "South Asia", "Central Asia", "East Asia", "Southeast Asia", "Oceania", "Antarctica", WORLD)
#: a variant's name units that the canonical form lacks must be borne by this many Wikidata
#: people (or be a common Arabic word): a spelling seen once is more often a typo (محمد رانم
#: beside محمد غانم) than a second spelling, and an accepted spelling is never flagged.
MIN_VARIANT_UNIT_PEOPLE = 3

# The Arabic alphabet of Arabic copy: hamza to yeh (no tatweel). Persian and Urdu letters
# (پ چ ژ گ ڤ ٹ ڈ ں ھ ے ...) mark a label written for another language; such rows are dropped.
ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x063B)) | frozenset(chr(c) for c in range(0x0641, 0x064B))
# Lower-case words that may stand inside an English full name (al-Assad is hyphenated and
# passes anyway); any other word must start with a capital.
ENGLISH_PARTICLES = frozenset("al el bin ben ibn bint abu abou bou ul ud uddin ur de da di del della du des la le van von der den".split())
# Persons: at most this many Arabic spellings or English forms in one entity. A larger group
# of labels linked through shared spellings joins different people, not one person's forms.
MAX_ARABIC_FORMS = 3
MAX_ENGLISH_FORMS = 4


# -- display spelling --------------------------------------------------------------------


class Restorer:
    """The display spelling of a name word given as a romanizer key (أ إ آ → ا, ى → ي, ة → ه).

    Candidates are the spellings that key stands for, restored only where Arabic writes them:
    a hamza seat on the first alef of the word or of the word after the article ال, ى as the
    last letter of a word of four letters or more (علي is a name, على a preposition), ة as the
    last letter. Of the candidates, the one Arabic text uses most (wordfreq) wins; spellings
    the curated gazetteer writes win over all. Measured on the CC0 Wikidata person-name
    tokens in ../shared/data/wikidata_person_names (gold: the most frequent spelling of each
    key; split by crc32 of the key, even = build, odd = held-out; token-weighted): the key
    as it is was right for 88.5% (build) / 86.7% (held-out), this restoration for 96.1% /
    95.8%. See scripts/gazetteer_coverage.py --restoration.
    """

    def __init__(self, frequencies: dict[str, float], preferred: dict[str, str] | None = None) -> None:
        from arabic_name_romanizer.normalize import lookup_key

        self.preferred = preferred or {}
        self.frequencies = frequencies
        self.by_key: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for word, freq in frequencies.items():
            if " " in word:
                continue
            key = lookup_key(word)
            if key and self.allowed(word, key):
                self.by_key[key].append((freq, word))
        for spellings in self.by_key.values():
            spellings.sort(key=lambda fw: (-fw[0], fw[1]))

    @staticmethod
    def allowed(surface: str, key: str) -> bool:
        if len(surface) != len(key):
            return False
        for i, (s, k) in enumerate(zip(surface, key)):
            if s == k:
                continue
            if s in "أإآ" and k == "ا":
                if not (i == 0 or (i == 2 and key.startswith("ال"))):
                    return False
            elif s == "ى" and k == "ي":
                if i != len(key) - 1 or len(key) < 4:
                    return False
            elif s == "ة" and k == "ه":
                if i != len(key) - 1:
                    return False
            else:
                return False
        return True

    def word(self, key: str) -> str:
        if key in self.preferred:
            return self.preferred[key]
        spellings = self.by_key.get(key)
        return spellings[0][1] if spellings else key

    def __call__(self, key: str) -> str:
        return " ".join(self.word(w) for w in key.split())


# -- regions -----------------------------------------------------------------------------


def read_regions(path: Path = REFERENCES / "regions.tsv") -> dict[str, str]:
    from mtaudit.knowledge.resources import read_tsv

    return {r["country"]: r["region"] for r in read_tsv(path)}


# -- people ------------------------------------------------------------------------------


@dataclass
class Person:
    arabic: Counter = field(default_factory=Counter)  # key → people labelled so
    english: Counter = field(default_factory=Counter)  # English full name → people
    countries: Counter = field(default_factory=Counter)
    labels: int = 0  # label rows (en, fr, alias) behind it: a rough measure of how known


def well_formed_arabic(key: str) -> bool:
    from arabic_name_romanizer.normalize import split_units

    ws = key.split()
    if not all(w and set(w) <= ARABIC_LETTERS for w in ws):
        return False
    if any(len(w) < 2 for w in ws):
        return False
    return len(split_units(key)) >= 2


def clear_english(name: str) -> bool:
    from arabic_name_romanizer.normalize import is_valid_latin

    if not is_valid_latin(name):
        return False
    tokens = name.split(" ")
    if len(tokens) < 2:
        return False
    for t in tokens:
        head = t.split("-")[0]
        if not (t[0].isupper() or head.lower() in ENGLISH_PARTICLES):
            return False
    return True


def corresponds(key: str, name: str) -> bool:
    """Every Arabic unit matches English tokens and every token is matched (the romanizer's
    own fuzzy alignment, no skips): the label and the name spell the same person's name."""
    from arabic_name_romanizer.align import align_units_fuzzy
    from arabic_name_romanizer.normalize import split_units

    pairs = align_units_fuzzy(key, name)
    if pairs is None:
        return False
    return len(pairs) == len(split_units(key)) and sum(len(t.split(" ")) for _, t in pairs) == len(name.split(" "))


def people(db: Path, stats: Counter) -> list[Person]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "select arabic_key, latin, latin_lang, country, count from full_names where source = 'wikidata'"
        " order by arabic_key, latin, latin_lang, country"
    ).fetchall()
    con.close()
    labels = Counter(r[0] for r in rows)
    # English (en) and French (fr) labels of a well-formed Arabic label, when they spell it.
    # French labels count as English forms: English wire copy keeps the French spelling of
    # Maghreb names (Moncef, Boukthir).
    edges: dict[str, Counter] = defaultdict(Counter)
    countries: dict[str, Counter] = defaultdict(Counter)
    for key, latin, lang, country, count in rows:
        stats["romanizer rows"] += 1
        if lang not in ("en", "fr"):
            continue
        if not well_formed_arabic(key):
            stats["dropped: Arabic not a well-formed full name"] += 1
            continue
        if not clear_english(latin):
            stats["dropped: no clear English full name"] += 1
            continue
        if not corresponds(key, latin):
            stats["dropped: English does not spell the Arabic"] += 1
            continue
        edges[key][latin] += count
        countries[key][country] += count
    # Entities: connected groups of Arabic keys and English names (one name with several
    # Arabic spellings gives variants).
    by_name: dict[str, set[str]] = defaultdict(set)
    for key, names in edges.items():
        for n in names:
            by_name[n.casefold()].add(key)
    seen: set[str] = set()
    out = []
    for start in sorted(edges):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            k = todo.pop()
            if k in group:
                continue
            group.add(k)
            for n in edges[k]:
                todo.extend(by_name[n.casefold()] - group)
        seen |= group
        p = Person()
        for k in group:
            p.arabic[k] += sum(edges[k].values())
            p.english.update(edges[k])
            p.countries.update(countries[k])
            p.labels += labels[k]
        # one spelling per case-folded English name (the most used)
        folded: dict[str, tuple[int, str]] = {}
        for n, c in p.english.items():
            f = n.casefold()
            if f not in folded or (c, n) > folded[f]:
                folded[f] = (c, n)
        p.english = Counter({n: c for c, n in folded.values()})
        if len(p.arabic) > MAX_ARABIC_FORMS or len(p.english) > MAX_ENGLISH_FORMS:
            stats["dropped: ambiguous label group (several people)"] += len(group)
            continue
        out.append(p)
    return out


def ranked(items: Counter) -> list[str]:
    return [k for k, _ in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))]


def unit_people(db: Path) -> Counter:
    """Name unit key → how many Wikidata people bear it (the romanizer's units table)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = Counter(dict(con.execute("select arabic_key, sum(count) from units where source = 'wikidata' group by arabic_key")))
    con.close()
    return out


def arabic_forms(p: Person, units: Counter, common: set[str], stats: Counter) -> list[str]:
    """The entity's Arabic keys, canonical first: the most used, then the one whose rarest
    unit is borne by the most people; variants whose new units are barely attested are dropped."""
    from arabic_name_romanizer.normalize import split_units

    def rarest(key: str) -> int:
        return min(units[u] for u in split_units(key))

    keys = sorted(p.arabic, key=lambda k: (-p.arabic[k], -rarest(k), k))
    canonical_units = set(split_units(keys[0]))
    out = [keys[0]]
    for k in keys[1:]:
        new = [u for u in split_units(k) if u not in canonical_units]
        if all(units[u] >= MIN_VARIANT_UNIT_PEOPLE or u in common for u in new):
            out.append(k)
        else:
            stats["dropped variants: a unit borne by fewer than %d people" % MIN_VARIANT_UNIT_PEOPLE] += 1
    return out


def person_rows(
    persons: list[Person], restore: Restorer, units: Counter, regions: dict[str, str], cap: int, stats: Counter
) -> list[dict]:
    # common Arabic words (zipf >= 3), keyed like the romanizer's units
    common = {k for k, spellings in restore.by_key.items() if spellings[0][0] >= 1e-6}
    by_country: dict[str, list[Person]] = defaultdict(list)
    for p in persons:
        by_country[ranked(p.countries)[0]].append(p)
    rows = []
    for country in sorted(by_country):
        group = by_country[country]
        # The best-known first (more labels behind the name), then a stable hash of the
        # English name: a cap keeps the known and an unbiased sample of the rest (not the
        # names that sort first).
        group.sort(key=lambda p: (-p.labels, zlib.crc32(ranked(p.english)[0].encode()), ranked(p.english)[0]))
        if cap and len(group) > cap:
            stats[f"dropped: over the per-country cap of {cap}"] += len(group) - cap
            group = group[:cap]
        for p in group:
            arabic = [restore(k) for k in arabic_forms(p, units, common, stats)]
            rows.append(
                {
                    "canonical": arabic[0],
                    "english": "|".join(ranked(p.english)),
                    "type": "person",
                    "variants": "|".join(arabic[1:]),
                    "titles": "",
                    "wikidata": "",
                    "note": "",
                    "region": regions.get(country, ""),
                    "country": country,
                    "source": "wikidata",
                }
            )
    return rows


# -- places ------------------------------------------------------------------------------


def _strip_parenthesis(name: str) -> str:
    # "ميانمار (بورما)", "Myanmar (Burma)": the part outside the brackets is the name
    head = name.split("(")[0].strip()
    return head.replace("’", "'")


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def place_rows(regions: dict[str, str], stats: Counter) -> list[dict]:
    from babel import Locale
    from babel.core import get_global

    ar, en = Locale("ar"), Locale("en")
    rows = []
    bodies = {"EU": "organisation", "UN": "organisation"}
    for code in sorted(en.territories):
        if not (code in regions or code in bodies):
            continue
        arabic, english = ar.territories.get(code, ""), en.territories.get(code, "")
        if not arabic or not english:
            continue
        english = _strip_parenthesis(english)
        if " & " in english:
            # CLDR writes "Antigua & Barbuda"; copy writes "and"
            english = english.replace(" & ", " and ") + "|" + english
        rows.append(
            {
                "canonical": _strip_parenthesis(arabic),
                "english": english,
                "type": bodies.get(code, "place"),
                "variants": "",
                "titles": "",
                "wikidata": "",
                "note": "country or territory" if code in regions else "",
                "region": regions.get(code, WORLD),
                "country": code if code in regions else "",
                "source": "cldr",
            }
        )
    zone_country = get_global("zone_territories")
    ar_zones, en_zones = ar.time_zones, en.time_zones
    for zone in sorted(ar_zones):
        city_ar = dict(ar_zones[zone]).get("city")
        city_en = dict(en_zones.get(zone, {})).get("city") or zone.split("/")[-1].replace("_", " ")
        country = zone_country.get(zone, "")
        if not city_ar or country not in regions:
            continue
        # A zone keeps the city's old name (Asia/Calcutta); CLDR's English follows the new name
        # (Kolkata) but its Arabic may not: keep only cities whose English name is the zone's.
        if _plain(city_en) != _plain(zone.split("/")[-1].replace("_", " ")):
            stats["dropped: city renamed since its time-zone id"] += 1
            continue
        if "(" in city_ar:
            # هيبرون (مدينة الخليل): the bracket holds the Arabic name, the head a transliteration
            stats["dropped: city with a bracketed Arabic name"] += 1
            continue
        rows.append(
            {
                "canonical": city_ar,
                "english": city_en.replace("’", "'"),
                "type": "place",
                "variants": "",
                "titles": "",
                "wikidata": "",
                "note": "city",
                "region": regions[country],
                "country": country,
                "source": "cldr",
            }
        )
    return rows


# -- assembly ----------------------------------------------------------------------------


def merge_duplicates(rows: list[dict], stats: Counter) -> list[dict]:
    """One row per folded canonical form: a later row's English forms join the first one's
    (Djibouti the country and the city, two people labelled alike)."""
    from mtaudit.text.normalize import fold

    out: dict[str, dict] = {}
    for r in rows:
        k = " ".join(fold(w) for w in r["canonical"].split())
        if k in out:
            first = out[k]
            english = first["english"].split("|")
            for e in r["english"].split("|"):
                if e.casefold() not in {x.casefold() for x in english}:
                    english.append(e)
            first["english"] = "|".join(english)
            stats["merged: same canonical form"] += 1
            continue
        out[k] = dict(r)
    return list(out.values())


def coverage(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The coverage table: one line per region (REGION_ORDER),
    one column per type, a MENA subtotal and a total."""
    from mtaudit.names import ENTITY_TYPES

    counts: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        counts[r["region"] or WORLD][r["type"]] += 1
    header = ["region", *ENTITY_TYPES, "total"]
    lines = []

    def line(name: str, c: Counter) -> list[str]:
        return [name, *(str(c[t]) for t in ENTITY_TYPES), str(sum(c[t] for t in ENTITY_TYPES))]

    for region in REGION_ORDER:
        if region in counts:
            lines.append(line(region, counts[region]))
    mena = Counter()
    for region in MENA:
        mena.update(counts.get(region, Counter()))
    lines.append(line("MENA (" + " + ".join(MENA) + ")", mena))
    unknown = sorted(set(counts) - set(REGION_ORDER))
    assert not unknown, f"regions missing from REGION_ORDER: {unknown}"
    total = Counter()
    for c in counts.values():
        total.update(c)
    lines.append(line("all", total))
    return header, lines


def markdown_table(header: list[str], lines: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def write_readme(path: Path, table: str, n_rows: int, built: str) -> None:
    text = path.read_text(encoding="utf-8")
    block = (
        f"{README_START}\n"
        f"`gazetteer_built.tsv` ({n_rows} rows, built {built}) by region and type:\n\n{table}\n{README_END}"
    )
    if README_START in text:
        before, rest = text.split(README_START, 1)
        after = rest.split(README_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


HEADER = """# Built gazetteer: people, places and bodies from offline, licensed sources.
#
# Generated by scripts/build_gazetteer.py on {built}; do not edit by hand (correct a row by
# adding it to gazetteer_curated.tsv, which overrides this file). Rebuild:
#     pip install -e ".[build]" && python scripts/build_gazetteer.py{args}
# Loaded only on request: Resources(built_gazetteer=True) merges these rows under the curated
# ones; a built row is replaced by a curated row of the same entity (same canonical form or a
# curated variant, same wikidata id, or a shared English form).
#
# Sources:
#   wikidata  people: Wikidata labels (CC0 1.0) as indexed in the names.sqlite3 of
#             arabic-name-romanizer {romanizer} (index built {index_built}); rows whose Arabic is a
#             well-formed Arabic full name (two name units or more, Arabic letters only), whose
#             English or French label is a clear full name and spells the Arabic (the package's
#             own unit alignment, nothing left over). Labels linked by a shared spelling form one
#             entity; the most used Arabic spelling is canonical, the others are variants; groups
#             of more than {max_ar} Arabic spellings or {max_en} English names (several people) are
#             dropped. At most {cap} people per country (the best known first: most labels, then a
#             stable hash of the name), so that no country's people outweigh the rest.
#             The index stores Arabic as a key without hamza seats, ى or ة; the display
#             spelling was restored word by word (hamza on the first alef of a word or after its
#             article, final ى in words of four letters or more, final ة) choosing the spelling
#             most used in Arabic text (wordfreq {wordfreq}, Arabic list; CC BY-SA 4.0, used to
#             choose, nothing copied), the curated gazetteer's own spellings first. On held-out
#             Wikidata name tokens the restored spelling is the usual one 95.8% of the time (the
#             bare key: 86.7%); every spelling folds to the same letters for matching anyway.
#   cldr      countries, territories, the EU and the UN, and the cities that name time zones:
#             Unicode CLDR {cldr} Arabic and English names, read through babel {babel} (CLDR data:
#             Unicode License v3, https://www.unicode.org/license.txt; babel: BSD-3-Clause).
#             Bracketed parts of country names are dropped (ميانمار (بورما) → ميانمار); cities
#             whose English name is no longer their time-zone id (Asia/Calcutta, Kolkata) are left
#             out, since their Arabic may be the old name, and so are cities with a bracketed
#             Arabic name (هيبرون (مدينة الخليل)).
# Not used: pycountry (its Arabic country names come from Debian iso-codes under LGPL-2.1,
# which cannot be shipped in an Apache-2.0 table; it has no Arabic for subdivisions).
#
# Columns: those of gazetteer_curated.tsv (canonical, english, type, variants, titles,
# wikidata, note; see references/README.md) and
#   region   the region of the country, from references/regions.tsv (World for the EU and the UN)
#   country  ISO 3166-1 alpha-2 code (for people: the country most of their labels carry; for
#            cities: the country of their IANA time zone, which is not a statement on sovereignty)
#   source   wikidata or cldr (above)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REFERENCES / "gazetteer_built.tsv")
    ap.add_argument("--readme", type=Path, default=REFERENCES / "README.md", help="where the coverage statement goes")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite the coverage statement")
    ap.add_argument("--cap", type=int, default=1500, help="most people kept per country (0: no cap)")
    ap.add_argument("--date", default=None, help="build date to record (default: today, UTC)")
    args = ap.parse_args(argv)
    try:
        from importlib.metadata import version

        import arabic_name_romanizer
        import babel
        import wordfreq
    except ImportError as exc:
        print(f"{exc.name} is missing: pip install -e '.[build]'", file=sys.stderr)
        return 2
    from arabic_name_romanizer.normalize import lookup_key

    from mtaudit.knowledge.resources import read_tsv
    from mtaudit.names import ENTITY_TYPES

    built = args.date or date.today().isoformat()
    regions = read_regions()
    db = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    index_built = dict(con.execute("select key, value from meta")).get("built", "?")
    con.close()

    # The curated gazetteer's spellings of name words win over word frequency.
    preferred: dict[str, str] = {}
    for r in read_tsv(REFERENCES / "gazetteer_curated.tsv"):
        for form in [r["canonical"], *r["variants"].split("|")]:
            for w in form.split():
                if set(w) <= ARABIC_LETTERS:
                    preferred.setdefault(lookup_key(w), w)
    restore = Restorer(wordfreq.get_frequency_dict("ar"), preferred)

    stats: Counter = Counter()
    rows = person_rows(people(db, stats), restore, unit_people(db), regions, args.cap, stats) + place_rows(regions, stats)
    rows = merge_duplicates(rows, stats)
    for r in rows:
        assert r["type"] in ENTITY_TYPES and r["english"] and r["canonical"], r
        for col in COLUMNS:
            assert "\t" not in r[col] and "\n" not in r[col], r

    cli_args = "" if args.cap == 1500 else f" --cap {args.cap}"
    head = HEADER.format(
        built=built,
        args=cli_args,
        romanizer=version("arabic-name-romanizer"),
        index_built=index_built,
        max_ar=MAX_ARABIC_FORMS,
        max_en=MAX_ENGLISH_FORMS,
        cap=args.cap or "no limit of",
        wordfreq=version("wordfreq"),
        cldr=getattr(babel.core, "get_cldr_version", lambda: "?")(),
        babel=babel.__version__,
    )
    body = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
    args.out.write_text(head + body, encoding="utf-8")

    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    header, lines = coverage(rows)
    table = markdown_table(header, lines)
    print(f"wrote {len(rows)} rows to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)\n\n{table}")
    if not args.no_readme:
        write_readme(args.readme, table, len(rows), built)
        print(f"coverage statement written to {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
