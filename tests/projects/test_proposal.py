"""The global proposal: optimal over every open project, accepted in bulk as offers."""

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Assignment, OutboxEmail
from portal.projects import matching
from portal.projects.services.matches import global_proposal
from portal.projects.services.offers import make_offer
from tests.factories import make_candidate, make_project


def _picks(page: str) -> list[str]:
    return re.findall(r'name="pick" value="([^"]+)"', page)


def test_proposal_fills_open_projects_and_bulk_accept_creates_offers(client, auth):
    auth.as_role("admin")
    medical = make_project(title="Medical QA", headcount=2)
    law = make_project(title="Legal reasoning", domains=["law"], headcount=1)
    make_project(title="Still a draft", status="draft")
    doctors = [make_candidate(90 - i, full_name=f"Doctor {i}") for i in range(3)]
    lawyer = make_candidate(80, full_name="Lawyer", domains=["law"])
    db.session.commit()

    page = client.get("/admin/projects/proposal").get_data(as_text=True)
    picks = _picks(page)
    assert "Still a draft" not in page
    per_project: dict[int, int] = {}
    for pick in picks:
        project_id = int(pick.split(":")[1])
        per_project[project_id] = per_project.get(project_id, 0) + 1
    assert per_project[medical.id] == 2 and per_project[law.id] == 1
    assert f"{lawyer.id}:{law.id}:10" in picks  # the lawyer is the one who fits law best

    response = client.post("/admin/projects/proposal", data={"pick": picks, "expires_in_days": "3"})
    assert response.status_code == 302
    offers = list(db.session.scalars(select(Assignment)))
    assert len(offers) == 3 and {o.status for o in offers} == {"offered"}
    assert all(o.rate_reasons and o.rate_reasons[0].startswith("Base") for o in offers)
    emails = db.session.scalar(select(func.count()).where(OutboxEmail.template == "offer"))
    assert emails == 3
    # Nothing left to propose: every seat is offered.
    page = client.get("/admin/projects/proposal").get_data(as_text=True)
    assert _picks(page) == []
    assert {d.id for d in doctors}  # built


def test_bulk_accept_never_exceeds_headcount_or_hours(client, auth):
    auth.as_role("admin")
    project = make_project(headcount=2)
    other = make_project(title="Other", headcount=1)
    people = [make_candidate(weekly_hours=15) for _ in range(3)]
    db.session.commit()
    picks = [f"{p.id}:{project.id}:10" for p in people] + [f"{people[0].id}:{other.id}:10"]
    response = client.post(
        "/admin/projects/proposal",
        data={"pick": picks, "expires_in_days": "7"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "no open seats" in page and "at most 5 h free" in page
    made = list(db.session.scalars(select(Assignment)))
    assert len(made) == 2 and {a.project_id for a in made} == {project.id}


def test_proposal_leaves_out_people_already_on_a_project(app):
    project = make_project(headcount=3)
    on_it = make_candidate(95, weekly_hours=40)
    newcomer = make_candidate(70)
    db.session.commit()
    make_offer(project, on_it.id, actor=None, hours=10)
    proposal = global_proposal()
    pairs = {(o.applicant.id, o.project.id) for o in proposal.offers}
    assert (newcomer.id, project.id) in pairs
    assert (on_it.id, project.id) not in pairs


def test_a_solver_that_gives_up_is_reported_not_a_crash(client, auth, monkeypatch):
    auth.as_role("admin")
    make_project()
    make_candidate()
    db.session.commit()

    def gives_up(*args, **kwargs):
        raise RuntimeError("Time limit reached")

    monkeypatch.setattr(matching, "propose_assignment", gives_up)
    response = client.get("/admin/projects/proposal")
    assert response.status_code == 200
    assert "The assignment solver gave up: Time limit reached" in response.get_data(as_text=True)
