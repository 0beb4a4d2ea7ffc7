"""The hiring pipeline as a state machine: the stages and the moves allowed between them.

Each application (applicant x posting) walks the pipeline on its own. ``Applicant.stage`` (and
when it changed, and why it ended) mirrors the applicant's *furthest* application
(`furthest`), so an applicant with one application reads exactly as before applications
existed, and pages that show one stage per person still do.
"""

from dataclasses import dataclass

from portal import audit, clock
from portal.extensions import db
from portal.models import Applicant, Application, StageSpan, User

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


# How far along a stage is, for choosing the application an applicant's own stage mirrors: a live
# application outranks an ended one, and the later stage the earlier.
_RANK: dict[str, int] = {
    stage: rank
    for rank, stage in enumerate(
        (
            "withdrawn",
            "rejected",
            "applied",
            "profile_complete",
            "assessed_failed",
            "assessed_passed",
            "shortlisted",
            "talent_pool",
            "offered",
            "onboarding",
            "active",
        )
    )
}


@dataclass(frozen=True)
class Move:
    applicant_id: int
    from_stage: str
    to_stage: str
    application_id: int | None = None


def furthest(applications: list[Application]) -> Application | None:
    """The application the applicant's own stage mirrors: furthest along, then latest moved."""
    if not applications:
        return None
    return max(
        applications,
        key=lambda a: (_RANK.get(a.stage, 0), a.stage_changed_at, a.id or 0),
    )


def primary_application(applicant: Applicant) -> Application | None:
    """The application a move addressed to the applicant (not to one posting) moves."""
    if not applicant.applications and applicant.id is None:
        db.session.flush()  # a new applicant gets their default application on flush
    return furthest(applicant.applications)


def mirror(applicant: Applicant) -> None:
    """Copy the furthest application's stage, time and exit onto the applicant (flushes nothing)."""
    top = furthest(applicant.applications)
    if top is None:
        return
    fields = ("stage", "stage_changed_at", "exit_reason", "exit_note", "exit_stage")
    if any(getattr(applicant, f) != getattr(top, f) for f in fields):
        for f in fields:
            setattr(applicant, f, getattr(top, f))


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


def move(
    subject: Applicant | Application,
    to_stage: str,
    *,
    actor: User | None,
    reason: str | None = None,
    exit_reason: str | None = None,
) -> Move:
    """Move an application (or, given an applicant, their furthest application) to another stage
    and audit it (the caller commits)."""
    if isinstance(subject, Application):
        application: Application | None = subject
        applicant = subject.applicant
    else:
        applicant = subject
        application = primary_application(applicant)
    # Without an application (none could be made: the applicant is not in a session) the
    # applicant alone moves, as before applications existed.
    target: Applicant | Application = application if application is not None else applicant
    if to_stage not in STAGES:
        raise TransitionError(f"Unknown stage {to_stage!r}.")
    from_stage = target.stage
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
        target.exit_reason = exit_reason or default
        target.exit_note = reason
        target.exit_stage = from_stage
    else:
        target.exit_reason = target.exit_note = target.exit_stage = None
    if application is not None and application.id is None:
        db.session.flush()
    now = clock.now()
    entered = target.stage_changed_at or now
    application_id = application.id if application is not None else None
    db.session.add(StageSpan.between(applicant.id, from_stage, entered, now, application_id))
    target.stage = to_stage
    target.stage_changed_at = now
    if application is not None:
        mirror(applicant)
    # Which posting, once there is more than one to tell apart (one application: as before).
    several = application is not None and len(applicant.applications) > 1
    posting = {"posting_id": application.posting_id} if several else {}
    audit.record(
        "stage.moved",
        actor=actor,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
        reason=reason,
        **({"exit_reason": target.exit_reason} if to_stage in EXITS else {}),
        from_stage=from_stage,
        to_stage=to_stage,
        **posting,
    )
    return Move(applicant.id, from_stage, to_stage, application_id)
