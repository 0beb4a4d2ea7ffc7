"""Settings: embedded defaults, overridden by the environment (plain names or `PORTAL_*`)."""

import os
from pathlib import Path
from typing import Any

# Plain environment variables a deployment sets without the PORTAL_ prefix.
ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "RATELIMIT_STORAGE_URI",
    "API_RATE_LIMIT",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER",
    "SESSION_COOKIE_SECURE",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_CONNECT_WEBHOOK_SECRET",
    "STRIPE_PLATFORM_COUNTRY",
    "STRIPE_API_BASE",
    "STRIPE_FAKE",
    "STRIPE_FAKE_PORT",
    "UPLOAD_FOLDER",
    "PUBLIC_BASE_URL",
    "PROXY_FIX",
)

BOOLEAN_SETTINGS = {"SESSION_COOKIE_SECURE", "MAIL_USE_TLS", "STRIPE_FAKE"}
INTEGER_SETTINGS = {"MAIL_PORT", "STRIPE_FAKE_PORT", "PROXY_FIX"}

# The demo's fake Stripe (`flask fake-stripe`, `python -m portal.payments.fakestripe`).
FAKE_STRIPE_PORT = 12111


def defaults(instance_path: str) -> dict[str, Any]:
    """The embedded configuration: SQLite under instance/, Celery eager, mail to the outbox."""
    return {
        "SECRET_KEY": "dev-only-change-me",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'portal.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CELERY_BROKER_URL": None,
        "CELERY_RESULT_BACKEND": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGNIN_RATE_LIMIT": "10 per minute",
        "API_RATE_LIMIT": "300 per minute",
        # Sign-up: per email address, and per client address (a burst from one place).
        "SIGNUP_RATE_LIMIT": "3 per hour",
        "SIGNUP_IP_RATE_LIMIT": "20 per hour",
        # Refuse to start (instead of warning) when several gunicorn workers use memory://.
        "RATELIMIT_REQUIRE_SHARED_STORAGE": False,
        # How many proxies stand in front of the app (werkzeug's ProxyFix); 0: none.
        "PROXY_FIX": 0,
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        # Characters of a resume's text kept for search (PostgreSQL's tsvector holds < 1 MB).
        "RESUME_TEXT_LIMIT": 200_000,
        "UPLOAD_FOLDER": str(Path(instance_path) / "uploads"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        # "Remember me" lasts this many days; its cookie's flags follow the session cookie's.
        "REMEMBER_COOKIE_DAYS": 14,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,
        # Development only: print emails' links in the log when there is no mail server.
        "MAIL_LOG_LINKS": False,
        "MAIL_DEFAULT_SENDER": "Talent Portal <no-reply@talent-portal.local>",
        "EMAIL_TOKEN_MAX_AGE": 3 * 24 * 3600,
        "RESET_TOKEN_MAX_AGE": 3600,
        "PUBLIC_BASE_URL": None,
        # The job board's hiring organisation (schema.org JobPosting); its URL defaults to ours.
        "JOB_BOARD_ORGANIZATION": "Talent Portal",
        "JOB_BOARD_ORGANIZATION_URL": None,
        "JOB_BOARD_ORGANIZATION_SAME_AS": None,
        "STRIPE_SECRET_KEY": None,
        # Two webhook endpoints, two signing secrets: events on the platform's own account
        # (/stripe/webhook) and events on connected accounts (/stripe/webhook/connect).
        "STRIPE_WEBHOOK_SECRET": None,
        "STRIPE_CONNECT_WEBHOOK_SECRET": None,
        "STRIPE_API_BASE": None,
        # Where the platform's Stripe account is: contractors elsewhere are paid cross-border.
        "STRIPE_PLATFORM_COUNTRY": "US",
        # Demo only: without keys, talk to `flask fake-stripe` on 127.0.0.1 (a simulation).
        "STRIPE_FAKE": False,
        "STRIPE_FAKE_PORT": FAKE_STRIPE_PORT,
        "STRIPE_FAKE_WEBHOOK_SECRET": "whsec_local_fake_demo",
        "STRIPE_FAKE_CONNECT_WEBHOOK_SECRET": "whsec_local_fake_demo_connect",
        "STRIPE_CONNECT_DEFAULT_COUNTRY": "US",
        # Prefix of payout idempotency keys and transfer groups (unique per deployment).
        "PAYOUT_KEY_NAMESPACE": "portal",
        # The recruiter dashboard's pipeline-wide aggregates are reused for this many seconds
        # per web worker (each is a scan of every applicant); 0: computed on every request.
        "DASHBOARD_CACHE_SECONDS": 30,
        # The ranking assessment (see the README); scoring bars: ASSESSMENT_SCORING = {...}.
        "ASSESSMENT_ITEMS": 30,
        "ASSESSMENT_TIME_LIMIT_MINUTES": 45,
        "ASSESSMENT_MAX_ATTEMPTS": 2,
        "ASSESSMENT_RETAKE_COOLDOWN_DAYS": 30,
        "ASSESSMENT_SCORING": {},
        # Shortlisted this many days with no open seat on any project: into the talent pool.
        "TALENT_POOL_IDLE_DAYS": 14,
        # A week closes for submission this many hours after it ends (Monday 00:00 UTC);
        # empty: weeks never close.
        "TIMESHEET_CLOSES_AFTER_HOURS": 12,
        # Approve a submitted week with no decision after this many hours (same rules as a
        # person, audited); empty (the default): off.
        "TIMESHEET_AUTO_APPROVE_HOURS": None,
        # A submitted week undecided this many hours shows as overdue to admins.
        "TIMESHEET_APPROVAL_DUE_HOURS": 48,
        # Flag (never block) a week whose logged hours exceed this many times its task time.
        "WORK_HOURS_TASK_RATIO": 2.0,
        # Weekly hours caps of the quality tiers (standard: the hours agreed in the offer).
        "WORK_TIER_CAPS": {"limited": 10, "expanded": 20},
    }


def _coerce(name: str, value: str) -> Any:
    if name in BOOLEAN_SETTINGS:
        return value.lower() in {"1", "true", "yes", "on"}
    if name in INTEGER_SETTINGS:
        return int(value)
    return value


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read the plain settings a twelve-factor deployment provides."""
    environ = dict(os.environ if environ is None else environ)
    settings: dict[str, Any] = {}
    for name in ENV_SETTINGS:
        if environ.get(name):
            settings[name] = _coerce(name, environ[name])
    if "DATABASE_URL" in settings:
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(settings.pop("DATABASE_URL"))
    return settings


def database_uri(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever scheme the platform hands out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
