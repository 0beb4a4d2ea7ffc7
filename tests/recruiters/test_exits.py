"""The funnel's exits: per step, who reached it and who left from it, by structured reason."""

from contextlib import contextmanager

from sqlalchemy import event, func, select

from portal import pipeline
from portal.extensions import db
from portal.models import Applicant, Posting
from portal.recruiters import exits
from tests.factories import make_listed_candidate as candidate


def _leave(applicant: Applicant, to_stage: str, reason: str) -> None:
    pipeline.move(applicant, to_stage, actor=None, reason="note", exit_reason=reason)
    db.session.commit()


def _people() -> None:
    for stage in ("applied", "profile_complete", "shortlisted", "active"):
        candidate(stage=stage)
    _leave(candidate(stage="assessed_failed"), "rejected", "assessment")
    _leave(candidate(stage="assessed_failed"), "rejected", "assessment")
    _leave(candidate(stage="shortlisted"), "rejected", "experience")
    _leave(candidate(stage="talent_pool"), "withdrawn", "applicant_choice")
    _leave(candidate(stage="applied"), "withdrawn", "no_response")


@contextmanager
def count_queries():
    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_each_step_counts_who_reached_it_and_who_left_with_which_reason(app):
    _people()
    report = exits.exit_report()
    rows = {r.key: r for r in report.rows}
    # Everyone reached "applied"; people who left count at every step up to the one they left.
    assert rows["applied"].reached == 9
    assert rows["applied"].left == {"no_response": 1}
    assert rows["profile_complete"].reached == 7
    assert rows["assessed"].reached == 6  # two failed and left, four went further
    assert rows["assessed"].left == {"assessment": 2}
    assert rows["assessed_passed"].reached == 4
    assert rows["shortlisted"].reached == 4  # shortlisted, talent pool, both leavers, active
    assert rows["shortlisted"].left == {"experience": 1, "applicant_choice": 1}
    assert rows["active"].reached == 1 and rows["active"].left_total == 0
    assert list(report.reasons) == ["assessment", "experience", "no_response", "applicant_choice"]


def test_the_report_is_one_grouped_query_whatever_the_number_of_people(app):
    _people()
    with count_queries() as few:
        exits.exit_report()
    for _ in range(10):
        _leave(candidate(stage="shortlisted"), "rejected", "location")
    with count_queries() as many:
        report = exits.exit_report()
    assert len(few) == len(many) == 1
    assert "GROUP BY" in many[0].upper()
    assert {r.key: r for r in report.rows}["shortlisted"].left["location"] == 10


def test_the_report_page_filters_by_posting(client, auth):
    auth.as_role("recruiter")
    _people()
    default = Posting(slug="ai-response-rater", title="AI Response Rater")
    other = Posting(slug="medical-reviewer", title="Medical reviewer")
    db.session.add_all([default, other])
    db.session.commit()
    page = client.get("/recruiter/reports/exits").get_data(as_text=True)
    assert "Why people leave" in page and "Medical reviewer" in page
    row = page[page.index('data-step="assessed"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="reached">6</td>' in row and '<td class="left">2</td>' in row
    assert '<td data-reason="assessment">2</td>' in row
    # Until applications per posting exist, everyone applied to the default posting.
    same = client.get(f"/recruiter/reports/exits?posting={default.id}").get_data(as_text=True)
    assert '<td class="reached">9</td>' in same
    none = client.get(f"/recruiter/reports/exits?posting={other.id}").get_data(as_text=True)
    assert "0 applicants counted" in none


def test_people_who_left_before_the_stage_was_recorded_are_shown_apart(app):
    _people()
    legacy = candidate(stage="rejected")
    legacy.exit_reason = "conduct"  # rejected before exit stages were recorded
    db.session.commit()
    report = exits.exit_report()
    assert report.unplaced == {"conduct": 1}
    assert sum(r.left_total for r in report.rows) == 5
    assert db.session.scalar(select(func.count()).select_from(Applicant)) == 10
