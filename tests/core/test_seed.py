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


def test_demo_has_saved_searches_templates_with_posting_variables_and_exit_reasons(app):
    from portal.models import EmailTemplate, SavedSearch
    from portal.pipeline import EXIT_REASONS, EXITS
    from portal.recruiters.emails import unknown_variables

    app.test_cli_runner().invoke(args=["seed-demo"])
    searches = db.session.scalars(select(SavedSearch)).all()
    assert len(searches) >= 2 and any(s.shared for s in searches)
    bodies = [t.body for t in db.session.scalars(select(EmailTemplate))]
    assert any("{{ posting_title }}" in b and "{{ answer_by }}" in b for b in bodies)
    assert all(not unknown_variables(b) for b in bodies)
    leavers = db.session.scalars(select(Applicant).where(Applicant.stage.in_(EXITS))).all()
    assert leavers and all(a.exit_stage and a.exit_reason in EXIT_REASONS for a in leavers)
