"""The hiring pipeline as a state machine: the stages and the moves allowed between them."""

from dataclasses import dataclass

from portal import audit, clock
from portal.extensions import db
from portal.models import Applicant, StageSpan, User

STAGES: dict[str, str] = {
    "applied": "Applied",
    "profile_complete": "Profile complete",
    "assessed_passed": "Assessed: passed",
    "assessed_failed": "Assessed: not passed",
    "shortlisted": "Shortlisted",
    "offered": "Offered",
    "onboarding": "Onboarding",
    "active": "Active",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}

# Stages from which we, not the applicant, owe the next step (the 3-5 business day SLA).
WAITING_ON_US = frozenset({"profile_complete", "assessed_passed", "assessed_failed", "shortlisted"})

_EXITS = {"rejected", "withdrawn"}
TRANSITIONS: dict[str, frozenset[str]] = {
    "applied": frozenset({"profile_complete"} | _EXITS),
    "profile_complete": frozenset({"assessed_passed", "assessed_failed"} | _EXITS),
    "assessed_failed": frozenset({"assessed_passed"} | _EXITS),
    "assessed_passed": frozenset({"shortlisted", "offered"} | _EXITS),
    "shortlisted": frozenset({"assessed_passed", "offered"} | _EXITS),
    "offered": frozenset({"onboarding", "shortlisted"} | _EXITS),
    "onboarding": frozenset({"active", "shortlisted"} | _EXITS),
    "active": frozenset({"offered", "onboarding"} | _EXITS),
    "rejected": frozenset({"profile_complete", "assessed_passed", "shortlisted"}),
    "withdrawn": frozenset({"applied", "profile_complete"}),
}

REASON_REQUIRED = frozenset({"rejected"})


class TransitionError(ValueError):
    """A move the pipeline does not allow; the message says why."""


@dataclass(frozen=True)
class Move:
    applicant_id: int
    from_stage: str
    to_stage: str


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


def move(
    applicant: Applicant, to_stage: str, *, actor: User | None, reason: str | None = None
) -> Move:
    """Move an applicant to another stage and audit it (the caller commits)."""
    if to_stage not in STAGES:
        raise TransitionError(f"Unknown stage {to_stage!r}.")
    from_stage = applicant.stage
    if not can_move(from_stage, to_stage):
        raise TransitionError(
            f"An applicant cannot move from {STAGES[from_stage]} to {STAGES[to_stage]}."
        )
    reason = (reason or "").strip() or None
    if to_stage in REASON_REQUIRED and not reason:
        raise TransitionError("A rejection needs a reason.")
    now = clock.now()
    entered = applicant.stage_changed_at or now
    db.session.add(StageSpan.between(applicant.id, from_stage, entered, now))
    applicant.stage = to_stage
    applicant.stage_changed_at = now
    audit.record(
        "stage.moved",
        actor=actor,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
        reason=reason,
        from_stage=from_stage,
        to_stage=to_stage,
    )
    return Move(applicant.id, from_stage, to_stage)
