"""Finding 5: a huge text resume is parsed with its searchable text capped, and a parse that
fails after it started ends "failed" with a sentence, never stuck in "parsing"."""

import itertools
import string
from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Resume
from portal.resumes import tasks
from portal.storage import get_storage
from tests import factories


def distinct_words(n: int) -> str:
    letters = string.ascii_lowercase
    words = ("".join(w) for w in itertools.product(letters, repeat=5))
    return " ".join(itertools.islice(words, n))


def test_a_huge_text_resume_is_parsed_and_its_search_text_capped(app):
    from portal.applicants.services import upload_resume

    user = factories.make_user("applicant")
    db.session.commit()
    body = "Ana Lima\nana@example.org\nSkills: contract law\n" + distinct_words(250_000)
    assert len(body) > 1_400_000  # more than PostgreSQL's tsvector can hold
    upload_resume(user.applicant, body.encode(), "huge.txt", actor=user)  # parses after commit
    db.session.expire_all()
    resume = db.session.scalar(select(Resume))
    assert resume.status == "parsed", resume.error
    assert len(resume.text) <= 200_000
    assert resume.text.startswith("Ana Lima")


def stored_resume(user, status="pending", **fields):
    key = get_storage().save(b"Ana Lima\nana@example.org\nSkills: contract law\n")
    resume = Resume(
        applicant_id=user.applicant.id,
        sha256=key,
        size=10,
        kind="txt",
        filename="cv.txt",
        status=status,
        **fields,
    )
    db.session.add(resume)
    db.session.commit()
    return resume


def test_a_failure_while_storing_the_parse_ends_failed_with_a_sentence(app, monkeypatch):
    user = factories.make_user("applicant")
    resume = stored_resume(user)

    from portal.recruiters import index as search

    calls, index = [], search.refresh_candidates

    def broken_index(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # storing the parse's result, as PostgreSQL refused a huge text
            raise RuntimeError("string is too long for tsvector (1500000 bytes, max 1048575)")
        return index(*args, **kwargs)

    monkeypatch.setattr("portal.recruiters.index.refresh_candidates", broken_index)
    tasks.parse_resume_task(resume.id)
    db.session.expire_all()
    resume = db.session.get(Resume, resume.id)
    assert resume.status == "failed"
    assert resume.error and resume.error.endswith(".") and "tsvector" not in resume.error


def test_the_beat_sweep_fails_parses_stuck_longer_than_the_time_limit(app):
    user = factories.make_user("applicant")
    now = clock.now()
    stuck = stored_resume(user, status="parsing", queued_at=now - timedelta(minutes=5))
    running = stored_resume(user, status="parsing", queued_at=now - timedelta(seconds=20))
    sweep = app.extensions["celery"].tasks["resumes.fail_stuck"]
    assert sweep.apply().get() == 1
    db.session.expire_all()
    assert db.session.get(Resume, stuck.id).status == "failed"
    assert db.session.get(Resume, stuck.id).error
    assert db.session.get(Resume, running.id).status == "parsing"
    assert "resumes.fail_stuck" in {
        e["task"] for e in app.extensions["celery"].conf.beat_schedule.values()
    }
