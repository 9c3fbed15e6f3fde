"""Production defaults (README "Running in production"): private by default, secrets
off command lines, the reverse proxy exposing only public paths, service units.

Real processes on loopback: `make web` and `make telegram` as a user runs them,
nginx from Debian's packages in front of the page server and `rasa run`, and
systemd-analyze on the unit files.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import websockets

from tests import harness
from tests.fake_telegram import FakeBotAPI

DEPLOY = harness.ROOT / "deploy"
TELEGRAM_TOKEN = "123456:PROXY-FAKE-TOKEN"
TELEGRAM_SECRET = "proxy-Secret_42"


def listening(ports) -> dict:
    """{port: [local addresses listening on it]} from `ss -ltn`."""
    found = {port: [] for port in ports}
    output = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        local = line.split()[3]
        address, _, port = local.rpartition(":")
        if port.isdigit() and int(port) in found:
            found[int(port)].append(address.strip("[]"))
    return found


def command_lines() -> list:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
    return lines


def wait_for_port(port: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if listening([port])[port]:
            return
        time.sleep(0.5)
    raise TimeoutError(f"nothing listens on {port}")


@pytest.mark.parametrize("target", ["web", "telegram"])
def test_make_target_listens_only_on_loopback_and_keeps_secrets_off_command_lines(
        target, trained_model, tmp_path):
    ports = {"RASA_PORT": harness.free_port(), "ACTIONS_PORT": harness.free_port(),
             "WEB_PORT": harness.free_port()}
    token = f"cmdline-secret-{os.getpid()}-{target}"
    env = {**harness.ENV, **{k: str(v) for k, v in ports.items()}, "RASA_TOKEN": token,
           "BOT_DATA_DIR": str(tmp_path / "data")}
    if target == "telegram":
        env.update(TELEGRAM_TOKEN=TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
                   TELEGRAM_API_BASE=f"http://127.0.0.1:{harness.free_port()}")  # nothing there
    log = (tmp_path / "make.log").open("w")
    process = subprocess.Popen(["make", "-s", target], cwd=harness.ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        expected = [ports["RASA_PORT"], ports["ACTIONS_PORT"]]
        if target == "web":
            expected.append(ports["WEB_PORT"])
        for port in expected:
            wait_for_port(port)
        status, _ = harness.http("GET", f"http://127.0.0.1:{ports['RASA_PORT']}/status?token={token}")
        assert status == 200  # the API is on, with the token from the environment
        for port, addresses in listening(expected).items():
            assert addresses and set(addresses) <= {"127.0.0.1", "::1"}, (port, addresses)
        assert not [line for line in command_lines() if token in line]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def test_the_launcher_refuses_a_secret_on_its_command_line():
    result = subprocess.run([str(harness.VENV_BIN / "python"), "scripts/serve_rasa.py",
                             "--auth-token", "oops"], cwd=harness.ROOT, capture_output=True,
                            text=True, env=harness.ENV, timeout=120)
    assert result.returncode != 0 and "environment" in result.stderr


# --- the reverse proxy ---------------------------------------------------------------------

def nginx_config(tmp: Path, listen: int, page: int, rasa: int) -> Path:
    site = (DEPLOY / "nginx" / "konselor.conf").read_text()
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{page};")
    site = site.replace("server 127.0.0.1:5005;", f"server 127.0.0.1:{rasa};")
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
    main = tmp / "nginx.conf"
    main.write_text(
        f"daemon off;\nmaster_process off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events {}\nhttp {\n"
        f"  access_log {tmp}/access.log;\n"
        + "".join(f"  {name}_temp_path {tmp}/{name};\n" for name in
                  ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + site + "\n}\n")
    return main


@pytest.fixture(scope="module")
def proxy(bot, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    log_dir = harness.temp_log_dir()
    listen, page_port = harness.free_port(), harness.free_port()
    origin = f"http://127.0.0.1:{listen}"
    fake = FakeBotAPI(TELEGRAM_TOKEN, "KonselorBot", port=harness.free_port()).start()
    rasa = harness.rasa_server(
        log_dir, bot.actions.url, "proxy-test-token", name="rasa-proxy",
        env={**harness.ENV, "WEB_ALLOWED_ORIGINS": origin, "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
             "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET, "TELEGRAM_BOT_NAME": "KonselorBot",
             "TELEGRAM_API_BASE": fake.base_url}).start()
    page = harness.Server("web-page-proxy", [str(harness.VENV_BIN / "python"), "scripts/serve_web.py",
                          "--quiet", "--host", "127.0.0.1", "--port", str(page_port),
                          "--rasa-url", origin], page_port, "/config.json", log_dir).start()
    config = nginx_config(tmp, listen, page_port, rasa.port)
    check = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    nginx = subprocess.Popen(["nginx", "-c", str(config)], stderr=subprocess.PIPE)
    try:
        wait_for_port(listen, timeout=30)
        yield origin, fake
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        page.stop()
        rasa.stop()
        fake.stop()


async def socket_conversation(origin: str, text: str) -> list:
    """A web chat turn over a real WebSocket through the proxy (Engine.IO v4 frames)."""
    url = origin.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    replies = []
    async with websockets.connect(url, extra_headers={"Origin": origin}) as socket:
        assert (await socket.recv()).startswith("0")  # open
        await socket.send("40")
        assert (await socket.recv()).startswith("40")  # connected
        await socket.send('42["session_request",{"session_id":null}]')
        session_id = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            frame = await asyncio.wait_for(socket.recv(), timeout=120)
            if frame == "2":
                await socket.send("3")
                continue
            event, *data = json.loads(frame[2:])
            if event == "session_confirm":
                session_id = data[0]
                await socket.send("42" + json.dumps(
                    ["user_uttered", {"message": text, "session_id": session_id}]))
            elif event == "bot_uttered":
                replies.append(data[0])
                if data[0].get("quick_replies"):
                    break
    return replies


def test_a_web_chat_conversation_runs_over_a_websocket_through_the_proxy(proxy):
    origin, _ = proxy
    status, body = harness.http("GET", origin + "/")
    assert status == 200
    status, config = harness.http("GET", origin + "/config.json")
    assert status == 200 and config["serverUrl"] == origin
    replies = asyncio.run(socket_conversation(origin, "tugas konselor apa aja?"))
    assert any("konseling" in r.get("text", "") for r in replies), replies


def test_a_telegram_update_goes_through_the_proxy(proxy):
    origin, fake = proxy
    person = {"id": 7301, "is_bot": False, "first_name": "Gita"}
    update = {"update_id": 990001, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start", "from": person,
        "chat": {"id": 7301, "type": "private", "first_name": "Gita"}}}
    status, _ = harness.http("POST", origin + "/webhooks/telegram/webhook", update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert status == 200
    assert fake.sent(7301), "the bot's answer reached the Bot API"
    status, _ = harness.http("POST", origin + "/webhooks/telegram/webhook", update)
    assert status == 403  # still the connector's secret check behind the proxy


@pytest.mark.parametrize("method, path", [
    ("POST", "/webhooks/rest/webhook"), ("GET", "/conversations/x/tracker"),
    ("POST", "/model/parse"), ("GET", "/status"), ("GET", "/version"), ("POST", "/webhook"),
    ("GET", "/webhooks/telegram/webhook"), ("GET", "/package.json"), ("GET", "/../models/bot.tar.gz"),
])
def test_private_paths_are_not_reachable_through_the_proxy(proxy, method, path):
    origin, _ = proxy
    status, _ = harness.http(method, origin + path, {"sender": "x", "message": "halo"}
                             if method == "POST" else None)
    assert status in (400, 403, 404), (path, status)  # nginx refuses "/../" with 400


# --- service units ---------------------------------------------------------------------------

def test_service_units_verify_and_restart_on_failure(tmp_path):
    env_file = DEPLOY / "systemd" / "konselor.env.example"
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text()
        assert "Restart=on-failure" in text and "StandardOutput=journal" in text
        assert "EnvironmentFile=/etc/konselor/konselor.env" in text
        assert not re.search(r"--auth-token|--jwt-secret|TOKEN=", text.split("[Service]")[1])
        rendered = text.replace("/opt/konselor", str(harness.ROOT)).replace(
            "/etc/konselor/konselor.env", str(env_file))
        (tmp_path / unit.name).write_text(rendered)
    units = sorted(str(p) for p in tmp_path.glob("*.service"))
    assert len(units) == 3
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
