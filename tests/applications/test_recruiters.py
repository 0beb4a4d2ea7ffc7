"""Recruiters by posting: the list, board and dashboard filter by posting and show it on each
row, each application has its own answer-by date, owner, and can be moved on its own."""

import re

from sqlalchemy import select

from portal import pipeline
from portal.applications import services
from portal.extensions import db
from portal.models import AuditEvent
from tests.applications.test_apply import make_posting
from tests.factories import make_listed_candidate as candidate


def names(html: str) -> list[str]:
    return re.findall(r'href="/recruiter/candidates/\d+">([^<]+)</a>', html)


def two_postings(now):
    """Ana applied to the medical posting too and waits on us there; Ben only to the default."""
    medical = make_posting("medical-reviewer", title="Medical Reviewer", answer_days=2)
    ana = candidate(full_name="Ana Lima", stage="profile_complete")
    ben = candidate(full_name="Ben Osei", stage="assessed_passed")
    application = services.apply(ana.id, medical.id)
    pipeline.move(application, "profile_complete", actor=None)
    pipeline.move(application, "assessed_passed", actor=None)
    db.session.commit()
    return medical, ana, ben


def test_candidate_list_filters_by_posting_and_shows_it(client, auth, now):
    auth.as_role("recruiter")
    two_postings(now)
    everyone = client.get("/recruiter/candidates").get_data(as_text=True)
    assert sorted(names(everyone)) == ["Ana Lima", "Ben Osei"]
    assert "Medical Reviewer (Assessed: passed)" in everyone  # the posting on Ana's row
    medical = client.get("/recruiter/candidates?posting=medical-reviewer")
    html = medical.get_data(as_text=True)
    assert names(html) == ["Ana Lima"]
    # Within the posting: that application's stage and its answer-by (2 business days).
    assert re.search(r'answer-by-\d+">answer by Wed 04 Nov', html)
    staged = client.get("/recruiter/candidates?posting=medical-reviewer&stage=profile_complete")
    assert names(staged.get_data(as_text=True)) == []
    assert client.get("/recruiter/candidates?posting=nope").status_code == 400


def test_board_and_dashboard_filter_by_posting(client, auth, now):
    auth.as_role("recruiter")
    two_postings(now)
    board = client.get("/recruiter/board?posting=medical-reviewer").get_data(as_text=True)
    assert "Ana Lima" in board and "Ben Osei" not in board
    assert "answer by Wed 04 Nov" in board
    everyone = client.get("/recruiter/board").get_data(as_text=True)
    assert "Ana Lima" in everyone and "Ben Osei" in everyone
    dashboard = client.get("/recruiter/?posting=medical-reviewer").get_data(as_text=True)
    grid = dashboard.split('data-testid="stage-counts"')[1].split("</div>")[0]
    counts = re.findall(r'stat-value">(\d+)</span><span class="stat-label">([^<]+)<', grid)
    assert ("1", "Assessed: passed") in counts and ("0", "Profile complete") in counts


def test_owner_is_set_and_cleared_and_mine_filters(client, auth, now):
    rae = auth.as_role("recruiter", name="Rae Recruiter")
    medical, ana, ben = two_postings(now)
    application = services.application_of(ana.id, medical.id)
    page = client.get(f"/recruiter/candidates/{ana.id}").get_data(as_text=True)
    assert 'data-testid="application-medical-reviewer"' in page
    client.post(f"/recruiter/applications/{application.id}/owner", data={"owner_id": str(rae.id)})
    db.session.refresh(application)
    assert application.owner_id == rae.id
    mine = client.get("/recruiter/candidates?owner=mine").get_data(as_text=True)
    assert names(mine) == ["Ana Lima"]
    assert "Medical Reviewer (Assessed: passed, Rae Recruiter)" in mine
    nobody = client.get("/recruiter/candidates?owner=none&posting=medical-reviewer")
    assert names(nobody.get_data(as_text=True)) == []
    client.post(f"/recruiter/applications/{application.id}/owner", data={"owner_id": ""})
    db.session.refresh(application)
    assert application.owner_id is None
    assert names(client.get("/recruiter/candidates?owner=mine").get_data(as_text=True)) == []
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "application.owner_set")
    ).all()
    assert len(actions) == 2


def test_an_applicant_cannot_own_a_candidate(client, auth, now):
    auth.as_role("recruiter")
    medical, ana, ben = two_postings(now)
    application = services.application_of(ana.id, medical.id)
    response = client.post(
        f"/recruiter/applications/{application.id}/owner",
        data={"owner_id": str(ben.user_id)},
        follow_redirects=True,
    )
    assert "Only a recruiter can own a candidate." in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.owner_id is None


def test_rejecting_one_application_leaves_the_other(client, auth, now):
    auth.as_role("recruiter")
    medical, ana, ben = two_postings(now)
    default = next(a for a in ana.applications if a.posting_id != medical.id)
    response = client.post(
        f"/recruiter/candidates/{ana.id}/move",
        data={
            "application_id": str(default.id),
            "move-to_stage": "rejected",
            "move-exit_reason": "experience",
            "move-reason": "Not enough rating experience",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(ana)
    stages = {a.posting.slug: a.stage for a in ana.applications}
    assert stages == {"ai-response-rater": "rejected", "medical-reviewer": "assessed_passed"}
    assert ana.stage == "assessed_passed"  # still live on the medical posting
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "stage.moved").order_by(AuditEvent.id.desc())
    ).first()
    assert event.details["posting_id"] == default.posting_id
    page = client.get(f"/recruiter/candidates/{ana.id}").get_data(as_text=True)
    history = page.split('id="history"')[1]
    assert 'history-posting">AI Response Rater (remote, freelance)</small>' in history


def test_api_lists_candidates_of_one_posting_with_their_postings(client, make_token, now):
    from tests.api.conftest import bearer

    medical, ana, ben = two_postings(now)
    new = make_token("candidates:read")
    everyone = client.get("/api/v1/candidates", headers=bearer(new.secret)).get_json()["data"]
    assert {c["name"]: sorted(c["postings"]) for c in everyone} == {
        "Ana Lima": ["ai-response-rater", "medical-reviewer"],
        "Ben Osei": ["ai-response-rater"],
    }
    one = client.get(
        "/api/v1/candidates?posting=medical-reviewer", headers=bearer(new.secret)
    ).get_json()["data"]
    assert [(c["name"], c["stage"]) for c in one] == [("Ana Lima", "assessed_passed")]
    unknown = client.get("/api/v1/candidates?posting=nope", headers=bearer(new.secret))
    assert unknown.status_code == 422


def test_sla_within_a_posting_is_the_applications_own(client, auth, now):
    """Ana waits on us for 6 business days on the default posting but only since today on the
    medical one: overdue overall, on track within the medical posting."""
    auth.as_role("recruiter")
    medical = make_posting("medical-reviewer", title="Medical Reviewer")
    ana = candidate(full_name="Ana Lima", stage="assessed_passed", days_in_stage=8)
    services.apply(ana.id, medical.id)
    application = services.application_of(ana.id, medical.id)
    application.stage = "shortlisted"
    db.session.commit()
    assert names(client.get("/recruiter/candidates?sla=overdue").get_data(as_text=True)) == [
        "Ana Lima"
    ]
    inside = "/recruiter/candidates?posting=medical-reviewer&sla="
    assert names(client.get(inside + "overdue").get_data(as_text=True)) == []
    assert names(client.get(inside + "ok").get_data(as_text=True)) == ["Ana Lima"]
    default = "/recruiter/candidates?posting=ai-response-rater&sla=overdue"
    assert names(client.get(default).get_data(as_text=True)) == ["Ana Lima"]


def test_sla_digest_names_the_postings_beyond_the_default(app):
    from portal.models import OutboxEmail
    from portal.recruiters.tasks import sla_digest
    from tests import factories

    factories.make_user("recruiter", email="r1@example.org")
    db.session.commit()
    medical = make_posting("medical-reviewer", title="Medical Reviewer")
    larry = candidate(full_name="Late Larry", stage="assessed_passed", days_in_stage=9)
    candidate(full_name="Only Olga", stage="assessed_passed", days_in_stage=9)
    services.apply(larry.id, medical.id)
    assert sla_digest.delay().get() == 1
    body = db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.template == "sla_digest"))
    lines = {line.split(" · ")[0].strip("- "): line for line in body.splitlines() if " · " in line}
    assert lines["Late Larry"].endswith(
        "business days · AI Response Rater (remote, freelance), Medical Reviewer"
    )
    assert lines["Only Olga"].endswith("business days")  # one default application: as before
