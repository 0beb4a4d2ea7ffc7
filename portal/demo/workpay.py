"""Demo pay tied to output, on the live-work project: workload tiers, a week flagged for its
hours, and a guideline change whose check one rater still has to pass.

- Quinn (careful) is on the *expanded* tier, Paulo (paused by the quality rule) on *limited*.
- This week's submitted timesheets: Quinn's hours match the tasks; Rania's are far above them,
  so the approver sees the flag on /admin/timesheets (the week can still be approved).
- Guidelines v2 came with a three-question check: Quinn passed it; Rania signs in and meets
  "The guidelines changed" on /me/work until she answers it on the guidelines page.
"""

import random
from collections.abc import Iterator

from sqlalchemy import select

from portal import clock, guideline_checks
from portal.demo.work import DEMO_PROJECT, RATERS
from portal.extensions import db
from portal.models import Applicant, Assignment, Judgement, Project, Timesheet, User, WorkTask
from portal.payments import tiers
from portal.payments.timesheets import local_today
from portal.projects.services.guidelines import (
    add_guideline_version,
    current_guideline,
    record_acknowledgement,
)
from portal.workdays import iso_week

CHECK = """
Q: A response contains <nooutput>. What do you do?
- Rank it last
- Flag the task as broken *
- Skip it without a reason
Q: Two responses differ only by punctuation. How do you rate them?
- The one with more commas wins
- As a tie, with a short reason *
Q: When is a rationale required?
- Only for ties
- For every judgement *
"""

# email -> (tier, hours logged on today's weekday this week)
PLAN = {
    RATERS[0][0]: ("expanded", 1.5),
    RATERS[1][0]: ("standard", 6.0),
    RATERS[2][0]: ("limited", None),
}


def seed_work_pay() -> Iterator[str]:
    project = db.session.scalar(select(Project).where(Project.title == DEMO_PROJECT))
    if project is None:
        yield "work pay: no live project to add to"
        return
    if current_guideline(project.id) is not None:
        yield "work pay: already there"
        return
    rng = random.Random(29)
    # Judgements made in one instant by the seeder: give them the time raters really take.
    for judgement in db.session.scalars(
        select(Judgement).join(WorkTask).where(WorkTask.project_id == project.id)
    ):
        judgement.seconds = round(rng.uniform(60, 140), 1)
    v1 = add_guideline_version(
        project,
        title="Ranking guidelines",
        body_md="# Ranking guidelines\n\nPrefer the response that answers the prompt truthfully.",
        changelog=None,
        actor=None,
    )
    people = {}
    for email, (tier, hours) in PLAN.items():
        applicant = db.session.scalar(select(Applicant).join(User).where(User.email == email))
        if applicant is None:
            continue
        assignment = db.session.scalar(
            select(Assignment).where(
                Assignment.project_id == project.id, Assignment.applicant_id == applicant.id
            )
        )
        if assignment is None:
            continue
        record_acknowledgement(applicant, v1)
        tiers.set_tier(assignment, tier, actor=None)
        people[email] = (applicant, assignment)
        if hours is not None:
            today = local_today(applicant)  # the week in the contractor's own days
            quarters = [0] * 7
            quarters[today.weekday()] = int(hours * 4)
            db.session.add(
                Timesheet(
                    assignment_id=assignment.id,
                    applicant_id=applicant.id,
                    week=iso_week(today),
                    quarter_hours=quarters,
                    status="submitted",
                    submitted_at=clock.now(),
                    guideline_id=v1.id,
                )
            )
    db.session.flush()
    v2 = add_guideline_version(
        project,
        title="Ranking guidelines",
        body_md=(
            "# Ranking guidelines\n\nPrefer the response that answers the prompt truthfully.\n\n"
            "## Broken tasks\n\nFlag `<nooutput>` and near-duplicates instead of ranking them.\n\n"
            "## Ties\n\nA tie needs a one-line reason, like every other judgement."
        ),
        changelog="Flag <nooutput>; ties need a reason",
        actor=None,
        check_items=guideline_checks.parse(CHECK),
    )
    if RATERS[0][0] in people:
        record_acknowledgement(people[RATERS[0][0]][0], v2)
    db.session.commit()
    yield (
        f"work pay: tiers (expanded, standard, limited), this week's timesheets (one flagged "
        f"for its hours on /admin/timesheets), guidelines v{v2.version} with a check "
        f"({RATERS[1][0]} has yet to pass it)"
    )
