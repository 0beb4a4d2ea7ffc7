"""In a browser: the admin offers a seat from the matches page and the contractor accepts it."""

import pytest

from portal.extensions import db
from tests import factories
from tests.factories import make_candidate, make_project
from tests.factories import publish_guideline as publish

pytestmark = pytest.mark.browser


def _sign_in(page, email: str) -> None:
    page.goto("/auth/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_offers_and_contractor_accepts(page):
    admin = factories.make_user("admin")
    project = make_project(title="Code review RLHF", headcount=1)
    publish(project, 1, "# Code review\n\nFind the **bug** first.")
    person = make_candidate(90, full_name="Ines Duarte")
    db.session.commit()
    admin_email, person_email = admin.email, person.user.email

    _sign_in(page, admin_email)
    page.goto(f"/admin/projects/{project.id}/matches")
    assert page.get_by_role("link", name="Ines Duarte").is_visible()
    page.get_by_role("link", name="Offer…").click()
    assert page.get_by_label("Hourly rate ($)").input_value() != ""
    page.get_by_role("button", name="Send offer").click()
    assert page.get_by_text("Offer sent to Ines Duarte.").is_visible()
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, person_email)
    page.get_by_role("link", name="Review and answer").first.click()
    assert page.get_by_test_id("guideline").inner_text().startswith("Code review")
    page.get_by_role("button", name="Accept the offer").click()
    assert page.get_by_text("Tick to confirm you read the guidelines.", exact=True).is_visible()
    page.get_by_label("I have read and will follow the project guidelines above.").check()
    page.get_by_label("I accept the contractor agreement.").check()
    page.get_by_role("button", name="Accept the offer").click()
    page.wait_for_url("**/me/offers/")
    assert page.get_by_text("Welcome to “Code review RLHF”").is_visible()
