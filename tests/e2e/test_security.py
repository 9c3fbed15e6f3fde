"""The HTTP API needs the token; one user cannot reach another user's conversation."""
import re

from tests import harness

PROTECTED = [
    ("GET", "/conversations/{id}/tracker", None),
    ("GET", "/conversations/{id}/story", None),
    ("POST", "/conversations/{id}/messages", {"text": "halo", "sender": "user"}),
    ("POST", "/conversations/{id}/tracker/events", {"event": "slot", "name": "verdict", "value": "good_fit"}),
    ("PUT", "/conversations/{id}/tracker/events", []),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "greet"}),
    ("POST", "/conversations/{id}/execute", {"name": "action_give_verdict"}),
    ("POST", "/conversations/{id}/predict", None),
    ("POST", "/model/parse", {"text": "halo"}),
    ("GET", "/status", None),
    ("GET", "/domain", None),
]


def test_the_http_api_refuses_requests_without_the_right_token(bot):
    chat = bot.chat()
    chat.say("mulai tes")
    chat.say("5")
    for method, path, body in PROTECTED:
        url = bot.rasa.url + path.format(id=chat.sender)
        for suffix in ("", "?token=", "?token=wrong-token", f"?token={bot.auth_token}x"):
            status, reply = harness.http(method, url + suffix, body)
            assert status in (401, 403), (method, path, suffix, status, reply)
    # nothing above changed the conversation
    slots = chat.tracker()["slots"]
    assert slots["empathy"] == 5 and slots["verdict"] is None and slots["listening"] is None


def test_with_the_token_the_tracker_is_readable(bot):
    chat = bot.chat()
    chat.say("halo")
    status, tracker = harness.http(
        "GET", f"{bot.rasa.url}/conversations/{chat.sender}/tracker?token={bot.auth_token}"
    )
    assert status == 200 and tracker["sender_id"] == chat.sender


def documented_commands():
    """Every command line in the docs, Makefile and scripts that starts `rasa run`."""
    files = [harness.ROOT / "README.md", harness.ROOT / "Makefile", harness.ROOT / ".ci" / "run"]
    files += sorted((harness.ROOT / "scripts").glob("*"))
    files += sorted((harness.ROOT / "docs").glob("**/*.md")) if (harness.ROOT / "docs").is_dir() else []
    for path in files:
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines):
            if "enable-api" in line or "enable_api" in line:
                # a command may go on over the next lines (`\` or a Python list)
                yield f"{path.name}:{number + 1}", " ".join(lines[number:number + 5])


def test_every_documented_command_enables_the_api_only_with_a_token():
    found = list(documented_commands())
    assert any(where.startswith("README.md") for where, _ in found), "README documents the API"
    for where, command in found:
        assert re.search(r"--auth-token|auth_token|--jwt-secret", command), (where, command)


def test_users_never_see_or_change_each_other(bot):
    alice, bob = bot.chat(), bot.chat()
    alice.say("mulai tes")
    alice.say("2")
    replies = []
    # Bob tries everything a user can type or send to reach Alice's conversation.
    for text in ["5", "/start_interview", '/answer_scale{"empathy": 5}', alice.sender,
                 f'/greet{{"sender": "{alice.sender}"}}']:
        replies += bob.send(text)
    status, _ = harness.http("POST", f"{bot.rasa.url}/webhooks/rest/webhook",
                             {"sender": bob.sender, "message": "5",
                              "metadata": {"sender": alice.sender, "sender_id": alice.sender},
                              "input_channel": alice.sender})
    assert status == 200
    assert replies and {r["recipient_id"] for r in replies} == {bob.sender}

    alice_tracker, bob_tracker = alice.tracker(), bob.tracker()
    assert alice_tracker["slots"]["empathy"] == 2 and alice_tracker["slots"]["listening"] is None
    assert alice_tracker["slots"]["requested_slot"] == "listening"
    alice_texts = [e.get("text") for e in alice_tracker["events"] if e["event"] == "user"]
    assert alice_texts == ["mulai tes", "2"]
    assert all(e.get("input_channel") in (None, "rest") for e in bob_tracker["events"] if e["event"] == "user")
    assert "Pertanyaan 3 dari" in alice.say("4")


def test_a_message_without_sender_is_refused_not_put_in_a_shared_conversation(bot):
    for body in ({"message": "halo"}, {"sender": "", "message": "halo"}, {"sender": None, "message": "halo"}):
        status, reply = harness.http("POST", f"{bot.rasa.url}/webhooks/rest/webhook", body)
        assert status == 400, (body, status, reply)
