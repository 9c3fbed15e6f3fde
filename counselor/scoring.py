"""The rubric and the verdict: pure functions over plain data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

import yaml

RUBRIC_PATH = Path(__file__).with_name("rubric.yml")

GOOD_FIT = "good_fit"
PARTIAL_FIT = "partial_fit"
POOR_FIT = "poor_fit"

# Bands over the weighted mean (1-5). A mean of exactly a bound is in the
# higher band.
GOOD_FIT_MIN_MEAN = 4.0
PARTIAL_FIT_MIN_MEAN = 3.0
LOW_MAX = 2  # a score of 1-2 on a trait is "low"
STRONG_MIN = 4  # a score of 4-5 is a strength
MAX_STRENGTHS_SHOWN = 3


@dataclass(frozen=True)
class Trait:
    trait: str
    label: str
    statement: str
    weight: float
    core: bool
    strength: str
    growth: str
    low_suggests_social_work: bool = False
    veto_reason: str = ""  # core traits: the source's words for lacking it
    agrees: tuple[str, ...] = ()  # self-descriptions agreeing with the statement
    disagrees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    level: str
    mean: float
    scores: tuple[tuple[Trait, int], ...]  # in rubric order
    strengths: tuple[Trait, ...]  # strongest first
    growth: tuple[Trait, ...]  # weakest first
    vetoed_by: tuple[Trait, ...]  # core traits scored low
    suggest_social_work: bool


def load_rubric(path: Path = RUBRIC_PATH) -> tuple[Trait, ...]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["traits"]
    return tuple(Trait(**{**row, "agrees": tuple(row.get("agrees", ())),
                          "disagrees": tuple(row.get("disagrees", ()))}) for row in rows)


def complete_verdict(rubric: tuple[Trait, ...],
                     answers: Mapping[str, Optional[float]]) -> Optional[Verdict]:
    """`score` of the answers, or None when one is missing or outside 1-5 (a test
    that has not finished has no verdict)."""
    try:
        return score(rubric, answers)
    except ValueError:
        return None


def score(rubric: tuple[Trait, ...], answers: Mapping[str, Optional[float]]) -> Verdict:
    """Score complete answers (1-5 per trait) against the rubric."""
    scores = []
    for trait in rubric:
        value = answers.get(trait.trait)
        if value is None:
            raise ValueError(f"no answer for trait {trait.trait!r}")
        value = int(round(float(value)))
        if not 1 <= value <= 5:
            raise ValueError(f"answer for {trait.trait!r} out of range: {value}")
        scores.append((trait, value))

    total_weight = sum(t.weight for t, _ in scores)
    mean = sum(t.weight * v for t, v in scores) / total_weight
    vetoed_by = tuple(t for t, v in scores if t.core and v <= LOW_MAX)
    suggest_social_work = any(t.low_suggests_social_work and v <= LOW_MAX for t, v in scores)

    if vetoed_by or mean < PARTIAL_FIT_MIN_MEAN:
        level = POOR_FIT
    elif mean >= GOOD_FIT_MIN_MEAN and not suggest_social_work:
        level = GOOD_FIT
    else:
        level = PARTIAL_FIT

    # Stable sorts keep rubric order among equal scores; heavier traits first.
    strengths = sorted(
        (pair for pair in scores if pair[1] >= STRONG_MIN), key=lambda p: (-p[1], -p[0].weight)
    )
    growth = sorted(
        (pair for pair in scores if pair[1] < STRONG_MIN), key=lambda p: (p[1], -p[0].weight)
    )
    return Verdict(
        level=level,
        mean=round(mean, 2),
        scores=tuple(scores),
        strengths=tuple(t for t, _ in strengths[:MAX_STRENGTHS_SHOWN]),
        growth=tuple(t for t, _ in growth),
        vetoed_by=vetoed_by,
        suggest_social_work=suggest_social_work,
    )
