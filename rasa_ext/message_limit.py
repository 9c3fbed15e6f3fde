"""Cuts over-long messages before tokenization and marks them.

Anything a user types passes this component first (it is the first entry of the
pipeline in config.yml). Text longer than `max_characters` (2 000, README
"Bad input") is cut to that length, so one 20 000-character message costs no
more than a normal one in the spaCy pipeline, the featurizers and the
classifier. The parse result then carries `message_cut`
(`{"limit": ..., "original_length": ...}`), and the dialogue policy
(`rasa_ext/policy.py`) adds `utter_message_cut` to the bot's answer so
the user is told. Lone UTF-16 surrogates (not text; JSON can carry them as
"\\ud800") become U+FFFD here, because spaCy raises on them.

A channel should also call `cut_at_channel` on what it receives: then the text
stored in the tracker, and read by `from_text` slot mappings (interview
answers), is the cut one too, and the channel's metadata tells this component
that the message was cut, so the user is still told.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MESSAGE_CUT = "message_cut"
DEFAULT_MAX_CHARACTERS = 2000
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: Any) -> Any:
    """Lone surrogates (invalid in UTF-8) become U+FFFD."""
    return _SURROGATES.sub("\ufffd", text) if isinstance(text, str) else text


def cut(text: Any, limit: int = DEFAULT_MAX_CHARACTERS):
    """Returns (text, info): the text cut to `limit` characters, or None info."""
    if not isinstance(text, str) or len(text) <= limit:
        return text, None
    return text[:limit], {"limit": limit, "original_length": len(text)}


def cut_at_channel(
    text: Any, metadata: Optional[Dict[Text, Any]], limit: int = DEFAULT_MAX_CHARACTERS
) -> Tuple[Any, Optional[Dict[Text, Any]]]:
    """For input channels: (clean text cut to the limit, metadata noting the cut).

    A `message_cut` key sent by the client is dropped: only the channel sets it.
    """
    if isinstance(metadata, dict) and MESSAGE_CUT in metadata:
        metadata = {k: v for k, v in metadata.items() if k != MESSAGE_CUT}
    text, info = cut(clean(text), limit)
    if info:
        metadata = {**(metadata or {}), MESSAGE_CUT: info}
    return text, metadata


def _channel_info(message: Message, limit: int) -> Optional[Dict[Text, int]]:
    metadata = message.get("metadata")
    info = metadata.get(MESSAGE_CUT) if isinstance(metadata, dict) else None
    if not isinstance(info, dict):
        return None
    original = info.get("original_length")
    if isinstance(original, bool) or not isinstance(original, int) or original <= limit:
        return None
    return {"limit": limit, "original_length": original}


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
            original = message.get(TEXT)
            text, info = cut(clean(original), self.limit)
            info = info or _channel_info(message, self.limit)
            if text != original:
                message.set(TEXT, text)
            if info:
                message.set(MESSAGE_CUT, info, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are short; they pass unchanged.
        return training_data
