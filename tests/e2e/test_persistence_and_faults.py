"""Conversations survive restarts, SIGKILL, idle time and action-server faults.

One action server and one Rasa server with the project's default stores
(endpoints.yml: SQLite under BOT_DATA_DIR, here a temp dir), all on free
loopback ports. The servers are really stopped, killed and paused.
"""
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from rasa_ext.action_guard import APOLOGY
from counselor import scoring
from tests import harness

TOKEN = "persistence-test-token"
RUBRIC = scoring.load_rubric()
TRAITS = [t.trait for t in RUBRIC]
RESTARTS = {"count": 0}


def question_number(text: str):
    for number in range(1, len(TRAITS) + 1):
        if f"Pertanyaan {number} dari {len(TRAITS)}" in text:
            return number
    return None


@dataclass
class Stack:
    rasa: harness.Server
    actions: harness.Server
    data_dir: Path

    def chat(self, sender=None) -> harness.Chat:
        return harness.Chat(self.rasa.url, TOKEN, sender)

    def restart_rasa(self, sig: int) -> None:
        self.rasa.stop(sig)
        harness.wait_until_down(self.rasa.port)
        self.rasa.start(timeout=600)
        RESTARTS["count"] += 1

    def restart_actions(self) -> None:
        self.actions.start(timeout=300)


@pytest.fixture(scope="module")
def stack(trained_model):
    log_dir = harness.temp_log_dir()
    data_dir = log_dir / "data"
    actions = harness.action_server(log_dir).start(timeout=300)
    # A short action timeout so the "slow action server" test is quick.
    env = {"BOT_DATA_DIR": data_dir, "BOT_ACTION_TIMEOUT": "4"}
    rasa = harness.stored_rasa_server(log_dir, actions.url, TOKEN, env)
    try:
        rasa.start(timeout=600)
        yield Stack(rasa, actions, data_dir)
    finally:
        rasa.stop()
        actions.stop()
        harness.METRICS.append(
            f"persistence: Rasa server restarts survived mid-interview: {RESTARTS['count']} "
            "(SIGTERM and SIGKILL), action server stopped and paused mid-interview: 2"
        )


def expected_verdict(values):
    return scoring.score(RUBRIC, dict(zip(TRAITS, values))).level


def answer(chat, answers):
    text = ""
    for value in answers:
        text = chat.say(value)
    return text


def test_conversations_are_stored_in_sqlite_under_the_data_dir(stack):
    stack.chat().say("halo")
    assert (stack.data_dir / "tracker.db").is_file()


def test_restart_resumes_the_interview_at_the_same_question(stack):
    chat = stack.chat()
    chat.say("mulai tes")
    assert question_number(answer(chat, ["5", "4", "3"])) == 4

    stack.restart_rasa(signal.SIGTERM)

    slots = chat.tracker()["slots"]
    assert [slots[t] for t in TRAITS[:3]] == [5, 4, 3] and slots["requested_slot"] == TRAITS[3]
    assert question_number(chat.say("5")) == 5
    answer(chat, ["5"] * 4)
    slots = chat.tracker()["slots"]
    assert [slots[t] for t in TRAITS] == [5, 4, 3, 5, 5, 5, 5, 5]
    assert slots["verdict"] == expected_verdict([5, 4, 3, 5, 5, 5, 5, 5])


def test_sigkill_mid_interview_loses_no_answer(stack):
    chat = stack.chat()
    chat.say("tes kecocokan dong")
    given = ["4", "5", "4", "5", "4"]
    assert question_number(answer(chat, given)) == 6

    stack.restart_rasa(signal.SIGKILL)

    slots = chat.tracker()["slots"]
    assert [slots[t] for t in TRAITS[:5]] == [4, 5, 4, 5, 4]
    assert question_number(chat.say("5")) == 7
    answer(chat, ["4", "5"])
    slots = chat.tracker()["slots"]
    assert [slots[t] for t in TRAITS] == [4, 5, 4, 5, 4, 5, 4, 5]
    assert slots["verdict"] == expected_verdict([4, 5, 4, 5, 4, 5, 4, 5])


def test_action_server_down_gets_an_apology_and_the_interview_continues(stack):
    chat = stack.chat()
    chat.say("mulai tes")
    answer(chat, ["5", "5"])

    stack.actions.stop()
    harness.wait_until_down(stack.actions.port)
    try:
        replies = chat.say("4")
        assert APOLOGY in replies and question_number(replies) is None
        # The answer was not taken; the earlier ones are kept; the question stays.
        slots = chat.tracker()["slots"]
        assert slots[TRAITS[2]] is None and slots[TRAITS[0]] == slots[TRAITS[1]] == 5
        assert slots["requested_slot"] == TRAITS[2]
        # Answers that need no action server still come.
        assert "konseling" in stack.chat().say("tugasnya apa aja?")
        # The crisis reply never depends on the action server.
        assert "129" in stack.chat().say("aku sering dipukuli ayahku di rumah")
        english = stack.chat().say("my dad hits me every night and I am scared")
        assert "129" in english and "In English" in english
    finally:
        stack.restart_actions()

    assert question_number(chat.say("4")) == 4  # the same message again now works
    answer(chat, ["5"] * 5)
    slots = chat.tracker()["slots"]
    assert [slots[t] for t in TRAITS] == [5, 5, 4, 5, 5, 5, 5, 5]
    assert slots["verdict"] == expected_verdict([5, 5, 4, 5, 5, 5, 5, 5])


def test_paused_action_server_gets_an_apology_then_the_interview_continues(stack):
    chat = stack.chat()
    chat.say("mulai tes")
    chat.say("2")
    stack.actions.process.send_signal(signal.SIGSTOP)  # slow: accepts, never answers
    try:
        assert APOLOGY in chat.say("3")
    finally:
        stack.actions.process.send_signal(signal.SIGCONT)
    assert chat.slot(TRAITS[1]) is None
    assert question_number(chat.say("3")) == 3
    assert chat.slot(TRAITS[1]) == 3 and chat.slot(TRAITS[0]) == 2


def test_an_expired_session_starts_anew_and_keeps_the_last_verdict(stack):
    finished = stack.chat()
    finished.say("mulai tes")
    answer(finished, ["2"] * len(TRAITS))
    assert finished.slot("verdict") == "poor_fit"
    events = finished.tracker()["events"]

    # The same conversation two hours older (domain.yml: sessions expire after
    # 60 idle minutes), stored for a new user through the HTTP API.
    for event in events:
        event["timestamp"] -= 2 * 3600
    idle = stack.chat()
    status, _ = harness.http(
        "PUT", f"{stack.rasa.url}/conversations/{idle.sender}/tracker/events?token={TOKEN}", events
    )
    assert status == 200
    assert idle.slot("verdict") == "poor_fit"

    text = idle.say("halo")
    assert "Halo" in text
    tracker = idle.tracker()
    assert tracker["slots"]["verdict"] == "poor_fit"
    assert any(
        e["event"] == "session_started" and e["timestamp"] > time.time() - 600
        for e in tracker["events"]
    )
