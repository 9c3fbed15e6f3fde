"""The interview's questions, asked by the Rasa server itself.

Every interview answer used to cost two action-server calls: validating the
answer (`validate_suitability_form`), then `action_ask_<trait>` for the next
question. Each call sends the whole tracker as JSON and the action server
parses it back, so the cost grows with the conversation (bench/findings.md).
A question depends on nothing but the rubric, so the Rasa server renders it
here from the same core texts (`counselor.interview_text`) and only the
answer's validation and the verdict stay on the action server.

Rasa 3.6 makes every custom action a `RemoteAction`; `install()` (idempotent,
applied by `rasa_ext.install()`) makes Rasa's
action factory return these for the `action_ask_<trait>` names the domain
lists, and Rasa's own action for every other name.
"""
from __future__ import annotations

from typing import Dict, List

from rasa.core.actions import action as rasa_action
from rasa.shared.core.events import Event

from counselor import interview_text, scoring


class AskTraitQuestion(rasa_action.Action):
    """'Pertanyaan k dari n' with the rubric's statement and the five scale buttons."""

    def __init__(self, number: int, total: int, trait: scoring.Trait) -> None:
        self.number, self.total, self.trait = number, total, trait

    def name(self) -> str:
        return f"action_ask_{self.trait.trait}"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        return [rasa_action.create_bot_utterance({
            "text": interview_text.question(self.number, self.total, self.trait),
            "buttons": interview_text.scale_buttons(),
        })]


def _questions() -> Dict[str, AskTraitQuestion]:
    rubric = scoring.load_rubric()
    questions = (AskTraitQuestion(number, len(rubric), trait)
                 for number, trait in enumerate(rubric, start=1))
    return {question.name(): question for question in questions}


QUESTIONS = _questions()
_rasa_action_for_name_or_text = rasa_action.action_for_name_or_text


def action_for_name_or_text(action_name_or_text, domain, action_endpoint):
    question = QUESTIONS.get(action_name_or_text)
    if question is not None and action_name_or_text in domain.action_names_or_texts:
        return question
    return _rasa_action_for_name_or_text(action_name_or_text, domain, action_endpoint)


def install() -> None:
    # forms.py and processor.py look the factory up on the module at each call.
    rasa_action.action_for_name_or_text = action_for_name_or_text
