#!/usr/bin/env python3
"""Fit the confidence models of name-garbled and name-source on labelled findings; print their reliability.

Labelled data (nothing here is read at audit time):

- **errors (label 1)**: English-mediated garbles of gazetteer names put into sentences in
  the contexts wire copy uses: with the name's title, as part of the full name, alone with
  the entity written right elsewhere in the article, alone with an English source naming
  it, alone with no evidence at all, with every part of the name garbled, and alone with
  the family name written right in another sentence (since 2026-12-02, second stop). Garbles come from two processes unlike the
  scorer: the rule reader ``latin_to_arabic`` of the English form (Asaad → اساد) and
  random edits of the classes English causes (a vowel lengthened, ع ح ء dropped or turned
  into alef, ح written ه, the article dropped).
- **false alarms (label 0)**: every candidate that passes the evidence gates on clean copy:
  FLORES-200 devtest and TICO-19 human Arabic, SemEval-2025 entity-aware MT human targets
  (each with and without its English source), and the human seeds 000, 001, 003, 004;
  and, because clean copy rarely brings a foreign name near a gazetteer one, hard cases:
  real people's name words from Wikidata (../shared/data/wikidata_person_names, correct
  Arabic spellings of other people) that spell close to a gazetteer name, put in the
  contexts of that name (after its title, in place of its surname beside its first name,
  in an article that names it, with an English source naming the real person, and in an
  article that writes the listed person's family name alone in another sentence): 12,000
  such contexts (4,000 before 2026-12-02), so that the held-out part has rows between 0.1
  and 0.9; and people no gazetteer lists whose two real
  name words (Wikidata) each spell close to a part of one gazetteer person, side by side
  in that person's order (pair_negatives, since 2026-12-02): every part of such a name
  looks garbled, the shape of the strongest target-only evidence (a garbled part of the
  same name beside the word), which no single-word hard case shows;
- **real MT (either label)**: every candidate on the build half of HPLT's MT of FLORES-200
  (scripts/name_benchmark.py's real-MT row, with and without source), labelled by
  name_benchmark.judge_against_reference against the human reference (none pass the
  gates today: the part is there so that a change that lets them through is fitted on).

Features (mtaudit.names.garbles.Evidence): the spelling fit and the evidence gates' facts,
the transliteration model's gaps, and since 2026-12-02 (third stop) the count of each class
of edit on a cheapest channel path from the name to the word
(mtaudit.names.channel.channel_edits: letters added before or after the name, vowels added
inside it, long vowels, weak letters or consonants lost, letters changed), so that the
channel's edit costs are weighed on data rather than by hand (each class as present or
not). Tried as well and not kept: a naive Bayes "sounded out or written right" score of
the word's letters (fitted weight about -0.1, no change on the benchmark), and a
character 4-gram model of right name spellings (the word's per-letter log-probability
against the listed name's): trained without the words near a gazetteer person, as it must
be to be measured on them, it ranked a held-out right spelling above its sounded-out
reading half the time and moved the benchmark by about 2 findings per 10,000 words.

name-source's model (``--only source``) is fitted on corrupted SemEval pairs (errors)
against what the check raises on clean copy with a source: the clean pairs, every other
FLORES, TICO-19 and SemEval line, legitimate variation (the given name left out, another
rendering), and clean sentences naming people no gazetteer lists, written as Wikidata or
Google's pairs spell them (words of the transliteration held-out split:
attested_name_sentences), where a word that shares the name's consonants but no model
reading of it stands in the surname's place (ذكري for Zekri); its ``resembles`` feature
(mtaudit.names.garble_pair.skeleton_similarity) says how much it does. Its probability
holds for the mix it is fitted at, printed and kept in the model's note (since 2026-12-02,
third stop): per SemEval pair the clean pair and one corruption of each kind, and one
sentence naming people no gazetteer lists per two pairs (``NAMED_PER_PAIR``, the density
scripts/name_benchmark.py draws them at). The check runs as it audits, with the
garble-pair and western-garble models, whose findings carry their own probability and
are not this model's rows.

Fixed held-out split: an entity is held out when crc32 of its canonical form is 0 mod 4
(its synthetic garbles are never fitted on); a clean-copy line or a Wikidata name word is
held out when crc32 of its id is 0 mod 4 (a pair negative: of its two words; an HPLT article:
crc32 of its url mod 2 is 1, the benchmark's held-out half, never fitted on). The model is
fitted on the rest and the reliability table is printed for both parts. The fitted weights
replace the ``name-source`` and ``name-garbled`` rows of references/calibration.tsv.
(name-garbled's refit was not written between two stops of 2026-12-02: without the pair
negatives and the ``neighbour_naive_gap`` feature it dropped seed 002's الشاد, beside
باشار, under the reporting threshold.)

    python scripts/fit_name_confidence.py [--shared ../shared] [--dry-run] [--only garbled|source]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mtaudit.knowledge.calibration import (  # noqa: E402
    expected_calibration_error,
    fit,
    reliability_table,
    write_models,
)
from mtaudit.knowledge.resources import Resources  # noqa: E402
from mtaudit.names.channel import latin_to_arabic  # noqa: E402
from mtaudit.names.garbles import find_garbles  # noqa: E402
from mtaudit.text.normalize import fold  # noqa: E402
from mtaudit.text.tokens import tokenize  # noqa: E402

MODEL = "name-garbled"
#: contexts of real names of other people near a gazetteer name (hard_negatives): 12,000 (was
#: 4,000) so that the held-out part has rows between 0.1 and 0.9 to show its calibration
HARD_NEGATIVES = 12_000
#: clean sentences naming people no gazetteer lists per SemEval pair, in name-source's fit
#: and in scripts/name_benchmark.py alike (since 2026-12-02, third stop; before, the fit read
#: every such sentence the held-out words make, 3,713 for 3,000 pairs, and the benchmark 300
#: for 1,200, a fifth of the fit's density: its findings were right more often than their
#: probability said, a prior shift of about +1.5 in the logit). One per two pairs: Google's
#: test file, which the benchmark reads, makes 838 such sentences, enough for 1,200 pairs.
NAMED_PER_PAIR = 0.5
SOURCE_MODEL = "name-source"
#: name-garbled's ridge penalty: at 1.0 (name-source's) its 30 features' weights shrink so far
#: that the build rows themselves are S-shaped (0.1-0.3 predicted 0.11-0.12 too high, 0.3-0.6
#: up to 0.15 too low; 2026-12-02, third stop); at 0.3 every build bin is within 0.1
GARBLED_L2 = 0.3

_FILLERS = [
    "وقال {x} للصحفيين إن المحادثات كانت مثمرة.",
    "وأضاف {x} أن الاجتماع سيعقد الأسبوع المقبل في العاصمة.",
    "والتقى {x} وفداً رسمياً يوم الثلاثاء لبحث التعاون الاقتصادي.",
    "وأكد {x} في بيان أن الحكومة ستواصل جهودها.",
]


def held_out(key: str) -> bool:
    return zlib.crc32(key.encode("utf-8")) % 4 == 0


# Letters English spells alike, so that a round trip through English confuses them (الأسد →
# الشاد: s and sh; ط → ت, ض → د, ق → ك, ص → س, ث → س or ت, ذ → ز or د).
_SPELLED_ALIKE = {"س": "شص", "ص": "س", "ش": "س", "ط": "ت", "ض": "د", "ق": "ك", "ث": "ست", "ذ": "زد", "ظ": "ز", "خ": "ك"}


def _random_garble(word: str, rng: random.Random) -> str:
    """One or two edits of the kinds English-mediated MT makes, at random."""
    w = word
    for _ in range(rng.choice((1, 1, 2))):
        ops = []
        for i, ch in enumerate(w):
            if ch in "عءح":
                ops.append(("drop", i))
                ops.append(("alef", i))
            if ch == "ح":
                ops.append(("heh", i))
            if i > 0 and ch not in "اوي" and i + 1 < len(w) and w[i + 1] not in "اوي":
                ops.append(("vowel", i))
            if ch in _SPELLED_ALIKE:
                ops.append(("alike", i))
        if w.startswith("ال") and len(w) > 4:
            ops.append(("article", 0))
        if not ops:
            break
        op, i = rng.choice(ops)
        if op == "drop":
            w = w[:i] + w[i + 1 :]
        elif op == "alef":
            w = w[:i] + "ا" + w[i + 1 :]
        elif op == "heh":
            w = w[:i] + "ه" + w[i + 1 :]
        elif op == "vowel":
            w = w[: i + 1] + "ا" + w[i + 1 :]
        elif op == "article":
            w = w[2:]
        elif op == "alike":
            w = w[:i] + rng.choice(_SPELLED_ALIKE[w[i]]) + w[i + 1 :]
    return w


#: the contexts of synthetic_errors, in order (the fifth gives no evidence: the gates must reject it)
CONTEXTS = ("title", "full name", "written elsewhere", "source names it", "no evidence", "every part garbled", "family name elsewhere")


def synthetic_errors(gaz, rng: random.Random, with_context: bool = False):
    """(is_held_out, article text, source or None, folded garbled word) per garble, and with
    ``with_context`` the index of its context in CONTEXTS."""
    out = []
    for ent in gaz.entities:
        if ent.type != "person":
            continue
        arabic = ent.canonical.split()
        english_full = next((e for e in ent.english if len(e.split()) == len(arabic)), None)
        for idx, part in enumerate(arabic):
            if len(fold(part)) < 3:
                continue
            garbles = {_random_garble(fold(part), rng)}
            if english_full:
                garbles.add(latin_to_arabic(english_full.split()[idx]))
            for garbled in sorted(garbles):  # a set: sorted, so that the random draws repeat
                if not garbled or gaz.is_accepted(garbled):
                    continue  # a rendering that is an accepted spelling is no garble
                name = " ".join(garbled if k == idx else w for k, w in enumerate(arabic))
                title = ent.titles[0] if ent.titles else ""
                filler = rng.choice(_FILLERS)
                contexts = [
                    (filler.format(x=f"{title} {name}".strip()), None),
                    (filler.format(x=name), None),
                    (f"{filler.format(x=f'{title} {ent.canonical}'.strip())} {rng.choice(_FILLERS).format(x=garbled)}", None),
                    (rng.choice(_FILLERS).format(x=garbled), " ".join(ent.english[:1]) + " said the talks were useful."),
                    (rng.choice(_FILLERS).format(x=garbled), None),
                ]
                kinds = list(range(len(contexts)))
                if len(arabic) > 1:
                    # every part garbled, as raw MT does (آساد الشيباني, باشار الشاد)
                    everything = " ".join(garbled if k == idx else _random_garble(fold(w), rng) for k, w in enumerate(arabic))
                    contexts.append((filler.format(x=everything), None))
                    # the garble alone, the family name written right in another sentence (wire
                    # copy's second reference: "... Assad fled"), since 2026-12-02 (second stop)
                    contexts.append((f"{rng.choice(_FILLERS).format(x=garbled)} {rng.choice(_FILLERS).format(x=arabic[-1])}", None))
                    kinds += [5, 6]
                for k, (text, source) in zip(kinds, contexts):
                    out.append((held_out(ent.canonical), text, source, garbled) + ((k,) if with_context else ()))
    return out


def hard_negatives(gaz, shared: Path, rng: random.Random, limit: int = 4000):
    """(is_held_out, article text, source or None, folded word) for real names of other
    people that spell close to a gazetteer name, in that name's contexts."""
    from mtaudit.names.garbles import candidates
    from mtaudit.text.frequency import arabic_zipf

    path = shared / "data/wikidata_person_names/wd_arabic.normalized.aligned.tokens"
    out = []
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        english, word = cells[0], fold(cells[1].replace(" ", ""))
        if word in seen or len(word) < 3 or gaz.is_accepted(word) or arabic_zipf(word) >= 3.0:
            continue
        seen.add(word)
        near = [c for c in candidates(word, gaz) if c.entity.type == "person"]
        if not near:
            continue
        c = near[0]
        ent, arabic = c.entity, c.entity.canonical.split()
        idx = c.part.index if c.part.form_length == len(arabic) else len(arabic) - 1
        beside = " ".join(word if k == idx else w for k, w in enumerate(arabic))
        title = ent.titles[0] if ent.titles else ""
        contexts = [
            (rng.choice(_FILLERS).format(x=f"{title} {word}".strip()), None),
            (rng.choice(_FILLERS).format(x=beside), None),
            (f"{rng.choice(_FILLERS).format(x=ent.canonical)} {rng.choice(_FILLERS).format(x=word)}", None),
            (rng.choice(_FILLERS).format(x=word), english.title() + " said the talks were useful."),
        ]
        if len(arabic) > 1:  # the person's family name alone in another sentence
            contexts.append((f"{rng.choice(_FILLERS).format(x=word)} {rng.choice(_FILLERS).format(x=arabic[-1])}", None))
        for text, source in contexts:
            out.append((held_out(word), text, source, word))
        if len(out) >= limit:
            break
    return out


def pair_negatives(gaz, shared: Path, rng: random.Random, limit: int = 3000):
    """(is_held_out, article text, source or None, folded word) for people no gazetteer
    lists whose given name and surname each spell close to a part of one gazetteer person
    (two real Wikidata name words, in that person's order), so that every part of the name
    looks garbled: the negatives of the strongest target-only evidence, a garbled part of
    the same name beside the word (adjacent_garbled), which the hard negatives, each a single
    real name, never show. The row is the second word; held out by crc32 of the pair."""
    from mtaudit.names.garbles import candidates
    from mtaudit.text.frequency import arabic_zipf

    path = shared / "data/wikidata_person_names/wd_arabic.normalized.aligned.tokens"
    near: dict[tuple[int, int], list[str]] = {}  # (entity, part index) → real words near it
    entities = {}
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        word = fold(cells[1].replace(" ", ""))
        if word in seen or len(word) < 3 or gaz.is_accepted(word) or arabic_zipf(word) >= 3.0:
            continue
        seen.add(word)
        for c in candidates(word, gaz):
            ent = c.entity
            if ent.type == "person" and c.part.form_length == len(ent.canonical.split()) > 1:
                entities[id(ent)] = ent
                near.setdefault((id(ent), c.part.index), []).append(word)
    out = []
    for key in sorted(near, key=lambda k: (entities[k[0]].canonical, k[1])):
        ent_id, idx = key
        if idx == 0 or (ent_id, idx - 1) not in near:
            continue
        for second in near[key][:3]:
            first = rng.choice(near[(ent_id, idx - 1)])
            text = rng.choice(_FILLERS).format(x=f"{first} {second}")
            out.append((held_out(f"{first} {second}"), text, None, second))
        if len(out) >= limit:
            break
    return out


def hplt_build_articles(shared: Path):
    """(False, HPLT MT article, source or None, human reference) for the build half of the
    benchmark's real-MT row (name_benchmark.hplt_articles), each with and without its source;
    nothing when the data is absent."""
    from name_benchmark import HPLT_TSV, hplt_articles

    if not (shared / HPLT_TSV).is_file():
        return []
    return [(False, a["hyp"], src, a["ref"]) for a in hplt_articles(shared) if not a["held"] for src in (None, a["src"])]


def judge_against_reference(flagged: str, suggestion: str, reference: str) -> bool:
    from name_benchmark import judge_against_reference as judge

    return judge(flagged, suggestion, reference)


def clean_copy(shared: Path):
    """(is_held_out, id, text, source) of every clean line, each also without its source."""
    data = shared / "data"
    items = []
    flores_en = (data / "flores200/eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    flores_ar = (data / "flores200/arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    items += [(f"flores:{i}", ar, en) for i, (en, ar) in enumerate(zip(flores_en, flores_ar))]
    tico_en = (data / "tico19/tico19-test.en").read_text(encoding="utf-8").splitlines()
    tico_ar = (data / "tico19/tico19-test.ar").read_text(encoding="utf-8").splitlines()
    items += [(f"tico:{i}", ar, en) for i, (en, ar) in enumerate(zip(tico_en, tico_ar))]
    for line in (data / "semeval2025_eamt_train/train.ar.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            items.append((f"semeval:{r['id']}", r["target"], r["source"]))
    for seed in sorted((shared / "seeds").glob("00[0134]_*.txt")):
        items.append((f"seed:{seed.stem}", seed.read_text(encoding="utf-8"), None))
    out = []
    for key, text, source in items:
        out.append((held_out(key), key, text, source))
        if source:
            out.append((held_out(key), key + ":nosource", text, None))
    return out


_LOST_IN_LATIN = set("عحءضظذثصطق")
_SENTENCE = ("President {e} said the talks were useful.", "قال الرئيس {a} إن المحادثات كانت مفيدة.")


def unlisted_name_sentences(path: Path, gaz, rng: random.Random, limit: int):
    """(source, clean target, garbled target, garbled word) for two-word names of a Google
    transliteration file that no gazetteer entry has, whose surname is Arabic (its Arabic
    spelling has a letter that sounding out the Latin spelling loses), the surname replaced
    by its rule-reader rendering: "President X Y said ..." / "قال الرئيس ...". Given names
    and surnames are drawn from the two halves of the shuffled file; at most ``limit``
    names (scripts/name_benchmark.py reads the test file, the fit the eval file)."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 2 and cells[1].isalpha():
            pairs.append((fold(cells[0]), cells[1].capitalize()))
    rng.shuffle(pairs)
    given, surnames = pairs[: len(pairs) // 2], pairs[len(pairs) // 2 :]
    out, kept = [], 0
    for (ga, ge), (sa, se) in zip(given, surnames):
        if kept >= limit:
            break
        if gaz.is_accepted(sa) or gaz.is_accepted(ga):
            continue
        # Arabic names only: for the many Western names the rule reading is an ordinary
        # variant, not a garble
        if not set(sa) & _LOST_IN_LATIN:
            continue
        kept += 1
        garbled = latin_to_arabic(se).replace(" ", "")
        if garbled == sa or not garbled:
            continue
        src = _SENTENCE[0].format(e=f"{ge} {se}")
        out.append((src, _SENTENCE[1].format(a=f"{ga} {sa}"), _SENTENCE[1].format(a=f"{ga} {garbled}"), garbled))
    return out


def attested_name_sentences(words: list[str], attested: dict, gaz, rng: random.Random, limit: int):
    """(source, target) with two-word names of people no gazetteer lists, each word written
    the way Wikidata or Google's transliteration pairs spell it (its most frequent attested
    spelling; again with the surname's second spelling when there is one: another
    rendering of the same name), in "President X Y said ..." / "قال الرئيس ...". Clean copy
    with the names an MT check has never seen, Western and Arabic alike: what name-source
    raises there is a false alarm. ``words`` are Latin words the transliteration model never
    saw (its held-out split: the fit reads Google's eval file and Wikidata's held-out
    words, scripts/name_benchmark.py Google's test file); ``attested`` maps each to its
    spellings' counts (fit_garble_pair.load_pairs). At most ``limit`` names."""
    words = sorted(w for w in words if len(w) >= 3 and w.isalpha())
    rng.shuffle(words)
    out = []
    for given, surname in zip(words[::2], words[1::2]):
        if len(out) >= limit:
            break
        ga = attested[given].most_common(1)[0][0]
        spellings = [a for a, _ in attested[surname].most_common(2)]
        if gaz.is_accepted(ga) or any(gaz.is_accepted(a) for a in spellings):
            continue
        src = _SENTENCE[0].format(e=f"{given.capitalize()} {surname.capitalize()}")
        out.extend((src, _SENTENCE[1].format(a=f"{ga} {a}")) for a in spellings)
    return out


def _replace_span(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def source_corruptions(records, gaz, translit, rng: random.Random):
    """(is_held_out, source, target, corrupted name text or None, kind) for SemEval pairs: the
    clean pair, and per pair with a rendered person name one corruption of each kind:
    garbled (rule reading of the English word, or random English-mediated edits), dropped,
    replaced by a common word, replaced by a gazetteer person the source does not name."""
    from wordfreq import top_n_list

    from mtaudit.names.source_names import render, source_names

    common = [w for w in top_n_list("ar", 3000) if len(w) >= 4 and not gaz.is_accepted(fold(w))][200:1200]
    persons = [e for e in gaz.entities if e.type == "person"]
    out = []
    for r in records:
        held = held_out(r["id"])
        source, target = r["source"], r["target"]
        out.append((held, source, target, None, "clean"))
        tokens = tokenize(target)
        rendered = []
        for name in source_names(source, gaz):
            if not name.person_like or getattr(name, "common_surname", False):
                continue  # a common word after a given name (Emma Stone) is judged for half translation only
            for w in (name.words[0], name.words[-1]):
                res = render(w, name, tokens, gaz, translit)
                if res.status == "rendered" and res.token is not None and " " not in res.token.text:
                    rendered.append((name, w, res))
        if not rendered:
            continue
        name, word, res = rng.choice(rendered)
        t = res.token
        head = t.text[: len(res.clitic)]
        bare = word.split("-")[-1]
        garbled = rng.choice([split_article_free(latin_to_arabic(bare)), _random_garble(fold(t.text[len(res.clitic):]), rng)])
        if garbled and not gaz.is_accepted(garbled) and garbled != fold(t.text[len(res.clitic):]):
            out.append((held, source, _replace_span(target, t.start, t.end, head + garbled), name.text, "garbled"))
        spans = sorted({(x.token.start, x.token.end) for n, _, x in rendered if n is name}, reverse=True)
        dropped = target
        for a, b in spans:
            dropped = _replace_span(dropped, a, b, "")
        # dropped: every word of the name goes; with a word the matcher did not see as
        # rendered left behind (إيستود of Clint Eastwood), the case would be the given name
        # left out, which is Arabic usage (ok:given-dropped), not a dropped name
        if {w for n, w, _ in rendered if n is name} == {name.words[0], name.words[-1]}:
            out.append((held, source, " ".join(dropped.split()), name.text, "dropped"))
        out.append((held, source, _replace_span(target, t.start, t.end, head + rng.choice(common)), name.text, "common-word"))
        # variation that is not an error: the given name left out, another rendering the
        # model finds nearly as likely as its best (labelled 0 whatever is reported)
        first = [x for n, w, x in rendered if n is name and w == name.words[0] and len(name.words) > 1]
        if first:
            out.append((held, source, " ".join(_replace_span(target, first[0].token.start, first[0].token.end, "").split()), name.text, "ok:given-dropped"))
        alternatives = [a for a, _ in translit.nbest(bare, 3)[1:] if a != fold(t.text[len(res.clitic):])]
        if alternatives:
            out.append((held, source, _replace_span(target, t.start, t.end, head + alternatives[0]), name.text, "ok:variant"))
        other = rng.choice(persons)
        if not gaz.mentioned_in(other, source):
            out.append((held, source, _replace_span(target, t.start, t.end, head + other.canonical.split()[-1]), name.text, "other-name"))
    return out


GLOSSES = ROOT / "scripts" / "data" / "english_word_glosses.tsv"


def _glosses() -> dict[str, str]:
    out = {}
    for line in GLOSSES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, arabic = line.split("\t")
            out[english] = arabic
    return out


def half_translations(records, gaz, translit, seed: int = 31):
    """(is_held_out, source, corrupted target, name text, "half-translated") for SemEval
    pairs with a rendered person's name of two or more words one of whose first and last
    words is an English word (scripts/data/english_word_glosses.tsv): that word's rendering
    replaced by the word's Arabic meaning, with or without the article, as MT that
    translates a name part writes it (Stone → حجر). One corruption per pair at most; its own
    random draws (``seed``), so that the other kinds' cases do not change."""
    from mtaudit.names.source_names import render, source_names

    glosses = _glosses()
    rng = random.Random(seed)
    out = []
    for r in records:
        source, target = r["source"], r["target"]
        tokens = tokenize(target)
        found = []
        for name in source_names(source, gaz):
            if not name.person_like or len(name.words) < 2:
                continue
            for w in {name.words[0], name.words[-1]}:
                gloss = glosses.get(w.lower())
                if not gloss:
                    continue
                res = render(w, name, tokens, gaz, translit)
                if res.status == "rendered" and res.token is not None and " " not in res.token.text and res.token.is_arabic:
                    found.append((name, gloss, res))
        if not found:
            continue
        name, gloss, res = found[rng.randrange(len(found))]
        t = res.token
        head = t.text[: len(res.clitic)]
        article = "ال" if rng.random() < 0.5 and not gloss.startswith("ال") and " " not in gloss else ""
        out.append((held_out(r["id"]), source, _replace_span(target, t.start, t.end, head + article + gloss), name.text, "half-translated"))
    return out


def split_article_free(word: str) -> str:
    return word.replace(" ", "")


def fit_source_model(shared: Path, gaz, rng: random.Random, dry_run: bool, limit: int):
    from mtaudit.names.garble_pair import MODEL_NAME as GARBLE_PAIR
    from mtaudit.names.source_names import check_unit
    from mtaudit.names.transliteration import default_model
    from mtaudit.names.western_garble import MODEL_NAME as WESTERN_GARBLE

    translit = default_model()
    pair_model = Resources().confidence_model(GARBLE_PAIR)
    western_model = Resources().confidence_model(WESTERN_GARBLE)
    records = [json.loads(x) for x in (shared / "data/semeval2025_eamt_train/train.ar.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    records = sorted(records, key=lambda r: zlib.crc32(r["id"].encode()))[:limit]
    items = source_corruptions(records, gaz, translit, rng)
    rows = []
    recall: dict[tuple[bool, str], list[int]] = {}
    clean_problems = {False: 0, True: 0}
    for held, source, target, corrupted, kind in items:
        # as the check runs it: a word standing for a name no list knows is judged by the
        # garble-pair model, whose probability is the finding's own (not this model's rows)
        problems = [p for p in check_unit(source, tokenize(target), gaz, translit, pair_model, western_model) if p.probability is None]
        if corrupted is None:
            clean_problems[held] += len(problems)
            rows.extend((held, p.features, 0, "SemEval clean pair") for p in problems)
            continue
        hits = [p for p in problems if p.name.text == corrupted]
        recall.setdefault((held, kind), []).append(int(bool(hits)))
        label = 0 if kind.startswith("ok:") else 1
        rows.extend((held, p.features, label, f"SemEval {kind}") for p in hits[:1])
    # names no gazetteer knows, garbled through English (Google's eval file; the benchmark
    # reads its test file): the garbled kind, which SemEval's Western names hardly give
    unlisted = unlisted_name_sentences(shared / "data/google_transliteration/ar2en-eval.txt", gaz, random.Random(29), 10_000)
    for src, clean, garbled_target, garbled in unlisted:
        held = held_out(src)
        found = [p for p in check_unit(src, tokenize(garbled_target), gaz, translit, pair_model, western_model) if p.probability is None]
        hits = [p for p in found if p.token is not None and p.token.folded.endswith(garbled)]
        recall.setdefault((held, "unlisted-garbled"), []).append(int(bool(hits)))
        rows.extend((held, p.features, 1, "unlisted garbled") for p in hits[:1])
        problems = [p for p in check_unit(src, tokenize(clean), gaz, translit, pair_model, western_model) if p.probability is None]
        clean_problems[held] += len(problems)
        rows.extend((held, p.features, 0, "unlisted clean") for p in problems)
    # real names nobody lists, spelled as Wikidata or Google's pairs spell them (words of the
    # transliteration model's held-out split; the benchmark reads Google's test file instead):
    # the false alarms a name the model has not seen draws, Western or Arabic
    from fit_garble_pair import load_pairs

    spelled, parts = load_pairs(shared)
    unseen_words = parts["google_eval"] + parts["wikidata_heldout"]
    named = attested_name_sentences(unseen_words, spelled, gaz, random.Random(31), round(NAMED_PER_PAIR * len(records)))
    named_alarms = {False: 0, True: 0}
    for src, clean in named:
        held = held_out(clean)
        problems = [p for p in check_unit(src, tokenize(clean), gaz, translit, pair_model, western_model) if p.probability is None]
        named_alarms[held] += len(problems)
        rows.extend((held, p.features, 0, "named unlisted") for p in problems)
    print(f"name-source: {len(named)} clean sentences naming people no gazetteer lists (attested spellings): "
          f"problems {named_alarms[False]} build / {named_alarms[True]} held out")
    # every other clean line with a source (FLORES, TICO-19, the SemEval pairs not read above):
    # what the check raises there is a false alarm
    seen = {f"semeval:{r['id']}" for r in records}
    lines = alarms = 0
    for held, key, text, source in clean_copy(shared):
        if source is None or key in seen:
            continue
        lines += 1
        problems = [p for p in check_unit(source, tokenize(text), gaz, translit, pair_model, western_model) if p.probability is None]
        alarms += len(problems)
        rows.extend((held, p.features, 0, "clean line") for p in problems)
    print(f"\nname-source: {len(records)} SemEval pairs and {len(unlisted)} unlisted names (Google eval) garbled; "
          f"problems on the clean pairs: {clean_problems[False]} build / {clean_problems[True]} held out; "
          f"on {lines} further clean lines with source (FLORES, TICO-19, other SemEval pairs): {alarms}")
    for (held, kind), hits in sorted(recall.items()):
        what = "flagged (false alarm)" if kind.startswith("ok:") else "found"
        print(f"  {'held out' if held else 'build':8} {kind:17} {what} {sum(hits):4} / {len(hits):4} = {sum(hits) / len(hits):.2f}")
    # The probability holds for this mix of errors and false alarms among the problems the
    # check raises (a benchmark at another mix sees a prior shift): printed, and kept in the
    # model's note.
    mix = "build mix: " + source_mix([(f, y, what) for h, f, y, what in rows if not h])
    print(mix)
    note = ("scripts/fit_name_confidence.py: corrupted SemEval-2025 EA-MT pairs (garbled, dropped, replaced) and garbled "
            f"unlisted names vs problems on clean pairs, clean lines and sentences naming unlisted people; {mix}")
    model = fit_and_report(SOURCE_MODEL, [(h, f, y) for h, f, y, _ in rows], note)
    print_bins_by_kind(model, [(f, y, what) for h, f, y, what in rows if h], "held out")
    return model


def source_mix(rows: list[tuple[dict, int, str]]) -> str:
    """The mix of labelled problems, errors and false alarms per kind: "N errors of M problems (...)"."""
    counts: dict[str, list[int]] = {}
    for _, y, what in rows:
        counts.setdefault(what, [0, 0])[y] += 1
    errors = sum(c[1] for c in counts.values())
    parts = ", ".join(f"{what} {c[1] or c[0]}" for what, c in sorted(counts.items(), key=lambda kv: -sum(kv[1])))
    return f"{errors} errors of {len(rows)} problems ({parts})"


def print_bins_by_kind(model, rows: list[tuple[dict, int, str]], part: str) -> None:
    """Per equal-width bin of predicted probability, the rows of each kind (errors / false
    alarms): where the fit's false alarms sit, for reading a benchmark's reliability gap."""
    table: dict[int, dict[str, list[int]]] = {}
    for f, y, what in rows:
        b = min(9, int(model.probability(f) * 10))
        table.setdefault(b, {}).setdefault(what, [0, 0])[y] += 1
    print(f"\n{part} rows per bin and kind (errors/false alarms):")
    for b in sorted(table):
        print(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}: " + "; ".join(f"{w} {c[1]}/{c[0]}" for w, c in sorted(table[b].items())))


EQUAL_COUNT = 100  # rows per bin of the equal-count reliability table (at least)
MAX_EQUAL_COUNT_BINS = 20  # ... and at most this many bins (larger bins for more rows)
FEW_ROWS = 30  # an equal-width bin with fewer rows is reported as such: its gap means little


def wilson(observed: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% (Wilson score) interval of a binomial rate observed in ``n`` rows."""
    import math

    centre = (observed + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(observed * (1 - observed) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def format_equal_width(probs: list[float], labels: list[int], bins: int = 10) -> str:
    """Reliability in equal-width bins of predicted probability, every non-empty bin shown
    with its count and the 95% interval of its observed rate; a bin within 0.1 of the
    diagonal is "ok", one with fewer than ``FEW_ROWS`` rows is marked "few rows" (its gap
    alone proves little: read the interval), and whether the prediction lies inside it."""
    table = reliability_table(probs, labels, bins)
    lines = ["  bin          n   predicted  observed  gap     95% interval  verdict"]
    for b in table:
        lo, hi = wilson(b.observed, b.count)
        gap = b.observed - b.predicted
        verdict = "ok" if abs(gap) <= 0.1 else "off by more than 0.1"
        if b.count < FEW_ROWS:
            verdict += f", few rows ({b.count})"
        verdict += "" if lo <= b.predicted <= hi else ", prediction outside the interval"
        lines.append(
            f"  {b.low:.1f}-{b.high:.1f}  {b.count:6d}   {b.predicted:8.3f}  {b.observed:8.3f}  {gap:+.3f}  "
            f"{lo:.3f}-{hi:.3f}   {verdict}"
        )
    return "\n".join(lines)


def print_and_write(model, dry_run: bool) -> None:
    """Print a fitted model's weights (largest first) and, unless ``dry_run``, write it into
    references/calibration.tsv (fit_garble_pair.py and fit_western_garble.py)."""
    print("\nweights:")
    for k, v in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {k:12} {v:+.3f}")
    print(f"  {'intercept':12} {model.intercept:+.3f}")
    if not dry_run:
        write_models(ROOT / "references/calibration.tsv", [model], "")
        print("written: references/calibration.tsv")


def report_pair_reliability(name: str, model, rows, positive: str, kinds: tuple[str, ...], cuts: tuple[float, ...] = (0.5, 0.8)) -> None:
    """Print a pair model's reliability on ``rows`` of (features, label, kind): equal-width
    and equal-count bins, then the share of each kind at or above each of ``cuts``
    (fit_garble_pair.py and fit_western_garble.py)."""
    probs = [model.probability(f) for f, _, _ in rows]
    labels = [y for _, y, _ in rows]
    table = reliability_table(probs, labels)
    print(f"\nreliability, {name} ({len(rows)} rows, {sum(labels)} {positive}), ECE {expected_calibration_error(table):.3f}")
    print(format_equal_width(probs, labels))
    print("  equal-count bins:")
    print(format_equal_count(probs, labels))
    width = max(len(k) for k in kinds)
    for what in kinds:
        ps = [p for p, (_, _, w) in zip(probs, rows) if w == what]
        if ps:
            shares = "  ".join(f"p>={c}: {sum(p >= c for p in ps) / len(ps):.3f}" for c in cuts)
            print(f"  {what:{width}} n={len(ps):5}  {shares}")


def format_equal_count(probs: list[float], labels: list[int]) -> str:
    """Reliability in bins of equal size (``EQUAL_COUNT`` rows, fewer bins than
    ``MAX_EQUAL_COUNT_BINS``), ordered by predicted probability, with the 95%
    interval of the observed rate (Wilson) and whether the prediction lies inside it."""
    order = sorted(range(len(probs)), key=lambda k: probs[k])
    n_bins = max(1, min(MAX_EQUAL_COUNT_BINS, len(order) // EQUAL_COUNT))
    lines = ["  predicted range     n   predicted  observed  gap     95% interval"]
    for b in range(n_bins):
        idx = order[b * len(order) // n_bins : (b + 1) * len(order) // n_bins]
        n = len(idx)
        pred = sum(probs[k] for k in idx) / n
        obs = sum(labels[k] for k in idx) / n
        lo, hi = wilson(obs, n)
        lines.append(
            f"  {probs[idx[0]]:.3f}-{probs[idx[-1]]:.3f}  {n:6d}   {pred:8.3f}  {obs:8.3f}  {obs - pred:+.3f}  "
            f"{lo:.3f}-{hi:.3f}{'' if lo <= pred <= hi else '  outside'}"
        )
    return "\n".join(lines)


def _shipped_model(name: str):
    from mtaudit.knowledge.calibration import read_models

    path = ROOT / "references/calibration.tsv"
    return read_models(path.read_text(encoding="utf-8-sig").splitlines(), str(path)).get(name) if path.is_file() else None


def fit_and_report(name: str, rows: list[tuple[bool, dict, int]], note: str, l2: float = 1.0):
    """Fit on the build rows (ridge penalty ``l2``), print the reliability of both parts and the weights."""
    build = [(f, y) for h, f, y in rows if not h]
    test = [(f, y) for h, f, y in rows if h]
    model = fit(name, [f for f, _ in build], [y for _, y in build], l2=l2, note=note)
    for part_name, part in (("build", build), ("held out", test)):
        probs = [model.probability(f) for f, _ in part]
        table = reliability_table(probs, [y for _, y in part])
        print(f"\nreliability, {part_name} ({len(part)} rows, {sum(y for _, y in part)} errors), "
              f"ECE {expected_calibration_error(table):.3f}")
        print(format_equal_width(probs, [y for _, y in part]))
        print(f"  equal-count bins (at least {EQUAL_COUNT} rows each; an equal-width bin of 10 rows cannot show a gap of 0.1):")
        print(format_equal_count(probs, [y for _, y in part]))
    shipped = _shipped_model(name)
    if shipped is not None and all(set(f) <= set(shipped.weights) for f, _ in test):
        probs = [shipped.probability(f) for f, _ in test]
        print("\nthe shipped model (references/calibration.tsv) on the held-out rows:")
        print(format_equal_width(probs, [y for _, y in test]))
        print(format_equal_count(probs, [y for _, y in test]))
    print("\nweights:")
    for k, v in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {k:18} {v:+.3f}")
    print(f"  {'intercept':18} {model.intercept:+.3f}")
    return model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--dry-run", action="store_true", help="fit and report, do not write calibration.tsv")
    ap.add_argument("--only", choices=("garbled", "source"), help="fit one of the two models")
    ap.add_argument("--pairs", type=int, default=3000, help="SemEval pairs for the name-source model")
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found", file=sys.stderr)
        return 2
    gaz = Resources().gazetteer
    models = []
    # each model its own random draws, so that its data do not depend on which others are fitted
    if args.only != "garbled":
        models.append(fit_source_model(args.shared, gaz, random.Random(13), args.dry_run, args.pairs))
    if args.only != "source":
        models.append(fit_garbled_model(args.shared, gaz, random.Random(13)))
    if not args.dry_run and models:
        write_models(ROOT / "references/calibration.tsv", models, "")
        print("written: references/calibration.tsv")
    return 0


def fit_garbled_model(shared: Path, gaz, rng: random.Random):
    from mtaudit.names.transliteration import default_model

    translit = default_model()
    rows: list[tuple[bool, dict, int]] = []  # (held out, features, label)
    errors = synthetic_errors(gaz, rng)
    found_errors = {False: 0, True: 0}
    for held, text, source, garbled in errors:
        hits = [g for g in find_garbles(tokenize(text), gaz, source, translit) if g.token.folded == garbled]
        found_errors[held] += bool(hits)
        for g in hits[:1]:
            rows.append((held, g.evidence.features(), 1))
    def false_alarms(contexts) -> dict[bool, int]:
        """Garbles found on the real name word of each (held, text, source, word) context,
        added to the fit's rows as errors; counted per half."""
        alarms = {False: 0, True: 0}
        for held, text, source, word in contexts:
            for g in find_garbles(tokenize(text), gaz, source, translit):
                if g.token.folded == word:
                    alarms[held] += 1
                    rows.append((held, g.evidence.features(), 0))
        return alarms

    hard = hard_negatives(gaz, shared, rng, HARD_NEGATIVES)
    hard_alarms = false_alarms(hard)
    print(f"real names of other people near a gazetteer name: {len(hard)} contexts; passing the gates "
          f"{hard_alarms[False]} build / {hard_alarms[True]} held out")
    pairs = pair_negatives(gaz, shared, rng)
    pair_alarms = false_alarms(pairs)
    print(f"two real name words of someone unlisted, each near a part of one gazetteer person: {len(pairs)} contexts; "
          f"passing the gates {pair_alarms[False]} build / {pair_alarms[True]} held out")
    mt = {False: [0, 0], True: [0, 0]}  # (candidates, right by the reference)
    for held, text, source, reference in hplt_build_articles(shared):
        for g in find_garbles(tokenize(text), gaz, source, translit):
            right = judge_against_reference(g.token.folded, g.candidate.part.folded, reference)
            mt[held][0] += 1
            mt[held][1] += right
            rows.append((held, g.evidence.features(), int(right)))
    print(f"candidates on HPLT's MT of FLORES (build half, with and without source): {mt[False][0]}, "
          f"{mt[False][1]} right by the human reference")
    alarms = {False: 0, True: 0}
    for held, key, text, source in clean_copy(shared):
        for g in find_garbles(tokenize(text), gaz, source, translit):
            alarms[held] += 1
            rows.append((held, g.evidence.features(), 0))
    total = {h: sum(1 for e in errors if e[0] == h) for h in (False, True)}
    print(f"synthetic garbles: {total[False]} build / {total[True]} held out; passing the gates "
          f"{found_errors[False]} / {found_errors[True]}")
    print(f"candidates on clean copy (false alarms before the model): {alarms[False]} build / {alarms[True]} held out")
    print("feature means (errors / false alarms):")
    for k in rows[0][1]:
        pos = [f[k] for _, f, y in rows if y]
        neg = [f[k] for _, f, y in rows if not y]
        print(f"  {k:18} {sum(pos) / max(len(pos), 1):7.3f} {sum(neg) / max(len(neg), 1):7.3f}")
    # The probability holds for this mix of garbles and look-alikes among the candidates that
    # pass the gates (a benchmark at another mix sees a prior shift): printed and kept in
    # the model's note.
    build_rows = [y for h, _, y in rows if not h]
    mix = (f"build mix: {sum(build_rows)} garbles of {len(build_rows)} gate-passing candidates "
           f"({found_errors[False]} synthetic, {mt[False][1]} HPLT; look-alikes: {hard_alarms[False]} hard, "
           f"{pair_alarms[False]} pair, {alarms[False]} clean copy, {mt[False][0] - mt[False][1]} HPLT)")
    print(mix)
    note = ("scripts/fit_name_confidence.py: synthetic garbles of gazetteer names vs gate-passing candidates on FLORES, TICO, "
            f"SemEval, human seeds, hard and pair negatives from Wikidata names, HPLT build half judged by its reference; {mix}")
    return fit_and_report(MODEL, rows, note, l2=GARBLED_L2)


if __name__ == "__main__":
    sys.exit(main())
