"""seed-demo puts every applicant on a posting, a few on two, with owners; idempotent."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, Application, StageSpan, User
from tests.applications.test_apply import make_posting


def test_seed_demo_lands_applicants_on_postings(app):
    make_posting("medical-reviewer", title="Medical Reviewer")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "applications:" in first.output and "3 second applications" in first.output
    without = db.session.scalar(
        select(func.count()).select_from(Applicant).where(~Applicant.applications.any())
    )
    assert without == 0
    lukas = db.session.scalar(
        select(Applicant).join(User).where(User.email == "lukas@demo.example")
    )
    assert sorted(a.posting.slug for a in lukas.applications) == [
        "ai-response-rater",
        "medical-reviewer",
    ]
    assert (
        db.session.scalar(
            select(func.count()).select_from(StageSpan).where(StageSpan.application_id.is_(None))
        )
        == 0
    )
    assert db.session.scalar(
        select(func.count()).select_from(Application).where(Application.owner_id.is_not(None))
    )
    before = db.session.scalar(select(func.count()).select_from(Application))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Application)) == before
