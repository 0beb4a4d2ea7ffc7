# ruff: noqa: F811 - the payments fixtures are imported by name and used as arguments
"""Finding 11 (and the house rule): no GET changes state, for any role, on a seeded database.

The demo seed gives every table rows; each GET route is opened with ids of real rows (the
signed-in applicant's own where the table has an applicant), and every table's row count and
content must be the same afterwards.
"""

import hashlib
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import func, select

from portal.demo.people import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Applicant, Timesheet
from portal.workdays import iso_week
from tests.payments.conftest import (  # noqa: F401 - fixtures
    app_config,
    stripe_fake,
    stripe_fake_server,
)

ROLES = {
    "anonymous": None,
    "applicant (applied)": ("applicant", "applied"),
    "applicant (assessed)": ("applicant", "assessed_passed"),
    "contractor (active)": ("applicant", "active"),
    "recruiter": "recruiter@demo.example",
    "admin": "admin@demo.example",
}
# Path arguments that are not row ids.
FIXED = {"chart": "funnel", "position": 0, "token": "not-a-token"}


@pytest.fixture
def seeded(app: Flask) -> Flask:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


def counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table.name: conn.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def digests() -> dict[str, str]:
    """A digest of every table's rows: catches updates, which counts do not."""
    with db.engine.connect() as conn:
        return {
            table.name: hashlib.sha256(
                repr(
                    conn.execute(select(table).order_by(*table.primary_key.columns)).all()
                ).encode()
            ).hexdigest()
            for table in db.metadata.sorted_tables
        }


def argument(name: str, applicant: Applicant | None) -> Any:
    if name in FIXED:
        return FIXED[name]
    if name == "week":
        week = None
        if applicant is not None:
            week = db.session.scalar(
                select(Timesheet.week).where(Timesheet.applicant_id == applicant.id).limit(1)
            )
        return week or db.session.scalar(select(Timesheet.week).limit(1)) or iso_week()
    table = db.metadata.tables.get(name.removesuffix("_id"))
    if table is None:
        return 1
    query = select(func.min(table.c.id))
    if applicant is not None and "applicant_id" in table.c:
        mine = db.session.scalar(query.where(table.c.applicant_id == applicant.id))
        if mine is not None:
            return mine
    return db.session.scalar(query) or 1


def urls(app: Flask, applicant: Applicant | None) -> list[str]:
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {name: argument(name, applicant) for name in rule.arguments}
        found.append(adapter.build(rule.endpoint, values, force_external=False))
    return sorted(set(found))


def sign_in_as(client: Any, who: Any) -> Applicant | None:
    if who is None:
        return None
    if isinstance(who, tuple):
        _, stage = who
        applicant = db.session.scalar(
            select(Applicant).where(Applicant.stage == stage).order_by(Applicant.id).limit(1)
        )
        assert applicant is not None, stage
        email = applicant.user.email
    else:
        email, applicant = who, None
    response = client.post("/auth/signin", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email
    return applicant


def test_no_get_changes_anything_for_any_role(seeded, stripe_fake):
    """With the (fake) Stripe configured, so that payment pages do all they can."""
    writes, opened = [], {}
    for role, who in ROLES.items():
        client = seeded.test_client()
        g.pop("_login_user", None)
        applicant = sign_in_as(client, who)
        statuses = []
        rows_before = digests()
        for url in urls(seeded, applicant):
            before = counts()
            g.pop("_login_user", None)
            response = client.get(url)
            response.get_data()  # streamed exports run to the end
            response.close()
            statuses.append(response.status_code)
            after = counts()
            changed = [f"{t}: {before[t]} -> {n} rows" for t, n in after.items() if n != before[t]]
            if changed:
                writes.append(f"{role}: GET {url} ({response.status_code}): {', '.join(changed)}")
        updated = [t for t, d in digests().items() if d != rows_before[t]]
        if updated:
            writes.append(f"{role}: some GET updated rows of {', '.join(updated)}")
        opened[role] = statuses.count(200)
    assert not writes, "\n".join(writes)
    # The walk reached real pages, not only redirects and 404s.
    thin = {r: n for r, n in opened.items() if n < (5 if r == "anonymous" else 12)}
    assert not thin, f"too few pages answered 200: {thin} of {opened}"
