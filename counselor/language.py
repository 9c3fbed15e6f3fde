"""Whether a message is written in English, from its function words.

The bot answers in Indonesian (issue 16: "the reply stays Indonesian for
now"), but a person in crisis who writes in English may not read the help
lines, so the crisis reply adds a short English paragraph for them. Plain
Python, no Rasa imports. Measured on the read evaluation sets' `lang` labels
(bench/findings.md, "Round 13").
"""
from __future__ import annotations

import re

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
