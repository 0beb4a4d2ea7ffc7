"""The demo: default rules on for the rater posting, someone moved by rule in the audit trail."""

from sqlalchemy import select

from portal.demo.people import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Applicant, AuditEvent, AutomationRule, Posting, User


def test_seed_demo_shows_an_applicant_moved_by_rule(app, client, auth):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Noor Haddad: Shortlisted (moved by rule)" in result.output
    posting = db.session.scalar(select(Posting).where(Posting.slug == "ai-response-rater"))
    assert all(
        r.enabled
        for r in db.session.scalars(
            select(AutomationRule).where(AutomationRule.posting_id == posting.id)
        )
    )
    noor = db.session.scalar(select(User).where(User.email == "noor@demo.example")).applicant
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "automation.applied", AuditEvent.applicant_id == noor.id
        )
    )
    assert event.details["rule_version"] == 1 and event.details["to_stage"] == "shortlisted"
    auth.login("admin@demo.example", DEMO_PASSWORD)
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "automation.applied" in audit_page and "Shortlist a clear pass" in audit_page
    auth.login("recruiter@demo.example", DEMO_PASSWORD)
    queue = client.get("/recruiter/queue/").get_data(as_text=True)
    assert "Ravi Menon" in queue and "Elif Demir" in queue and "Tomás Silva" in queue
    assert "Noor Haddad" not in queue
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert db.session.get(Applicant, noor.id).stage == "shortlisted"
