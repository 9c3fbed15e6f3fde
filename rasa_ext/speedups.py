"""Speed-ups of Rasa internals, measured in bench/findings.md.

Rasa turns every stored event back into an object on every message
(`Event.from_parameters` -> `Event.resolve_by_type`), and `resolve_by_type`
walks all `Event` subclasses to find the class of a type name. The walk grows
with the conversation: under the benchmark's interview load it was 8-14 % of
the Rasa server's time, and caching it took the 1-user median from about 50
to about 37 ms and 8 users from 28 to 40 messages/s (A/B, same model).

`install()` is idempotent and is applied by `rasa_ext.install()` (see
rasa_ext/__init__.py), so every process that serves the model has it.
"""
from __future__ import annotations

from typing import Dict, Optional, Type

from rasa.shared.core import events as rasa_events
from rasa.shared.utils.common import all_subclasses

_original_resolve_by_type = rasa_events.Event.resolve_by_type
_classes_by_type: Dict[str, Type[rasa_events.Event]] = {}


def _resolve_by_type(type_name, default: Optional[Type[rasa_events.Event]] = None):
    if not _classes_by_type:
        for cls in all_subclasses(rasa_events.Event):
            # The first match wins, as in Rasa's own lookup.
            _classes_by_type.setdefault(cls.type_name, cls)
    found = _classes_by_type.get(type_name)
    # Unknown names (and classes defined later) take Rasa's path, errors included.
    return found if found is not None else _original_resolve_by_type(type_name, default)


def install() -> None:
    rasa_events.Event.resolve_by_type = staticmethod(_resolve_by_type)
