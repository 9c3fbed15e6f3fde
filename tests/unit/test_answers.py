"""Typed interview answers -> 1-5 score, or None when unclear (never a guess)."""
import pytest

from counselor.answers import parse

CASES = [
    # digits and fractions
    ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5),
    ("4/5", 4), ("5 / 5", 5), ("nilai 4", 4), ("angka 2 aja", 2), ("skor 3", 3),
    ("aku pilih 5", 5), ("4.", 4), (" 3 ", 3),
    # Likert phrases
    ("sangat setuju", 5), ("Setuju", 4), ("netral", 3), ("ragu-ragu", 3),
    ("tidak setuju", 2), ("sangat tidak setuju", 1), ("Sangat Tidak Setuju!", 1),
    ("kurang setuju", 2), ("setuju banget", 5), ("setuju sekali", 5),
    # colloquial yes
    ("iya", 4), ("ya", 4), ("yoi", 4), ("bener", 4), ("betul", 4),
    ("betul sekali", 5), ("tentu saja", 5), ("pastinya", 5), ("iya banget", 5),
    ("iyaaa", 4), ("iya bgt", 5), ("bener banget", 5), ("ya dong", 4),
    ("iya aku orangnya sabar kok", 4), ("sering banget", 5), ("selalu", 5),
    ("yes", 4), ("👍", 4), ("oke", 4), ("sering", 4), ("yakin", 4),
    # colloquial no
    ("tidak", 2), ("nggak", 2), ("ngga", 2), ("gak", 2), ("ga", 2), ("enggak", 2),
    ("gak juga", 2), ("kurang", 2), ("tidak sama sekali", 1), ("gak sama sekali", 1),
    ("nggak banget", 1), ("kayaknya nggak deh", 2), ("jarang", 2), ("tdk", 2),
    ("gak pernah", 1), ("👎", 2), ("ngga terlalu", 2), ("mungkin nggak", 2),
    # reduplication typed with a "2" is a word, not a number
    ("kadang2", 3), ("ragu2", 3), ("lumayan2", 3), ("kadang2 sih", 3), ("iya kadang2", 3),
    ("sering2", 4), ("jarang2", 2), ("KADANG2", 3), ("ragu2 aku", 3),
    # a question is never an answer
    ("lulusan apa yg bisa jadi konselor?", None), ("berapa gajinya kak?", None),
    ("bisa jadi gimana maksudnya?", None), ("iya kali?", 4), ("emang harus sabar ya?", None),
    ("gimana kalau aku kadang sabar kadang nggak", None),
    # middle
    ("kadang-kadang", 3), ("kadang", 3), ("lumayan", 3), ("lumayan sih", 3),
    ("biasa aja", 3), ("biasa saja", 3), ("tergantung", 3), ("tergantung situasi", 3),
    ("mungkin", 3), ("gak tau", 3), ("entahlah", 3), ("ya lumayan", 3),
    ("iya tapi kadang-kadang", 3), ("ragu", 3), ("kurang yakin", 3), ("setengah-setengah", 3),
    ("gatau", 3), ("gtw kak", 3), ("idk", 3), ("i don't know", 3),
    # "ya" as a hedge before a no (user trial, session 9)
    ("ya ga juga", 2), ("ya gak terlalu", 2), ("yaa kurang sih", 2),
    # a number word as the whole answer, not inside a sentence
    ("dua", 2), ("empat kak", 4), ("lima", 5), ("aku punya dua adik", None), ("satu dua", None),
    # not understood: nothing is guessed
    ("", None), ("   ", None), (None, None), ("asdfgh", None), ("🤔", None),
    ("aku suka kucing", None), ("aku sabar", None), ("0", None), ("6", None), ("10", None),
    ("3 atau 4", None), ("3,5", None), ("iya tapi nggak juga", None),
    ("setuju tapi tidak setuju", None), ("apa itu konselor?", None),
    ("<script>alert(1)</script>", None), ("'; DROP TABLE events; --", None),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_parse(text, expected):
    assert parse(text) == expected


def test_table_is_large_enough():
    assert len(CASES) >= 60


def test_very_long_text_does_not_hang():
    assert parse("iya " + "bla " * 5000) == 4


def test_huge_number_is_not_an_answer():
    assert parse("4" * 20000) is None
    assert parse("nilai " + "9" * 5000 + "/5") is None


# Self-descriptions, read relative to the statement (rubric.yml agrees/disagrees).
from counselor.answers import parse_for  # noqa: E402
from counselor.scoring import load_rubric  # noqa: E402

TRAITS = {trait.trait: trait for trait in load_rubric()}
SELF_DESCRIPTIONS = [
    ("listening", "aku gampang bosen kalo dengerin orang cerita lama", 2),
    ("listening", "aku nggak pernah bosen dengerin orang", 4),
    ("listening", "aku sering jadi tempat curhat temen2", 4),
    ("listening", "setuju banget, aku suka dengerin curhat", 5),
    ("listening", "aku suka dengerin tapi gampang bosen", None),  # both ways: ask again
    ("listening", "iya kadang2 suka motong sih", 2),  # "yes, I interrupt": disagrees
    ("empathy", "aku orangnya cuek", 2),
    ("empathy", "aku gampang ikut sedih kalau temen cerita", 4),
    ("patience", "aku orangnya ga sabaran", 2),
    ("patience", "aku telaten kok", 4),
    # README's example answer, typed at the patience statement (user trial, round 11)
    ("patience", "aku gampang bosen kalo dengerin orang cerita lama", 2),
    ("patience", "aku nggak sabar", 2),
    ("support", "aku suka nyemangatin temen", 4),
    ("hands_on", "aku lebih suka kasih saran daripada turun langsung", None),
    ("hands_on", "aku mau turun langsung ke masyarakat", 4),
    ("collaboration", "aku lebih suka kerja sendiri", 2),
    ("realistic_expectations", "aku maunya instan sih", 2),
    ("realistic_expectations", "aku ngerti semua butuh proses", 4),
    ("individual_focus", "aku lebih tertarik benerin sistem", 2),
    ("individual_focus", "4", 4),
    ("individual_focus", "lebih suka langsung sih", 4),  # user trial, round 14
    ("individual_focus", "lebih suka yang sistem", 2),
    ("individual_focus", "asdf qwerty", None),
    ("empathy", "berapa gajinya kak?", None),
]


@pytest.mark.parametrize("trait, text, expected", SELF_DESCRIPTIONS)
def test_self_descriptions_map_to_agree_or_disagree_with_the_statement(trait, text, expected):
    assert parse_for(text, TRAITS[trait].agrees, TRAITS[trait].disagrees) == expected


def test_every_trait_has_self_description_phrases():
    assert all(trait.agrees and trait.disagrees for trait in TRAITS.values())


@pytest.mark.parametrize("text, score", [
    ("strongly agree", 5), ("yes definitely", 5), ("agree", 4), ("somewhat agree", 4),
    ("neutral", 3), ("sometimes", 3), ("I'm not sure", 3), ("not really", 2), ("disagree", 2),
    ("strongly disagree", 1), ("not at all", 1), ("iyaa", 4),
])
def test_english_answers_are_understood(text, score):
    assert parse(text) == score


@pytest.mark.parametrize("text, score", [
    ("aku lg sedih bgt baru putus", None),  # a disclosure, not an answer
    ("capek banget hari ini abis ujian", None),
    ("banget kak", 5),
    ("suka banget sih kak", 5),
    ("setuju banget", 5),
])
def test_an_intensifier_inside_another_sentence_is_not_an_answer(text, score):
    assert parse(text) == score
