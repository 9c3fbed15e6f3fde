"""Texts the interview actions send, besides the verdict (see verdict_text)."""
from __future__ import annotations

from .answers import SCALE_LABELS
from .scoring import Trait

NOT_UNDERSTOOD = (
    "Maaf, aku belum menangkap jawabanmu. 🙏 Jawab dengan angka 1 sampai 5, "
    'atau dengan kata seperti "setuju", "netral", atau "tidak setuju".'
)


def intro(question_count: int) -> str:
    legend = ", ".join(f"{value} = {label.lower()}" for value, label in SCALE_LABELS.items())
    return (
        f"Oke, kita mulai tes kecocokannya! Ada {question_count} pernyataan singkat. "
        "Untuk tiap pernyataan, pilih seberapa kamu setuju:\n"
        f"{legend}.\n"
        'Kamu juga boleh mengetik jawabanmu sendiri, misalnya "iya banget" atau '
        '"kadang-kadang". Ketik "berhenti" kapan saja untuk membatalkan.'
    )


def question(number: int, total: int, trait: Trait) -> str:
    return f"Pertanyaan {number} dari {total}:\n{trait.statement}"


ALREADY_ANSWERED = "Pertanyaan itu sudah kamu jawab. 🙂 Kita lanjut ke pertanyaan yang sekarang, ya."
# The entity that carries "<trait>:<value>" in an answer button's payload.
ANSWER_ENTITY = "answer"


def scale_buttons(trait: str) -> list[dict]:
    """The five answer buttons of one statement. Each payload names the statement
    (`/answer_scale{"answer": "<trait>:<value>"}`, at most 64 bytes for
    Telegram), so a press under an older statement is recognised on every channel."""
    return [
        {"title": scale_title(value),
         "payload": f'/answer_scale{{"{ANSWER_ENTITY}": "{trait}:{value}"}}'}
        for value in SCALE_LABELS
    ]


def scale_title(value: int) -> str:
    """"4 · Setuju": the button title of a scale value."""
    return f"{value} · {SCALE_LABELS[value]}"


def echo(value: float) -> str:
    """How a typed answer was read, shown on every channel: "✓ 4 · Setuju"."""
    return f"✓ {scale_title(int(value))}"


def button_answer(entity_value: object) -> tuple[str, int] | None:
    """("empathy", 4) from an answer button's entity value "empathy:4"; None when malformed."""
    trait, _, value = str(entity_value).partition(":")
    if not trait.isidentifier() or not value.isdigit() or int(value) not in SCALE_LABELS:
        return None
    return trait, int(value)
