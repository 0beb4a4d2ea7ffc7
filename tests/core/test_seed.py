from sqlalchemy import func, select

from portal.demo.people import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Applicant, Resume, User
from portal.pipeline import STAGES
from portal.storage import get_storage


def test_seed_demo_is_idempotent_and_covers_every_stage(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.example" in first.output and DEMO_PASSWORD in first.output

    def counts():
        return [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Resume)]

    before = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts() == before
    # Every seeded resume file is really stored, so the download links work.
    storage = get_storage()
    assert all(storage.exists(key) for key in db.session.scalars(select(Resume.sha256)))
    stages = set(db.session.scalars(select(Applicant.stage)))
    assert stages == set(STAGES)


def test_demo_admin_can_sign_in(app, client, auth):
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert auth.login("admin@demo.example", DEMO_PASSWORD).headers["Location"].endswith("/admin/")


def test_create_user_command(app, auth):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Boss@Example.org", "--role", "admin", "--name", "Boss"],
        input="a-strong-password\na-strong-password\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        auth.login("boss@example.org", "a-strong-password").headers["Location"].endswith("/admin/")
    )
    again = app.test_cli_runner().invoke(
        args=["create-user", "boss@example.org", "--role", "admin"],
        input="a-strong-password\na-strong-password\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output
