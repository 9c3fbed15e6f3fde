"""Crisis support: help lines from counselor/helplines.yml."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action
from rasa_sdk.events import EventType

from counselor import helplines, language, privacy


class ActionCrisisSupport(Action):
    def name(self) -> Text:
        return "action_crisis_support"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        dispatcher.utter_message(text=helplines.crisis_message(english=language.is_english(text)))
        group = privacy.telegram_group((tracker.latest_message or {}).get("metadata"))
        if group is not None:
            dispatcher.utter_message(**helplines.group_note(group.get("bot_name")))
        return []
