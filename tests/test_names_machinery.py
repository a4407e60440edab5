"""The name machinery under the checks: morphology, retrieval index, conventions, calibration,
and the source-anchored matching of English names."""

import math

import pytest

from mtaudit.knowledge.calibration import fit, read_models, reliability_table, write_models
from mtaudit.knowledge.resources import Resources
from mtaudit.names.conventions import convention_forms
from mtaudit.names.garbles import is_shared
from mtaudit.names.morphology import explained_as_arabic, readings, with_clitic
from mtaudit.names.retrieval import SkeletonIndex, deletion_keys
from mtaudit.names.source_names import source_names
from mtaudit.text.normalize import fold


@pytest.mark.parametrize(
    "word",
    [
        "سيلتقيه",  # future prefix + verb + object pronoun: unseen as a whole, plain Arabic
        "ألصقني",  # verb + "me"
        "وبمساعدتهم",  # and + with + help (ta marbuta written ت before the pronoun) + their
        "ستدعمه",
    ],
)
def test_morphology_explains_ordinary_words(word):
    assert explained_as_arabic(fold(word)) is not None


@pytest.mark.parametrize("word", ["باشار", "آساد", "الشارا", "تيبون", "اراقتشي", "لافاروف"])
def test_morphology_does_not_explain_garbles(word):
    # باشار splits into ب + أشار, but nobody writes that: a bare proclitic reading needs the
    # whole word to be attested
    assert explained_as_arabic(fold(word)) is None


def test_readings_and_clitics():
    assert [r.stem for r in readings(fold("للشارا"))][:3] == ["للشارا", "الشارا", "لشارا"]
    assert with_clitic("ل", "الشرع") == "للشرع"
    assert with_clitic("و", "الشيباني") == "والشيباني"


def test_skeleton_index_finds_one_edit_neighbours_only():
    index = SkeletonIndex([("شرع", "a"), ("شرف", "b"), ("سد", "c"), ("ملكوت", "d")])
    assert sorted(index.near("شرع")) == ["a", "b"]  # itself and one substitution
    assert sorted(index.near("شر")) == ["a", "b"]  # one deletion
    assert index.near("شرعيه") == []  # two edits away
    assert "شر" in deletion_keys("شرع")


def test_skeleton_index_agrees_with_a_brute_force_edit_distance():
    # every skeleton within one Levenshtein edit, in the documented order (the first key of
    # deletion_keys, sorted, shared with the observed skeleton; then insertion), on a small
    # alphabet where repeated letters, swaps and two-edit neighbours sharing a key abound
    import random

    from rapidfuzz.distance import Levenshtein

    rng = random.Random(3)
    skeletons = ["".join(rng.choice("بتج") for _ in range(rng.randint(0, 5))) for _ in range(400)]
    index = SkeletonIndex((s, k) for k, s in enumerate(skeletons))
    for observed in ["".join(rng.choice("بتج") for _ in range(rng.randint(0, 6))) for _ in range(150)]:
        keys = deletion_keys(observed)
        expected = sorted(
            (k for k, s in enumerate(skeletons) if Levenshtein.distance(observed, s) <= 1),
            key=lambda k: (min(keys & deletion_keys(skeletons[k])), k),
        )
        assert index.near(observed) == expected, observed
        assert index.near(observed, 0) == [k for k, s in enumerate(skeletons) if s == observed]


def test_skeleton_index_keeps_a_value_filed_twice_at_its_first_place():
    # the same object under several skeletons comes back once, where the first of its
    # entries stands in the documented order (as if each entry were a value of its own)
    import random

    rng = random.Random(5)
    objects = [object() for _ in range(60)]
    entries = [("".join(rng.choice("بتج") for _ in range(rng.randint(1, 4))), rng.choice(objects)) for _ in range(200)]
    index = SkeletonIndex(entries)
    by_entry = SkeletonIndex((s, k) for k, (s, _) in enumerate(entries))
    for observed in ["".join(rng.choice("بتج") for _ in range(rng.randint(0, 5))) for _ in range(100)]:
        first_place = {}
        for k in by_entry.near(observed):
            first_place.setdefault(id(entries[k][1]), (len(first_place), entries[k][1]))
        expected = [v for _, v in sorted(first_place.values(), key=lambda x: x[0])]
        assert index.near(observed) == expected, observed


def test_retrieval_cost_does_not_scan_the_gazetteer():
    # the buckets an observed skeleton touches do not grow with unrelated entries
    small = SkeletonIndex([("شرع", 1)])
    big = SkeletonIndex([("شرع", 1)] + [(f"ق{chr(0x0628 + i % 20)}{chr(0x0628 + i // 20 % 20)}ز{i}", i) for i in range(20000)])
    assert small.near("شرا") == big.near("شرا") == [1]


def test_conventions_apply_only_where_the_english_has_the_letter():
    conventions = Resources().conventions
    assert "جوتيريش" in convention_forms(fold("غوتيريش"), conventions, "Antonio Guterres")
    # ش is spelt تش only for an English "ch": not in Guterres
    assert "غوتيريتش" not in convention_forms(fold("غوتيريش"), conventions, "Antonio Guterres")


def test_a_convention_switched_off_by_a_newsroom_profile(tmp_path):
    (tmp_path / "spelling_conventions.tsv").write_text(
        "id\tgazetteer\twritten\twhere\tenglish\tactive\tdescription\n"
        "g-as-jim\tغ\tج|گ\tany\tg\tno\tthis newsroom writes غ for G\n",
        encoding="utf-8",
    )
    default = Resources().gazetteer
    strict = Resources([tmp_path]).gazetteer
    assert default.is_accepted(fold("جوتيريش"))
    assert not strict.is_accepted(fold("جوتيريش"))


def test_shared_name_parts_are_not_evidence():
    gaz = Resources().gazetteer
    assert is_shared(gaz, fold("محمد")) and is_shared(gaz, fold("علي"))
    assert not is_shared(gaz, fold("الشيباني"))


def test_source_names_skip_titles_sentence_starts_and_acronyms():
    gaz = Resources().gazetteer
    names = source_names(
        "Officials said Algerian President Abdelmadjid Tebboune met the WHO chief and Dr. Tedros on Monday.", gaz
    )
    texts = [n.text for n in names]
    assert "Abdelmadjid Tebboune" in texts
    assert "Officials" not in texts and "WHO" not in texts and "President" not in " ".join(texts)
    tebboune = next(n for n in names if n.text == "Abdelmadjid Tebboune")
    assert tebboune.person_like and tebboune.arabic_origin  # a title before it; Abdelmadjid is an Arabic name
    # a title of a work is not a person (no given name, no title before it)
    assert not any(n.person_like for n in source_names("Who wrote Atlas Shrugged?", gaz))


def test_calibration_fit_is_a_probability_that_tracks_the_labels(tmp_path):
    rows = [{"x": float(i % 10) / 10} for i in range(400)]
    labels = [int(r["x"] >= 0.5) if i % 7 else int(r["x"] < 0.5) for i, r in enumerate(rows)]
    model = fit("toy", rows, labels)
    assert model.weights["x"] > 0
    assert 0 < model.probability({"x": 0.0}) < 0.5 < model.probability({"x": 0.9}) < 1
    table = reliability_table([model.probability(r) for r in rows], labels)
    assert sum(b.count for b in table) == 400
    path = tmp_path / "calibration.tsv"
    write_models(path, [model], "test")
    again = read_models(path.read_text(encoding="utf-8").splitlines())["toy"]
    assert math.isclose(again.probability({"x": 0.7}), model.probability({"x": 0.7}), rel_tol=1e-4)
    with pytest.raises(KeyError):
        model.probability({"y": 1.0})


def test_skeleton_similarity_separates_a_rendering_from_a_word_in_its_place():
    from mtaudit.names.garble_pair import skeleton_similarity

    assert skeleton_similarity("ذكري", "زيكري") > 0.6  # the name's consonants, spelled otherwise
    assert skeleton_similarity("الحكومه", "سميث") < 0.4  # a word put where the name should be
    assert skeleton_similarity("", "سميث") == 0.0
    assert skeleton_similarity("السميث", "سميث") == 1.0  # the article is not the name's


def test_shipped_calibration_models_load():
    res = Resources()
    for name in ("name-garbled", "name-source"):
        m = res.confidence_model(name)
        assert m.note.startswith("scripts/fit_name_confidence.py")


def test_mentioned_by_first_word_lookup_agrees_with_the_patterns():
    # Gazetteer.mentioned tests only entities whose English form opens with a word of the
    # source; it must answer what the per-entity patterns answer, for every entity
    gaz = Resources().gazetteer
    sources = [
        "President Joseph Aoun met Ahmed al-Sharaa in Damascus; Aoun said the talks were useful.",
        "Aoun said on Tuesday that Lavrov's visit to Hmeimim was postponed.",
        "Syria's Sharaa and Iran's Araghchi spoke to the WHO.",
        "Nothing here names anyone.",
    ]
    for source in sources:
        assert {e.canonical for e in gaz.entities if gaz._mentioned_in(e, source)} == set(gaz.mentioned(source))


def test_word_index_finds_what_a_scan_of_the_name_words_finds():
    # retrieval by the deletion index over distinct words = every distinctive word whose
    # skeleton is within one edit (a brute-force scan), for garbles and for ordinary words
    from rapidfuzz.distance import Levenshtein

    from mtaudit.names.channel import skeleton, split_article

    gaz = Resources().gazetteer
    words = {p.folded for p in gaz.distinctive_parts()}
    for observed in ["الشارا", "باشار", "لافاروف", "اراقتشي", "الحكومه", "قال"]:
        sk = skeleton(split_article(fold(observed))[1])
        scan = {w for w in words if Levenshtein.distance(skeleton(split_article(w)[1]), sk) <= 1}
        assert set(gaz.words_near(sk)) == scan


def test_a_gazetteer_choice_is_part_of_the_run_signature():
    from mtaudit.checks import load_all
    from mtaudit.run.pipeline import AuditConfig, signature

    specs = list(load_all().values())[:1]
    assert signature(specs, AuditConfig().resources())["gazetteer"] == "curated"
    assert signature(specs, AuditConfig(gazetteer="built").resources())["gazetteer"] == "built"
    with pytest.raises(ValueError):
        AuditConfig(gazetteer="everything").resources()


def test_a_pickled_gazetteer_finds_what_the_built_one_finds():
    """mtaudit.knowledge.compiled stores the built gazetteer as a pickle: its maps keyed by id() of
    entities and parts must be rebuilt on loading, or name-garbled goes silent."""
    import pickle

    from mtaudit.checks import load_all
    from mtaudit.knowledge.resources import Resources
    from mtaudit.run.pipeline import audit_article
    from mtaudit.types import Article

    spec = load_all()["name-garbled"]
    text = "التقى وزير الخارجية الروسي سيرغي لافاروف نظيره في موسكو."
    built = Resources()
    built.__dict__["gazetteer"] = built._build_gazetteer()
    loaded = Resources()
    loaded.__dict__["gazetteer"] = pickle.loads(pickle.dumps(built.gazetteer))
    found = [f.text for f in audit_article(Article("t", text), [spec], built).findings]
    assert found == ["لافاروف"]
    assert [f.text for f in audit_article(Article("t", text), [spec], loaded).findings] == found


def test_name_origin_reads_the_latin_spelling():
    from mtaudit.names.origin import default_origin, ngrams

    origin = default_origin()
    assert "^a" in ngrams("ab") and "b$" in ngrams("ab") and "^" not in ngrams("ab")
    # spellings of Arabic names against English ones (none of them a training word needed)
    assert origin.logodds("khattabawi") > 2 > -2 > origin.logodds("whitcombe")


def test_garble_pair_features_are_the_fitted_models():
    from mtaudit.knowledge.resources import Resources
    from mtaudit.names.garble_pair import MODEL_NAME, origin_belief, pair_features, restoring
    from mtaudit.names.transliteration import default_model

    model = Resources().confidence_model(MODEL_NAME)
    translit = default_model()
    features = pair_features(translit, "mutawaa", "موتاوا")
    assert set(features) == set(model.weights)
    garble, correct = model.probability(features), model.probability(pair_features(translit, "mutawaa", "مطوع"))
    assert garble > 0.5 > correct
    _, post = origin_belief(translit, "mutawaa")
    assert restoring(post, "موتاوا") == "مطوع" and restoring(post, "مطوع") == ""


def test_names_any_matches_whole_words_as_the_pattern_did():
    # Gazetteer._mentioned_in searches for a form with a letter boundary on each side; it
    # must answer what the pattern (?<!\p{L})(?:form)(?!\p{L}) answered
    import regex

    from mtaudit.names.gazetteer import _names_any

    forms = ("Aoun", "Joseph Aoun", "al-Sharaa", "Ünal", "O'Brien")
    texts = [
        "Aoun said", "Aouna said", "MAoun", "(Aoun)", "Joseph Aoun.", "Josephine Aoun", "Aoun",
        "the al-Sharaa family", "xal-Sharaa", "Ünal's", "Ünalé", "éÜnal", "O'Brien2", "3Aoun", "",
        "Aou n", "aoun",
    ]
    for form in forms:
        pattern = regex.compile(rf"(?<!\p{{L}})(?:{regex.escape(form)})(?!\p{{L}})")
        for text in texts + [f"{form} {form}x", f"x{form} {form}"]:
            assert _names_any((form,), text) == bool(pattern.search(text)), (form, text)


def test_named_entities_index_answers_the_full_index_filtered_in_order():
    # With a source, garbles looks words up in an index of the named entities' words only;
    # its answers must be the whole index's answers with the other words left out, in order
    from mtaudit.names.channel import skeleton, split_article
    from mtaudit.names.garbles import _named_index

    gaz = Resources().gazetteer
    named = [e for e in gaz.entities if e.type == "person"][:40] + [e for e in gaz.entities if e.type != "person"][:10]
    near = _named_index(named, gaz)
    own = {w for e in named for w in gaz.entity_words(e)}
    probes = {skeleton(split_article(w)[1]) for w in own} | {skeleton(split_article(fold(w))[1]) for w in ["الشارا", "باشار", "لافاروف", "قال"]}
    checked = 0
    for sk in sorted(probes):
        if len(sk) < 2:
            continue
        full = [w for w in gaz.words_near(sk) if w in own]
        assert near(sk) == full, sk
        checked += bool(full)
    assert checked > 20


def test_garbles_with_a_source_are_those_of_its_entities():
    # the source path (restricted to the named entities) finds what the gates let through
    # without it for those entities: here the garbled Sharaa of the seed-like sentence
    from mtaudit.names.garbles import find_garbles
    from mtaudit.text.tokens import tokenize

    gaz = Resources().gazetteer
    tokens = tokenize("قال الرئيس السوري أحمد الشارا إن المحادثات كانت مفيدة.")
    alone = find_garbles(tokens, gaz, None)
    named = find_garbles(tokens, gaz, "Syrian President Ahmed al-Sharaa said the talks were useful.")
    silent = find_garbles(tokens, gaz, "The minister said the talks were useful.")
    assert [g.token.text for g in alone] == ["الشارا"]
    assert [(g.token.text, g.candidate.part.word) for g in named] == [(g.token.text, g.candidate.part.word) for g in alone]
    assert named[0].evidence.source_names == 1.0
    assert silent == []


def test_function_words_have_no_translations_that_would_make_a_name_a_place():
    from mtaudit.names.source_names import translations

    assert translations("Sea")  # a content word the priors translate (بحر)
    for word in ("Said", "May", "Will"):  # Edward Said, Theresa May: names, not translations
        assert translations(word) == frozenset(), word


def test_meaning_pairs_a_word_with_its_translation_and_not_with_a_verb_beside_it():
    from mtaudit.names.meaning import means

    source = ["Senator", "Dana", "Stone", "met", "Bill", "Harwick", "in", "Chicago", "on", "Monday"]
    unit = ["التقت", "السيناتورة", "دانا", "بيل", "هارويك", "في", "شيكاغو", "يوم", "الاثنين"]
    assert means("stone", "حجر", unit, source) is True
    assert means("stone", "التقت", [w for w in unit if w != "التقت"] + ["حجر"], source) is False


def test_meaning_without_the_embedding_model_gives_no_judgement(monkeypatch):
    from mtaudit.names import meaning

    monkeypatch.setattr(meaning, "_model", lambda: None)
    assert meaning.means("stone", "حجر", ["دانا", "في"], ["dana", "met"]) is None


def test_western_garble_features_name_the_misrendering_class():
    from mtaudit.names.transliteration import default_model
    from mtaudit.names.western_garble import features

    model = default_model()
    assert features(model, "fenwick", "فينويق")["emphatic"] == 1.0
    assert features(model, "fenwick", "فيناويك")["long_vowel"] == 1.0
    assert features(model, "fenwick", "فينويكك")["doubled"] == 1.0
    right = features(model, "fenwick", "فينويك")
    assert right["gap"] < 1.0 and not (right["emphatic"] or right["long_vowel"] or right["doubled"])


def test_entities_titled_pretest_drops_no_title(resources):
    """entities_titled's quick rejection (may_end_a_title) keeps every title the full scan finds."""
    from mtaudit.text.normalize import fold

    gaz = resources.gazetteer

    def by_scan(text: str) -> set[int]:
        return {id(e) for k in range(len(text)) for e in gaz.by_title.get(text[k:], ())}

    titles = list(gaz.by_title)
    assert titles
    texts = ["", "قال", "وقال الرئيس", "الرئيس السوري", "ورئيس الوزراء", "كتاب"]
    for t in titles[:200]:
        texts += [t, "قال " + t, "و" + t, t + " الجديد", t[1:], t[:-1]]
    found = 0
    for text in map(fold, texts):
        assert gaz.entities_titled(text) == by_scan(text), text
        found += bool(by_scan(text))
    assert found > 100  # the texts that end with a title are found


def _garbles(text: str) -> dict[str, dict]:
    from mtaudit.names.garbles import find_garbles
    from mtaudit.text.tokens import tokenize

    return {g.token.text: g.evidence.features() for g in find_garbles(tokenize(text), Resources().gazetteer, None)}


def test_two_halves_of_one_garbled_name_do_not_each_count_the_other_twice():
    # باشار fits بشار closely and الشاد fits الأسد loosely: الشاد has the closely fitting
    # neighbour as evidence (adjacent_part), but that evidence is باشار itself, so it is no
    # "mention garbled elsewhere" that would make باشار a garble on its own
    found = _garbles("وقال باشار الشاد للصحفيين.")
    assert found["الشاد"]["adjacent_part"] == 1
    assert "باشار" not in found


def test_a_family_name_written_elsewhere_is_evidence_about_the_entity():
    found = _garbles("وقال باشار الشاد للصحفيين. وهرب الأسد من العاصمة.")
    assert found["باشار"]["part_elsewhere"] == 1 and found["الشاد"]["part_elsewhere"] == 1
    # beside the word it is the neighbour's evidence, not another mention
    assert _garbles("وقال باشار الأسد للصحفيين. وقال لافروف.").get("باشار", {}).get("part_elsewhere", 0) == 0
    # a family name spelled like a function word (غير: Geir) says nothing
    assert "باشار" not in _garbles("وقال باشار الشاد للصحفيين. وقال غير إن الاجتماع مهم.")
