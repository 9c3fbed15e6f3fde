"""Suitability interview: start and stop, answer validation and the verdict.

The questions themselves are asked by the Rasa server without a call here
(rasa_ext/local_actions.py).

Parsing and scoring live in `counselor`; these classes only translate
between Rasa's tracker/dispatcher and the core.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from counselor import answers, interview_text, scope, scoring, verdict_text

RUBRIC = scoring.load_rubric()
TRAIT_SLOTS = [trait.trait for trait in RUBRIC]
TRAITS_BY_SLOT = {trait.trait: trait for trait in RUBRIC}
VERDICT_SLOT = "verdict"


def clear_interview() -> List[EventType]:
    return [SlotSet(slot, None) for slot in (*TRAIT_SLOTS, VERDICT_SLOT, "requested_slot")]


class ActionStartInterview(Action):
    """Starts fresh, resumes an interview that was interrupted, or, asked for the
    result of a finished one, lets the form give its verdict again."""

    def name(self) -> Text:
        return "action_start_interview"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        finished = tracker.get_slot(VERDICT_SLOT) is not None
        text = (tracker.latest_message or {}).get("text")
        if finished and interview_text.asks_for_result(text):
            # "hasil tes kecocokanku tadi apa?": the form finds every answer and the
            # verdict is given again; the answers are not cleared (user trial, round 13)
            return []
        answered = any(tracker.get_slot(slot) is not None for slot in TRAIT_SLOTS)
        if answered and not finished:
            dispatcher.utter_message(response="utter_interview_resume")
            return []
        intro = interview_text.intro(len(RUBRIC))
        if not finished and interview_text.asks_to_continue(text):
            intro = f"{interview_text.NOTHING_TO_RESUME} {intro}"
        elif not finished and interview_text.asks_for_result(text):
            intro = f"{interview_text.NO_RESULT_YET} {intro}"
        dispatcher.utter_message(text=intro)
        return clear_interview() if finished else []


class ActionStopInterview(Action):
    """Clears the answers of a cancelled interview (the rule says so); a stop "for
    now" (`interview_text.asks_to_pause`: "berhenti dulu deh") keeps them, so
    "lanjut tes" resumes, and the Rasa server says the test is paused."""

    def name(self) -> Text:
        return "action_stop_interview"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        if interview_text.asks_to_pause((tracker.latest_message or {}).get("text")):
            return []
        return clear_interview()


class ValidateSuitabilityForm(FormValidationAction):
    """Turns the text of an answer into the trait's 1-5 score, or asks again."""

    def name(self) -> Text:
        return "validate_suitability_form"

    @staticmethod
    def score_answer(value: Any, dispatcher: CollectingDispatcher,
                     trait: Optional[scoring.Trait] = None,
                     domain: Optional[Dict[Text, Any]] = None) -> Optional[float]:
        """The 1-5 score of a typed answer; None (and the reason, told to the user)
        when there is none. A question about what the source text does not cover
        ("berapa gajinya kak?") gets the honest no-info reply, naming the topic
        (`scope.name_in_reply`, from the domain's text), not "not understood";
        the form then asks the same statement again."""
        unanswerable = isinstance(value, str) and scope.unanswerable_topic(value) is not None
        if unanswerable or (isinstance(value, str) and answers.is_question(value)):
            score = None  # a question is never an answer
        elif isinstance(value, (int, float)):
            score = value
        elif trait is not None:  # self-descriptions relative to this statement
            score = answers.parse_for(value, trait.agrees, trait.disagrees)
        else:
            score = answers.parse(value)
        if score is None or not answers.SCALE_MIN <= score <= answers.SCALE_MAX:
            if unanswerable:
                _utter_out_of_scope(value, dispatcher, domain)
            else:
                dispatcher.utter_message(
                    text=interview_text.not_understood(value if isinstance(value, str) else ""))
            return None
        return score

    @classmethod
    def answer(cls, slot: Text, value: Any, dispatcher: CollectingDispatcher,
               tracker: Tracker, domain: Optional[Dict[Text, Any]] = None) -> Optional[float]:
        """A button press names its statement: one under an older statement is not
        an answer to this one. Either way the channels get `{"answered": ...}`
        (Telegram edits the keyboard away); a typed answer's message also has the
        echo as its text ("✓ 4 · Setuju")."""
        if isinstance(value, (int, float)):
            return value  # scored before: the form re-checks answers when it resumes
        pressed = next((e.get("value") for e in tracker.latest_message.get("entities") or []
                        if e.get("entity") == interview_text.ANSWER_ENTITY), None)
        if pressed is not None:
            button = interview_text.button_answer(pressed)
            if button is None or button[0] != slot:
                dispatcher.utter_message(text=interview_text.ALREADY_ANSWERED)
                return None
            score = float(button[1])
        else:
            score = cls.score_answer(value, dispatcher, TRAITS_BY_SLOT.get(slot), domain)
            if score is None:
                return None
        answered = {"statement": slot, "value": int(score), "title": interview_text.echo(score)}
        # A typed answer's echo travels with the note, so a channel that shows the
        # choice under the statement (Telegram) can leave the echo out.
        echo = {"text": answered["title"]} if pressed is None else {}
        dispatcher.utter_message(json_message={"answered": answered}, **echo)
        return score


OUT_OF_SCOPE_IN_TEST = "utter_out_of_scope_in_test"


def _utter_out_of_scope(text: Text, dispatcher: CollectingDispatcher,
                        domain: Optional[Dict[Text, Any]]) -> None:
    """OUT_OF_SCOPE_IN_TEST naming what was asked; the response by name when the
    domain Rasa sent holds no text for it."""
    variations = ((domain or {}).get("responses") or {}).get(OUT_OF_SCOPE_IN_TEST) or [{}]
    reply = variations[0].get("text")
    if reply:
        dispatcher.utter_message(text=scope.name_in_reply(reply, text))
    else:
        dispatcher.utter_message(response=OUT_OF_SCOPE_IN_TEST)


def _trait_validator(slot: Text):
    def validate(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None:  # cleared for a retake: nothing to check, nothing to say
            return {slot: None}
        return {slot: self.answer(slot, value, dispatcher, tracker, domain)}

    return validate


# rasa_sdk calls validate_<slot>; every trait is validated the same way, so
# the methods are made from the rubric instead of written out eight times.
for _slot in TRAIT_SLOTS:
    setattr(ValidateSuitabilityForm, f"validate_{_slot}", _trait_validator(_slot))


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        verdict = scoring.complete_verdict(RUBRIC, {slot: tracker.get_slot(slot) for slot in TRAIT_SLOTS})
        if verdict is None:  # the form only ends when all are filled; never crash if not
            dispatcher.utter_message(response="utter_default")
            return [SlotSet(VERDICT_SLOT, None)]
        dispatcher.utter_message(text=verdict_text.render(verdict))
        return [SlotSet(VERDICT_SLOT, verdict.level)]
