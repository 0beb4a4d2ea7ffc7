"""Account logic: creating users, signed email tokens, password rules."""

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit, clock
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Applicant, Application, Posting, Role, User
from portal.transactions import use_case

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "1234567890",
        "123456789",
        "12345678",
        "qwertyuiop",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "passw0rd123",
        "administrator",
    }
)
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is for the person."""


def normalize_email(email: str) -> str:
    """Compare emails case-insensitively and without surrounding blanks."""
    return email.strip().lower()


def password_problem(password: str, email: str = "") -> str | None:
    """Say what is wrong with a password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password.lower() in COMMON_PASSWORDS:
        return "That password is too common; choose another."
    if len(set(password)) < 4:
        return "That password is too repetitive; choose another."
    local = normalize_email(email).split("@")[0]
    if local and len(local) >= 4 and local in password.lower():
        return "Your password must not contain your email address."
    return None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def load_session_user(session_id: str) -> User | None:
    """The user a session or remember-me cookie names, if its session version is still current.

    Cookies carry ``"<user id>:<session version>"`` (``User.get_id``); a cookie issued before a
    sign-out, a password change or a reset names an older version and loads nobody.
    """
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_version or 1) != int(version):
        return None
    return user


def end_sessions(user: User, *, reason: str) -> None:
    """Invalidate every session and remember-me cookie of `user` (audited; commits)."""
    user.end_sessions()
    audit.record(
        "account.sessions_ended", actor=user, subject_type="user", subject_id=user.id, reason=reason
    )
    db.session.commit()


def change_password(user: User, current: str, new: str) -> User:
    """Change a signed-in person's password; every other session ends (commits)."""
    if not user.check_password(current):
        raise AccountError("Your current password is not right.")
    problem = password_problem(new, user.email)
    if problem:
        raise AccountError(problem)
    user.set_password(new)
    user.end_sessions()
    audit.record("account.password_changed", actor=user, subject_type="user", subject_id=user.id)
    db.session.commit()
    return user


def create_user(
    email: str,
    password: str,
    *,
    role: Role = Role.APPLICANT,
    name: str = "",
    posting: Posting | None = None,
) -> User:
    """Create a user (and, for applicants, their empty profile with an application to `posting`,
    else to the default posting); the caller commits."""
    email = normalize_email(email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError("An account with this email already exists. Sign in instead.")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    if role == Role.APPLICANT:
        applicant = Applicant(user=user, full_name=name.strip())
        if posting is not None:
            applicant.applications.append(Application(posting=posting))
        db.session.add(applicant)
    db.session.flush()
    return user


@use_case
def create_account(
    email: str,
    password: str,
    *,
    role: Role,
    name: str = "",
    actor: User | None,
    via: str | None = None,
) -> User:
    """Create an account from the admin page, or (``via="cli"``, email confirmed) the CLI.

    Audited; commits.
    """
    user = create_user(email, password, role=role, name=name)
    details: dict[str, Any] = {"via": via} if via else {"role": role.value}
    if via == "cli":
        user.email_verified_at = clock.now()
    audit.record("account.created", actor=actor, subject_type="user", subject_id=user.id, **details)
    return user


def sign_up_applicant(
    email: str, password: str, name: str, posting_slug: str | None = None
) -> User | None:
    """Register an applicant and send the verification link (commits); None for a known email.

    Both cases look the same to the person signing up ("check your email"), so sign-up does not
    tell who has an account: the existing account's owner gets an email saying someone tried to
    register with their address, with a sign-in and a reset link.
    """
    existing = find_user(email)
    if existing is not None:
        generate_password_hash(password, method="scrypt")  # the same work as a real sign-up
        _send_already_registered(existing)
        db.session.commit()
        return None
    posting = None
    if posting_slug:  # an open posting they came from; anything else: the default posting
        posting = db.session.scalar(
            select(Posting).where(Posting.slug == posting_slug, Posting.status == "open")
        )
    user = create_user(email, password, role=Role.APPLICANT, name=name, posting=posting)
    audit.record(
        "account.signed_up",
        actor=user,
        subject_type="user",
        subject_id=user.id,
        applicant_id=user.applicant.id if user.applicant else None,
        **({"posting_id": posting.id} if posting is not None else {}),
    )
    send_verification(user)
    db.session.commit()
    return user


def _send_already_registered(user: User) -> None:
    send_email(
        user.email,
        "Someone tried to register with your email",
        f"Hello {user.name or user.email},\n\nSomeone (maybe you) tried to create a Talent Portal "
        "account with this email address, which already has one. Nothing was changed.\n\n"
        f"Sign in: {external_url('auth.signin')}\n"
        f"Forgot your password? Reset it: {external_url('auth.request_reset')}\n\n"
        "If it was not you, you can ignore this email.",
        template="signup_existing",
    )


# Signed, expiring tokens -------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # A reset token names the password it replaces, so it stops working once used.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    payload: dict[str, Any] = {"uid": user.id, "email": user.email}
    if purpose == "reset":
        payload["pw"] = _password_fingerprint(user)
    return _serializer(purpose).dumps(payload)


def read_token(token: str, purpose: str, max_age: int) -> User:
    """Return the user a token was issued to, or raise AccountError saying why not."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise AccountError("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise AccountError("This link is not valid. Ask for a new one.") from exc
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise AccountError("This link is not valid. Ask for a new one.")
    if purpose == "reset" and payload.get("pw") != _password_fingerprint(user):
        raise AccountError("This link has already been used. Ask for a new one.")
    return user


def lifetime(seconds: int) -> str:
    """A token lifetime in words for emails and pages: "an hour", "3 days", "90 minutes"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            if count == 1:
                return "an hour" if unit == "hour" else f"a {unit}"
            return f"{count} {unit}s"
    return f"{seconds} seconds"


def send_verification(user: User) -> None:
    link = external_url("auth.verify_email", token=make_token(user, "verify"))
    send_email(
        user.email,
        "Confirm your email for Talent Portal",
        f"Hello {user.name or user.email},\n\nConfirm your email address to take the assessment:"
        f"\n{link}\n\nThe link is valid for "
        f"{lifetime(current_app.config['EMAIL_TOKEN_MAX_AGE'])}.",
        template="verify_email",
        applicant_id=user.applicant.id if user.applicant else None,
    )


@use_case
def resend_verification(user: User) -> None:
    """Send a fresh confirmation link to a signed-in, unconfirmed user; commits."""
    if not user.email_verified:
        send_verification(user)


def verify_email(token: str) -> tuple[User, bool]:
    """Confirm the address a token names; True the first time (the sign-up's own link)."""
    user = read_token(token, "verify", current_app.config["EMAIL_TOKEN_MAX_AGE"])
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = clock.now()
    audit.record("account.email_verified", actor=user, subject_type="user", subject_id=user.id)
    db.session.commit()
    return user, True


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no enumeration)."""
    user = find_user(email)
    if user is None or not user.active:
        return
    link = external_url("auth.reset_password", token=make_token(user, "reset"))
    send_email(
        user.email,
        "Reset your Talent Portal password",
        f"Someone asked to reset the password of this account. If it was you, open:\n{link}\n\n"
        f"The link works once and expires in {lifetime(current_app.config['RESET_TOKEN_MAX_AGE'])}."
        " If it was not you, ignore this email.",
        template="reset_password",
    )
    db.session.commit()


def reset_password(token: str, password: str) -> User:
    user = read_token(token, "reset", current_app.config["RESET_TOKEN_MAX_AGE"])
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    user.end_sessions()  # whoever held the old password is signed out everywhere
    # Proving control of the mailbox also verifies the address.
    user.email_verified_at = user.email_verified_at or clock.now()
    audit.record("account.password_reset", actor=user, subject_type="user", subject_id=user.id)
    db.session.commit()
    return user


_TIMING_DUMMY_HASH = generate_password_hash("timing-equaliser", method="scrypt")


def authenticate(email: str, password: str) -> User | None:
    """Return the user for good credentials; a missing account costs the same hashing time."""
    user = find_user(email)
    if user is None:
        check_password_hash(_TIMING_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = clock.now()
    db.session.commit()
    return user
