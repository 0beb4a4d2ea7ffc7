"""Helpers for the security regressions: clients that hold a copy of someone's cookies."""

import logging
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from portal.extensions import db
from tests import factories


def fresh(client: FlaskClient, path: str, **kwargs: Any) -> Any:
    """GET as a new request would: forget the user loaded by the previous one.

    The test app keeps one app context open, so Flask-Login's cached user would otherwise
    survive from request to request and hide what the cookies alone decide.
    """
    g.pop("_login_user", None)
    return client.get(path, **kwargs)


def copy_cookies(source: FlaskClient, app: Flask) -> FlaskClient:
    """A second browser holding a copy of every cookie `source` has now."""
    thief = app.test_client()
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value, domain=cookie.domain)
    return thief


def sign_in(client: FlaskClient, email: str, remember: bool = False) -> Any:
    data = {"email": email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    g.pop("_login_user", None)
    response = client.post("/auth/signin", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def applicant_user() -> Any:
    user = factories.make_user("applicant")
    db.session.commit()
    return user


@pytest.fixture(autouse=True)
def portal_loggers_enabled() -> None:
    """Alembic's fileConfig (tests/core/test_migrations.py) disables existing loggers: the
    tests that read the log need the portal's loggers on, whatever ran before them."""
    for name, logger in logging.root.manager.loggerDict.items():
        if name.startswith("portal") and isinstance(logger, logging.Logger):
            logger.disabled = False
