"""The scorer's output is validated before the authorisation switch acts on it."""

import math

import pytest
from scorer.contract import ScoreResponse, to_response


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -0.3, 1.7])
def test_invalid_scores_fall_back_to_rules(raw):
    response = to_response(decision_id="d-" + "0" * 32, raw_score=raw)
    assert response.mode == "rules_only"
    assert response.action is None


def test_valid_score_maps_to_exactly_one_action():
    response = to_response(decision_id="d-" + "0" * 32, raw_score=0.95)
    assert isinstance(response, ScoreResponse)
    assert response.action == "hold" and math.isfinite(response.score)


def test_decision_id_is_never_taken_from_the_model():
    with pytest.raises(ValueError):
        to_response(decision_id="d-1; DROP TABLE decisions", raw_score=0.1)
