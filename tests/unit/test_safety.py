"""The crisis check (counselor/safety.py) on its own table of messages.

tests/unit/safety_cases.yml: real sentences, not the signal strings, in
colloquial and formal Indonesian and in English; `not_crisis` holds the hard
negatives (task requests with "tolong", school hyperbole, data requests,
questions about how the job handles crises).
"""
from pathlib import Path

import pytest
import yaml

from counselor import safety

CASES = yaml.safe_load(Path(__file__).with_name("safety_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", CASES["crisis"])
def test_a_crisis_message_triggers_the_crisis_reply(text):
    assert safety.assess(text).crisis, text


@pytest.mark.parametrize("text", CASES["not_crisis"])
def test_a_message_without_personal_distress_does_not(text):
    assert not safety.assess(text).crisis, text


@pytest.mark.parametrize("text, category", [
    ("capek hidup kak", "suicide"),
    ("kayaknya semua lebih baik kalau aku nggak ada", "suicide"),
    ("I want to end my life", "suicide"),
    ("my father beats me", "violence_home"),
    ("pacarku suka mukul aku kalau dia marah", "partner_violence"),
])
def test_indirect_and_english_signals_name_their_category(text, category):
    assessment = safety.assess(text)
    assert assessment.crisis and category in assessment.categories and assessment.source == "signals"


@pytest.mark.parametrize("text", [
    "tolong translate kalimat ini ke bahasa inggris",
    "aku pengen tau profesi ini buat aku atau bukan",
    "aku mau data percakapanku dihapus",
    "aku fresh grad, lagi bingung banget mau kerja apa, ceritain rutinitas konselor dong",
])
def test_the_issue_false_alarms_are_not_crisis(text):
    assert not safety.assess(text).crisis


def test_the_classifier_adds_recall_but_not_over_an_exclusion():
    unknown_wording = "rasanya semua gelap dan aku cuma pengen semuanya berhenti"
    assert safety.assess(unknown_wording, classifier_crisis_confidence=0.9).source in ("signals", "classifier")
    assert safety.assess("halo kak", classifier_crisis_confidence=0.9) == safety.Assessment(True, (), "classifier")
    assert not safety.assess("halo kak", classifier_crisis_confidence=safety.CLASSIFIER_MIN_CONFIDENCE - 0.01).crisis
    assert not safety.assess("tolong bikinin CV dong", classifier_crisis_confidence=0.95).crisis


def test_text_is_folded_before_matching():
    assert safety.fold("CAPEEEK   Hidup") == "capek hidup"
    assert safety.assess("AKU PENGEN MATIII").crisis


def test_the_list_reads_vowel_dropped_chat_spellings_but_the_crisis_model_text_keeps_them():
    assert safety.list_text("Sy MW bnuh dri") == "sy mau bunuh dri"
    assert safety.list_text("mt dri") == "mt dri"  # two readings each: left as typed
    assert safety.fold("Sy MW bnuh dri") == "sy mw bnuh dri"
    assert safety.assess("ak pngen mati").crisis
    assert not safety.assess("ak pngen makan").crisis


def test_the_crisis_model_adds_recall_but_not_over_an_exclusion_or_a_plain_no():
    unknown_wording = "udah kutulis surat buat mama, taruh di bawah bantal"
    assert safety.assess(unknown_wording, detector_probability=0.9) == safety.Assessment(True, (), "detector")
    below = safety.DETECTOR_MIN_PROBABILITY - 0.01
    assert not safety.assess(unknown_wording, detector_probability=below).crisis
    assert not safety.assess("GAK", detector_probability=0.95).crisis  # answers the bot's question
    assert not safety.assess("tolong bikinin CV dong", detector_probability=0.95).crisis
    farewell = "udah ya aku pergi dulu, mau tidur"
    assert not safety.assess(farewell, detector_probability=0.9, classifier_top=("goodbye", 0.95)).crisis
    assert safety.assess(farewell, detector_probability=0.9, classifier_top=("goodbye", 0.5)).crisis
    assert safety.assess(farewell, detector_probability=0.9, classifier_top=("ask_fit", 0.95)).crisis


def test_the_classifier_alone_does_not_count_when_the_crisis_model_is_sure_it_is_not_one():
    floor = safety.CLASSIFIER_NEEDS_DETECTOR
    assert not safety.assess("saya", classifier_crisis_confidence=0.9, detector_probability=floor - 0.01).crisis
    assert safety.assess("saya", classifier_crisis_confidence=0.9, detector_probability=floor).source == "classifier"
    assert safety.assess("aku pengen mati", detector_probability=0.0).source == "signals"


def test_a_sure_question_outweighs_a_doubtful_model_but_not_a_sure_one():
    text = "aku lagi galau soal masa depan, coba tes aku aja deh"
    doubtful = safety.DETECTOR_SURE_PROBABILITY - 0.01
    assert not safety.assess(text, detector_probability=doubtful,
                             classifier_top=("start_interview", 0.95)).crisis
    assert safety.assess(text, detector_probability=safety.DETECTOR_SURE_PROBABILITY,
                         classifier_top=("start_interview", 0.95)).crisis
    # an interview answer never outweighs the model
    assert safety.assess(text, detector_probability=doubtful,
                         classifier_top=("answer_scale", 0.99)).crisis


def test_one_sure_part_counts_even_where_an_exclusion_explains_the_rest():
    text = "apa tugas KPM? nanya aja sih, toh aku juga ga bakal lama lagi di dunia ini"
    parts = safety.message_parts(text)
    assert parts[0] == text and parts[-1] == "toh aku juga ga bakal lama lagi di dunia ini"
    assert not safety.assess(text, detector_probability=0.95).crisis  # "KPM": about the job
    sure_last = [0.5] + [0.1] * (len(parts) - 2) + [safety.DETECTOR_SURE_PROBABILITY]
    assert safety.assess(text, detector_probability=sure_last).source == "detector"
    doubtful_last = sure_last[:-1] + [safety.DETECTOR_SURE_PROBABILITY - 0.01]
    assert not safety.assess(text, detector_probability=doubtful_last).crisis
    assert safety.message_parts("halo kak") == ["halo kak"]


def test_in_a_long_message_a_signal_needs_the_crisis_model_but_in_a_short_one_it_does_not():
    long_text = ("Tadi baca berita KDRT di kota sebelah, sedih banget. Aku pengen jadi konselor "
                 "yang dampingi korban kayak gitu, tugasnya apa aja ya?")
    assert len(long_text.split()) >= safety.SIGNALS_DOUBTED_FROM_WORDS
    assert safety.signal_categories(long_text)
    doubtful = safety.SIGNALS_NEED_DETECTOR - 0.01
    parts = len(safety.message_parts(long_text))
    assert not safety.assess(long_text, detector_probability=[doubtful] * parts).crisis
    assert safety.assess(long_text, detector_probability=[safety.SIGNALS_NEED_DETECTOR] * parts).source == "signals"
    assert safety.assess(long_text).source == "signals"  # the model unknown: the list decides
    assert safety.assess("kms fr", detector_probability=0.01).source == "signals"


def test_a_wish_to_die_said_laughing_still_counts_whatever_the_model_says():
    # user trial, round 11: with a laughter rule this started the test instead
    for joke in ["aku mau mati aja kalo nilai UN jelek wkwk", "pengen mati wkwk tugas kelompok ga ada yang ngerjain"]:
        assert safety.assess(joke, detector_probability=[0.03]).source == "signals"
