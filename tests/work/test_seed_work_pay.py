"""seed-demo shows pay tied to output: tiers, a flagged week, a guideline check still to pass."""

from sqlalchemy import select

from portal.demo.people import DEMO_PASSWORD
from portal.demo.work import DEMO_PROJECT, RATERS
from portal.demo.workpay import PLAN
from portal.extensions import db
from portal.models import Assignment, Guideline, Project, User


def test_seed_demo_shows_tiers_a_flagged_week_and_a_pending_check(app, client, auth):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "work pay: tiers" in result.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    project = db.session.scalar(select(Project).where(Project.title == DEMO_PROJECT))
    tiers = set(
        db.session.scalars(
            select(Assignment.quality_tier).where(Assignment.project_id == project.id)
        )
    )
    assert tiers == {tier for tier, _ in PLAN.values()}
    guidelines = db.session.scalars(select(Guideline).where(Guideline.project_id == project.id))
    assert [len(g.check_items) for g in guidelines] == [0, 3]

    auth.as_role("admin")
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert page.count('data-testid="hours-flag"') == 1
    auth.logout()
    rania = db.session.scalar(select(User).where(User.email == RATERS[1][0]))
    auth.login(rania.email, DEMO_PASSWORD)
    work = client.get("/me/work/").get_data(as_text=True)
    assert "The guidelines changed (version 2)" in work
    check = client.get(f"/me/offers/guidelines/{project.id}").get_data(as_text=True)
    assert "When is a rationale required?" in check
