"""Short yes / no replies: "mau dong", "nggak dulu deh", "not really".

A reply to the bot's own question is often two or three words that the
classifier has few examples of ("mau dong" was read as out of scope, "bukan"
as who does not fit). A message made only of the yes, no and filler words of
`replies.yml` (one reviewed table) is read here as a yes or a no instead.
Plain Python, no Rasa imports; the Rasa adapter is `rasa_ext/guards.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional, Tuple

import yaml

REPLIES_PATH = Path(__file__).with_name("replies.yml")
AFFIRM = "affirm"
DENY = "deny"
# Longer messages say more than yes or no, and are left to the classifier.
MAX_WORDS = 6


@dataclass(frozen=True)
class ReplyTable:
    """Word sets of replies.yml; phrases are tuples of words. The unions are
    built once at load, not for every message."""
    yes: FrozenSet[Tuple[str, ...]]
    no: FrozenSet[Tuple[str, ...]]
    filler: FrozenSet[Tuple[str, ...]]
    with_no: FrozenSet[Tuple[str, ...]]
    known: FrozenSet[Tuple[str, ...]] = frozenset()       # every phrase of the table
    after_no: FrozenSet[Tuple[str, ...]] = frozenset()    # what may come with a no
    after_yes: FrozenSet[Tuple[str, ...]] = frozenset()   # what may come with a yes
    longest: int = 1                                      # words in the longest phrase
    farewell: FrozenSet[Tuple[str, ...]] = frozenset()    # leave-taking, not yes or no


def words(text: str) -> List[str]:
    """Lower-cased words, punctuation dropped, letters repeated 3+ times folded to one."""
    text = re.sub(r"(\w)\1{2,}", r"\1", str(text).lower())
    return re.findall(r"[^\W\d_]+|\d+", text)


@lru_cache(maxsize=4)
def load(path: Path = REPLIES_PATH) -> ReplyTable:
    """Reads replies.yml. Raises KeyError on a missing group."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def phrases(group: str) -> FrozenSet[Tuple[str, ...]]:
        return frozenset(tuple(words(entry)) for entry in data[group])

    yes, no, filler, with_no, with_yes = (
        phrases(g) for g in ("affirm", "deny", "filler", "with_no", "with_yes"))
    known = yes | no | filler | with_no | with_yes
    return ReplyTable(yes=yes, no=no, filler=filler, with_no=with_no, known=known,
                      after_no=no | filler | with_no, after_yes=yes | filler | with_yes,
                      longest=max(len(p) for p in known), farewell=phrases("farewell"))


def _units(tokens: List[str], table: ReplyTable) -> Optional[List[Tuple[str, ...]]]:
    """Splits the words into the table's phrases, longest first; None if a word is not in it."""
    units, i = [], 0
    while i < len(tokens):
        for size in range(min(table.longest, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i:i + size])
            if phrase in table.known:
                units.append(phrase)
                i += size
                break
        else:
            return None
    return units


def yes_or_no(text: str, table: Optional[ReplyTable] = None) -> Optional[str]:
    """"affirm" or "deny" when the message is only a yes or a no, else None.

    A no wins over the yes-words that often come with it ("nggak mau",
    "ga usah ya"); a question ("boleh?") or anything with other words is
    left to the classifier.
    """
    table = table or load()
    if "?" in text:
        return None
    tokens = words(text)
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    units = _units(tokens, table)
    if units is None:
        return None
    if any(unit in table.no for unit in units):
        return DENY if all(unit in table.after_no for unit in units) else None
    if any(unit in table.yes for unit in units):
        return AFFIRM if all(unit in table.after_yes for unit in units) else None
    return None


def says_farewell(text: str, table: Optional[ReplyTable] = None) -> bool:
    """True when the message has a leave-taking phrase of replies.yml's `farewell`
    ("makasih kak, dadah", "thanks, see you")."""
    table = table or load()
    tokens = words(text)
    return any(tuple(tokens[i:i + len(phrase)]) == phrase
               for phrase in table.farewell for i in range(len(tokens)))
