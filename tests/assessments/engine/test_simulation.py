"""Simulated takers through real draws and scoring on the shipped bank (assessments/simulate.py).

The figures are asserted against the issue's targets; run with ``-s`` to see them.
"""

from __future__ import annotations

import pytest

from assessments.draw import track_blueprint
from assessments.importers import load_bank
from assessments.simulate import simulate

TAKERS = 400


@pytest.fixture(scope="module")
def figures() -> dict:
    result = simulate(load_bank(), TAKERS, seed=11)
    print(f"\n{result}")
    return result


CARELESS = ["random", "attention_only", "fluent_careless", "position_bias"]


@pytest.mark.parametrize("profile", CARELESS)
def test_careless_profiles_fail(figures, profile):
    assert figures["pass_rate"][profile] < 0.01


def test_careful_taker_passes(figures):
    assert figures["pass_rate"]["careful"] > 0.90


def test_exposure_is_capped_and_retakes_see_nothing_again(figures):
    assert figures["max_item_share_window"] <= 0.25
    assert figures["retake_overlap"] == 0.0
    assert set(figures["bars"]["sources"]) >= {"llmbar", "pandalm", "pandalm-2of3"}


@pytest.mark.parametrize("track", ["medicine", "coding"])
def test_tracks_keep_the_targets(track):
    result = simulate(load_bank(), 200, track_blueprint(track), seed=5)
    assert result["pass_rate"]["careful"] > 0.85
    assert max(v for k, v in result["pass_rate"].items() if k != "careful") < 0.02
