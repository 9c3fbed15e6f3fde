"""Short yes / no replies (counselor/replies.py): only-yes or only-no messages, nothing else."""
import pytest

from counselor import replies


@pytest.mark.parametrize("text", [
    "iya", "IYAAA", "boleh deh kak", "gas lah", "oke siap", "yes please!", "sure", "let's go",
    "ayo dong", "yup", "sip kak", "iya hapus aja", "ok hapus", "Ya, hapus",
])
def test_a_plain_yes_is_affirm(text):
    assert replies.yes_or_no(text) == replies.AFFIRM


@pytest.mark.parametrize("text", [
    "nggak", "ga dulu deh", "belum", "bukan", "gak usah ya kak", "nggak mau", "nope",
    "not really", "not now, thanks", "tidak, terima kasih", "jangan", "bukan keduanya",
    "ntar aja", "kayaknya nggak deh",
])
def test_a_plain_no_is_deny(text):
    assert replies.yes_or_no(text) == replies.DENY


@pytest.mark.parametrize("text", [
    "boleh?",                       # a question, not a reply
    "iya makasih",                  # thanks after a yes may be a thank-you
    "ga jadi deh",                  # cancelling (the test), not a plain no
    "lanjut", "udah", "ya udah",    # resume, done, goodbye
    "ngga tau", "belum kepikiran",  # not a yes or a no
    "iya aku orangnya sabar kok",   # an answer with content
    "no 3", "4", "", "   ", "?!",
    "ya ya ya ya ya ya ya",         # longer than a reply
])
def test_anything_else_is_left_to_the_classifier(text):
    assert replies.yes_or_no(text) is None


def test_repeated_letters_and_punctuation_are_folded():
    assert replies.words("OKEEE!!! siappp, kak.") == ["oke", "siap", "kak"]


def test_the_table_has_no_word_in_both_yes_and_no():
    table = replies.load()
    assert not table.yes & table.no
    assert all(phrase and all(phrase) for phrase in table.yes | table.no | table.filler | table.with_no)


@pytest.mark.parametrize("text", ["hapus", "hapus aja", "ga usah hapus", "nggak, jangan hapus"])
def test_an_erase_word_is_a_yes_only_with_a_yes(text):
    assert replies.yes_or_no(text) is None


@pytest.mark.parametrize("text, leaves", [
    ("makasih kak, dadah", True), ("thanks, see you!", True), ("makasih infonya, aku pamit", True),
    ("makasiiih, byeee", True), ("makasih kak", False), ("thanks for explaining", False),
    ("makasih, dadaku masih sesak", False),
])
def test_thanks_that_takes_leave_is_told_from_plain_thanks(text, leaves):
    assert replies.says_farewell(text) is leaves


def test_leave_taking_is_no_yes_or_no():
    assert replies.yes_or_no("dadah") is None
