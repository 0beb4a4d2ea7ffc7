"""The recruiter dashboard reuses its pipeline-wide figures for DASHBOARD_CACHE_SECONDS."""

import pytest

from portal.recruiters import charts
from tests import factories


class Monotonic:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def scored(n: int) -> None:
    for _ in range(n):
        factories.make_listed_candidate(stage="assessed_passed", score=75)


def in_seventies(client) -> str:
    csv = client.get("/recruiter/dashboard/scores.csv").get_data(as_text=True)
    return next(line for line in csv.splitlines() if line.startswith("70–79"))


@pytest.mark.parametrize("app_config", [{"DASHBOARD_CACHE_SECONDS": 30}])
def test_figures_are_reused_then_refreshed(client, auth, monkeypatch, app_config):
    clock = Monotonic()
    monkeypatch.setattr(charts.time, "monotonic", clock)
    auth.as_role("recruiter")
    scored(2)
    assert in_seventies(client) == "70–79,2"
    scored(1)
    clock.at += 29
    assert in_seventies(client) == "70–79,2"  # at most 30 s old
    clock.at += 2
    assert in_seventies(client) == "70–79,3"
    page = client.get("/recruiter/").get_data(as_text=True)
    assert '<th scope="row">70–79</th><td>3</td>' in page


def test_without_reuse_every_request_counts_afresh(client, auth):
    auth.as_role("recruiter")
    scored(1)
    assert in_seventies(client) == "70–79,1"
    scored(1)
    assert in_seventies(client) == "70–79,2"
