"""Admins edit rules: every error at once with the input kept; each edit is a new version."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, AutomationRule
from tests.automation.conftest import rule


def test_a_bad_rule_shows_every_error_at_once_and_keeps_the_input(posting, client, auth):
    auth.as_role("admin")
    response = client.post(
        f"/admin/automation/postings/{posting.id}/rules/new",
        data={
            "name": "Reject the slow ones",
            "trigger": "profile_incomplete",
            "action": "reject",
            "min_score": "140",
            "delay_hours": "24",
            "template_key": "no-such-template",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "can only: send a reminder, withdraw" in page
    assert "Say after how many days" in page
    assert "Number must be between 0 and 100" in page
    assert "No email template has the key" in page
    assert "A rejection needs a reason" in page
    assert 'value="Reject the slow ones"' in page and 'value="no-such-template"' in page
    assert (
        db.session.scalar(
            select(AutomationRule).where(AutomationRule.name == "Reject the slow ones")
        )
        is None
    )


def test_editing_a_rule_bumps_its_version_and_is_audited(posting, client, auth):
    auth.as_role("admin")
    shortlist = rule(posting, "assessment_passed")
    page = client.get(f"/admin/automation/rules/{shortlist.id}").get_data(as_text=True)
    assert 'value="70"' in page
    response = client.post(
        f"/admin/automation/rules/{shortlist.id}",
        data={
            "name": shortlist.name,
            "trigger": "assessment_passed",
            "action": "shortlist",
            "min_score": "80",
            "delay_hours": "0",
            "template_key": "automation_shortlisted",
            "enabled": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    edited = db.session.get(AutomationRule, shortlist.id)
    assert edited.version == 2 and edited.min_score == 80
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "automation.rule_saved")
    ).all()[-1]
    assert event.details["version"] == 2 and event.details["changed"] == ["min_score"]


def test_the_rules_page_and_the_dry_run_page_render(posting, client, auth):
    auth.as_role("admin")
    page = client.get("/admin/automation/").get_data(as_text=True)
    assert "Shortlist a clear pass" in page and "Withdraw after 21 days" in page
    failed = rule(posting, "assessment_failed")
    page = client.get(f"/admin/automation/rules/{failed.id}/dry-run").get_data(as_text=True)
    assert "Nothing was changed or sent" in page
