"""The crisis reply, built from helplines.yml (the one home of the numbers)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

HELPLINES_PATH = Path(__file__).with_name("helplines.yml")


@lru_cache(maxsize=1)
def load(path: Path = HELPLINES_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def crisis_message(data: dict | None = None, english: bool = False) -> str:
    """The crisis reply: Indonesian, then (english=True, for a message written in
    English) the same help in English with the same numbers."""
    data = data or load()
    lines = [data["intro"], data["urgent"], "", "Layanan yang bisa kamu hubungi:"]
    lines += [f"• {line['number']}: {line['name']}" for line in data["lines"]]
    lines += ["", data["closing"]]
    if english:
        en = data["english"]
        lines += ["", en["intro"], en["urgent"], en["lines"]]
        lines += [f"• {line['number']}: {line['name_en']}" for line in data["lines"]]
        lines.append(en["closing"])
    return "\n".join(lines)


def group_note(bot_name: str | None, data: dict | None = None) -> dict:
    """The message added after the crisis reply in a group chat.

    bot_name: the bot's Telegram username without "@", or None when unknown.
    Returns {"text": ...} and, when bot_name is known, "buttons": one URL button
    that opens the private chat (https://t.me/<bot_name>).
    """
    data = data or load()
    message = {"text": data["group_note"]}
    if bot_name:
        message["buttons"] = [{"title": data["group_button"], "url": f"https://t.me/{bot_name}"}]
    return message
