"""The interview's questions, asked inside the Rasa server from the rubric."""
from rasa.core.actions.action import RemoteAction
from rasa.core.actions import action as rasa_action
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import local_actions
from counselor import scoring
from tests.harness import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
TRAITS = [trait.trait for trait in scoring.load_rubric()]


def setup_module():
    local_actions.install()


def test_every_rubric_trait_is_asked_locally_and_other_actions_stay_remote():
    for trait in TRAITS:
        action = rasa_action.action_for_name_or_text(f"action_ask_{trait}", DOMAIN, None)
        assert isinstance(action, local_actions.AskTraitQuestion)
    assert isinstance(rasa_action.action_for_name_or_text("action_give_verdict", DOMAIN, None), RemoteAction)
    assert type(rasa_action.action_for_name_or_text("utter_greet", DOMAIN, None)).__name__ == "ActionBotResponse"


async def test_a_question_shows_progress_the_statement_and_five_buttons():
    action = rasa_action.action_for_name_or_text("action_ask_support", DOMAIN, None)
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    [message] = await action.run(None, None, tracker, DOMAIN)
    statement = scoring.load_rubric()[2].statement
    assert message.text == f"Pertanyaan 3 dari 8:\n{statement}"
    buttons = message.data["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/answer_scale{{"answer": "support:{value}"}}' for value in range(1, 6)]
    assert buttons[0]["title"] == "1 · Sangat tidak setuju"
    longest = max(scoring.load_rubric(), key=lambda t: len(t.trait)).trait
    from counselor import interview_text
    assert all(len(b["payload"].encode()) <= 64 for b in interview_text.scale_buttons(longest))


def _tracker_after(parse_data):
    from rasa.shared.core.events import UserUttered
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    tracker.update(UserUttered(parse_data["text"], parse_data["intent"], parse_data=parse_data))
    return tracker


async def _clarify(ranking):
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    parse_data = {"text": "hmm", "intent": ranking[0], "intent_ranking": ranking}
    action = rasa_action.action_for_name_or_text("action_clarify", DOMAIN, None)
    assert isinstance(action, local_actions.ClarifyAction)
    [message] = await action.run(None, TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                                 _tracker_after(parse_data), DOMAIN)
    return message


async def test_clarify_offers_the_two_likely_topics_and_neither():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "ask_fit", "confidence": 0.42},
                              {"name": "ask_unfit", "confidence": 0.4}])
    assert "Maksudmu" in message.text
    assert [(b["title"], b["payload"]) for b in message.data["buttons"]] == [
        ("Siapa yang cocok?", "/ask_fit"), ("Siapa yang kurang cocok?", "/ask_unfit"),
        ("Bukan keduanya", "/deny")]


async def test_clarify_with_one_likely_topic_asks_about_that_one():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "ask_duties", "confidence": 0.28},
                              {"name": "greet", "confidence": 0.2}])
    assert "Maksudmu yang ini?" in message.text and "yang mana" not in message.text
    assert [(b["title"], b["payload"]) for b in message.data["buttons"]] == [
        ("Tugasnya apa saja?", "/ask_duties"), ("Bukan", "/deny")]


async def test_clarify_without_a_likely_topic_says_it_did_not_understand():
    message = await _clarify([{"name": "nlu_fallback", "confidence": 0.3},
                              {"name": "greet", "confidence": 0.25},
                              {"name": "thank", "confidence": 0.2}])
    assert message.text == DOMAIN.responses["utter_default"][0]["text"]


async def _out_of_scope(text, slots=None):
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import SlotSet
    tracker = _tracker_after({"text": text, "intent": {"name": "out_of_scope", "confidence": 0.9}})
    for slot, value in (slots or {}).items():
        tracker.update(SlotSet(slot, value))
    action = rasa_action.action_for_name_or_text("utter_out_of_scope", DOMAIN, None)
    assert isinstance(action, local_actions.OutOfScopeAction)
    from rasa.core.channels.channel import CollectingOutputChannel
    [message] = await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                                 tracker, DOMAIN)
    return message


def _payloads(message):
    return [b["payload"] for b in message.data["buttons"]]


async def test_the_no_information_reply_names_the_topic_and_keeps_its_buttons():
    message = await _out_of_scope("berapa sih gaji konselor per bulan?")
    assert message.text.startswith("Maaf, soal gaji atau penghasilan konselor, aku belum punya informasinya")
    assert _payloads(message) == [b["payload"] for b in DOMAIN.responses["utter_out_of_scope"][0]["buttons"]]
    plain = await _out_of_scope("cuaca besok gimana ya")
    assert plain.text == DOMAIN.responses["utter_out_of_scope"][0]["text"]


async def test_asking_for_the_result_after_a_test_shows_the_verdict_again():
    from counselor import verdict_text
    slots = {trait: 4 for trait in TRAITS} | {"empathy": 2, "verdict": "poor_fit"}
    message = await _out_of_scope("hasilku tadi apa?", slots)
    expected = verdict_text.render(scoring.score(scoring.load_rubric(), slots))
    assert message.text == expected and "KURANG COCOK" in message.text
    assert "/start_interview" in _payloads(message)


async def test_asking_for_the_result_before_any_test_says_there_is_none_and_offers_it():
    from counselor import interview_text
    # answers kept from a test that has not finished are not a result either
    message = await _out_of_scope("hasil tesku apa?", {"empathy": 5})
    assert message.text == interview_text.NO_RESULT_OFFER
    assert "/start_interview" in _payloads(message)


async def test_an_unsure_request_for_the_result_after_a_test_gets_the_verdict_not_a_clarification():
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.events import SlotSet
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_expectation", "confidence": 0.23}]
    tracker = _tracker_after({"text": "tadi hasilnya apa ya", "intent": ranking[0], "intent_ranking": ranking})
    for trait in TRAITS:
        tracker.update(SlotSet(trait, 5))
    action = rasa_action.action_for_name_or_text("action_clarify", DOMAIN, None)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    [message] = await action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
    assert "Maksudmu" in message.text  # answers of an unfinished test are no result
    tracker.update(SlotSet("verdict", "good_fit"))
    [message] = await action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
    assert message.text.startswith("Hasil tes kecocokanmu: COCOK")


async def test_thanks_that_takes_leave_gets_the_thanks_and_the_goodbye():
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.core.channels.channel import CollectingOutputChannel
    action = rasa_action.action_for_name_or_text("utter_thank", DOMAIN, None)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    for text, expected in [
        ("makasih kak, dadah", "Sama-sama! " + DOMAIN.responses["utter_goodbye"][0]["text"]),
        ("makasih kak", DOMAIN.responses["utter_thank"][0]["text"]),
    ]:
        tracker = _tracker_after({"text": text, "intent": {"name": "thank", "confidence": 0.9}})
        [message] = await action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
        assert message.text == expected
