"""Finding 10: rejected and withdrawn applicants see their file read-only until reopened."""

import io

import pytest
from sqlalchemy import func, select

from portal import pipeline
from portal.extensions import db
from portal.models import Resume
from tests import factories
from tests.security.conftest import fresh, sign_in

RESUME = b"Ana Lima\nana@example.org\nContract lawyer, 8 years.\nSkills: contract law, Portuguese\n"


def upload(client):
    return client.post(
        "/me/resume",
        data={"resume": (io.BytesIO(RESUME), "cv.txt")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("stage", ["rejected", "withdrawn"])
def test_a_closed_application_cannot_change_its_file(client, stage):
    user = factories.make_user("applicant", applicant={"stage": stage, "city": "Leeds"})
    db.session.commit()
    sign_in(client, user.email)
    response = upload(client)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Resume)) == 0

    response = client.post("/me/profile", data={"action": "draft", "city": "Paris"})
    assert response.status_code == 403
    db.session.refresh(user.applicant)
    assert user.applicant.city == "Leeds"

    for path in ("/me/profile", "/me/resume"):
        page = fresh(client, path).get_data(as_text=True)
        assert 'data-testid="read-only"' in page, path
    assert '<fieldset class="plain" disabled>' in fresh(client, "/me/profile").get_data(
        as_text=True
    )


def test_reopened_by_a_recruiter_the_file_is_editable_again(client):
    user = factories.make_user("applicant", applicant={"stage": "rejected", "city": "Leeds"})
    recruiter = factories.make_user("recruiter")
    db.session.commit()
    pipeline.move(user.applicant, "profile_complete", actor=recruiter, reason="reopened")
    db.session.commit()
    sign_in(client, user.email)
    assert upload(client).status_code == 302
    assert client.post("/me/profile", data={"action": "draft", "city": "Paris"}).status_code == 302
    db.session.refresh(user.applicant)
    assert user.applicant.city == "Paris"
