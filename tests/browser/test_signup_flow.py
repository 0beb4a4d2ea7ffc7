import pytest
from sqlalchemy import select

from portal.auth.services import make_token
from portal.extensions import db
from portal.models import User

pytestmark = pytest.mark.browser


def test_sign_up_then_the_emailed_link_lands_on_applicant_dashboard(page):
    page.goto("/")
    page.get_by_role("link", name="Apply in 10 minutes").click()
    page.get_by_label("Full name").fill("Zoë Adeyemi")
    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label("Password", exact=True).fill("a-strong-password")
    page.get_by_label("Repeat password").fill("a-strong-password")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    user = db.session.scalar(select(User).where(User.email == "zoe@example.org"))
    page.goto(f"/auth/verify/{make_token(user, 'verify')}")  # the link in the email
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", name="Hello, Zoë Adeyemi").is_visible()
    assert page.get_by_test_id("stage").inner_text() == "Applied"


def test_sign_up_error_keeps_input(page):
    page.goto("/auth/signup")
    page.get_by_label("Full name").fill("Zoë Adeyemi")
    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password").fill("short")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("Use at least 10 characters.", exact=True).is_visible()
    assert page.get_by_label("Full name").input_value() == "Zoë Adeyemi"
