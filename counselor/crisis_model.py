"""The crisis check's second classifier: crisis or not, from the text alone.

The signal list (`crisis_signals.yml`) catches the families it was shown; on
messages by new writers it kept missing indirect forms nobody had written
before (two of 56 on each fresh blind set of rounds 5 and 6,
bench/findings.md). The intent classifier sees crisis as one intent of
twenty, trained on the crisis examples of `data/`. This model is trained for
the one question, on those examples plus `crisis_examples.yml` (1,631 crises
of some 410 families by five writers, most of them indirect, regional or
code-mixed, and 1,440 harmless look-alikes and everyday short messages).

Features: tf-idf of words and word pairs and of character 2-5-grams inside
word boundaries (sublinear tf), on `safety.fold`ed text, so typos and
regional spellings share n-grams. Plain Python (scikit-learn), no Rasa
imports; the Rasa adapter is `rasa_ext/crisis_detector.py` and the decision
(threshold, exclusions) is `safety.assess`.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import joblib
import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from counselor.safety import fold, message_parts

EXAMPLES_PATH = Path(__file__).with_name("crisis_examples.yml")


def load_examples(path: Path = EXAMPLES_PATH) -> List[Tuple[str, bool]]:
    """[(text, is_crisis)] of an examples file (a YAML list of text / crisis
    items). Raises KeyError or yaml.YAMLError on a malformed file."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(item["text"]), bool(item["crisis"])) for item in items]


# Intent-block metadata in data/ ("metadata: {crisis_model: false}"): the block
# trains the intent classifier only. Round 12: with round 11's context-first
# questions as non-crisis text the model found 0.956 of the held-out crisis
# families instead of 0.959 (bench/findings.md); they teach it that a heavy
# day before a question is harmless.
TRAINS_CRISIS_MODEL_KEY = "crisis_model"


def nlu_training_pairs(messages: Iterable[Tuple[str, Optional[str], Optional[dict]]],
                       crisis_intent: str = "crisis") -> List[Tuple[str, bool]]:
    """[(text, is_crisis)] from NLU examples given as (text, intent, intent
    metadata or None), leaving out empty texts and blocks whose metadata sets
    `TRAINS_CRISIS_MODEL_KEY` to false."""
    return [(text, intent == crisis_intent) for text, intent, metadata in messages
            if text and (metadata or {}).get(TRAINS_CRISIS_MODEL_KEY, True) is not False]


def examples_digest(path: Path = EXAMPLES_PATH) -> str:
    """sha256 hex of the examples file: a trained model depends on it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CrisisModel:
    """Binary logistic regression over word and character tf-idf.

    C: inverse penalty (float > 0); 30 with unweighted classes gave fewer
    alarms on everyday openers ("aku", "aku mau nanya") than 10 with balanced
    classes at the same recall (bench/findings.md, "Round 7"). `fit` raises ValueError when the labels
    are all one class; `probability` raises sklearn's NotFittedError before
    `fit`."""

    def __init__(self, C: float = 30.0) -> None:
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=2)
        self.classifier = LogisticRegression(C=C, max_iter=3000)

    def _features(self, texts: Iterable[str], fit: bool = False):
        folded = [fold(text) for text in texts]
        if fit:
            return hstack([self.words.fit_transform(folded), self.chars.fit_transform(folded)]).tocsr()
        return hstack([self.words.transform(folded), self.chars.transform(folded)]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> "CrisisModel":
        labels = np.asarray(labels, dtype=bool)
        if labels.all() or not labels.any():
            raise ValueError("the crisis model needs crisis and non-crisis examples")
        self.classifier.fit(self._features(texts, fit=True), labels)
        return self

    def part_probabilities(self, texts: Sequence[str]) -> List[np.ndarray]:
        """For each text, the probability (0..1) that each of its
        `safety.message_parts` signals a personal crisis, shape (len(parts),):
        a crisis said after a question or inside a long message is diluted in
        the whole text's features."""
        parts = [message_parts(text) for text in texts]
        flat = [part for text_parts in parts for part in text_parts]
        if not flat:
            return []
        scores = self.classifier.predict_proba(self._features(flat))[:, 1]
        bounds = np.cumsum([0] + [len(text_parts) for text_parts in parts])
        return [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def probability(self, texts: Sequence[str]) -> np.ndarray:
        """Probability (0..1) that each text signals a personal crisis, shape
        (len(texts),): the highest of its parts'."""
        return np.array([scores.max() for scores in self.part_probabilities(texts)])

    def save(self, path: Path) -> None:
        joblib.dump(self, path)

    @staticmethod
    def load(path: Path) -> "CrisisModel":
        model = joblib.load(path)
        if not isinstance(model, CrisisModel):
            raise TypeError(f"{path} does not hold a CrisisModel")
        return model
