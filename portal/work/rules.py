"""What the queue and the quality report share: a task as an engine item, and the pause rule."""

from __future__ import annotations

from typing import Any

from flask import current_app

from assessments.items import Item as EngineItem
from portal.models import WorkTask
from portal.work.quality import PauseRule


def engine_item(task: WorkTask, rationale_required: bool = False) -> EngineItem:
    """The engine's item for a task (gold is a placeholder for ordinary tasks: never scored)."""
    if task.gold is not None:
        gold: Any = tuple(task.gold) if isinstance(task.gold, list) else task.gold
    else:
        gold = 0 if task.kind == "pairwise" else tuple(range(1, len(task.responses) + 1))
    return EngineItem(
        kind=task.kind,
        prompt=task.prompt,
        responses=tuple(task.responses),
        gold=gold,
        rationale_required=rationale_required,
    )


def pause_rule() -> PauseRule:
    """The pause rule from the app's config (WORK_GOLD_BAR, WORK_MIN_GOLD,
    WORK_PROBATION_GOLD)."""
    return PauseRule(
        bar=float(current_app.config.get("WORK_GOLD_BAR", 0.7)),
        min_gold=int(current_app.config.get("WORK_MIN_GOLD", 10)),
        probation_gold=int(current_app.config.get("WORK_PROBATION_GOLD", 40)),
    )
