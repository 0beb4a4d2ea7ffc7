"""The short check that comes with a guideline change on a live project.

When the rules change under raters who are already working, reading is not enough: each must
answer 3–5 questions written for the change before their queue resumes (issue 17). The admin
writes them in plain text next to the new version::

    Q: A response says <nooutput>. What do you do?
    - Rank it last
    - Flag it as broken *
    - Skip the task

``Q:`` starts a question, ``-`` an option, a trailing ``*`` marks the right one. Stored on the
guideline as ``[{"question", "options", "answer"}]`` (``answer`` indexes ``options``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import TaskBatch

MIN_ITEMS, MAX_ITEMS = 3, 5


class CheckError(ValueError):
    """The check text is not usable; ``errors`` lists every problem with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class CheckFailed(ValueError):
    """Some check questions were answered wrongly; ``wrong`` holds their indexes."""

    def __init__(self, wrong: list[int]) -> None:
        numbers = ", ".join(str(i + 1) for i in wrong)
        super().__init__(f"Not quite: question(s) {numbers} need another look.")
        self.wrong = wrong


def parse(text: str) -> list[dict[str, Any]]:
    """The check items written in ``text`` (empty text: no check); CheckError lists all errors."""
    items: list[dict[str, Any]] = []
    errors: list[str] = []
    starts: list[int] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[:2].upper() == "Q:":
            question = line[2:].strip()
            if not question:
                errors.append(f"Line {number}: the question is empty.")
            items.append({"question": question, "options": [], "answer": None})
            starts.append(number)
        elif line.startswith("-"):
            if not items:
                errors.append(f"Line {number}: an option before any question (start with Q:).")
                continue
            option = line[1:].strip()
            right = option.endswith("*")
            option = option.removesuffix("*").strip()
            if not option:
                errors.append(f"Line {number}: the option is empty.")
                continue
            if right:
                if items[-1]["answer"] is not None:
                    errors.append(f"Line {number}: a second right answer (mark only one with *).")
                items[-1]["answer"] = len(items[-1]["options"])
            items[-1]["options"].append(option)
        else:
            errors.append(f"Line {number}: start a question with “Q:” and an option with “-”.")
    for item, start in zip(items, starts, strict=True):
        if len(item["options"]) < 2:
            errors.append(f"Line {start}: give at least two options.")
        if item["answer"] is None:
            errors.append(f"Line {start}: mark the right option with a trailing *.")
    if items and not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        errors.append(f"Write {MIN_ITEMS} to {MAX_ITEMS} questions (there are {len(items)}).")
    if errors:
        raise CheckError(errors)
    return items


def as_text(items: list[dict[str, Any]]) -> str:
    """The items written back in the admin's format (to edit or copy forward)."""
    lines: list[str] = []
    for item in items:
        lines.append(f"Q: {item['question']}")
        for i, option in enumerate(item["options"]):
            lines.append(f"- {option}{' *' if i == item['answer'] else ''}")
        lines.append("")
    return "\n".join(lines).strip()


def wrong_answers(items: list[dict[str, Any]], answers: Mapping[str, str]) -> list[int]:
    """The indexes of the items answered wrongly or not at all (``answers``: "q0" -> "1")."""
    wrong = []
    for i, item in enumerate(items):
        given = answers.get(f"q{i}", "")
        if not given.isdigit() or int(given) != item["answer"]:
            wrong.append(i)
    return wrong


def required_for(project_id: int, has_previous_version: bool) -> bool:
    """A new version of a project with live work in the portal needs a check."""
    if not has_previous_version:
        return False
    return (
        db.session.scalar(select(TaskBatch.id).where(TaskBatch.project_id == project_id).limit(1))
        is not None
    )
