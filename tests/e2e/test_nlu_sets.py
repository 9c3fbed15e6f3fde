"""Generalisation: intent accuracy on examples the model never saw in training.

The blind set (tests/nlu_blind.yml) is scored by `make bench`, not here, so that
no test failure invites tuning on it; here it is only checked to stay unseen.
"""
import pytest

from counselor import crisis_model
from tests import harness, nlu_eval

MIN_ACCURACY = 0.90
TRAINING = [e.text for e in nlu_eval.training_examples(harness.ROOT / "data")]


@pytest.mark.parametrize("path", [nlu_eval.HELD_OUT, nlu_eval.DEV, *nlu_eval.BLIND_SETS],
                         ids=lambda path: path.stem)
def test_evaluation_set_is_never_trained_on_not_even_near_copies(path):
    evaluation = [e.text for e in nlu_eval.load_examples(path)]
    assert len(evaluation) >= 200
    assert nlu_eval.near_copies(TRAINING, evaluation) == []


def test_the_crisis_model_examples_hold_no_evaluation_text_nor_near_copies():
    examples = [text for text, _ in crisis_model.load_examples()]
    for path in [nlu_eval.HELD_OUT, nlu_eval.DEV, *nlu_eval.BLIND_SETS]:
        evaluation = [e.text for e in nlu_eval.load_examples(path)]
        assert nlu_eval.near_copies(examples, evaluation) == [], path.stem


def test_the_near_copy_check_catches_copies_and_small_edits():
    training = ["kak tugas konselor pemberdayaan tuh ngapain aja sih"]
    assert nlu_eval.near_copies(training, ["Kak, tugas konselor pemberdayaan tuh ngapain aja sih?"])
    assert nlu_eval.near_copies(training, ["kak tugas konselor pemberdayaan tu ngapain aja sih"])
    assert not nlu_eval.near_copies(training, ["siapa yang nggak cocok jadi konselor"])


def test_blind_set_is_frozen_and_labelled_with_contract_intents():
    contract = {"ask_overview", "ask_duties", "ask_fit", "ask_unfit", "ask_misconception",
                "ask_expectation", "ask_difference_social_worker", "start_interview",
                "stop_interview", "help", "greet", "goodbye", "thank", "bot_challenge", "affirm",
                "deny", "delete_my_data", "ask_my_data", "crisis", "out_of_scope"}
    for path, size in nlu_eval.BLIND_SETS.items():
        blind = nlu_eval.load_examples(path)
        assert len(blind) == size  # frozen: any change to the set shows here
        assert {e.intent for e in blind} <= contract
        assert {e.lang for e in blind} == {"id", "en", "mixed"}


def test_heldout_intent_accuracy(bot):
    def predict(text):
        status, parsed = harness.http(
            "POST", f"{bot.rasa.url}/model/parse?token={bot.auth_token}", {"text": text}
        )
        assert status == 200, parsed
        return parsed["intent"]["name"]

    report = nlu_eval.evaluate(predict, nlu_eval.load_examples())
    harness.METRICS.append(f"held-out NLU: {report.summary()}")
    assert report.accuracy >= MIN_ACCURACY, (report.summary(), report.errors)
    assert report.crisis_recall == 1.0 and report.crisis_false_alarm_rate == 0.0, report.errors
