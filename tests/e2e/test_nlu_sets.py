"""Generalisation: intent accuracy on examples the model never saw in training."""
import glob
import re

from tests import harness, nlu_eval

MIN_ACCURACY = 0.90


def _normalised(text):
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def test_heldout_set_is_never_trained_on():
    training = set()
    for path in glob.glob(str(harness.ROOT / "data" / "nlu" / "*.yml")):
        training |= {_normalised(text) for text, _ in nlu_eval.load_examples(harness.Path(path))}
    heldout = nlu_eval.load_examples()
    assert len(heldout) >= 8 * 17
    assert not [text for text, _ in heldout if _normalised(text) in training]


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
