"""The safety layer and the scope guard, as the last NLU component.

Runs on every message, in the interview too, after the classifier and
`FallbackClassifier` (config.yml). The decisions are the core's:

* `counselor.safety.assess`: a message that signals a personal crisis gets
  the `crisis` intent at confidence 1.0, whatever the classifier said
  (the signal list decides on its own, but in a long message only with the
  crisis model's agreement; the classifier's own `crisis` probability and the
  crisis model's (`rasa_ext/crisis_detector.py`) otherwise only add recall). When the classifier said `crisis` but the
  check disagrees (a task request, a data request), the next intent of the
  ranking takes its place. The categories are kept in the parse data under
  `safety` (no text), for review.
* `counselor.scope.answerable`: a question about a topic the source text
  does not cover (pay, other professions, study route, ...) that the
  classifier gave an answerable topic gets `out_of_scope` instead, so it is
  answered honestly rather than with another topic's answer.
* `counselor.clarify.topic_after_greeting`: a greeting followed by a topic
  question ("halo kak, kpm itu apa") gets the topic, not only the greeting.
* `counselor.replies.yes_or_no`: a message made only of yes or no words
  ("mau dong", "nggak dulu deh") is `affirm` or `deny`, a reply to what the
  bot just asked, whatever the classifier guessed.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from counselor import clarify, replies, safety, scope
from rasa_ext import crisis_detector

CRISIS = safety.CRISIS_INTENT
OUT_OF_SCOPE = "out_of_scope"
SAFETY_KEY = "safety"


def _override(message: Message, intent_name: str, reason: str) -> None:
    intent = {"name": intent_name, "confidence": 1.0, "guard": reason}
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
               if entry.get("name") != intent_name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)


def _confidence_of(ranking: List[Dict[Text, Any]], name: str) -> float:
    return next((float(e.get("confidence") or 0) for e in ranking if e.get("name") == name), 0.0)


def _next_best(ranking: List[Dict[Text, Any]], skip: str) -> Optional[Dict[Text, Any]]:
    return next((e for e in ranking if e.get("name") not in (skip, DEFAULT_NLU_FALLBACK_INTENT_NAME)),
                None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyAndScopeGuard(GraphComponent):
    """Crisis check and scope guard on the classified message (module docstring)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "SafetyAndScopeGuard":
        safety.load()  # a malformed list fails at training, not at the first message
        scope.load()
        replies.load()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._guard(message)
        return messages

    def _guard(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        ranking = message.get(INTENT_RANKING_KEY) or []
        intent = (message.get(INTENT) or {}).get("name")
        other = _next_best(ranking, CRISIS) or {}
        assessment = safety.assess(
            text, _confidence_of(ranking, CRISIS),
            message.get(crisis_detector.PART_PROBABILITIES_KEY),
            (other.get("name", ""), float(other.get("confidence") or 0.0)))
        if assessment.crisis:
            message.set(SAFETY_KEY, {"categories": list(assessment.categories),
                                     "source": assessment.source}, add_to_output=True)
            _override(message, CRISIS, "safety")
            return
        if intent == CRISIS:
            replacement = _next_best(ranking, CRISIS)
            _override(message, replacement["name"] if replacement else OUT_OF_SCOPE, "safety")
            intent = (message.get(INTENT) or {}).get("name")
        reply = replies.yes_or_no(text)
        if reply:
            if intent != reply:
                _override(message, reply, "reply")
            return
        if intent in (clarify.GREETING_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME):
            topic = clarify.topic_after_greeting(ranking, scope.ANSWERED_TOPICS)
            if topic:
                _override(message, topic, "greeting")
                intent = topic
        if intent == DEFAULT_NLU_FALLBACK_INTENT_NAME:
            best = _next_best(ranking, DEFAULT_NLU_FALLBACK_INTENT_NAME)
            if best and not scope.answerable(best["name"], text):
                _override(message, OUT_OF_SCOPE, "scope")
        elif intent and not scope.answerable(intent, text):
            _override(message, OUT_OF_SCOPE, "scope")
