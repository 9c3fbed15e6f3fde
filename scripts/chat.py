"""`make chat`: a conversation with the bot in the terminal, over the REST channel.

    .venv/bin/python scripts/chat.py [--url http://127.0.0.1:5005] [--sender ID]

Free text always goes to the bot. Buttons are shown as a numbered list after
their own message; typing the number or the button's title picks it (at an
interview statement, "4" is "4 · Setuju"). Only the last message of a reply
shows its buttons, so no topic button from an answer given mid-interview
competes with the statement's answers. Texts are wrapped to the terminal
width (80 columns at most) and shown in full and in order. Ctrl-C, Ctrl-D or
/stop end it without a traceback.

prompt_toolkit gives the line editing and history when the input is a
terminal; piped input is read line by line.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import time
import unicodedata
import urllib.error
import urllib.request
import uuid
from typing import List, Optional

PROMPT = "kamu> "
STOP_COMMANDS = {"/stop", "/keluar", "/exit", "/quit"}
MAX_WIDTH = 80
INTRO = ("Ngobrol dengan asisten karier konselor pemberdayaan masyarakat. "
         "Ketik pesanmu lalu Enter; pilih tombol dengan angka atau judulnya. "
         "Keluar: /stop atau Ctrl-C.")


def post(url: str, sender: str, text: str, timeout: float = 120) -> list:
    """The bot's replies to one message ([] when the server answered nothing)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def process_alive(pid: Optional[int]) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_for_server(url: str, timeout: float = 600, pid: Optional[int] = None) -> bool:
    """True once Rasa answers on url ("Hello from Rasa"); False when the process `pid`
    died (e.g. the port was taken) or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process_alive(pid):
        try:
            with urllib.request.urlopen(f"{url}/", timeout=5) as response:
                if response.status == 200 and b"Rasa" in response.read(200):
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def wide_characters(text: str) -> int:
    """How many characters take two columns in a terminal (emoji, CJK)."""
    return sum(1 for char in text if unicodedata.east_asian_width(char) in ("W", "F"))


def wrap(text: str, width: int) -> str:
    """Wraps each line on its own to `width` terminal columns, keeping blank lines
    and bullet indents (a line with emoji gets one column less per emoji)."""
    lines = []
    for line in text.splitlines() or [""]:
        if not line.strip():
            lines.append("")
            continue
        indent = " " * (len(line) - len(line.lstrip()))
        bullet = "  " if line.lstrip().startswith(("•", "-", "■", "□")) or line.lstrip()[:2].rstrip(".").isdigit() else ""
        lines.append(textwrap.fill(line.strip(), width=width - wide_characters(line), initial_indent=indent,
                                   subsequent_indent=indent + bullet,
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def render(replies: list, width: int) -> tuple[str, List[dict]]:
    """(what to print, the buttons that are live now)."""
    texts = [r for r in replies if isinstance(r.get("text"), str) and r["text"].strip()
             or r.get("buttons")]
    blocks, buttons = [], []
    for index, reply in enumerate(texts):
        block = wrap(reply.get("text") or "", width)
        last = index == len(texts) - 1
        if last and reply.get("buttons"):
            buttons = [b for b in reply["buttons"] if b.get("title") and b.get("payload")]
            block += "\n" + "\n".join(f"  [{n}] {b['title']}" for n, b in enumerate(buttons, start=1))
        blocks.append(block)
    return "\n\n".join(blocks), buttons


def pick(typed: str, buttons: List[dict]) -> Optional[dict]:
    """The button a typed number or title means, or None (then it is free text)."""
    text = typed.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return buttons[int(text) - 1]
    for button in buttons:
        if text.casefold() == str(button["title"]).casefold():
            return button
    return None


def reader():
    """A function that reads one line (prompt_toolkit on a terminal), raising EOFError at the end."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession

        session = PromptSession()
        return lambda: session.prompt(PROMPT)

    def read_line() -> str:
        print(PROMPT, end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return read_line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--sender", default=f"terminal-{uuid.uuid4().hex[:12]}")
    parser.add_argument("--rasa-pid", type=int, help="stop waiting if this process ends")
    args = parser.parse_args(argv)
    width = min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns)
    url = args.url.rstrip("/")

    print("Menyiapkan bot (sekali di awal bisa sampai semenit)...", flush=True)
    if not wait_for_server(url, pid=args.rasa_pid):
        print(f"Bot tidak bisa dijalankan di {url} (port dipakai program lain?); "
              "lihat var/chat-rasa.log.", file=sys.stderr)
        return 1
    print(wrap(INTRO, width) + "\n", flush=True)
    read = reader()
    buttons: List[dict] = []
    message = "/greet"
    try:
        while True:
            if message is not None:
                try:
                    replies = post(url, args.sender, message)
                except (urllib.error.URLError, OSError) as error:
                    print(f"(Bot tidak menjawab: {error}. Coba lagi.)", flush=True)
                    replies = []
                shown, buttons = render(replies, width)
                if shown:
                    print(shown + "\n", flush=True)
            typed = read()
            if typed.strip().lower() in STOP_COMMANDS:
                break
            if not typed.strip():
                message = None
                continue
            button = pick(typed, buttons)
            if button is not None:
                print(f"✓ {button['title']}\n", flush=True)
            message = button["payload"] if button is not None else typed
    except (KeyboardInterrupt, EOFError):
        pass
    print("\nSampai jumpa! 👋", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
