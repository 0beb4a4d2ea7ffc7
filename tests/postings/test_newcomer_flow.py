"""The issue's 'done when', through the pages: from /jobs to the posting, Apply, and the
application lands on that posting with its own answer-by promise."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Application
from tests.postings.helpers import make_posting


def _link(page: str, pattern: str) -> str:
    return re.search(rf'href="({pattern})"', page).group(1)


def test_from_the_board_to_an_application(client, auth, now):
    posting = make_posting("open", slug="medical-reviewer", title="Medical reviewer", answer_days=3)
    make_posting("open", slug="other", title="Other posting")
    db.session.commit()

    # A visitor finds the posting and is asked to sign in (or sign up) to apply.
    board = client.get("/jobs?q=medical").get_data(as_text=True)
    page = client.get(_link(board, '/jobs/[^"]+')).get_data(as_text=True)
    assert "Within 3 business days" in page
    apply_url = _link(page, "/jobs/medical-reviewer/apply")
    assert "/auth/signin" in client.get(apply_url).headers["Location"]

    # Signed in as an applicant, the same button applies to this posting only.
    user = auth.as_role("applicant")
    assert client.get(apply_url).status_code == 200
    assert client.post(apply_url).status_code == 302
    applications = db.session.scalars(
        select(Application).where(Application.applicant_id == user.applicant.id)
    ).all()
    assert posting.id in {a.posting_id for a in applications}
