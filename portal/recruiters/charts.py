"""Dashboard numbers (funnel, applications per week, score distribution) and SVG charts."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, AuditEvent, CandidateIndex
from portal.pipeline import STAGES, WAITING_ON_US
from portal.recruiters import sla
from portal.workdays import iso_week

# The main path through the pipeline, in order; exits are counted beside it.
FUNNEL = [
    ("applied", ("applied",)),
    ("profile_complete", ("profile_complete",)),
    ("assessed", ("assessed_passed", "assessed_failed")),
    ("assessed_passed", ("assessed_passed",)),
    ("shortlisted", ("shortlisted",)),
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


def stage_counts() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(Applicant.stage, func.count())
            .where(Applicant.deleted_at.is_(None))
            .group_by(Applicant.stage)
        ).all()
    )


def sla_counts(now: datetime) -> dict[str, int]:
    waiting = Applicant.stage.in_(sorted(WAITING_ON_US))
    due_cut = sla.entered_before(now, sla.DUE_AT)
    overdue_cut = sla.entered_before(now, sla.OVERDUE_AT)
    row = db.session.execute(
        select(
            func.count().filter(Applicant.stage_changed_at < overdue_cut),
            func.count().filter(
                Applicant.stage_changed_at < due_cut, Applicant.stage_changed_at >= overdue_cut
            ),
            func.count(),
        ).where(waiting, Applicant.deleted_at.is_(None))
    ).one()
    return {"overdue": row[0], "due": row[1], "waiting": row[2]}


def median_days_in_stage(since: datetime) -> dict[str, float]:
    """Median days spent in each stage before moving on (from the audited moves)."""
    rows = db.session.execute(
        select(AuditEvent.applicant_id, AuditEvent.created_at, AuditEvent.details)
        .where(AuditEvent.action == "stage.moved", AuditEvent.created_at >= since)
        .order_by(AuditEvent.applicant_id, AuditEvent.created_at, AuditEvent.id)
    ).all()
    created = (
        dict(
            db.session.execute(
                select(Applicant.id, Applicant.created_at).where(
                    Applicant.id.in_({r[0] for r in rows if r[0] is not None})
                )
            ).all()
        )
        if rows
        else {}
    )
    spans: dict[str, list[float]] = {}
    previous: dict[int, datetime] = {}
    for applicant_id, at, details in rows:
        if applicant_id is None:
            continue
        start = previous.get(applicant_id) or created.get(applicant_id)
        from_stage = (details or {}).get("from_stage")
        if start is not None and from_stage:
            spans.setdefault(from_stage, []).append((at - start).total_seconds() / 86400)
        previous[applicant_id] = at
    return {stage: round(statistics.median(v), 1) for stage, v in spans.items() if v}


def funnel(now: datetime) -> list[FunnelRow]:
    """Counts per step: now in it, and reached it (now in it or further along the main path).

    Rejected and withdrawn applicants are not on the main path and are listed separately;
    "reached" therefore undercounts people who left, which the dashboard says.
    """
    counts = stage_counts()
    medians = median_days_in_stage(now - timedelta(days=365))
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
    start_day = now.date() - timedelta(days=now.weekday() + 7 * (weeks - 1))
    labels = [iso_week(start_day + timedelta(weeks=i)) for i in range(weeks)]
    counts = dict.fromkeys(labels, 0)
    start = datetime.combine(start_day, datetime.min.time(), tzinfo=now.tzinfo)
    for (created,) in db.session.execute(
        select(Applicant.created_at).where(Applicant.created_at >= start)
    ):
        label = iso_week(created.date())
        if label in counts:
            counts[label] += 1
    return list(counts.items())


def score_distribution() -> list[tuple[str, int]]:
    bucket = func.floor(func.coalesce(CandidateIndex.score, 0) / 10)
    rows = dict(
        db.session.execute(
            select(bucket, func.count()).where(CandidateIndex.score.is_not(None)).group_by(bucket)
        ).all()
    )
    out = []
    for b in range(10):
        n = int(rows.get(b, 0)) + (int(rows.get(10, 0)) if b == 9 else 0)
        out.append((f"{b * 10}–{b * 10 + 9 if b < 9 else 100}", n))
    return out


def bar_chart(data: list[tuple[str, float]], title: str, *, width: int = 640) -> Markup:
    """A horizontal-label bar chart as inline SVG, readable without JavaScript."""
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
    return Markup("".join(parts))
