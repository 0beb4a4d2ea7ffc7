"""The recruiter's queue: only what needs a person, ordered by the answer-by date."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.automation.kinds import REVIEW_REASONS
from portal.automation.subjects import SUBJECT_TYPE
from portal.extensions import db
from portal.models import Applicant, Application, AutomationRule, Posting, ReviewItem, RuleAction


@dataclass(frozen=True)
class QueueRow:
    item: ReviewItem
    applicant: Applicant
    reasons: list[str]


def open_items(posting_id: int | None = None, limit: int = 200) -> list[QueueRow]:
    """Open items whose subject still sits in the stage they were raised in (a person moving
    them answers the item), one row per subject with every reason, earliest answer-by first."""
    query = (
        select(ReviewItem, Applicant)
        .join(Application, Application.id == ReviewItem.subject_id)
        .join(Applicant, Applicant.id == ReviewItem.applicant_id)
        .where(
            ReviewItem.subject_type == SUBJECT_TYPE,
            ReviewItem.resolved_at.is_(None),
            Application.stage == ReviewItem.stage,
            Applicant.deleted_at.is_(None),
        )
        .order_by(ReviewItem.answer_by, ReviewItem.id)
    )
    if posting_id is not None:
        query = query.where(ReviewItem.posting_id == posting_id)
    rows: dict[tuple[str, int], QueueRow] = {}
    for item, applicant in db.session.execute(query.limit(limit * 3)):
        key = (item.subject_type, item.subject_id)
        reason = REVIEW_REASONS.get(item.reason, item.reason)
        text = f"{reason}: {item.detail}" if item.detail else reason
        if key in rows:
            rows[key].reasons.append(text)
        elif len(rows) < limit:
            rows[key] = QueueRow(item, applicant, [text])
    return list(rows.values())


@dataclass(frozen=True)
class PendingRow:
    action: RuleAction
    rule: AutomationRule
    applicant: Applicant
    due_at: datetime | None


def waiting_actions(status: str, posting_id: int | None = None) -> list[PendingRow]:
    """Scheduled actions (undo until due) or offers waiting for one click."""
    query = (
        select(RuleAction, AutomationRule, Applicant)
        .join(AutomationRule, AutomationRule.id == RuleAction.rule_id)
        .join(Applicant, Applicant.id == RuleAction.applicant_id)
        .where(RuleAction.status == status)
        .order_by(RuleAction.due_at, RuleAction.id)
        .limit(200)
    )
    if posting_id is not None:
        query = query.where(RuleAction.posting_id == posting_id)
    return [PendingRow(a, r, p, a.due_at) for a, r, p in db.session.execute(query)]


def postings() -> list[Posting]:
    return list(db.session.scalars(select(Posting).order_by(Posting.title)))
