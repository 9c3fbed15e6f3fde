"""`make chat` as a person uses it: typed in a pseudo-terminal, read back from the store.

The whole command runs (action server, Rasa with the SQLite store in a temp
BOT_DATA_DIR, the console client) on free loopback ports; the test types into
a pty the way a person types and reads the screen.
"""
from __future__ import annotations

import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import time

import pytest

from tests import harness

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")


class Terminal:
    def __init__(self, env: dict):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(["make", "-s", "chat"], cwd=harness.ROOT, env=env,
                                        stdin=slave, stdout=slave, stderr=slave,
                                        start_new_session=True)
        os.close(slave)
        self.screen = ""

    def read_until(self, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            clean = ANSI.sub("", self.screen)
            if text in clean:
                return clean
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:
                    break
        raise AssertionError(f"{text!r} did not appear; screen:\n{ANSI.sub('', self.screen)[-3000:]}")

    def type(self, text: str) -> None:
        self.mark = len(ANSI.sub("", self.screen))
        os.write(self.master, text.encode())

    def since_typed(self) -> str:
        return ANSI.sub("", self.screen)[self.mark:]

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
        os.close(self.master)


def slot_values(database, name: str) -> list:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT data FROM events WHERE type_name = 'slot'").fetchall()
    import json
    return [json.loads(data)["value"] for (data,) in rows if json.loads(data)["name"] == name]


@pytest.fixture
def terminal(trained_model, tmp_path):
    env = {**harness.ENV, "RASA_PORT": str(harness.free_port()), "ACTIONS_PORT": str(harness.free_port()),
           "BOT_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm", "COLUMNS": "80", "LINES": "40",
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("RASA_TOKEN", None)
    term = Terminal(env)
    term.database = tmp_path / "data" / "tracker.db"
    term.ports = [int(env["RASA_PORT"]), int(env["ACTIONS_PORT"])]
    yield term
    term.close()


def test_a_typed_interview_in_the_terminal(terminal):
    first = terminal.read_until("kamu>", timeout=600)  # servers start and load the model
    assert "Traceback" not in first and "Warning" not in first and "warn" not in first.lower()
    assert "Keluar: /stop atau Ctrl-C" in first
    assert "[1] Apa itu?" in first  # the greeting's buttons, numbered, after its text

    terminal.type("tes\r")
    screen = terminal.read_until("Pertanyaan 1 dari 8")
    terminal.read_until("[5] 5 · Sangat setuju")
    assert "Tes kecocokan" not in terminal.since_typed()

    terminal.type("4\r")  # the number picks button 4: "4 · Setuju", stored as 4
    terminal.read_until("Pertanyaan 2 dari 8")
    assert "✓ 4 · Setuju" in terminal.since_typed()

    terminal.type("berapa gajinya kak?\r")  # a question is never an answer
    terminal.read_until("belum punya informasinya")
    terminal.read_until("Pertanyaan 2 dari 8")

    terminal.type("aku gampang bosen kalo dengerin orang cerita lama\r")  # a self-description
    terminal.read_until("Pertanyaan 3 dari 8")
    assert "✓ 2 · Tidak setuju" in terminal.since_typed()

    for answer in ("kadang2", "iya banget", "setuju", "5", "sangat setuju", "4"):
        terminal.type(answer + "\r")
        time.sleep(0.2)
    screen = terminal.read_until("Hasil tes kecocokanmu")
    terminal.read_until("kamu>")
    verdict = terminal.since_typed()
    assert "■" in verdict
    assert max(len(line) for line in verdict.splitlines()) <= 80

    terminal.type("\x03")  # Ctrl-C at the prompt ends it cleanly
    terminal.read_until("Sampai jumpa")
    assert terminal.process.wait(timeout=60) == 0
    assert "Traceback" not in ANSI.sub("", terminal.screen)
    # The last value the store holds for each slot (the form first sets the raw text).
    assert slot_values(terminal.database, "empathy")[-1] == 4.0
    assert slot_values(terminal.database, "listening")[-1] == 2.0


def test_stop_ends_the_chat_and_the_servers(terminal):
    terminal.read_until("kamu>", timeout=600)
    terminal.type("/stop\r")
    terminal.read_until("Sampai jumpa")
    assert terminal.process.wait(timeout=60) == 0
    for port in terminal.ports:  # the action server and Rasa stopped with it
        harness.wait_until_down(port, timeout=30)
