"""English messages get the crisis reply's English paragraph; Indonesian ones do not;
messages in other languages are told apart."""
import pytest

from counselor import helplines
from counselor.language import is_english, is_other_language


@pytest.mark.parametrize("text", [
    "I really want to end my life tonight",
    "my stepdad hits me when he is drunk",
    "what does a community counsellor do?",
    "I don't see the point anymore",
])
def test_english_messages(text):
    assert is_english(text)


@pytest.mark.parametrize("text", [
    "aku pengen bunuh diri aja",
    "kak tugas konselor itu apa aja sih",
    "I think aku ga cocok deh",      # mixed: the writer reads Indonesian
    "halo",
    "",
    "ok",
])
def test_indonesian_mixed_and_too_short_messages(text):
    assert not is_english(text)


def test_the_english_paragraph_repeats_every_number():
    plain, both = helplines.crisis_message(), helplines.crisis_message(english=True)
    assert both.startswith(plain) and "In English:" in both and "In English:" not in plain
    english = both[len(plain):]
    for line in helplines.load()["lines"]:
        assert f"• {line['number']}: {line['name_en']}" in english


@pytest.mark.parametrize("text", [
    "¿Cuánto gana un consejero comunitario?", "Was macht ein Gemeindeberater?", "この仕事は何ですか",
    "这个工作是什么", "qu'est-ce que fait un conseiller communautaire?", "Привет, что это за работа?",
])
def test_another_language_is_told_apart(text):
    assert is_other_language(text)


@pytest.mark.parametrize("text", [
    "berapa gaji konselor?", "what is the salary?", "😀😀", "ist das ok kak?",
    "do you know what the job is?", "kerja konselor itu die hard ga", "asdfghjkl qwerty", "",
])
def test_indonesian_english_emoji_and_gibberish_are_not_another_language(text):
    assert not is_other_language(text)
