"""The crisis adapter: the help lines everywhere, a private-chat offer in groups."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionCrisisSupport


def run(metadata):
    tracker = Tracker.from_dict({
        "sender_id": "tg:-1001:7", "slots": {}, "events": [], "active_loop": {},
        "latest_message": {"text": "aku pengen mati aja", "intent": {"name": "crisis"},
                           "metadata": metadata},
        "latest_action_name": "action_listen",
    })
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCrisisSupport().run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.mark.parametrize("metadata", [None, {}, {"telegram": {"chat_type": "private"}}])
def test_outside_groups_only_the_help_lines_are_sent(metadata):
    messages = run(metadata)
    assert len(messages) == 1 and "119" in messages[0]["text"]


def test_in_a_group_a_private_chat_is_offered_with_a_link_when_the_bot_name_is_known():
    messages = run({"telegram": {"chat_type": "supergroup", "bot_name": "KonselorBot"}})
    assert "119" in messages[0]["text"] and "anggota lain" in messages[1]["text"]
    assert messages[1]["buttons"] == [{"title": "Chat pribadi denganku",
                                       "url": "https://t.me/KonselorBot"}]
    unnamed = run({"telegram": {"chat_type": "group", "bot_name": None}})
    assert "anggota lain" in unnamed[1]["text"] and not unnamed[1].get("buttons")
