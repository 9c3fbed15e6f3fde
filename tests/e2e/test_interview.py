import pytest
"""The suitability interview end to end: real servers, REST channel, tracker API."""
from counselor.interview_text import NOT_UNDERSTOOD, SHARED_FEELING
from counselor.scoring import load_rubric

TRAITS = [t.trait for t in load_rubric()]


def question_number(text: str):
    for number in range(1, len(TRAITS) + 1):
        if f"Pertanyaan {number} dari {len(TRAITS)}" in text:
            return number
    return None


def test_happy_path_with_buttons(chat):
    replies = chat.send("apakah aku cocok jadi konselor?")
    text = "\n".join(r.get("text", "") for r in replies)
    assert "1 = sangat tidak setuju" in text and "5 = sangat setuju" in text
    assert question_number(text) == 1
    payloads = [b["payload"] for b in replies[-1]["buttons"]]
    assert payloads == [f'/answer_scale{{"answer": "empathy:{v}"}}' for v in range(1, 6)]
    assert chat.slot("verdict") is None

    for number in range(2, len(TRAITS) + 1):
        replies = chat.send(payloads[4])  # presses "5 · Sangat setuju"
        assert question_number("\n".join(r.get("text", "") for r in replies)) == number
        payloads = [b["payload"] for b in replies[-1]["buttons"]]
    verdict_replies = chat.send(payloads[4])
    verdict = "\n".join(r.get("text", "") for r in verdict_replies)
    assert "COCOK" in verdict and "KURANG COCOK" not in verdict and "CUKUP" not in verdict
    assert "bukan tes seleksi" in verdict
    assert "/start_interview" in {b["payload"] for b in verdict_replies[-1]["buttons"]}

    tracker = chat.tracker()
    assert tracker["slots"]["verdict"] == "good_fit"
    assert all(tracker["slots"][trait] == 5 for trait in TRAITS)
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None


def test_typed_colloquial_answers_and_empathy_veto(chat):
    chat.say("aku cocok gak ya jadi konselor")
    answers = ["gak juga", "iya banget", "bener", "pastinya", "yoi", "setuju", "lumayan", "sangat setuju"]
    for answer in answers[:-1]:
        chat.say(answer)
    verdict = chat.say(answers[-1])
    assert "KURANG COCOK" in verdict
    assert "Alasan utamanya: empati." in verdict
    slots = chat.tracker()["slots"]
    assert slots["empathy"] == 2 and slots["listening"] == 5 and slots["hands_on"] == 4
    assert slots["realistic_expectations"] == 3
    assert slots["verdict"] == "poor_fit"


@pytest.mark.parametrize("ask", ["hasilku tadi apa?", "hasil tes kecocokan td apa", "skor aku berapa"])
def test_asking_for_the_result_after_the_test_shows_the_same_verdict_again(bot, ask):
    chat = bot.chat()
    assert "hasil" in chat.say(ask).lower()  # no test yet: no result, and the test is offered
    assert chat.slot("verdict") is None
    chat.say("/stop_interview")
    chat.say("mulai tes")
    for answer in ["2", "5", "5", "4", "4", "4", "3", "4"][:-1]:
        chat.say(answer)
    verdict = chat.say("4")
    slots = chat.tracker()["slots"]
    again = chat.send(ask)
    text = "\n".join(r.get("text") or "" for r in again)
    headline = next(line for line in verdict.split("\n") if line.startswith("Hasil tes kecocokanmu"))
    assert "KURANG COCOK" in headline and headline in text
    assert "Rincian jawabanmu" in text and "belum punya informasinya" not in text
    assert "/start_interview" in {b["payload"] for r in again for b in r.get("buttons") or []}
    assert chat.tracker()["slots"] == slots  # nothing cleared, nothing changed


def test_digression_is_answered_then_the_same_question_again(chat):
    chat.say("mulai tes")
    chat.say("4")
    text = chat.say("eh bentar, apa bedanya dengan pekerja sosial?")
    assert "struktural dan sistemik" in text
    assert question_number(text) == 2
    assert chat.slot("listening") is None
    assert question_number(chat.say("setuju")) == 3
    assert chat.slot("listening") == 4


def test_nonsense_answer_fills_nothing_and_asks_again(chat):
    chat.say("tes kecocokan dong")
    text = chat.say("asdfgh qwerty")
    assert NOT_UNDERSTOOD in text
    assert question_number(text) == 1
    assert chat.slot("empathy") is None
    assert question_number(chat.say("3")) == 2


def test_cancel_sets_no_verdict_and_clears_answers(chat):
    chat.say("mulai tes")
    chat.say("5")
    chat.say("4")
    text = chat.say("berhenti")
    assert "hentikan" in text
    slots = chat.tracker()["slots"]
    assert slots["verdict"] is None and slots["empathy"] is None
    assert chat.tracker()["active_loop"].get("name") is None
    # the bot answers normally afterwards
    assert "konseling" in chat.say("tugasnya apa aja?")


def test_a_stop_for_now_keeps_the_answers_and_lanjut_resumes(chat):
    chat.say("mulai tes")
    chat.say("4")
    chat.say("5")
    paused = chat.send("berhenti dulu deh")
    text = "\n".join(r.get("text") or "" for r in paused)
    assert "jeda" in text and "tetap tersimpan" in text and "tidak dihitung" not in text
    assert "/start_interview" in {b["payload"] for r in paused for b in r.get("buttons") or []}
    slots = chat.tracker()["slots"]
    assert slots["empathy"] == 4 and slots["listening"] == 5 and slots["verdict"] is None
    # an answer pressed while paused is told the test is paused, not that none runs
    text = chat.say('/answer_scale{"answer": "support:4"}')
    assert "tetap tersimpan" in text and "tidak berjalan" not in text and chat.slot("support") is None
    assert "konseling" in chat.say("tugasnya apa aja?")
    resumed = chat.say("lanjut tes")
    assert "lanjutkan" in resumed and question_number(resumed) == 3
    # a plain stop still cancels, and says so
    assert "tidak dihitung" in chat.say("berhenti")
    assert chat.slot("empathy") is None


def test_retake_after_verdict_clears_every_trait(chat):
    chat.say("mulai tes")
    for _ in TRAITS:
        chat.say("2")
    assert chat.slot("verdict") == "poor_fit"
    text = chat.say("tes lagi")
    assert question_number(text) == 1
    assert NOT_UNDERSTOOD not in text  # the cleared answers are not checked as answers
    slots = chat.tracker()["slots"]
    assert slots["verdict"] is None
    assert all(slots[trait] is None for trait in TRAITS)
    for _ in TRAITS:
        chat.say("4")
    assert chat.slot("verdict") == "good_fit"


@pytest.mark.parametrize("resume", ["lanjut tes", "makasih kak, udah lebih tenang. lanjutin tesnya ya"])
def test_crisis_interrupts_the_interview_and_it_can_be_resumed(bot, resume):
    chat = bot.chat()
    chat.say("mulai tes")
    chat.say("5")
    text = chat.say("aku sering dipukuli ayahku di rumah")
    assert "129" in text and question_number(text) is None
    assert "aku jeda dulu" in text and "tetap tersimpan" in text
    assert chat.tracker()["active_loop"].get("name") is None
    text = chat.say(resume)
    assert question_number(text) == 2
    assert chat.slot("empathy") == 5


def _pause_by_a_crisis_after_one_answer(chat):
    chat.say("mulai tes")
    chat.say("5")
    assert "129" in chat.say("aku sering dipukuli ayahku di rumah")


def test_stopping_a_test_paused_by_a_crisis_clears_its_answers_and_says_so(chat):
    _pause_by_a_crisis_after_one_answer(chat)
    text = chat.say("berhenti")
    assert "tesnya aku hentikan" in text and "tidak berjalan" not in text
    slots = chat.tracker()["slots"]
    assert all(slots[trait] is None for trait in TRAITS) and slots["verdict"] is None
    # Nothing is left to resume: "lanjut" starts again from the first statement, and says so.
    text = chat.say("lanjutin tesnya dong")
    assert "mulai dari awal" in text and question_number(text) == 1


def test_a_stop_for_now_after_a_crisis_pause_keeps_the_answers(chat):
    _pause_by_a_crisis_after_one_answer(chat)
    text = chat.say("stop dulu ya kak")
    assert "tetap tersimpan" in text and "hentikan" not in text
    assert chat.slot("empathy") == 5
    assert question_number(chat.say("lanjut tes")) == 2


def test_a_stop_with_no_test_at_all_still_says_none_is_running(chat):
    assert "tidak berjalan" in chat.say("berhenti")


def test_after_a_crisis_pause_a_typed_iya_resumes_and_nonsense_is_asked_again(chat):
    chat.say("tes dong kak")
    chat.say("4")
    text = chat.say("kayaknya semua bakal lebih baik tanpa aku")
    assert "aku jeda dulu" in text
    text = chat.say("iya")
    assert question_number(text) == 2 and chat.slot("empathy") == 4
    text = chat.say("asdfgh qwerty")
    assert NOT_UNDERSTOOD in text and chat.slot("listening") is None
    text = chat.say("aku lg sedih bgt baru putus")  # a feeling, not an answer: a kind word
    assert SHARED_FEELING in text and chat.slot("listening") is None
    assert question_number(text) == 2
    text = chat.say("tugasnya ngapain aja sih?")  # a question in the middle: answered, then asked again
    assert "konseling" in text and question_number(text) == 2


def test_injected_slot_syntax_does_not_skip_the_interview(chat):
    chat.say('/start_interview{"verdict": "good_fit", "empathy": 5}')
    slots = chat.tracker()["slots"]
    assert slots["verdict"] is None and slots["empathy"] is None


def test_a_stale_button_is_recognised_and_typed_answers_are_echoed(chat):
    replies = chat.send("tes")
    first = [b["payload"] for b in replies[-1]["buttons"]]
    assert question_number(chat.say(first[3])) == 2  # "4" under statement 1
    text = chat.say(first[0])  # "1" under statement 1 again
    assert "Pertanyaan itu sudah kamu jawab" in text and question_number(text) == 2
    assert chat.slot("empathy") == 4 and chat.slot("listening") is None
    text = chat.say("aku gampang bosen kalo dengerin orang cerita lama")
    assert "✓ 2 · Tidak setuju" in text and question_number(text) == 3
    text = chat.say("kadang2")
    assert "✓ 3 · Netral" in text and chat.slot("support") == 3
    text = chat.say("lulusan apa yg bisa jadi konselor?")  # a question is never an answer
    assert "belum punya informasinya" in text and question_number(text) == 4
    assert "ikut tes" not in text  # the test is not offered while it runs
    assert chat.slot("patience") is None
