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


def scale_buttons() -> list[dict]:
    return [
        {"title": f"{value} · {label}", "payload": str(value)}
        for value, label in SCALE_LABELS.items()
    ]
