"""The global proposal: a background job (progress, result page), accepted in bulk as offers."""

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from portal import clock
from portal.extensions import db
from portal.models import Assignment, OutboxEmail, ProposalRun
from portal.projects import matching
from portal.projects.services.offers import make_offer
from portal.projects.services.proposal_inputs import compute_proposal
from portal.projects.services.proposal_runs import run_proposal
from tests.factories import make_candidate, make_project


def _picks(page: str) -> list[str]:
    return re.findall(r'name="pick" value="([^"]+)"', page)


@contextmanager
def _statements():
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _start(client) -> str:
    """Start a run (eager in tests: it finishes before the redirect) and read its page."""
    response = client.post("/admin/projects/proposal/runs")
    assert response.status_code == 303
    assert re.search(r"/admin/projects/proposal/runs/\d+$", response.headers["Location"])
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_proposal_fills_open_projects_and_bulk_accept_creates_offers(client, auth):
    auth.as_role("admin")
    medical = make_project(title="Medical QA", headcount=2)
    law = make_project(title="Legal reasoning", domains=["law"], headcount=1)
    make_project(title="Still a draft", status="draft")
    doctors = [make_candidate(90 - i, full_name=f"Doctor {i}") for i in range(3)]
    lawyer = make_candidate(80, full_name="Lawyer", domains=["law"])
    db.session.commit()

    assert "No proposal computed yet" in client.get("/admin/projects/proposal").get_data(
        as_text=True
    )
    page = _start(client)
    picks = _picks(page)
    assert "Still a draft" not in page and "proved optimal" in page
    per_project: dict[int, int] = {}
    for pick in picks:
        project_id = int(pick.split(":")[1])
        per_project[project_id] = per_project.get(project_id, 0) + 1
    assert per_project[medical.id] == 2 and per_project[law.id] == 1
    assert f"{lawyer.id}:{law.id}:10" in picks  # the lawyer is the one who fits law best
    # The proposal page shows the latest run's result until a new one is computed.
    assert _picks(client.get("/admin/projects/proposal").get_data(as_text=True)) == picks

    response = client.post("/admin/projects/proposal", data={"pick": picks, "expires_in_days": "3"})
    assert response.status_code == 302
    offers = list(db.session.scalars(select(Assignment)))
    assert len(offers) == 3 and {o.status for o in offers} == {"offered"}
    assert all(o.rate_reasons and o.rate_reasons[0].startswith("Base") for o in offers)
    emails = db.session.scalar(select(func.count()).where(OutboxEmail.template == "offer"))
    assert emails == 3
    # Nothing left to propose: every seat is offered.
    assert _picks(_start(client)) == []
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
    pairs = {(aid, pid) for aid, pid, *_ in compute_proposal()["offers"]}
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
    page = _start(client)
    assert "The assignment solver gave up: Time limit reached" in page
    run = db.session.scalar(select(ProposalRun))
    assert run.status == "failed" and run.finished_at is not None


def test_status_is_json_and_reading_it_writes_nothing(client, auth):
    auth.as_role("admin")
    make_project()
    make_candidate()
    run = ProposalRun(status="running", progress=45, step="Finding a first assignment")
    db.session.add(run)
    db.session.commit()
    with _statements() as seen:
        response = client.get(f"/admin/projects/proposal/runs/{run.id}/status")
    assert response.get_json() == {
        "id": run.id,
        "status": "running",
        "progress": 45,
        "step": "Finding a first assignment",
        "finished": False,
        "error": None,
    }
    writes = [s for s in seen if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_a_running_proposal_shows_a_progress_bar_that_works_without_scripts(client, auth):
    auth.as_role("admin")
    run = ProposalRun(status="running", progress=60, step="Proving it optimal")
    db.session.add(run)
    db.session.commit()
    page = client.get(f"/admin/projects/proposal/runs/{run.id}").get_data(as_text=True)
    assert '<progress id="proposal-progress" max="100" value="60">' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "js/proposal.js" in page and "Proving it optimal (60%)" in page
    # Clicking again while it runs joins the same run instead of starting a second one.
    response = client.post("/admin/projects/proposal/runs")
    assert response.headers["Location"].endswith(f"/proposal/runs/{run.id}")
    assert db.session.scalar(select(func.count()).select_from(ProposalRun)) == 1


def test_a_run_whose_worker_died_reads_as_stalled_and_can_be_started_again(client, auth):
    auth.as_role("admin")
    make_project()
    make_candidate()
    run = ProposalRun(status="running", progress=45, step="Finding a first assignment")
    run.heartbeat_at = clock.now() - timedelta(hours=1)
    db.session.add(run)
    db.session.commit()
    status = client.get(f"/admin/projects/proposal/runs/{run.id}/status").get_json()
    assert status["status"] == "stalled" and status["finished"]
    page = client.get(f"/admin/projects/proposal/runs/{run.id}").get_data(as_text=True)
    assert "stopped answering" in page and "refresh" not in page
    response = client.post("/admin/projects/proposal/runs")
    assert not response.headers["Location"].endswith(f"/proposal/runs/{run.id}")
    assert db.session.scalar(select(func.count()).select_from(ProposalRun)) == 2


def test_the_job_is_idempotent_and_a_redelivered_run_starts_over(app):
    make_project()
    make_candidate()
    run = ProposalRun(status="running", progress=45, step="Interrupted")  # its worker died
    db.session.add(run)
    db.session.commit()
    assert run_proposal(run.id) == "done"
    db.session.refresh(run)
    assert run.status == "done" and run.progress == 100 and len(run.result["offers"]) == 1
    finished = run.finished_at
    assert run_proposal(run.id) == "done"  # a duplicate delivery changes nothing
    db.session.refresh(run)
    assert run.finished_at == finished


def _pool(size: int) -> None:
    for i in range(size):
        make_candidate(
            70 + i % 30,
            full_name="" if i % 2 else f"Person {i}",  # half the names come from the account
            domains=["medicine", "law"][: 1 + i % 2],
            domain_scores={"medicine": 70 + i % 30},
            labelling_experience=[{"months": i % 30}],
        )
    for j in range(3):
        make_project(title=f"Project {j}", headcount=size)
    db.session.commit()


def test_reading_and_showing_a_proposal_takes_the_same_statements_for_5_and_50(client, auth):
    auth.as_role("admin")
    counts = []
    for size in (5, 50):
        _pool(size if not counts else size - 5)
        with _statements() as seen:
            result = compute_proposal()
        assert result["candidates"] == size
        run = ProposalRun(status="running")
        db.session.add(run)
        db.session.commit()
        run_proposal(run.id)
        with _statements() as shown:
            page = client.get(f"/admin/projects/proposal/runs/{run.id}").get_data(as_text=True)
        assert len(_picks(page)) >= size
        counts.append((len(seen), len(shown)))
    assert counts[0] == counts[1], counts
