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


@pytest.mark.parametrize("text,tokens,lemma_list", [
    ("kadang-kadang", ["kadang-kadang"], ["kadang"]),
    ("ciri-ciri orang", ["ciri-ciri", "orang"], None),
    ("sehari-hari, gimana?", ["sehari-hari", ",", "gimana", "?"], ["hari", ",", "bagaimana", "?"]),
])
def test_hyphenated_words_stay_one_token(pipeline, text, tokens, lemma_list):
    assert [token.text for token in pipeline(text)] == tokens
    if lemma_list:
        assert lemmas(pipeline, text) == lemma_list


def test_tokenizer_is_ours_and_found_through_the_installed_entry_point(pipeline):
    from importlib.metadata import entry_points

    assert pipeline.config["nlp"]["tokenizer"] == {"@tokenizers": nlp.TOKENIZER}
    # Without exceptions: spaCy's 16,000 Indonesian ones made every load take 15-60 s.
    assert pipeline.tokenizer.rules == {}
    assert nlp.TOKENIZER in {point.name for point in entry_points(group="spacy_tokenizers")}
