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
    "talent_pool": "Talent pool",
    "offered": "Offered",
    "onboarding": "Onboarding",
    "active": "Active",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}

# Stages from which we, not the applicant, owe the next step (the 3-5 business day SLA).
# Not `profile_complete` (the applicant owes the assessment) nor `talent_pool` (shortlisted,
# but no project has a seat for them: nothing is overdue until one opens).
WAITING_ON_US = frozenset({"assessed_passed", "assessed_failed", "shortlisted"})

EXITS = frozenset({"rejected", "withdrawn"})
TRANSITIONS: dict[str, frozenset[str]] = {
    "applied": frozenset({"profile_complete"} | EXITS),
    "profile_complete": frozenset({"assessed_passed", "assessed_failed"} | EXITS),
    "assessed_failed": frozenset({"assessed_passed"} | EXITS),
    "assessed_passed": frozenset({"shortlisted", "offered"} | EXITS),
    "shortlisted": frozenset({"assessed_passed", "offered", "talent_pool"} | EXITS),
    "talent_pool": frozenset({"shortlisted", "offered"} | EXITS),
    "offered": frozenset({"onboarding", "active", "shortlisted"} | EXITS),
    "onboarding": frozenset({"active", "shortlisted"} | EXITS),
    "active": frozenset({"offered", "onboarding"} | EXITS),
    "rejected": frozenset({"profile_complete", "assessed_passed", "shortlisted", "talent_pool"}),
    "withdrawn": frozenset({"applied", "profile_complete"}),
}

REASON_REQUIRED = frozenset({"rejected"})

# Why people leave, for the funnel and for the sentence they read (the free text stays
# internal): code -> (label for staff, what the applicant is told).
EXIT_REASONS: dict[str, tuple[str, str]] = {
    "assessment": (
        "Assessment below the bar",
        "Your assessment result did not reach the level our current projects need.",
    ),
    "experience": (
        "Experience does not fit",
        "Your experience does not match the expertise our clients ask for right now.",
    ),
    "location": (
        "Location or availability",
        "Our projects cannot take contributors from your location or hours at the moment.",
    ),
    "quality": (
        "Work quality",
        "The quality of the submitted work did not meet the project's standard.",
    ),
    "conduct": ("Conduct or policy", "We could not continue under our contributor terms."),
    "no_response": ("No response", "We did not hear back from you."),
    "applicant_choice": ("The applicant's choice", "You withdrew your application."),
    "other": ("Other", "We decided not to continue with your application."),
}


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
    applicant: Applicant,
    to_stage: str,
    *,
    actor: User | None,
    reason: str | None = None,
    exit_reason: str | None = None,
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
    if to_stage in REASON_REQUIRED and not reason and not exit_reason:
        raise TransitionError("A rejection needs a reason.")
    if exit_reason is not None and exit_reason not in EXIT_REASONS:
        raise TransitionError(f"Unknown reason {exit_reason!r}.")
    if to_stage in EXITS:
        default = "applicant_choice" if to_stage == "withdrawn" else "other"
        applicant.exit_reason = exit_reason or default
        applicant.exit_note = reason
        applicant.exit_stage = from_stage
    else:
        applicant.exit_reason = applicant.exit_note = applicant.exit_stage = None
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
        **({"exit_reason": applicant.exit_reason} if to_stage in EXITS else {}),
        from_stage=from_stage,
        to_stage=to_stage,
    )
    return Move(applicant.id, from_stage, to_stage)
