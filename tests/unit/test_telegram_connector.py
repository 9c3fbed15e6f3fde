"""The Telegram connector's pieces: splitting, buttons, ids, settings, and its
output channel against the fake Bot API on loopback."""
import asyncio

import pytest

from channels import telegram
from tests.fake_telegram import FakeBotAPI

TOKEN = "987654:UNIT-TEST-TOKEN"


def test_short_text_is_one_part():
    assert telegram.split_text("  halo  ") == ["halo"]


def test_long_text_is_split_at_line_breaks_without_losing_words():
    lines = [f"Baris nomor {i}: " + "kata " * 30 for i in range(120)]
    text = "\n".join(line.strip() for line in lines)
    assert telegram.utf16_length(text) > 3 * 4096
    parts = telegram.split_text(text)
    assert len(parts) >= 4
    assert all(telegram.utf16_length(p) <= 4096 for p in parts)
    assert all(p.startswith("Baris nomor") for p in parts)  # cut at a line break
    assert " ".join(parts).split() == text.split()


def test_one_huge_word_is_cut_hard():
    parts = telegram.split_text("x" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_emoji_count_twice_towards_the_limit():
    text = "🙂" * 3000  # 6000 UTF-16 code units
    parts = telegram.split_text(text)
    assert all(telegram.utf16_length(p) <= 4096 for p in parts)
    assert "".join(parts) == text


def test_callback_data_stays_under_64_bytes():
    store = telegram.BoundedDict(10)
    assert telegram.callback_data_for("/ask_duties", store) == "/ask_duties"
    long_payload = '/start_interview{"note": "' + "é" * 60 + '"}'
    key = telegram.callback_data_for(long_payload, store)
    assert len(key.encode()) <= 64 and store[key] == long_payload


def test_keyboard_one_row_for_short_titles_else_one_per_row():
    store = telegram.BoundedDict(10)
    short = telegram.inline_keyboard([{"title": str(i), "payload": str(i)} for i in range(1, 6)], store)
    assert [[b["callback_data"] for b in row] for row in short["inline_keyboard"]] == [["1", "2", "3", "4", "5"]]
    long = telegram.inline_keyboard(
        [{"title": "Tugasnya apa saja?", "payload": "/ask_duties"}, {"title": "Tes kecocokan", "payload": "/start_interview"}],
        store,
    )
    assert long["inline_keyboard"] == [
        [{"text": "Tugasnya apa saja?", "callback_data": "/ask_duties"}],
        [{"text": "Tes kecocokan", "callback_data": "/start_interview"}],
    ]


def test_sender_ids_per_private_chat_and_per_group_member():
    assert telegram.sender_id_for({"id": 42, "type": "private"}, {"id": 42}) == "tg:42"
    assert telegram.sender_id_for({"id": -100123, "type": "supergroup"}, {"id": 7}) == "tg:-100123:7"
    assert telegram.chat_id_from_sender("tg:-100123:7") == "-100123"
    assert telegram.chat_id_from_sender("tg:42") == "42"
    assert telegram.chat_id_from_sender("user-abc") is None
    assert telegram.member_id_from_sender("tg:-100123:7") == 7
    assert telegram.member_id_from_sender("tg:42") is None


def test_settings_from_environment():
    settings = telegram.TelegramSettings(
        {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BOT_NAME": "@KonselorBot", "TELEGRAM_API_BASE": "http://x/"}
    )
    assert settings.configured and settings.bot_id == 987654
    assert settings.bot_name == "KonselorBot" and settings.api_base == "http://x"
    # without TELEGRAM_SECRET_TOKEN a secret is derived from the token, in the allowed characters
    assert telegram.TelegramSettings({"TELEGRAM_TOKEN": TOKEN}).secret.isalnum()
    assert telegram.TelegramSettings({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "s3cret"}).secret == "s3cret"
    off = telegram.TelegramSettings({})
    assert not off.configured and off.api_base == telegram.DEFAULT_API_BASE


async def test_deduplicator_forgets_only_the_oldest():
    seen = telegram.UpdateDeduplicator(limit=3, redis_url="")
    assert [await seen.first_time(i) for i in (1, 2, 1, 3, 4)] == [True, True, False, True, True]
    assert await seen.first_time(1)  # forgotten after three newer ids
    assert not await seen.first_time(4)


@pytest.fixture
def fake_api():
    fake = FakeBotAPI(TOKEN, "UnitBot").start()
    yield fake
    fake.stop()


async def test_output_channel_splits_a_long_message_for_the_bot_api(fake_api):
    settings = telegram.TelegramSettings({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake_api.base_url})
    api = telegram.BotAPI(settings)
    out = telegram.TelegramOutput(api, telegram.BoundedDict(10))
    text = "\n".join(f"{i}. " + "pemberdayaan masyarakat " * 12 for i in range(60))
    try:
        await out.send_text_with_buttons("tg:42", text, [{"title": "Tes kecocokan", "payload": "/start_interview"}])
        assert await out.outbox.flush(timeout=30)
    finally:
        await api.close()
    sent = fake_api.sent(42)
    assert len(sent) >= 3
    assert all(telegram.utf16_length(m["text"]) <= 4096 for m in sent)
    assert " ".join(m["text"] for m in sent).split() == text.split()
    # the buttons come with the last part only
    assert [("reply_markup" in m) for m in sent] == [False] * (len(sent) - 1) + [True]


async def test_in_a_group_the_test_intro_says_typed_answers_must_be_replies(fake_api):
    from counselor import interview_text
    settings = telegram.TelegramSettings({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake_api.base_url})
    api = telegram.BotAPI(settings)
    group = telegram.TelegramOutput(api, telegram.BoundedDict(10), reply_to_message_id=7)
    private = telegram.TelegramOutput(api, telegram.BoundedDict(10))
    try:
        await group.send_text_message("tg:-100:5", interview_text.intro(8))
        await private.send_text_message("tg:42", interview_text.intro(8))
        assert await group.outbox.flush(timeout=30) and await private.outbox.flush(timeout=30)
    finally:
        await api.close()
    (in_group,), (in_private,) = fake_api.sent(-100), fake_api.sent(42)
    assert "balas (reply) pesan pertanyaanku" in in_group["text"]
    assert interview_text.TYPED_ANSWER_HINT not in in_group["text"]
    assert interview_text.TYPED_ANSWER_HINT in in_private["text"]


def outbox_for(fake_api, **policy):
    settings = telegram.TelegramSettings({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake_api.base_url})
    api = telegram.BotAPI(settings)
    return api, telegram.Outbox(api, **{"backoff": 0.05, **policy})


async def test_bot_api_errors_are_retried_in_order_and_never_raise(fake_api):
    api, outbox = outbox_for(fake_api)
    out = telegram.TelegramOutput(api, telegram.BoundedDict(10), reply_to_message_id=5, outbox=outbox)
    fake_api.fail_next("sendMessage", 502, times=2)
    try:
        await out.send_text_message("tg:-100:7", "halo")  # 502 twice, then delivered
        await out.send_text_message("tg:-100:7", "halo lagi")
        assert await outbox.flush(timeout=30)
    finally:
        await api.close()
    assert [m["text"] for m in fake_api.sent(-100)] == ["halo", "halo lagi"]
    assert fake_api.sent(-100)[0]["reply_to_message_id"] == 5


async def test_rate_limit_waits_retry_after_and_a_too_long_wait_is_dropped(fake_api):
    api, outbox = outbox_for(fake_api, max_wait=1.5)
    fake_api.fail_next("sendMessage", 429, description="Too Many Requests: retry after 1", retry_after=1)
    try:
        started = asyncio.get_running_loop().time()
        outbox.submit(77, "sendMessage", {"chat_id": 77, "text": "satu"})
        outbox.submit(77, "sendMessage", {"chat_id": 77, "text": "dua"})
        assert await outbox.flush(timeout=30)
        assert asyncio.get_running_loop().time() - started >= 1.0
        assert [m["text"] for m in fake_api.sent(77)] == ["satu", "dua"]
        fake_api.fail_next("sendMessage", 429, retry_after=8)  # longer than max_wait: dropped
        outbox.submit(77, "sendMessage", {"chat_id": 77, "text": "tiga"})
        assert await outbox.flush(timeout=30)
        assert [m["text"] for m in fake_api.sent(77)] == ["satu", "dua"]
    finally:
        await api.close()


async def test_a_blocked_chat_gets_nothing_more_until_it_writes_again(fake_api):
    api, outbox = outbox_for(fake_api)
    fake_api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    try:
        for text in ("a", "b"):
            outbox.submit(78, "sendMessage", {"chat_id": 78, "text": text})
        assert await outbox.flush(timeout=30)
        assert len(fake_api.calls("sendMessage")) == 1 and fake_api.sent(78) == []
        outbox.unblock(78)
        outbox.submit(78, "sendMessage", {"chat_id": 78, "text": "c"})
        assert await outbox.flush(timeout=30)
        assert [m["text"] for m in fake_api.sent(78)] == ["c"]
    finally:
        await api.close()


async def test_a_missing_thread_or_reply_is_sent_again_without_it(fake_api):
    api, outbox = outbox_for(fake_api)
    fake_api.fail_next("sendMessage", 400, description="Bad Request: message thread not found")
    fake_api.fail_next("sendMessage", 400, description="Bad Request: replied message not found")
    try:
        outbox.submit(-79, "sendMessage", {"chat_id": -79, "text": "halo", "message_thread_id": 9,
                                           "reply_to_message_id": 4})
        assert await outbox.flush(timeout=30)
    finally:
        await api.close()
    [sent] = fake_api.sent(-79)
    assert "message_thread_id" not in sent and "reply_to_message_id" not in sent


async def test_unreachable_bot_api_is_a_bot_api_error():
    from tests.harness import free_port

    settings = telegram.TelegramSettings(
        {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{free_port()}"}
    )
    api = telegram.BotAPI(settings)
    try:
        with pytest.raises(telegram.BotAPIError, match="unreachable"):
            await api.call("getMe")
    finally:
        await api.close()


# --- routing of updates to Rasa, without Rasa: what on_new_message receives


class Collector:
    def __init__(self):
        self.messages = []

    async def __call__(self, message):
        self.messages.append(message)


def channel(api_base="http://127.0.0.1:9"):
    return telegram.TelegramInput(
        telegram.TelegramSettings(
            {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BOT_NAME": "UnitBot", "TELEGRAM_API_BASE": api_base}
        )
    )


GROUP = {"id": -100123, "type": "supergroup", "title": "G"}
ANI = {"id": 7, "is_bot": False, "first_name": "Ani"}
BOT = {"id": 987654, "is_bot": True, "first_name": "Unit", "username": "UnitBot"}


def group_message(text, **extra):
    return {"message_id": 50, "from": ANI, "chat": GROUP, "date": 1, "text": text, **extra}


@pytest.mark.parametrize(
    "text, reply_to, expected",
    [
        ("/tes", None, "/start_interview"),
        ("/tes@UnitBot sekarang", None, "/start_interview"),
        ("/bantuan@unitbot", None, "/help"),
        ("/start", None, "/greet"),
        ("/tes@OtherBot", None, None),           # another bot's command
        ("/entahlah", None, None),               # unknown, not addressed to us
        ("/entahlah@UnitBot", None, "/help"),
        ("@UnitBot, tugasnya apa?", None, "tugasnya apa?"),
        ("eh @unitbot  bedanya sama peksos apa", None, "eh bedanya sama peksos apa"),
        ("@UnitBot", None, "/greet"),
        ("halo semua", None, None),              # not for the bot
        ("email@UnitBot.com", None, None),       # not a mention
        ("setuju", {"message_id": 49, "from": BOT, "chat": GROUP, "date": 1, "text": "Pertanyaan 1"}, "setuju"),
        ("setuju", {"message_id": 48, "from": ANI, "chat": GROUP, "date": 1, "text": "x"}, None),
    ],
)
async def test_group_messages_reach_rasa_only_when_addressed_to_the_bot(text, reply_to, expected):
    collector = Collector()
    extra = {"reply_to_message": reply_to} if reply_to else {}
    await channel()._handle_update({"update_id": 1, "message": group_message(text, **extra)}, collector)
    assert [m.text for m in collector.messages] == ([expected] if expected else [])
    for message in collector.messages:
        assert message.sender_id == "tg:-100123:7"
        assert message.output_channel.reply_to_message_id == 50
        assert message.input_channel == "telegram"


async def test_private_messages_all_reach_rasa_per_chat():
    collector = Collector()
    chat = {"id": 7, "type": "private", "first_name": "Ani"}
    for text in ("halo", "/tes", "/apa_ini", "@UnitBot halo"):
        update = {"update_id": 1, "message": {"message_id": 3, "from": ANI, "chat": chat, "date": 1, "text": text}}
        await channel()._handle_update(update, collector)
    assert [m.text for m in collector.messages] == ["halo", "/start_interview", "/help", "halo"]
    assert {m.sender_id for m in collector.messages} == {"tg:7"}
    assert all(m.output_channel.reply_to_message_id is None for m in collector.messages)


async def test_a_button_press_becomes_the_members_message(fake_api):
    collector = Collector()
    tg = channel(fake_api.base_url)
    bot_message = {"message_id": 60, "from": BOT, "chat": GROUP, "date": 1, "text": "Pertanyaan 2",
                   "reply_to_message": group_message("/tes")}
    query = {"id": "q1", "from": ANI, "message": bot_message, "chat_instance": "1", "data": "4"}
    try:
        await tg._handle_update({"update_id": 2, "callback_query": query}, collector)
    finally:
        await tg.api.close()
    assert [c["params"]["callback_query_id"] for c in fake_api.calls("answerCallbackQuery")] == ["q1"]
    (message,) = collector.messages
    assert message.text == "4" and message.sender_id == "tg:-100123:7"
    assert message.output_channel.reply_to_message_id == 50  # Ani's message, not the bot's


async def test_unknown_button_key_is_answered_and_dropped(fake_api):
    collector = Collector()
    tg = channel(fake_api.base_url)
    query = {"id": "q2", "from": ANI, "chat_instance": "1", "data": "#h:0000",
             "message": {"message_id": 61, "from": BOT, "chat": GROUP, "date": 1, "text": "x"}}
    try:
        await tg._handle_update({"update_id": 3, "callback_query": query}, collector)
    finally:
        await tg.api.close()
    assert collector.messages == []
    assert fake_api.calls("answerCallbackQuery")[0]["params"]["text"] == telegram.EXPIRED_BUTTON


def test_in_a_group_typed_words_become_replies():
    said = 'Kalau mau, ketik "tes" atau pilih tombol di bawah. Ketik "berhenti" kapan saja. Ketik /tes juga bisa.'
    assert telegram.group_wording(said) == (
        'Kalau mau, balas pesan ini dengan "tes" atau pilih tombol di bawah. '
        'Balas pesan ini dengan "berhenti" kapan saja. Ketik /tes juga bisa.')


CONFIRM_DELETE = [{"title": "Ya, hapus", "payload": "/affirm"}, {"title": "Batal", "payload": "/deny"}]
TOPICS = [{"title": "Siapa yang cocok?", "payload": "/ask_fit"},
          {"title": "Tes kecocokan", "payload": "/start_interview"}]


async def _keyboards_sent(tg, fake_api, recipient, *keyboards):
    """Sends each keyboard through the connector's output; returns the bot's Message objects."""
    out = tg._output(reply_to_message_id=50 if ":" in recipient[3:] else None)
    for buttons in keyboards:
        await out.send_text_with_buttons(recipient, "Pilih, ya", buttons)
    assert await out.outbox.flush(timeout=30)
    return fake_api.sent_messages()[-len(keyboards):]


PRIVATE_CHAT = {"id": 7, "type": "private", "first_name": "Ani"}


async def _press(tg, collector, message, data, query_id="q1"):
    """Ani presses the button with `data` under the bot's `message` in her private chat."""
    query = {"id": query_id, "from": ANI, "chat_instance": "1", "data": data,
             "message": {**message, "chat": PRIVATE_CHAT}}
    await tg._handle_update({"update_id": 1, "callback_query": query}, collector)


async def test_an_old_yes_button_does_not_answer_a_newer_question(fake_api):
    collector = Collector()
    tg = channel(fake_api.base_url)
    try:
        confirm, topics = await _keyboards_sent(tg, fake_api, "tg:7", CONFIRM_DELETE, TOPICS)
        for query_id, message, data in (("q1", confirm, "/affirm"), ("q2", confirm, "/ask_fit"),
                                        ("q3", topics, "/start_interview")):
            await _press(tg, collector, message, data, query_id)
        assert await tg.outbox.flush(timeout=30)
    finally:
        await tg.api.close()
    # "Ya, hapus" of the older keyboard erases nothing; its topic button and the new keyboard work.
    assert [m.text for m in collector.messages] == ["/ask_fit", "/start_interview"]
    answers = {c["params"]["callback_query_id"]: c["params"].get("text")
               for c in fake_api.calls("answerCallbackQuery")}
    assert answers == {"q1": telegram.OLD_BUTTON, "q2": None, "q3": None}
    (removed,) = fake_api.calls("editMessageReplyMarkup")
    assert removed["params"]["message_id"] == confirm["message_id"]
    assert removed["params"]["reply_markup"] == {"inline_keyboard": []}


async def test_the_newest_yes_button_still_answers_and_its_keyboard_goes(fake_api):
    collector = Collector()
    tg = channel(fake_api.base_url)
    try:
        _, confirm = await _keyboards_sent(tg, fake_api, "tg:7", TOPICS, CONFIRM_DELETE)
        await _press(tg, collector, confirm, "/affirm")
        assert await tg.outbox.flush(timeout=30)
    finally:
        await tg.api.close()
    assert [m.text for m in collector.messages] == ["/affirm"]
    # answered, so "Ya, hapus" cannot be pressed again after the erase (user trial, round 14)
    (removed,) = fake_api.calls("editMessageReplyMarkup")
    assert removed["params"]["message_id"] == confirm["message_id"]


async def test_a_reply_to_another_members_statement_is_not_taken_as_an_answer(fake_api):
    from counselor import interview_text
    collector = Collector()
    tg = channel(fake_api.base_url)
    budi = {"id": 8, "is_bot": False, "first_name": "Budi"}
    try:
        (statement,) = await _keyboards_sent(tg, fake_api, "tg:-100123:7", interview_text.scale_buttons("empathy"))
        replied = {**statement, "from": BOT, "chat": GROUP}
        for sender in (budi, ANI):
            message = {**group_message("4", reply_to_message=replied), "from": sender}
            await tg._handle_update({"update_id": 1, "message": message}, collector)
        assert await tg.outbox.flush(timeout=30)
    finally:
        await tg.api.close()
    # Budi is told it is Ani's test; Ani's own reply is her answer.
    assert [(m.sender_id, m.text) for m in collector.messages] == [("tg:-100123:7", "4")]
    notice = fake_api.sent(GROUP["id"])[-1]
    assert notice["text"] == telegram.NOT_YOUR_STATEMENT and notice["reply_to_message_id"] == 50
