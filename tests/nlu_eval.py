"""Intent accuracy, macro-F1 and safety figures of a parse function on a labelled NLU set.

Five sets, never trained on (tests/e2e/test_nlu_sets.py checks it):
* `tests/nlu_heldout.yml`: written with the training data (Rasa NLU format);
* `tests/nlu_dev.yml`: written without seeing `data/`; thresholds and the
  crisis list were tuned on it;
* `tests/nlu_blind.yml`, `nlu_blind2.yml` ... `nlu_blind5.yml`: written by
  people who never saw `data/` or `tests/`, frozen. Blind-1 was scored before
  and after the first round (its errors were read then), blind-2 after the
  second, blind-3 after the third, blind-4 before and after the fourth round's
  main changes (read then); blind-5 once, after the last change of the fourth
  round: the honest figure. Each item has `text`, `intent`, `lang` (id, en, mixed) and `kind`
  (plain, lookalike, near_miss_oos, crisis_direct, crisis_indirect,
  context_first, short_name).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import yaml

from counselor.scope import ANSWERED_TOPICS

HELD_OUT = Path(__file__).with_name("nlu_heldout.yml")
BLIND = Path(__file__).with_name("nlu_blind.yml")
BLIND_2 = Path(__file__).with_name("nlu_blind2.yml")
BLIND_3 = Path(__file__).with_name("nlu_blind3.yml")
BLIND_4 = Path(__file__).with_name("nlu_blind4.yml")
BLIND_5 = Path(__file__).with_name("nlu_blind5.yml")
BLIND_6 = Path(__file__).with_name("nlu_blind6.yml")
BLIND_7 = Path(__file__).with_name("nlu_blind7.yml")
BLIND_8 = Path(__file__).with_name("nlu_blind8.yml")
BLIND_9 = Path(__file__).with_name("nlu_blind9.yml")
BLIND_10 = Path(__file__).with_name("nlu_blind10.yml")
BLIND_11 = Path(__file__).with_name("nlu_blind11.yml")
BLIND_12 = Path(__file__).with_name("nlu_blind12.yml")
BLIND_13 = Path(__file__).with_name("nlu_blind13.yml")
BLIND_14 = Path(__file__).with_name("nlu_blind14.yml")
BLIND_15 = Path(__file__).with_name("nlu_blind15.yml")
BLIND_16 = Path(__file__).with_name("nlu_blind16.yml")
BLIND_17 = Path(__file__).with_name("nlu_blind17.yml")
BLIND_18 = Path(__file__).with_name("nlu_blind18.yml")
# Each blind set with its frozen size: written by someone who never saw data/ or tests/.
BLIND_SETS = {BLIND: 445, BLIND_2: 343, BLIND_3: 335, BLIND_4: 360, BLIND_5: 300,
              BLIND_6: 304, BLIND_7: 304, BLIND_8: 304, BLIND_9: 304,
              BLIND_10: 297, BLIND_11: 316, BLIND_12: 328, BLIND_13: 329,
              BLIND_14: 333, BLIND_15: 320, BLIND_16: 328, BLIND_17: 255,
              BLIND_18: 277}
DEV = Path(__file__).with_name("nlu_dev.yml")
# The contract counts Rasa's fallback intent as out_of_scope.
ALIASES = {"nlu_fallback": "out_of_scope"}
# The seven topics answered from the source text (one home: counselor/scope.py).
KNOWLEDGE_INTENTS = ANSWERED_TOPICS


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    lang: str = "id"
    kind: str = "plain"
    intent_metadata: Optional[dict] = field(default=None, compare=False)


def load_examples(path: Path = HELD_OUT) -> list[Example]:
    """Examples of a Rasa NLU file (`nlu:` blocks) or of a blind-set list."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(document, list):
        return [Example(item["text"], item["intent"], item.get("lang", "id"),
                        item.get("kind", "plain")) for item in document]
    examples = []
    for block in document["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(Example(line[2:].strip(), block["intent"],
                                        intent_metadata=block.get("metadata")))
    return examples


@dataclass
class Report:
    accuracy: float
    macro_f1: float
    total: int
    errors: list = field(default_factory=list)  # (Example, predicted intent)
    by_lang: dict = field(default_factory=dict)  # lang -> (accuracy, count)
    crisis_recall: Optional[float] = None
    crisis_false_alarm_rate: Optional[float] = None
    out_of_scope_precision: Optional[float] = None
    near_miss_answered_as_topic: int = 0  # out-of-scope questions answered with a topic

    def summary(self) -> str:
        parts = [f"accuracy {self.accuracy:.3f}, macro-F1 {self.macro_f1:.3f} on {self.total} examples"]
        parts += [f"{lang} {acc:.3f} ({n})" for lang, (acc, n) in sorted(self.by_lang.items())]
        if self.crisis_recall is not None:
            parts.append(f"crisis recall {self.crisis_recall:.3f}, "
                         f"false alarms {self.crisis_false_alarm_rate:.3f}")
        if self.out_of_scope_precision is not None:
            parts.append(f"out-of-scope precision {self.out_of_scope_precision:.3f}, "
                         f"out-of-scope answered as a topic {self.near_miss_answered_as_topic}")
        return "; ".join(parts)

    def confusions(self, top: int = 10) -> list:
        """[((expected, predicted), count)] most frequent first."""
        return Counter((e.intent, p) for e, p in self.errors).most_common(top)


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return numerator / denominator if denominator else None


def evaluate(predict: Callable[[str], str], examples: list[Example],
             is_crisis: Optional[Callable[[str, str], bool]] = None) -> Report:
    """predict(text) -> intent name; is_crisis(text, intent) says whether the bot's reply
    is the crisis reply (default: the predicted intent is `crisis`)."""
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    errors, lang_total, lang_right = [], Counter(), Counter()
    crisis_hits = crisis_total = false_alarms = non_crisis_total = 0
    oos_predicted = oos_right = answered_as_topic = 0
    for example in examples:
        predicted = predict(example.text)
        predicted = ALIASES.get(predicted, predicted)
        crisis_reply = is_crisis(example.text, predicted) if is_crisis else predicted == "crisis"
        lang_total[example.lang] += 1
        if example.intent == "crisis":
            crisis_total += 1
            crisis_hits += crisis_reply
        else:
            non_crisis_total += 1
            false_alarms += crisis_reply
        if predicted == "out_of_scope":
            oos_predicted += 1
            oos_right += example.intent == "out_of_scope"
        if example.intent == "out_of_scope" and predicted in KNOWLEDGE_INTENTS:
            answered_as_topic += 1
        if predicted == example.intent:
            true_pos[example.intent] += 1
            lang_right[example.lang] += 1
        else:
            false_pos[predicted] += 1
            false_neg[example.intent] += 1
            errors.append((example, predicted))
    labels = {example.intent for example in examples}
    f1s = []
    for label in labels:
        tp, fp, fn = true_pos[label], false_pos[label], false_neg[label]
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return Report(
        accuracy=sum(true_pos.values()) / len(examples),
        macro_f1=sum(f1s) / len(f1s),
        total=len(examples),
        errors=errors,
        by_lang={lang: (lang_right[lang] / n, n) for lang, n in lang_total.items()},
        crisis_recall=_ratio(crisis_hits, crisis_total),
        crisis_false_alarm_rate=_ratio(false_alarms, non_crisis_total),
        out_of_scope_precision=_ratio(oos_right, oos_predicted),
        near_miss_answered_as_topic=answered_as_topic,
    )


def training_examples(data_dir: Path) -> list[Example]:
    """Every NLU example under data_dir (Rasa NLU files)."""
    examples = []
    for path in sorted(data_dir.glob("**/*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if document.get("nlu"):
            examples += load_examples(path)
    return examples


def _words(text: str) -> str:
    import re
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _shingles(text: str, size: int = 4) -> set:
    words = _words(text)
    return {words[i:i + size] for i in range(max(1, len(words) - size + 1))}


def near_copies(training: list[str], evaluation: list[str], threshold: float = 0.7) -> list:
    """[(evaluation text, training text)] pairs that are the same words, or whose
    character 4-gram sets overlap by Jaccard >= threshold (a near-copy)."""
    train_words = {_words(t): t for t in training}
    train_shingles = [(_shingles(t), t) for t in training]
    found = []
    for text in evaluation:
        if _words(text) in train_words:
            found.append((text, train_words[_words(text)]))
            continue
        mine = _shingles(text)
        for theirs, source in train_shingles:
            union = len(mine | theirs)
            if union and len(mine & theirs) / union >= threshold:
                found.append((text, source))
                break
    return found
