"""Email templates: the variables they may use, rendering in the bounded sandbox, sending.

A template may use only the names in ``TEMPLATE_VARIABLES`` (an unknown name is refused when
it is saved, so a typo never reaches an applicant as an empty string). The posting variables
come from the application the email is about (a move's application; otherwise the applicant's
furthest one), or the default posting (``DEFAULT_POSTING_SLUG``) for a sample applicant.
"""

from datetime import date, datetime
from typing import Any

from jinja2 import TemplateError, meta
from sqlalchemy import select

from portal import audit, clock, pipeline
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Applicant, Application, EmailTemplate, OutboxEmail, Posting, User
from portal.money import format_cents
from portal.recruiters.errors import ActionError
from portal.recruiters.sandbox import BoundedSandbox, TemplateLimitError, render_bounded
from portal.transactions import use_case
from portal.workdays import ANSWER_WITHIN, add_business_days, utc_date

DEFAULT_POSTING_SLUG = "ai-response-rater"

_sandbox = BoundedSandbox(autoescape=False, keep_trailing_newline=True)

TEMPLATE_VARIABLES: dict[str, str] = {
    "first_name": "The applicant's first name",
    "full_name": "The applicant's full name",
    "stage": "The stage they are in, or moved to (its label)",
    "portal_url": "The portal's address",
    "posting_title": "The title of the posting they applied to",
    "pay_band": "The posting's pay band, e.g. “$25.00–$35.00 per hour”",
    "hours_band": "The posting's weekly hours, e.g. “10–20 hours a week”",
    "answer_by": (
        "The date we promise to answer by: the posting's answer-by business days after their "
        "last move, e.g. “Friday 4 December 2026”"
    ),
    "next_step_url": (
        "A link to their next step: the profile, the assessment, their offers, payout "
        "set-up or their dashboard, by stage"
    ),
}
# Names the sandbox provides itself (portal.recruiters.sandbox.BoundedSandbox.globals).
_BUILTINS = frozenset({"range", "loop"})

# Where an applicant goes next, by stage (the dashboard for every other stage).
NEXT_STEP: dict[str, str] = {
    "applied": "applicants.profile",
    "profile_complete": "assessment.rules",
    "offered": "offers.index",
    "onboarding": "payments.index",
}

SAMPLE_NAME = "Alex Example"


def application_for(applicant: Applicant | None) -> Application | None:
    """The application an email about the applicant speaks of: their furthest one."""
    if applicant is None:
        return None
    return pipeline.furthest(list(applicant.applications))


def posting_for(
    applicant: Applicant | None, application: Application | None = None
) -> Posting | None:
    """The posting an email speaks of: the application's, else the default posting."""
    application = application or application_for(applicant)
    if application is not None:
        return application.posting
    return db.session.scalar(select(Posting).where(Posting.slug == DEFAULT_POSTING_SLUG))


def pay_band(posting: Posting | None) -> str:
    if posting is None:
        return ""
    low = format_cents(posting.pay_min_cents, posting.currency)
    high = format_cents(posting.pay_max_cents, posting.currency)
    return f"{low}–{high} per hour" if low != high else f"{low} per hour"


def answer_by(since: datetime | None, posting: Posting | None) -> date:
    """The posting's answer-by business days after `since` (a move; now when None)."""
    days = posting.answer_days if posting is not None else ANSWER_WITHIN[1]
    return add_business_days(utc_date(since or clock.now()), days)


def template_context(
    applicant: Applicant | None, to_stage: str | None, application: Application | None = None
) -> dict[str, Any]:
    """The values of every variable for this applicant and application (default: their
    furthest), or for a sample applicant when None."""
    name = applicant.display_name if applicant is not None else SAMPLE_NAME
    application = application or application_for(applicant)
    current = application or applicant
    stage = to_stage or (current.stage if current is not None else None) or ""
    posting = posting_for(applicant, application)
    return {
        "first_name": name.split()[0] if name else "",
        "full_name": name,
        "stage": pipeline.STAGES.get(stage, stage),
        "portal_url": external_url("main.index"),
        "posting_title": posting.title if posting is not None else "",
        "pay_band": pay_band(posting),
        "hours_band": (
            f"{posting.hours_min}–{posting.hours_max} hours a week" if posting is not None else ""
        ),
        "answer_by": (
            f"{answer_by(current.stage_changed_at if current else None, posting):%A %-d %B %Y}"
        ),
        "next_step_url": external_url(NEXT_STEP.get(stage, "main.dashboard")),
    }


def unknown_variables(*sources: str) -> list[str]:
    """Names the sources use that are not template variables, sorted (syntax errors raise)."""
    used: set[str] = set()
    for source in sources:
        used |= meta.find_undeclared_variables(_sandbox.parse(source))
    return sorted(used - set(TEMPLATE_VARIABLES) - _BUILTINS)


def check_template(subject: str, body: str) -> None:
    """Refuse a template with unknown variables or one that does not render (ActionError)."""
    try:
        unknown = unknown_variables(subject, body)
    except TemplateError as exc:
        raise ActionError(f"The template does not render: {exc}") from exc
    if unknown:
        raise ActionError(
            "Unknown variable(s): "
            + ", ".join(unknown)
            + ". Use only: "
            + ", ".join(TEMPLATE_VARIABLES)
            + "."
        )
    render_template_text(subject, body, template_context(None, None))


def render_template_text(subject: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render a subject and body in the bounded Jinja sandbox; ActionError says what is wrong.

    Both are bounded in size, steps and time (portal.recruiters.sandbox), so a render inside
    a bulk move costs at most a fraction of a second each, whatever the template says.
    """
    try:
        rendered_subject = render_bounded(_sandbox, subject, context)
        rendered_body = render_bounded(_sandbox, body, context)
    except TemplateLimitError as exc:
        raise ActionError(str(exc)) from exc
    except TemplateError as exc:  # includes SecurityError from the sandbox
        raise ActionError(f"The template does not render: {exc}") from exc
    return " ".join(rendered_subject.split()), rendered_body


def email_applicant(
    applicant: Applicant,
    template: EmailTemplate,
    to_stage: str | None,
    application: Application | None = None,
) -> OutboxEmail:
    """Queue `template` rendered for the applicant (and application); the caller commits."""
    subject, body = render_template_text(
        template.subject, template.body, template_context(applicant, to_stage, application)
    )
    return send_email(
        applicant.user.email, subject, body, template=template.key, applicant_id=applicant.id
    )


@use_case
def send_candidate_email(
    applicant: Applicant,
    *,
    actor: User,
    application: Application | None = None,
    template: EmailTemplate | None = None,
    subject: str = "",
    body: str = "",
) -> OutboxEmail:
    """Email a candidate without moving them: a template, or a subject and body written now
    (which may use the same variables). Audited on the candidate; commits."""
    if applicant.deleted_at is not None:
        raise ActionError("This applicant's data was deleted; they cannot be emailed.")
    if application is not None and application.applicant_id != applicant.id:
        raise ActionError("That application is not this applicant's.")
    if template is not None:
        message = email_applicant(applicant, template, None, application)
    else:
        if not subject.strip() or not body.strip():
            raise ActionError("Choose a template, or write a subject and a message.")
        check_template(subject, body)
        context = template_context(applicant, None, application)
        subject, body = render_template_text(subject, body, context)
        message = send_email(applicant.user.email, subject, body, applicant_id=applicant.id)
    audit.record(
        "email.sent",
        actor=actor,
        subject_type="outbox_email",
        subject_id=message.id,
        applicant_id=applicant.id,
        template=template.key if template is not None else None,
        email_subject=message.subject,
        **({"posting_id": application.posting_id} if application is not None else {}),
    )
    return message
