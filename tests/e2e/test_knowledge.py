"""Questions typed as users type them get the source text's facts, over REST."""
import re

import pytest

FACTS = {
    # question -> words the answer must carry (case-insensitive regexes)
    "tgs nya konselor pemberdayaan masyarakat ngapain aja sih?": [
        r"konseling", r"bimbingan", r"individu, keluarga, dan komunitas", r"advokasi|kerja sama",
    ],
    "apaan sih konselor pemberdayaan masyarakat itu": [r"mendampingi individu dan\s+kelompok", r"potensi"],
    # a greeting first does not swallow the question (round-7 user trial)
    "halo kak, kpm itu apa": [r"mendampingi individu dan\s+kelompok"],
    "gimana bedanya sama pekerja sosial?": [r"pekerja sosial", r"struktural dan sistemik"],
    "katanya konselor cuma kasih nasihat doang ya?": [r"nasihat", r"tanpa aksi nyata", r"terlibat\s+langsung"],
    "ekspektasi vs realita jadi konselor gimana": [r"solusi instan", r"merencanakan tindakan"],
    "orang yg cocok jadi konselor kayak gimana": [r"empati", r"mendengarkan"],
    "siapa yg gak cocok jd konselor?": [r"empati", r"sabar"],
}


@pytest.mark.parametrize("question", list(FACTS))
def test_answer_carries_the_source_facts(chat, question):
    replies = chat.send(question)
    text = " ".join(r.get("text", "") for r in replies)
    for fact in FACTS[question]:
        assert re.search(fact, text, re.IGNORECASE), f"{fact!r} missing in reply to {question!r}: {text}"
    # every knowledge answer ends with a next step
    assert replies[-1].get("buttons"), replies


def test_greeting_offers_every_topic_and_the_test(chat):
    replies = chat.send("halo kak")
    assert "konselor" in replies[0]["text"]
    payloads = {b["payload"] for b in replies[0]["buttons"]}
    assert {"/ask_overview", "/ask_duties", "/ask_fit", "/ask_unfit", "/ask_misconception",
            "/ask_expectation", "/ask_difference_social_worker", "/start_interview"} <= payloads


def test_topic_button_payload_answers_directly(chat):
    assert "struktural dan sistemik" in chat.say("/ask_difference_social_worker")


@pytest.mark.parametrize("question", [
    "berapa gaji konselor pemberdayaan masyarakat per bulan?",
    "gimana cara daftar jadi konselor",
    "kalau jadi dokter gimana?",
])
def test_unknown_questions_get_an_honest_answer_not_an_invented_one(chat, question):
    text = chat.say(question)
    assert "belum punya informasinya" in text or "belum paham" in text
    assert "Rp" not in text and "juta" not in text


@pytest.mark.parametrize("question, named", [
    ("berapa gaji konselor pemberdayaan masyarakat per bulan?", "soal gaji atau penghasilan konselor,"),
    ("bedanya konselor sama psikolog apa?", "soal profesi lain seperti psikolog,"),
    ("ada lowongan konselor pemberdayaan ga?", "soal lowongan kerja konselor,"),
])
def test_the_honest_answer_names_what_it_cannot_answer(chat, question, named):
    text = chat.say(question)
    assert named in text and "belum punya informasinya" in text
    assert "struktural dan sistemik" not in text  # never the social-worker answer


@pytest.mark.parametrize("question", ["この仕事は何ですか", "¿Cuánto gana un consejero comunitario?"])
def test_another_language_is_told_what_the_bot_reads(chat, question):
    replies = chat.send(question)
    text = "\n".join(r.get("text") or "" for r in replies)
    assert "bahasa Indonesia" in text and "belum punya informasinya" not in text
    assert any(r.get("buttons") for r in replies)


def test_small_talk(chat):
    assert "bot" in chat.say("kamu bot ya?").lower()
    assert "Sama-sama" in chat.say("makasih banyak kak")
    assert "Sampai jumpa" in chat.say("dadah, sampai jumpa")
    leaving = chat.say("makasih kak, dadah")
    assert "Sampai jumpa" in leaving and "Ada lagi" not in leaving


def test_crisis_message_gets_help_lines_and_the_conversation_goes_on(chat):
    text = chat.say("aku udah gak kuat, pengen bunuh diri aja")
    for line in ("119 ext 8", "112", "129"):
        assert line in text
    assert "konseling" in chat.say("tugas konselor apa aja?")
    assert "In English" not in text


def test_a_crisis_message_in_english_gets_the_help_lines_in_english_too(chat):
    text = chat.say("I can't do this anymore, I want to end my life")
    assert "Layanan yang bisa kamu hubungi" in text
    english = text[text.index("In English"):]
    for line in ("112", "119 ext 8", "SAPA 129", "mental health"):
        assert line in english


def test_a_low_mood_outside_the_topics_gets_kind_words_not_no_information(chat):
    replies = chat.send("hari ini berat banget, dari tadi nangis terus dan ga bisa tidur")
    text = "\n".join(r.get("text") or "" for r in replies)
    assert "Kedengarannya perasaanmu" in text and "119 ext 8" in text
    assert "belum punya informasinya" not in text
    assert any(r.get("buttons") for r in replies)  # the topics are still offered
    assert "Kedengarannya perasaanmu" in chat.say("😭😭😭🙏")
    # A request with the mood is answered honestly, a joke as usual.
    assert "belum punya informasinya" in chat.say("stres bgt, berapa sih gaji konselor?")
    assert "Kedengarannya perasaanmu" not in chat.say("capek bgt ujian wkwk")


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "asdfghjkl qwerty", "x" * 5000,
                                  "'; DROP TABLE events; --", "<script>alert(1)</script>"])
def test_odd_input_gets_a_kind_reply(chat, text):
    replies = chat.send(text)
    assert replies and all(r.get("text") for r in replies[:1]), replies
