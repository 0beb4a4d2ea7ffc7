"""The candidate page, moves with audit and email, notes, scorecards, templates."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, EmailTemplate, OutboxEmail, Scorecard
from portal.models.base import utcnow
from portal.workdays import business_days_between
from tests import factories
from tests.factories import make_listed_candidate as candidate
from tests.factories import make_scored_attempt as attempt_with_items


def rejection_template() -> EmailTemplate:
    template = EmailTemplate(
        key="rejection",
        name="Rejection",
        stage="rejected",
        subject="Your application, {{ first_name }}",
        body="Dear {{ full_name }},\nThank you. You are now: {{ stage }}.\n{{ portal_url }}",
    )
    db.session.add(template)
    db.session.commit()
    return template


def test_candidate_page_shows_profile_resume_assessment_and_notes(client, auth):
    recruiter = auth.as_role("recruiter", name="Rae Recruiter")
    a = candidate(
        full_name="Ana Lima",
        phone="+5511999990000",
        country="BR",
        domains=["law"],
        skills=["Contract law"],
        labelling_experience=[{"platform": "Scale AI", "months": 6}],
        resume_text="Drafted commercial leases.",
        stage="assessed_passed",
        days_in_stage=8,
    )
    client.post(f"/recruiter/candidates/{a.id}/notes", data={"note-body": "Call on Tuesday"})
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    for text in (
        "Ana Lima",
        "+5511999990000",
        "Scale AI",
        "Drafted commercial leases.",
        "Call on Tuesday",
        "Rae Recruiter",  # the note's author
        "SLA: overdue",
    ):
        assert text in page, text
    assert recruiter.id


def test_candidate_page_shows_the_assessment_breakdown_in_the_shown_order(client, auth):
    auth.as_role("recruiter")
    a = candidate(full_name="Ana Lima", stage="assessed_passed")
    attempt_with_items(a)
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    section = page[page.index('id="assessment"') : page.index('id="scorecards"')]
    rows = section.split("<tr")[2:]  # after the header row
    assert len(rows) == 2
    # Item 0 was shown with its responses swapped: gold "A better" reads "B better" as shown,
    # and the applicant's choice of B agrees with it.
    first, second = rows
    assert "Which answer is better for case 0?" in first
    assert first.count("B better") == 2 and "1.00" in first
    assert "B cites the statute" in first  # rationale
    assert "35s" in first  # time from shown to first answer
    assert "B slightly better" in second and "A better" in second and "0.00" in second
    assert "paste" in second  # the per-item integrity signal
    assert "71.5" in section and "passed" in section
    assert "paste at item 2: 1 paste event(s)" in section
    assert "focus loss: left the page 6 times" in section


def test_move_is_audited_and_rejection_needs_a_reason(client, auth):
    recruiter = auth.as_role("recruiter")
    a = candidate(stage="assessed_passed")
    # Free text alone is not enough: the reason comes from the list, and the form keeps the note.
    response = client.post(
        f"/recruiter/candidates/{a.id}/move",
        data={"move-to_stage": "rejected", "move-reason": "Weak on citations"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A rejection needs a reason: choose one from the list." in page
    assert "Weak on citations" in page
    db.session.refresh(a)
    assert a.stage == "assessed_passed"

    response = client.post(
        f"/recruiter/candidates/{a.id}/move",
        data={"move-to_stage": "shortlisted", "move-reason": "Great legal writing"},
    )
    assert response.status_code == 302
    db.session.refresh(a)
    assert a.stage == "shortlisted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stage.moved"))
    assert (event.actor_id, event.reason) == (recruiter.id, "Great legal writing")
    assert event.details == {"from_stage": "assessed_passed", "to_stage": "shortlisted"}
    history = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    assert "Assessed: passed → Shortlisted" in history and "Great legal writing" in history


def test_invalid_transition_is_refused(client, auth):
    auth.as_role("recruiter")
    a = candidate(stage="applied")
    response = client.post(f"/recruiter/candidates/{a.id}/move", data={"move-to_stage": "active"})
    assert response.status_code == 422
    db.session.refresh(a)
    assert a.stage == "applied"


def test_reject_with_a_templated_email_goes_to_the_outbox(client, auth):
    auth.as_role("recruiter")
    template = rejection_template()
    a = candidate(full_name="Ben Osei", stage="assessed_failed")
    response = client.post(
        f"/recruiter/candidates/{a.id}/move",
        data={
            "move-to_stage": "rejected",
            "move-exit_reason": "assessment",
            "move-reason": "Score too low",
            "move-template": str(template.id),
        },
    )
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.applicant_id == a.id))
    assert mail.to == a.user.email
    assert mail.subject == "Your application, Ben"
    assert "Dear Ben Osei" in mail.body and "You are now: Rejected." in mail.body
    assert mail.status == "logged"  # delivered by the (eager) Celery task
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    assert "Your application, Ben" in page  # the email history


def test_shortlist_button_uses_the_stage_template(client, auth):
    auth.as_role("recruiter")
    db.session.add(
        EmailTemplate(key="short", name="Shortlisted", stage="shortlisted",
                      subject="Good news", body="Hi {{ first_name }}")
    )  # fmt: skip
    a = candidate(full_name="Cy Park", stage="assessed_passed")
    client.post(f"/recruiter/candidates/{a.id}/shortlist")
    db.session.refresh(a)
    assert a.stage == "shortlisted"
    assert db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.applicant_id == a.id)) == (
        "Hi Cy"
    )


def test_scorecards_side_by_side(client, auth):
    a = candidate(full_name="Ana Lima", stage="shortlisted")
    first = factories.make_user("recruiter", name="First Recruiter")
    db.session.commit()
    db.session.add(
        Scorecard(applicant_id=a.id, recruiter_id=first.id, domain_expertise=2,
                  writing_quality=2, judgement=3, reliability=3, recommendation="no")
    )  # fmt: skip
    db.session.commit()
    auth.as_role("recruiter", name="Second Recruiter")
    bad = client.post(f"/recruiter/candidates/{a.id}/scorecard", data={"card-judgement": "9"})
    assert bad.status_code == 422 and "Rate from 1 to 4." in bad.get_data(as_text=True)
    data = {
        "card-domain_expertise": "4",
        "card-writing_quality": "3",
        "card-judgement": "4",
        "card-reliability": "4",
        "card-recommendation": "strong_yes",
        "card-comment": "Best legal reviewer this month",
    }
    assert client.post(f"/recruiter/candidates/{a.id}/scorecard", data=data).status_code == 302
    data["card-recommendation"] = "yes"  # editing keeps one card per recruiter
    client.post(f"/recruiter/candidates/{a.id}/scorecard", data=data)
    cards = db.session.scalars(select(Scorecard).where(Scorecard.applicant_id == a.id)).all()
    assert sorted(c.recommendation for c in cards) == ["no", "yes"]
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    assert "First Recruiter" in page and "Second Recruiter" in page
    assert "Best legal reviewer this month" in page


def test_template_editor_preview_and_sandbox(client, auth):
    auth.as_role("recruiter")
    response = client.post(
        "/recruiter/templates/new",
        data={
            "key": "invite",
            "name": "Invite",
            "stage": "shortlisted",
            "subject": "Hello {{ first_name }}",
            "body": "You are {{ stage }}.",
        },
    )
    assert response.status_code == 302
    template = db.session.scalar(select(EmailTemplate).where(EmailTemplate.key == "invite"))
    preview = client.get(f"/recruiter/templates/{template.id}/preview").get_data(as_text=True)
    assert "Hello Alex" in preview and "You are Shortlisted." in preview
    # The sandbox refuses to reach into Python internals.
    response = client.post(
        f"/recruiter/templates/{template.id}",
        data={
            "key": "invite",
            "name": "Invite",
            "stage": "",
            "subject": "x",
            "body": "{{ first_name.__class__.__mro__[1].__subclasses__() }}",
        },
    )
    assert response.status_code == 422
    assert "does not render" in response.get_data(as_text=True)
    db.session.refresh(template)
    assert template.body == "You are {{ stage }}."


def test_sla_digest_emails_each_recruiter_once_a_day(app):
    from portal.recruiters.tasks import sla_digest

    factories.make_user("recruiter", email="r1@example.org")
    factories.make_user("recruiter", email="r2@example.org")
    db.session.commit()
    candidate(full_name="Late Larry", stage="assessed_passed", days_in_stage=9)
    candidate(full_name="Fresh Fran", stage="assessed_passed", days_in_stage=0)
    assert sla_digest.delay().get() == 2
    assert sla_digest.delay().get() == 0  # idempotent within the day
    mails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.template == "sla_digest"))
    bodies = {m.to: m.body for m in mails}
    assert set(bodies) == {"r1@example.org", "r2@example.org"}
    assert "Late Larry" in bodies["r1@example.org"]
    assert "Fresh Fran" not in bodies["r1@example.org"]
    assert "1 overdue, 0 due." in bodies["r1@example.org"]


def test_sla_digest_lists_the_longest_waiting_and_counts_the_rest(app, monkeypatch):
    from portal.recruiters import tasks

    monkeypatch.setattr(tasks, "DIGEST_LISTED", 2)
    factories.make_user("recruiter", email="r1@example.org")
    for n, days in enumerate((10, 12, 14)):  # 5+ business days whatever today is
        candidate(full_name=f"Late {n}", stage="assessed_passed", days_in_stage=days)
    now = utcnow()
    due_days = next(d for d in range(3, 10) if business_days_between(now - timedelta(d), now) == 3)
    candidate(full_name="Due Dana", stage="shortlisted", days_in_stage=due_days)
    assert tasks.sla_digest.delay().get() == 1
    body = db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.template == "sla_digest"))
    assert "3 overdue, 1 due." in body
    assert body.index("Late 2") < body.index("Late 1") and "Late 0" not in body
    assert "… and 1 more" in body and "Due Dana" in body


def test_digest_is_scheduled_daily():
    from portal.celery_app import BEAT_SCHEDULE

    assert any(e["task"] == "recruiters.sla_digest" for e in BEAT_SCHEDULE.values())


def test_move_without_a_stage_says_so(client, auth):
    auth.as_role("recruiter")
    a = candidate(stage="assessed_passed")
    response = client.post(f"/recruiter/candidates/{a.id}/move", data={"move-to_stage": ""})
    assert response.status_code == 422 and "Choose a stage." in response.get_data(as_text=True)
