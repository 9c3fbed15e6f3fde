"""Texts the interview actions send, besides the verdict (see verdict_text)."""
from __future__ import annotations

import re

from . import mood
from .answers import SCALE_LABELS
from .scoring import Trait

NOT_UNDERSTOOD = (
    "Maaf, aku belum menangkap jawabanmu. 🙏 Jawab dengan angka 1 sampai 5, "
    'atau dengan kata seperti "setuju", "netral", atau "tidak setuju".'
)
# A feeling shared in the middle of the test ("aku lg sedih bgt baru putus") is
# not an answer, and "not understood" alone would read cold (user trial, session 6).
# A crisis never reaches this: the safety layer answers it first. The feeling
# words are counselor/mood.yml's.
SHARED_FEELING = (
    "Makasih sudah cerita. 💛 Kedengarannya itu berat. Kalau mau, kita bisa "
    'berhenti dulu: ketik "berhenti". Kalau mau lanjut, jawab pernyataan tadi '
    "dengan angka 1 sampai 5, ya."
)
# "lanjut" after SHARED_FEELING's own "Kalau mau lanjut ..." asks to go on; reading
# it as a wrong answer felt cold (user trial, session 9).
CONTINUE_WORDS = frozenset("lanjut lanjutin lanjutkan continue next".split())
RESUMING = "Siap, kita lanjut! 🙂 Jawab pernyataan tadi dengan angka 1 sampai 5, ya."
# "lanjutin tesnya" when no answers are kept (the test was stopped, or never
# begun) starts from the first statement, and says so (user trial, round 13).
NOTHING_TO_RESUME = "Belum ada jawaban tes yang tersimpan untuk dilanjutkan, jadi kita mulai dari awal, ya."


def asks_to_continue(text: str) -> bool:
    """True when the text has one of CONTINUE_WORDS ("lanjut tes", "continue")."""
    return bool(_words(text) & CONTINUE_WORDS)


# A stop "for now" ("berhenti dulu deh", "stop bentar ya", "jeda dulu tesnya")
# pauses the test and keeps its answers; a plain "berhenti" cancels it, as the
# intro says (user trial, round 13).
PAUSE_WORDS = frozenset("dulu dl bentar sebentar nanti ntar jeda pause later break istirahat".split())


def asks_to_pause(text: str) -> bool:
    """True when the text has one of PAUSE_WORDS ("berhenti dulu", "pause")."""
    return bool(_words(text) & PAUSE_WORDS)


def _words(text: str) -> set:
    return set(_WORD.findall((text or "").lower()))


_WORD = re.compile(r"[a-z]+")


# Asking for the result before the last statement (user trial, round 14).
RESULT_AT_THE_END = ("Hasilnya keluar setelah pernyataan terakhir, ya. 🙂 Jawab pernyataan tadi "
                     "dengan angka 1 sampai 5 dulu.")


def not_understood(text: str) -> str:
    """The reply to a typed answer that gives no score: RESUMING when the text
    asks to go on (one of CONTINUE_WORDS), RESULT_AT_THE_END when it asks for
    the result (`asks_for_result`), SHARED_FEELING when it shares a feeling
    (`mood.feels_low`), else NOT_UNDERSTOOD."""
    if asks_to_continue(text):
        return RESUMING
    if asks_for_result(text):
        return RESULT_AT_THE_END
    return SHARED_FEELING if mood.feels_low(text or "") else NOT_UNDERSTOOD


# Asking for the test's result again ("hasilku tadi apa?", "liat skorku lagi",
# "what was my result"; a user trial of round 13 got "aku belum punya
# informasinya"). Read only where the classifier found no topic.
_RESULT_REQUEST = re.compile(
    r"\b(hasil|skor|nilai)(ku|mu)\b"
    r"|\b(hasil|skor|nilai)(nya)?\s+(tes\w*|test\w*|aku|saya|sy|gue|gw|tadi|barusan)\b"
    r"|\b(tes|test)\w*\s+(tadi|barusan)\b.{0,30}\b(hasil|skor|nilai)"
    r"|\b(tadi|barusan|liat|lihat|tunjukin|tunjukkan|tampilin|tampilkan)\s+(lagi\s+)?(hasil|skor|nilai)"
    r"|\bmy\s+(test\s+)?(results?|scores?)\b|\b(test|quiz)\s+(results?|scores?)\b")
# Before any finished test: said before the intro when the request starts the
# test, and with the offer of the test otherwise.
NO_RESULT_YET = "Belum ada hasil tes kecocokan untukmu, karena belum ada tes yang kamu selesaikan."
NO_RESULT_OFFER = f"{NO_RESULT_YET} Kalau mau, kita mulai tesnya sekarang."


def asks_for_result(text: str) -> bool:
    """True when the text asks for the test's result ("hasilku tadi apa?",
    "skor tesku berapa", "show my result again"); see _RESULT_REQUEST."""
    return bool(_RESULT_REQUEST.search((text or "").lower()))


TYPED_ANSWER_HINT = 'Kamu juga boleh mengetik jawabanmu sendiri, misalnya "iya banget" atau "kadang-kadang".'
# In a Telegram group the bot reads only messages addressed to it, so a typed
# answer must be a reply; the channel swaps the hint (user trial, session 9).
GROUP_TYPED_ANSWER_HINT = ('Di grup, kalau mau mengetik jawabanmu sendiri (misalnya "iya banget"), '
                           "balas (reply) pesan pertanyaanku, ya.")


def intro(question_count: int) -> str:
    legend = ", ".join(f"{value} = {label.lower()}" for value, label in SCALE_LABELS.items())
    return (
        f"Oke, kita mulai tes kecocokannya! Ada {question_count} pernyataan singkat. "
        "Untuk tiap pernyataan, pilih seberapa kamu setuju:\n"
        f"{legend}.\n"
        f'{TYPED_ANSWER_HINT} Ketik "berhenti" kapan saja untuk membatalkan.'
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
