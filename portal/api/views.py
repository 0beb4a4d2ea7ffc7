"""API operations on the token itself and on candidates: search, history, assessment, moves."""

from typing import Any

from flask import current_app, g, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import clock
from portal.api import pagination, schemas, services
from portal.api.problems import ApiError
from portal.api.routing import bp
from portal.api.spec import document, operation
from portal.assessment.results import attempt_breakdown
from portal.extensions import db
from portal.models import Applicant, Attempt, AuditEvent, User
from portal.recruiters import filters as search

ID = "<int(min=1, max=2147483647):applicant_id>"


def context() -> Any:
    """What SpecTree validated for this request (query, json, headers)."""
    return request.context  # type: ignore[attr-defined]


def not_found(exc: services.NotFound) -> ApiError:
    return ApiError(404, str(exc))


def _live_candidate(applicant_id: int) -> Applicant:
    """The candidate, or the API's 404 problem."""
    try:
        return services.live_applicant(applicant_id)
    except services.NotFound as exc:
        raise not_found(exc) from exc


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the operations below."""
    return current_app.json.response(document())


@bp.get("/docs")
def docs() -> str:
    """The document rendered by Swagger UI, served from static/vendor (no CDN)."""
    return render_template("api/docs.html", spec_url=url_for("api.openapi"))


@bp.get("/token")
@operation(None, tags=("token",), ok={200: schemas.TokenInfo})
def token_info() -> schemas.TokenInfo:
    """The token making this request: its scopes, owner and expiry."""
    token = g.api_token
    return schemas.TokenInfo(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        scopes=token.scopes,
        owner_email=token.user.email,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
    )


def _search_args(query: schemas.CandidateQuery) -> MultiDict[str, str]:
    """The recruiters' filter query string for these parameters (their parser checks it)."""
    values = query.model_dump(exclude={"limit", "cursor"}, exclude_none=True, mode="json")
    for name in ("rate_min", "rate_max"):
        cents = values.pop(f"{name}_cents", None)
        if cents is not None:
            values[name] = f"{cents / 100:.2f}"
    return MultiDict({key: str(value) for key, value in values.items()})


@bp.get("/candidates")
@operation(
    "candidates:read",
    tags=("candidates",),
    ok={200: schemas.CandidatePage},
    errors=(400,),
    query=schemas.CandidateQuery,
)
def list_candidates() -> schemas.CandidatePage:
    """Search candidates with the recruiters' filters and list orders (cursor-paginated)."""
    query: schemas.CandidateQuery = context().query
    args = _search_args(query)
    try:
        filters = search.parse_filters(args)
    except search.FilterError as exc:
        raise ApiError(
            422,
            " ".join(exc.messages),
            errors=[{"field": None, "message": m} for m in exc.messages],
        ) from exc
    start = pagination.decode(query.cursor, "candidates", dict(args)) or 0
    now = clock.now()
    dialect = db.session.get_bind().dialect.name
    ids = list(
        db.session.scalars(
            search.ids_query(filters, now, dialect).offset(start).limit(query.limit + 1)
        )
    )
    more = len(ids) > query.limit
    rows = search.load_rows(ids[: query.limit], now, filters.posting)
    return schemas.CandidatePage(
        data=[
            schemas.CandidateSummary(
                id=row.id,
                name=row.display_name,
                email=row.email,
                stage=row.stage,
                stage_changed_at=row.stage_changed_at,
                country=row.country,
                domains=list(row.domains or []),
                weekly_hours=row.weekly_hours,
                desired_rate_cents=row.desired_rate_cents,
                score=row.score,
                passed=row.passed,
                tags=row.tags,
                sla=row.sla,
                business_days_in_stage=row.waited,
                postings=[line.slug for line in row.applications],
            )
            for row in rows
        ],
        next_cursor=(
            pagination.encode("candidates", start + query.limit, dict(args)) if more else None
        ),
    )


@bp.get(f"/candidates/{ID}")
@operation("candidates:read", tags=("candidates",), ok={200: schemas.Candidate})
def get_candidate(applicant_id: int) -> schemas.Candidate:
    """One candidate's profile and stage."""
    a = _live_candidate(applicant_id)
    return schemas.Candidate(
        id=a.id,
        name=a.display_name,
        email=a.user.email,
        stage=a.stage,
        stage_changed_at=a.stage_changed_at,
        country=a.country,
        city=a.city,
        timezone=a.timezone,
        domains=list(a.domains or []),
        skills=list(a.skills or []),
        languages=[dict(x) for x in a.languages or [] if isinstance(x, dict)],
        years_experience=a.years_experience,
        weekly_hours=a.weekly_hours,
        desired_rate_cents=a.desired_rate_cents,
        earliest_start=a.earliest_start,
        created_at=a.created_at,
        profile_completed_at=a.profile_completed_at,
    )


@bp.get(f"/candidates/{ID}/stages")
@operation("candidates:read", tags=("candidates",), ok={200: schemas.StageHistory})
def stage_history(applicant_id: int) -> schemas.StageHistory:
    """Every stage move of a candidate, oldest first, with its reason and who made it."""
    a = _live_candidate(applicant_id)
    rows = db.session.execute(
        select(AuditEvent, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.applicant_id == a.id, AuditEvent.action == "stage.moved")
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    return schemas.StageHistory(
        applicant_id=a.id,
        stage=a.stage,
        data=[
            schemas.StageChange(
                id=event.id,
                from_stage=(event.details or {}).get("from_stage"),
                to_stage=(event.details or {}).get("to_stage"),
                reason=event.reason,
                actor_email=email,
                moved_at=event.created_at,
            )
            for event, email in rows
        ],
    )


@bp.get(f"/candidates/{ID}/assessment")
@operation("candidates:read", tags=("candidates",), ok={200: schemas.AssessmentSummary})
def assessment_summary(applicant_id: int) -> schemas.AssessmentSummary:
    """A candidate's assessment attempts: scores, components and reasons (never items or gold)."""
    a = _live_candidate(applicant_id)
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.applicant_id == a.id).order_by(Attempt.started_at.desc())
    ).all()
    data = []
    for attempt in attempts:
        breakdown = attempt_breakdown(attempt)
        summary = breakdown["attempt"]
        components = {
            ("gold_agreement" if key == "gold" else key): value
            for key, value in (breakdown["components"] or {}).items()
        }
        data.append(
            schemas.AttemptSummary(
                id=summary["id"],
                status=summary["status"],
                started_at=summary["started_at"],
                ended_at=summary["ended_at"],
                score=summary["score"],
                passed=summary["passed"],
                guideline_version=summary["guideline_version"],
                n_items=summary["n_items"],
                answered=summary["answered"],
                components=components,
                reasons=list(breakdown["reasons"] or []),
            )
        )
    return schemas.AssessmentSummary(applicant_id=a.id, data=data)


@bp.post(f"/candidates/{ID}/moves")
@operation(
    "pipeline:write",
    tags=("pipeline",),
    ok={201: schemas.MoveResult},
    body=schemas.MoveRequest,
    idempotent=True,
)
def move_candidate(applicant_id: int) -> tuple[schemas.MoveResult, int]:
    """Move a candidate to another stage: the pipeline's rules, audit and emails, as the UI.

    A rejection needs a reason; a move the pipeline does not allow answers 422.
    """
    body: schemas.MoveRequest = context().json
    try:
        done, event = services.move_stage(
            applicant_id,
            body.to_stage.value,
            actor=g.api_token.user,
            reason=body.reason,
            exit_reason=body.exit_reason.value if body.exit_reason else None,
            template_id=body.template_id,
        )
    except services.NotFound as exc:
        raise not_found(exc) from exc
    except services.Refused as exc:
        raise ApiError(422, str(exc)) from exc
    return schemas.MoveResult(
        applicant_id=done.applicant_id,
        from_stage=done.from_stage,
        to_stage=done.to_stage,
        reason=event.reason,
        moved_at=event.created_at,
        audit_event_id=event.id,
    ), 201
