"""A low mood that asks nothing gets kind words; questions, requests and jokes do not."""
import pytest

from counselor import mood


@pytest.mark.parametrize("text", [
    "hari ini rasanya berat, dari pagi nangis mulu",
    "capek banget, ga bisa tidur dari semalem",
    "lagi sedih aja, sahabatku pindah kota",
    "feeling really lonely tonight",
    "😢😢",
])
def test_a_low_mood_gets_the_kind_reply(text):
    reply = mood.low_mood_reply(text)
    assert reply and "Kedengarannya perasaanmu" in reply and "119 ext 8" in reply


@pytest.mark.parametrize("text", [
    "capek bgt praktikum wkwk",               # a joke
    "stres skripsi, ada tips nulis bab 2?",   # a request: the honest no-information reply
    "sedih gaji konselor berapa sih",
    "berapa gajinya kak",
    "halo",
])
def test_questions_requests_and_jokes_keep_the_usual_reply(text):
    assert mood.low_mood_reply(text) is None


def test_the_reply_names_a_line_of_the_help_lines():
    from counselor import helplines
    names = [line["name"] for line in helplines.load()["lines"]]
    assert any(name in mood.load().reply for name in names)
