"""Finding 4: staff email templates are bounded in size, work and time: refused at save,
and harmless in a preview or a bulk move when an old row is unbounded."""

import time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, EmailTemplate, OutboxEmail
from tests import factories
from tests.security.conftest import fresh, sign_in

LOOPS = "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}"
HEAVY = {
    "nested loops": LOOPS,
    "silent loops": LOOPS.replace("x", ""),
    "huge product": "{{ 'x' * 1000000000 }}",
    "doubling": "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}",
    "wide filter": "{{ first_name|center(999999999) }}",
    "long output": "{% for i in range(5000) %}" + "y" * 60 + "{% endfor %}",
}


@pytest.fixture
def recruiter(client):
    user = factories.make_user("recruiter")
    db.session.commit()
    sign_in(client, user.email)
    return user


def save(client, body, template_id=None):
    path = f"/recruiter/templates/{template_id}" if template_id else "/recruiter/templates/new"
    data = {"key": "heavy", "name": "Heavy", "stage": "", "subject": "Hi", "body": body}
    return client.post(path, data=data)


@pytest.mark.parametrize("name", list(HEAVY))
def test_a_heavy_template_is_refused_at_save_quickly_and_clearly(client, recruiter, name):
    started = time.monotonic()
    response = save(client, HEAVY[name])
    assert time.monotonic() - started < 2.0
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert any(s in page for s in ("repeats too much", "longer than 100,000", "No filter named")), (
        page[-2000:]
    )
    assert db.session.scalar(select(EmailTemplate)) is None


def test_an_unbounded_row_from_before_is_harmless_in_preview_and_bulk(client, recruiter):
    template = EmailTemplate(key="old", name="Old", subject="Hi", body=LOOPS)
    applicants = [factories.make_applicant(stage="profile_complete") for _ in range(3)]
    db.session.add(template)
    db.session.commit()

    started = time.monotonic()
    response = fresh(client, f"/recruiter/templates/{template.id}/preview")
    assert response.status_code == 422
    assert len(response.get_data()) < 200_000
    assert time.monotonic() - started < 2.0

    started = time.monotonic()
    client.post(
        "/recruiter/bulk",
        data={
            "ids": [str(a.id) for a in applicants],
            "action": "move",
            "to_stage": "shortlisted",
            "template": str(template.id),
        },
    )
    assert time.monotonic() - started < 3.0
    db.session.expire_all()
    assert {a.stage for a in db.session.scalars(select(Applicant))} == {"profile_complete"}
    assert db.session.scalar(select(OutboxEmail)) is None


def test_an_ordinary_template_still_renders(client, recruiter):
    body = (
        "Dear {{ full_name }},\n{% for step in ['read', 'rank'] %}- {{ step|title }}\n{% endfor %}"
        "{{ first_name|upper }} at {{ portal_url }}"
    )
    assert save(client, body).status_code == 302
    template = db.session.scalar(select(EmailTemplate))
    page = fresh(client, f"/recruiter/templates/{template.id}/preview").get_data(as_text=True)
    assert "- Read" in page and "ALEX" in page
