"""Scoring edges: core-trait vetoes, band boundaries, strengths, growth."""
import pytest

from counselor import scoring
from counselor.scoring import GOOD_FIT, PARTIAL_FIT, POOR_FIT, load_rubric, score

RUBRIC = load_rubric()
TRAITS = [t.trait for t in RUBRIC]
CORE = [t.trait for t in RUBRIC if t.core]
WEIGHTS = {t.trait: t.weight for t in RUBRIC}


def answers(default=5, **overrides):
    values = {trait: default for trait in TRAITS}
    values.update(overrides)
    return values


def test_rubric_matches_the_contract():
    assert TRAITS == [
        "empathy", "listening", "support", "patience", "hands_on",
        "collaboration", "realistic_expectations", "individual_focus",
    ]
    assert CORE == ["empathy", "listening", "patience"]
    for trait in RUBRIC:
        assert trait.statement and trait.strength and trait.growth and trait.weight > 0


def test_all_top_scores_is_good_fit():
    verdict = score(RUBRIC, answers(5))
    assert verdict.level == GOOD_FIT and verdict.mean == 5.0
    assert not verdict.growth and not verdict.vetoed_by


def test_all_lowest_scores_is_poor_fit():
    assert score(RUBRIC, answers(1)).level == POOR_FIT


@pytest.mark.parametrize("trait", CORE)
@pytest.mark.parametrize("low", [1, 2])
def test_low_core_trait_vetoes_whatever_the_rest(trait, low):
    verdict = score(RUBRIC, answers(5, **{trait: low}))
    assert verdict.level == POOR_FIT
    assert [t.trait for t in verdict.vetoed_by] == [trait]
    assert verdict.mean >= scoring.GOOD_FIT_MIN_MEAN  # the mean alone would say good_fit


@pytest.mark.parametrize("trait", CORE)
def test_core_trait_at_three_is_no_veto(trait):
    verdict = score(RUBRIC, answers(5, **{trait: 3}))
    assert verdict.level == GOOD_FIT and not verdict.vetoed_by


@pytest.mark.parametrize("trait", [t for t in TRAITS if t not in CORE and t != "individual_focus"])
def test_low_non_core_trait_is_no_veto(trait):
    verdict = score(RUBRIC, answers(5, **{trait: 1}))
    assert verdict.level == GOOD_FIT
    assert verdict.growth[0].trait == trait


def _mean(values):
    return sum(WEIGHTS[t] * v for t, v in values.items()) / sum(WEIGHTS.values())


def test_band_edges():
    # All 4 -> mean exactly 4.0: the lowest good_fit.
    assert score(RUBRIC, answers(4)).mean == 4.0
    assert score(RUBRIC, answers(4)).level == GOOD_FIT
    # One light trait at 3 drops the mean just below 4.0: partial_fit.
    just_below = answers(4, hands_on=3)
    assert _mean(just_below) < 4.0
    assert score(RUBRIC, just_below).level == PARTIAL_FIT
    # All 3 -> mean exactly 3.0: the lowest partial_fit.
    assert score(RUBRIC, answers(3)).level == PARTIAL_FIT
    # Just below 3.0 without any core veto: poor_fit.
    below = answers(3, hands_on=2)
    assert _mean(below) < 3.0
    assert score(RUBRIC, below).level == POOR_FIT


def test_low_individual_focus_caps_at_partial_and_suggests_social_work():
    verdict = score(RUBRIC, answers(5, individual_focus=2))
    assert verdict.mean >= scoring.GOOD_FIT_MIN_MEAN
    assert verdict.level == PARTIAL_FIT
    assert verdict.suggest_social_work
    assert not score(RUBRIC, answers(5, individual_focus=3)).suggest_social_work


def test_strengths_strongest_first_and_limited():
    verdict = score(RUBRIC, answers(4, support=5, collaboration=5))
    assert [t.trait for t in verdict.strengths][:2] == ["support", "collaboration"]
    assert len(verdict.strengths) == scoring.MAX_STRENGTHS_SHOWN


def test_growth_weakest_first():
    verdict = score(RUBRIC, answers(5, hands_on=3, patience=3, collaboration=2))
    assert [t.trait for t in verdict.growth] == ["collaboration", "patience", "hands_on"]


@pytest.mark.parametrize("bad", [{"empathy": None}, {"empathy": 0}, {"empathy": 6}])
def test_incomplete_or_out_of_range_answers_are_rejected(bad):
    with pytest.raises(ValueError):
        score(RUBRIC, answers(4, **bad))


def test_float_slot_values_are_accepted():
    assert score(RUBRIC, {t: 4.0 for t in TRAITS}).level == GOOD_FIT
