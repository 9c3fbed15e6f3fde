"""Which topics to offer when the bot is unsure what a message meant (two-stage fallback).

Rasa's `FallbackClassifier` puts `nlu_fallback` on top of the intent ranking
when the best intent is below the confidence threshold or the best two are
closer than the ambiguity threshold (config.yml); the original intents follow.
The bot then asks "Maksudmu ...?" with the likely topics as buttons, as Rasa's
demo assistants do, instead of answering a guess. Only answerable topics are
offered: a guess at small talk, crisis or out-of-scope is never a button.
"""
from __future__ import annotations

from typing import AbstractSet, Dict, List, Mapping, Optional, Sequence

FALLBACK_INTENT = "nlu_fallback"
GREETING_INTENT = "greet"
# A topic below this confidence is not worth offering as a guess.
MIN_CONFIDENCE = 0.1


def choices(ranking: Sequence[Mapping], topics: Mapping[str, str], limit: int = 2) -> List[str]:
    """The topic intents to offer, best first.

    ranking: Rasa's `intent_ranking`, [{"name": str, "confidence": float 0..1}]
    sorted best first. topics: intent name -> button title of the intents that
    can be offered. Returns at most `limit` intent names; only candidates among
    the `limit` best real intents count, so a distant guess is never offered.
    """
    real = [entry for entry in ranking if entry.get("name") != FALLBACK_INTENT][:limit]
    return [entry["name"] for entry in real
            if entry.get("name") in topics and float(entry.get("confidence") or 0) >= MIN_CONFIDENCE]


def topic_after_greeting(ranking: Sequence[Mapping], topics: AbstractSet[str]) -> Optional[str]:
    """The topic a message that greets first asks about ("halo kak, kpm itu apa?"),
    or None.

    ranking: as for `choices`. The classifier's best real intent must be the
    greeting and its next one of `topics` at `MIN_CONFIDENCE` or more: the
    greeting words outweigh a short question, but a greeting alone leaves
    every topic near 0 (found in the round-7 user trial).
    """
    real = [entry for entry in ranking if entry.get("name") != FALLBACK_INTENT][:2]
    if len(real) < 2 or real[0].get("name") != GREETING_INTENT:
        return None
    topic = real[1]
    if topic.get("name") in topics and float(topic.get("confidence") or 0) >= MIN_CONFIDENCE:
        return topic["name"]
    return None


def topic_buttons(buttons: Sequence[Mapping]) -> Dict[str, str]:
    """{intent: title} from buttons whose payload is a bare intent ("/ask_duties")."""
    topics = {}
    for button in buttons:
        payload = str(button.get("payload", ""))
        if payload.startswith("/") and payload[1:].isidentifier():
            topics[payload[1:]] = button["title"]
    return topics
