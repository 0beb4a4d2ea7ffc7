"""What an applicant should do next, worked out from their account and profile."""

from dataclasses import dataclass

from portal.models import User


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str = ""
    endpoint: str | None = None


def next_steps(user: User) -> list[Step]:
    """The checklist on the applicant dashboard, in the order the journey goes."""
    applicant = user.applicant
    assert applicant is not None
    stage = applicant.stage
    return [
        Step("Create your account", True),
        Step(
            "Confirm your email address",
            user.email_verified,
            "Needed before the assessment. Check your inbox for the link.",
        ),
        Step(
            "Complete your experience profile",
            applicant.profile_completed_at is not None,
            "Upload a resume and we will pre-fill the form for you.",
        ),
        Step(
            "Take the ranking assessment",
            stage not in {"applied", "profile_complete"},
            "A timed test of how you compare AI responses.",
            "assessment.rules",
        ),
        Step(
            "Accept an offer and connect Stripe",
            stage in {"onboarding", "active"},
            "We match you to client projects that fit your skills.",
        ),
    ]
