"""Honest scope (counselor/scope.py): near-miss questions are never answered as a topic."""
import pytest

from counselor import scope


@pytest.mark.parametrize("text, topic", [
    ("bedanya konselor sama psikolog apa sih?", "other_profession"),
    ("kalau guru BK itu sama aja ga kayak konselor ini", "other_profession"),
    ("HRD termasuk konselor juga bukan", "other_profession"),
    ("what's the difference from a psychologist", "other_profession"),
    ("berapa gajinya kak?", "pay"),
    ("GAJIII NYA BRP", "pay"),
    ("how much do they get paid", "pay"),
    ("S1 psikologi bisa langsung kerja jadi konselor?", "study_route"),
    ("harus kuliah jurusan apa biar jadi konselor", "study_route"),
    ("what degree do i need for this", "study_route"),
    ("perlu sertifikasi BNSP ga", "certification"),
    ("ada lowongan konselor pemberdayaan ga?", "vacancies"),
    ("loker konselor di jakarta dong", "vacancies"),
    ("ngantor di dinas sosial?", "employers"),
    ("biasanya kerja di LSM atau pemerintah?", "employers"),
    ("konselor masyarakat jam kerjanya dari jam berapa?", "working_hours"),
    ("do they work weekends or is it 9 to 5?", "working_hours"),
    ("bisa wfh ga kalau jadi konselor komunitas", "working_hours"),
])
def test_a_question_the_source_cannot_answer_names_its_topic(text, topic):
    assert scope.unanswerable_topic(text) == topic
    assert not scope.answerable("ask_overview", text)


@pytest.mark.parametrize("text", [
    "tugas konselor pemberdayaan apa aja",
    "siapa yang cocok jadi konselor",
    "dukungan psikologis itu maksudnya gimana",  # psikologis is not psikolog
    "aku anak sosiologi semester 3, sebenernya tugas konselor tuh apa?",  # a major as context
    "bedanya konselor sama pekerja sosial apa",
    "bedanya psikolog, pekerja sosial, dan konselor ini apa",  # social workers named too
    "konselor juga kerja sama dengan pihak lain ya?",
])
def test_an_answerable_question_passes(text):
    assert scope.unanswerable_topic(text) is None
    assert scope.answerable("ask_duties", text)


def test_only_answered_topics_are_overridden():
    assert scope.answerable("greet", "halo, gajinya berapa")  # not a topic answer: left alone
    assert scope.answerable("out_of_scope", "berapa gajinya")
    assert not scope.answerable("ask_difference_social_worker", "beda sama psikolog?")
