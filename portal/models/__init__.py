"""The typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from portal.models.api import ApiToken, IdempotencyRecord
from portal.models.applicant import Applicant, StageSpan
from portal.models.application import Application
from portal.models.assessment import (
    Attempt,
    AttemptItem,
    Guideline,
    Item,
    PanelAnswer,
    RationaleGrade,
)
from portal.models.audit import AuditEvent
from portal.models.automation import AutomationRule, PostingAutomation, ReviewItem, RuleAction
from portal.models.mail import OutboxEmail
from portal.models.payments import Payout, PayoutRun, StripeAccount, Timesheet, WebhookEvent
from portal.models.posting import Posting, posting_project
from portal.models.project import Assignment, Client, GuidelineAck, Project
from portal.models.proposal import ProposalRun
from portal.models.ratecard import RateCardConfig
from portal.models.recruiting import (
    ApplicantTag,
    CandidateIndex,
    EmailTemplate,
    Note,
    SavedSearch,
    Scorecard,
    Tag,
)
from portal.models.resume import Resume
from portal.models.user import Role, User
from portal.models.work import Judgement, RaterPause, TaskBatch, TaskClaim, WorkTask

__all__ = [
    "ApiToken",
    "Applicant",
    "Application",
    "ApplicantTag",
    "Assignment",
    "Attempt",
    "AttemptItem",
    "AuditEvent",
    "AutomationRule",
    "PostingAutomation",
    "ReviewItem",
    "RuleAction",
    "CandidateIndex",
    "Client",
    "EmailTemplate",
    "Guideline",
    "GuidelineAck",
    "IdempotencyRecord",
    "Item",
    "PanelAnswer",
    "RationaleGrade",
    "Note",
    "OutboxEmail",
    "Payout",
    "PayoutRun",
    "Posting",
    "Project",
    "ProposalRun",
    "RateCardConfig",
    "Resume",
    "SavedSearch",
    "Role",
    "StripeAccount",
    "Timesheet",
    "Scorecard",
    "StageSpan",
    "Tag",
    "User",
    "posting_project",
    "WebhookEvent",
    "Judgement",
    "RaterPause",
    "TaskBatch",
    "TaskClaim",
    "WorkTask",
]
