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
    ("wait, how much do they earn?", "pay"),
    ("S1 psikologi bisa langsung kerja jadi konselor?", "study_route"),
    ("harus kuliah jurusan apa biar jadi konselor", "study_route"),
    ("what degree do i need for this", "study_route"),
    ("perlu sertifikasi BNSP ga", "certification"),
    ("harus bisa bahasa daerah ga kalau ditempatin di desa?", "employment_terms"),
    # user trial, round 14
    ("kalo kerja jd konselor bisa kaya ga", "pay"),
    ("apakah profesi ini menjanjikan di masa depan?", "career_prospects"),
    ("berapa lama kuliahnya", "study_route"),
    ("aku mau jadi konselor, harus ikut pelatihan apa?", "study_route"),
    ("do you have to speak the local language?", "employment_terms"),
    ("ada lowongan konselor pemberdayaan ga?", "vacancies"),
    ("loker konselor di jakarta dong", "vacancies"),
    ("ngantor di dinas sosial?", "employers"),
    ("biasanya kerja di LSM atau pemerintah?", "employers"),
    ("is there much scope for this career in the government sector?", "employers"),
    ("prospeknya di sektor swasta gimana?", "employers"),
    ("konselor masyarakat jam kerjanya dari jam berapa?", "working_hours"),
    ("do they work weekends or is it 9 to 5?", "working_hours"),
    ("bisa wfh ga kalau jadi konselor komunitas", "working_hours"),
    ("do community counsellors have to work on weekends?", "working_hours"),
    ("are counsellors here on weekends, or office hours only?", "working_hours"),
    ("ada beasiswa kuliah buat calon konselor ga kak", "study_route"),
    ("any scholarships for people who want this job?", "study_route"),
    ("bedanya sosiolog sama konselor pemberdayaan apa", "other_profession"),
    ("aktivis kan juga advokasi, sama aja ga sama konselor?", "other_profession"),
    ("statusnya pegawai tetap atau kontrak sih", "employment_terms"),
    ("dapet THR ga kak jadi konselor masyarakat", "employment_terms"),
    ("kalau punya tato masih bisa diterima?", "employment_terms"),
    ("is there an age limit to become one?", "employment_terms"),
    ("prospeknya gimana 10 tahun lagi", "career_prospects"),
    ("will AI chatbots replace community counsellors?", "career_prospects"),
    ("konselor bakal digantiin AI ga sih", "career_prospects"),
    ("undang-undang apa yang ngatur profesi ini", "profession_facts"),
    ("ada ikatan profesinya ga buat konselor pemberdayaan", "profession_facts"),
    ("siapa konselor pemberdayaan yang terkenal di Indonesia?", "profession_facts"),
    ("konselor pemberdayaan sering burnout ga?", "risks"),
    ("is advocacy risky in land disputes?", "risks"),
    ("konselor pemberdayaan bisa kerja di PBB ga?", "employers"),
    ("kerjanya dimana aja?", "employers"),  # user trial, session 9
])
def test_a_question_the_source_cannot_answer_names_its_topic(text, topic):
    assert scope.unanswerable_topic(text) == topic
    assert not scope.answerable("ask_overview", text)


@pytest.mark.parametrize("text", [
    "tugas konselor pemberdayaan apa aja",
    "siapa yang cocok jadi konselor",
    "dukungan psikologis itu maksudnya gimana",  # psikologis is not psikolog
    "aku anak sosiologi semester 3, sebenernya tugas konselor tuh apa?",  # a major as context
    "kalau di LSM, konselor pemberdayaan tugasnya apa aja?",  # the place as context
    "aku tau profesi ini dari psikolog kampus pas seminar, konselor pemberdayaan itu apa sih?",  # heard from
    "perawat di puskesmas pernah nyebut konselor pemberdayaan, itu kerjanya apa?",
    "aku gak cocok jadi dokter soalnya takut darah, kalau konselor pemberdayaan yang cocok siapa?",
    "aku lagi burnout sama organisasi kampus, berarti aku gak cocok jadi konselor ya?",
    "konselor pemberdayaan kerja sama sama pemda atau tokoh masyarakat juga ga?",
    "will hiring a counsellor instantly fix a community's problems?",
    "bedanya konselor sama pekerja sosial apa",
    "bedanya psikolog, pekerja sosial, dan konselor ini apa",  # social workers named too
    "konselor juga kerja sama dengan pihak lain ya?",
    # Context, not the question: who the user is, who told them, the cooperation.
    "Saya guru BK di SMK, sebenarnya tugas konselor pemberdayaan apa saja?",
    "I'm a nurse. What does a community counselor do all day?",
    "mamaku perawat dan dia nyaranin aku jadi konselor, yang cocok kayak gimana?",
    "sebagai penyuluh, aku penasaran konselor pemberdayaan itu apa",
    "aku relawan di LSM lingkungan, kerjaan konselor masyarakat tuh ngapain aja?",
    "konselor juga bekerja sama dengan puskesmas, sekolah, dan LSM ya?",
    "biasanya kerja sama sm siapa aja? sekolah, puskesmas, LSM?",
    "tadi wali kelas dan guru BK cerita soal konselor pemberdayaan, itu kerjaan apa ya",
    "kakakku kerja di LSM, dia bilang konselor masyarakat itu keren. tugasnya apa sih?",
    "kemarin ada kakak-kakak dari LSM dateng ke sekolah, mereka konselor pemberdayaan. itu ngapain aja?",
    "aku pernah ikut kegiatan LSM di desa, jadi penasaran konselor masyarakat itu kerjanya gimana",
    "my cousin works at an NGO and told me about this job. what do they do?",
    "aku kelas 12, bingung mau kuliah apa. konselor pemberdayaan itu kerjaan apa sih?",
    "honestly not sure what to study, so what does a community counsellor do?",
    "pelatihan apa yang dikasih konselor ke warga?",
    "tugasnya kaya apa aja",
])
def test_an_answerable_question_passes(text):
    assert scope.unanswerable_topic(text) is None
    assert scope.answerable("ask_duties", text)


@pytest.mark.parametrize("text", [
    "aku psikolog, bedanya sama konselor apa?",
    "I'm a nurse, how is this different from what I do?",
])
def test_a_named_profession_still_never_gets_the_social_worker_comparison(text):
    assert not scope.answerable("ask_difference_social_worker", text)


@pytest.mark.parametrize("text, topic", [
    ("kakakku perawat, bedanya perawat sama konselor apa?", "other_profession"),
    ("aku relawan di LSM, nanti konselor kerjanya di dinsos?", "employers"),
    ("aku bisa kerja di dinas sosial ga?", "employers"),
    ("kakakku kerja di LSM, konselor juga bisa kerja di LSM ga?", "employers"),
    ("jadi konselor masyarakat itu membutuhkan gelar sarjana ga?", "study_route"),
    ("aku bingung mau kuliah apa biar bisa jadi konselor?", "study_route"),
    ("galau mau ambil jurusan apa, terus jurusan apa yang harus diambil buat jadi konselor?", "study_route"),
])
def test_context_does_not_hide_a_question_about_the_topic(text, topic):
    assert scope.unanswerable_topic(text) == topic


def test_only_answered_topics_are_overridden():
    assert scope.answerable("greet", "halo, gajinya berapa")  # not a topic answer: left alone
    assert scope.answerable("out_of_scope", "berapa gajinya")
    assert not scope.answerable("ask_difference_social_worker", "beda sama psikolog?")


def test_where_a_social_worker_works_does_not_block_the_comparison():
    text = "bedanya konselor pemberdayaan sama pekerja sosial yang di dinas sosial apa?"
    assert scope.answerable(scope.SOCIAL_WORKER_COMPARISON, text)
    assert not scope.answerable(scope.SOCIAL_WORKER_COMPARISON, "bedanya sama psikolog di dinas sosial apa?")


UNNAMED_REPLY = "Maaf, soal itu aku belum punya informasinya, jadi aku tidak mau menebak."


@pytest.mark.parametrize("text, named", [
    ("berapa gajinya kak?", "Maaf, soal gaji atau penghasilan konselor, aku belum punya informasinya"),
    ("bedanya konselor sama psikolog apa sih?", "soal profesi lain seperti psikolog, aku"),
    ("is it like a psychiatrist?", "soal profesi lain seperti psychiatrist, aku"),
    ("kalau guru BK itu sama aja ga kayak konselor ini", "soal profesi lain seperti guru bk, aku"),
    ("perlu sertifikasi BNSP ga", "soal sertifikasi atau lisensi konselor, aku"),
    ("ada lowongan konselor pemberdayaan ga?", "soal lowongan kerja konselor, aku"),
])
def test_the_no_information_reply_names_what_was_asked(text, named):
    assert named in scope.name_in_reply(UNNAMED_REPLY, text)


def test_every_topic_has_a_name_for_the_reply():
    table = scope.load()
    assert set(table.named) == set(table.topics)
    assert all(name.strip() and "{" not in name.replace("{asked}", "") for name in table.named.values())


@pytest.mark.parametrize("text", ["apa itu cuaca hari ini", "aku psikolog, tugas konselor apa?"])
def test_a_message_naming_no_unanswered_topic_keeps_the_reply_as_it_is(text):
    assert scope.name_in_reply(UNNAMED_REPLY, text) == UNNAMED_REPLY


def test_the_domain_replies_hold_the_words_that_are_replaced():
    import yaml
    from tests.harness import ROOT
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for name in ("utter_out_of_scope", "utter_out_of_scope_in_test"):
        assert responses[name][0]["text"].count(scope.UNNAMED) == 1, name
