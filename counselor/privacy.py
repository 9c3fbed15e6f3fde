"""What is kept about a user, for how long, and the texts that say so.

Indonesia's personal data protection law (UU PDP No. 27/2022) gives a person
the right to access their data and to have it erased, and expects retention
to be limited; health-related disclosures (a crisis message) are a specific
category of personal data. The bot therefore keeps a conversation only while
it is in use (`BOT_RETENTION_DAYS` after its last message, default 30), says
so in its first greeting, shows a summary on request and erases on request.
Plain Python, no Rasa imports; the store side is `rasa_ext/stores.py`, the
actions are in `rasa_ext/local_actions.py`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, Mapping, Optional

RETENTION_ENV = "BOT_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
SECONDS_PER_DAY = 86_400


def retention_days(environ: Mapping[str, str] = os.environ) -> int:
    """Days an idle conversation is kept: BOT_RETENTION_DAYS, default 30.

    Raises ValueError for a value that is not a whole number of at least 1,
    so a typo never means "keep for ever" or "delete everything now".
    """
    raw = (environ.get(RETENTION_ENV) or "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{RETENTION_ENV} must be a whole number of days, at least 1 (got {raw!r})")
    return int(raw)


TELEGRAM = "telegram"  # the output channel's name (channels/telegram.py)


def erase_hint(channel: Optional[str] = None) -> str:
    """How to ask for the erase on this channel: Telegram has the /hapus command too
    (a user trial of round 14 read "(di Telegram: /hapus)" on Telegram itself)."""
    return 'Ketik /hapus atau "hapus data saya"' if channel == TELEGRAM else 'Ketik "hapus data saya"'


def notice(days: int, channel: Optional[str] = None) -> str:
    """The one-line notice of the first greeting; channel: the output channel's name."""
    return (f"🔒 Percakapan kita disimpan supaya obrolan bisa dilanjutkan, dan dihapus otomatis "
            f"setelah {days} hari tanpa pesan. {erase_hint(channel)} untuk menghapusnya kapan saja.")


@dataclass(frozen=True)
class StoredSummary:
    """What the tracker store holds about one sender.

    first_seen: time of the oldest stored event (UTC), None when nothing is
    stored. user_messages: messages the user sent. crisis_messages: how many of
    them got the crisis reply (the texts are never shown). answers: trait label
    -> 1..5 of the interview so far. verdict: the last verdict level or None.
    """
    first_seen: Optional[datetime]
    user_messages: int
    crisis_messages: int = 0
    answers: Dict[str, float] = field(default_factory=dict)
    verdict: Optional[str] = None


VERDICT_WORDS = {"good_fit": "COCOK", "partial_fit": "CUKUP COCOK", "poor_fit": "KURANG COCOK"}

# Telegram chat types where other members read the bot's replies.
GROUP_CHAT_TYPES = ("group", "supergroup")
# In a group, what is stored about a member is not shown to everyone.
GROUP_DATA_NOTE = ("Supaya datamu tidak terbaca anggota grup lain, ketik /dataku di chat "
                   "pribadi denganku, ya.")


def telegram_group(metadata: Optional[Mapping]) -> Optional[Mapping]:
    """The message's Telegram metadata (channels/telegram.py) when it was sent in a
    group chat, else None: a reply there is read by every member."""
    telegram = (metadata or {}).get("telegram") or {}
    return telegram if telegram.get("chat_type") in GROUP_CHAT_TYPES else None


def summary_text(summary: StoredSummary, days: int, channel: Optional[str] = None) -> str:
    """A short readable answer to "data apa yang kamu simpan tentang aku?"."""
    if summary.first_seen is None or summary.user_messages == 0:
        return "Saat ini aku tidak menyimpan percakapan apa pun darimu."
    since = summary.first_seen.astimezone(timezone.utc).strftime("%d-%m-%Y")
    items = [f"percakapan kita sejak {since}: {summary.user_messages} pesan darimu dan balasanku"]
    if summary.answers:
        answered = ", ".join(f"{label} {int(score)}" for label, score in summary.answers.items())
        items.append(f"jawaban tes kecocokan: {answered}")
    if summary.verdict:
        items.append(f"hasil tes terakhir: {VERDICT_WORDS.get(summary.verdict, summary.verdict)}")
    if summary.crisis_messages:
        items.append(f"{summary.crisis_messages} pesan yang aku jawab dengan info layanan bantuan "
                     "(isinya tidak aku tampilkan di sini)")
    # A list in a sentence: items end with ";", the last one with ".".
    lines = ["Ini yang aku simpan tentang kamu:"]
    lines += [f"• {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]
    lines += ["", f"Semua ini dihapus otomatis setelah {days} hari tanpa pesan. Mau dihapus sekarang? "
                  f"{erase_hint(channel)}."]
    return "\n".join(lines)


def idle_cutoff(now: datetime, days: int) -> float:
    """Unix time before which a conversation's last event makes it expired."""
    return now.timestamp() - days * SECONDS_PER_DAY
