"""20 raters claiming at once on PostgreSQL: no task above its overlap, no task twice to one
rater, every slot used exactly once."""

import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Judgement, TaskClaim, WorkTask
from portal.work import queue
from tests.conftest import service_missing
from tests.work.helpers import batch_of, live_project, rater

CLAIMERS = 20


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        service_missing("PostgreSQL (TEST_DATABASE_URL)")


def _race(app, assignments, work) -> list[BaseException]:
    barrier = threading.Barrier(len(assignments))
    errors: list[BaseException] = []

    def run(applicant_id: int, project_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                work(applicant_id, project_id)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=(a.applicant_id, a.project_id)) for a in assignments
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.postgres
def test_twenty_claimers_racing_for_the_last_slots(app, postgres_only, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1, overlap=3)
    assignments = [rater(project) for _ in range(CLAIMERS)]
    db.session.commit()
    errors = _race(app, assignments, queue.claim_next)
    assert errors == []
    db.session.expire_all()
    task = db.session.scalar(select(WorkTask))
    claims = db.session.scalar(select(func.count(TaskClaim.id)))
    assert (task.slots_taken, claims) == (3, 3)


@pytest.mark.postgres
def test_twenty_raters_working_a_batch_to_the_end(app, postgres_only, tmp_path):
    project = live_project()
    batch = batch_of(project, tmp_path, 12, overlap=3)
    assignments = [rater(project) for _ in range(CLAIMERS)]
    db.session.commit()

    def work(applicant_id: int, project_id: int) -> None:
        while (claim := queue.claim_next(applicant_id, project_id)) is not None:
            queue.submit(claim.id, applicant_id, {"choice": 1, "rationale": "ok"})

    errors = _race(app, assignments, work)
    assert errors == []
    db.session.expire_all()
    per_task = dict(
        db.session.execute(
            select(Judgement.task_id, func.count(Judgement.id)).group_by(Judgement.task_id)
        ).all()
    )
    assert sorted(per_task.values()) == [3] * 12
    assert {t.slots_taken for t in batch.tasks} == {3}
    pairs = db.session.execute(select(Judgement.task_id, Judgement.applicant_id)).all()
    assert len(pairs) == len(set(pairs)) == 36
