"""Email templates with posting variables, previewed on a real candidate; emails sent without
moving the candidate."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, EmailTemplate, OutboxEmail, Posting
from tests.factories import make_listed_candidate as candidate

NEW_VARIABLES = (
    "Hi {{ first_name }}, about {{ posting_title }} ({{ pay_band }}, {{ hours_band }}): "
    "we answer by {{ answer_by }}. Next: {{ next_step_url }}"
)


def _posting() -> Posting:
    """The default posting every applicant applies to, with known pay, hours and promise."""
    posting = db.session.scalar(select(Posting).where(Posting.slug == "ai-response-rater"))
    if posting is None:
        posting = Posting(slug="ai-response-rater", status="open")
        db.session.add(posting)
    posting.title = "AI Response Rater"
    posting.pay_min_cents, posting.pay_max_cents, posting.currency = 2500, 3500, "usd"
    posting.hours_min, posting.hours_max, posting.answer_days = 10, 20, 5
    db.session.commit()
    return posting


def _template(body: str = NEW_VARIABLES, stage: str | None = None) -> EmailTemplate:
    template = EmailTemplate(
        key="update", name="Update", stage=stage, subject="News, {{ first_name }}", body=body
    )
    db.session.add(template)
    db.session.commit()
    return template


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(OutboxEmail)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def test_the_editor_lists_the_variables_and_refuses_unknown_ones(client, auth):
    auth.as_role("recruiter")
    form = client.get("/recruiter/templates/new").get_data(as_text=True)
    for name in ("posting_title", "pay_band", "answer_by", "next_step_url", "first_name"):
        assert "{{ " + name + " }}" in form
    response = client.post(
        "/recruiter/templates/new",
        data={
            "key": "typo",
            "name": "Typo",
            "stage": "",
            "subject": "Hello {{ frist_name }}",
            "body": "Pay: {{ pay_band }} {{ salary }}",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Unknown variable(s): frist_name, salary." in page
    assert "Hello {{ frist_name }}" in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(EmailTemplate)) == 0
    # Loop variables and the sandbox's range() are not "unknown".
    ok = client.post(
        "/recruiter/templates/new",
        data={
            "key": "loop",
            "name": "Loop",
            "stage": "",
            "subject": "Hi",
            "body": "{% for n in range(2) %}{{ n }}{{ loop.index }}{% endfor %}{{ pay_band }}",
        },
    )
    assert ok.status_code == 302


def test_preview_renders_the_posting_variables_for_a_chosen_candidate_and_writes_nothing(
    client, auth
):
    auth.as_role("recruiter")
    _posting()
    template = _template()
    a = candidate(full_name="Ana Lima", stage="applied")
    a.stage_changed_at = datetime(2026, 11, 27, 10, tzinfo=UTC)  # a Friday
    db.session.commit()
    before = _counts()
    page = client.get(f"/recruiter/templates/{template.id}/preview?applicant={a.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rendered for Ana Lima" in text
    assert "News, Ana" in text
    assert "about AI Response Rater ($25.00–$35.00 per hour, 10–20 hours a week)" in text
    assert "we answer by Friday 4 December 2026" in text  # five business days later
    assert "Next: http://localhost/me/profile" in text  # an applied applicant: the profile
    assert f'<option value="{a.id}" selected>' in text  # the picker shows the choice
    assert _counts() == before


@pytest.mark.parametrize(
    ("stage", "path"),
    [
        ("profile_complete", "/assessment/"),
        ("offered", "/me/offers/"),
        ("shortlisted", "/dashboard"),
    ],
)
def test_the_next_step_link_follows_the_stage(client, auth, stage, path):
    from portal.recruiters.emails import template_context

    _posting()
    a = candidate(stage=stage)
    with client.application.test_request_context():
        assert template_context(a, None)["next_step_url"].startswith("http://localhost" + path)


def test_send_a_templated_email_without_moving_the_stage(client, auth):
    recruiter = auth.as_role("recruiter")
    _posting()
    template = _template()
    a = candidate(full_name="Ben Osei", stage="shortlisted", days_in_stage=2)
    moved_at = a.stage_changed_at
    response = client.post(
        f"/recruiter/candidates/{a.id}/email", data={"mail-template": str(template.id)}
    )
    assert response.status_code == 302
    db.session.refresh(a)
    assert (a.stage, a.stage_changed_at) == ("shortlisted", moved_at)
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.applicant_id == a.id))
    assert mail.to == a.user.email and mail.subject == "News, Ben"
    assert "about AI Response Rater" in mail.body and mail.template == "update"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "email.sent"))
    assert (event.actor_id, event.applicant_id, event.subject_id) == (recruiter.id, a.id, mail.id)
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    assert "Email “News, Ben” sent (their stage is unchanged)." in page
    assert "email.sent" in page and "News, Ben" in page  # history and the emails list


def test_a_free_email_uses_the_variables_and_a_refused_one_keeps_what_was_typed(client, auth):
    auth.as_role("recruiter")
    _posting()
    a = candidate(full_name="Cy Park", stage="assessed_passed")
    empty = client.post(
        f"/recruiter/candidates/{a.id}/email",
        data={"mail-subject": "Quick question", "mail-body": ""},
    )
    assert empty.status_code == 422
    page = empty.get_data(as_text=True)
    assert "Write this, or choose a template." in page and 'value="Quick question"' in page
    unknown = client.post(
        f"/recruiter/candidates/{a.id}/email",
        data={"mail-subject": "Hi {{ first_name }}", "mail-body": "Your {{ bonus }} awaits"},
    )
    assert unknown.status_code == 422
    page = unknown.get_data(as_text=True)
    assert "Unknown variable(s): bonus." in page and "Your {{ bonus }} awaits" in page
    assert _counts() == (0, 0)
    sent = client.post(
        f"/recruiter/candidates/{a.id}/email",
        data={"mail-subject": "Hi {{ first_name }}", "mail-body": "About {{ posting_title }}."},
    )
    assert sent.status_code == 302
    mail = db.session.scalar(select(OutboxEmail))
    assert (mail.subject, mail.body, mail.template) == ("Hi Cy", "About AI Response Rater.", None)
    db.session.refresh(a)
    assert a.stage == "assessed_passed"


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RECRUITER_EMAIL_RATE_LIMIT": "2 per minute"}

    def test_emailing_candidates_is_rate_limited(self, client, auth):
        auth.as_role("recruiter")
        a = candidate(stage="applied")
        data = {"mail-subject": "Hello", "mail-body": "Just checking in."}
        for _ in range(2):
            assert client.post(f"/recruiter/candidates/{a.id}/email", data=data).status_code == 302
        blocked = client.post(f"/recruiter/candidates/{a.id}/email", data=data)
        assert blocked.status_code == 429
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 2


def test_a_move_emails_about_the_posting_of_the_application_it_moved(app):
    from portal.models import Application, User
    from portal.recruiters import services
    from tests import factories

    _posting()
    medical = Posting(
        slug="medical-reviewer", title="Medical reviewer", status="open",
        pay_min_cents=4000, pay_max_cents=6000, currency="usd", answer_days=3,
    )  # fmt: skip
    db.session.add(medical)
    a = candidate(full_name="Dana Cruz", stage="shortlisted")  # on the default posting
    db.session.add(Application(applicant=a, posting=medical, stage="assessed_passed"))
    recruiter: User = factories.make_user("recruiter")
    db.session.commit()
    template = _template(body="{{ posting_title }}: {{ pay_band }}")
    on_medical = next(x for x in a.applications if x.posting_id == medical.id)
    services.move_candidate(  # the medical one, not their furthest
        a,
        "rejected",
        actor=recruiter,
        exit_reason="experience",
        template=template,
        application=on_medical,
    )
    body = db.session.scalar(select(OutboxEmail.body))
    assert body == "Medical reviewer: $40.00–$60.00 per hour"


def test_an_email_without_a_move_can_speak_of_one_application(client, auth):
    from portal.models import Application

    auth.as_role("recruiter")
    _posting()
    medical = Posting(slug="medical-reviewer", title="Medical reviewer", status="open")
    db.session.add(medical)
    a = candidate(full_name="Eli Ford", stage="shortlisted")
    db.session.add(Application(applicant=a, posting=medical, stage="applied"))
    db.session.commit()
    on_medical = next(x for x in a.applications if x.posting_id == medical.id)
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    assert "About the application to" in page  # offered with more than one application
    data = {"mail-subject": "About {{ posting_title }}", "mail-body": "Next: {{ next_step_url }}"}
    client.post(f"/recruiter/candidates/{a.id}/email", data=data)
    client.post(
        f"/recruiter/candidates/{a.id}/email", data=data | {"mail-application": str(on_medical.id)}
    )
    mails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [m.subject for m in mails] == ["About AI Response Rater", "About Medical reviewer"]
    assert mails[1].body == "Next: http://localhost/me/profile"  # applied there: the profile
    db.session.refresh(a)
    assert a.stage == "shortlisted" and on_medical.stage == "applied"
