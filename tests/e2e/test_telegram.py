"""The Telegram connector end to end: the real action server and `rasa run`
with TELEGRAM_* pointing at a fake Bot API on loopback (tests/fake_telegram.py).

Real Telegram update JSON is posted to /webhooks/telegram/webhook; the tests
assert on what the fake Bot API received. The webhook answers only after the
bot's replies were sent, so no waiting is needed except for the calls the
connector makes in the background at start (getMe, setWebhook).
"""
from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest

from tests import harness
from tests.fake_telegram import FakeBotAPI

TOKEN = "123456:E2E-FAKE-TOKEN"
BOT_NAME = "KonselorBot"
SECRET = "e2e-Secret_token-42"
WEBHOOK_URL = "https://konselor.example/webhooks/telegram/webhook"
AUTH_TOKEN = "telegram-e2e-token"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
SCALE = ["1 · Sangat tidak setuju", "2 · Tidak setuju", "3 · Netral", "4 · Setuju", "5 · Sangat setuju"]
QUESTIONS = 8


def telegram_env(api_base: str, **overrides) -> dict:
    env = {k: v for k, v in harness.ENV.items() if not k.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_BOT_NAME=BOT_NAME,
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
        TELEGRAM_SECRET_TOKEN=SECRET,
        TELEGRAM_API_BASE=api_base,
    )
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def log_dir() -> Path:
    return harness.temp_log_dir()


@pytest.fixture(scope="module")
def fake_api():
    """Not listening yet: the rasa fixture starts it once Rasa runs without it."""
    fake = FakeBotAPI(TOKEN, BOT_NAME, port=harness.free_port())
    yield fake
    fake.stop()


def wait_for_log(server: harness.Server, text: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in server.log_path.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def rasa(bot, fake_api, log_dir):
    """`rasa run` with Telegram configured, started while the Bot API is unreachable.

    What happened then is kept in `server.offline` for the test about it; then
    the fake Bot API comes up on the configured port, and the connector's
    retries reach it. (The action server is the shared one of the other e2e tests.)
    """
    # The project's stores (SQLite here), so the erase test can read the rows.
    server = harness.rasa_server(
        log_dir, bot.actions.url, AUTH_TOKEN, name="rasa-telegram",
        extra_endpoints=harness.STORE_ENDPOINTS,
        env=telegram_env(fake_api.base_url, BOT_DATA_DIR=str(log_dir / "data")),
    )
    server.start()  # returns once /status answers: the server is up without the Bot API
    try:
        warned = wait_for_log(server, "cannot be reached")
        indra = user(5008, "Indra")
        update = {"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "/start",
                                               "from": indra, "chat": private_chat(indra)}}
        url = f"{server.url}/webhooks/telegram/webhook"
        status, _ = harness.http("POST", url, update, headers=HEADERS)
        wait_for_log(server, "not sent", timeout=10)
        server.offline = {"warned": warned, "status": status, "log": server.log_path.read_text()}
        fake_api.start()
        yield server
    finally:
        server.stop()


class Telegram:
    """Plays Telegram: builds updates like the real one and posts them to the webhook."""

    update_ids = itertools.count(700_000)
    message_ids = itertools.count(1)

    def __init__(self, rasa: harness.Server, fake: FakeBotAPI):
        self.rasa, self.fake = rasa, fake
        self.user_messages: dict = {}

    def post(self, update, headers=HEADERS):
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        return harness.http(
            "POST", f"{self.rasa.url}/webhooks/telegram/webhook", body,
            headers={"Content-Type": "application/json", **headers},
        )

    def exchange(self, update, headers=HEADERS) -> list:
        """Posts one update; returns the Message objects the bot sent meanwhile to its chat
        (the webhook answers once they are delivered)."""
        before = len(self.fake.calls("sendMessage"))
        status, body = self.post(update, headers)
        assert status == 200, (status, body)
        content = update.get("message") or (update.get("callback_query") or {}).get("message") or {}
        chat_id = (content.get("chat") or {}).get("id")
        return [
            c["response"]["result"] for c in self.fake.calls("sendMessage")[before:]
            if c["response"].get("ok") and (chat_id is None or c["params"].get("chat_id") == chat_id)
        ]

    def new_update(self, **content) -> dict:
        return {"update_id": next(self.update_ids), **content}

    def message(self, chat: dict, user: dict, text: str = None, reply_to: dict = None, **extra) -> dict:
        message = {
            "message_id": next(self.message_ids),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.user_messages[message["message_id"]] = message
        return message

    def say(self, chat, user, text, reply_to=None):
        """A user's text message; returns (their message, the bot's replies)."""
        message = self.message(chat, user, text, reply_to)
        return message, self.exchange(self.new_update(message=message))

    def click(self, user: dict, bot_message: dict, data: str) -> list:
        """A press on an inline button of bot_message, as Telegram reports it."""
        message = dict(bot_message)
        replied = (message.get("reply_to_message") or {}).get("message_id")
        if replied in self.user_messages:  # Telegram sends the full replied-to message
            message["reply_to_message"] = self.user_messages[replied]
        query = {
            "id": f"cbq-{next(self.update_ids)}",
            "from": user,
            "message": message,
            "chat_instance": "42",
            "data": data,
        }
        buttons = [b["callback_data"] for row in bot_message["reply_markup"]["inline_keyboard"] for b in row]
        assert data in buttons, (data, buttons)
        replies = self.exchange(self.new_update(callback_query=query))
        answered = [c["params"]["callback_query_id"] for c in self.fake.calls("answerCallbackQuery")]
        assert query["id"] in answered  # the client stops spinning
        return replies


def user(user_id: int, name: str) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": name, "username": name.lower(), "language_code": "id"}


def private_chat(person: dict) -> dict:
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def texts(messages: list) -> str:
    return "\n".join(m["text"] for m in messages)


def callback_data(message: dict) -> list:
    return [b["callback_data"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def button_titles(message: dict) -> list:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def scale_key(message: dict, value: int) -> str:
    """The callback data of the answer button `value` under an interview statement."""
    [data] = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
              if b["text"].startswith(f"{value} ·")]
    return data


def question_number(text: str):
    for number in range(1, QUESTIONS + 1):
        if f"Pertanyaan {number} dari {QUESTIONS}" in text:
            return number
    return None


def tracker_slot(rasa, sender: str, slot: str):
    status, tracker = harness.http(
        "GET", f"{rasa.url}/conversations/{sender}/tracker?token={AUTH_TOKEN}"
    )
    assert status == 200, tracker
    return tracker["slots"].get(slot)


@pytest.fixture
def tg(rasa, fake_api) -> Telegram:
    return Telegram(rasa, fake_api)


# ------------------------------------------------------------------ start-up


def test_webhook_is_registered_with_the_secret(tg, fake_api):
    hooks = fake_api.wait_for("setWebhook", timeout=90)  # registered by a retry (see the rasa fixture)
    assert hooks and hooks[-1]["response"]["ok"]
    params = hooks[-1]["params"]
    assert params["url"] == WEBHOOK_URL and params["secret_token"] == SECRET
    assert {"message", "callback_query"} <= set(params["allowed_updates"])
    assert fake_api.calls("getMe")
    assert {c["command"] for c in fake_api.calls("setMyCommands")[-1]["params"]["commands"]} >= {"start", "tes", "bantuan"}


# ------------------------------------------------------------------ private chats


def test_private_interview_by_buttons_to_a_verdict(tg, rasa):
    sari = user(5001, "Sari")
    chat = private_chat(sari)
    _, replies = tg.say(chat, sari, "/start")
    assert len(replies) == 1 and "Halo" in replies[0]["text"]
    assert 'Ketik /hapus atau "hapus data saya"' in replies[0]["text"]  # no "(di Telegram: ...)" here
    assert "/start_interview" in callback_data(replies[0])
    assert all(m["chat"]["id"] == sari["id"] for m in replies)
    assert "reply_to_message" not in replies[0]  # no reply threads in a private chat

    replies = tg.click(sari, replies[0], "/start_interview")
    for number in range(1, QUESTIONS + 1):
        assert question_number(texts(replies)) == number
        assert button_titles(replies[-1]) == SCALE
        replies = tg.click(sari, replies[-1], scale_key(replies[-1], 5))
    verdict = texts(replies)
    assert "COCOK" in verdict and "KURANG COCOK" not in verdict and "CUKUP" not in verdict
    assert "■■■■■ 5/5" in verdict
    assert "/start_interview" in callback_data(replies[-1])
    assert tracker_slot(rasa, "tg:5001", "verdict") == "good_fit"
    assert_chart_after_verdict(tg.fake, 5001)


def test_private_interview_by_typed_answers(tg, rasa):
    budi = user(5002, "Budi")
    chat = private_chat(budi)
    _, replies = tg.say(chat, budi, "/tes")
    assert question_number(texts(replies)) == 1
    answers = ["gak juga", "iya banget", "bener", "pastinya", "yoi", "setuju", "lumayan", "sangat setuju"]
    for number, answer in enumerate(answers, start=1):
        _, replies = tg.say(chat, budi, answer)
        if number < QUESTIONS:
            assert question_number(texts(replies)) == number + 1
    verdict = texts(replies)
    assert "KURANG COCOK" in verdict and "Alasan utamanya: empati." in verdict
    assert tracker_slot(rasa, "tg:5002", "verdict") == "poor_fit"
    assert tracker_slot(rasa, "tg:5002", "empathy") == 2
    assert_chart_after_verdict(tg.fake, 5002)


def assert_chart_after_verdict(fake, chat_id):
    """The verdict's bars as a picture (sendPhoto, a PNG), right after the verdict text."""
    def calls_to_chat():
        return [c for c in fake.calls() if (c["params"].get("chat_id") in (chat_id, str(chat_id)))
                and c["method"] in ("sendMessage", "sendPhoto")]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(c["method"] == "sendPhoto" for c in calls_to_chat()):
        time.sleep(0.1)
    calls = calls_to_chat()
    photos = [i for i, c in enumerate(calls) if c["method"] == "sendPhoto" and c["response"]["ok"]]
    assert len(photos) == 1, [c["method"] for c in calls]
    before = calls[photos[0] - 1]
    assert before["method"] == "sendMessage" and "■" in before["params"]["text"]
    assert calls[photos[0]]["params"]["photo"]["bytes"] > 2000


def test_answered_statements_lose_their_keyboard_and_old_buttons_are_recognised(tg, fake_api):
    nina = user(5010, "Nina")
    chat = private_chat(nina)
    _, replies = tg.say(chat, nina, "/tes")
    first = replies[-1]
    replies = tg.click(nina, first, scale_key(first, 4))
    [edit] = [c["params"] for c in fake_api.calls("editMessageText")
              if c["params"]["message_id"] == first["message_id"]]
    assert edit["text"].endswith("✓ 4 · Setuju") and not edit.get("reply_markup")
    assert question_number(texts(replies)) == 2
    second = replies[-1]
    # A press under the first statement again: not an answer to the second.
    replies = tg.click(nina, first, scale_key(first, 1))
    assert "Pertanyaan itu sudah kamu jawab" in texts(replies)
    assert question_number(texts(replies)) == 2
    second = replies[-1]  # asked again: this is the live keyboard now
    # A typed answer is shown once, under the second statement, whose keyboard goes too.
    _, replies = tg.say(chat, nina, "kadang2")
    assert "✓ 3 · Netral" not in texts(replies) and question_number(texts(replies)) == 3
    assert any(c["params"]["message_id"] == second["message_id"] and c["params"]["text"].endswith("✓ 3 · Netral")
               for c in fake_api.calls("editMessageText"))


def wait_sent(fake, chat_id, count, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = fake.sent(chat_id)
        if len(sent) >= count:
            return sent
        time.sleep(0.1)
    return fake.sent(chat_id)


@pytest.mark.parametrize("retry_after", [1, 8])
def test_rate_limited_answers_are_delivered_in_order(tg, fake_api, retry_after):
    person = user(5020 + retry_after, "Oki")
    chat = private_chat(person)
    fake_api.fail_next("sendMessage", 429, description=f"Too Many Requests: retry after {retry_after}",
                       retry_after=retry_after)
    started = time.monotonic()
    status, _ = tg.post(tg.new_update(message=tg.message(chat, person, "tugas konselor apa aja?")))
    assert status == 200 and time.monotonic() - started < 6  # the webhook does not wait 8 s
    status, _ = tg.post(tg.new_update(message=tg.message(chat, person, "siapa yang cocok?")))
    assert status == 200
    sent = wait_sent(fake_api, person["id"], 2, timeout=30)
    assert [("konseling" in m["text"], "Profil yang cocok" in m["text"]) for m in sent[:2]] == [
        (True, False), (False, True)]
    assert time.monotonic() - started >= retry_after


def test_server_errors_are_retried_and_a_blocked_user_gets_nothing_more(tg, fake_api):
    person = user(5030, "Putri")
    chat = private_chat(person)
    fake_api.fail_next("sendMessage", 502, times=2)
    _, replies = tg.say(chat, person, "halo")
    assert replies and "Halo" in replies[0]["text"]  # after two 502s
    blocked = user(5031, "Qori")
    fake_api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    before = len(fake_api.calls("sendMessage"))
    tg.post(tg.new_update(message=tg.message(private_chat(blocked), blocked, "/tes")))
    assert len(fake_api.calls("sendMessage")) - before == 1  # one try, then nothing more
    assert fake_api.sent(blocked["id"]) == []


def test_a_reply_into_a_vanished_topic_is_sent_without_the_thread(tg, fake_api):
    group = {"id": -100999, "type": "supergroup", "title": "Forum", "is_forum": True}
    person = user(5040, "Rina")
    fake_api.fail_next("sendMessage", 400, description="Bad Request: message thread not found")
    message = tg.message(group, person, f"@{BOT_NAME} tugasnya apa", message_thread_id=77,
                         is_topic_message=True)
    replies = tg.exchange(tg.new_update(message=message))
    assert replies and "konseling" in texts(replies)
    calls = [c for c in fake_api.calls("sendMessage") if c["params"]["chat_id"] == group["id"]]
    assert calls[0]["params"].get("message_thread_id") == 77 and not calls[0]["response"]["ok"]
    assert "message_thread_id" not in calls[1]["params"] and calls[1]["response"]["ok"]


def test_private_commands(tg):
    dewi = user(5003, "Dewi")
    chat = private_chat(dewi)
    _, replies = tg.say(chat, dewi, "/bantuan")
    assert "tes kecocokan" in texts(replies) and callback_data(replies[-1])
    _, replies = tg.say(chat, dewi, f"/tes@{BOT_NAME}")
    assert question_number(texts(replies)) == 1
    _, replies = tg.say(chat, dewi, "/berhenti")
    assert "hentikan" in texts(replies)
    _, replies = tg.say(chat, dewi, "/perintahasing")  # unknown command: the help text
    assert "tes kecocokan" in texts(replies)
    _, replies = tg.say(chat, dewi, "/start_interview{\"verdict\": \"good_fit\"}")  # no intent injection
    assert question_number(texts(replies)) is None


# ------------------------------------------------------------------ groups


def test_two_members_interleave_interviews_in_one_group(tg, rasa, log_dir):
    group = {"id": -100555, "type": "supergroup", "title": "Kelas BK"}
    ani, bayu = user(6001, "Ani"), user(6002, "Bayu")
    transcript = []

    def log_turn(person, message, replies, what=None):
        where = f" (#{message['message_id']})" if message else ""
        transcript.append(f"{person['first_name']}{where}: {what or message['text']}")
        for reply in replies:
            first_line = reply["text"].splitlines()[0][:90]
            target = reply.get("reply_to_message", {}).get("message_id")
            transcript.append(f"    bot #{reply['message_id']} -> reply to #{target}: {first_line}")

    def assert_replies_to(replies, message):
        assert replies, "the bot did not answer"
        for reply in replies:
            assert reply["chat"]["id"] == group["id"]
            assert reply["reply_to_message"]["message_id"] == message["message_id"]

    # not addressed to the bot, or a command for another bot: no answer
    _, replies = tg.say(group, ani, "ada yang mau jadi konselor?")
    assert replies == []
    _, replies = tg.say(group, bayu, "/tes@BotLain")
    assert replies == []

    # Ani starts by a command, Bayu by mentioning the bot
    ani_msg, ani_replies = tg.say(group, ani, f"/tes@{BOT_NAME}")
    log_turn(ani, ani_msg, ani_replies)
    assert_replies_to(ani_replies, ani_msg)
    assert question_number(texts(ani_replies)) == 1
    bayu_msg, bayu_replies = tg.say(group, bayu, f"@{BOT_NAME} mulai tes")
    log_turn(bayu, bayu_msg, bayu_replies)
    assert_replies_to(bayu_replies, bayu_msg)
    assert question_number(texts(bayu_replies)) == 1

    # Turn by turn: Ani types "setuju banget" as a reply to her question,
    # Bayu presses "2" on his. Neither touches the other's interview.
    for number in range(1, QUESTIONS + 1):
        ani_msg, ani_replies = tg.say(group, ani, "iya banget", reply_to=ani_replies[-1])
        log_turn(ani, ani_msg, ani_replies)
        assert_replies_to(ani_replies, ani_msg)

        bayu_question = bayu_replies[-1]
        bayu_replies = tg.click(bayu, bayu_question, scale_key(bayu_question, 2))
        log_turn(bayu, None, bayu_replies, what=f"[presses button 2 under bot message #{bayu_question['message_id']}]")
        # a button press is answered as a reply to Bayu's own message the keyboard answered
        assert_replies_to(bayu_replies, bayu_msg)
        if number < QUESTIONS:
            assert question_number(texts(ani_replies)) == number + 1
            assert question_number(texts(bayu_replies)) == number + 1

    ani_verdict, bayu_verdict = texts(ani_replies), texts(bayu_replies)
    assert "Hasil tes kecocokanmu: COCOK" in ani_verdict
    assert "Hasil tes kecocokanmu: KURANG COCOK" in bayu_verdict
    assert tracker_slot(rasa, "tg:-100555:6001", "verdict") == "good_fit"
    assert tracker_slot(rasa, "tg:-100555:6002", "verdict") == "poor_fit"
    assert tracker_slot(rasa, "tg:-100555:6001", "empathy") == 5
    assert tracker_slot(rasa, "tg:-100555:6002", "empathy") == 2

    text = "\n".join(transcript)
    (log_dir / "telegram-group-transcript.txt").write_text(text + "\n")
    print("\n--- Telegram group transcript ---\n" + text)


def _rows(log_dir, sender):
    import sqlite3
    with sqlite3.connect(log_dir / "data" / "tracker.db") as connection:
        return connection.execute("SELECT intent_name, data FROM events WHERE sender_id = ?",
                                  (sender,)).fetchall()


def test_hapus_in_a_group_erases_only_that_members_conversation(tg, log_dir):
    group = {"id": -100888, "type": "supergroup", "title": "Kelas Karier"}
    citra, dodi = user(6201, "Citra"), user(6202, "Dodi")
    tg.say(group, dodi, f"@{BOT_NAME} tugas konselor apa aja?")
    tg.say(group, citra, "/tes")
    tg.say(group, citra, f"@{BOT_NAME} 5")
    _, replies = tg.say(group, citra, f"@{BOT_NAME} aku diancam mantanku mau nyebarin fotoku")
    assert "129" in texts(replies)
    citra_id, dodi_id = (f"tg:{group['id']}:{person['id']}" for person in (citra, dodi))
    before, dodi_before = _rows(log_dir, citra_id), _rows(log_dir, dodi_id)
    assert any(intent == "crisis" for intent, _ in before) and dodi_before

    _, replies = tg.say(group, citra, "/hapus")
    assert "tidak bisa dibatalkan" in texts(replies)
    assert callback_data(replies[-1]) == ["/affirm", "/deny"]
    done = tg.click(citra, replies[-1], "/affirm")
    assert "sudah aku hapus" in texts(done)
    assert _rows(log_dir, citra_id) == []
    tg.say(group, citra, f"@{BOT_NAME} halo")
    after = _rows(log_dir, citra_id)
    assert after and "nyebarin" not in " ".join(data for _, data in after)
    assert _rows(log_dir, dodi_id)[:len(dodi_before)] == dodi_before
    harness.METRICS.append(f"privacy: /hapus in a Telegram group, rows {len(before)} -> 0 "
                           f"({len(after)} after the next message); the other member untouched")


def test_in_a_group_only_the_member_can_press_their_buttons_and_dataku_stays_private(tg, fake_api):
    group = {"id": -100889, "type": "supergroup", "title": "Kelas Karier 2"}
    eko, fani = user(6301, "Eko"), user(6302, "Fani")
    _, replies = tg.say(group, eko, "/tes")
    question = replies[-1]
    before = len(fake_api.calls("sendMessage"))
    tg.click(fani, question, scale_key(question, 5))  # Fani presses under Eko's statement
    alert = fake_api.calls("answerCallbackQuery")[-1]["params"]
    assert "orang lain" in alert["text"] and alert.get("show_alert") is True
    assert len(fake_api.calls("sendMessage")) == before  # nothing answered in anyone's name
    _, replies = tg.say(group, fani, "/dataku")
    assert "chat pribadi" in texts(replies) and "pesan darimu" not in texts(replies)
    # Asked in words, after a crisis reply in the group: still nothing of it shown there.
    tg.say(group, fani, f"@{BOT_NAME} aku pengen mati aja rasanya")
    _, replies = tg.say(group, fani, f"@{BOT_NAME} data apa aja yang kamu simpan tentang aku?")
    assert "chat pribadi" in texts(replies)
    assert "pesan darimu" not in texts(replies) and "layanan bantuan" not in texts(replies)


def test_a_group_keyboard_whose_reply_is_gone_still_answers_only_its_member(tg, fake_api, rasa):
    group = {"id": -100890, "type": "supergroup", "title": "Kelas Karier 3"}
    gita, hadi = user(6303, "Gita"), user(6304, "Hadi")
    _, replies = tg.say(group, gita, "/tes")
    question = {key: value for key, value in replies[-1].items() if key != "reply_to_message"}
    before = len(fake_api.calls("sendMessage"))
    tg.click(hadi, question, scale_key(question, 5))  # Gita deleted her /tes: no reply_to_message
    alert = fake_api.calls("answerCallbackQuery")[-1]["params"]
    assert "orang lain" in alert["text"]
    assert len(fake_api.calls("sendMessage")) == before
    assert tracker_slot(rasa, "tg:-100890:6304", "empathy") is None
    replies = tg.click(gita, question, scale_key(question, 5))
    assert question_number(texts(replies)) == 2
    assert tracker_slot(rasa, "tg:-100890:6303", "empathy") == 5


def test_a_crisis_reply_in_a_group_offers_a_private_chat(tg):
    group = {"id": -100890, "type": "supergroup", "title": "Kelas Karier 3"}
    gita = user(6401, "Gita")
    _, replies = tg.say(group, gita, f"@{BOT_NAME} aku capek hidup kak, pengen ngilang aja selamanya")
    assert "119" in texts(replies)
    note = replies[-1]
    assert "bisa dibaca anggota lain" in note["text"]
    keys = [b for row in note.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    assert keys == [{"text": "Chat pribadi denganku", "url": f"https://t.me/{BOT_NAME}"}]
    _, replies = tg.say(private_chat(gita), gita, "aku capek hidup kak, pengen ngilang aja selamanya")
    assert "119" in texts(replies) and "anggota lain" not in texts(replies)


def test_dataku_summarises_what_is_stored(tg):
    fajar = user(6203, "Fajar")
    chat = private_chat(fajar)
    tg.say(chat, fajar, "/start")
    _, replies = tg.say(chat, fajar, "/dataku")
    assert "2 pesan darimu" in texts(replies)


def test_bot_added_to_a_group_explains_how_to_talk_to_it(tg, fake_api):
    group = {"id": -100777, "type": "group", "title": "Karier"}
    admin = user(6100, "Admin")
    message = tg.message(group, admin, new_chat_members=[fake_api.bot_user])
    replies = tg.exchange(tg.new_update(message=message))
    assert len(replies) == 1 and f"@{BOT_NAME}" in replies[0]["text"]


# ------------------------------------------------------------------ security and robustness


def test_missing_or_wrong_secret_is_rejected_and_nothing_is_sent(tg, fake_api):
    eka = user(5004, "Eka")
    chat = private_chat(eka)
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}):
        status, _ = tg.post(tg.new_update(message=tg.message(chat, eka, "/start")), headers)
        assert status == 403
    assert fake_api.sent(eka["id"]) == []
    _, replies = tg.say(chat, eka, "/start")  # the right secret still works
    assert len(replies) == 1


def test_a_repeated_update_is_answered_once(tg, fake_api):
    fajar = user(5005, "Fajar")
    update = tg.new_update(message=tg.message(private_chat(fajar), fajar, "/start"))
    assert len(tg.exchange(update)) == 1
    assert tg.exchange(update) == []  # Telegram re-sent it
    assert tg.exchange(update) == []
    assert len(fake_api.sent(fajar["id"])) == 1


@pytest.mark.parametrize(
    "kind",
    ["channel_post", "edited_channel_post", "my_chat_member", "chat_member", "edited_message",
     "private_sticker", "private_photo", "private_voice", "group_sticker", "group_voice",
     "inline_query", "poll", "empty"],
)
def test_other_updates_get_2xx_and_no_crash(tg, fake_api, kind):
    gita = user(5006, "Gita")
    private = private_chat(gita)
    group = {"id": -100888, "type": "supergroup", "title": "Grup"}
    channel = {"id": -100999, "type": "channel", "title": "Kanal"}
    sticker = {"file_id": "CAAC", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False,
               "is_video": False, "type": "regular", "emoji": "🙂"}
    photo = [{"file_id": "AgAC", "file_unique_id": "u2", "width": 90, "height": 90, "file_size": 1000}]
    voice = {"file_id": "AwAC", "file_unique_id": "u3", "duration": 2, "mime_type": "audio/ogg"}
    member_change = {"chat": group, "from": gita, "date": 1,
                     "old_chat_member": {"user": tg.fake.bot_user, "status": "left"},
                     "new_chat_member": {"user": tg.fake.bot_user, "status": "member"}}
    updates = {
        "channel_post": {"channel_post": {"message_id": 1, "chat": channel, "date": 1, "text": "/start"}},
        "edited_channel_post": {"edited_channel_post": {"message_id": 1, "chat": channel, "date": 1, "text": "x"}},
        "my_chat_member": {"my_chat_member": member_change},
        "chat_member": {"chat_member": member_change},
        "edited_message": {"edited_message": {**tg.message(private, gita, "/start"), "edit_date": 2}},
        "private_sticker": {"message": tg.message(private, gita, sticker=sticker)},
        "private_photo": {"message": tg.message(private, gita, photo=photo, caption="ini aku")},
        "private_voice": {"message": tg.message(private, gita, voice=voice)},
        "group_sticker": {"message": tg.message(group, gita, sticker=sticker)},
        "group_voice": {"message": tg.message(group, gita, voice=voice)},
        "inline_query": {"inline_query": {"id": "iq1", "from": gita, "query": "halo", "offset": ""}},
        "poll": {"poll": {"id": "p1", "question": "?", "options": [], "total_voter_count": 0,
                          "is_closed": False, "is_anonymous": True, "type": "regular",
                          "allows_multiple_answers": False}},
        "empty": {},
    }
    replies = tg.exchange(tg.new_update(**updates[kind]))
    if kind.startswith("private_"):  # a short text-only note
        assert len(replies) == 1 and "teks" in replies[0]["text"]
    else:
        assert replies == []
    # the server still answers normally afterwards
    _, replies = tg.say(private, gita, "/start")
    assert "Halo" in texts(replies)


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "x"}', b"", "ä".encode("latin-1")]
)
def test_malformed_bodies_get_400(tg, body):
    status, _ = tg.post(body)
    assert status == 400


def test_a_failing_bot_api_does_not_fail_the_webhook(tg, fake_api):
    hana = user(5007, "Hana")
    chat = private_chat(hana)
    fake_api.fail_next("sendMessage", 502)
    fake_api.fail_next("answerCallbackQuery", 500)
    _, replies = tg.say(chat, hana, "/start")  # a 502, then the retry delivers it
    assert len(replies) == 1
    assert tg.click(hana, replies[0], "/ask_duties")  # its answerCallbackQuery failed: still answered
    assert "konseling" in texts(fake_api.sent_messages(hana["id"])[-1:])


# ------------------------------------------------------------------ other servers


def test_server_started_and_served_while_the_bot_api_was_unreachable(rasa, fake_api):
    offline = rasa.offline
    assert offline["warned"], "no warning that the Bot API cannot be reached"
    assert offline["status"] == 200  # the webhook worked; the reply could not be sent
    assert "sendMessage to chat 5008 not sent yet" in offline["log"]
    assert "Traceback" not in offline["log"]
    # once the Bot API is reachable, the connector's retries register the webhook
    assert fake_api.wait_for("setWebhook", timeout=90)
    assert wait_for_log(rasa, "webhook registered")


def test_without_a_token_the_server_runs_and_the_webhook_answers_503(bot):
    """The shared server of the other e2e tests: same credentials.yml, no TELEGRAM_*
    (tests.harness.ENV drops them)."""
    status, _ = harness.http(
        "POST", f"{bot.rasa.url}/webhooks/telegram/webhook", {"update_id": 1}, headers=HEADERS
    )
    assert status == 503
    assert harness.http("GET", f"{bot.rasa.url}/webhooks/telegram/")[1] == {"status": "not configured"}
    assert bot.chat().say("halo")  # the REST channel beside it works
    assert "Telegram is not configured" in bot.rasa.log_path.read_text()
