"""The cached event-class lookup answers exactly as Rasa's own walk."""
import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.utils.common import all_subclasses

from rasa_ext import speedups


@pytest.fixture(autouse=True)
def installed():
    speedups.install()


def test_every_event_type_resolves_to_the_class_rasa_would_pick():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is speedups._original_resolve_by_type(cls.type_name)


def test_unknown_names_behave_as_in_rasa():
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_stored_events_come_back_as_the_same_objects():
    stored = [UserUttered("halo").as_dict(), SlotSet("empathy", 4.0).as_dict()]
    assert deserialise_events(stored) == [UserUttered("halo"), SlotSet("empathy", 4.0)]
