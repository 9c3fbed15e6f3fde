"""A low mood outside the bot's topics gets a kind reply, not "no information".

The safety layer decides first whether a message is a crisis; this only
changes the wording of the out-of-scope and not-understood replies for a
message that says the user feels low (`mood.yml`, one reviewed table). Plain
Python, no Rasa imports; the Rasa adapter is `rasa_ext/local_actions.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Pattern, Tuple

import yaml

from counselor import helplines
from counselor.safety import fold

MOOD_PATH = Path(__file__).with_name("mood.yml")


@dataclass(frozen=True)
class MoodTable:
    words: Pattern
    emoji: Tuple[str, ...]
    asks: Pattern
    laughter: Pattern
    reply: str


@lru_cache(maxsize=4)
def load(path: Path = MOOD_PATH) -> MoodTable:
    """Compiles mood.yml. Raises KeyError on a missing key, ValueError when its
    line_number is not one of helplines.yml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = {line["number"]: line for line in helplines.load()["lines"]}
    if data["line_number"] not in lines:
        raise ValueError(f"mood.yml names {data['line_number']!r}, not a number of helplines.yml")
    line = lines[data["line_number"]]
    words = "|".join(re.escape(word) for word in sorted(data["words"], key=len, reverse=True))
    return MoodTable(
        words=re.compile(rf"(?<!\w)(?:{words})(?!\w)"),
        emoji=tuple(data["emoji"]),
        asks=re.compile(data["asks"]),
        laughter=re.compile(data["laughter"]),
        reply=data["reply"].format(line=f"{line['number']} ({line['name']})"),
    )


def feels_low(text: str, table: Optional[MoodTable] = None) -> bool:
    """True when `text` has one of the table's mood words or emoji."""
    table = table or load()
    return bool(table.words.search(fold(text))) or any(mark in text for mark in table.emoji)


def low_mood_reply(text: str, table: Optional[MoodTable] = None) -> Optional[str]:
    """The kind reply when `text` says the user feels low, asks nothing and does not
    laugh, else None."""
    table = table or load()
    folded = fold(text)
    if table.laughter.search(folded) or table.asks.search(folded):
        return None
    return table.reply if feels_low(text, table) else None
