"""The crisis model (`counselor.crisis_model`) as a pipeline component.

Trained with the model: on the NLU examples of `data/` (the `crisis` intent
against every other; not the blocks marked `crisis_model: false`,
`crisis_model.nlu_training_pairs`) and on `counselor/crisis_examples.yml`. On every message
it sets `crisis_part_probabilities` (0..1 each, no text) in the parse data,
one for each of `safety.message_parts` (the whole text first), before `SafetyAndScopeGuard`, which passes those to
`counselor.safety.assess`.

Rasa's training cache keys a component on its config and its inputs from the
graph; the examples file is not one of them, so `fingerprint_addon` adds its
digest: editing the file retrains this component, and only this one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from counselor import crisis_model, safety

# One for each of safety.message_parts(text), the whole text first.
PART_PROBABILITIES_KEY = "crisis_part_probabilities"
MODEL_FILE = "crisis_model.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisDetector(GraphComponent):
    """Config: `C` (the model's inverse penalty, float > 0, default 30).

    An untrained component (no persisted model) sets no probability."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 30.0}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return crisis_model.examples_digest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[crisis_model.CrisisModel] = None) -> None:
        self.config, self._model_storage, self._resource = config, model_storage, resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisDetector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = crisis_model.nlu_training_pairs(
            ((m.get(TEXT), m.get(INTENT), (m.get(METADATA) or {}).get(METADATA_INTENT))
             for m in training_data.intent_examples), safety.CRISIS_INTENT)
        examples += crisis_model.load_examples()
        texts, labels = zip(*examples)
        self.model = crisis_model.CrisisModel(C=float(self.config["C"])).fit(texts, labels)
        with self._model_storage.write_to(self._resource) as model_dir:
            self.model.save(Path(model_dir) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CrisisDetector":
        try:
            with model_storage.read_from(resource) as model_dir:
                model = crisis_model.CrisisModel.load(Path(model_dir) / MODEL_FILE)
        except ValueError:  # no trained resource
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        for message, scores in zip(messages, self.model.part_probabilities(texts)):
            message.set(PART_PROBABILITIES_KEY, [round(float(p), 4) for p in scores],
                        add_to_output=True)
        return messages
