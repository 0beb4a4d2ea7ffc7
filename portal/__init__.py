"""The talent portal: a Flask application built by `create_app`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Heavy imports (Flask, SQLAlchemy, Alembic …) happen inside the factory, so that Flask-free
# subpackages such as portal.resumes start quickly in their own child processes.
if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then test overrides."""
    from flask import Flask

    from portal import config

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.update(config.from_environment())
    app.config.from_prefixed_env("PORTAL")
    if test_config is not None:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal import (
        automation,
        jobs,
        models,  # noqa: F401 - registers the tables on db.metadata
    )
    from portal.applications import sync
    from portal.celery_app import celery_init_app
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.logs import configure_logging
    from portal.models.base import render_item
    from portal.recruiters import index

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    celery_init_app(app)
    jobs.init_app(app)  # tasks queued in a transaction are sent after its commit
    sync.init_app(app)  # every applicant has an application (the default posting's)
    index.init_app(app)  # the candidate search index follows every commit
    automation.init_app(app)  # rules run right after the events that trigger them
    configure_logging(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from portal.auth.services import load_session_user

        return load_session_user(user_id)


def register_blueprints(app: Flask) -> None:
    """Every feature package lists its blueprints in ``blueprints``."""
    from assessments import views as assessment_views
    from portal import (
        admin,
        api,
        applicants,
        applications,
        assessment,
        auth,
        automation,
        main,
        offers,
        payments,
        postings,
        privacy,
        projects,
        recruiters,
        work,
    )

    features = (
        main,
        auth,
        applicants,
        applications,
        recruiters,
        automation,
        admin,
        assessment_views,
        assessment,
        projects,
        postings,
        offers,
        privacy,
        payments,
        work,
        api,
    )
    for feature in features:
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from portal.errors import register_errorhandlers as register

    register(app)


def register_security_headers(app: Flask) -> None:
    from portal.security import register

    register(app)


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal.templating import register

    register(app)
