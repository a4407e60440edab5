"""The English channel undone (mtaudit.names.garble_pair.channel_restorations): a sounded-out
spelling of an Arabic name finds the spelling it was flattened from when Arabic text writes
it or Wikidata people bear it; a correct spelling has no such twin."""

from mtaudit.knowledge.resources import Resources
from mtaudit.names.garble_pair import MODEL_NAME, channel_features, channel_restorations, channel_restoring, pair_features
from mtaudit.names.transliteration import default_model


def test_restorations_undo_what_english_flattens():
    found = channel_restorations("تانتاوي")
    assert "طنطاوي" in found  # two letters restored (ت → ط), one long vowel dropped
    assert "تانتاوي" not in found  # at least one letter is restored
    assert all(len(c) >= len("تانتاوي") - 2 for c in found)  # at most two vowels dropped
    assert channel_restorations("ا" * 40) == ()  # too long to search


def test_channel_features_and_suggestion():
    gaz = Resources().gazetteer
    garble = channel_features("tantawi", "تانتاوي", gaz.latin_forms)
    assert garble["channel_attested"] == 1.0 and garble["channel_zipf"] > 3
    assert channel_restoring("tantawi", "تانتاوي", gaz.latin_forms) == "طنطاوي"
    # the article goes with the restoration when Wikidata people bear it so
    assert channel_restoring("sabbagh", "ساباغ", gaz.latin_forms) == "الصباغ"
    correct = channel_features("tantawi", "طنطاوي", gaz.latin_forms)
    assert correct == {"channel_zipf": 0.0, "channel_attested": 0.0}
    # without the Wikidata index, no attestation (the zipf still counts)
    assert channel_features("tantawi", "تانتاوي")["channel_attested"] == 0.0


def test_the_fitted_model_weighs_the_channel():
    model = Resources().confidence_model(MODEL_NAME)
    gaz = Resources().gazetteer
    translit = default_model()
    features = pair_features(translit, "tantawi", "تانتاوي", latin_forms=gaz.latin_forms)
    assert set(features) == set(model.weights)
    assert model.weights["channel_attested"] > 0
    assert model.probability(features) > 0.5 > model.probability(pair_features(translit, "tantawi", "طنطاوي", latin_forms=gaz.latin_forms))


def test_folded_zipf_is_arabic_zipf_of_the_restorations():
    # the channel looks restorations up without folding them again: they are folded already
    from mtaudit.names.garble_pair import ARTICLE
    from mtaudit.text.frequency import arabic_zipf, folded_zipf
    from mtaudit.text.normalize import fold

    forms = [f for w in ("تانتاوي", "ساباغ", "وتاري", "هورفات") for c in channel_restorations(w) for f in (c, ARTICLE + c)]
    assert forms and all(fold(f) == f and folded_zipf(f) == arabic_zipf(f) for f in forms)
    assert any(folded_zipf(f) > 0 for f in forms)
