"""API operations on projects, assignments and offers, and (read-only) timesheets and payouts."""

from typing import Any

from flask import g
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal import clock
from portal.api import pagination, schemas, services
from portal.api.problems import ApiError
from portal.api.routing import bp
from portal.api.spec import operation
from portal.api.views import context, not_found
from portal.extensions import db
from portal.models import Assignment, Payout, Project, Timesheet
from portal.payments.timesheets import sheet_amount
from portal.projects.services.features import seats_filled

PROJECT_ID = "<int(min=1, max=2147483647):project_id>"
ASSIGNMENT_ID = "<int(min=1, max=2147483647):assignment_id>"


def _page(stmt: Select[Any], model: Any, kind: str, query: Any) -> tuple[list[Any], str | None]:
    """Newest first, keyset on the id: the cursor is the last id of the page."""
    filters = query.model_dump(exclude={"limit", "cursor"}, exclude_none=True, mode="json")
    after = pagination.decode(query.cursor, kind, filters)
    if after is not None:
        stmt = stmt.where(model.id < after)
    rows = list(db.session.scalars(stmt.order_by(model.id.desc()).limit(query.limit + 1)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return rows, (pagination.encode(kind, rows[-1].id, filters) if more and rows else None)


def _project(p: Project, filled: int) -> schemas.Project:
    return schemas.Project(
        id=p.id,
        title=p.title,
        client_id=p.client_id,
        client_name=p.client.name,
        status=p.status,
        description=p.description or "",
        domains=list(p.domains or []),
        skills=list(p.skills or []),
        languages=list(p.languages or []),
        min_score=p.min_score,
        hours_min=p.hours_min,
        hours_max=p.hours_max,
        rate_min_cents=p.rate_min_cents,
        rate_max_cents=p.rate_max_cents,
        currency=p.currency,
        allowed_countries=list(p.allowed_countries or []),
        headcount=p.headcount,
        seats_filled=filled,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        created_at=p.created_at,
    )


def _assignment(a: Assignment) -> schemas.Assignment:
    return schemas.Assignment(
        id=a.id,
        project_id=a.project_id,
        applicant_id=a.applicant_id,
        status=a.status,
        hourly_rate_cents=a.hourly_rate_cents,
        currency=a.currency,
        weekly_hours=a.weekly_hours,
        starts_on=a.starts_on,
        match_score=a.match_score,
        rate_reasons=list(a.rate_reasons or []),
        offered_at=a.offered_at,
        expires_at=a.expires_at,
        responded_at=a.responded_at,
        ended_at=a.ended_at,
    )


@bp.get("/projects")
@operation(
    "projects:read",
    tags=("projects",),
    ok={200: schemas.ProjectPage},
    errors=(400,),
    query=schemas.ProjectQuery,
)
def list_projects() -> schemas.ProjectPage:
    """Client projects, newest first, with how many seats are filled."""
    query: schemas.ProjectQuery = context().query
    stmt = select(Project).options(joinedload(Project.client))
    if query.status:
        stmt = stmt.where(Project.status == query.status)
    rows, cursor = _page(stmt, Project, "projects", query)
    filled = seats_filled([p.id for p in rows]) if rows else {}
    return schemas.ProjectPage(
        data=[_project(p, filled.get(p.id, 0)) for p in rows], next_cursor=cursor
    )


@bp.get(f"/projects/{PROJECT_ID}")
@operation("projects:read", tags=("projects",), ok={200: schemas.Project})
def get_project(project_id: int) -> schemas.Project:
    """One client project."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise ApiError(404, f"There is no project {project_id}.")
    return _project(project, seats_filled([project.id]).get(project.id, 0))


@bp.get("/assignments")
@operation(
    "projects:read",
    tags=("projects",),
    ok={200: schemas.AssignmentPage},
    errors=(400,),
    query=schemas.AssignmentQuery,
)
def list_assignments() -> schemas.AssignmentPage:
    """Contractors on projects, every status (offered, accepted, active, ended …), newest first."""
    query: schemas.AssignmentQuery = context().query
    stmt = select(Assignment)
    if query.status:
        stmt = stmt.where(Assignment.status == query.status)
    if query.project_id:
        stmt = stmt.where(Assignment.project_id == query.project_id)
    if query.applicant_id:
        stmt = stmt.where(Assignment.applicant_id == query.applicant_id)
    rows, cursor = _page(stmt, Assignment, "assignments", query)
    return schemas.AssignmentPage(data=[_assignment(a) for a in rows], next_cursor=cursor)


@bp.get("/offers")
@operation(
    "projects:read",
    tags=("projects",),
    ok={200: schemas.AssignmentPage},
    errors=(400,),
    query=schemas.OfferQuery,
)
def list_offers() -> schemas.AssignmentPage:
    """Offers still waiting for an answer (status offered, not expired), newest first."""
    query: schemas.OfferQuery = context().query
    now = clock.now()
    stmt = select(Assignment).where(
        Assignment.status == "offered",
        Assignment.expires_at.is_(None) | (Assignment.expires_at > now),
    )
    if query.project_id:
        stmt = stmt.where(Assignment.project_id == query.project_id)
    if query.applicant_id:
        stmt = stmt.where(Assignment.applicant_id == query.applicant_id)
    rows, cursor = _page(stmt, Assignment, "offers", query)
    return schemas.AssignmentPage(data=[_assignment(a) for a in rows], next_cursor=cursor)


@bp.post(f"/projects/{PROJECT_ID}/offers")
@operation(
    "projects:write",
    tags=("projects",),
    ok={201: schemas.Assignment},
    body=schemas.OfferRequest,
    idempotent=True,
)
def make_offer(project_id: int) -> tuple[schemas.Assignment, int]:
    """Offer a candidate a seat, as the project page does: seats, hours, eligibility, rate card,
    the offer email and the move to Offered. Refusals answer 422 with the reason."""
    body: schemas.OfferRequest = context().json
    try:
        assignment = services.make_offer(
            project_id,
            body.applicant_id,
            actor=g.api_token.user,
            hours=body.weekly_hours,
            rate_cents=body.hourly_rate_cents,
            starts_on=body.starts_on,
            expires_at=body.expires_at,
        )
    except services.NotFound as exc:
        raise not_found(exc) from exc
    except services.Refused as exc:
        raise ApiError(422, str(exc)) from exc
    return _assignment(assignment), 201


@bp.post(f"/offers/{ASSIGNMENT_ID}/withdraw")
@operation(
    "projects:write",
    tags=("projects",),
    ok={200: schemas.Assignment},
    idempotent=True,
)
def withdraw_offer(assignment_id: int) -> schemas.Assignment:
    """Take back an open offer (the candidate returns to the shortlist if it was their last)."""
    try:
        assignment = services.withdraw_offer(assignment_id, actor=g.api_token.user)
    except services.NotFound as exc:
        raise not_found(exc) from exc
    except services.Refused as exc:
        raise ApiError(422, str(exc)) from exc
    return _assignment(assignment)


@bp.get("/timesheets")
@operation(
    "payouts:read",
    tags=("payments",),
    ok={200: schemas.TimesheetPage},
    errors=(400,),
    query=schemas.TimesheetQuery,
)
def list_timesheets() -> schemas.TimesheetPage:
    """Weekly timesheets with their amounts in cents, newest first."""
    query: schemas.TimesheetQuery = context().query
    stmt = select(Timesheet).options(joinedload(Timesheet.assignment))
    if query.week:
        stmt = stmt.where(Timesheet.week == query.week)
    if query.status:
        stmt = stmt.where(Timesheet.status == query.status)
    if query.applicant_id:
        stmt = stmt.where(Timesheet.applicant_id == query.applicant_id)
    rows, cursor = _page(stmt, Timesheet, "timesheets", query)
    return schemas.TimesheetPage(
        data=[
            schemas.Timesheet(
                id=t.id,
                assignment_id=t.assignment_id,
                project_id=t.assignment.project_id,
                applicant_id=t.applicant_id,
                week=t.week,
                hours_per_day=[q / 4 for q in t.quarter_hours or []],
                total_hours=t.total_hours,
                status=t.status,
                amount_cents=sheet_amount(t),
                currency=t.assignment.currency,
                submitted_at=t.submitted_at,
                reviewed_at=t.reviewed_at,
                payout_id=t.payout_id,
            )
            for t in rows
        ],
        next_cursor=cursor,
    )


@bp.get("/payouts")
@operation(
    "payouts:read",
    tags=("payments",),
    ok={200: schemas.PayoutPage},
    errors=(400,),
    query=schemas.PayoutQuery,
)
def list_payouts() -> schemas.PayoutPage:
    """Weekly payouts (integer cents) and their Stripe transfers, newest first."""
    query: schemas.PayoutQuery = context().query
    stmt = select(Payout)
    if query.week:
        stmt = stmt.where(Payout.week == query.week)
    if query.status:
        stmt = stmt.where(Payout.status == query.status)
    if query.applicant_id:
        stmt = stmt.where(Payout.applicant_id == query.applicant_id)
    rows, cursor = _page(stmt, Payout, "payouts", query)
    return schemas.PayoutPage(
        data=[
            schemas.Payout(
                id=p.id,
                applicant_id=p.applicant_id,
                week=p.week,
                amount_cents=p.amount_cents,
                currency=p.currency,
                status=p.status,
                transfer_id=p.transfer_id,
                failure_code=p.failure_code,
                failure_reason=p.failure_reason,
                created_at=p.created_at,
                paid_at=p.paid_at,
            )
            for p in rows
        ],
        next_cursor=cursor,
    )
