"""Benchmark experiments only (bench/experiments/ab.py): never loaded by the project.

Put on PYTHONPATH of a `rasa run` process; each switch patches one thing to
measure what the same change in the project would give.
"""
import os

if os.environ.get("BENCH_EXP_SPACY"):
    import spacy
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    @registry.tokenizers("bench.NoExceptionsTokenizer.v1")
    def make_tokenizer():
        def create(nlp):
            d = nlp.Defaults
            return Tokenizer(
                nlp.vocab, rules={},
                prefix_search=spacy.util.compile_prefix_regex(d.prefixes).search,
                suffix_search=spacy.util.compile_suffix_regex(d.suffixes).search,
                infix_finditer=spacy.util.compile_infix_regex(d.infixes).finditer,
                token_match=d.token_match, url_match=d.url_match)
        return create

if os.environ.get("BENCH_EXP_VALIDATOR"):
    from jsonschema import ValidationError, validators
    from rasa.core.actions import action as rasa_action

    _schema = rasa_action.RemoteAction.action_response_format_spec()
    _cls = validators.validator_for(_schema)
    _cls.check_schema(_schema)  # once, not on every action call
    _validator = _cls(_schema)

    def _validate_action_result(self, result):
        try:
            _validator.validate(result)
            return True
        except ValidationError as error:
            error.message += ". Failed to validate Action server response from API."
            raise error

    rasa_action.RemoteAction._validate_action_result = _validate_action_result

if os.environ.get("BENCH_EXP_EVENTS"):
    # Event.resolve_by_type walks all Event subclasses for every event deserialised.
    from rasa.shared.core import events as rasa_events
    from rasa.shared.utils.common import all_subclasses

    _by_type = {}
    _original = rasa_events.Event.resolve_by_type

    def _resolve_by_type(type_name, default=None):
        if not _by_type:
            _by_type.update({cls.type_name: cls for cls in reversed(all_subclasses(rasa_events.Event))})
        found = _by_type.get(type_name)
        return found if found is not None else _original(type_name, default)

    rasa_events.Event.resolve_by_type = staticmethod(_resolve_by_type)

if os.environ.get("BENCH_EXP_CLASSIFIABLE"):
    # Presence of text features, without combining the sparse matrices twice.
    from rasa.shared.nlu.constants import TEXT
    import nlu_components.classifier as project_classifier

    def _is_classifiable(message):
        if not any(char.isalnum() for char in message.get(TEXT) or ""):
            return False
        return any(feature.attribute == TEXT for feature in message.features)

    project_classifier.is_classifiable = _is_classifiable
