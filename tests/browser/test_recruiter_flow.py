"""In a browser: a recruiter clears an overdue applicant, from the dashboard to the email."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import EmailTemplate, OutboxEmail
from tests import factories
from tests.factories import make_listed_candidate as candidate

pytestmark = pytest.mark.browser


def test_find_read_score_and_reject_an_overdue_applicant(page):
    recruiter = factories.make_user("recruiter", name="Rita Recruiter")
    db.session.add(
        EmailTemplate(
            key="rejected",
            name="Not this time",
            stage="rejected",
            subject="Your application",
            body="Dear {{ first_name }}, thank you for applying.",
        )
    )
    candidate(
        full_name="Ana Lima",
        stage="assessed_passed",
        score=81,
        resume_text="Drafted commercial leases for a Sao Paulo firm.",
        days_in_stage=12,
    )
    candidate(full_name="Ben Osei", stage="assessed_failed", days_in_stage=9)
    candidate(full_name="Cy Park", stage="assessed_failed", days_in_stage=0)
    email = recruiter.email

    page.goto("/auth/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/recruiter/")
    assert page.locator("#sla-overdue").inner_text() == "2"

    # Find: the overdue queue, then a word from the resume.
    page.locator("a.stat", has=page.locator("#sla-overdue")).click()
    page.wait_for_url("**/recruiter/candidates?sla=overdue")
    rows = page.locator("table.candidates tbody tr")
    assert rows.count() == 2 and "Cy Park" not in rows.all_inner_texts()[0]
    page.get_by_role("searchbox", name="Search").fill("leases")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=leases**")
    assert rows.count() == 1
    page.get_by_role("link", name="Ana Lima").click()

    # Read and score.
    assert page.get_by_text("Drafted commercial leases").first.is_visible()
    page.get_by_label("Domain expertise").select_option("3")
    page.get_by_label("Writing quality").select_option("2")
    page.get_by_label("Judgement").select_option("3")
    page.get_by_label("Reliability").select_option("4")
    page.get_by_label("Overall recommendation").select_option(label="No")
    page.get_by_role("button", name="Save scorecard").click()
    assert page.get_by_text("Scorecard saved.").is_visible()

    # A rejection needs a reason: the form says so and keeps what was chosen.
    page.get_by_label("Move to").select_option(label="Rejected")
    page.get_by_label("Email the applicant").select_option(label="Not this time")
    page.get_by_role("button", name="Move").click()
    assert page.get_by_text(
        "A rejection needs a reason: choose one from the list.", exact=True
    ).is_visible()
    assert page.get_by_label("Move to").input_value() == "rejected"
    why = page.get_by_label("Why (required for a rejection")
    why.select_option(label="Experience does not fit")
    page.get_by_label("Internal note on the move").fill("Needs more drafting practice")
    page.get_by_role("button", name="Move").click()
    assert page.get_by_text("Moved to Rejected and emailed.").is_visible()

    # The dashboard has changed, and Ana has her email.
    page.goto("/recruiter/")
    assert page.locator("#sla-overdue").inner_text() == "1"
    sent = db.session.scalar(select(OutboxEmail).where(OutboxEmail.subject == "Your application"))
    assert sent is not None and sent.body.startswith("Dear Ana")
