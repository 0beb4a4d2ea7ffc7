"""The typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from portal.models.applicant import Applicant
from portal.models.audit import AuditEvent
from portal.models.mail import OutboxEmail
from portal.models.user import Role, User

__all__ = ["Applicant", "AuditEvent", "OutboxEmail", "Role", "User"]
