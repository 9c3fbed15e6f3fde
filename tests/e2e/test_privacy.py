"""People can see, erase and expire their own conversations (README "Privacy").

A Rasa server with the project's default stores (SQLite under a temp
BOT_DATA_DIR) on loopback; every check reads the database file directly.
"""
import sqlite3
import subprocess
import sys

import pytest

from tests import harness

TOKEN = "privacy-test-token"
HELP_LINES = ("112", "129")


@pytest.fixture(scope="module")
def stack(bot):
    log_dir = harness.temp_log_dir()
    data_dir = log_dir / "data"
    rasa = harness.stored_rasa_server(log_dir, bot.actions.url, TOKEN,
                                      {"BOT_DATA_DIR": data_dir}, name="rasa-privacy")
    rasa.start(timeout=600)
    try:
        yield rasa, data_dir / "tracker.db"
    finally:
        rasa.stop()


def rows(db, sender):
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT type_name, intent_name, data FROM events WHERE sender_id = ?", (sender,)
        ).fetchall()


def test_first_greeting_says_what_is_kept_and_how_to_erase(stack):
    rasa, _ = stack
    chat = harness.Chat(rasa.url, TOKEN)
    first = chat.say("halo kak")
    assert "dihapus otomatis setelah 30 hari" in first and "hapus data saya" in first
    assert "dihapus otomatis" not in chat.say("hai lagi")
    # The server purged idle conversations when it started, and said how many.
    assert "Retention: removed 0 conversations idle for more than 30 days" in rasa.log_path.read_text()


def test_erase_over_rest_removes_every_row_and_leaves_others_alone(stack):
    rasa, db = stack
    other = harness.Chat(rasa.url, TOKEN)
    other.say("tugas konselor apa aja?")
    other_rows = rows(db, other.sender)

    chat = harness.Chat(rasa.url, TOKEN)
    chat.say("tes dong")
    chat.say("5")
    assert all(line in chat.say("aku dipukuli ayahku tiap malam") for line in HELP_LINES)
    before = rows(db, chat.sender)
    assert len(before) > 10 and any(intent == "crisis" for _, intent, _ in before)

    replies = chat.send("hapus data saya")
    assert "tidak bisa dibatalkan" in replies[0]["text"]
    assert [b["payload"] for b in replies[0]["buttons"]] == ["/affirm", "/deny"]
    assert not any(line in replies[0]["text"] for line in HELP_LINES)
    done = chat.send("/affirm")
    assert "sudah aku hapus" in done[0]["text"]
    assert rows(db, chat.sender) == []

    # The next messages start a new, empty conversation: nothing old comes back.
    assert "dihapus otomatis" in chat.say("halo")
    chat.say("siapa yang cocok jadi konselor?")
    after = rows(db, chat.sender)
    stored_text = " ".join(data for _, _, data in after)
    assert "dipukuli" not in stored_text and "tes dong" not in stored_text
    assert not any(intent == "crisis" for _, intent, _ in after)
    assert chat.slot("empathy") is None
    assert rows(db, other.sender)[:len(other_rows)] == other_rows
    harness.METRICS.append(f"privacy: erase over REST, rows {len(before)} -> 0, "
                           f"then {len(after)} of the new conversation; the other user's "
                           f"{len(other_rows)} rows untouched")


@pytest.mark.parametrize("typed_yes", ["iya hapus aja", "Ya, hapus", "yaudah hapus"])
def test_a_typed_yes_at_the_erase_question_erases(stack, typed_yes):
    rasa, db = stack
    chat = harness.Chat(rasa.url, TOKEN)
    chat.say("tugasnya apa aja")
    assert "tidak bisa dibatalkan" in chat.say("hapus data saya")
    assert "sudah aku hapus" in chat.say(typed_yes)
    assert rows(db, chat.sender) == []


@pytest.mark.parametrize("before", [["tugasnya apa aja"], ["mulai tes", "4"]])
def test_no_keeps_the_conversation_and_a_test_in_it(stack, before):
    rasa, db = stack
    chat = harness.Chat(rasa.url, TOKEN)
    for text in before:
        chat.say(text)
    assert "tidak bisa dibatalkan" in chat.say("lupakan percakapanku ya")
    text = chat.say("batal")
    assert "tidak jadi dihapus" in text and len(rows(db, chat.sender)) > 0
    if "mulai tes" in before:  # the test is paused, and the user is told how to go on
        assert "tetap tersimpan" in text and "jeda" in text and chat.slot("empathy") == 4
        assert "Pertanyaan 2 dari" in chat.say("lanjut tes")


@pytest.mark.parametrize("request_text", [
    "aku mau data percakapanku dihapus", "hapus chat kita dong", "tolong hapus semua data aku",
])
def test_a_deletion_request_never_gets_the_crisis_reply(stack, request_text):
    rasa, _ = stack
    text = harness.Chat(rasa.url, TOKEN).say(request_text)
    assert "tidak bisa dibatalkan" in text and "129" not in text


def test_access_summary_shows_what_is_stored_without_crisis_text(stack):
    rasa, _ = stack
    chat = harness.Chat(rasa.url, TOKEN)
    chat.say("tes kecocokan")
    chat.say("4")
    chat.say("aku pengen bunuh diri aja")
    text = chat.say("data apa yang kamu simpan tentang aku?")
    assert "4 pesan darimu" in text  # this question included
    assert "Empati 4" in text
    assert "1 pesan yang aku jawab dengan info layanan bantuan" in text
    assert "bunuh diri" not in text


def test_interview_answers_and_verdict_are_in_the_summary(stack):
    rasa, _ = stack
    chat = harness.Chat(rasa.url, TOKEN)
    chat.say("tes")
    for _ in range(8):
        chat.say("5")
    assert chat.slot("verdict") == "good_fit"
    assert "hasil tes terakhir: COCOK" in chat.say("/ask_my_data")


def test_retention_purge_removes_idle_conversations_and_reports_them(stack):
    rasa, db = stack
    old, recent = harness.Chat(rasa.url, TOKEN), harness.Chat(rasa.url, TOKEN)
    old.say("halo")
    recent.say("halo")
    with sqlite3.connect(db) as connection:  # 31 days ago
        connection.execute("UPDATE events SET timestamp = timestamp - 31 * 86400 WHERE sender_id = ?",
                           (old.sender,))
    result = subprocess.run([sys.executable, "scripts/purge.py"], cwd=harness.ROOT,
                            env={**harness.ENV, "BOT_DATA_DIR": str(db.parent)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Removed 1 conversation(s) idle for more than 30 days." in result.stdout
    assert rows(db, old.sender) == [] and rows(db, recent.sender)
    strict = subprocess.run([sys.executable, "scripts/purge.py"], cwd=harness.ROOT,
                            env={**harness.ENV, "BOT_DATA_DIR": str(db.parent),
                                 "BOT_RETENTION_DAYS": "soon"}, capture_output=True, text=True)
    assert strict.returncode == 2 and "whole number" in strict.stderr


def test_no_user_text_in_the_server_log(stack):
    rasa, _ = stack
    chat = harness.Chat(rasa.url, TOKEN)
    secret_words = "kucingku-bernama-zebrazulu pengen cerita"
    chat.say(secret_words)
    chat.say("hapus data saya")
    chat.say("/affirm")
    log = rasa.log_path.read_text(errors="replace")
    assert "zebrazulu" not in log
    assert TOKEN not in log
