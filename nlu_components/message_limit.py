"""Cuts over-long messages before tokenization and marks them.

Anything a user types passes this component first (it is the first entry of the
pipeline in config.yml). Text longer than `max_characters` (2 000 by default,
README "Bad input") is cut to that length, so one 20 000-character message
costs no more than a normal one in the spaCy pipeline, the featurizers and the
classifier. The parse result then carries `message_cut`
(`{"limit": ..., "original_length": ...}`), and the dialogue policy
(`nlu_components/dialogue.py`) adds `utter_message_cut` to the bot's answer so
the user is told.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MESSAGE_CUT = "message_cut"
DEFAULT_MAX_CHARACTERS = 2000


def cut(text: Any, limit: int):
    """Returns (text, info): the text cut to `limit` characters, or None info."""
    if not isinstance(text, str) or len(text) <= limit:
        return text, None
    return text[:limit], {"limit": limit, "original_length": len(text)}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class MessageLengthLimit(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": DEFAULT_MAX_CHARACTERS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.limit = int(config.get("max_characters") or DEFAULT_MAX_CHARACTERS)
        if self.limit < 1:
            raise ValueError("max_characters must be at least 1")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthLimit":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, info = cut(message.get(TEXT), self.limit)
            if info:
                message.set(TEXT, text)
                message.set(MESSAGE_CUT, info, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are short; they pass unchanged.
        return training_data
