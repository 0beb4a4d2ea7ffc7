"""`flask db upgrade` on an empty database gives exactly the models' schema."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select

from portal.extensions import db
from tests.conftest import make_app, postgres_database, service_missing


def check_upgrade(url: str, tmp_path: Path) -> None:
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "render_as_batch": True}
                )
                diff = compare_metadata(context, db.metadata)
        finally:
            engine.dispose()
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_upgrade_matches_models(tmp_path):
    check_upgrade(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """An empty PostgreSQL database of its own, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        service_missing("PostgreSQL (TEST_DATABASE_URL)")
    with postgres_database(url) as scratch:
        yield scratch


@pytest.mark.postgres
def test_postgres_upgrade_matches_models(scratch_postgres, tmp_path):
    check_upgrade(scratch_postgres, tmp_path)


OLD_ROWS = """
INSERT INTO "user" (id, email, name, password_hash, role, active, created_at)
VALUES (1, 'ana@example.com', 'Ana', 'x', 'applicant', {true}, '2026-11-02 09:00:00+00:00');
INSERT INTO applicant (id, user_id, full_name, country, links, skills, domains, languages,
  experience, education, labelling_experience, weekly_hours, desired_rate_cents, stage,
  stage_changed_at, created_at)
VALUES (1, 1, 'Ana Lima', 'BR', '[]', '["Contract law", " Portuguese "]', '["Law"]', '[]', '[]',
  '[]', '[]', 20, 3000, 'assessed_passed', '2026-11-12 09:00:00+00:00',
  '2026-11-02 09:00:00+00:00');
INSERT INTO candidate_index (applicant_id, domains, skills, score, passed, has_labelling,
  queue, stage_changed_at, updated_at)
VALUES (1, '|law|', '|contract law|portuguese|', 82, {true}, {false}, 0,
  '2026-11-12 09:00:00+00:00', '2026-11-12 09:00:00+00:00');
INSERT INTO candidate_document (applicant_id, document{vector_column})
VALUES (1, '{document}'{vector_value});
INSERT INTO audit_event (id, action, subject_type, subject_id, applicant_id, details, created_at)
VALUES (1, 'stage.moved', 'applicant', 1, 1,
  '{{"from_stage": "applied", "to_stage": "profile_complete"}}', '2026-11-04 09:00:00+00:00'),
  (2, 'stage.moved', 'applicant', 1, 1,
  '{{"from_stage": "profile_complete", "to_stage": "assessed_passed"}}',
  '2026-11-12 09:00:00+00:00');
"""


def check_search_index_upgrade(url: str, tmp_path: Path) -> None:
    """Applicants indexed before the search index held every filter are found after it."""
    from datetime import UTC, datetime

    from werkzeug.datastructures import MultiDict

    from portal.models import StageSpan
    from portal.recruiters import filters as search

    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="0007")
        postgres = db.engine.dialect.name == "postgresql"
        document = "ana lima drafted commercial leases"
        rows = OLD_ROWS.format(
            true="true" if postgres else "1",
            false="false" if postgres else "0",
            document="" if postgres else document,
            vector_column=", search_vector" if postgres else "",
            vector_value=f", to_tsvector('simple', '{document}')" if postgres else "",
        )
        with db.engine.begin() as conn:
            for statement in filter(str.strip, rows.split(";")):
                conn.exec_driver_sql(statement)
        upgrade()
        now = datetime(2026, 11, 28, tzinfo=UTC)
        dialect = db.engine.dialect.name

        def found(**args: str) -> list[int]:
            f = search.parse_filters(MultiDict(args))
            return list(db.session.scalars(search.ids_query(f, now, dialect)))

        assert found() == [1]
        assert found(q="leases") == [1]
        assert found(domain="law", skills="portuguese", country="BR", stage="assessed_passed")
        assert found(hours_min="20", rate_max="30", score_min="80", sort="name") == [1]
        assert found(skills="python") == [] and found(country="DE") == []
        spans = db.session.scalars(select(StageSpan).order_by(StageSpan.left_at)).all()
        assert [(s.stage, round(s.days)) for s in spans] == [
            ("applied", 2),
            ("profile_complete", 8),
        ]
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_search_index_upgrade_keeps_applicants(tmp_path):
    check_search_index_upgrade(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)


@pytest.mark.postgres
def test_postgres_search_index_upgrade_keeps_applicants(scratch_postgres, tmp_path):
    check_search_index_upgrade(scratch_postgres, tmp_path)
