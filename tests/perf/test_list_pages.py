"""No N+1: every list page issues as many SQL statements for 50 rows as for 5.

Each page gets 5 rows, is opened once (caches warm), then counted; 45 more rows are added and it
is counted again. A page that loads something per row (a lazy relationship in the template, a
query in a loop) issues more statements the second time, and the failure lists them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import audit
from portal.extensions import db
from portal.models import (
    Client,
    Item,
    OutboxEmail,
    Payout,
    PayoutRun,
    Role,
    Timesheet,
    User,
)
from portal.models.base import utcnow
from tests import factories
from tests.perf.statements import count_statements

_n = itertools.count(1)
STAGES = ["profile_complete", "assessed_passed", "shortlisted", "offered", "active", "applied"]


def new_client() -> Client:
    client = Client(name=f"Client {next(_n)}")
    db.session.add(client)
    db.session.flush()
    return client


def add_candidates(n: int) -> None:
    for i in range(n):
        k = next(_n)
        factories.make_listed_candidate(
            full_name=f"Candidate {k}",
            stage=STAGES[i % len(STAGES)],
            country="DE",
            skills=["python"],
            domains=["medicine"],
            resume_text=f"python reviewer {k}",
            score=70 + i % 20,
            note=f"note {k}",
        )


def add_items(n: int) -> None:
    for _ in range(n):
        k = next(_n)
        db.session.add(
            Item(
                content_hash=f"perf-{k}",
                kind="pairwise",
                domain="law",
                prompt=f"Which is better, {k}?",
                responses=["One.", "Two."],
                gold=-1,
            )
        )
    db.session.commit()


def add_projects(n: int) -> None:
    for _ in range(n):
        k = next(_n)
        project = factories.make_project(title=f"Project {k}", client=new_client())
        _, assignment = factories.make_contractor(project=project)
        assignment.status = "active"
    db.session.commit()


def matches_project() -> str:
    project = factories.make_project(title="Matched", headcount=100, client=new_client())
    db.session.commit()
    return f"/admin/projects/{project.id}/matches"


def add_matchable(n: int) -> None:
    for _ in range(n):
        factories.make_candidate(80 + next(_n) % 15, stage="assessed_passed")
    db.session.commit()


def add_timesheets(n: int) -> None:
    for _ in range(n):
        applicant, assignment = factories.make_contractor()
        db.session.add(
            Timesheet(
                assignment_id=assignment.id,
                applicant_id=applicant.id,
                week="2026-W44",
                quarter_hours=[32, 32, 0, 0, 0, 0, 0],
                status="submitted",
                submitted_at=utcnow(),
            )
        )
    db.session.commit()


def add_payouts(n: int) -> None:
    for i in range(n):
        k = next(_n)
        applicant, assignment = factories.make_contractor()
        payout = Payout(
            applicant_id=applicant.id,
            week="2026-W44",
            amount_cents=12000,
            status="failed" if i % 2 else "paid",
            idempotency_key=f"perf-{k}",
            transfer_group=f"perf-{k}",
            paid_at=utcnow(),
        )
        db.session.add(payout)
        db.session.flush()
        db.session.add(
            Timesheet(
                assignment_id=assignment.id,
                applicant_id=applicant.id,
                week="2026-W44",
                quarter_hours=[40, 0, 0, 0, 0, 0, 0],
                status="paid",
                payout_id=payout.id,
            )
        )
        db.session.add(PayoutRun(week="2026-W44", trigger="cli", finished_at=utcnow()))
        if not i % 2:  # approved after the week was paid: listed as late (an adjustment)
            extra = factories.make_project(client=new_client())
            _, other = factories.make_contractor(applicant=applicant, project=extra)
            db.session.add(
                Timesheet(
                    assignment_id=other.id,
                    applicant_id=applicant.id,
                    week="2026-W44",
                    quarter_hours=[8, 0, 0, 0, 0, 0, 0],
                    status="approved",
                )
            )
    db.session.commit()


def add_emails(n: int) -> None:
    for _ in range(n):
        applicant = factories.make_applicant()
        db.session.add(
            OutboxEmail(
                to=applicant.user.email,
                subject="Your application",
                body="Hello",
                template="stage_moved",
                applicant_id=applicant.id,
                status="sent",
                sent_at=utcnow(),
            )
        )
    db.session.commit()


def add_audit_events(n: int) -> None:
    for _ in range(n):
        actor = factories.make_user(Role.RECRUITER)
        applicant = factories.make_applicant()
        audit.record(
            "stage.moved",
            actor=actor,
            subject_type="applicant",
            subject_id=applicant.id,
            applicant_id=applicant.id,
            from_stage="applied",
            to_stage="profile_complete",
        )
    db.session.commit()


def add_attempts(n: int) -> None:
    for _ in range(n):
        factories.make_candidate(60 + next(_n) % 40, stage="assessed_passed")
    db.session.commit()


def add_users(n: int) -> None:
    for i in range(n):
        factories.make_user(Role.RECRUITER if i % 3 == 0 else Role.APPLICANT)
    db.session.commit()


def add_clients(n: int) -> None:
    for _ in range(n):
        factories.make_project(client=new_client())
    db.session.commit()


@dataclass(frozen=True)
class ListPage:
    role: str
    url: str | Callable[[], str]  # a callable makes what the page is about and gives its URL
    add: Callable[[int], None]


PAGES = {
    "candidates": ListPage("recruiter", "/recruiter/candidates", add_candidates),
    "candidates by score": ListPage(
        "recruiter", "/recruiter/candidates?sort=score&q=python", add_candidates
    ),
    "board": ListPage("recruiter", "/recruiter/board", add_candidates),
    "recruiter dashboard": ListPage("recruiter", "/recruiter/", add_candidates),
    "item bank": ListPage("admin", "/admin/items", add_items),
    "projects": ListPage("admin", "/admin/projects/", add_projects),
    "matches": ListPage("admin", matches_project, add_matchable),
    "timesheets": ListPage("admin", "/admin/timesheets", add_timesheets),
    "payouts": ListPage("admin", "/admin/payouts", add_payouts),
    "outbox": ListPage("admin", "/admin/outbox", add_emails),
    "audit log": ListPage("admin", "/admin/audit", add_audit_events),
    "attempts": ListPage("admin", "/admin/attempts", add_attempts),
    "users": ListPage("admin", "/admin/users", add_users),
    "clients": ListPage("admin", "/admin/projects/clients", add_clients),
}


def statements_for(client: FlaskClient, app: Flask, url: str) -> tuple[list[str], int]:
    db.session.expire_all()  # nothing from the setup is served from the identity map
    with count_statements(db.engine) as seen:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return seen, len(response.data)


@pytest.mark.parametrize("name", list(PAGES))
def test_list_page_statements_do_not_grow_with_rows(name, app, client, auth, now):
    page = PAGES[name]
    auth.as_role(page.role)
    url = page.url() if callable(page.url) else page.url
    page.add(5)
    client.get(url)  # warm per-process caches (settings, the current guideline ...)
    few, few_size = statements_for(client, app, url)
    page.add(45)
    now.advance(minutes=1)
    many, many_size = statements_for(client, app, url)
    assert many_size > few_size, "the 45 new rows should show on the page"
    assert len(many) == len(few), (
        f"{name}: {len(few)} statements for 5 rows, {len(many)} for 50:\n{many}"
    )


def test_the_counter_sees_a_query_per_row(app):
    """The helper itself: a loop of lazy loads is counted, one statement per row."""
    users = [factories.make_user(Role.APPLICANT) for _ in range(3)]
    db.session.commit()
    ids = [u.id for u in users]
    db.session.expire_all()
    with count_statements(db.engine) as seen:
        for user_id in ids:
            assert db.session.get(User, user_id) is not None
    assert len(seen) == 3
    assert all('FROM "user"' in s or "FROM user" in s for s in seen)
