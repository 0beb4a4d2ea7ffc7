"""The API's models for live work: task batches pushed by a client, their progress, and the
preference data pulled back."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from portal.api.schemas import Id, Line, ListQuery, Strict

TaskFormat = Literal["native", "llmbar", "pandalm", "hh-rlhf"]
MAX_RECORDS = 5000


class BatchPush(Strict):
    format: TaskFormat = Field(
        "native", description="The item importers' formats; each record is one line of that file"
    )
    records: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_RECORDS,
        description="Task records; errors name them `record N` (1-based), nothing is added",
    )
    batch_id: Id | None = Field(None, description="Add to this open batch instead of a new one")
    name: Line | None = None
    overlap: int = Field(3, ge=1, le=20, description="Raters per task")
    gold_share: float = Field(0.08, ge=0, lt=0.5, description="Share of gold tasks mixed in")
    rationale_required: bool = True
    guideline_version: int | None = Field(None, ge=1, le=2**31 - 1)


class Batch(BaseModel):
    id: int
    project_id: int
    name: str
    status: Literal["open", "closed"]
    overlap: int
    gold_share: float
    rationale_required: bool
    guideline_version: int | None
    created_at: datetime
    tasks: int = Field(description="Tasks in the batch, gold included")
    judgements_needed: int = Field(description="tasks x overlap")
    judgements_done: int
    percent: int
    per_hour: float = Field(description="Judgements per hour over the last 24 hours")
    eta: datetime | None = Field(description="When the batch is done at that rate (null: no rate)")


class BatchPushResult(BaseModel):
    batch: Batch | None = Field(description="null when every record was already in the project")
    added: int
    skipped: int = Field(description="Records the project already has (same content)")
    gold: int = Field(description="Gold tasks mixed in from the audited bank")


class BatchQuery(ListQuery):
    status: Literal["open", "closed"] | None = None


class BatchPage(BaseModel):
    data: list[Batch]
    next_cursor: str | None


class PreferenceQuery(ListQuery):
    batch_id: Id | None = None
    aggregate: Literal["dawid_skene", "majority"] = "dawid_skene"


class Preference(BaseModel):
    """One comparison, as in `flask export-preferences` (the same record, field for field)."""

    prompt: str
    chosen: str
    rejected: str
    margin: float
    agreement: float
    n_raters: int
    aggregate: Literal["dawid_skene", "majority"]
    guideline_version: int | None
    task_id: int
    rater_ids: list[str] = Field(description="Pseudonymous, stable within the project")


class PreferenceSummary(BaseModel):
    records: int
    tasks: int
    ties: int = Field(description="Comparisons left out: the raters' aggregate is a tie")
    flagged_tasks: int = Field(description="Tasks left out: most raters flagged them broken")
    aggregate: Literal["dawid_skene", "majority"]


class PreferencePage(BaseModel):
    data: list[Preference]
    next_cursor: str | None
    summary: PreferenceSummary
