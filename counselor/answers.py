"""Turn a typed interview answer into a 1-5 agreement score, or None.

The interview statements are worded positively, so 5 = "sangat setuju".
The parser never guesses: text without a recognisable answer, or with
contradicting answers ("iya tapi nggak"), gives None and the bot asks again.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

SCALE_MIN, SCALE_MAX = 1, 5
SCALE_LABELS = {
    1: "Sangat tidak setuju",
    2: "Tidak setuju",
    3: "Netral",
    4: "Setuju",
    5: "Sangat setuju",
}


# Colloquial spellings folded into one canonical token before matching.
_TOKEN_NORMS = {
    **dict.fromkeys(
        "nggak ngga ngak gak ga gk g enggak engga ndak nda kagak tdk tak no nope nggk".split(),
        "tidak",
    ),
    **dict.fromkeys(
        "iya iyaa ya yaa y yup yoi yes yep yap iyap iye iyes heeh he'eh ho'oh yoa yeah yea".split(), "ya"
    ),
    **dict.fromkeys("bgt banget bngt bangettt bangett".split(), "banget"),
    **dict.fromkeys("bener benar betul btl".split(), "benar"),
    **dict.fromkeys("sgt sangat".split(), "sangat"),
    **dict.fromkeys("aja saja".split(), "saja"),
    **dict.fromkeys("tau tahu".split(), "tahu"),
    **dict.fromkeys("kadang kadang-kadang kdg kadang2 terkadang".split(), "kadang"),
    **dict.fromkeys("ragu ragu-ragu ragu2".split(), "ragu"),
    **dict.fromkeys("setuju stuju setujuu".split(), "setuju"),
    **dict.fromkeys("sm sama".split(), "sama"),
    **dict.fromkeys("blm belum".split(), "belum"),
    **dict.fromkeys("jrg jarang".split(), "jarang"),
    **dict.fromkeys("sll selalu".split(), "selalu"),
    **dict.fromkeys("lumayan lmyn".split(), "lumayan"),
    **dict.fromkeys("ok oke okay okey".split(), "oke"),
}

# Phrase -> score. Matched on canonical tokens, longest phrase first.
_PHRASES = {
    5: [
        "sangat setuju", "setuju banget", "setuju sekali", "ya banget", "ya sangat",
        "benar banget", "benar sekali", "sangat benar", "tentu saja", "tentu",
        "pastinya", "pasti", "sangat", "banget", "sekali", "sering banget",
        "selalu", "sangat sesuai", "sesuai banget", "setuju pol", "mantap",
        "tidak ragu", "sangat yakin", "yakin banget",
        # English (a user may answer in English; the statements are Indonesian)
        "strongly agree", "totally agree", "completely agree", "absolutely", "definitely",
        "always", "very much",
    ],
    4: [
        "setuju", "ya", "benar", "sering", "sesuai", "cocok", "biasanya", "oke",
        "lumayan setuju", "cukup setuju", "agak setuju", "yakin",
        "agree", "somewhat agree", "mostly", "often", "usually", "i think so",
    ],
    3: [
        "netral", "ragu", "kadang", "lumayan", "biasa saja", "biasa", "tergantung",
        "mungkin", "entah", "entahlah", "tidak tahu", "kurang tahu", "antara",
        "sedang", "cukup", "setengah", "tidak selalu", "belum tentu", "tidak pasti",
        "bisa jadi", "agak", "sesekali", "50 50", "fifty fifty", "tengah tengah",
        "tidak yakin", "kurang yakin", "ya dan tidak",
        "gatau", "gatahu", "gataw", "gtw", "gktau", "ntahlah", "tidak paham",
        "neutral", "sometimes", "kinda", "kind of", "sort of", "maybe", "not sure",
        "idk", "dunno", "don't know", "dont know", "i don't know", "i dont know",
        "depends", "it depends", "in between", "so so",
    ],
    2: [
        "tidak", "tidak setuju", "kurang", "kurang setuju", "tidak juga",
        "tidak terlalu", "jarang", "kurang sesuai", "tidak begitu", "agak kurang",
        "tidak sering", "belum", "mungkin tidak",
        # "ya" here is a hedge, not a yes (user trial, session 9)
        "ya tidak juga", "ya tidak terlalu", "ya tidak begitu", "ya kurang",
        "disagree", "somewhat disagree", "not really", "rarely", "not much", "not often",
    ],
    1: [
        "sangat tidak setuju", "tidak setuju banget", "tidak sama sekali",
        "sama sekali tidak", "tidak banget", "sangat tidak", "tidak pernah",
        "sangat kurang", "jarang banget", "sangat jarang", "tidak mungkin",
        "sangat tidak sesuai", "tidak sesuai sama sekali",
        "strongly disagree", "totally disagree", "completely disagree", "never", "not at all",
    ],
}

# Bare yes/no words yield to a qualified phrase in the same answer:
# "ya, lumayan" is 3, not 4.
_PLAIN = {"ya", "tidak", "benar"}

_PHRASE_TABLE = sorted(
    ((tuple(p.split()), score) for score, ps in _PHRASES.items() for p in ps),
    key=lambda item: -len(item[0]),
)
_MAX_PHRASE_LEN = max(len(p) for p, _ in _PHRASE_TABLE)
_PHRASE_SCORES = dict(_PHRASE_TABLE)

# A number counts only as a word of its own: "nilai 4", "4/5", not "alert(1)".
_EDGE = r"[\s.,!?;:\"']"
_FRACTION = re.compile(rf"(?:^|{_EDGE})(\d+)\s*/\s*5(?=$|{_EDGE})")
_NUMBER = re.compile(rf"(?:^|(?<={_EDGE}))(\d+(?:[.,]\d+)?)(?=$|{_EDGE})")
_ANY_DIGIT = re.compile(r"\d")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # "iyaaaa" -> "iya"
# Reduplication typed with a "2" is a word, not a number: "kadang2" -> "kadang-kadang".
_REDUPLICATION_2 = re.compile(r"\b([a-z]{2,})2\b")
_NON_WORD = re.compile(r"[^a-z0-9'\-]+")


# A question is never an answer: "lulusan apa yg bisa jadi konselor?" holds
# "bisa jadi" (maybe), but it asks something.
_QUESTION_WORDS = frozenset(
    "apa apakah apaan gimana bagaimana gmn berapa brp kenapa knp mengapa siapa kapan "
    "mana dimana kemana what how why who which where when".split())


def is_question(text: str) -> bool:
    """True for a question rather than an answer: ending in "?" with a question word
    or more than three words ("berapa gajinya kak?", "emang harus sabar ya?"), or
    starting with a question word ("kuliah jurusan apa ..." does not, "gimana
    kerjanya" does). "iya kali?" stays an answer."""
    stripped = text.strip()
    words = [t for t in _NON_WORD.split(stripped.lower()) if t]
    if not words:
        return False
    if stripped.endswith("?"):
        return len(words) > 3 or any(t in _QUESTION_WORDS for t in words)
    return words[0] in _QUESTION_WORDS


# A number written as a word counts only as the whole answer ("dua", "empat kak"):
# inside a sentence ("aku punya dua adik") it is about something else.
_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
                 "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def parse(text: Optional[str]) -> Optional[int]:
    """Return the 1-5 score the answer expresses, or None if unclear or a question."""
    if not text or not text.strip() or is_question(text):
        return None
    lowered = _REDUPLICATION_2.sub(r"\1-\1", text.lower())
    number = _parse_number(lowered)
    if number is not None:
        return number if number > 0 else None
    spoken = [t for t in _tokens(lowered) if t not in _FILLERS]
    if len(spoken) == 1 and spoken[0] in _NUMBER_WORDS:
        return _NUMBER_WORDS[spoken[0]]
    return _parse_words(lowered)


def _parse_number(text: str) -> Optional[int]:
    """A digit answer: "4", "4/5", "nilai 4". Returns 0 for a number that
    is present but unusable (out of range, several different ones)."""
    fraction = _FRACTION.search(text)
    if fraction:
        digits = fraction.group(1)
        value = int(digits) if len(digits) <= 2 else 0
        return value if SCALE_MIN <= value <= SCALE_MAX else 0
    numbers = {n.rstrip(".,").replace(",", ".") for n in _NUMBER.findall(text)}
    if not numbers:
        return 0 if _ANY_DIGIT.search(text) else None
    if len(numbers) > 1:
        return 0
    (only,) = numbers
    if "." in only or len(only) > 2:  # also keeps int() away from huge digit strings
        return 0
    value = int(only)
    return value if SCALE_MIN <= value <= SCALE_MAX else 0


_EMOJI_WORDS = {"👍": " ya ", "👌": " ya ", "👎": " tidak ", "🙅": " tidak "}


def _tokens(text: str) -> list[str]:
    for emoji, word in _EMOJI_WORDS.items():
        text = text.replace(emoji, word)
    text = _REPEATS.sub(r"\1", text)
    raw = [_unreduplicate(t.strip("'-")) for t in _NON_WORD.split(text)]
    return [_TOKEN_NORMS.get(t, t) for t in raw if t]


def _unreduplicate(token: str) -> str:
    """"kadang-kadang" -> "kadang": Indonesian reduplication keeps the meaning."""
    head, dash, tail = token.partition("-")
    return head if dash and head == tail else token


# Words that only intensify: alone ("banget kak") they answer 5, but inside a
# sentence that says something else ("aku lg sedih bgt baru putus") they are
# about that, not about the statement.
_INTENSIFIERS = {("banget",), ("sekali",), ("sangat",)}
_MAX_OTHER_WORDS_WITH_INTENSIFIER = 2
_FILLERS = frozenset(
    "kak ka kakak sih si deh dong nih tuh kok lah kan aku saya gue gw aq juga emang memang "
    "sama ini itu mah wkwk haha hehe".split())


def _parse_words(text: str) -> Optional[int]:
    tokens = _tokens(text)
    plain, qualified, phrases = [], [], []
    unmatched = 0
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_PHRASE_LEN, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            score = _PHRASE_SCORES.get(phrase)
            if score is not None:
                (plain if phrase[0] in _PLAIN and size == 1 else qualified).append(score)
                phrases.append(phrase)
                i += size
                break
        else:
            unmatched += tokens[i] not in _FILLERS
            i += 1
    found = qualified or plain
    if not found:
        return None
    if set(phrases) <= _INTENSIFIERS and unmatched > _MAX_OTHER_WORDS_WITH_INTENSIFIER:
        return None
    everything = plain + qualified
    if any(s >= 4 for s in everything) and any(s <= 2 for s in everything):
        return None  # "iya tapi nggak juga": contradicting answers
    return found[-1]


# A negation shortly before a self-description flips it ("nggak pernah bosen dengerin").
_NEGATORS = {"tidak", "bukan", "jarang", "kurang", "belum", "anti"}
_NEGATION_WINDOW = 2


def _phrase_direction(tokens: list[str], phrases: Iterable[str], agrees: bool) -> list[bool]:
    """For each phrase found in tokens: True if it agrees with the statement."""
    found = []
    for phrase in phrases:
        words = _tokens(phrase.lower())
        if not words:
            continue
        for start in range(len(tokens) - len(words) + 1):
            if tokens[start:start + len(words)] == words:
                before = tokens[max(0, start - _NEGATION_WINDOW):start]
                negated = any(t in _NEGATORS for t in before) and words[0] not in _NEGATORS
                found.append(agrees != negated)
    return found


def parse_for(text: Optional[str], agrees: Iterable[str] = (), disagrees: Iterable[str] = ()) -> Optional[int]:
    """The 1-5 score of an answer to one statement, reading self-descriptions too.

    agrees / disagrees: the trait's phrases from rubric.yml. "aku gampang bosen
    kalo dengerin orang cerita lama" disagrees with the listening statement (2);
    "aku nggak pernah bosen dengerin orang" agrees (4). When the scale words
    ("setuju banget", "gak") point the same way as the self-description, their
    finer score wins; when they conflict, the self-description does (it says
    what the user means about this statement); contradicting self-descriptions,
    or none and no scale words, give None, never a guess.
    """
    if not text or not text.strip() or is_question(text):
        return None
    general = parse(text)
    tokens = _tokens(_REDUPLICATION_2.sub(r"\1-\1", text.lower()))
    directions = _phrase_direction(tokens, agrees, True) + _phrase_direction(tokens, disagrees, False)
    if not directions:
        return general
    if len(set(directions)) > 1:
        return None
    agreeing = directions[0]
    if general is not None and (general >= 4 if agreeing else general <= 2):
        return general
    return 4 if agreeing else 2
