"""Honest scope: which questions the source text cannot answer.

The classifier learns topics from examples, so a question about pay or about
psychologists can land on the nearest topic it knows (the overview, the
social-worker comparison) with high confidence. This check reads the message
for topics the source text does not cover (`scope.yml`, one reviewed table)
and, when the classifier picked an answerable topic anyway, the bot answers
"aku belum punya informasinya" instead. Plain Python, no Rasa imports; the
Rasa adapter is `rasa_ext/guards.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

import yaml

from counselor.safety import fold  # one folding for both checks ("gajiii" -> "gaji")

SCOPE_PATH = Path(__file__).with_name("scope.yml")
# Intents whose answer comes from the source text: these are the ones a
# near-miss question must never get.
ANSWERED_TOPICS = frozenset({
    "ask_overview", "ask_duties", "ask_fit", "ask_unfit", "ask_misconception",
    "ask_expectation", "ask_difference_social_worker",
})


# The one intent whose question a named profession always is, context or not.
SOCIAL_WORKER_COMPARISON = "ask_difference_social_worker"


@dataclass(frozen=True)
class ScopeTable:
    """scope.yml compiled: topic name -> patterns, the context spans, social-worker
    mentions, and topic name -> how the no-information reply names it."""
    topics: Dict[str, List[Pattern]]
    context: List[Pattern]
    context_always: List[Pattern]  # removed even for the social-worker comparison
    social_worker: Pattern
    named: Dict[str, str]


@lru_cache(maxsize=4)
def load(path: Path = SCOPE_PATH) -> ScopeTable:
    """Compiles scope.yml. Raises re.error or KeyError on a malformed table."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    profession = "(?:%s)" % data["context"]["profession"]
    return ScopeTable(
        topics={name: [re.compile(p) for p in patterns] for name, patterns in data["topics"].items()},
        context=[re.compile(p.replace("{profession}", profession))
                 for p in data["context"]["patterns"]],
        context_always=[re.compile(p) for p in data.get("context_always", [])],
        social_worker=re.compile(data["social_worker"]),
        named=dict(data["named"]),
    )


def unanswerable_topic(text: str, table: Optional[ScopeTable] = None,
                       keep_context: bool = False) -> Optional[str]:
    """The first topic of scope.yml the message asks about ("pay", "other_profession", ...), or None.

    Context spans ("saya guru BK di SMK", "bekerja sama dengan LSM") are not
    read unless keep_context; the context_always spans (where a social worker
    works) never are. A message that names another profession together
    with social workers is about the social-worker comparison, so
    other_profession does not count there.
    """
    asked = _asked(text, table or load(), keep_context)
    return asked[0] if asked else None


def _asked(text: str, table: ScopeTable, keep_context: bool) -> Optional[Tuple[str, str]]:
    """(topic, the whole words its pattern matched, folded) or None; see unanswerable_topic."""
    folded = fold(text)
    for pattern in table.context_always + ([] if keep_context else table.context):
        folded = pattern.sub(" ", folded)
    for name, patterns in table.topics.items():
        match = next((m for m in (p.search(folded) for p in patterns) if m), None)
        if match:
            if name == "other_profession" and table.social_worker.search(folded):
                continue
            end = match.end()
            while end < len(folded) and folded[end].isalnum():  # "psikiater" of "psikiatri..."
                end += 1
            return name, folded[match.start():end].strip()
    return None


# The words of the no-information replies (domain.yml: utter_out_of_scope,
# utter_out_of_scope_in_test) that name_in_reply replaces.
UNNAMED = "soal itu"


def name_in_reply(reply: str, text: str, table: Optional[ScopeTable] = None) -> str:
    """The no-information reply with UNNAMED replaced by the topic the message asked
    about ("Maaf, soal gaji atau penghasilan konselor, aku belum ..."; scope.yml
    `named`). The reply as it is when the message names no topic of scope.yml or
    the reply lacks UNNAMED."""
    table = table or load()
    asked = _asked(text, table, keep_context=False)
    if not asked or UNNAMED not in reply:
        return reply
    name = table.named[asked[0]].replace("{asked}", asked[1])
    return reply.replace(UNNAMED, f"soal {name},", 1)


def answerable(intent: str, text: str, table: Optional[ScopeTable] = None) -> bool:
    """False when the classifier's topic intent would answer a question the source cannot.

    For the social-worker comparison the context counts too: naming another
    profession must never get that answer.
    """
    return (intent not in ANSWERED_TOPICS
            or unanswerable_topic(text, table, keep_context=intent == SOCIAL_WORKER_COMPARISON) is None)
