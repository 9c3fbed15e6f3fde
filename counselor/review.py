"""Conversation review: how the bot does with real users (plain Python, no Rasa imports).

Conversation-driven development, as Rasa recommends it: read real
conversations, label what the bot missed, add it to the training data,
retrain, check the blind sets. `scripts/review.py` (`make review`) reads the
tracker store and feeds its rows here in id order; this module aggregates and
decides what counts, and never keeps the text of a crisis message.

Definitions (README "Conversation review"):
* a conversation: one sender id; its channel is the `input_channel` of its
  first user message (rest, socketio, telegram, ...);
* fallback: a user message whose intent is `nlu_fallback` (the bot was unsure
  and asked "Maksudmu ...?" or said it did not understand); two-stage
  fallback: such a clarification answered with "Bukan keduanya" (`deny`);
* crisis: a user message with the `crisis` intent (counted, never shown);
* low confidence: a typed message (not a button payload) whose best intent is
  below `LOW_CONFIDENCE` or is `nlu_fallback`;
* the interview funnel: started = `action_start_interview` ran; reached
  statement k = the form asked statement k (`requested_slot` set to its trait);
  verdict = the `verdict` slot set.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

LOW_CONFIDENCE = 0.5
FALLBACK_INTENT = "nlu_fallback"
CRISIS_INTENT = "crisis"
CLARIFY_ACTION = "action_clarify"
START_ACTION = "action_start_interview"


@dataclass(frozen=True)
class Row:
    """One stored event: the columns of Rasa's `events` table."""
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: str  # the event as JSON


@dataclass
class Unsure:
    """A message the bot did not understand, or understood with low confidence."""
    text: str
    guess: str
    confidence: float
    count: int = 1


@dataclass
class Review:
    """Everything the report shows; counts only, plus the unsure messages' texts."""
    conversations_per_day: Dict[Tuple[str, str], int] = field(default_factory=dict)  # (day, channel)
    messages_per_day: Dict[Tuple[str, str], int] = field(default_factory=dict)
    intents: Counter = field(default_factory=Counter)
    user_messages: int = 0
    fallbacks: int = 0
    clarifications: int = 0
    clarifications_rejected: int = 0
    crisis_messages: int = 0
    started: int = 0
    reached: List[int] = field(default_factory=list)  # conversations that reached statement k
    verdicts: Counter = field(default_factory=Counter)
    unsure: List[Unsure] = field(default_factory=list)  # most frequent first
    conversations: int = 0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.user_messages if self.user_messages else 0.0

    @property
    def two_stage_rate(self) -> float:
        """Share of clarifications that got "Bukan keduanya"."""
        return self.clarifications_rejected / self.clarifications if self.clarifications else 0.0

    @property
    def crisis_rate(self) -> float:
        return self.crisis_messages / self.user_messages if self.user_messages else 0.0

    @property
    def drop_off(self) -> List[int]:
        """Conversations that stopped at statement k (reached k, not k+1, no verdict)."""
        finished = sum(self.verdicts.values())
        following = self.reached[1:] + [finished]
        return [max(0, here - after) for here, after in zip(self.reached, following)]


def _day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@dataclass
class _Conversation:
    channel: Optional[str] = None
    first_day: Optional[str] = None
    started: bool = False
    asked: set = field(default_factory=set)
    verdict: Optional[str] = None
    after_clarify: bool = False
    selected: bool = False


def build(rows: Iterable[Row], traits: Sequence[str], since: Optional[datetime] = None,
          channel: Optional[str] = None) -> Review:
    """Aggregates stored events (in id order) into a Review.

    traits: the rubric's trait names in interview order (statement k = traits[k-1]).
    since: only events at or after this time (UTC). channel: only conversations
    of this input channel. Raises nothing on odd rows: unreadable JSON is skipped.
    """
    cutoff = since.timestamp() if since else None
    conversations: Dict[str, _Conversation] = defaultdict(_Conversation)
    review = Review(reached=[0] * len(traits))
    messages = Counter()
    intents = Counter()
    unsure: Dict[str, Unsure] = {}
    statement = {trait: index for index, trait in enumerate(traits)}
    counts = Counter()
    for row in rows:
        if cutoff is not None and (row.timestamp or 0) < cutoff:
            continue
        conversation = conversations[row.sender_id]
        if row.type_name == "user":
            try:
                event = json.loads(row.data)
            except (TypeError, ValueError):
                continue
            if conversation.channel is None:
                conversation.channel = event.get("input_channel") or "unknown"
                conversation.first_day = _day(row.timestamp or 0)
            if channel and conversation.channel != channel:
                continue
            conversation.selected = True
            intent = row.intent_name or "unknown"
            messages[(_day(row.timestamp or 0), conversation.channel)] += 1
            intents[intent] += 1
            counts["user"] += 1
            if conversation.after_clarify and intent == "deny":
                counts["rejected"] += 1
            conversation.after_clarify = False
            if intent == CRISIS_INTENT:
                counts["crisis"] += 1
                continue  # never a crisis text in the review
            if intent == FALLBACK_INTENT:
                counts["fallback"] += 1
            text = str(event.get("text") or "")
            parse = event.get("parse_data") or {}
            if text.startswith("/") or not text.strip():
                continue  # a button or a command, not typed words
            guess = next((e for e in parse.get("intent_ranking") or []
                          if e.get("name") != FALLBACK_INTENT), parse.get("intent") or {})
            confidence = float(guess.get("confidence") or 0.0)
            if intent == FALLBACK_INTENT or confidence < LOW_CONFIDENCE:
                key = _normalised(text)
                if key in unsure:
                    unsure[key].count += 1
                else:
                    unsure[key] = Unsure(text, guess.get("name") or "unknown", confidence)
        elif row.type_name == "action" and (not channel or conversation.channel == channel):
            name = row.action_name or ""
            if name == CLARIFY_ACTION:
                counts["clarify"] += 1
                conversation.after_clarify = True
            elif name == START_ACTION:
                conversation.started = True
        elif row.type_name == "slot" and (not channel or conversation.channel == channel):
            try:
                event = json.loads(row.data)
            except (TypeError, ValueError):
                continue
            if event.get("name") == "verdict" and event.get("value"):
                conversation.verdict = event["value"]
            elif event.get("name") == "requested_slot" and event.get("value") in statement:
                conversation.asked.add(statement[event["value"]])  # the form asked it
    for sender, conversation in conversations.items():
        if not conversation.selected:
            continue
        review.conversations += 1
        key = (conversation.first_day, conversation.channel)
        review.conversations_per_day[key] = review.conversations_per_day.get(key, 0) + 1
        if conversation.started:
            review.started += 1
            for index in conversation.asked:
                review.reached[index] += 1
            if conversation.verdict:
                review.verdicts[conversation.verdict] += 1
    review.messages_per_day = dict(messages)
    review.intents = intents
    review.user_messages = counts["user"]
    review.fallbacks = counts["fallback"]
    review.clarifications = counts["clarify"]
    review.clarifications_rejected = counts["rejected"]
    review.crisis_messages = counts["crisis"]
    review.unsure = sorted(unsure.values(), key=lambda u: (-u.count, u.confidence))
    return review


def to_label_yaml(unsure: Sequence[Unsure]) -> str:
    """Rasa NLU YAML with each message under its guessed intent, confidence as a comment.

    A person fixes the label and moves the line into data/nlu/. Crisis messages
    never reach this list (see build)."""
    by_intent: Dict[str, List[Unsure]] = defaultdict(list)
    for item in unsure:
        by_intent[item.guess].append(item)
    lines = ['version: "3.1"', "# Messages the bot did not understand or was unsure of.",
             "# Check each label, fix it, and move the example into data/nlu/ (README).", "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples:"]
        for item in by_intent[intent]:
            lines.append(f"  # confidence {item.confidence:.2f}, seen {item.count}x")
            lines.append(f"  - text: {json.dumps(' '.join(item.text.split()), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def summary(review: Review) -> str:
    """The few lines printed in the terminal."""
    finished = sum(review.verdicts.values())
    return "\n".join([
        f"Conversations: {review.conversations}, user messages: {review.user_messages}",
        f"Fallback rate: {review.fallback_rate:.1%} ({review.fallbacks}); "
        f"two-stage fallback rejected: {review.two_stage_rate:.1%} of {review.clarifications} "
        f"clarifications; crisis: {review.crisis_messages} messages ({review.crisis_rate:.1%})",
        f"Interview: {review.started} started, {finished} reached a verdict "
        f"({', '.join(f'{k} {v}' for k, v in sorted(review.verdicts.items())) or 'none'})",
        f"Unsure or not understood: {len(review.unsure)} distinct messages "
        f"(var/review/to_label.yml)",
    ])
