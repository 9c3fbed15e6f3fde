"""Crisis support: help lines from counselor/helplines.yml."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action
from rasa_sdk.events import EventType

from counselor import helplines


class ActionCrisisSupport(Action):
    def name(self) -> Text:
        return "action_crisis_support"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(text=helplines.crisis_message())
        telegram = ((tracker.latest_message or {}).get("metadata") or {}).get("telegram") or {}
        if telegram.get("chat_type") in helplines.GROUP_CHAT_TYPES:
            dispatcher.utter_message(**helplines.group_note(telegram.get("bot_name")))
        return []
