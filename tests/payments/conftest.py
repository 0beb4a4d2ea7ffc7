"""Fixtures for the payments tests: the fake Stripe, an app wired to it, ready contractors."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from portal.extensions import db
from portal.models import Applicant, Assignment, Client, Project, StripeAccount, Timesheet
from portal.payments.fakestripe import FakeStripeServer
from portal.payments.stripe_gateway import StripeGateway
from portal.workdays import iso_week
from tests import factories

WEBHOOK_SECRET = "whsec_test_payments"
CONNECT_WEBHOOK_SECRET = "whsec_test_payments_connect"
SECRET_KEY = "sk_test_payments"


@pytest.fixture(scope="session")
def stripe_fake_server() -> Iterator[FakeStripeServer]:
    with FakeStripeServer(balance=10_000_000) as server:
        yield server


@pytest.fixture
def stripe_fake(stripe_fake_server: FakeStripeServer) -> Iterator[FakeStripeServer]:
    stripe_fake_server.reset()
    yield stripe_fake_server
    stripe_fake_server.flush_webhooks()


@pytest.fixture
def app_config(stripe_fake: FakeStripeServer) -> dict[str, Any]:
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": stripe_fake.url,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_CONNECT_WEBHOOK_SECRET": CONNECT_WEBHOOK_SECRET,
    }


@pytest.fixture
def gateway(stripe_fake: FakeStripeServer) -> Iterator[StripeGateway]:
    with StripeGateway(SECRET_KEY, api_base=stripe_fake.url) as gw:
        yield gw


def last_week() -> str:
    return iso_week(date.today() - timedelta(days=7))


def make_project(title: str = "Ranking sprint") -> Project:
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
        user = factories.make_user("applicant", applicant={"stage": stage, "country": "US"})
        applicant = user.applicant
        assert applicant is not None
    user = applicant.user
    project = project or make_project(f"Project {user.id}")
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
