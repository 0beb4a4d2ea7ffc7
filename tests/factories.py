"""Every builder of test data, through the same models the app uses (the caller commits).

Users and applicants; projects and screened candidates; recruiting candidates with a resume,
an attempt and notes; contractors with assignments, Stripe accounts and approved weeks; the
API's small world (candidates at several stages, an offer, a contractor, a paid week).
"""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Attempt,
    AttemptItem,
    Client,
    Guideline,
    Item,
    Note,
    Payout,
    Project,
    Resume,
    Role,
    StripeAccount,
    Timesheet,
    User,
)
from portal.models.base import utcnow
from portal.payments.fakestripe import FakeStripeServer
from portal.payments.stripe_gateway import StripeGateway

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_user(role: str | Role = Role.APPLICANT, *, verified: bool = True, **fields: Any) -> User:
    """A user with PASSWORD; applicants get a profile (fields under `applicant=`)."""
    n = next(_seq)
    role = Role(role)
    password = fields.pop("password", PASSWORD)
    profile = fields.pop("applicant", {})
    user = User(
        email=fields.pop("email", f"{role.value}{n}@example.org"),
        name=fields.pop("name", f"Test {role.value.title()} {n}"),
        role=role,
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    user.set_password(password)
    db.session.add(user)
    if role == Role.APPLICANT:
        profile.setdefault("full_name", user.name)
        user.applicant = Applicant(**profile)
    db.session.flush()
    return user


def make_applicant(**profile: Any) -> Applicant:
    """An applicant profile with its user account."""
    verified = profile.pop("verified", True)
    user = make_user(Role.APPLICANT, verified=verified, applicant=profile)
    assert user.applicant is not None
    return user.applicant


def make_project(**fields: Any) -> Project:
    """An open project (10-20 h, $25-35, 2 seats) for a fresh client."""
    client = fields.pop("client", None)
    if client is None:
        client = Client(name=f"Lab {utcnow().timestamp()}-{id(fields)}")
        db.session.add(client)
        db.session.flush()
    values: dict[str, Any] = {
        "title": "Medical QA preference ranking",
        "domains": ["medicine"],
        "languages": ["English"],
        "min_score": 70,
        "hours_min": 10,
        "hours_max": 20,
        "rate_min_cents": 2500,
        "rate_max_cents": 3500,
        "headcount": 2,
        "status": "open",
    }
    values.update(fields)
    project = Project(client_id=client.id, **values)
    db.session.add(project)
    db.session.flush()
    return project


def make_candidate(
    score: float = 85,
    *,
    stage: str = "shortlisted",
    domain_scores: dict[str, float] | None = None,
    **profile: Any,
) -> Applicant:
    """An applicant who took the assessment (score 0-100), with a profile that fits make_project."""
    values: dict[str, Any] = {
        "country": "US",
        "timezone": "America/Chicago",
        "domains": ["medicine"],
        "skills": ["Pharmacology"],
        "languages": [{"language": "English", "level": "native"}],
        "weekly_hours": 20,
        "desired_rate_cents": 3000,
        "years_experience": 4,
        "stage": stage,
    }
    values.update(profile)
    applicant = make_applicant(**values)
    now = utcnow()
    result = None
    if domain_scores:
        result = {
            "per_domain": {d: {"agreement": s / 100, "items": 5} for d, s in domain_scores.items()}
        }
    db.session.add(
        Attempt(
            applicant_id=applicant.id,
            status="submitted",
            started_at=now - timedelta(hours=1),
            deadline=now,
            ended_at=now,
            n_items=20,
            score=score,
            passed=score >= 65,
            result=result,
        )
    )
    db.session.flush()
    return applicant


def publish_guideline(
    project: Project, version: int = 1, body: str = "# Rules\n\nRank carefully."
) -> Guideline:
    guideline = Guideline(project_id=project.id, version=version, title="Guidelines", body_md=body)
    db.session.add(guideline)
    db.session.flush()
    return guideline


def make_listed_candidate(
    *,
    resume_text: str | None = None,
    score: float | None = None,
    passed: bool | None = None,
    note: str | None = None,
    days_in_stage: float = 0,
    **profile: Any,
) -> Applicant:
    """An applicant (committed) with optional resume text, a scored attempt and a note."""
    profile.setdefault("stage", "applied")
    profile["stage_changed_at"] = utcnow() - timedelta(days=days_in_stage)
    applicant = make_applicant(**profile)
    if resume_text is not None:
        db.session.add(
            Resume(
                applicant_id=applicant.id,
                sha256=f"{applicant.id:064x}",
                size=len(resume_text),
                kind="txt",
                filename="cv.txt",
                status="parsed",
                text=resume_text,
                parsed={"skills": profile.get("skills", [])},
            )
        )
    if score is not None:
        db.session.add(
            Attempt(
                applicant_id=applicant.id,
                status="submitted",
                deadline=utcnow(),
                n_items=1,
                score=score,
                passed=passed if passed is not None else score >= 65,
            )
        )
    if note is not None:
        db.session.add(Note(applicant_id=applicant.id, body=note))
    db.session.commit()
    return applicant


def make_scored_attempt(applicant: Applicant) -> Attempt:
    """A scored attempt as the assessment stores it: two pairwise items, the first shown with
    its responses swapped, a rationale, a paste and repeated focus loss."""
    now = utcnow()
    items = [
        Item(
            content_hash=f"h{applicant.id}-{n}",
            kind="pairwise",
            domain="law",
            prompt=f"Which answer is better for case {n}?",
            responses=["Cites the statute.", "Guesses."],
            gold=-2,  # canonical order: A (the statute) is better
            gold_strength=0.9,
        )
        for n in range(2)
    ]
    db.session.add_all(items)
    db.session.flush()
    attempt = Attempt(
        applicant_id=applicant.id,
        status="submitted",
        deadline=now,
        n_items=2,
        score=71.5,
        passed=True,
        focus_losses=6,
        result={
            "score": 71.5,
            "passed": True,
            "reasons": [],
            "components": {"agreement": 0.5},
            "items": [
                {"position": 0, "role": "gold", "credit": 1.0, "agree": True},
                {"position": 1, "role": "gold", "credit": 0.0, "agree": False},
            ],
            "cycles": [],
        },
        signals=[
            {"kind": "paste", "position": 1, "detail": "1 paste event(s)"},
            {"kind": "focus_loss", "position": None, "detail": "left the page 6 times"},
        ],
    )
    attempt.items = [
        AttemptItem(
            position=i,
            item_id=item.id,
            permutation=[1, 0] if i == 0 else [0, 1],
            shown_at=now - timedelta(seconds=40),
            first_answered_at=now - timedelta(seconds=5),
            answered_at=now - timedelta(seconds=5),
            # Answers are stored in the shown order: item 0 showed "Guesses." first, so B is
            # the statute.
            answer={"choice": 2, "rationale": "B cites the statute"} if i == 0 else {"choice": 1},
            paste_count=i,
        )
        for i, item in enumerate(items)
    ]
    db.session.add(attempt)
    db.session.commit()
    return attempt


def make_bare_project(title: str = "Ranking sprint") -> Project:
    """A project with only a client and a title (for payments)."""
    client = Client(name=f"Client for {title}")
    project = Project(client=client, title=title, status="open")
    db.session.add(project)
    db.session.flush()
    return project


def make_contractor(
    gateway: StripeGateway | None = None,
    fake: FakeStripeServer | None = None,
    *,
    ready: bool = True,
    rate_cents: int = 3000,
    weekly_hours: int = 20,
    project: Project | None = None,
    stage: str = "active",
    assignment_status: str = "active",
    applicant: Applicant | None = None,
) -> tuple[Applicant, Assignment]:
    """An applicant (new unless given) with an assignment and, given a gateway, a connected
    account in the fake."""
    if applicant is None:
        user = make_user("applicant", applicant={"stage": stage, "country": "US"})
        applicant = user.applicant
        assert applicant is not None
    user = applicant.user
    project = project or make_bare_project(f"Project {user.id}")
    assignment = Assignment(
        project_id=project.id,
        applicant_id=applicant.id,
        status=assignment_status,
        hourly_rate_cents=rate_cents,
        weekly_hours=weekly_hours,
    )
    db.session.add(assignment)
    if gateway is not None:
        account_id = gateway.create_express_account(user.email, "US")
        if ready and fake is not None:
            fake.complete_onboarding(account_id)
        db.session.add(
            StripeAccount(
                applicant_id=applicant.id,
                stripe_account_id=account_id,
                status="ready" if ready else "incomplete",
                details_submitted=ready,
                payouts_enabled=ready,
                transfers_active=ready,
                currently_due=[] if ready else ["external_account"],
            )
        )
    db.session.flush()
    return applicant, assignment


def approved_sheet(assignment: Assignment, week: str, quarters: list[int]) -> Timesheet:
    sheet = Timesheet(
        assignment_id=assignment.id,
        applicant_id=assignment.applicant_id,
        week=week,
        quarter_hours=quarters,
        status="approved",
    )
    db.session.add(sheet)
    db.session.flush()
    return sheet


@dataclass
class ApiWorld:
    project: Project
    offered: Assignment
    active: Assignment
    shortlisted: Applicant
    fresh: Applicant


def make_api_world() -> ApiWorld:
    """Candidates at several stages, a project with an open offer and an active contractor,
    and a paid timesheet week with its payout: something for every API operation to read."""
    now = utcnow()
    project = make_project(headcount=5)
    shortlisted = make_candidate(90, stage="shortlisted", full_name="Sam Short")
    offered_person = make_candidate(88, stage="offered", full_name="Olu Offered")
    worker = make_candidate(92, stage="active", full_name="Ada Active")
    fresh = make_applicant(full_name="Pat Profile", stage="profile_complete")
    make_applicant(full_name="Ria Rejected", stage="rejected")
    offered = Assignment(
        project=project,
        applicant_id=offered_person.id,
        status="offered",
        hourly_rate_cents=3000,
        weekly_hours=10,
        offered_at=now,
        expires_at=now + timedelta(days=7),
    )
    active = Assignment(
        project=project,
        applicant_id=worker.id,
        status="active",
        hourly_rate_cents=3100,
        weekly_hours=15,
        offered_at=now - timedelta(days=20),
    )
    db.session.add_all([offered, active])
    db.session.flush()
    payout = Payout(
        applicant_id=worker.id,
        week="2026-W46",
        amount_cents=31000,
        status="paid",
        idempotency_key=f"test-{worker.id}-2026-W46",
        transfer_group=f"tg-{worker.id}",
        transfer_id=f"tr_test_{worker.id}",
        paid_at=now,
    )
    db.session.add(payout)
    db.session.flush()
    db.session.add(
        Timesheet(
            assignment_id=active.id,
            applicant_id=worker.id,
            week="2026-W46",
            quarter_hours=[40, 0, 0, 0, 0, 0, 0],
            status="paid",
            payout_id=payout.id,
        )
    )
    db.session.flush()
    return ApiWorld(project, offered, active, shortlisted, fresh)
