"""Migration 0019 on a database filled before it: every applicant lands on the default posting
with their stage, its time, their exit and their stage history; nothing is lost."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from portal.extensions import db
from tests.conftest import make_app
from tests.core.test_migrations import scratch_postgres  # noqa: F401 - the fixture

# (id, stage, stage changed, exit reason, exit note)
APPLICANTS = [
    (1, "applied", "2026-11-02 09:00:00+00:00", None, None),
    (2, "assessed_passed", "2026-11-12 09:00:00+00:00", None, None),
    (3, "rejected", "2026-11-20 15:30:00+00:00", "experience", "No legal background"),
    (4, "withdrawn", "2026-11-21 08:00:00+00:00", "applicant_choice", None),
    (5, "active", "2026-11-25 10:00:00+00:00", None, None),
]
# (applicant, stage, entered, left, days)
SPANS = [
    (2, "applied", "2026-11-02 09:00:00+00:00", "2026-11-04 09:00:00+00:00", 2.0),
    (2, "profile_complete", "2026-11-04 09:00:00+00:00", "2026-11-12 09:00:00+00:00", 8.0),
    (3, "applied", "2026-11-02 09:00:00+00:00", "2026-11-20 15:30:00+00:00", 18.27),
    (5, "offered", "2026-11-20 10:00:00+00:00", "2026-11-25 10:00:00+00:00", 5.0),
]


def fill(conn) -> None:
    postgres = conn.dialect.name == "postgresql"
    true = "true" if postgres else "1"
    for applicant_id, stage, changed, reason, note in APPLICANTS:
        conn.exec_driver_sql(
            'INSERT INTO "user" (id, email, name, password_hash, role, active, created_at) '
            f"VALUES ({applicant_id}, 'a{applicant_id}@example.com', 'A{applicant_id}', 'x', "
            f"'applicant', {true}, '2026-11-02 09:00:00+00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO applicant (id, user_id, full_name, links, skills, domains, languages, "
            "experience, education, labelling_experience, stage, stage_changed_at, exit_reason, "
            f"exit_note, created_at) VALUES ({applicant_id}, {applicant_id}, 'A{applicant_id}', "
            f"'[]', '[]', '[]', '[]', '[]', '[]', '[]', '{stage}', '{changed}', "
            f"{repr(reason) if reason else 'NULL'}, {repr(note) if note else 'NULL'}, "
            "'2026-11-02 09:00:00+00:00')"
        )
    for applicant_id, stage, entered, left, days in SPANS:
        conn.exec_driver_sql(
            "INSERT INTO stage_span (applicant_id, stage, entered_at, left_at, days) "
            f"VALUES ({applicant_id}, '{stage}', '{entered}', '{left}', {days})"
        )


def check_applications_migration(url: str, tmp_path: Path) -> None:
    from portal.models import Applicant, Application, Posting, StageSpan

    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            fill(conn)
        upgrade()
        default = db.session.scalar(select(Posting).where(Posting.slug == "ai-response-rater"))
        applications = db.session.scalars(select(Application).order_by(Application.applicant_id))
        got = [
            (
                a.applicant_id,
                a.posting_id,
                a.stage,
                a.stage_changed_at,
                a.exit_reason,
                a.exit_note,
                a.created_at,
            )
            for a in applications
        ]
        assert got == [
            (
                applicant_id,
                default.id,
                stage,
                datetime.fromisoformat(changed).astimezone(UTC),
                reason,
                note,
                datetime(2026, 11, 2, 9, tzinfo=UTC),
            )
            for applicant_id, stage, changed, reason, note in APPLICANTS
        ]
        # The applicants keep their stage (it mirrors their one application).
        stages = dict(db.session.execute(select(Applicant.id, Applicant.stage)).all())
        assert stages == {row[0]: row[1] for row in APPLICANTS}
        by_applicant = dict(
            db.session.execute(select(Application.applicant_id, Application.id)).all()
        )
        spans = db.session.scalars(select(StageSpan).order_by(StageSpan.id)).all()
        assert [(s.applicant_id, s.stage, s.days) for s in spans] == [
            (a, stage, days) for a, stage, _, _, days in SPANS
        ]
        assert all(s.application_id == by_applicant[s.applicant_id] for s in spans)
        db.session.remove()
        downgrade(revision="0018")
        with db.engine.connect() as conn:  # down again: the applicants are all still there
            assert conn.exec_driver_sql("SELECT count(*) FROM applicant").scalar() == 5
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_applications_migration_keeps_every_applicant(tmp_path):
    check_applications_migration(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)


@pytest.mark.postgres
def test_postgres_applications_migration_keeps_every_applicant(
    scratch_postgres,  # noqa: F811
    tmp_path,
):
    check_applications_migration(scratch_postgres, tmp_path)
