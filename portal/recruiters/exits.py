"""Where and why people leave the pipeline: per funnel step, how many applications reached it
and how many left from it with each structured reason (``pipeline.EXIT_REASONS``), for one
posting or all of them.

Counted in SQL: one grouped query over the applications' (stage, exit stage, exit reason)
returns at most a few dozen rows, whatever the number of applicants; the steps are then summed
from those groups. An application that left reached every step up to the one it left from, so
"reached" counts it too (the plain funnel counts only those still on the main path).
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, Application
from portal.pipeline import EXIT_REASONS, EXITS
from portal.recruiters.charts import _FUNNEL_LABELS, _ORDER, FUNNEL

UNKNOWN = "unknown"  # left before the stage they left from was recorded


@dataclass
class ExitRow:
    key: str
    label: str
    reached: int
    left: dict[str, int] = field(default_factory=dict)  # reason code -> people

    @property
    def left_total(self) -> int:
        return sum(self.left.values())


@dataclass
class ExitReport:
    rows: list[ExitRow]
    reasons: dict[str, str]  # the reason columns to show: code -> label
    unplaced: dict[str, int]  # left from an unrecorded stage: reason -> people
    total: int


def grouped_counts(posting_id: int | None = None) -> list[tuple[str, str | None, str | None, int]]:
    """(stage, exit stage, exit reason, applications): the one query the report is summed from
    (deleted applicants left out; one posting's applications, or every posting's)."""
    app = Application
    stmt = (
        select(app.stage, app.exit_stage, app.exit_reason, func.count())
        .join(Applicant, Applicant.id == app.applicant_id)
        .where(Applicant.deleted_at.is_(None))
        .group_by(app.stage, app.exit_stage, app.exit_reason)
    )
    if posting_id is not None:
        stmt = stmt.where(app.posting_id == posting_id)
    return [tuple(row) for row in db.session.execute(stmt)]  # type: ignore[misc]


# The step an exit is counted at: the most specific step holding the stage left from.
_STEP_OF = {stage: key for key, stages in FUNNEL for stage in stages}


def exit_report(posting_id: int | None = None) -> ExitReport:
    """The funnel with its exits, for one posting or all."""
    groups = grouped_counts(posting_id)
    reached_at: dict[int, int] = {}  # furthest main-path order -> people
    left: dict[str, dict[str, int]] = {}
    unplaced: dict[str, int] = {}
    for stage, exit_stage, reason, n in groups:
        if stage in EXITS:
            code = reason or UNKNOWN
            step = _STEP_OF.get(exit_stage or "")
            if step is None:
                unplaced[code] = unplaced.get(code, 0) + n
                continue
            left.setdefault(step, {})
            left[step][code] = left[step].get(code, 0) + n
            stage = exit_stage
        if stage in _ORDER:
            reached_at[_ORDER[stage]] = reached_at.get(_ORDER[stage], 0) + n
    rows = []
    for key, stages in FUNNEL:
        floor = min(_ORDER[s] for s in stages)
        reached = sum(n for order, n in reached_at.items() if order >= floor)
        rows.append(ExitRow(key, _FUNNEL_LABELS.get(key, key), reached, left.get(key, {})))
    used = {code for row in rows for code in row.left} | set(unplaced)
    reasons = {code: label for code, (label, _) in EXIT_REASONS.items() if code in used}
    if UNKNOWN in used:
        reasons[UNKNOWN] = "Not recorded"
    return ExitReport(rows, reasons, unplaced, sum(n for *_, n in groups))
