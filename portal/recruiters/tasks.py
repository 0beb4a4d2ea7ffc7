"""Background jobs of the recruiter workspace."""

from celery import shared_task
from sqlalchemy import select

from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Applicant, Role, User
from portal.models.base import utcnow
from portal.pipeline import STAGES, WAITING_ON_US
from portal.recruiters import sla


def digest_body(rows: list[tuple[Applicant, str | None, int]], now_label: str, link: str) -> str:
    """The digest text: overdue first, then due, each with how long they have waited."""
    overdue = [(a, d) for a, s, d in rows if s == "overdue"]
    due = [(a, d) for a, s, d in rows if s == "due"]
    lines = [
        f"Applicants waiting on us ({now_label}): {len(overdue)} overdue, {len(due)} due.",
        "",
    ]
    for title, group in (("Overdue (5+ business days)", overdue), ("Due (3-4 days)", due)):
        if not group:
            continue
        lines.append(title + ":")
        for a, days in group[:50]:
            lines.append(f"  - {a.display_name} · {STAGES[a.stage]} · {days} business days")
        if len(group) > 50:
            lines.append(f"  … and {len(group) - 50} more")
        lines.append("")
    lines.append(f"Open the queue: {link}")
    return "\n".join(lines)


@shared_task(name="recruiters.sla_digest", ignore_result=True)
def sla_digest() -> int:
    """Email every active recruiter the applicants due or overdue today; returns emails sent.

    Idempotent per day: a recruiter who already has today's digest in the outbox is skipped.
    """
    from portal.models import OutboxEmail

    now = utcnow()
    cutoff = sla.entered_before(now, sla.DUE_AT)
    waiting = db.session.scalars(
        select(Applicant)
        .where(
            Applicant.stage.in_(sorted(WAITING_ON_US)),
            Applicant.stage_changed_at < cutoff,
            Applicant.deleted_at.is_(None),
        )
        .order_by(Applicant.stage_changed_at)
    ).all()
    if not waiting:
        return 0
    rows = [
        (
            a,
            sla.sla_status(a.stage, a.stage_changed_at, now),
            sla.business_days_between(a.stage_changed_at, now),
        )
        for a in waiting
    ]
    recruiters = db.session.scalars(
        select(User).where(User.role == Role.RECRUITER, User.active.is_(True))
    ).all()
    subject = f"SLA digest {now:%Y-%m-%d}: applicants waiting on us"
    already = set(db.session.scalars(select(OutboxEmail.to).where(OutboxEmail.subject == subject)))
    link = external_url("recruiters.candidates", sort="sla")
    sent = 0
    for recruiter in recruiters:
        if recruiter.email in already:
            continue
        body = digest_body(rows, f"{now:%d %b %Y}", link)
        send_email(recruiter.email, subject, body, template="sla_digest")
        sent += 1
    db.session.commit()
    return sent
