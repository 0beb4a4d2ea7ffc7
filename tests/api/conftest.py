"""Helpers for the API tests: staff with tokens of chosen scopes."""

from typing import Any

import pytest

from portal.api import tokens
from portal.extensions import db
from portal.models import Role
from tests import factories


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def make_token(app):
    def make(*scopes: str, role: Role = Role.ADMIN, **kwargs: Any) -> tokens.NewToken:
        user = factories.make_user(role)
        db.session.commit()
        return tokens.create_token(user, name="test", scopes=list(scopes), **kwargs)

    return make
