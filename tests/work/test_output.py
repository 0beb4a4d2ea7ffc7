"""Pay tied to output: the timesheet week shows the tasks done in it, and hours far above what
the tasks took are flagged for the approver (never blocked)."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, Timesheet
from portal.work import output, queue
from tests.work.helpers import batch_of, live_project, rater

WEEK = "2026-W45"  # START (Mon 2 Nov 2026 09:00 UTC) is in it


def _do_tasks(assignment, n, now, minutes=6):
    for _ in range(n):
        claim = queue.claim_next(assignment.applicant_id, assignment.project_id)
        now.advance(minutes=minutes)
        queue.submit(claim.id, assignment.applicant_id, {"choice": -2, "rationale": "A is apt."})


def _sheet(assignment, hours, week=WEEK, status="submitted"):
    quarters = [int(hours * 4)] + [0] * 6
    sheet = Timesheet(
        assignment_id=assignment.id,
        applicant_id=assignment.applicant_id,
        week=week,
        quarter_hours=quarters,
        status=status,
    )
    db.session.add(sheet)
    db.session.commit()
    return sheet


def test_hours_close_to_the_task_time_pass_and_far_above_are_flagged(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 10, overlap=2)
    careful, padded = rater(project), rater(project)
    db.session.commit()
    _do_tasks(careful, 4, now)  # 4 × 6 min = 0.4 h
    _do_tasks(padded, 4, now)
    ok, high = _sheet(careful, 0.5), _sheet(padded, 8)
    outputs = output.outputs_for([ok, high])
    assert outputs[ok.id].tasks == 4 and round(outputs[ok.id].task_hours, 2) == 0.4
    assert not outputs[ok.id].flagged
    assert outputs[high.id].flagged and "20.0×" in outputs[high.id].reason
    assert outputs[high.id].tasks_per_hour == 0.5


def test_the_ratio_is_a_setting(app, now, tmp_path):
    app.config["WORK_HOURS_TASK_RATIO"] = 25.0
    project = live_project()
    batch_of(project, tmp_path, 4, overlap=1)
    a = rater(project)
    db.session.commit()
    _do_tasks(a, 4, now)
    sheet = _sheet(a, 8)
    assert not output.outputs_for([sheet])[sheet.id].flagged


def test_tasks_count_in_the_contractors_own_week(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 4, overlap=1)
    a = rater(project)
    db.session.get(Applicant, a.applicant_id).timezone = "America/Lima"  # UTC-5
    db.session.commit()
    now.advance(days=6, hours=15)  # Mon 9 Nov 00:00 UTC = Sun 8 Nov 19:00 in Lima
    _do_tasks(a, 1, now, minutes=30)
    now.advance(days=1)  # Mon 9 Nov 19:30 in Lima: the next week
    _do_tasks(a, 2, now, minutes=30)
    this_week, next_week = _sheet(a, 0.5), _sheet(a, 0.5, week="2026-W46", status="draft")
    outputs = output.outputs_for([this_week, next_week])
    assert (outputs[this_week.id].tasks, outputs[next_week.id].tasks) == (1, 2)


def test_projects_without_live_work_are_never_flagged(app, now):
    a = rater(live_project())
    db.session.commit()
    sheet = _sheet(a, 20)
    assert not output.outputs_for([sheet])[sheet.id].flagged


def test_the_approver_sees_the_flag_and_can_still_approve(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 4, overlap=1)
    a = rater(project)
    db.session.commit()
    _do_tasks(a, 2, now)
    _sheet(a, 6)
    auth.as_role("admin")
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert 'data-testid="hours-flag"' in page and "6 h logged for 2 tasks" in page
    assert "Approve" in page  # flagged, not blocked


def test_the_contractor_sees_the_weeks_tasks_on_the_timesheet(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 4, overlap=1)
    a = rater(project)
    db.session.commit()
    _do_tasks(a, 3, now)
    auth.login(db.session.get(Applicant, a.applicant_id).user.email)
    page = client.get(f"/me/payments/timesheets?week={WEEK}").get_data(as_text=True)
    assert 'data-testid="week-output"' in page and "3 tasks" in page


def test_tasks_per_logged_hour_counts_only_hours_that_were_submitted(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 6, overlap=1)
    a = rater(project)
    db.session.commit()
    _do_tasks(a, 6, now)
    _sheet(a, 2)
    _sheet(a, 10, week="2026-W46", status="draft")
    assert output.tasks_per_logged_hour(project.id) == {a.applicant_id: 3.0}
    assert db.session.scalar(select(Timesheet.id).where(Timesheet.week == "2026-W46"))
