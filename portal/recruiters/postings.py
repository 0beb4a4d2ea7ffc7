"""The postings recruiters filter their pipeline, search, board and dashboard by."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Applicant, Application, Posting


def postings_for_filter() -> list[tuple[str, str]]:
    """(slug, title) of every posting but drafts, open ones first."""
    rows = db.session.execute(
        select(Posting.slug, Posting.title, Posting.status)
        .where(Posting.status != "draft")
        .order_by(Posting.title)
    ).all()
    return [(slug, title) for slug, title, status in sorted(rows, key=lambda r: r[2] != "open")]


def posting_id(slug: str) -> int | None:
    """The id of the posting with this slug (None: no such posting, or "" for all)."""
    if not slug:
        return None
    return db.session.scalar(select(Posting.id).where(Posting.slug == slug))


def stage_counts(posting: int) -> dict[str, int]:
    """A posting's applications now in each stage (deleted applicants excluded)."""
    return dict(
        db.session.execute(
            select(Application.stage, func.count())
            .join(Applicant, Applicant.id == Application.applicant_id)
            .where(Application.posting_id == posting, Applicant.deleted_at.is_(None))
            .group_by(Application.stage)
        ).all()
    )


def column(posting: int, stage: str, limit: int) -> list[Application]:
    """The applications of a posting in one stage, waiting longest first."""
    return list(
        db.session.scalars(
            select(Application)
            .join(Applicant, Applicant.id == Application.applicant_id)
            .where(
                Application.posting_id == posting,
                Application.stage == stage,
                Applicant.deleted_at.is_(None),
            )
            .options(
                joinedload(Application.applicant).joinedload(Applicant.user),
                joinedload(Application.posting),
            )
            .order_by(Application.stage_changed_at, Application.id)
            .limit(limit)
        )
    )
