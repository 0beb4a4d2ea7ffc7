"""A small world for the API tests: candidates at several stages, a project with an offer and
a contractor, a timesheet and a payout (the caller commits)."""

from dataclasses import dataclass
from datetime import timedelta

from portal.extensions import db
from portal.models import Applicant, Assignment, Payout, Project, Timesheet
from portal.models.base import utcnow
from tests import factories
from tests.projects.builders import make_candidate, make_project


@dataclass
class World:
    project: Project
    offered: Assignment
    active: Assignment
    shortlisted: Applicant
    fresh: Applicant


def build_world() -> World:
    now = utcnow()
    project = make_project(headcount=5)
    shortlisted = make_candidate(90, stage="shortlisted", full_name="Sam Short")
    offered_person = make_candidate(88, stage="offered", full_name="Olu Offered")
    worker = make_candidate(92, stage="active", full_name="Ada Active")
    fresh = factories.make_applicant(full_name="Pat Profile", stage="profile_complete")
    factories.make_applicant(full_name="Ria Rejected", stage="rejected")
    offered = Assignment(
        project=project,
        applicant_id=offered_person.id,
        status="offered",
        hourly_rate_cents=3000,
        weekly_hours=10,
        offered_at=now,
        expires_at=now + timedelta(days=7),
    )
    active = Assignment(
        project=project,
        applicant_id=worker.id,
        status="active",
        hourly_rate_cents=3100,
        weekly_hours=15,
        offered_at=now - timedelta(days=20),
    )
    db.session.add_all([offered, active])
    db.session.flush()
    payout = Payout(
        applicant_id=worker.id,
        week="2026-W46",
        amount_cents=31000,
        status="paid",
        idempotency_key=f"test-{worker.id}-2026-W46",
        transfer_group=f"tg-{worker.id}",
        transfer_id=f"tr_test_{worker.id}",
        paid_at=now,
    )
    db.session.add(payout)
    db.session.flush()
    db.session.add(
        Timesheet(
            assignment_id=active.id,
            applicant_id=worker.id,
            week="2026-W46",
            quarter_hours=[40, 0, 0, 0, 0, 0, 0],
            status="paid",
            payout_id=payout.id,
        )
    )
    db.session.flush()
    return World(project, offered, active, shortlisted, fresh)
