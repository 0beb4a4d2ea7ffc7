"""`flask db upgrade` on an empty database gives exactly the models' schema."""

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine

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


@pytest.mark.postgres
def test_postgres_upgrade_matches_models(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        service_missing("PostgreSQL (TEST_DATABASE_URL)")
    with postgres_database(url) as scratch:
        check_upgrade(scratch, tmp_path)
