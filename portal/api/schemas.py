"""The API's typed request and response models; the OpenAPI document is generated from them."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from portal.pipeline import EXIT_REASONS, STAGES
from portal.recruiters.filters import SORTS

Stage = StrEnum("Stage", {key: key for key in STAGES})  # type: ignore[misc]
ExitReason = StrEnum("ExitReason", {key: key for key in EXIT_REASONS})  # type: ignore[misc]
SortKey = StrEnum("SortKey", {key: key for key in SORTS})  # type: ignore[misc]

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Filters travel to the database: no control characters (PostgreSQL refuses NUL in text).
Line = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Text = Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]
Cursor = Annotated[str, Field(max_length=500, pattern=r"^[A-Za-z0-9_=-]*$")]
Limit = Annotated[int, Field(ge=1, le=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---


class ProblemField(BaseModel):
    field: str | None = Field(None, description="Where the problem is (a parameter or a field)")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (sent as application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemField] | None = None


# --- tokens ---


class TokenInfo(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    owner_email: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


# --- candidates ---


class CandidateQuery(Strict):
    q: Line | None = Field(None, description="Words that must all appear (profile, resume, notes)")
    stage: Stage | None = None
    domain: Line | None = None
    skills: Line | None = Field(None, description="Comma-separated; every one must match")
    score_min: float | None = Field(None, ge=0, le=100)
    score_max: float | None = Field(None, ge=0, le=100)
    result: Literal["pass", "fail"] | None = None
    hours_min: int | None = Field(None, ge=0, le=80)
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = None
    rate_min_cents: int | None = Field(None, ge=0, le=100_000)
    rate_max_cents: int | None = Field(None, ge=0, le=100_000)
    labelling: Literal["yes", "no"] | None = None
    sla: Literal["ok", "due", "overdue"] | None = None
    tag: Line | None = None
    posting: Line | None = Field(
        None, description="A posting's slug: its applicants, with that application's stage"
    )
    sort: SortKey | None = Field(None, description="The recruiters' list orders; default sla")
    dir: Literal["asc", "desc"] | None = None
    limit: Limit = 50
    cursor: Cursor | None = Field(None, description="next_cursor of the previous page")


class CandidateSummary(BaseModel):
    id: int
    name: str
    email: str
    stage: str
    stage_changed_at: datetime
    country: str | None
    domains: list[str]
    weekly_hours: int | None
    desired_rate_cents: int | None
    score: float | None
    passed: bool | None
    tags: list[str]
    sla: Literal["ok", "due", "overdue"] | None
    business_days_in_stage: int
    postings: list[str] = Field(description="Slugs of the postings the candidate applied to")


class CandidatePage(BaseModel):
    data: list[CandidateSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: last")


class Candidate(BaseModel):
    id: int
    name: str
    email: str
    stage: str
    stage_changed_at: datetime
    country: str | None
    city: str | None
    timezone: str | None
    domains: list[str]
    skills: list[str]
    languages: list[dict[str, Any]]
    years_experience: float | None
    weekly_hours: int | None
    desired_rate_cents: int | None
    earliest_start: date | None
    created_at: datetime
    profile_completed_at: datetime | None


class StageChange(BaseModel):
    id: int = Field(description="The audit event's id")
    from_stage: str | None
    to_stage: str | None
    reason: str | None
    actor_email: str | None
    moved_at: datetime


class StageHistory(BaseModel):
    applicant_id: int
    stage: str
    data: list[StageChange] = Field(description="Oldest first")


class AttemptSummary(BaseModel):
    id: int
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    score: float | None
    passed: bool | None
    guideline_version: int | None
    n_items: int | None
    answered: int
    components: dict[str, float | None] = Field(
        description="Component rates 0..1 (agreement, attention, broken-item flags …)"
    )
    reasons: list[str]


class AssessmentSummary(BaseModel):
    """Scores and reasons only: no item, answer or gold is ever part of it."""

    applicant_id: int
    data: list[AttemptSummary] = Field(description="Newest first")


class MoveRequest(Strict):
    to_stage: Stage
    reason: Text | None = Field(None, description="Internal note on the move")
    exit_reason: ExitReason | None = Field(
        None, description="Why they leave (required for a rejection): a code of the reason list"
    )
    template_id: Id | None = Field(None, description="An email template to send the applicant")


class MoveResult(BaseModel):
    applicant_id: int
    from_stage: str
    to_stage: str
    reason: str | None
    moved_at: datetime
    audit_event_id: int


# --- projects, assignments, offers ---------------------------------------------------------------


class ListQuery(Strict):
    limit: Limit = 50
    cursor: Cursor | None = None


class ProjectQuery(ListQuery):
    status: Literal["draft", "open", "staffed", "closed"] | None = None


class Project(BaseModel):
    id: int
    title: str
    client_id: int
    client_name: str
    status: str
    description: str
    domains: list[str]
    skills: list[str]
    languages: list[str]
    min_score: float
    hours_min: int
    hours_max: int
    rate_min_cents: int
    rate_max_cents: int
    currency: str
    allowed_countries: list[str]
    headcount: int
    seats_filled: int
    starts_on: date | None
    ends_on: date | None
    created_at: datetime


class ProjectPage(BaseModel):
    data: list[Project]
    next_cursor: str | None


AssignmentStatus = Literal[
    "offered", "accepted", "active", "ended", "declined", "lapsed", "withdrawn"
]


class AssignmentQuery(ListQuery):
    status: AssignmentStatus | None = None
    project_id: Id | None = None
    applicant_id: Id | None = None


class OfferQuery(ListQuery):
    project_id: Id | None = None
    applicant_id: Id | None = None


class Assignment(BaseModel):
    id: int
    project_id: int
    applicant_id: int
    status: str
    hourly_rate_cents: int
    currency: str
    weekly_hours: int
    starts_on: date | None
    match_score: float | None
    rate_reasons: list[str]
    offered_at: datetime
    expires_at: datetime | None
    responded_at: datetime | None
    ended_at: datetime | None


class AssignmentPage(BaseModel):
    data: list[Assignment]
    next_cursor: str | None


class OfferRequest(Strict):
    applicant_id: Id
    weekly_hours: int | None = Field(None, ge=1, le=80, description="Default: the project's min")
    hourly_rate_cents: int | None = Field(
        None, ge=0, le=100_000, description="Default: the rate card's quote"
    )
    starts_on: date | None = None
    expires_at: AwareDatetime | None = Field(None, description="Default: in 7 days")

    @field_validator("expires_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """Stored in UTC: a time that has no UTC equivalent (year 9999 at -12:00) is invalid."""
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("expires_at is out of range") from exc


# --- money ---

Week = Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$", description="An ISO week, 2026-W47")]


class TimesheetQuery(ListQuery):
    week: Week | None = None
    status: Literal["draft", "submitted", "approved", "rejected", "paid"] | None = None
    applicant_id: Id | None = None


class Timesheet(BaseModel):
    id: int
    assignment_id: int
    project_id: int
    applicant_id: int
    week: str
    hours_per_day: list[float] = Field(description="Monday first")
    total_hours: float
    status: str
    amount_cents: int
    currency: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    payout_id: int | None


class TimesheetPage(BaseModel):
    data: list[Timesheet]
    next_cursor: str | None


class PayoutQuery(ListQuery):
    week: Week | None = None
    status: Literal["pending", "failed", "paid"] | None = None
    applicant_id: Id | None = None


class Payout(BaseModel):
    id: int
    applicant_id: int
    week: str
    amount_cents: int
    currency: str
    status: str
    transfer_id: str | None
    failure_code: str | None
    failure_reason: str | None
    created_at: datetime
    paid_at: datetime | None


class PayoutPage(BaseModel):
    data: list[Payout]
    next_cursor: str | None


class IdempotencyHeaders(BaseModel):
    idempotency_key: Annotated[str, Field(pattern=r"^[\x21-\x7e]{1,255}$")] | None = Field(
        None,
        alias="Idempotency-Key",
        description="Retry safely: the same key and body replay the first response (24 h)",
    )
