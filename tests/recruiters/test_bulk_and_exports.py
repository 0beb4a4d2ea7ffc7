"""Bulk actions (one transaction, all or nothing), dashboard charts and CSV exports."""

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from portal import pipeline
from portal.extensions import db
from portal.models import ApplicantTag, AuditEvent, EmailTemplate, OutboxEmail, StageSpan
from portal.models.base import utcnow
from portal.workdays import iso_week
from tests.factories import make_listed_candidate as candidate


def test_bulk_reject_with_template_is_one_audited_transaction(client, auth):
    auth.as_role("recruiter")
    template = EmailTemplate(
        key="rej", name="Rejection", subject="Sorry {{ first_name }}", body="No."
    )
    db.session.add(template)
    people = [candidate(full_name=f"P{n} X", stage="assessed_failed") for n in range(3)]
    data = {
        "ids": [p.id for p in people],
        "action": "reject",
        "reason": "Below the bar",
        "template": str(template.id),
    }
    refused = client.post("/recruiter/bulk", data=data, follow_redirects=True)
    assert "A rejection needs a reason: choose one from the list." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    response = client.post("/recruiter/bulk", data=data | {"exit_reason": "assessment"})
    assert response.status_code == 302
    for p in people:
        db.session.refresh(p)
        assert (p.stage, p.exit_reason) == ("rejected", "assessment")
        assert p.exit_stage == "assessed_failed"
    moves = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stage.moved")).all()
    assert len(moves) == 3 and {m.reason for m in moves} == {"Below the bar"}
    subjects = set(db.session.scalars(select(OutboxEmail.subject)))
    assert subjects == {"Sorry P0", "Sorry P1", "Sorry P2"}


def test_bulk_move_changes_nothing_if_one_cannot_move(client, auth):
    auth.as_role("recruiter")
    ok = candidate(full_name="Ready Rita", stage="assessed_passed")
    blocked = candidate(full_name="Early Eve", stage="applied")
    response = client.post(
        "/recruiter/bulk",
        data={"ids": [ok.id, blocked.id], "action": "move", "to_stage": "shortlisted"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Nothing was changed" in page and "Early Eve" in page
    db.session.refresh(ok)
    assert ok.stage == "assessed_passed"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_bulk_tag(client, auth):
    auth.as_role("recruiter")
    people = [candidate(full_name=f"T{n}") for n in range(2)]
    client.post(
        "/recruiter/bulk", data={"ids": [p.id for p in people], "action": "tag", "tag": "Spanish"}
    )
    assert db.session.scalar(select(func.count()).select_from(ApplicantTag)) == 2
    page = client.get("/recruiter/candidates?tag=spanish").get_data(as_text=True)
    assert "T0" in page and "T1" in page


def test_csv_export_of_the_filtered_list(client, auth):
    auth.as_role("recruiter")
    candidate(full_name="Ana Lima", country="BR", score=80, desired_rate_cents=3000)
    candidate(full_name="Ben Osei", country="GH")
    response = client.get("/recruiter/candidates.csv?country=BR")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["Ana Lima"]
    assert rows[0]["score"] == "80.0" and rows[0]["desired_rate"] == "30.00"
    assert rows[0]["result"] == "pass"


def test_dashboard_counts_sla_and_draws_charts(client, auth):
    auth.as_role("recruiter")
    candidate(stage="assessed_passed", days_in_stage=12, score=70)
    candidate(stage="shortlisted", days_in_stage=0)
    candidate(stage="applied", days_in_stage=30)  # waits on the applicant: no SLA
    page = client.get("/recruiter/").get_data(as_text=True)
    assert 'id="sla-overdue">1<' in page
    assert page.count('<svg class="chart"') == 3
    # Each chart's numbers as a table: the funnel's beside it, the others behind "Show data".
    assert page.count('<details class="chart-data"><summary>Show data</summary><table') == 2
    assert '<caption class="visually-hidden">The funnel\'s numbers' in page
    assert '<th scope="row">70–79</th><td>1</td>' in page
    funnel = client.get("/recruiter/dashboard/funnel.csv").get_data(as_text=True)
    rows = {r["stage"]: r for r in csv.DictReader(io.StringIO(funnel))}
    assert rows["applied"]["reached"] == "3"
    assert rows["profile_complete"]["reached"] == "2"
    assert rows["shortlisted"]["now_in_stage"] == "1"
    scores = client.get("/recruiter/dashboard/scores.csv").get_data(as_text=True)
    assert "70–79,1" in scores
    weekly = client.get("/recruiter/dashboard/weekly.csv").get_data(as_text=True)
    assert weekly.splitlines()[0] == "iso_week,applications"
    assert client.get("/recruiter/dashboard/nothing.csv").status_code == 404


def test_dashboard_time_in_stage_and_applications_per_week(client, auth):
    """Medians come from the moves recorded when applicants left a stage; weeks count
    applications by the ISO week they arrived in."""
    auth.as_role("recruiter")
    for days in (2, 4, 9):
        person = candidate(stage="profile_complete", days_in_stage=days)
        pipeline.move(person, "assessed_passed", actor=None)
    db.session.commit()
    funnel = client.get("/recruiter/dashboard/funnel.csv").get_data(as_text=True)
    rows = {r["stage"]: r for r in csv.DictReader(io.StringIO(funnel))}
    assert rows["profile_complete"]["median_days"] == "4.0"
    assert rows["applied"]["median_days"] == ""  # nobody has left "applied" yet
    assert db.session.scalar(select(func.count()).select_from(StageSpan)) == 3

    now = utcnow()
    this_week, last_week = iso_week(now.date()), iso_week((now - timedelta(weeks=1)).date())
    for _ in range(2):
        candidate().created_at = now - timedelta(weeks=1)
    db.session.commit()
    weekly = client.get("/recruiter/dashboard/weekly.csv").get_data(as_text=True)
    counts = dict(line.split(",") for line in weekly.splitlines()[1:])
    assert counts[this_week] == "3" and counts[last_week] == "2"


def test_workspace_navigation_marks_where_you_are(client, auth):
    auth.as_role("recruiter")
    queue = client.get("/recruiter/candidates?sla=overdue").get_data(as_text=True)
    assert 'sla=overdue" aria-current="page">Overdue queue<' in queue
    assert 'candidates" aria-current="page">Candidates<' not in queue
    everyone = client.get("/recruiter/candidates").get_data(as_text=True)
    assert 'candidates" aria-current="page">Candidates<' in everyone


def test_board_has_a_column_per_stage(client, auth):
    auth.as_role("recruiter")
    candidate(full_name="Board Bea", stage="offered")
    page = client.get("/recruiter/board").get_data(as_text=True)
    assert page.count('class="board-column"') == 11 and "Board Bea" in page


def test_csv_export_neutralises_formulas(client, auth):
    auth.as_role("recruiter")
    candidate(full_name='=HYPERLINK("http://evil.example","x")', country="BR")
    rows = list(csv.DictReader(io.StringIO(client.get("/recruiter/candidates.csv").get_data(
        as_text=True))))  # fmt: skip
    assert rows[0]["name"].startswith("'=")


def test_csv_export_streams_every_match_in_list_order(client, auth, monkeypatch):
    from portal.recruiters import views

    monkeypatch.setattr(views, "CSV_CHUNK_ROWS", 2)
    auth.as_role("recruiter")
    for n in range(5):
        candidate(full_name=f"Person {n}", country="PT", weekly_hours=10 + n)
    candidate(full_name="Elsewhere", country="ES")
    response = client.get("/recruiter/candidates.csv?country=PT&sort=hours")
    assert response.is_streamed and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == [f"Person {n}" for n in (4, 3, 2, 1, 0)]
    assert rows[0]["weekly_hours"] == "14" and rows[0]["country"] == "PT"
