"""Texts and small readings of the interview (counselor/interview_text.py)."""
import pytest

from counselor import interview_text


@pytest.mark.parametrize("text", [
    "hasilku tadi apa?", "hasil tesku gimana", "liat hasilnya lagi dong", "tadi hasilnya apa ya",
    "skor aku berapa", "nilaiku tadi berapa", "tes tadi gimana hasilnya", "HASIL TES KECOCOKAN TD APA",
    "what was my result", "show my test results again",
])
def test_asking_for_the_result_again_is_recognised(text):
    assert interview_text.asks_for_result(text)


@pytest.mark.parametrize("text", [
    "hasilnya apa kalau jadi konselor?", "hasil kerja konselor apa", "nilai-nilai profesi ini",
    "the results of empowerment work", "nilainya apa aja", "tes", "berapa gajinya",
])
def test_other_questions_about_results_or_values_are_not_a_request_for_the_result(text):
    assert not interview_text.asks_for_result(text)


@pytest.mark.parametrize("text, pauses", [
    ("berhenti dulu deh", True), ("stop bentar ya kak", True), ("jeda dulu tesnya", True),
    ("can we pause?", True), ("berhenti", False), ("stop", False), ("/stop_interview", False),
    ("udah ah, batal", False),
])
def test_a_stop_for_now_is_told_from_a_cancel(text, pauses):
    assert interview_text.asks_to_pause(text) is pauses


def test_asking_for_the_result_in_the_middle_of_the_test_says_when_it_comes():
    assert interview_text.not_understood("hasilku apa?") == interview_text.RESULT_AT_THE_END
    assert interview_text.not_understood("asdf") == interview_text.NOT_UNDERSTOOD
