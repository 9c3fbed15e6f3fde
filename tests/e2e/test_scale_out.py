"""Two Rasa replicas sharing PostgreSQL (trackers) and Redis (locks) serve the same users.

Real PostgreSQL and Redis from Debian's packages on free loopback ports with
temp data dirs, one action server, two `rasa run` replicas started with the
scale-out environment (BOT_POSTGRES_URL, BOT_REDIS_URL; endpoints.yml).
"""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from counselor import scoring
from tests import harness
from tests.fake_telegram import FakeBotAPI

TOKEN = "scale-out-test-token"
RUBRIC = scoring.load_rubric()
TRAITS = [t.trait for t in RUBRIC]
PARALLEL_INTERVIEWS = 8


STATE: dict = {}
TELEGRAM_TOKEN = "123456:REPLICA-FAKE-TOKEN"
TELEGRAM_SECRET = "replica-Secret_1"


@pytest.fixture(scope="module")
def postgres_url(replicas) -> str:
    return STATE["postgres_url"]


@pytest.fixture(scope="module")
def replicas(trained_model):
    log_dir = harness.temp_log_dir()
    postgres, redis = harness.Postgres(log_dir), harness.Redis(log_dir)
    actions, servers = None, []
    try:
        postgres.start()
        redis.start()
        actions = harness.action_server(log_dir).start(timeout=300)
        fake = STATE["fake_telegram"] = FakeBotAPI(TELEGRAM_TOKEN, "KonselorBot",
                                                    port=harness.free_port()).start()
        env = {"BOT_POSTGRES_URL": postgres.url, "BOT_REDIS_URL": redis.url,
               "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
               "TELEGRAM_BOT_NAME": "KonselorBot", "TELEGRAM_API_BASE": fake.base_url}
        servers = [harness.stored_rasa_server(log_dir, actions.url, TOKEN, env, name=f"rasa-{n}")
                   for n in (1, 2)]
        # Both replicas load the model at the same time (half the waiting).
        errors = []
        threads = [threading.Thread(target=lambda s=s: _start(s, errors)) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        STATE["postgres_url"] = postgres.url
        yield servers
    finally:
        for server in servers:
            server.stop()
        if actions:
            actions.stop()
        if "fake_telegram" in STATE:
            STATE["fake_telegram"].stop()
        redis.stop()
        postgres.stop()


def _start(server, errors):
    try:
        server.start(timeout=900)
    except Exception as error:  # reported by the fixture
        errors.append(error)


def chats_for(replicas, sender=None):
    first = harness.Chat(replicas[0].url, TOKEN, sender)
    return [first, harness.Chat(replicas[1].url, TOKEN, first.sender)]


def question_number(text):
    for number in range(1, len(TRAITS) + 1):
        if f"Pertanyaan {number} dari {len(TRAITS)}" in text:
            return number
    return None


def test_replicas_store_in_postgresql_and_lock_in_redis(replicas):
    for server in replicas:
        log = server.log_path.read_text(errors="replace")
        assert "Conversations are stored in PostgreSQL" in log
        assert "Conversation locks are kept in Redis" in log


def test_one_interview_alternating_between_the_replicas(replicas):
    chats = chats_for(replicas)
    assert question_number(chats[0].say("mulai tes")) == 1
    given = ["5", "4", "5", "4", "5", "4", "5", "4"]
    for number, value in enumerate(given, start=1):
        text = chats[number % 2].say(value)  # replica 2, 1, 2, 1, ...
        if number < len(given):
            assert question_number(text) == number + 1, (number, text)
    expected = scoring.score(RUBRIC, dict(zip(TRAITS, map(int, given)))).level
    for chat in chats:  # both replicas read the same conversation
        slots = chat.tracker()["slots"]
        assert [slots[t] for t in TRAITS] == list(map(int, given))
        assert slots["verdict"] == expected


def run_interview(replicas, index):
    value = "5" if index % 2 == 0 else "2"
    chats = chats_for(replicas, sender=f"parallel-{index}-{uuid.uuid4().hex[:8]}")
    chats[index % 2].say("apakah aku cocok jadi konselor?")
    for turn in range(len(TRAITS)):
        chats[(index + turn + 1) % 2].say(value)
    return chats[0].sender, value, chats[1].tracker()


def test_parallel_interviews_spread_over_both_replicas_end_right_and_never_mix(replicas):
    with ThreadPoolExecutor(max_workers=PARALLEL_INTERVIEWS) as pool:
        results = list(pool.map(lambda i: run_interview(replicas, i), range(PARALLEL_INTERVIEWS)))
    for sender, value, tracker in results:
        slots = tracker["slots"]
        assert [slots[t] for t in TRAITS] == [int(value)] * len(TRAITS), sender
        assert slots["verdict"] == ("good_fit" if value == "5" else "poor_fit"), sender
        texts = [e["text"] for e in tracker["events"] if e["event"] == "user"]
        assert texts == ["apakah aku cocok jadi konselor?"] + [value] * len(TRAITS), sender
    harness.METRICS.append(
        f"scale-out: {len(replicas)} Rasa replicas on PostgreSQL + Redis, 1 interview alternating "
        f"replicas, {PARALLEL_INTERVIEWS} parallel interviews spread over both: all verdicts right"
    )


def _pg_rows(postgres_url, sender):
    import psycopg2
    with psycopg2.connect(postgres_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT intent_name, data FROM events WHERE sender_id = %s", (sender,))
        return cursor.fetchall()


def test_erase_on_one_replica_removes_the_rows_for_both(replicas, postgres_url):
    chats = chats_for(replicas)
    other = harness.Chat(replicas[1].url, TOKEN)
    other.say("tugas konselor apa aja?")
    other_rows = _pg_rows(postgres_url, other.sender)
    chats[0].say("tes dong")
    chats[1].say("5")
    chats[0].say("aku diperas pakai video pribadiku")
    before = _pg_rows(postgres_url, chats[0].sender)
    assert any(intent == "crisis" for intent, _ in before)
    chats[1].say("hapus data saya")
    assert "sudah aku hapus" in chats[0].say("/affirm")  # asked on one replica, confirmed on the other
    assert _pg_rows(postgres_url, chats[0].sender) == []
    chats[1].say("halo")
    chats[0].say("siapa yang cocok?")
    after = _pg_rows(postgres_url, chats[0].sender)
    assert after and "diperas" not in " ".join(data for _, data in after)
    assert chats[1].slot("empathy") is None
    assert _pg_rows(postgres_url, other.sender)[:len(other_rows)] == other_rows
    harness.METRICS.append(f"privacy: erase across 2 replicas on PostgreSQL, rows {len(before)} -> 0 "
                           f"({len(after)} after the next messages)")


def test_two_replicas_answer_a_redelivered_telegram_update_once(replicas):
    fake = STATE["fake_telegram"]
    person = {"id": 8801, "is_bot": False, "first_name": "Sinta"}
    update = {"update_id": 4_400_001, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start", "from": person,
        "chat": {"id": 8801, "type": "private", "first_name": "Sinta"}}}
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    answers = []
    for server in replicas:  # Telegram redelivers, and a load balancer picks the other replica
        status, body = harness.http("POST", f"{server.url}/webhooks/telegram/webhook", update,
                                    headers=headers)
        assert status == 200
        answers.append(body.get("status"))
    assert sorted(answers) == ["duplicate", "ok"]
    assert len(fake.sent(8801)) == 1
