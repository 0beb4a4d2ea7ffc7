"""The funnel's exits: per step, who reached it and who left from it, by structured reason."""

from contextlib import contextmanager

from sqlalchemy import event, func, select

from portal import pipeline
from portal.extensions import db
from portal.models import Applicant, Application, Posting
from portal.recruiters import exits
from tests.factories import make_listed_candidate as candidate


def _leave(subject: Applicant | Application, to_stage: str, reason: str) -> None:
    pipeline.move(subject, to_stage, actor=None, reason="note", exit_reason=reason)
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
    _people()  # all on the default posting
    medical = Posting(slug="medical-reviewer", title="Medical reviewer", status="open")
    db.session.add(medical)
    db.session.commit()
    db.session.add(Application(applicant=candidate(stage="applied"), posting=medical))
    nurse = candidate(stage="applied")
    db.session.add(Application(applicant=nurse, posting=medical))
    db.session.commit()
    nurse_application = next(a for a in nurse.applications if a.posting_id == medical.id)
    _leave(nurse_application, "withdrawn", "location")
    page = client.get("/recruiter/reports/exits").get_data(as_text=True)
    assert "Why people leave" in page and "Medical reviewer" in page
    row = page[page.index('data-step="assessed"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="reached">6</td>' in row and '<td class="left">2</td>' in row
    assert '<td data-reason="assessment">2</td>' in row
    assert "13 applications counted" in page  # 11 people, two of them on two postings
    one = client.get("/recruiter/reports/exits?posting=medical-reviewer").get_data(as_text=True)
    assert "2 applications counted" in one
    applied = one[one.index('data-step="applied"') :]
    applied = applied[: applied.index("</tr>")]
    assert '<td class="reached">2</td>' in applied
    assert '<td data-reason="location">1</td>' in applied
    assert client.get("/recruiter/reports/exits?posting=nope").status_code == 404


def test_people_who_left_before_the_stage_was_recorded_are_shown_apart(app):
    _people()
    legacy = candidate(stage="rejected")
    legacy.exit_reason = "conduct"  # rejected before exit stages were recorded
    db.session.commit()
    report = exits.exit_report()
    assert report.unplaced == {"conduct": 1}
    assert sum(r.left_total for r in report.rows) == 5
    assert db.session.scalar(select(func.count()).select_from(Applicant)) == 10
