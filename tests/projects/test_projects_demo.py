"""The demo: right after seed-demo an admin sees matches and a global proposal."""

import re

from sqlalchemy import select

from portal.demo.people import DEMO_PASSWORD
from portal.demo.work import DEMO_PROJECT as LIVE_WORK_PROJECT
from portal.extensions import db
from portal.models import Applicant, Assignment, Project, User


def _stage_and_status(email: str) -> tuple[str, set[str]]:
    user = db.session.scalar(select(User).where(User.email == email))
    statuses = set(
        db.session.scalars(
            select(Assignment.status).where(Assignment.applicant_id == user.applicant.id)
        )
    )
    return user.applicant.stage, statuses


def test_demo_projects_offers_and_proposal(app, client, auth):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    # The live-work demo (portal/demo/work.py) adds a project of its own with three raters.
    live = select(Project.id).where(Project.title == LIVE_WORK_PROJECT).scalar_subquery()
    assert len(db.session.scalars(select(Project).where(Project.id != live)).all()) == 4
    assert _stage_and_status("tom@demo.example") == ("offered", {"offered"})
    assert _stage_and_status("yuki@demo.example") == ("onboarding", {"accepted"})
    assert _stage_and_status("chloe@demo.example") == ("active", {"active"})
    assert _stage_and_status("omar@demo.example") == ("active", {"active"})
    assert (
        len(db.session.scalars(select(Assignment).where(Assignment.project_id != live)).all()) == 5
    )

    auth.login("admin@demo.example", DEMO_PASSWORD)
    page = client.get("/admin/projects/proposal").get_data(as_text=True)
    assert len(re.findall(r'name="pick"', page)) >= 2
    legal = db.session.scalar(select(Project).where(Project.title.like("Legal%")))
    page = client.get(f"/admin/projects/{legal.id}/matches").get_data(as_text=True)
    assert "Sofía Hernández" in page

    auth.logout()
    auth.login("tom@demo.example", DEMO_PASSWORD)
    assert "offer-banner" in client.get("/me/").get_data(as_text=True)
    auth.logout()
    auth.login("chloe@demo.example", DEMO_PASSWORD)
    dashboard = client.get("/me/").get_data(as_text=True)
    assert "guideline-banner" in dashboard
    # Chloé works on two projects at once: both listed, both active.
    assert "Medical QA preference ranking" in dashboard and "Creative writing rankings" in dashboard
    assert dashboard.count('status-active">Active</span>') == 2
    assert db.session.scalar(select(Applicant).where(Applicant.full_name == "Chloé Martin"))
