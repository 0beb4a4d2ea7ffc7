"""The health check's probes: does the database answer, does the broker (when configured)?"""

from flask import current_app
from sqlalchemy import text

from portal.extensions import db


def health() -> tuple[bool, dict[str, str]]:
    """(healthy, one line per dependency): ``ok``, or the error's class name."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    finally:
        db.session.rollback()  # a read-only probe: end its transaction either way
    if current_app.config.get("CELERY_BROKER_URL"):
        celery = current_app.extensions["celery"]
        try:
            with celery.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            healthy = False
    else:
        checks["broker"] = "eager (no broker configured)"
    return healthy, checks
