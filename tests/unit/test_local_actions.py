"""The interview's questions, asked inside the Rasa server from the rubric."""
from rasa.core.actions.action import RemoteAction
from rasa.core.actions import action as rasa_action
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import interview_questions
from counselor import scoring
from tests.harness import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
TRAITS = [trait.trait for trait in scoring.load_rubric()]


def setup_module():
    interview_questions.install()


def test_every_rubric_trait_is_asked_locally_and_other_actions_stay_remote():
    for trait in TRAITS:
        action = rasa_action.action_for_name_or_text(f"action_ask_{trait}", DOMAIN, None)
        assert isinstance(action, interview_questions.AskTraitQuestion)
    assert isinstance(rasa_action.action_for_name_or_text("action_give_verdict", DOMAIN, None), RemoteAction)
    assert type(rasa_action.action_for_name_or_text("utter_greet", DOMAIN, None)).__name__ == "ActionBotResponse"


async def test_a_question_shows_progress_the_statement_and_five_buttons():
    action = rasa_action.action_for_name_or_text("action_ask_support", DOMAIN, None)
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    [message] = await action.run(None, None, tracker, DOMAIN)
    statement = scoring.load_rubric()[2].statement
    assert message.text == f"Pertanyaan 3 dari 8:\n{statement}"
    buttons = message.data["buttons"]
    assert [b["payload"] for b in buttons] == ["1", "2", "3", "4", "5"]
    assert buttons[0]["title"] == "1 · Sangat tidak setuju"
    assert all(len(b["payload"].encode()) <= 64 for b in buttons)
