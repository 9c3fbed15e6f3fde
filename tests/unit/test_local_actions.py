"""The interview's questions, asked inside the Rasa server from the rubric."""
from rasa.core.actions.action import RemoteAction
from rasa.core.actions import action as rasa_action
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import local_actions
from counselor import scoring
from tests.harness import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
TRAITS = [trait.trait for trait in scoring.load_rubric()]


def setup_module():
    local_actions.install()


def test_every_rubric_trait_is_asked_locally_and_other_actions_stay_remote():
    for trait in TRAITS:
        action = rasa_action.action_for_name_or_text(f"action_ask_{trait}", DOMAIN, None)
        assert isinstance(action, local_actions.AskTraitQuestion)
    assert isinstance(rasa_action.action_for_name_or_text("action_give_verdict", DOMAIN, None), RemoteAction)
    assert type(rasa_action.action_for_name_or_text("utter_greet", DOMAIN, None)).__name__ == "ActionBotResponse"


async def test_a_question_shows_progress_the_statement_and_five_buttons():
    action = rasa_action.action_for_name_or_text("action_ask_support", DOMAIN, None)
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    [message] = await action.run(None, None, tracker, DOMAIN)
    statement = scoring.load_rubric()[2].statement
    assert message.text == f"Pertanyaan 3 dari 8:\n{statement}"
    buttons = message.data["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/answer_scale{{"answer": "support:{value}"}}' for value in range(1, 6)]
    assert buttons[0]["title"] == "1 · Sangat tidak setuju"
    longest = max(scoring.load_rubric(), key=lambda t: len(t.trait)).trait
    from counselor import interview_text
    assert all(len(b["payload"].encode()) <= 64 for b in interview_text.scale_buttons(longest))


def _tracker_after(parse_data):
    from rasa.shared.core.events import UserUttered
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    tracker.update(UserUttered(parse_data["text"], parse_data["intent"], parse_data=parse_data))
    return tracker


async def _clarify(ranking):
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    parse_data = {"text": "hmm", "intent": ranking[0], "intent_ranking": ranking}
    action = rasa_action.action_for_name_or_text("action_clarify", DOMAIN, None)
    assert isinstance(action, local_actions.ClarifyAction)
    [message] = await action.run(None, TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                                 _tracker_after(parse_data), DOMAIN)
    return message


async def test_clarify_offers_the_two_likely_topics_and_neither():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "ask_fit", "confidence": 0.42},
                              {"name": "ask_unfit", "confidence": 0.4}])
    assert "Maksudmu" in message.text
    assert [(b["title"], b["payload"]) for b in message.data["buttons"]] == [
        ("Siapa yang cocok?", "/ask_fit"), ("Siapa yang kurang cocok?", "/ask_unfit"),
        ("Bukan keduanya", "/deny")]


async def test_clarify_with_one_likely_topic_asks_about_that_one():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "ask_duties", "confidence": 0.28},
                              {"name": "greet", "confidence": 0.2}])
    assert "Maksudmu yang ini?" in message.text and "yang mana" not in message.text
    assert [(b["title"], b["payload"]) for b in message.data["buttons"]] == [
        ("Tugasnya apa saja?", "/ask_duties"), ("Bukan", "/deny")]


async def test_clarify_without_a_likely_topic_says_it_did_not_understand():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "greet", "confidence": 0.25},
                              {"name": "thank", "confidence": 0.2}])
    assert message.text == DOMAIN.responses["utter_default"][0]["text"]
