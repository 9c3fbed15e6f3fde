"""What the Rasa server sends the action server: this turn's events, the domain only when needed."""
from rasa.core.actions import action as rasa_action
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_ext import action_guard
from tests.harness import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
ENDPOINT = EndpointConfig(url="http://localhost:5055/webhook", enable_selective_domain=True)


def setup_module():
    action_guard.install()


def conversation() -> DialogueStateTracker:
    tracker = DialogueStateTracker("user-1", DOMAIN.slots)
    tracker.update_with_events([
        ActionExecuted("action_listen"), UserUttered("halo"), BotUttered("Halo!"),
        ActionExecuted("action_listen"), UserUttered("4"), SlotSet("empathy", 4.0),
    ], DOMAIN)
    return tracker


def call_for(action_name: str) -> dict:
    action = rasa_action.action_for_name_or_text(action_name, DOMAIN, ENDPOINT)
    return action._action_call_format(conversation(), DOMAIN)


def test_only_the_current_turn_is_sent_with_every_slot():
    call = call_for("action_give_verdict")
    events = call["tracker"]["events"]
    assert [event["event"] for event in events] == ["user", "slot"]
    assert events[0]["text"] == "4"
    assert call["tracker"]["slots"]["empathy"] == 4.0
    assert call["tracker"]["latest_message"]["text"] == "4"
    assert call["sender_id"] == "user-1" and call["next_action"] == "action_give_verdict"


def test_the_domain_goes_only_to_the_form_validation():
    assert "domain" not in call_for("action_give_verdict")
    validation = call_for("validate_suitability_form")
    assert validation["domain"]["forms"]["suitability_form"]["required_slots"][0] == "empathy"
