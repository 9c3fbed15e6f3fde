"""Render a Verdict as a friendly Indonesian chat message (plain text)."""
from __future__ import annotations

import math
import re

from .scoring import GOOD_FIT, PARTIAL_FIT, POOR_FIT, Verdict

LEVEL_WORDS = {
    GOOD_FIT: "Cocok",
    PARTIAL_FIT: "Cukup cocok",
    POOR_FIT: "Kurang cocok",
}

_LEVEL_SUMMARY = {
    GOOD_FIT: "Dari jawabanmu, sifat-sifat yang dibutuhkan konselor pemberdayaan masyarakat sudah banyak ada di dirimu.",
    PARTIAL_FIT: "Kamu punya sebagian bekal yang dibutuhkan, dan ada beberapa hal yang masih perlu dikembangkan.",
    POOR_FIT: "Dari jawabanmu, profesi ini kemungkinan belum pas untukmu saat ini.",
}

MAX_GROWTH_ADVICE = 3
BAR_FULL, BAR_EMPTY = "■", "□"

REALISTIC_EXPECTATIONS = "realistic_expectations"  # the contract's slot the reminder echoes
REALITY_REMINDER = (
    "Ingat juga: konselor bukan solusi instan untuk semua masalah. "
    "Perannya membantu individu dan kelompok mengenali masalah dan merencanakan "
    "tindakan untuk mencapai perubahan yang mereka inginkan."
)
SOCIAL_WORK_NOTE = (
    "Kamu lebih tertarik memperbaiki sistem daripada mendampingi orang secara langsung. "
    "Profesi pekerja sosial mungkin lebih pas: pekerja sosial cenderung bekerja di tingkat "
    "struktural dan sistemik, memperbaiki sistem yang mendukung kesejahteraan masyarakat, "
    "sedangkan konselor fokus mendampingi individu dan kelompok lewat konseling dan pembinaan."
)
# More than half the answers in the middle of the scale ("netral", "gatau", "kadang"):
# a CUKUP COCOK from them says little, and the user is told (a user trial; round 13).
UNSURE_SCORE = 3
UNSURE_NOTE = (
    "Banyak jawabanmu ada di tengah (3 dari 5), jadi hasil ini belum bisa banyak bercerita. "
    "Coba ingat contoh nyata dari pengalamanmu, misalnya saat temanmu curhat atau saat kamu "
    "ikut kegiatan bersama warga, lalu ketik \"tes lagi\" kalau mau mengulang."
)
DISCLAIMER = (
    "Catatan: tes ini alat bantu untuk mengenal dirimu, bukan tes seleksi. "
    "Hasilnya bisa berubah seiring pengalamanmu."
)


def shown_mean(mean: float) -> str:
    """The mean with one decimal, rounded down: 3.96 shows as 3.9, so a CUKUP COCOK
    verdict never reads "4.0" (the bands are at 3.0 and 4.0, README)."""
    return f"{math.floor(mean * 10 + 1e-9) / 10:.1f}"


def bar(value: int) -> str:
    return BAR_FULL * value + BAR_EMPTY * (5 - value)


def render(verdict: Verdict) -> str:
    """The verdict message: level, the reason when a core trait vetoes, one bar per
    trait, strengths, growth advice, the reality reminder and, where it fits, social
    work. A vetoed verdict does not put the mean in its headline: "KURANG COCOK
    (4.1 dari 5)" read as a contradiction to a user in the trial (session 9)."""
    level = LEVEL_WORDS[verdict.level].upper()
    mean = shown_mean(verdict.mean)
    if verdict.vetoed_by:
        lines = [f"Hasil tes kecocokanmu: {level}", _LEVEL_SUMMARY[verdict.level], "",
                 _veto_reason(verdict, mean)]
    else:
        lines = [f"Hasil tes kecocokanmu: {level} (skor rata-rata {mean} dari 5)",
                 _LEVEL_SUMMARY[verdict.level]]
    if mostly_unsure(verdict):
        lines += ["", UNSURE_NOTE]
    lines += ["", "Rincian jawabanmu:"]
    lines += [f"{bar(value)} {value}/5  {trait.label}" for trait, value in verdict.scores]

    if verdict.strengths:
        lines += ["", "Kekuatanmu:"]
        lines += [f"• {t.label}: {t.strength}" for t in verdict.strengths]

    # SOCIAL_WORK_NOTE already says what the growth advice of its trait says
    # (user trial, round 14: the social-work hint came twice)
    growth = [t for t in verdict.growth
              if not (verdict.suggest_social_work and t.low_suggests_social_work)]
    if growth:
        lines += ["", "Yang bisa kamu kembangkan:"]
        shown = growth[:MAX_GROWTH_ADVICE]
        lines += [f"• {t.label}: {t.growth}" for t in shown]
        rest = growth[MAX_GROWTH_ADVICE:]
        if rest:
            # named without advice, so the sentence says what they are (user trial, session 9)
            lines.append(f"• Selain itu, kamu juga bisa mengasah: {_join(t.label.lower() for t in rest)}.")

    # the growth advice on realistic expectations already says it (user trial, round 11)
    if not any(t.trait == REALISTIC_EXPECTATIONS for t in growth[:MAX_GROWTH_ADVICE]):
        lines += ["", REALITY_REMINDER]
    if verdict.suggest_social_work:
        lines += ["", SOCIAL_WORK_NOTE]
    lines += ["", DISCLAIMER]
    return "\n".join(lines)


def mostly_unsure(verdict: Verdict) -> bool:
    """True when more than half of the traits were answered UNSURE_SCORE (3 of 5)."""
    unsure = sum(1 for _, value in verdict.scores if value == UNSURE_SCORE)
    return unsure * 2 > len(verdict.scores)


def _veto_reason(verdict: Verdict, mean: str) -> str:
    """Names the core traits scored 1-2 and the source's reason for each
    (rubric.yml, veto_reason; source.txt, "Jika kamu kurang memiliki empati ...")."""
    names = _join(t.label.lower() for t in verdict.vetoed_by)
    reasons = _join(dict.fromkeys(t.veto_reason for t in verdict.vetoed_by), " atau ")
    return (f"Alasan utamanya: {names}. Menurut profil profesi ini, orang yang {reasons} "
            "kemungkinan tidak cocok menjadi konselor pemberdayaan masyarakat. "
            f"Skor rata-ratamu {mean} dari 5, tapi syarat utama ini tidak bisa digantikan "
            "oleh sifat lain.")


def _join(words, last: str = " dan ") -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + last + words[-1]


_BAR_LINE = re.compile(rf"^([{BAR_FULL}{BAR_EMPTY}]{{5}})\s+([1-5])/5\s+(.+)$")


def parse_bars(text: str) -> list[tuple[str, int]]:
    """[(label, score 1-5)] from the bar lines of a rendered verdict ("■■■■□ 4/5  Empati"),
    in order; [] for any other text. The channels read the chart from the text they
    receive (the web page does the same in web/widget.js, SCALE_BAR)."""
    bars = []
    for line in text.splitlines():
        match = _BAR_LINE.match(line.strip())
        if match:
            bars.append((match.group(3).strip(), int(match.group(2))))
    return bars
