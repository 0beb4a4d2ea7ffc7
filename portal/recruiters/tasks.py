"""Background jobs of the recruiter workspace."""

from celery import shared_task
from sqlalchemy import select

from portal import clock
from portal.applications.sync import DEFAULT_SLUG
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Role, User
from portal.pipeline import STAGES
from portal.recruiters import charts
from portal.recruiters import filters as search
from portal.recruiters.filters import ListRow
from portal.recruiters.talent_pool import pool_idle_shortlisted

DIGEST_LISTED = 50  # names per group in the email; the counts cover everyone


def digest_body(
    counts: dict[str, int], groups: dict[str, list[ListRow]], now_label: str, link: str
) -> str:
    """The digest text: overdue first, then due, each with how long they have waited."""
    lines = [
        f"Applicants waiting on us ({now_label}): "
        f"{counts['overdue']} overdue, {counts['due']} due.",
        "",
    ]
    for status, title in (("overdue", "Overdue (5+ business days)"), ("due", "Due (3-4 days)")):
        if not counts[status]:
            continue
        lines.append(title + ":")
        for row in groups[status]:
            # Which postings, once it is not just the default one (one default: as before).
            postings = [a.title for a in row.applications]
            named = any(a.slug != DEFAULT_SLUG for a in row.applications)
            lines.append(
                f"  - {row.display_name} · {STAGES[row.stage]} · {row.waited} business days"
                + (f" · {', '.join(postings)}" if named else "")
            )
        if counts[status] > len(groups[status]):
            lines.append(f"  … and {counts[status] - len(groups[status])} more")
        lines.append("")
    lines.append(f"Open the queue: {link}")
    return "\n".join(lines)


@shared_task(name="recruiters.sla_digest", ignore_result=True)
def sla_digest() -> int:
    """Email every active recruiter the applicants due or overdue today; returns emails sent.

    Counts come from the search index (SQL), and only the longest-waiting names of each group
    are loaded, so the task costs the same at 100 or 100,000 applicants. Idempotent per day:
    a recruiter who already has today's digest in the outbox is skipped.
    """
    from portal.models import OutboxEmail

    now = clock.now()
    counts = charts.sla_counts(now)
    if not counts["overdue"] and not counts["due"]:
        return 0
    dialect = db.session.get_bind().dialect.name
    groups = {}
    for status in ("overdue", "due"):
        ids = search.ids_query(search.Filters(sla=status), now, dialect).limit(DIGEST_LISTED)
        groups[status] = search.load_rows(list(db.session.scalars(ids)), now)
    recruiters = db.session.scalars(
        select(User).where(User.role == Role.RECRUITER, User.active.is_(True))
    ).all()
    subject = f"SLA digest {now:%Y-%m-%d}: applicants waiting on us"
    already = set(db.session.scalars(select(OutboxEmail.to).where(OutboxEmail.subject == subject)))
    body = digest_body(counts, groups, f"{now:%d %b %Y}", external_url("recruiters.candidates"))
    sent = 0
    for recruiter in recruiters:
        if recruiter.email not in already:
            send_email(recruiter.email, subject, body, template="sla_digest")
            sent += 1
    db.session.commit()
    return sent


@shared_task(name="recruiters.pool_idle", ignore_result=True)
def pool_idle() -> int:
    """Daily: shortlisted people idle with no open seat anywhere go to the talent pool."""
    return pool_idle_shortlisted()
