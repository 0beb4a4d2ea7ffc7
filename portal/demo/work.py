"""Demo live work: a project with two batches, three raters of different quality (one paused
by the quality rule), and judgements enough for an export."""

import random
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Client,
    Project,
    RaterPause,
    TaskBatch,
    User,
    WorkTask,
)
from portal.work import queue
from portal.work.batches import BatchSettings, import_tasks

DEMO_PROJECT = "Live preference data (demo)"
# email -> how often the rater picks the better response (gold and client tasks alike). Demo
# people with no other assignment, so the payments demo's contractors keep theirs alone.
RATERS = [
    ("quinn.mbeki.36@demo.example", 0.95),
    ("rania.dubois.37@demo.example", 0.8),
    ("paulo.fernandes.35@demo.example", 0.2),
]


def _records(batch: int, n: int) -> list[str]:
    import json

    lines = []
    for i in range(n):
        if i % 4 == 3:
            lines.append(
                json.dumps(
                    {
                        "kind": "ranking",
                        "prompt": f"Batch {batch}, task {i}: rank the summaries of the memo.",
                        "responses": [f"Precise summary {i}", f"Vague summary {i}", f"Wrong {i}"],
                        "gold": [1, 2, 3],
                        "domain": "writing",
                    }
                )
            )
        else:
            lines.append(
                json.dumps(
                    {
                        "kind": "pairwise",
                        "prompt": f"Batch {batch}, task {i}: rewrite the email politely.",
                        "responses": [f"Polite, complete rewrite {i}", f"Curt rewrite {i}"],
                        "gold": -2,
                        "domain": "writing",
                    }
                )
            )
    return lines


def _answer(task: WorkTask, permutation: list[int], good: bool) -> dict[str, object]:
    """In shown order: gold's answer (for demo tasks, the first response is the better one),
    or its opposite."""
    if task.kind == "pairwise":
        best = (task.gold or -1) if task.is_gold else -2
        canonical = best if good else -best
        return {"choice": canonical if permutation == [0, 1] else -canonical, "rationale": "demo"}
    ranks = list(task.gold) if task.is_gold else list(range(1, len(task.responses) + 1))
    if not good:
        top = max(ranks) + 1
        ranks = [top - r for r in ranks]
    return {"ranking": [ranks[c] for c in permutation], "rationale": "demo"}


def seed_work() -> Iterator[str]:
    if db.session.scalar(select(Project.id).where(Project.title == DEMO_PROJECT)):
        yield "work: demo live project already there"
        return
    client = db.session.scalar(select(Client).where(Client.name == "Demo Labs (live work)"))
    if client is None:
        client = Client(name="Demo Labs (live work)", contact_email="data@live-demo.example")
        db.session.add(client)
    project = Project(
        client=client,
        title=DEMO_PROJECT,
        description="Pairwise and ranking preference data, rated in the portal.",
        domains=["writing", "general"],
        status="staffed",
        headcount=3,
    )
    db.session.add(project)
    db.session.flush()
    today = clock.now().date()
    raters = []
    for email, accuracy in RATERS:
        applicant = db.session.scalar(select(Applicant).join(User).where(User.email == email))
        if applicant is None:
            continue
        assignment = Assignment(
            project_id=project.id,
            applicant_id=applicant.id,
            status="active",
            hourly_rate_cents=3200,
            weekly_hours=10,
            starts_on=today - timedelta(days=7),
        )
        db.session.add(assignment)
        raters.append((applicant.id, accuracy))
    db.session.commit()
    rng = random.Random(17)
    for n, (name, size) in enumerate((("Emails, week 1", 24), ("Summaries, week 2", 16)), 1):
        import_tasks(
            project,
            _records(n, size),
            "native",
            BatchSettings(name=name, overlap=3, gold_share=0.3, guideline_version=1),
            rng=rng,
        )
    for applicant_id, accuracy in raters:
        for _ in range(40):
            try:
                claim = queue.claim_next(applicant_id, project.id, rng=rng)
            except queue.WorkRefused:
                break  # paused by the quality rule
            if claim is None:
                break
            good = rng.random() < accuracy
            queue.submit(claim.id, applicant_id, _answer(claim.task, claim.permutation, good))
    batches = db.session.scalar(
        select(func.count(TaskBatch.id)).where(TaskBatch.project_id == project.id)
    )
    paused = db.session.scalar(
        select(func.count(RaterPause.id)).where(RaterPause.project_id == project.id)
    )
    yield (
        f"work: live project {project.id} with {batches} batches, {len(raters)} raters "
        f"({paused} paused by the quality rule); "
        f"export: flask --app wsgi export-preferences {project.id}"
    )
    yield (
        f"work: a rater's days and weeks at /me/work/history; the API's GET /api/v1/projects/"
        f"{project.id}/preferences and POST …/batches take a token with --scope exports:read "
        f"--scope tasks:write"
    )
