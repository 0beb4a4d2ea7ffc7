"""Quality tiers: the weekly hours cap follows the tier an admin sets from the evidence."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OutboxEmail
from portal.payments import tiers, timesheets
from tests.factories import make_contractor
from tests.work.helpers import live_project, rater


def test_the_tier_sets_the_weekly_cap(app):
    a = rater(live_project())
    a.weekly_hours = 15
    assert timesheets.weekly_cap(a) == 15
    a.quality_tier = "limited"
    assert timesheets.weekly_cap(a) == 10
    a.quality_tier = "expanded"
    assert timesheets.weekly_cap(a) == 20
    app.config["WORK_TIER_CAPS"] = {"limited": 5}
    a.quality_tier = "limited"
    assert timesheets.weekly_cap(a) == 5


def test_a_limited_contractor_cannot_log_above_the_tier_cap(app, now, gateway, stripe_fake):
    applicant, a = make_contractor(gateway, stripe_fake)
    db.session.commit()
    hours = ["6", "6", "", "", "", "", ""]
    today = now().date() + timedelta(days=2)
    timesheets.save_week(applicant, a, "2026-W45", hours, today=today)  # standard: 20 h
    tiers.set_tier(a, "limited", actor=None)
    with pytest.raises(timesheets.TimesheetError, match="weekly cap of 10 hours"):
        timesheets.save_week(applicant, a, "2026-W45", hours, today=today)


def test_setting_a_tier_is_audited_and_the_contractor_told(app, now):
    a = rater(live_project())
    db.session.commit()
    tiers.set_tier(a, "limited", actor=None)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.tier_set"))
    assert event is not None
    mail = db.session.scalar(select(OutboxEmail))
    assert "up to 10 h" in mail.subject and "before: 20 hours" in mail.body
    tiers.set_tier(a, "limited", actor=None)  # no change: no second email
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 1
    with pytest.raises(tiers.TierError):
        tiers.set_tier(a, "platinum", actor=None)


def test_the_suggestion_follows_gold_accuracy():
    assert tiers.suggest(None, 0.7, 10)[0] == "standard"
    assert tiers.suggest({"gold_n": 3, "gold_interval": (0.1, 0.4)}, 0.7, 10)[0] == "standard"
    assert tiers.suggest({"gold_n": 30, "gold_interval": (0.2, 0.5)}, 0.7, 10)[0] == "limited"
    assert tiers.suggest({"gold_n": 60, "gold_interval": (0.92, 1.0)}, 0.7, 10)[0] == "expanded"


def test_the_admin_sets_a_tier_on_the_quality_page(app, client, auth, now):
    project = live_project()
    a = rater(project)
    db.session.commit()
    auth.as_role("admin")
    page = client.get(f"/admin/work/{project.id}/quality").get_data(as_text=True)
    assert f'data-testid="tier-{a.id}"' in page and "Standard" in page
    client.post(f"/admin/work/assignments/{a.id}/tier", data={"tier": "expanded"})
    db.session.expire_all()
    assert db.session.get(type(a), a.id).quality_tier == "expanded"
    bad = client.post(
        f"/admin/work/assignments/{a.id}/tier", data={"tier": "gold"}, follow_redirects=True
    )
    assert "Unknown tier" in bad.get_data(as_text=True)
