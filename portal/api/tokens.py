"""Personal API tokens: create (shown once), authenticate, revoke.

Only a SHA-256 of a token is stored: a token is 32 random bytes, so a fast hash is enough (no
password-style stretching), and a database leak gives no usable token. The visible prefix lets a
person tell their tokens apart without the secret.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.models import ApiToken, Role, User
from portal.transactions import use_case

SCOPES: dict[str, str] = {
    "candidates:read": "Search candidates; read their stage history and assessment summary",
    "pipeline:write": "Move candidates between pipeline stages",
    "projects:read": "Read projects, assignments and offers",
    "projects:write": "Make and withdraw offers on projects",
    "tasks:write": "Push task batches to projects and follow their progress",
    "exports:read": "Read the preference data (one record per comparison)",
    "payouts:read": "Read timesheets and payouts",
}

# What each staff role may grant: the same reach as its pages (recruiters see no projects or
# money). Checked when a token is made and again on every request, so a demotion takes effect.
ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.RECRUITER: frozenset({"candidates:read", "pipeline:write"}),
    Role.ADMIN: frozenset(SCOPES),
}

EXPIRY_DAYS = (7, 30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
TOKEN_PREFIX = "tp_"
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token that cannot be made or used; the message says why."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the only time the full token exists outside the caller's hands


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def allowed_scopes(user: User) -> frozenset[str]:
    return ROLE_SCOPES.get(user.role, frozenset())


@use_case
def create_token(
    user: User,
    *,
    name: str,
    scopes: list[str],
    days: int = DEFAULT_EXPIRY_DAYS,
    actor: User | None = None,
) -> NewToken:
    """Make a token for `user`; the returned secret is shown once and never stored."""
    name = " ".join((name or "").split())
    errors = []
    if not name or len(name) > 100 or not name.isprintable():
        errors.append("Give the token a name of 1 to 100 printable characters.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        errors.append(f"Unknown scope(s): {', '.join(unknown)}.")
    elif not scopes:
        errors.append("Choose at least one scope.")
    else:
        denied = sorted(set(scopes) - allowed_scopes(user))
        if denied:
            errors.append(f"A {user.role.value} cannot hold the scope(s): {', '.join(denied)}.")
    if not 1 <= days <= 365:
        errors.append("A token lives 1 to 365 days.")
    if not user.active:
        errors.append("This account is deactivated.")
    if errors:
        raise TokenError(" ".join(errors))
    public = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{public}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=f"{TOKEN_PREFIX}{public}",
        token_hash=hash_token(secret),
        scopes=sorted(set(scopes), key=list(SCOPES).index),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.created",
        actor=actor or user,
        subject_type="api_token",
        subject_id=token.id,
        owner_id=user.id,
        scopes=token.scopes,
        expires_at=token.expires_at.isoformat(),
    )
    return NewToken(token, secret)


@use_case
def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke a token at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit.record(
            "api_token.revoked",
            actor=actor,
            subject_type="api_token",
            subject_id=token.id,
            owner_id=token.user_id,
        )
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def authenticate(header: str | None) -> ApiToken:
    """The token named by an `Authorization: Bearer …` header; TokenError says what is wrong.

    Records the last use (at most once a minute per token, so reads stay cheap); commits that.
    """
    scheme, _, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise TokenError("Send a personal API token as 'Authorization: Bearer <token>'.")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None:
        raise TokenError("This API token is not valid.")
    now = clock.now()
    if token.revoked_at is not None:
        raise TokenError("This API token was revoked.")
    if token.expires_at <= now:
        raise TokenError(f"This API token expired on {token.expires_at:%Y-%m-%d %H:%M} UTC.")
    if not token.user.active or token.user.role not in ROLE_SCOPES:
        raise TokenError("The account that owns this API token cannot use the API.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        db.session.commit()
    return token


def grants(token: ApiToken, scope: str) -> bool:
    """The token holds `scope` and its owner's role may still grant it."""
    return scope in token.scopes and scope in allowed_scopes(token.user)
