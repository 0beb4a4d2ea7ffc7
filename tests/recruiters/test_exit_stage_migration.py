"""Revision 0021 on a database filled before applications (0018) and migrated through them:
leavers get the stage they left from."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, Application
from portal.recruiters import exits
from tests.conftest import make_app, postgres_database, service_missing

BEFORE = """
INSERT INTO "user" (id, email, name, password_hash, role, active, created_at) VALUES
  (1, 'ana@example.com', 'Ana', 'x', 'applicant', {true}, '2026-11-02 09:00:00+00:00'),
  (2, 'ben@example.com', 'Ben', 'x', 'applicant', {true}, '2026-11-02 09:00:00+00:00'),
  (3, 'cy@example.com', 'Cy', 'x', 'applicant', {true}, '2026-11-02 09:00:00+00:00');
INSERT INTO applicant (id, user_id, full_name, links, skills, domains, languages, experience,
  education, labelling_experience, stage, stage_changed_at, created_at, exit_reason) VALUES
  (1, 1, 'Ana', '[]', '[]', '[]', '[]', '[]', '[]', '[]', 'rejected',
   '2026-11-12 09:00:00+00:00', '2026-11-02 09:00:00+00:00', 'assessment'),
  (2, 2, 'Ben', '[]', '[]', '[]', '[]', '[]', '[]', '[]', 'shortlisted',
   '2026-11-12 09:00:00+00:00', '2026-11-02 09:00:00+00:00', NULL),
  (3, 3, 'Cy', '[]', '[]', '[]', '[]', '[]', '[]', '[]', 'withdrawn',
   '2026-11-12 09:00:00+00:00', '2026-11-02 09:00:00+00:00', 'applicant_choice');
INSERT INTO stage_span (applicant_id, stage, entered_at, left_at, days) VALUES
  (1, 'applied', '2026-11-02 09:00:00+00:00', '2026-11-04 09:00:00+00:00', 2),
  (1, 'profile_complete', '2026-11-04 09:00:00+00:00', '2026-11-05 09:00:00+00:00', 1),
  (1, 'assessed_failed', '2026-11-05 09:00:00+00:00', '2026-11-12 09:00:00+00:00', 7),
  (2, 'applied', '2026-11-02 09:00:00+00:00', '2026-11-04 09:00:00+00:00', 2)
"""


def check_exit_stage_upgrade(url: str, tmp_path: Path) -> None:
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="0018")
        true = "true" if db.engine.dialect.name == "postgresql" else "1"
        with db.engine.begin() as conn:
            for statement in filter(str.strip, BEFORE.format(true=true).split(";")):
                conn.exec_driver_sql(statement)
        upgrade()
        rows = db.session.execute(
            select(Applicant.id, Applicant.stage, Applicant.exit_stage).order_by(Applicant.id)
        ).all()
        assert [tuple(r) for r in rows] == [
            (1, "rejected", "assessed_failed"),  # from its last span
            (2, "shortlisted", None),  # still in the pipeline
            (3, "withdrawn", None),  # no span recorded: stays unknown
        ]
        by_applicant = dict(
            db.session.execute(select(Application.applicant_id, Application.exit_stage)).all()
        )
        assert by_applicant == {1: "assessed_failed", 2: None, 3: None}
        report = exits.exit_report()
        assert {r.key: r for r in report.rows}["assessed"].left == {"assessment": 1}
        assert report.unplaced == {"applicant_choice": 1}
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_exit_stage_upgrade(tmp_path):
    check_exit_stage_upgrade(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        service_missing("PostgreSQL (TEST_DATABASE_URL)")
    with postgres_database(url) as scratch:
        yield scratch


@pytest.mark.postgres
def test_postgres_exit_stage_upgrade(scratch_postgres, tmp_path):
    check_exit_stage_upgrade(scratch_postgres, tmp_path)
