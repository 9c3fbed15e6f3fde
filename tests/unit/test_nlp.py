"""The Indonesian spaCy pipeline that Rasa's SpacyNLP loads (built by make install)."""
import pytest
import spacy

from counselor import nlp
from tests.harness import ROOT

PIPELINE = ROOT / "build" / "spacy_id"


@pytest.fixture(scope="module")
def pipeline():
    if not (PIPELINE / "meta.json").exists():
        nlp.build(PIPELINE)
    return spacy.load(PIPELINE)


def lemmas(pipeline, text):
    return [token.lemma_ for token in pipeline(text)]


def test_pipeline_is_indonesian_with_a_lookup_lemmatizer(pipeline):
    assert pipeline.lang == "id"
    assert pipeline.pipe_names == ["lemmatizer"]
    assert pipeline.meta["spacy_version"].startswith(">=3.4")


@pytest.mark.parametrize("word", ["mendampingi", "pendampingan", "didampingi", "pendamping", "Mendampingi"])
def test_word_family_shares_one_lemma(pipeline, word):
    assert lemmas(pipeline, word) == ["damping"]


@pytest.mark.parametrize("colloquial,standard", [
    ("gak", "tidak"), ("nggak", "tidak"), ("ga", "tidak"), ("Gak", "tidak"),
    ("gimana", "bagaimana"), ("Gimana", "bagaimana"), ("aja", "saja"), ("yg", "yang"),
    ("tgs", "tugas"), ("apaan", "apa"), ("dgn", "dengan"), ("konslor", "konselor"),
])
def test_colloquial_forms_become_standard_words(pipeline, colloquial, standard):
    assert lemmas(pipeline, colloquial) == lemmas(pipeline, standard)


def test_sentence(pipeline):
    assert lemmas(pipeline, "tgs konselor yg didampingi gimana aja?") == [
        "tugas", "konselor", "yang", "damping", "bagaimana", "saja", "?",
    ]


def test_enrich_derives_passives_and_capitals_without_overwriting():
    table = {"mendampingi": "damping", "memberikan": "beri", "diberikan": "beri", "tidak": "tidak"}
    enriched = nlp.enrich(table, {"gak": "tidak"})
    assert enriched["didampingi"] == "damping"
    assert enriched["diberikan"] == "beri"
    assert enriched["Mendampingi"] == "damping"
    assert enriched["gak"] == enriched["Gak"] == "tidak"
    assert enriched["gimana"] == "bagaimana"  # from COLLOQUIAL
