"""Record audit events in the caller's transaction."""

from typing import Any

from portal.extensions import db
from portal.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None,
    subject_type: str,
    subject_id: int | None,
    applicant_id: int | None = None,
    reason: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event; it commits with the change it describes."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        applicant_id=applicant_id,
        reason=reason,
        details=details,
    )
    db.session.add(event)
    return event
