"""In a browser: the proposal page follows a running job and shows the result when it ends."""

import pytest

from portal.extensions import db
from portal.models import ProposalRun
from portal.projects.services.proposal_runs import record_progress, run_proposal
from tests import factories
from tests.factories import make_candidate, make_project

pytestmark = pytest.mark.browser


def test_the_progress_bar_moves_and_the_result_replaces_it(page):
    admin = factories.make_user("admin")
    make_project(title="Code review RLHF", headcount=1)
    make_candidate(90, full_name="Ines Duarte")
    run = ProposalRun(status="running", progress=10, step="Reading candidates")
    db.session.add(run)
    db.session.commit()
    run_id = run.id

    page.goto("/auth/signin")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/admin/projects/proposal/runs/{run_id}")
    assert page.locator("progress").get_attribute("value") == "10"

    record_progress(run_id, 60, "Proving it optimal")
    page.get_by_text("Proving it optimal (60%)").wait_for(timeout=10_000)
    assert page.locator("progress").evaluate("bar => bar.value") == 60

    run_proposal(run_id)  # the job ends: the page reloads itself onto the result
    page.get_by_role("link", name="Ines Duarte").wait_for(timeout=10_000)
    assert page.locator("progress").count() == 0
