"""The Rasa adapters, run against trackers built from plain dicts."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.interview import (
    TRAIT_SLOTS, ActionGiveVerdict, ActionStartInterview, ActionStopInterview,
    ValidateSuitabilityForm,
)
from counselor.interview_text import ALREADY_ANSWERED, NOT_UNDERSTOOD, RESUMING, SHARED_FEELING

DOMAIN = {"forms": {"suitability_form": {"required_slots": TRAIT_SLOTS}}}


def tracker(slots=None, text="", intent="answer_scale", requested_slot=None, active_loop=None):
    all_slots = {slot: None for slot in (*TRAIT_SLOTS, "verdict", "requested_slot")}
    all_slots.update(slots or {})
    all_slots["requested_slot"] = requested_slot
    return Tracker.from_dict({
        "sender_id": "test",
        "slots": all_slots,
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0}},
        "events": [],
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    })


def texts(dispatcher):
    return [m.get("text") for m in dispatcher.messages]


async def validate(text, slot="empathy", entities=()):
    dispatcher = CollectingDispatcher()
    t = tracker({slot: text}, text=text, requested_slot=slot, active_loop="suitability_form")
    t.latest_message["entities"] = list(entities)
    # slots_to_validate() reads the events since the last user message
    t.events = [{"event": "user", "text": text}, {"event": "slot", "name": slot, "value": text}]
    events = await ValidateSuitabilityForm().get_validation_events(dispatcher, t, DOMAIN)
    return events, dispatcher


def test_every_trait_has_a_validator():
    for slot in TRAIT_SLOTS:
        output = getattr(ValidateSuitabilityForm(), f"validate_{slot}")(
            "4", CollectingDispatcher(), tracker(text="4"), {})
        assert output == {slot: 4}


@pytest.mark.parametrize("text,score,echo", [("iya banget", 5, "✓ 5 · Sangat setuju"),
                                             ("4/5", 4, "✓ 4 · Setuju"),
                                             ("gak juga", 2, "✓ 2 · Tidak setuju"),
                                             ("kadang2", 3, "✓ 3 · Netral")])
async def test_a_typed_answer_is_stored_and_echoed(text, score, echo):
    events, dispatcher = await validate(text)
    assert events == [SlotSet("empathy", score)]
    [message] = dispatcher.messages  # one message: a channel may show the echo or the note
    assert message["text"] == echo
    assert message["custom"] == {"answered": {"statement": "empathy", "value": score, "title": echo}}


async def test_answers_scored_before_are_not_echoed_again_when_the_form_resumes():
    dispatcher = CollectingDispatcher()
    t = tracker({"empathy": 4.0}, text="lanjut tes", requested_slot="listening", active_loop="suitability_form")
    assert ValidateSuitabilityForm().answer("empathy", 4.0, dispatcher, t) == 4.0
    assert dispatcher.messages == []


async def test_answers_cleared_for_a_retake_are_not_checked_as_answers():
    dispatcher = CollectingDispatcher()
    t = tracker(text="tes lagi", intent="start_interview", active_loop="suitability_form")
    t.events = [{"event": "user", "text": "tes lagi"}] + [
        {"event": "slot", "name": slot, "value": None} for slot in TRAIT_SLOTS]
    events = await ValidateSuitabilityForm().get_validation_events(dispatcher, t, DOMAIN)
    assert all(event["value"] is None for event in events)
    assert dispatcher.messages == []  # before: "belum menangkap jawabanmu" eight times


async def test_a_button_of_the_current_statement_is_stored_without_an_echo():
    payload = '/answer_scale{"answer": "listening:4"}'
    events, dispatcher = await validate(payload, slot="listening",
                                        entities=[{"entity": "answer", "value": "listening:4"}])
    assert events == [SlotSet("listening", 4)]
    assert texts(dispatcher) == [None]  # only the custom "answered" payload
    assert dispatcher.messages[0]["custom"]["answered"]["title"] == "✓ 4 · Setuju"


@pytest.mark.parametrize("entity", ["empathy:5", "nonsense", "listening:9"])
async def test_a_stale_or_forged_button_is_not_an_answer(entity):
    events, dispatcher = await validate(f'/answer_scale{{"answer": "{entity}"}}', slot="listening",
                                        entities=[{"entity": "answer", "value": entity}])
    assert events == [SlotSet("listening", None)]
    assert texts(dispatcher) == [ALREADY_ANSWERED]


async def test_validation_rejects_nonsense_with_a_hint():
    events, dispatcher = await validate("🤷 xyz qwerty", slot="patience")
    assert events == [SlotSet("patience", None)]
    assert texts(dispatcher) == [NOT_UNDERSTOOD]


async def test_a_feeling_shared_mid_test_gets_a_kind_word_and_no_score():
    events, dispatcher = await validate("aku lg sedih bgt baru putus", slot="patience")
    assert events == [SlotSet("patience", None)]
    assert texts(dispatcher) == [SHARED_FEELING]
    assert "berhenti" in SHARED_FEELING and "1 sampai 5" in SHARED_FEELING


async def test_lanjut_after_the_kind_word_goes_on_with_the_statement_and_no_score():
    events, dispatcher = await validate("lanjut", slot="patience")
    assert events == [SlotSet("patience", None)]
    assert texts(dispatcher) == [RESUMING]


@pytest.mark.parametrize("text", ["berapa gajinya kak?", "lulusan apa yg bisa jadi konselor?",
                                  "bedanya sama psikolog apa?",
                                  "kuliah jurusan apa biar bisa jadi konselor"])
async def test_a_question_the_source_cannot_answer_is_not_an_answer(text):
    events, dispatcher = await validate(text, slot="listening")
    assert events == [SlotSet("listening", None)]
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope_in_test"]


async def test_in_the_test_the_no_information_reply_names_what_was_asked():
    import yaml
    from tests.harness import ROOT
    domain = dict(DOMAIN, responses=yaml.safe_load((ROOT / "domain.yml").read_text())["responses"])
    dispatcher = CollectingDispatcher()
    score = ValidateSuitabilityForm.score_answer("berapa gajinya kak?", dispatcher, None, domain)
    assert score is None
    [text] = texts(dispatcher)
    assert text.startswith("Maaf, soal gaji atau penghasilan konselor, aku belum punya informasinya")
    assert "lanjut tesnya" in text


async def test_verdict_sets_the_slot_and_renders_the_user_profile():
    dispatcher = CollectingDispatcher()
    slots = {slot: 5 for slot in TRAIT_SLOTS} | {"individual_focus": 1}
    events = await ActionGiveVerdict().run(dispatcher, tracker(slots), DOMAIN)
    assert events == [SlotSet("verdict", "partial_fit")]
    assert "pekerja sosial" in dispatcher.messages[0]["text"]


async def test_verdict_with_missing_answers_does_not_crash():
    dispatcher = CollectingDispatcher()
    events = await ActionGiveVerdict().run(dispatcher, tracker({"empathy": 4}), DOMAIN)
    assert events == [SlotSet("verdict", None)]
    assert dispatcher.messages[0]["response"] == "utter_default"


async def test_start_after_a_verdict_clears_everything():
    dispatcher = CollectingDispatcher()
    slots = {slot: 4 for slot in TRAIT_SLOTS} | {"verdict": "good_fit"}
    events = await ActionStartInterview().run(dispatcher, tracker(slots), DOMAIN)
    assert SlotSet("verdict", None) in events
    assert all(SlotSet(slot, None) in events for slot in TRAIT_SLOTS)
    assert "8 pernyataan" in texts(dispatcher)[0]


async def test_start_in_the_middle_resumes():
    dispatcher = CollectingDispatcher()
    events = await ActionStartInterview().run(dispatcher, tracker({"empathy": 4}), DOMAIN)
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_interview_resume"


async def test_asked_for_the_result_of_a_finished_test_the_answers_stay_for_the_verdict_again():
    dispatcher = CollectingDispatcher()
    slots = {slot: 4 for slot in TRAIT_SLOTS} | {"verdict": "good_fit"}
    events = await ActionStartInterview().run(dispatcher, tracker(slots, text="hasil tesku tadi apa?"), DOMAIN)
    assert events == [] and dispatcher.messages == []
    # a retake asked for in words still starts over
    events = await ActionStartInterview().run(dispatcher, tracker(slots, text="mau ulang tesnya"), DOMAIN)
    assert SlotSet("verdict", None) in events


async def test_asked_for_a_result_before_any_test_it_says_there_is_none_and_starts():
    from counselor.interview_text import NO_RESULT_YET
    dispatcher = CollectingDispatcher()
    events = await ActionStartInterview().run(dispatcher, tracker(text="hasil tes kecocokanku apa"), DOMAIN)
    assert events == []
    assert texts(dispatcher)[0].startswith(NO_RESULT_YET) and "8 pernyataan" in texts(dispatcher)[0]


async def test_stop_clears_answers():
    events = await ActionStopInterview().run(CollectingDispatcher(), tracker({"empathy": 4}), DOMAIN)
    assert SlotSet("empathy", None) in events and SlotSet("verdict", None) in events
