"""Finding 2: parallel starts never open a second assessment attempt for one applicant."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from assessments import BANK_ITEMS
from portal.assessment import attempts as service
from portal.assessment.bank import import_items
from portal.extensions import db
from portal.models import Attempt, User
from tests import factories
from tests.conftest import service_missing


@pytest.fixture
def bank(app):
    import_items(BANK_ITEMS, "native", status="live")
    db.session.commit()


@pytest.fixture
def applicant_user(bank):
    user = factories.make_user("applicant", applicant={"stage": "profile_complete"})
    db.session.commit()
    return user


def in_progress(applicant_id):
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).where(
            Attempt.applicant_id == applicant_id, Attempt.status == "in_progress"
        )
    )


def test_the_database_refuses_a_second_attempt_in_progress(applicant_user):
    first = service.start_attempt(applicant_user)
    db.session.add(
        Attempt(
            applicant_id=applicant_user.applicant.id,
            status="in_progress",
            deadline=first.deadline,
            n_items=1,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # A finished attempt beside the one in progress is fine (retakes keep their history).
    db.session.add(
        Attempt(
            applicant_id=applicant_user.applicant.id,
            status="expired",
            deadline=first.deadline,
            n_items=1,
        )
    )
    db.session.commit()


def test_the_loser_of_a_race_lands_on_the_attempt_in_progress(applicant_user, monkeypatch):
    first = service.start_attempt(applicant_user)
    # The loser decided before the winner committed: to it, the applicant was free to start.
    monkeypatch.setattr(
        service, "eligibility", lambda user, now=None: service.Eligibility(True, "")
    )
    second = service.start_attempt(applicant_user)
    assert second.id == first.id
    assert in_progress(applicant_user.applicant.id) == 1


def test_eight_parallel_starts_on_postgresql_open_one_attempt(app, applicant_user):
    if db.engine.url.get_backend_name() != "postgresql":
        service_missing("PostgreSQL (TEST_DATABASE_URL): row locks need it")
    user_id = applicant_user.id
    barrier = threading.Barrier(8)
    started: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                barrier.wait()
                started.append(service.start_attempt(user).id)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(started) == 8 and len(set(started)) == 1
    assert in_progress(applicant_user.applicant.id) == 1
