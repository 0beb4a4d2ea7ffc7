"""Shared fixtures: an app on a fresh database per test, a signed-in client, live server.

Set TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL to run against the real services; CI
does, and sets REQUIRE_SERVICES=1 so a missing service fails the run instead of skipping.
"""

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete
from werkzeug.serving import make_server

from portal import clock, create_app
from portal.extensions import db
from portal.models import user as user_model
from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# When the frozen clock (the `now` fixture) starts: a Monday morning, UTC.
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class FrozenClock:
    """The server's clock, moved by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Freeze ``portal.clock.now`` (and so every "now" in the app) at START; move it by hand."""
    frozen = FrozenClock(START)
    monkeypatch.setattr(clock, "now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def _fast_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash each test password once per test, not once per user (scrypt is slow on purpose)."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lru_cache(maxsize=8)(user_model.generate_password_hash),
    )


def service_missing(what: str) -> None:
    """Skip locally, fail in CI: a test of a real service must not silently vanish."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required in CI (REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} not configured")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database for this test session: a throwaway PostgreSQL database, or a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with postgres_database(url) as scratch:
        yield scratch


class postgres_database:
    """Create a uniquely named database on the server of `url`, drop it afterwards."""

    def __init__(self, url: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        from portal.config import database_uri

        self.base = make_url(database_uri(url))
        self.name = f"portal_test_{uuid.uuid4().hex[:10]}"
        self.admin_dsn = self.base.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self._psycopg = psycopg

    def __enter__(self) -> str:
        with self._psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        with self._psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


_schema_ready: set[str] = set()


def make_app(database_url: str, tmp_path: Path, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CELERY_BROKER_URL": None,
        "MAIL_SERVER": None,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SERVER_NAME": "localhost",
        "STRIPE_SECRET_KEY": None,
        # Tests log "last week" on any day: the deadline tests turn it back on.
        "TIMESHEET_CLOSES_AFTER_HOURS": None,
        # Every request sees the rows the test just wrote (tests/perf turns the reuse on).
        "DASHBOARD_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override per test module with extra config for the `app` fixture."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path, **app_config)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        yield app
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(delete(table))
        db.engine.dispose()


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = factories.PASSWORD) -> Any:
        return self.client.post(
            "/auth/signin", data={"email": email, "password": password}, follow_redirects=False
        )

    def logout(self) -> Any:
        return self.client.post("/auth/signout")

    def as_role(self, role: str, **kwargs: Any) -> Any:
        user = factories.make_user(role, **kwargs)
        db.session.commit()
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def live_server_url(app: Flask) -> Iterator[str]:
    """Serve the test app on 127.0.0.1 in a thread (for the browser tests)."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
