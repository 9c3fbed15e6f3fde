"""Intent accuracy and macro-F1 of a parse function on a labelled NLU file."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

HELD_OUT = Path(__file__).with_name("nlu_heldout.yml")
# The contract counts Rasa's fallback intent as out_of_scope.
ALIASES = {"nlu_fallback": "out_of_scope"}


def load_examples(path: Path = HELD_OUT) -> list[tuple[str, str]]:
    examples = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((line[2:].strip(), block["intent"]))
    return examples


@dataclass
class Report:
    accuracy: float
    macro_f1: float
    total: int
    errors: list = field(default_factory=list)  # (text, expected, predicted)

    def summary(self) -> str:
        return f"accuracy {self.accuracy:.3f}, macro-F1 {self.macro_f1:.3f} on {self.total} examples"


def evaluate(predict: Callable[[str], str], examples: list[tuple[str, str]]) -> Report:
    """predict(text) -> intent name."""
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    errors = []
    for text, expected in examples:
        predicted = predict(text)
        predicted = ALIASES.get(predicted, predicted)
        if predicted == expected:
            true_pos[expected] += 1
        else:
            false_pos[predicted] += 1
            false_neg[expected] += 1
            errors.append((text, expected, predicted))
    labels = {expected for _, expected in examples}
    f1s = []
    for label in labels:
        tp, fp, fn = true_pos[label], false_pos[label], false_neg[label]
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return Report(
        accuracy=sum(true_pos.values()) / len(examples),
        macro_f1=sum(f1s) / len(f1s),
        total=len(examples),
        errors=errors,
    )
