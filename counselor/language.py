"""Which language a message is written in, from its function words and script.

The bot answers in Indonesian (issue 16: "the reply stays Indonesian for
now"), but a person in crisis who writes in English may not read the help
lines, so the crisis reply adds a short English paragraph for them. Plain
Python, no Rasa imports. Measured on the read evaluation sets' `lang` labels
(bench/findings.md, "Round 13").
"""
from __future__ import annotations

import re
import unicodedata

# Common English function words and chat forms that are not Indonesian words.
ENGLISH_WORDS = frozenset("""
i i'm im i've ive i'd i'll me my myself mine you your you're youre yours he she him her his hers
it it's its we us our they them their the a an is are am was were be been being do does did
don't dont doesn't didn't can can't cant could couldn't would wouldn't should will won't
have has had haven't to of and or but if then so because with without for from at on in into
about this that these those there here what what's whats why how when where who which
not no yes just really very anymore anything everything nothing someone somebody nobody
want wanna need feel feeling like know think tired hurt help please pls life live alive
die dying kill end going gonna tonight today now again always never ever
""".split())
# Indonesian function words and chat forms; one of them makes a message mixed.
INDONESIAN_WORDS = frozenset("""
aku saya gue gw gua kamu kau lu lo dia kita kami mereka yang yg dan atau tapi tp di ke dari
ini itu ada ga gak gk nggak ngga enggak tidak tak bukan mau pengen pingin ingin udah sudah
aja saja banget bgt sama sm kak kakak min bang dong sih deh kok lagi lg buat untuk karena
krn kalau kalo klo jadi jd apa gimana bagaimana kenapa mengapa siapa kapan mana bisa harus
nya juga cuma tolong hidup mati capek
""".split())
_WORD = re.compile(r"[a-z']+")


def is_english(text: str) -> bool:
    """True when `text` has at least two English function words and no Indonesian one."""
    words = _WORD.findall(str(text).lower().replace("’", "'"))
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    indonesian = sum(1 for word in words if word in INDONESIAN_WORDS)
    return english >= 2 and indonesian == 0


# Frequent words of the other languages people try (Spanish, Portuguese, French,
# German, Dutch) that are neither English nor Indonesian words ("y" and "tu" are
# Indonesian chat forms of "ya" and "itu").
OTHER_LATIN_WORDS = frozenset("""
el los las que es por para con pero muy como qué cómo cuánto cuanto dónde donde porque
trabajo hace gana um uma não você trabalho faz quanto onde le les des et est une je vous
avec pas qui quoi comment pourquoi combien travail fait der die das und ist nicht ich du
sie ein eine mit für wie was warum wieviel arbeit macht het een niet ik je wat hoe werk
""".split()) - ENGLISH_WORDS
# Sent when the message is in another language (a user trial of round 14 got
# "soal itu aku belum punya informasinya", as if the question had been read).
OTHER_LANGUAGE_REPLY = (
    "Maaf, aku baru bisa membaca bahasa Indonesia (dan sedikit bahasa Inggris). 🙏 "
    "Coba tulis pertanyaanmu dalam bahasa Indonesia, ya. "
    "Sorry, I can only read Indonesian and some English.")


def is_other_language(text: str) -> bool:
    """True when `text` is in neither Indonesian nor English: most of its letters are
    of another script (Japanese, Chinese, Arabic, Cyrillic, ...), or it has at
    least two OTHER_LATIN_WORDS, more than its English function words, and no
    Indonesian one."""
    letters = [c for c in str(text) if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin < len(letters) / 2:
        return True
    words = re.findall(r"[^\W\d_]+", str(text).lower())
    other = sum(1 for word in words if word in OTHER_LATIN_WORDS)
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    indonesian = sum(1 for word in words if word in INDONESIAN_WORDS)
    return other >= 2 and other > english and indonesian == 0
