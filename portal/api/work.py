"""API operations for live work: a client pushes task batches to a project (``tasks:write``),
follows their progress, and pulls the preference data (``exports:read``)."""

import json
import re
from typing import Any

from flask import current_app, g
from sqlalchemy import select

from assessments.importers import ItemImportError, load_items
from portal.api import pagination
from portal.api import work_schemas as schemas
from portal.api.problems import ApiError
from portal.api.routing import bp
from portal.api.spec import operation
from portal.api.staffing import PROJECT_ID
from portal.api.views import context
from portal.extensions import db
from portal.models import Project, TaskBatch
from portal.work import batches, export

BATCH_ID = "<int(min=1, max=2147483647):batch_id>"
_WHERE = re.compile(r"^line (\d+): (.*)$", re.DOTALL)
# A preference's place in the export's order: its task, then its pair (at most 6 per task).
PAIRS_PER_TASK = 8


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise ApiError(404, f"There is no project {project_id}.")
    return project


def _batch(b: TaskBatch) -> schemas.Batch:
    done = batches.progress(b)
    return schemas.Batch(
        id=b.id,
        project_id=b.project_id,
        name=b.name,
        status=b.status,
        overlap=b.overlap,
        gold_share=b.gold_share,
        rationale_required=b.rationale_required,
        guideline_version=b.guideline_version,
        created_at=b.created_at,
        tasks=done.tasks,
        judgements_needed=done.needed,
        judgements_done=done.done,
        percent=done.percent,
        per_hour=done.per_hour,
        eta=done.eta,
    )


def _unstorable(value: Any) -> str | None:
    """Why a JSON value's text cannot be stored (PostgreSQL refuses NUL; lone surrogates are not
    UTF-8), or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return "text may not contain NUL characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text is not valid Unicode (a lone surrogate)"
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for part in value:
            if reason := _unstorable(part):
                return reason
    return None


def record_lines(records: list[dict[str, Any]], fmt: str) -> list[str]:
    """The records as the importer's lines; every bad one is reported as ``record N`` (422)."""
    problems: dict[int, str] = {}
    for n, record in enumerate(records, start=1):
        if reason := _unstorable(record):
            problems[n] = reason
    lines = [
        "{}" if n in problems else json.dumps(r, ensure_ascii=False)
        for n, r in enumerate(records, start=1)
    ]
    found: list[str] = []
    load_items(lines, fmt, errors=found)
    general = []
    for message in found:
        match = _WHERE.match(message)
        if match is None:
            general.append({"field": "records", "message": message})
        elif int(match.group(1)) not in problems:
            problems[int(match.group(1))] = match.group(2)
    if problems or general:
        errors = general + [
            {"field": f"records[{n - 1}]", "message": f"record {n}: {reason}"}
            for n, reason in sorted(problems.items())
        ]
        raise ApiError(
            422,
            f"{len(errors)} record(s) cannot be imported; nothing was added.",
            errors=errors,
        )
    return lines


@bp.post(f"/projects/{PROJECT_ID}/batches")
@operation(
    "tasks:write",
    tags=("work",),
    ok={201: schemas.BatchPushResult, 200: schemas.BatchPushResult},
    body=schemas.BatchPush,
    idempotent=True,
)
def push_batch(project_id: int) -> tuple[schemas.BatchPushResult, int]:
    """Push tasks to a project as a new batch (or into an open one), as `import-tasks` does:
    the same parsers, tasks the project already has are skipped, gold is mixed in from the
    audited bank. 201 when tasks were added, 200 when every record was already there."""
    body: schemas.BatchPush = context().json
    project = _project(project_id)
    target = None
    if body.batch_id is not None:
        target = db.session.get(TaskBatch, body.batch_id)
        if target is None or target.project_id != project.id:
            raise ApiError(404, f"Project {project.id} has no batch {body.batch_id}.")
        if target.status != "open":
            raise ApiError(422, f"Batch {target.id} is closed; reopen it or push a new batch.")
    lines = record_lines(body.records, body.format)
    settings = batches.BatchSettings(
        name=body.name or "",
        overlap=body.overlap,
        gold_share=body.gold_share,
        rationale_required=body.rationale_required,
        guideline_version=body.guideline_version,
    )
    try:
        result = batches.import_tasks(
            project, lines, body.format, settings, batch=target, actor=g.api_token.user
        )
    except (ItemImportError, batches.BatchError) as exc:
        raise ApiError(422, str(exc)) from exc
    made = db.session.get(TaskBatch, result.batch_id) if result.batch_id else None
    out = schemas.BatchPushResult(
        batch=_batch(made) if made else None,
        added=result.added,
        skipped=result.skipped,
        gold=result.gold,
    )
    return out, 201 if result.added else 200


@bp.get(f"/projects/{PROJECT_ID}/batches")
@operation(
    "tasks:write",
    tags=("work",),
    ok={200: schemas.BatchPage},
    errors=(400,),
    query=schemas.BatchQuery,
)
def list_batches(project_id: int) -> schemas.BatchPage:
    """The project's task batches with their progress, newest first."""
    query: schemas.BatchQuery = context().query
    _project(project_id)
    filters = query.model_dump(exclude={"limit", "cursor"}, exclude_none=True, mode="json")
    after = pagination.decode(query.cursor, f"batches-{project_id}", filters)
    stmt = select(TaskBatch).where(TaskBatch.project_id == project_id)
    if query.status:
        stmt = stmt.where(TaskBatch.status == query.status)
    if after is not None:
        stmt = stmt.where(TaskBatch.id < after)
    rows = list(db.session.scalars(stmt.order_by(TaskBatch.id.desc()).limit(query.limit + 1)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = pagination.encode(f"batches-{project_id}", rows[-1].id, filters) if more else None
    return schemas.BatchPage(data=[_batch(b) for b in rows], next_cursor=cursor)


@bp.get(f"/batches/{BATCH_ID}")
@operation("tasks:write", tags=("work",), ok={200: schemas.Batch})
def get_batch(batch_id: int) -> schemas.Batch:
    """One batch: judgements done / needed and an ETA from the last 24 hours' rate."""
    batch = db.session.get(TaskBatch, batch_id)
    if batch is None:
        raise ApiError(404, f"There is no batch {batch_id}.")
    return _batch(batch)


@bp.get(f"/projects/{PROJECT_ID}/preferences")
@operation(
    "exports:read",
    tags=("work",),
    ok={200: schemas.PreferencePage},
    errors=(400,),
    query=schemas.PreferenceQuery,
)
def list_preferences(project_id: int) -> schemas.PreferencePage:
    """The preference export, a page at a time, in task order: one record per comparison,
    aggregated over all of the project's (or batch's) judgements at the time of the request."""
    query: schemas.PreferenceQuery = context().query
    _project(project_id)
    if query.batch_id is not None:
        batch = db.session.get(TaskBatch, query.batch_id)
        if batch is None or batch.project_id != project_id:
            raise ApiError(404, f"Project {project_id} has no batch {query.batch_id}.")
    filters = query.model_dump(exclude={"limit", "cursor"}, exclude_none=True, mode="json")
    kind = f"preferences-{project_id}"
    after = pagination.decode(query.cursor, kind, filters)
    result = export.build(
        project_id,
        current_app.config["SECRET_KEY"],
        batch_id=query.batch_id,
        method=query.aggregate,
    )
    positioned = []
    seen: dict[int, int] = {}
    for record in result.records:
        k = seen.get(record["task_id"], 0)
        seen[record["task_id"]] = k + 1
        positioned.append((record["task_id"] * PAIRS_PER_TASK + k, record))
    if after is not None:
        positioned = [(p, r) for p, r in positioned if p > after]
    page = positioned[: query.limit]
    more = len(positioned) > query.limit
    return schemas.PreferencePage(
        data=[schemas.Preference(**r) for _, r in page],
        next_cursor=pagination.encode(kind, page[-1][0], filters) if more else None,
        summary=schemas.PreferenceSummary(
            records=len(result.records),
            tasks=result.tasks,
            ties=result.ties,
            flagged_tasks=result.flagged_tasks,
            aggregate=result.aggregate,
        ),
    )
