"""Build test data through the same models the app uses (the caller commits)."""

import itertools
from typing import Any

from portal.extensions import db
from portal.models import Applicant, Role, User
from portal.models.base import utcnow

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
