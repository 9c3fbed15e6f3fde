"""The crisis model (counselor/crisis_model.py) and its examples file."""
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.model_selection import GroupKFold

from counselor import crisis_model, safety
from tests import nlu_eval

ROOT = Path(__file__).resolve().parents[2]
TINY = (["aku pengen mati aja", "aku mau hilang selamanya", "halo kak", "tugasnya apa aja"],
        [True, True, False, False])


def test_a_fitted_model_gives_one_probability_per_text():
    model = crisis_model.CrisisModel().fit(*TINY)
    probabilities = model.probability(["aku pengen mati", "halo", ""])
    assert probabilities.shape == (3,) and ((0 <= probabilities) & (probabilities <= 1)).all()
    assert probabilities[0] > probabilities[1]
    assert model.probability([]).shape == (0,)


def test_each_part_of_a_message_is_scored_and_the_highest_is_its_probability():
    model = crisis_model.CrisisModel().fit(*TINY)
    text = "tugasnya apa aja ya kak. btw aku pengen mati aja rasanya"
    (scores,) = model.part_probabilities([text])
    assert scores.shape == (len(safety.message_parts(text)),) == (3,)
    assert scores[-1] > scores[0]  # the crisis part stands out from the whole
    assert model.probability([text])[0] == scores.max()


def test_one_class_is_refused():
    with pytest.raises(ValueError):
        crisis_model.CrisisModel().fit(["halo", "hai"], [False, False])


def test_a_saved_model_loads_with_the_same_answers(tmp_path):
    model = crisis_model.CrisisModel().fit(*TINY)
    model.save(tmp_path / "model.joblib")
    loaded = crisis_model.CrisisModel.load(tmp_path / "model.joblib")
    texts = ["aku pengen mati", "halo kak"]
    assert np.allclose(loaded.probability(texts), model.probability(texts))


def test_the_examples_file_covers_many_families_of_both_kinds():
    items = yaml.safe_load(crisis_model.EXAMPLES_PATH.read_text(encoding="utf-8"))
    assert all(set(item) == {"text", "crisis", "family", "lang"} for item in items)
    crises = Counter(item["family"] for item in items if item["crisis"])
    harmless = Counter(item["family"] for item in items if not item["crisis"])
    assert sum(crises.values()) >= 250 and sum(harmless.values()) >= 150
    # The same idea from several writers is one family (held out together below).
    assert len(crises) >= 60 and max(crises.values()) <= 14
    assert not set(crises) & set(harmless)
    assert len({item["text"].lower() for item in items}) == len(items)


def test_the_examples_digest_follows_the_file(tmp_path):
    copy = tmp_path / "examples.yml"
    copy.write_bytes(crisis_model.EXAMPLES_PATH.read_bytes())
    before = crisis_model.examples_digest(copy)
    assert before == crisis_model.examples_digest()
    copy.write_text(copy.read_text(encoding="utf-8") + "- text: \"x\"\n  crisis: false\n", encoding="utf-8")
    assert crisis_model.examples_digest(copy) != before


def test_it_finds_crises_of_families_it_never_saw_without_alarming_on_everyday_messages():
    """Each family is held out in turn (5 folds): the crisis check with the model
    must reach what the signal list misses. Measured in round 8 with the classifier too: 0.938 and
    0.59 % false alarms on the read sets (bench/findings.md). Here without the classifier, whose
    veto takes the alarms below: the bars are the issue's 2 % and leave room for noise."""
    training = [(e.text, e.intent == "crisis") for e in nlu_eval.training_examples(ROOT / "data")]
    items = yaml.safe_load(crisis_model.EXAMPLES_PATH.read_text(encoding="utf-8"))
    texts = [item["text"] for item in items]
    labels = np.array([item["crisis"] for item in items])
    families = [item["family"] for item in items]
    probability = np.zeros(len(items))
    for train, held_out in GroupKFold(5).split(texts, labels, families):
        model = crisis_model.CrisisModel().fit(
            [t for t, _ in training] + [texts[i] for i in train],
            [c for _, c in training] + [bool(labels[i]) for i in train])
        probability[held_out] = model.probability([texts[i] for i in held_out])
    found = np.array([safety.assess(t, detector_probability=p).crisis
                      for t, p in zip(texts, probability)])
    signals_only = np.array([safety.assess(t).crisis for t in texts])
    assert found[labels].mean() >= 0.80
    assert found[labels].mean() >= signals_only[labels].mean() + 0.3

    model = crisis_model.CrisisModel().fit([t for t, _ in training] + texts,
                                           [c for _, c in training] + list(labels))
    everyday = [e.text for e in nlu_eval.load_examples(nlu_eval.DEV) if e.intent != "crisis"]
    alarms = [t for t, p in zip(everyday, model.probability(everyday))
              if safety.assess(t, detector_probability=p).crisis]
    assert len(alarms) / len(everyday) <= 0.02, alarms


def test_blocks_marked_for_the_intent_classifier_only_do_not_train_the_crisis_model():
    pairs = crisis_model.nlu_training_pairs([
        ("aku pengen mati aja", "crisis", None),
        ("capek kerja, tapi tugas konselor apa?", "ask_duties", {"crisis_model": False}),
        ("halo kak", "greet", {"other": 1}),
        ("", "greet", None),
    ])
    assert pairs == [("aku pengen mati aja", True), ("halo kak", False)]


def test_rasa_reads_the_mark_as_intent_metadata_of_every_example_of_its_block():
    from rasa.shared.nlu.constants import METADATA, METADATA_INTENT
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().reads(
        (ROOT / "data" / "nlu" / "round11_context_first.yml").read_text(encoding="utf-8"))
    marks = [(m.get(METADATA) or {}).get(METADATA_INTENT) for m in data.intent_examples]
    assert len(marks) > 200 and all(mark == {"crisis_model": False} for mark in marks)
