"""Which topics the two-stage fallback offers."""
from counselor import clarify

TOPICS = {"ask_duties": "Tugasnya apa saja?", "ask_fit": "Siapa yang cocok?",
          "start_interview": "Tes kecocokan"}


def ranking(*pairs):
    return [{"name": "nlu_fallback", "confidence": 0.3}] + [
        {"name": name, "confidence": confidence} for name, confidence in pairs]


def test_two_close_topics_are_both_offered_best_first():
    assert clarify.choices(ranking(("ask_fit", 0.41), ("ask_duties", 0.38), ("greet", 0.1)),
                           TOPICS) == ["ask_fit", "ask_duties"]


def test_small_talk_crisis_and_out_of_scope_are_never_offered():
    assert clarify.choices(ranking(("greet", 0.5), ("ask_fit", 0.3)), TOPICS) == ["ask_fit"]
    assert clarify.choices(ranking(("crisis", 0.4), ("out_of_scope", 0.35)), TOPICS) == []


def test_a_distant_or_weak_guess_is_not_offered():
    # the third-best intent is not a candidate, however it is labelled
    assert clarify.choices(ranking(("greet", 0.5), ("thank", 0.3), ("ask_fit", 0.1)), TOPICS) == []
    assert clarify.choices(ranking(("ask_fit", 0.2), ("ask_duties", 0.05)), TOPICS) == ["ask_fit"]


def test_topics_come_from_buttons_with_a_bare_intent_payload():
    buttons = [{"title": "Tugasnya apa saja?", "payload": "/ask_duties"},
               {"title": "4 · Setuju", "payload": "4"},
               {"title": "x", "payload": '/start_interview{"verdict": "good_fit"}'}]
    assert clarify.topic_buttons(buttons) == {"ask_duties": "Tugasnya apa saja?"}


def test_a_greeting_with_a_topic_question_after_it_gives_the_topic():
    topics = {"ask_overview", "ask_duties"}
    greeting_then_question = [{"name": "greet", "confidence": 0.84}, {"name": "ask_overview", "confidence": 0.15}]
    assert clarify.topic_after_greeting(greeting_then_question, topics) == "ask_overview"
    with_fallback = [{"name": "nlu_fallback", "confidence": 0.3}, *greeting_then_question]
    assert clarify.topic_after_greeting(with_fallback, topics) == "ask_overview"
    greeting_only = [{"name": "greet", "confidence": 1.0}, {"name": "ask_overview", "confidence": 0.01}]
    assert clarify.topic_after_greeting(greeting_only, topics) is None
    not_a_topic = [{"name": "greet", "confidence": 0.6}, {"name": "start_interview", "confidence": 0.3}]
    assert clarify.topic_after_greeting(not_a_topic, topics) is None
    assert clarify.topic_after_greeting([{"name": "ask_duties", "confidence": 0.9}], topics) is None
