"""Dashboard numbers (funnel, applications per week, score distribution) and SVG charts."""

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, CandidateIndex, StageSpan
from portal.pipeline import STAGES
from portal.recruiters import sla
from portal.workdays import iso_week

# The main path through the pipeline, in order; exits are counted beside it.
FUNNEL = [
    ("applied", ("applied",)),
    ("profile_complete", ("profile_complete",)),
    ("assessed", ("assessed_passed", "assessed_failed")),
    ("assessed_passed", ("assessed_passed",)),
    ("shortlisted", ("shortlisted", "talent_pool")),
    ("offered", ("offered",)),
    ("onboarding", ("onboarding",)),
    ("active", ("active",)),
]
_ORDER = {
    "applied": 0,
    "profile_complete": 1,
    "assessed_failed": 2,
    "assessed_passed": 3,
    "shortlisted": 4,
    "talent_pool": 4,
    "offered": 5,
    "onboarding": 6,
    "active": 7,
}
_FUNNEL_LABELS = {"assessed": "Assessed"} | STAGES


@dataclass
class FunnelRow:
    key: str
    label: str
    current: int
    reached: int
    conversion: float | None  # reached this / reached the previous step
    median_days: float | None


_cache_lock = threading.Lock()
_T = TypeVar("_T")


def reused(name: str, key: object, compute: Callable[[], _T]) -> _T:
    """`compute()`, reused for DASHBOARD_CACHE_SECONDS in this worker while `key` is the same.

    The dashboard's aggregates each scan every applicant (tens of ms at 100,000 even as
    index-only scans), so a dashboard opened by many recruiters, or reloaded, is served from
    the last figures: they are at most that many seconds old.
    """
    seconds = current_app.config.get("DASHBOARD_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    store: dict[str, tuple[object, float, Any]] = current_app.extensions.setdefault(
        "dashboard_figures", {}
    )
    with _cache_lock:
        hit = store.get(name)
    if hit is not None and hit[0] == key and time.monotonic() - hit[1] < seconds:
        return hit[2]
    value = compute()
    with _cache_lock:
        store[name] = (key, time.monotonic(), value)
    return value


def stage_counts() -> dict[str, int]:
    """Applicants now in each stage (deleted ones excluded): the index's (stage, ...) index."""
    ix = CandidateIndex
    return dict(db.session.execute(select(ix.stage, func.count()).group_by(ix.stage)).all())


def sla_counts(now: datetime) -> dict[str, int]:
    """Overdue, due and all of those waiting on us: a range of the queue index."""
    ix = CandidateIndex
    due_cut = sla.entered_before(now, sla.DUE_AT)
    overdue_cut = sla.entered_before(now, sla.OVERDUE_AT)
    row = db.session.execute(
        select(
            func.count().filter(ix.stage_changed_at < overdue_cut),
            func.count().filter(ix.stage_changed_at < due_cut, ix.stage_changed_at >= overdue_cut),
            func.count(),
        ).where(ix.queue == 0)
    ).one()
    return {"overdue": row[0], "due": row[1], "waiting": row[2]}


def median_days_in_stage(since: datetime) -> dict[str, float]:
    """Median days spent in each stage by the applicants who left it since then.

    One aggregate over the narrow `StageSpan` rows that every move writes; on PostgreSQL the
    median is computed there too (`percentile_cont`), so 100k applicants' moves stay in SQL.
    """
    recent = StageSpan.left_at >= since
    if db.session.get_bind().dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(StageSpan.days)
        rows = db.session.execute(
            select(StageSpan.stage, median).where(recent).group_by(StageSpan.stage)
        )
        return {stage: round(float(value), 1) for stage, value in rows}
    grouped: dict[str, list[float]] = {}
    for stage, days in db.session.execute(select(StageSpan.stage, StageSpan.days).where(recent)):
        grouped.setdefault(stage, []).append(days)
    return {stage: round(statistics.median(v), 1) for stage, v in grouped.items()}


def funnel(now: datetime, counts: dict[str, int] | None = None) -> list[FunnelRow]:
    """Counts per step: now in it, and reached it (now in it or further along the main path).

    Rejected and withdrawn applicants are not on the main path and are listed separately;
    "reached" therefore undercounts people who left, which the dashboard says.
    """
    counts = reused("stage_counts", None, stage_counts) if counts is None else counts
    since = datetime.combine(now.date() - timedelta(days=365), datetime.min.time(), now.tzinfo)
    medians = reused("medians", since, lambda: median_days_in_stage(since))
    rows: list[FunnelRow] = []
    previous_reached: int | None = None
    for key, stages in FUNNEL:
        floor = min(_ORDER[s] for s in stages)
        reached = sum(n for s, n in counts.items() if s in _ORDER and _ORDER[s] >= floor)
        current = sum(counts.get(s, 0) for s in stages)
        med = [medians[s] for s in stages if s in medians]
        rows.append(
            FunnelRow(
                key=key,
                label=_FUNNEL_LABELS.get(key, key),
                current=current,
                reached=reached,
                conversion=round(reached / previous_reached, 3) if previous_reached else None,
                median_days=min(med) if med else None,
            )
        )
        previous_reached = reached
    return rows


def applications_per_week(now: datetime, weeks: int = 12) -> list[tuple[str, int]]:
    """Applications per ISO week for the last `weeks` weeks (counted per UTC day in SQL)."""
    start_day = now.date() - timedelta(days=now.weekday() + 7 * (weeks - 1))
    labels = [iso_week(start_day + timedelta(weeks=i)) for i in range(weeks)]
    counts = dict.fromkeys(labels, 0)
    start = datetime.combine(start_day, datetime.min.time(), tzinfo=now.tzinfo)
    if db.session.get_bind().dialect.name == "postgresql":
        day: Any = func.date(func.timezone("UTC", Applicant.created_at))
    else:
        day = func.date(Applicant.created_at)
    per_day = reused(
        "per_day",
        start,
        lambda: db.session.execute(
            select(day, func.count()).where(Applicant.created_at >= start).group_by(day)
        ).all(),
    )
    for value, n in per_day:
        label = iso_week(value if isinstance(value, date) else date.fromisoformat(value))
        if label in counts:
            counts[label] += n
    return list(counts.items())


def score_distribution() -> list[tuple[str, int]]:
    bucket = func.floor(func.coalesce(CandidateIndex.score, 0) / 10)
    rows = reused(
        "scores",
        None,
        lambda: dict(
            db.session.execute(
                select(bucket, func.count())
                .where(CandidateIndex.score.is_not(None))
                .group_by(bucket)
            ).all()
        ),
    )
    out = []
    for b in range(10):
        n = int(rows.get(b, 0)) + (int(rows.get(10, 0)) if b == 9 else 0)
        out.append((f"{b * 10}–{b * 10 + 9 if b < 9 else 100}", n))
    return out


def bar_chart(
    data: list[tuple[str, float]],
    title: str,
    *,
    columns: tuple[str, str] | None = None,
    width: int = 640,
) -> Markup:
    """A bar chart as inline SVG, readable without JavaScript.

    With ``columns`` (the label and value headings) the chart carries its numbers as a table
    behind a "Show data" toggle, so they reach people who cannot see the bars; without, the page
    shows the same numbers in a table of its own beside the chart.
    """
    height, pad_left, pad_bottom, pad_top = 250, 90, 78, 16
    n = max(len(data), 1)
    top = max((v for _, v in data), default=0) or 1
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    slot = plot_w / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" '
        f'y2="{pad_top + plot_h}" class="axis"/>',
        f'<text x="{pad_left - 4}" y="{pad_top + 4}" class="tick" text-anchor="end">{top:g}</text>',
    ]
    for i, (label, value) in enumerate(data):
        h = plot_h * value / top
        x = pad_left + i * slot + slot * 0.15
        y = pad_top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'class="bar"><title>{escape(label)}: {value:g}</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" class="value" '
            f'text-anchor="middle">{value:g}</text>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{pad_top + plot_h + 14}" class="tick" '
            f'text-anchor="end" transform="rotate(-30 {x + slot * 0.35:.1f} '
            f'{pad_top + plot_h + 14})">{escape(label)}</text>'
        )
    parts.append("</svg>")
    if columns is not None:
        parts.append(_data_table(data, title, columns))
    return Markup("".join(parts))


def _data_table(data: list[tuple[str, float]], title: str, columns: tuple[str, str]) -> str:
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{v:g}</td></tr>' for k, v in data)
    return (
        '<details class="chart-data"><summary>Show data</summary>'
        f'<table class="table"><caption class="visually-hidden">{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(columns[0])}</th>'
        f'<th scope="col">{escape(columns[1])}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )
