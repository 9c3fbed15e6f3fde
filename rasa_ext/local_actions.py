"""Actions the Rasa server runs itself: the interview's questions and the "Maksudmu ...?" clarification.

Every interview answer used to cost two action-server calls: validating the
answer (`validate_suitability_form`), then `action_ask_<trait>` for the next
question. Each call sends the whole tracker as JSON and the action server
parses it back, so the cost grows with the conversation (bench/findings.md).
A question depends on nothing but the rubric, so the Rasa server renders it
here from the same core texts (`counselor.interview_text`) and only the
answer's validation and the verdict stay on the action server.

`action_clarify` (the two-stage fallback) needs only the message's intent
ranking and the domain's texts, so it runs here too: no round trip for a
message the bot did not understand.

Rasa 3.6 makes every custom action a `RemoteAction`; `install()` (idempotent,
applied by `rasa_ext.install()`) makes Rasa's
action factory return these for the names the domain lists, and Rasa's own
action for every other name.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional

from rasa.core.actions import action as rasa_action
from rasa.shared.core.events import Event

from datetime import datetime, timezone

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from counselor import (clarify, interview_text, language, mood, privacy, replies, scope, scoring,
                       verdict_text)
from rasa_ext import stores

# Topic buttons (title, payload /intent) are the greeting's: one home for the titles.
TOPICS_RESPONSE = "utter_greet"
OUT_OF_SCOPE_RESPONSE = "utter_out_of_scope"
VERDICT_BUTTONS_RESPONSE = "utter_verdict_buttons"
NO_ACTIVE_INTERVIEW_RESPONSE = "utter_no_active_interview"
STOPPED_RESPONSE = "utter_interview_stopped"
PAUSED_RESPONSE = "utter_interview_paused"
THANK_RESPONSE = "utter_thank"
DELETE_CANCELLED_RESPONSE = "utter_delete_cancelled"
GOODBYE_RESPONSE = "utter_goodbye"
STOP_INTENT = "stop_interview"
VERDICT_SLOT = "verdict"  # the contract's slot
REQUESTED_SLOT = "requested_slot"


class AskTraitQuestion(rasa_action.Action):
    """'Pertanyaan k dari n' with the rubric's statement and the five scale buttons."""

    def __init__(self, number: int, total: int, trait: scoring.Trait) -> None:
        self.number, self.total, self.trait = number, total, trait

    def name(self) -> str:
        return f"action_ask_{self.trait.trait}"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        return [rasa_action.create_bot_utterance({
            "text": interview_text.question(self.number, self.total, self.trait),
            "buttons": interview_text.scale_buttons(self.trait.trait),
        })]


class ClarifyAction(rasa_action.Action):
    """'Maksudmu yang mana?' with the likely topics as buttons and 'Bukan keduanya'
    ('Maksudmu yang ini?' and 'Bukan' with one topic).

    Texts: `utter_clarify` (its buttons end the list), `utter_clarify_one` when
    only one topic is likely ("Maksudmu yang ini?" and "Bukan") and, when no
    topic is likely enough, `utter_default`; topic titles from `TOPICS_RESPONSE`.
    Which topics: `counselor.clarify.choices`. An unsure request for the result
    of a finished test ("tadi hasilnya apa ya") gets the verdict again.
    """

    def name(self) -> str:
        return "action_clarify"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        if interview_text.asks_for_result(_latest_text(tracker)):  # "tadi hasilnya apa ya"
            verdict = await _verdict_again(output_channel, nlg, tracker)
            if verdict:
                return verdict
        ranking = tracker.latest_message.parse_data.get("intent_ranking") or []
        topics = clarify.topic_buttons(domain.responses[TOPICS_RESPONSE][0].get("buttons", []))
        picked = clarify.choices(ranking, topics)
        channel = _channel_name(output_channel)
        if not picked:
            message = await nlg.generate("utter_default", tracker, channel)
            text = tracker.latest_message.text or ""
            kind = mood.low_mood_reply(text)
            if kind:  # "😭😭😭🙏" is not a question to rephrase (user trial, round 13)
                message["text"] = kind
            elif language.is_other_language(text):  # "この仕事は何ですか" (user trial, round 14)
                message["text"] = language.OTHER_LANGUAGE_REPLY
        else:
            response = "utter_clarify" if len(picked) > 1 else "utter_clarify_one"
            message = await nlg.generate(response, tracker, channel)
            message["buttons"] = [{"title": topics[intent], "payload": f"/{intent}"}
                                  for intent in picked] + list(message.get("buttons") or [])
        return [rasa_action.create_bot_utterance(message)]


class GreetAction(rasa_action.Action):
    """`utter_greet`, and on the conversation's first greeting the privacy notice
    (`counselor.privacy.notice`, with BOT_RETENTION_DAYS)."""

    def name(self) -> str:
        return "action_greet"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        channel = _channel_name(output_channel)
        message = await nlg.generate("utter_greet", tracker, channel)
        greeted_before = any(isinstance(e, ActionExecuted) and e.action_name == self.name()
                             for e in tracker.events)
        if not greeted_before:
            message["text"] = f"{message['text']}\n\n{privacy.notice(privacy.retention_days(), channel)}"
        return [rasa_action.create_bot_utterance(message)]


class MyDataAction(rasa_action.Action):
    """What is stored about this user (`counselor.privacy.summary_text`): from the
    tracker store's rows when it is ours, else from the tracker in memory."""

    def name(self) -> str:
        return "action_my_data"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        if privacy.telegram_group((tracker.latest_message.metadata if tracker.latest_message
                                   else None)) is not None:
            # Asked in words in a group ("data apa aja yg kamu simpan?"): as for /dataku there.
            return [rasa_action.create_bot_utterance({"text": privacy.GROUP_DATA_NOTE})]
        store = stores.current()
        if store is not None:
            first_seen, user_messages, crisis_messages = store.stored_summary(tracker.sender_id)
            # This turn is saved after the reply, so its message is not counted yet.
            user_messages += 1
            first_seen = first_seen or datetime.now(timezone.utc)
        else:
            first = tracker.events[0].timestamp if tracker.events else None
            first_seen = datetime.fromtimestamp(first, tz=timezone.utc) if first else None
            users = [e for e in tracker.events if isinstance(e, UserUttered)]
            user_messages = len(users)
            crisis_messages = sum(1 for e in users if (e.intent or {}).get("name") == "crisis")
        answers = {trait.label: tracker.get_slot(trait.trait) for trait in scoring.load_rubric()
                   if tracker.get_slot(trait.trait) is not None}
        summary = privacy.StoredSummary(first_seen, user_messages, crisis_messages, answers,
                                        tracker.get_slot("verdict"))
        channel = _channel_name(output_channel)
        return [rasa_action.create_bot_utterance(
            {"text": privacy.summary_text(summary, privacy.retention_days(), channel)})]


class EraseConversationAction(rasa_action.Action):
    """Says the conversation is erased; the store deletes it when it saves this turn
    (`rasa_ext.stores.ERASE_ACTION`). The reply carries `conversation_erased` so
    the web page forgets its session id too."""

    def name(self) -> str:
        return stores.ERASE_ACTION

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        channel = _channel_name(output_channel)
        message = await nlg.generate("utter_conversation_erased", tracker, channel)
        message["custom"] = {"conversation_erased": True}
        return [rasa_action.create_bot_utterance(message)]


class OutOfScopeAction(rasa_action.ActionBotResponse):
    """`utter_out_of_scope`, fitted to the message (user trials of rounds 11 to 13):

    * asking for the test's result ("hasilku tadi apa?"): the verdict again
      (`_verdict_again`), or `interview_text.NO_RESULT_OFFER` when no test has
      finished;
    * a message in another language (`language.is_other_language`): that the
      bot reads Indonesian and some English (`language.OTHER_LANGUAGE_REPLY`);
    * a low mood that asks nothing ("hari ini berat banget, aku nangis terus"):
      `counselor.mood`'s kind reply instead of "aku belum punya informasinya";
    * otherwise the reply names the topic asked about ("soal gaji atau
      penghasilan konselor, ...": `scope.name_in_reply`).

    Same name, so the rules stay as they are; the buttons are the response's."""

    def __init__(self) -> None:
        super().__init__(OUT_OF_SCOPE_RESPONSE)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        text = _latest_text(tracker)
        asks_for_result = interview_text.asks_for_result(text)
        verdict = await _verdict_again(output_channel, nlg, tracker) if asks_for_result else None
        if verdict:
            return verdict
        events = await super().run(output_channel, nlg, tracker, domain)
        return [BotUttered(_fitted_reply(event.text or "", text, asks_for_result),
                           event.data, event.metadata, event.timestamp)
                if isinstance(event, BotUttered) else event for event in events]


def _fitted_reply(reply: str, text: str, asks_for_result: bool) -> str:
    """The out-of-scope reply's text for this message (see OutOfScopeAction)."""
    if asks_for_result:
        return interview_text.NO_RESULT_OFFER
    if language.is_other_language(text):
        return language.OTHER_LANGUAGE_REPLY
    return mood.low_mood_reply(text) or scope.name_in_reply(reply, text)


async def _verdict_again(output_channel, nlg, tracker) -> Optional[List[Event]]:
    """The finished test's verdict again, for a request for the result ("hasilku
    tadi apa?", `interview_text.asks_for_result`): rendered from the trait slots,
    with VERDICT_BUTTONS_RESPONSE's buttons. None when no test has finished."""
    verdict = _finished_verdict(tracker)
    if verdict is None:
        return None
    return [await _utter(VERDICT_BUTTONS_RESPONSE, output_channel, nlg, tracker,
                         text=verdict_text.render(verdict))]


def _finished_verdict(tracker):
    """The `scoring.Verdict` of the finished test whose answers the tracker holds, or None."""
    if tracker.get_slot(VERDICT_SLOT) is None:
        return None
    rubric = scoring.load_rubric()
    return scoring.complete_verdict(rubric, {trait.trait: tracker.get_slot(trait.trait) for trait in rubric})


class ThankAction(rasa_action.ActionBotResponse):
    """`utter_thank`; thanks that also takes leave ("makasih kak, dadah",
    `replies.says_farewell`) gets the thanks' first sentence and GOODBYE_RESPONSE
    instead of "Ada lagi yang mau kamu tanyakan?" (user trial, round 13).
    Same name, so the rules stay as they are."""

    def __init__(self) -> None:
        super().__init__(THANK_RESPONSE)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        text = _latest_text(tracker)
        if not replies.says_farewell(text):
            return await super().run(output_channel, nlg, tracker, domain)
        channel = _channel_name(output_channel)
        thanks = (await nlg.generate(THANK_RESPONSE, tracker, channel))["text"]
        goodbye = await nlg.generate(GOODBYE_RESPONSE, tracker, channel)
        goodbye["text"] = f"{_first_sentence(thanks)} {goodbye['text']}"
        return [rasa_action.create_bot_utterance(goodbye)]


def _first_sentence(text: str) -> str:
    """The text up to and with its first '!', '?' or '.'; the whole text without one."""
    match = re.search(r"[!?.]", text)
    return text[:match.end()] if match else text


class StopPausedInterviewAction(rasa_action.ActionBotResponse):
    """`utter_no_active_interview`, except for a stop while a test paused by the crisis
    reply still holds answers: those are cleared and `utter_interview_stopped` says
    so (it used to say no test was running and keep them; user trial, round 13).
    A stop "for now" (`interview_text.asks_to_pause`) keeps them, and so does an
    answer typed or pressed while the test is paused; both are told that the test
    is paused and how to go on (PAUSED_RESPONSE; user trials, rounds 13 and 14).
    Same name, so the rules stay as they are."""

    def __init__(self) -> None:
        super().__init__(NO_ACTIVE_INTERVIEW_RESPONSE)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        if not _unfinished_answers(tracker):
            return await super().run(output_channel, nlg, tracker, domain)
        if intent != STOP_INTENT or interview_text.asks_to_pause(_latest_text(tracker)):
            return [await _utter(PAUSED_RESPONSE, output_channel, nlg, tracker)]
        traits = [trait.trait for trait in scoring.load_rubric()]
        return [SlotSet(slot, None) for slot in (*traits, REQUESTED_SLOT)] + [
            await _utter(STOPPED_RESPONSE, output_channel, nlg, tracker)]


class StoppedOrPausedAction(rasa_action.ActionBotResponse):
    """`utter_interview_stopped`, or PAUSED_RESPONSE when `action_stop_interview`
    kept the answers because the stop was "for now" ("berhenti dulu deh"; user
    trial, round 13). Same name, so the rules stay as they are."""

    def __init__(self) -> None:
        super().__init__(STOPPED_RESPONSE)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        if not _unfinished_answers(tracker):
            return await super().run(output_channel, nlg, tracker, domain)
        return [await _utter(PAUSED_RESPONSE, output_channel, nlg, tracker)]


class DeleteCancelledAction(rasa_action.ActionBotResponse):
    """`utter_delete_cancelled`, followed by PAUSED_RESPONSE when the erase question
    came in the middle of the test: the test is paused with its answers kept, and
    the user is told how to go on (it ended silently; user trial, round 14).
    Same name, so the rules stay as they are."""

    def __init__(self) -> None:
        super().__init__(DELETE_CANCELLED_RESPONSE)

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:
        events = await super().run(output_channel, nlg, tracker, domain)
        if not _unfinished_answers(tracker):
            return events
        return events + [await _utter(PAUSED_RESPONSE, output_channel, nlg, tracker)]


def _latest_text(tracker) -> str:
    """The text of the user's latest message ("" when there is none)."""
    return (tracker.latest_message.text if tracker.latest_message else "") or ""


def _channel_name(output_channel) -> Optional[str]:
    return output_channel.name() if output_channel else None


async def _utter(response: str, output_channel, nlg, tracker, text: Optional[str] = None) -> Event:
    """The BotUttered of a domain response (its buttons kept), with `text` instead
    of the response's own when given."""
    message = await nlg.generate(response, tracker, _channel_name(output_channel))
    if text is not None:
        message["text"] = text
    return rasa_action.create_bot_utterance(message)


def _unfinished_answers(tracker) -> bool:
    """True when the tracker holds answers of a test that has no verdict."""
    return tracker.get_slot(VERDICT_SLOT) is None and any(
        tracker.get_slot(trait.trait) is not None for trait in scoring.load_rubric())


def _local_actions() -> Dict[str, rasa_action.Action]:
    rubric = scoring.load_rubric()
    actions: List[rasa_action.Action] = [AskTraitQuestion(number, len(rubric), trait)
                                         for number, trait in enumerate(rubric, start=1)]
    actions += [ClarifyAction(), GreetAction(), MyDataAction(), EraseConversationAction(),
                OutOfScopeAction(), StopPausedInterviewAction(), StoppedOrPausedAction(),
                ThankAction(), DeleteCancelledAction()]
    return {action.name(): action for action in actions}


LOCAL_ACTIONS = _local_actions()
_rasa_action_for_name_or_text = rasa_action.action_for_name_or_text


def action_for_name_or_text(action_name_or_text, domain, action_endpoint):
    local = LOCAL_ACTIONS.get(action_name_or_text)
    if local is not None and action_name_or_text in domain.action_names_or_texts:
        return local
    return _rasa_action_for_name_or_text(action_name_or_text, domain, action_endpoint)


def install() -> None:
    # forms.py and processor.py look the factory up on the module at each call.
    rasa_action.action_for_name_or_text = action_for_name_or_text
