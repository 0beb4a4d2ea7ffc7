"""Jinja filters and globals shared by every template."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy import select

from portal.clock import zone
from portal.extensions import db
from portal.links import safe_href
from portal.mail import mask_secrets
from portal.models import Assignment, Role, User
from portal.money import format_cents
from portal.pipeline import STAGES

# The navigation of each role: (endpoint, label). Features add their pages here.
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.APPLICANT: [
        ("applicants.dashboard", "Dashboard"),
        ("assessment.rules", "Assessment"),
        ("offers.index", "Offers"),
        ("work.index", "Work"),
        ("payments.timesheet_week", "Timesheets"),
        ("payments.index", "Payments"),
        ("privacy.index", "Your data"),
    ],
    # The workspace's own sub-navigation (templates/recruiters/_nav.html) lists its pages.
    Role.RECRUITER: [("recruiters.dashboard", "Workspace"), ("account.index", "Account")],
    Role.ADMIN: [
        ("recruiters.dashboard", "Pipeline"),
        ("projects.index", "Projects"),
        ("postings.index", "Postings"),
        ("assessment_admin.items", "Item bank"),
        ("payments_admin.admin_timesheets", "Timesheets"),
        ("payments_admin.admin_payouts", "Payouts"),
        ("admin.dashboard", "Admin"),
        ("account.index", "Account"),
    ],
}


# Contractor pages: shown once someone has had an offer (an applicant has nothing there yet).
CONTRACTOR_PAGES = frozenset(
    {"offers.index", "work.index", "payments.timesheet_week", "payments.index"}
)


def nav_items(user: User) -> list[tuple[str, str]]:
    """The role's navigation; applicants see the contractor pages once they have an offer."""
    items = NAV.get(user.role, [])
    if user.role is Role.APPLICANT and not _has_assignment(user):
        items = [(endpoint, label) for endpoint, label in items if endpoint not in CONTRACTOR_PAGES]
    return items


def _has_assignment(user: User) -> bool:
    if user.applicant is None:
        return False
    found = db.session.scalar(
        select(Assignment.id).where(Assignment.applicant_id == user.applicant.id).limit(1)
    )
    return found is not None


def viewer_timezone() -> ZoneInfo:
    """The signed-in person's timezone when we know it, else UTC."""
    tz_name = None
    if (
        current_user
        and current_user.is_authenticated
        and current_user.role == Role.APPLICANT  # staff have no profile: no query to find out
        and current_user.applicant is not None
    ):
        tz_name = current_user.applicant.timezone
    return zone(tz_name)


def format_datetime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Show a UTC timestamp in the viewer's timezone, with the zone's abbreviation."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(viewer_timezone())
    return f"{local.strftime(fmt)} {local.tzname()}"


@pass_context
def forms_with_errors(context: Context) -> list[Any]:
    """The page's forms that came back with errors: base.html puts a summary of each on top."""
    seen: list[Any] = []
    for value in context.get_all().values():
        if isinstance(value, FlaskForm) and value.errors and value not in seen:
            seen.append(value)
    return seen


def register(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["safe_href"] = safe_href
    app.jinja_env.filters["mask_secrets"] = mask_secrets
    app.jinja_env.globals["STAGES"] = STAGES
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["forms_with_errors"] = forms_with_errors
