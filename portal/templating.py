"""Jinja filters and globals shared by every template."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user

from portal.models import Role, User
from portal.pipeline import STAGES

# The navigation of each role: (endpoint, label). Features add their pages here.
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.APPLICANT: [
        ("applicants.dashboard", "Dashboard"),
        ("assessment.rules", "Assessment"),
        ("offers.index", "Offers"),
        ("payments.timesheet_week", "Timesheets"),
        ("payments.index", "Payments"),
        ("privacy.index", "Your data"),
    ],
    Role.RECRUITER: [
        ("recruiters.dashboard", "Dashboard"),
        ("recruiters.candidates", "Candidates"),
        ("recruiters.board", "Board"),
    ],
    Role.ADMIN: [
        ("recruiters.dashboard", "Pipeline"),
        ("recruiters.candidates", "Candidates"),
        ("projects.index", "Projects"),
        ("assessment_admin.items", "Item bank"),
        ("payments_admin.admin_timesheets", "Timesheets"),
        ("payments_admin.admin_payouts", "Payouts"),
        ("admin.dashboard", "Admin"),
    ],
}


def nav_items(user: User) -> list[tuple[str, str]]:
    return NAV.get(user.role, [])


def viewer_timezone() -> ZoneInfo:
    """The signed-in person's timezone when we know it, else UTC."""
    tz_name = None
    if current_user and current_user.is_authenticated and current_user.applicant is not None:
        tz_name = current_user.applicant.timezone
    try:
        return ZoneInfo(tz_name) if tz_name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_datetime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Show a UTC timestamp in the viewer's timezone, with the zone's abbreviation."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(viewer_timezone())
    return f"{local.strftime(fmt)} {local.tzname()}"


def format_cents(cents: int | None, currency: str = "usd") -> str:
    """Integer cents as money: 3250 -> $32.50."""
    if cents is None:
        return "—"
    symbol = {"usd": "$", "eur": "€", "gbp": "£"}.get(currency.lower(), "")
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    text = f"{sign}{symbol}{cents // 100:,}.{cents % 100:02d}"
    return text if symbol else f"{text} {currency.upper()}"


def register(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.globals["STAGES"] = STAGES
    app.jinja_env.globals["nav_items"] = nav_items
