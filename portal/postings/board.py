"""The public job board's queries: open postings, searched and filtered, one page at a time.

A page of the board is two statements (the count and the rows) whatever its size: every column
it shows lives on the posting row, and no relationship is loaded. The filters work the same on
SQLite and PostgreSQL: the JSON lists are matched as text (``"medicine"`` with its quotes), which
is exact because vocabulary keys and ISO codes never contain a quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, String, cast, func, or_, select

from portal import clock
from portal.domains import CHOICES as DOMAIN_CHOICES
from portal.extensions import db
from portal.models import Posting
from portal.models.posting import POSTING_SECTIONS
from portal.postings.rules import LANGUAGES, MAX_WEEKLY_HOURS

PER_PAGE = 20
SEARCHED = ("title", "summary", *(name for name, _ in POSTING_SECTIONS))


@dataclass(frozen=True)
class BoardFilters:
    """What a visitor asked the board for; anything unreadable is simply not applied."""

    q: str = ""
    domain: str | None = None
    language: str | None = None
    min_pay_cents: int | None = None  # the band's top reaches at least this
    hours: int | None = None  # the hours a week the visitor can give: the posting's minimum fits

    @classmethod
    def from_args(cls, args: dict[str, str]) -> BoardFilters:
        domain = args.get("domain") or None
        language = args.get("language") or None
        return cls(
            q=(args.get("q") or "").strip()[:200],
            domain=domain if domain in DOMAIN_CHOICES else None,
            language=language if language in LANGUAGES else None,
            min_pay_cents=_cents(args.get("min_pay")),
            hours=_whole(args.get("hours"), 1, MAX_WEEKLY_HOURS),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.domain or self.language or self.min_pay_cents or self.hours)


def _cents(text: str | None) -> int | None:
    try:
        amount = Decimal((text or "").strip().lstrip("$"))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount > 10_000:
        return None
    return int((amount * 100).to_integral_value())


def _whole(text: str | None, low: int, high: int) -> int | None:
    try:
        value = int((text or "").strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def _listed(column: object, key: str) -> object:
    """The JSON list column holds ``key`` (matched as its quoted JSON text)."""
    return cast(column, String).contains(f'"{key}"', autoescape=True)


def open_postings_query() -> Select[tuple[Posting]]:
    """Open postings whose closing date (if any) has not passed, newest first."""
    today = clock.today()
    return (
        select(Posting)
        .where(
            Posting.status == "open",
            or_(Posting.valid_through.is_(None), Posting.valid_through >= today),
        )
        .order_by(Posting.opened_at.desc(), Posting.id.desc())
    )


def board_query(filters: BoardFilters) -> Select[tuple[Posting]]:
    """The open postings that match every filter given."""
    query = open_postings_query()
    for word in filters.q.lower().split()[:8]:
        query = query.where(
            or_(
                *(
                    func.lower(getattr(Posting, name)).contains(word, autoescape=True)
                    for name in SEARCHED
                )
            )
        )
    if filters.domain:
        query = query.where(_listed(Posting.domains, filters.domain))
    if filters.language:
        query = query.where(_listed(Posting.languages, filters.language))
    if filters.min_pay_cents:
        query = query.where(Posting.pay_max_cents >= filters.min_pay_cents)
    if filters.hours:
        query = query.where(Posting.hours_min <= filters.hours)
    return query


def board_page(filters: BoardFilters, page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of the board (out-of-range pages are empty, not errors)."""
    return db.paginate(
        board_query(filters), page=page, per_page=per_page, max_per_page=50, error_out=False
    )


def landing_postings(limit: int = 6) -> list[Posting]:
    """The newest open postings for the landing page."""
    return list(db.session.scalars(open_postings_query().limit(limit)))


def public_posting(slug: str, *, drafts: bool = False) -> Posting | None:
    """The posting at ``/jobs/<slug>``; a draft only when asked (the admin's preview)."""
    query = select(Posting).where(Posting.slug == slug)
    if not drafts:
        query = query.where(Posting.status != "draft")
    return db.session.scalar(query)


def is_accepting(posting: Posting) -> bool:
    """Open, and its closing date (if any) has not passed: the board lists it, people apply."""
    return posting.status == "open" and (
        posting.valid_through is None or posting.valid_through >= clock.today()
    )
