"""Done when: a newcomer opens /jobs, reads a posting, applies, and a recruiter sees the
application in that posting's pipeline with its own answer-by date."""

import re

from sqlalchemy import select

from portal import pipeline
from portal.applications import services
from portal.extensions import db
from portal.models import User
from tests import factories
from tests.postings.helpers import make_posting


def test_newcomer_applies_from_the_board_and_the_recruiter_sees_it(client, now):
    make_posting(slug="medical-reviewer", title="Medical Reviewer", answer_days=3)
    db.session.commit()
    board = client.get("/jobs").get_data(as_text=True)
    assert "/jobs/medical-reviewer" in board
    page = client.get("/jobs/medical-reviewer").get_data(as_text=True)
    apply_url = re.search(r'href="([^"]*/jobs/medical-reviewer/apply)"', page).group(1)
    to_signin = client.get(apply_url)
    assert to_signin.status_code == 302
    signin = client.get(to_signin.headers["Location"]).get_data(as_text=True)
    signup_url = re.search(r'New here\? <a href="([^"]+)"', signin).group(1).replace("&amp;", "&")
    assert "posting=medical-reviewer" in signup_url
    client.post(
        signup_url,
        data={
            "name": "Nia Newcomer",
            "email": "nia@example.com",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    nia = db.session.scalar(select(User).where(User.email == "nia@example.com")).applicant
    assert [a.posting.slug for a in nia.applications] == ["medical-reviewer"]
    # Profile and assessment (their own pages, tested elsewhere): now it is our turn.
    application = nia.applications[0]
    pipeline.move(application, "profile_complete", actor=None)
    pipeline.move(application, "assessed_passed", actor=None)
    db.session.commit()
    assert str(services.answer_by(application)) == "2026-11-05"  # Monday + 3 business days
    recruiter = factories.make_user("recruiter")
    db.session.commit()
    client.post("/auth/signout")
    client.post("/auth/signin", data={"email": recruiter.email, "password": factories.PASSWORD})
    column = client.get("/recruiter/board?posting=medical-reviewer").get_data(as_text=True)
    assert "Nia Newcomer" in column and "answer by Thu 05 Nov" in column
