"""The crisis check: does a message signal a personal crisis?

Recall comes first: a missed crisis can cost far more than a gentle check-in
with help lines. Two sources, combined:

1. A reviewed list of crisis signals in Indonesian and English
   (`crisis_signals.yml`: suicidal thoughts, direct and indirect, self-harm,
   violence at home or from a partner, sexual violence, threats, blackmail,
   feeling in danger), with exclusions for what is not personal distress:
   idioms ("mati gaya"), hyperbole about school, task requests ("tolong
   translate ..."), data requests ("hapus chat"), and questions about the job
   or its cases ("gimana konselor menangani kasus bunuh diri?"). The rule
   is the list's own (its header): a signal counts unless its whole span lies
   inside an exclusion's span; one signal that no exclusion explains is enough,
   except in a message of `SIGNALS_DOUBTED_FROM_WORDS` words or more that the
   crisis model (3.) scores below `SIGNALS_NEED_DETECTOR` in every part.
   Laughter does not weaken a signal: "aku mau mati aja kalo nilai UN jelek
   wkwk" gets the crisis reply (round 11's user trial; bench/findings.md).
2. The intent classifier, for wording the list does not know: its `crisis`
   confidence at or above `CLASSIFIER_MIN_CONFIDENCE` counts, unless an
   exclusion matches the message (the classifier learned "tolong" and "capek"
   from crisis examples, so "tolong bikinin CV" can look like one) or the
   crisis model below is sure it is not one (under `CLASSIFIER_NEEDS_DETECTOR`:
   the classifier also said crisis for "saya" and "aku mau nanya").
3. The crisis model (`crisis_model.py`), trained for this one question on
   many more indirect forms: its probability at or above
   `DETECTOR_MIN_PROBABILITY` counts, unless an exclusion matches, the
   message is only a yes or a no (`replies.yes_or_no`: "GAK" answers the
   bot's question, and short messages carry too few n-grams to judge), or
   the intent classifier is sure it is small talk or a data request
   (`EVERYDAY_INTENTS` at `EVERYDAY_MIN_CONFIDENCE`: "udah ya aku pergi
   dulu, mau tidur", "hapus semua ya"), or the classifier is as sure of a
   topic question or the test while the model is not sure
   (`QUESTION_INTENTS`, under `DETECTOR_SURE_PROBABILITY`: "Aku lagi galau
   banget soal masa depan ... Coba tes aku aja deh"). An interview answer is
   never a reason to doubt the model.

Plain Python, no Rasa imports; the Rasa adapter is `rasa_ext/guards.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Pattern, Sequence, Tuple, Union

import yaml

from counselor import replies

SIGNALS_PATH = Path(__file__).with_name("crisis_signals.yml")
CRISIS_INTENT = "crisis"  # the contract's intent that this check decides
# Measured on the development and read blind sets (bench/findings.md, "Round 4"):
# 0.3 caught one more crisis message of blind-5 but gave the crisis reply to
# "sering", "capek" and "aku stres mikirin UTBK"; 0.5 gives none of those.
CLASSIFIER_MIN_CONFIDENCE = 0.5
# Round 8 (1,843 examples, 1,062 crises, each family held out in turn; 3,232
# read non-crisis messages): 0.3 for the whole text, 0.8 for one of its parts
# and the question veto below find 0.942 of the crises with 0.43 % false
# alarms (at most 1.0 % on one set); round 7's rules (0.4, the whole text
# only, no question veto) found 0.922 with 0.68 % (2.1 %) (bench/findings.md).
DETECTOR_MIN_PROBABILITY = 0.3
# The classifier is sure the message is small talk or a data request: the model
# alone does not count ("udah ya aku pergi dulu, mau tidur", "hapus semua ya").
EVERYDAY_INTENTS = frozenset({"deny", "goodbye", "thank", "help", "delete_my_data", "ask_my_data"})
EVERYDAY_MIN_CONFIDENCE = 0.8
# The model is sure: a part of the message counts alone, and the classifier's
# certainty of a question or the test does not outweigh it ("apa tugas KPM?
# toh aku ga bakal lama lagi di dunia ini").
QUESTION_INTENTS = frozenset({
    "ask_overview", "ask_duties", "ask_fit", "ask_unfit", "ask_misconception", "ask_expectation",
    "ask_difference_social_worker", "start_interview", "stop_interview", "greet", "affirm",
    "bot_challenge"})
DETECTOR_SURE_PROBABILITY = 0.8
# The model is sure it is not a crisis: the classifier alone does not count
# (it said crisis for "saya" and "aku mau nanya").
CLASSIFIER_NEEDS_DETECTOR = 0.2
# A long message gives the crisis model enough words to judge: a signal there
# needs the model's agreement ("Tadi baca berita KDRT ..., aku pengen jadi
# konselor yang dampingi korban, tugasnya apa?"). Round 9 (3,071 examples, each
# family held out; 3,890 read non-crisis messages): no crisis lost, false alarms
# 1.05 % -> 0.80 %; from 0.05 on every message it lost "kms fr" (bench/findings.md).
SIGNALS_NEED_DETECTOR = 0.1
SIGNALS_DOUBTED_FROM_WORDS = 12


@dataclass(frozen=True)
class SignalList:
    signals: Tuple[Tuple[str, Pattern], ...]  # (category, pattern)
    exclusions: Tuple[Pattern, ...]


@dataclass(frozen=True)
class Assessment:
    """crisis: the bot gives the crisis reply. categories: the signal categories
    that counted (empty when only a classifier spoke). source: "signals",
    "classifier", "detector" (the crisis model) or "" (no crisis)."""
    crisis: bool
    categories: Tuple[str, ...] = ()
    source: str = ""


def fold(text: str) -> str:
    """Lower case, whitespace collapsed, letters repeated 3+ times folded to one."""
    text = re.sub(r"(\w)\1{2,}", r"\1", str(text).lower())
    return " ".join(text.split())


# Chat spellings with the vowels dropped, spelled out as the forms the list is
# written with, so "sy mw bnuh dri" and "ak pngen mati" meet the same patterns
# as "saya mau bunuh dri" (blind-15's two missed crises, read; round 10). Only
# spellings with one reading in a chat: "dri" (diri or dari) and "mt" stay as they are.
_VOWELS_DROPPED = {
    "mw": "mau", "pngen": "pengen", "pngn": "pengen", "pngin": "pengen", "pgen": "pengen",
    "kpngen": "kepengen", "bnuh": "bunuh", "bnh": "bunuh", "bunh": "bunuh", "cpek": "capek",
    "cpk": "capek", "idup": "hidup", "ak": "aku", "aj": "aja", "dr": "dari",
    "ancm": "ancam", "mntan": "mantan", "mntn": "mantan", "pkul": "pukul", "pukl": "pukul",
}
_WORD = re.compile(r"[^\W\d_]+")
# The passive prefix written apart ("aku di pukul", "sy d ancm"), a common chat
# spelling, joined to the verbs of harm the list is written with ("dipukul"),
# so blind-16's "sy d ancm mw d bnuh sm mntan sy" (read; round 12) meets the
# threat signal. Only these verbs: "di rumah" and "di sekolah" stay apart.
_DETACHED_PASSIVE = re.compile(
    r"\b(?:di|d)\s+(?=(?:ancam|ancem|aniaya|bacok|banting|bekap|bentak|bius|bully|buli|bunuh|"
    r"cabul|cakar|cambuk|cekik|cekek|culik|gampar|gebuk|gerayang|grepe|hajar|injak|jambak|"
    r"kasarin|keroyok|kurung|leceh|paksa|peras|perkosa|pukul|raba|sekap|siksa|sayat|sundut|"
    r"tabok|tampar|tendang|teror|tinju|tonjok|tusuk)\w*\b)")


def list_text(text: str) -> str:
    """`fold(text)` with vowel-dropped chat spellings spelled out and a detached
    passive prefix joined: the text the signal list and its exclusions are
    matched on (the crisis model reads `fold`)."""
    spelled = _WORD.sub(lambda m: _VOWELS_DROPPED.get(m.group(), m.group()), fold(text))
    return _DETACHED_PASSIVE.sub("di", spelled)


@lru_cache(maxsize=4)
def load(path: Path = SIGNALS_PATH) -> SignalList:
    """Compiles the list. Raises re.error or KeyError on a malformed file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    signals = []
    for category, by_language in data.items():
        if category == "exclusions":
            continue
        for patterns in by_language.values():
            signals += [(category, re.compile(p)) for p in patterns]
    return SignalList(tuple(signals), tuple(re.compile(p) for p in data["exclusions"]))


def _exclusion_spans(text: str, signal_list: SignalList) -> List[Tuple[int, int]]:
    return [m.span() for p in signal_list.exclusions for m in p.finditer(text)]


def signal_categories(text: str, signal_list: Optional[SignalList] = None) -> Tuple[str, ...]:
    """The categories of the signals in `text` that no exclusion explains, sorted."""
    return _listed_signal_categories(list_text(text), signal_list or load())


def _listed_signal_categories(folded: str, signal_list: SignalList) -> Tuple[str, ...]:
    excluded = _exclusion_spans(folded, signal_list)
    found = set()
    for category, pattern in signal_list.signals:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if not any(a <= start and end <= b for a, b in excluded):
                found.add(category)
                break
    return tuple(sorted(found))


# A crisis said after a question or inside a long message ("apa tugas KPM? toh aku
# ga bakal lama lagi di dunia ini") is diluted in the whole text and shares it
# with words an exclusion explains ("KPM"), so the crisis model scores each
# sentence and each part after a turn word too.
_PART_BREAK = re.compile(
    r"[.!?;\n\u2026]+|,|\s(?=(?:btw|tapi|tp|toh|anyway|anyways|soalnya|but|because|since|"
    r"karena|krn|lagian|padahal|pdhl|cuma|jujur)\b)", re.IGNORECASE)
MIN_PART_WORDS = 3


def message_parts(text: str) -> List[str]:
    """[text, *its sentences and clauses of at least MIN_PART_WORDS words], in
    order; only [text] for a text of one part. The crisis model scores each."""
    parts = [part.strip() for part in _PART_BREAK.split(text)]
    parts = [part for part in parts if len(part.split()) >= MIN_PART_WORDS]
    return [text, *parts] if len(parts) > 1 else [text]


def _signals_need_detector(text: str) -> float:
    """The crisis model's probability a list signal in `text` needs (0: none)."""
    return SIGNALS_NEED_DETECTOR if len(text.split()) >= SIGNALS_DOUBTED_FROM_WORDS else 0.0


def assess(text: str, classifier_crisis_confidence: float = 0.0,
           detector_probability: Union[None, float, Sequence[float]] = None,
           classifier_top: Tuple[str, float] = ("", 0.0),
           signal_list: Optional[SignalList] = None) -> Assessment:
    """Whether `text` signals a personal crisis.

    classifier_crisis_confidence: the intent classifier's probability (0..1)
    of the `crisis` intent for this message, 0 when unknown; detector_probability:
    the crisis model's probability (0..1) for the whole text, or one for each of
    `message_parts(text)` (an exclusion then only vetoes the part it matches),
    None when unknown. classifier_top: the
    classifier's most likely other intent and its confidence (0..1).
    """
    signal_list = signal_list or load()
    known = detector_probability is not None
    if not known or isinstance(detector_probability, (int, float)):
        parts = [(text, float(detector_probability or 0.0))]
    else:
        parts = list(zip(message_parts(text), detector_probability)) or [(text, 0.0)]
    detector_probability = max(probability for _, probability in parts)
    listed = list_text(text)
    categories = _listed_signal_categories(listed, signal_list)
    if categories and not (known and detector_probability < _signals_need_detector(text)):
        return Assessment(True, categories, "signals")
    classifier = classifier_crisis_confidence >= CLASSIFIER_MIN_CONFIDENCE and (
        not known or detector_probability >= CLASSIFIER_NEEDS_DETECTOR)
    if classifier and not _exclusion_spans(listed, signal_list):
        return Assessment(True, (), "classifier")
    # A part counts alone only when the model is sure of it: an exclusion can
    # explain the whole message ("dulu pernah dipukul ..., sekarang udah baik-baik aja").
    detector = any(
        probability >= (DETECTOR_MIN_PROBABILITY if index == 0 else DETECTOR_SURE_PROBABILITY)
        and not _exclusion_spans(listed if index == 0 else list_text(part), signal_list)
        for index, (part, probability) in enumerate(parts))
    if not detector:
        return Assessment(False)
    other_intent, other_confidence = classifier_top
    doubted = other_confidence >= EVERYDAY_MIN_CONFIDENCE and (
        other_intent in EVERYDAY_INTENTS or (
            other_intent in QUESTION_INTENTS and detector_probability < DETECTOR_SURE_PROBABILITY))
    if replies.yes_or_no(text) or doubted:
        return Assessment(False)
    return Assessment(True, (), "detector")
