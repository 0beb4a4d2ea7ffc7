"""In a browser, keyboard only: a contractor starts the work queue and answers two tasks."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Judgement, TaskClaim
from tests import factories
from tests.work.helpers import live_project, pairwise_record, write_jsonl

pytestmark = pytest.mark.browser

BUDGET = 5  # presses besides the answer itself, from a task's load to the next task


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def focused(page) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement;
            return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.name ? '[' + e.name + ']' : '')
              + (e.value && e.tagName === 'BUTTON' ? '=' + e.value : ''); }"""
    )


def answer_by_keyboard(page, arrows: int, rationale: str) -> list[str]:
    """Tab to the scale, Space then ``arrows`` x ArrowRight, Tab, type, Tab, Enter; returns the
    presses that were not the answer."""
    expect(page.locator("#task-heading")).to_be_focused()
    overhead = ["Tab"]
    page.keyboard.press("Tab")
    assert focused(page) == "input#answer[choice]"
    page.keyboard.press("Space")
    for _ in range(arrows):
        page.keyboard.press("ArrowRight")
    overhead.append("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "textarea#rationale[rationale]"
    page.keyboard.type(rationale)
    overhead.append("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "button[go]=next"
    overhead.append("Enter")
    page.keyboard.press("Enter")
    return overhead


def test_a_contractor_does_two_tasks_with_the_keyboard(page, tmp_path):
    from portal.work.batches import BatchSettings, import_tasks

    project = live_project(title="Haiku preferences")
    path = write_jsonl(tmp_path / "tasks.jsonl", [pairwise_record(i) for i in range(3)])
    import_tasks(project, path, "native", BatchSettings(overlap=1, gold_share=0))
    applicant, _ = factories.make_contractor(project=project)
    db.session.commit()
    email, me, project_id = applicant.user.email, applicant.id, project.id

    page.goto("/auth/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/me/work/{project_id}")
    expect(page.get_by_role("button", name="Start the next task")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/me/work/{project_id}")

    first = answer_by_keyboard(page, 0, "A is a real haiku.")
    expect(page.get_by_text("Saved.")).to_be_visible()
    second = answer_by_keyboard(page, 2, "A slightly better.")
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator("#task-heading")).to_be_focused()
    assert len(first) <= BUDGET and len(second) <= BUDGET, (first, second)

    db.session.expire_all()
    done = db.session.scalars(
        select(Judgement).where(Judgement.applicant_id == me).order_by(Judgement.id)
    ).all()
    assert [j.rationale for j in done] == ["A is a real haiku.", "A slightly better."]
    for judgement, shown in zip(done, (-3, -1), strict=True):
        claim = db.session.get(TaskClaim, judgement.claim_id)
        flipped = claim.permutation != [0, 1]
        assert judgement.answer == {"choice": -shown if flipped else shown}
    assert db.session.scalars(select(TaskClaim.status).order_by(TaskClaim.id)).all() == [
        "done",
        "done",
        "open",
    ]

    page.goto("/me/work/history")
    today = page.get_by_test_id("history-days").locator("tbody tr").first
    expect(today.locator("td").first).to_have_text("2")  # tasks done today
