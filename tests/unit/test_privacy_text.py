"""The "what is stored about me" reply reads as one list: items end with ";", the last with "."."""
from datetime import datetime, timezone

from counselor.privacy import StoredSummary, summary_text

SINCE = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


def bullets(text):
    return [line for line in text.splitlines() if line.startswith("• ")]


def test_a_single_item_ends_the_sentence():
    assert bullets(summary_text(StoredSummary(SINCE, 1), 30)) == [
        "• percakapan kita sejak 01-12-2026: 1 pesan darimu dan balasanku."]


def test_every_item_but_the_last_ends_with_a_semicolon():
    text = summary_text(StoredSummary(SINCE, 12, crisis_messages=1, answers={"Empati": 4.0},
                                      verdict="good_fit"), 30)
    items = bullets(text)
    assert len(items) == 4
    assert all(item.endswith(";") for item in items[:-1]) and items[-1].endswith(".")
    assert "jawaban tes kecocokan: Empati 4;" in text
    assert "Semua ini dihapus otomatis setelah 30 hari" in text


def test_it_says_how_to_erase_on_each_channel():
    text = summary_text(StoredSummary(SINCE, 3), 30)
    assert 'Ketik "hapus data saya"' in text and "/hapus" not in text and "Telegram" not in text
    on_telegram = summary_text(StoredSummary(SINCE, 3), 30, "telegram")
    assert 'Ketik /hapus atau "hapus data saya"' in on_telegram and "di Telegram" not in on_telegram
