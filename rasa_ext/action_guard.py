"""An apology instead of silence when the action server is down or slow.

Rasa 3.6 has no hook for a failed custom action (rasa issues #5588, #7630):
`RemoteAction.run` raises, `MessageProcessor._run_action` logs "Encountered an
exception while running action", drops the action's events and the user gets
no answer at all. Neither the NLG endpoint (only asked for `utter_*`
responses) nor the action endpoint (a plain URL) is pluggable, so this module
subclasses the two classes that call the action server, `RemoteAction` and
`FormAction` (whose answer validation is a remote call),
and points Rasa's factories at the subclasses. `install()` is idempotent and
is applied by `rasa_ext.install()` (see rasa_ext/__init__.py), so every
process that serves this model (`rasa run`, `rasa shell`) has the guard.

What the user gets when the action server cannot be reached, answers with an
error, or takes longer than `BOT_ACTION_TIMEOUT` seconds (default 15):

* the crisis reply is built locally from `counselor/helplines.yml`: help lines
  never depend on the action server;
* anything else: "Maaf, sedang ada gangguan, coba lagi sebentar lagi ya.",
  and what the user's message changed (slots, the active form) is set back,
  so the conversation is as before that message: interview answers and the
  current question are kept, and sending the message again once the action
  server is back continues the same conversation.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
from typing import Any, Callable, Dict, List, Optional

import rasa
import rasa.core.actions.action as rasa_action
import rasa.core.actions.forms as rasa_forms
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    ActiveLoop,
    FollowupAction,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

APOLOGY = "Maaf, sedang ada gangguan, coba lagi sebentar lagi ya. 🙏"
TIMEOUT_ENV = "BOT_ACTION_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 15.0

# True while a form runs: its remote sub-actions (validation, questions) then
# raise, and the form as a whole answers with the apology (one per message).
_inside_form: contextvars.ContextVar[bool] = contextvars.ContextVar("inside_form", default=False)


class ActionServerUnavailable(RasaException):
    """The action server could not run an action (down, erroring or too slow)."""


def _timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


def _crisis_reply(tracker) -> List[Event]:
    from counselor import helplines, language  # plain Python, no action server needed

    text = (tracker.latest_message.text if tracker.latest_message else "") or ""
    return [BotUttered(text=helplines.crisis_message(english=language.is_english(text)))]


# Actions whose reply can be made inside the Rasa server when the action
# server fails: the same events the real action returns.
LOCAL_FALLBACKS: Dict[str, Callable[[Any], List[Event]]] = {  # tracker -> events
    "action_crisis_support": _crisis_reply,
}


def _latest_user_message(events: List[Event], this_turn_only: bool = False) -> Optional[int]:
    """Index of the latest user message; with this_turn_only, None once the
    bot has listened again after it."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered):
            return index
        if this_turn_only and isinstance(event, ActionExecuted) \
                and event.action_name == ACTION_LISTEN_NAME:
            return None
    return None


def _undo_user_turn(tracker, domain) -> List[Event]:
    """Events that put slots and the active form back as they were before the
    user's latest message. (Rasa's UserUtteranceReverted cannot be used: inside
    a form, Rasa's replay folds earlier answers into the form's turn, and the
    revert would drop them too.)"""
    start = _latest_user_message(list(tracker.events), this_turn_only=True)
    if start is None:
        return []
    before = DialogueStateTracker.from_events(
        tracker.sender_id, list(tracker.events)[:start], slots=domain.slots
    )
    events: List[Event] = [
        SlotSet(name, before.slots[name].value)
        for name, slot in tracker.slots.items()
        if name in before.slots and slot.value != before.slots[name].value
    ]
    if tracker.active_loop_name != before.active_loop_name:
        events.append(ActiveLoop(before.active_loop_name))
    return events


def apology_events(tracker, domain) -> List[Event]:
    """Undo what the user's message changed, apologise, and wait for the next one."""
    return _undo_user_turn(tracker, domain) + [
        BotUttered(text=APOLOGY),
        FollowupAction(ACTION_LISTEN_NAME),
    ]


@functools.lru_cache(maxsize=1)
def _response_validator():
    """One prepared validator for the action server's replies."""
    from jsonschema.validators import validator_for

    schema = rasa_action.RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _current_turn(tracker) -> List[Event]:
    """The latest user message and every event after it."""
    events = list(tracker.events)
    start = _latest_user_message(events)
    return events[start:] if start is not None else events


class GuardedRemoteAction(rasa_action.RemoteAction):
    def _action_call_format(self, tracker, domain) -> Dict:
        # Rasa sends the whole conversation with every call and both servers
        # (de)serialise it, so each call cost more as the conversation grew
        # (bench/findings.md). Our actions read the slots, the active form, the
        # latest message and this turn's slot events (rasa_sdk's
        # slots_to_validate): the events of the current turn are enough.
        # The domain goes only to actions marked `send_domain` in domain.yml
        # when the endpoint enables selective domain (Rasa's own rule).
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in _current_turn(tracker)]
        call = {"next_action": self.name(), "sender_id": tracker.sender_id,
                "tracker": state, "version": rasa.__version__}
        if (not self._is_selective_domain_enabled()
                or domain.does_custom_action_explicitly_need_domain(self.name())):
            call["domain"] = domain.as_dict()
        return call

    def _validate_action_result(self, result) -> bool:
        # jsonschema.validate() re-checks the schema itself on every call: 38% of
        # the server's CPU (bench/findings.md). Same check, schema checked once;
        # on a bad reply Rasa's own method raises its usual error.
        if _response_validator().is_valid(result):
            return True
        return super()._validate_action_result(result)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        try:
            return await asyncio.wait_for(
                super().run(output_channel, nlg, tracker, domain), timeout=_timeout()
            )
        except rasa_action.ActionExecutionRejection:
            raise  # a form validation's normal "not this one" answer
        except (RasaException, asyncio.TimeoutError, OSError) as error:
            logger.error("Action server failed to run '%s': %r", self.name(), error)
            if _inside_form.get():
                raise ActionServerUnavailable(self.name()) from error
            local = LOCAL_FALLBACKS.get(self.name())
            return local(tracker) if local else apology_events(tracker, domain)


class GuardedFormAction(rasa_forms.FormAction):
    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        token = _inside_form.set(True)
        try:
            return await super().run(output_channel, nlg, tracker, domain)
        except ActionServerUnavailable:
            return apology_events(tracker, domain)
        finally:
            _inside_form.reset(token)


def install() -> None:
    """Makes Rasa create the guarded actions (idempotent)."""
    rasa_action.RemoteAction = GuardedRemoteAction  # used by action_for_name_or_text
    rasa_forms.RemoteAction = GuardedRemoteAction  # used for form validation
    rasa_forms.FormAction = GuardedFormAction  # imported by action_for_name_or_text

