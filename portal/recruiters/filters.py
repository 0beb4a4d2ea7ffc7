"""Candidate search: filter parsing, the filtered query over the index, list pages and exports."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    Text,
    and_,
    bindparam,
    exists,
    func,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.models import (
    Applicant,
    ApplicantTag,
    Application,
    CandidateIndex,
    Posting,
    Tag,
    User,
)
from portal.pipeline import STAGES, WAITING_ON_US
from portal.recruiters import sla
from portal.workdays import add_business_days, utc_date

SORTS: dict[str, str] = {
    "sla": "Waiting longest (overdue first)",
    "newest": "Newest applicants",
    "name": "Name",
    "score": "Assessment score",
    "rate": "Desired rate",
    "hours": "Weekly hours",
}
RESULTS = {"pass": "Passed", "fail": "Not passed"}
YES_NO = {"yes": "Yes", "no": "No"}
OWNERS = {"mine": "Mine", "none": "Nobody"}


class FilterError(ValueError):
    """Filter values a person typed that we cannot use; the messages say why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Filters:
    q: str = ""
    stage: str = ""
    domain: str = ""
    skills: list[str] = field(default_factory=list)
    score_min: float | None = None
    score_max: float | None = None
    result: str = ""
    hours_min: int | None = None
    country: str = ""
    rate_min: int | None = None  # cents
    rate_max: int | None = None
    labelling: str = ""
    sla: str = ""
    tag: str = ""
    posting: str = ""  # a posting's slug; "" is every posting
    owner: str = ""  # "mine" (owner_id below) or "none"
    owner_id: int | None = None  # who "mine" is: the signed-in recruiter
    sort: str = "sla"
    desc: bool = False


def _number(
    args: MultiDict[str, str],
    name: str,
    label: str,
    errors: list[str],
    *,
    lo: float,
    hi: float,
    integer: bool = False,
) -> Any:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        errors.append(f"{label} must be {kind} (got {raw[:20]!r}).")
        return None
    if not lo <= value <= hi:
        errors.append(f"{label} must be between {lo:g} and {hi:g}.")
        return None
    return value


def _choice(
    args: MultiDict[str, str], name: str, label: str, choices: Iterable[str], errors: list[str]
) -> str:
    raw = (args.get(name) or "").strip()
    if raw and raw not in set(choices):
        errors.append(f"{label}: {raw[:30]!r} is not one of the choices.")
        return ""
    return raw


def parse_filters(args: MultiDict[str, str], user_id: int | None = None) -> Filters:
    """Read filters from the query string; raise FilterError listing every bad value.

    `user_id` is the signed-in recruiter, whom the owner filter "mine" means."""
    errors: list[str] = []
    f = Filters()
    f.q = (args.get("q") or "").strip()[:200]
    f.stage = _choice(args, "stage", "Stage", STAGES, errors)
    f.domain = (args.get("domain") or "").strip().lower()[:64]
    f.skills = [s.strip().lower() for s in (args.get("skills") or "").split(",") if s.strip()]
    f.score_min = _number(args, "score_min", "Minimum score", errors, lo=0, hi=100)
    f.score_max = _number(args, "score_max", "Maximum score", errors, lo=0, hi=100)
    if f.score_min is not None and f.score_max is not None and f.score_min > f.score_max:
        errors.append("Minimum score is above the maximum score.")
    f.result = _choice(args, "result", "Result", RESULTS, errors)
    f.hours_min = _number(args, "hours_min", "Weekly hours", errors, lo=0, hi=80, integer=True)
    country = (args.get("country") or "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        errors.append(f"Country must be a two-letter code such as DE (got {country[:20]!r}).")
        country = ""
    f.country = country
    rate_min = _number(args, "rate_min", "Minimum rate", errors, lo=0, hi=1000)
    rate_max = _number(args, "rate_max", "Maximum rate", errors, lo=0, hi=1000)
    f.rate_min = round(rate_min * 100) if rate_min is not None else None
    f.rate_max = round(rate_max * 100) if rate_max is not None else None
    if f.rate_min is not None and f.rate_max is not None and f.rate_min > f.rate_max:
        errors.append("Minimum rate is above the maximum rate.")
    f.labelling = _choice(args, "labelling", "Labelling experience", YES_NO, errors)
    f.sla = _choice(args, "sla", "SLA", sla.SLA_STATUSES, errors)
    f.tag = (args.get("tag") or "").strip().lower()[:40]
    posting = (args.get("posting") or "").strip().lower()[:120]
    if posting in ("", "all"):
        posting = ""
    elif db.session.scalar(select(Posting.id).where(Posting.slug == posting)) is None:
        errors.append(f"Posting: {posting[:30]!r} is not one of the postings.")
        posting = ""
    f.posting = posting
    f.owner = _choice(args, "owner", "Owner", OWNERS, errors)
    f.owner_id = user_id
    f.sort = _choice(args, "sort", "Sort", SORTS, errors) or "sla"
    f.desc = args.get("dir") == "desc"
    if errors:
        raise FilterError(errors)
    return f


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: Any, needle: str) -> Any:
    return column.like(f"%{_like_escape(needle)}%", escape="\\")


def has_terms(column: Any, terms: list[str], dialect: str) -> Any:
    """The term list holds every one of `terms`: `@>` under a GIN index on PostgreSQL; on
    SQLite one element of the stored JSON list equals each term."""
    if dialect == "postgresql":
        return type_coerce(column, ARRAY(Text())).contains(terms)
    conditions = []
    for term in terms:
        element = func.json_each(column).table_valued("value")
        conditions.append(exists(select(1).select_from(element).where(element.c.value == term)))
    return and_(*conditions)


def text_condition(q: str, dialect: str) -> Any:
    """Every word of `q` must appear (as a word prefix on PostgreSQL, a substring on SQLite)."""
    words = re.findall(r"\w+", q.lower())
    if not words:
        return None
    if dialect == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return CandidateIndex.search_vector.op("@@")(func.to_tsquery("simple", query))
    return and_(*(_contains(CandidateIndex.document, w) for w in words))


def sla_condition(status: str, now: datetime, waiting: Any = None, changed: Any = None) -> Any:
    """On the index's (queue, stage_changed_at): a range of the default sort's own index (or
    on the given "waits on us" condition and stage-change column, e.g. an application's)."""
    waiting = CandidateIndex.queue == 0 if waiting is None else waiting
    changed = CandidateIndex.stage_changed_at if changed is None else changed
    due_cut = sla.entered_before(now, sla.DUE_AT)
    overdue_cut = sla.entered_before(now, sla.OVERDUE_AT)
    if status == "overdue":
        return and_(waiting, changed < overdue_cut)
    if status == "due":
        return and_(waiting, changed < due_cut, changed >= overdue_cut)
    return and_(waiting, changed >= due_cut)


def application_condition(f: Filters, now: datetime) -> Select[Any] | None:
    """The applicants with an application that matches the posting, stage, SLA and owner
    filters (a semi-join on the applications; None when no such filter is set). Within one
    posting, stage and SLA are that application's own."""
    if not f.posting and not f.owner:
        return None
    query = select(Application.applicant_id)
    if f.posting:
        posting_id = select(Posting.id).where(Posting.slug == f.posting).scalar_subquery()
        query = query.where(Application.posting_id == posting_id)
        if f.stage:
            query = query.where(Application.stage == f.stage)
        if f.sla:
            query = query.where(
                sla_condition(
                    f.sla, now, Application.stage.in_(WAITING_ON_US), Application.stage_changed_at
                )
            )
    if f.owner == "mine":
        query = query.where(Application.owner_id == (f.owner_id or -1))
    elif f.owner == "none":
        query = query.where(Application.owner_id.is_(None))
    return query


def _filtered(stmt: Select[Any], f: Filters, now: datetime, dialect: str) -> Select[Any]:
    """Every filter, free text included, is a column of the index row, so they combine in one
    scan of one table; only tags are a semi-join on its key."""
    ix = CandidateIndex
    if f.q and (cond := text_condition(f.q, dialect)) is not None:
        stmt = stmt.where(cond)
    if (applied := application_condition(f, now)) is not None:
        stmt = stmt.where(ix.applicant_id.in_(applied))
    if f.stage and not f.posting:  # within one posting, the stage is that application's
        stmt = stmt.where(ix.stage == f.stage)
    if f.domain:
        stmt = stmt.where(has_terms(ix.domains, [f.domain], dialect))
    if f.skills:
        stmt = stmt.where(has_terms(ix.skills, f.skills, dialect))
    if f.score_min is not None:
        stmt = stmt.where(ix.score >= f.score_min)
    if f.score_max is not None:
        stmt = stmt.where(ix.score <= f.score_max)
    if f.result:
        stmt = stmt.where(ix.passed.is_(f.result == "pass"))
    if f.hours_min is not None:
        stmt = stmt.where(ix.hours_key >= f.hours_min)  # hours_min >= 0: "not given" is out
    if f.country:
        stmt = stmt.where(ix.country == f.country)
    if f.rate_min is not None:
        stmt = stmt.where(ix.desired_rate_cents >= f.rate_min)
    if f.rate_max is not None:
        stmt = stmt.where(ix.desired_rate_cents <= f.rate_max)
    if f.labelling:
        stmt = stmt.where(ix.has_labelling.is_(f.labelling == "yes"))
    if f.sla and not f.posting:
        stmt = stmt.where(sla_condition(f.sla, now))
    if f.tag:
        tagged = select(ApplicantTag.applicant_id).join(Tag).where(Tag.name == f.tag)
        stmt = stmt.where(ix.applicant_id.in_(tagged))
    return stmt


def ids_query(f: Filters, now: datetime, dialect: str) -> Select[Any]:
    """The ids of matching applicants in list order, from the index table alone."""
    return _filtered(select(CandidateIndex.applicant_id), f, now, dialect).order_by(*_order(f))


COUNT_CAP = 1_000


@dataclass
class ApplicationLine:
    """One of a candidate's applications, as a list line shows it."""

    slug: str
    title: str
    stage: str
    answer_by: date | None
    owner: str | None


@dataclass
class ListRow:
    """What one line of the candidate list shows: plain values, no ORM bookkeeping."""

    id: int
    full_name: str
    user_name: str | None
    email: str
    stage: str
    stage_changed_at: datetime
    country: str | None
    domains: list[str]
    weekly_hours: int | None
    desired_rate_cents: int | None
    score: float | None
    passed: bool | None
    tags: list[str] = field(default_factory=list)
    sla: str | None = None  # "ok", "due", "overdue"; None when the applicant owes us
    waited: int = 0  # business days in this stage
    applications: list["ApplicationLine"] = field(default_factory=list)
    answer_by: date | None = None  # within one posting: that application's promise

    @property
    def display_name(self) -> str:
        return self.full_name or self.user_name or self.email


_TAG_SEPARATOR = "\x1f"  # the ASCII unit separator: never typed into a tag name


_TAGS = (
    select(func.aggregate_strings(Tag.name, _TAG_SEPARATOR))
    .join(ApplicantTag, ApplicantTag.tag_id == Tag.id)
    .where(ApplicantTag.applicant_id == Applicant.id)
    .scalar_subquery()
)
# Built once: the list loads its 50 lines with this on every request.
_LIST_ROWS = (
    select(
        Applicant.id,
        Applicant.full_name,
        User.name,
        User.email,
        Applicant.stage,
        Applicant.stage_changed_at,
        Applicant.country,
        Applicant.domains,
        Applicant.weekly_hours,
        Applicant.desired_rate_cents,
        CandidateIndex.score,
        CandidateIndex.passed,
        _TAGS,
    )
    .join(User, User.id == Applicant.user_id)
    .outerjoin(CandidateIndex, CandidateIndex.applicant_id == Applicant.id)
    .where(Applicant.id.in_(bindparam("ids", expanding=True)))
)


_APPLICATION_LINES = (
    select(
        Application.applicant_id,
        Posting.slug,
        Posting.title,
        Application.stage,
        Application.stage_changed_at,
        Posting.answer_days,
        func.coalesce(User.name, User.email),
    )
    .join(Posting, Posting.id == Application.posting_id)
    .outerjoin(User, User.id == Application.owner_id)
    .where(Application.applicant_id.in_(bindparam("ids", expanding=True)))
    .order_by(Application.applicant_id, Application.id)
)


def load_rows(ids: list[int], now: datetime, posting: str = "") -> list[ListRow]:
    """The list lines for these applicants, in this order (one query, tags aggregated, and one
    for their applications). Within one posting, stage and SLA are that application's."""
    if not ids:
        return []
    by_id: dict[int, ListRow] = {}
    for *columns, tag_names in db.session.execute(_LIST_ROWS, {"ids": ids}):
        line = ListRow(*columns)
        line.tags = sorted(tag_names.split(_TAG_SEPARATOR)) if tag_names else []
        by_id[line.id] = line
    for applicant_id, slug, title, stage, changed, days, owner in db.session.execute(
        _APPLICATION_LINES, {"ids": ids}
    ):
        due = add_business_days(utc_date(changed), days) if stage in WAITING_ON_US else None
        by_id[applicant_id].applications.append(ApplicationLine(slug, title, stage, due, owner))
        if slug == posting:
            line = by_id[applicant_id]
            line.stage, line.stage_changed_at, line.answer_by = stage, changed, due
    for line in by_id.values():
        line.waited = sla.business_days_between(line.stage_changed_at, now)
        line.sla = sla.status_after(line.waited) if line.stage in WAITING_ON_US else None
    return [by_id[i] for i in ids if i in by_id]


@dataclass
class Page:
    """One page of results with what the `pager` macro needs."""

    items: list[ListRow]
    total: int
    page: int
    per_page: int

    @property
    def capped(self) -> bool:
        """True when there are more than COUNT_CAP matches (the total is a lower bound)."""
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def search_page(f: Filters, page: int, per_page: int, now: datetime, dialect: str) -> Page:
    """One query for the ids in list order, up to COUNT_CAP + 1 (so also the count), then the
    rows of the requested page."""
    if dialect == "postgresql":
        # A page wants its rows fast: starting parallel workers costs more than it saves here
        # (measured: 50-70 ms of worker start-up on a busy 2-core host). This transaction only.
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    ids = list(db.session.scalars(ids_query(f, now, dialect).limit(COUNT_CAP + 1)))
    total = len(ids)
    page = max(1, min(page, max(1, -(-total // per_page))))
    start = (page - 1) * per_page
    rows = load_rows(ids[start : start + per_page], now, f.posting)
    return Page(rows, total, page, per_page)


def export_rows(f: Filters, now: datetime, dialect: str, limit: int) -> Iterator[Row[Any]]:
    """Every match in list order, up to `limit`, with the columns an export writes; streamed
    from a server-side cursor a thousand rows at a time, so 50,000 rows never sit in memory."""
    query = (
        select(
            Applicant.id,
            Applicant.full_name,
            User.name,
            User.email,
            Applicant.country,
            Applicant.stage,
            Applicant.stage_changed_at,
            Applicant.domains,
            Applicant.skills,
            Applicant.weekly_hours,
            Applicant.desired_rate_cents,
            CandidateIndex.score,
            CandidateIndex.passed,
        )
        .select_from(CandidateIndex)
        .join(Applicant, Applicant.id == CandidateIndex.applicant_id)
        .join(User, User.id == Applicant.user_id)
    )
    query = _filtered(query, f, now, dialect).order_by(*_order(f)).limit(limit)
    yield from db.session.execute(query.execution_options(yield_per=1000))


def _order(f: Filters) -> list[Any]:
    """The list order: one index walked forwards or backwards ("Reversed" reverses the list
    exactly, tie-break included). NULL rates sit where PostgreSQL's indexes keep them (last
    going up), stated so SQLite agrees; score and hours sort on their never-null keys."""
    ix = CandidateIndex

    def keys(column: Any, default_desc: bool, *, nullable: bool = False) -> list[Any]:
        if f.desc != default_desc:
            first = column.desc().nulls_first() if nullable else column.desc()
            return [first, ix.applicant_id.desc()]
        first = column.asc().nulls_last() if nullable else column.asc()
        return [first, ix.applicant_id.asc()]

    if f.sort == "newest":
        return keys(ix.created_at, True)
    if f.sort == "name":
        return keys(ix.name_key, False)
    if f.sort == "score":
        return keys(ix.score_key, True)
    if f.sort == "rate":
        return keys(ix.desired_rate_cents, False, nullable=True)
    if f.sort == "hours":
        return keys(ix.hours_key, True)
    if f.stage:  # one stage: the queue is constant, so the (stage, stage_changed_at) index
        return keys(ix.stage_changed_at, False)
    # Waiting on us first, longest first: the (queue, stage_changed_at, id) index, in order.
    if f.desc:
        return [ix.queue, ix.stage_changed_at.desc(), ix.applicant_id.desc()]
    return [ix.queue, ix.stage_changed_at, ix.applicant_id]


def filters_to_args(f: Filters) -> dict[str, str]:
    """The query string that reproduces these filters (for links, exports and pagers)."""
    args = {
        "q": f.q,
        "stage": f.stage,
        "domain": f.domain,
        "skills": ", ".join(f.skills),
        "score_min": "" if f.score_min is None else f"{f.score_min:g}",
        "score_max": "" if f.score_max is None else f"{f.score_max:g}",
        "result": f.result,
        "hours_min": "" if f.hours_min is None else str(f.hours_min),
        "country": f.country,
        "rate_min": "" if f.rate_min is None else f"{f.rate_min / 100:g}",
        "rate_max": "" if f.rate_max is None else f"{f.rate_max / 100:g}",
        "labelling": f.labelling,
        "sla": f.sla,
        "tag": f.tag,
        "posting": f.posting,
        "owner": f.owner,
        "sort": "" if f.sort == "sla" else f.sort,
        "dir": "desc" if f.desc else "",
    }
    return {k: v for k, v in args.items() if v}
