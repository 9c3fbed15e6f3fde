"""Rasa's LogisticRegressionClassifier, made safe for messages without words.

The stock classifier raises on a message that produced no features (empty or
whitespace-only text): Rasa then logs the error and the user gets no reply at
all. Text with no letter or digit at all ("???", "😀😀") has features, but only
punctuation n-grams, and gets a confident random intent. Here both get the
nlu_fallback intent, so the fallback rule answers kindly; every other message
is classified as before.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def is_classifiable(message: Message) -> bool:
    if not any(char.isalnum() for char in message.get(TEXT) or ""):
        return False
    # Only look: combining the features here would repeat, per message, the
    # matrix work the classifier itself does next (bench/findings.md).
    return any(
        f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE for f in message.features
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: List[Message]) -> List[Message]:
        featured = [m for m in messages if is_classifiable(m)]
        if featured:
            super().process(featured)
        for message in messages:
            if not is_classifiable(message):
                intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
