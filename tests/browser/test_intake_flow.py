"""An applicant uploads a resume, watches it parse without reloading, checks the form, submits."""

from datetime import date, timedelta

import pytest

from portal.extensions import db
from tests import factories
from tests.applicants import samples

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    # Parse on a thread (the embedded default outside tests) so the page really has to poll.
    return {"RESUME_PARSE_IN_THREAD": True}


def test_upload_watch_parse_prefill_and_submit(page, tmp_path):
    user = factories.make_user("applicant", applicant={"full_name": ""})
    db.session.commit()
    resume = tmp_path / "Jane Doe resume.pdf"
    resume.write_bytes(samples.pdf_resume())

    page.goto("/auth/signin")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    page.get_by_role("link", name="Start →").click()
    page.wait_for_url("**/me/resume")

    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/me/resume")
    page.evaluate("window.notReloaded = true")
    page.get_by_test_id("continue").wait_for(state="visible", timeout=60_000)
    assert page.evaluate("window.notReloaded") is True  # the status came by polling
    assert "Done" in page.get_by_test_id("parse-status").inner_text()

    page.get_by_test_id("continue").click()
    page.wait_for_url("**/me/profile")
    assert page.get_by_label("Full name").input_value() == "Jane Q. Doe"
    assert page.get_by_label("City").input_value() == "London"
    assert page.locator('[name="experience-0-company"]').input_value() == "Acme Ltd"

    rows = page.locator('[data-rows="languages"] [data-row]').count()
    page.get_by_role("button", name="+ Add a language").click()
    assert page.locator('[data-rows="languages"] [data-row]').count() == rows + 1
    page.locator('[name="languages-0-language"]').fill("English")
    page.locator('[name="languages-0-level"]').select_option("native")
    page.get_by_label("Software engineering").check()
    page.get_by_label("Hours a week you can work").fill("15")
    page.get_by_label("Earliest start date").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_label("Desired hourly rate (USD)").fill("30")
    page.get_by_label("I agree to the contractor terms.").check()
    page.get_by_label("I agree that my resume").check()
    page.get_by_role("button", name="Submit profile").click()

    page.wait_for_url("**/me/")
    assert page.get_by_test_id("stage").inner_text() == "Profile complete"
    assert page.get_by_text("Profile submitted. We will answer by").is_visible()
    assert page.get_by_test_id("answer-by").is_visible()


def test_parse_finishing_while_the_form_is_open_fills_only_empty_fields(
    page, tmp_path, monkeypatch
):
    import time

    from portal.resumes import tasks

    real = tasks._parse

    def slow(*args):
        time.sleep(3)  # long enough to open the form and type before the parse lands
        return real(*args)

    monkeypatch.setattr(tasks, "_parse", slow)
    user = factories.make_user("applicant", applicant={"full_name": ""})
    db.session.commit()
    resume = tmp_path / "cv.txt"
    resume.write_bytes(samples.text_resume())

    page.goto("/auth/signin")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    page.goto("/me/resume")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/me/resume")
    page.goto("/me/profile")
    assert page.get_by_label("Full name").input_value() == ""
    page.get_by_label("City").fill("Manchester")

    page.get_by_text("We filled the empty fields below").wait_for(state="visible", timeout=60_000)
    assert page.get_by_label("Full name").input_value() == "Jane Q. Doe"
    assert page.get_by_label("City").input_value() == "Manchester"  # typed, so kept
    assert page.locator('[name="experience-1-company"]').input_value() == "Widgets plc"
