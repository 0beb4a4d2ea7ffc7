"""A real browser takes an attempt: answers autosave, a reload keeps them, submitting scores it."""

import re

import pytest
from playwright.sync_api import expect

from assessments import BANK_ITEMS
from portal.assessment.bank import import_items, publish_guideline
from portal.extensions import db
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"ASSESSMENT_ITEMS": 8, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def applicant(app):
    import_items(BANK_ITEMS, "native", status="live")
    publish_guideline("Guidelines", "# Guidelines\n\nPrefer **correct** answers.", None, actor=None)
    user = factories.make_user(
        "applicant", email="lena@example.org", applicant={"stage": "profile_complete"}
    )
    db.session.commit()
    return user


def answer_current_item(page):
    """Answer whatever item is shown and wait for the autosave to confirm."""
    if page.locator('input[name="choice"]').count():
        page.get_by_label("A is better", exact=True).check()
    else:
        selects = page.locator('select[name^="rank_"]')
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")


def test_take_reload_and_submit(page, applicant):
    page.goto("/auth/signin")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/assessment/")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/assessment/attempt/0")
    expect(page.get_by_test_id("countdown")).to_contain_text("left")

    answer_current_item(page)
    page.get_by_label("Rationale").fill("Response A answers the question; B does not.")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")
    page.get_by_role("button", name="Next →").click()
    page.wait_for_url("**/assessment/attempt/1")
    answer_current_item(page)

    page.goto("/assessment/attempt/0")
    page.reload()
    expect(page.get_by_label("Rationale")).to_have_value(
        "Response A answers the question; B does not."
    )
    if page.locator('input[name="choice"]').count():
        expect(page.get_by_label("A is better", exact=True)).to_be_checked()
    else:
        expect(page.locator('select[name="rank_0"]')).to_have_value("1")
    expect(page.locator('.progress-map .cell[data-position="1"]')).to_have_class(
        re.compile(r"\banswered\b")
    )

    page.get_by_role("button", name="Finish…").click()
    page.wait_for_url("**/assessment/attempt/submit")
    page.get_by_role("button", name="Submit the attempt").click()
    page.wait_for_url("**/assessment/result")
    expect(page.get_by_test_id("result")).to_contain_text("Not passed this time")
