"""Queue Celery tasks only once the current transaction has committed.

A task that re-reads a row by id must never run before that row is visible to it, and a
rolled-back request must not leave a task behind. ``init_app`` (called from the application
factory) attaches the session hooks.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db

_KEY = "portal_after_commit"


def after_commit(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `fn(*args, **kwargs)` after the session's next successful commit."""
    db.session.info.setdefault(_KEY, []).append((fn, args, kwargs))


def delay_after_commit(task: Any, *args: Any) -> None:
    """Send a Celery task after commit (eagerly executed in the embedded default)."""
    after_commit(task.delay, *args)


def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    for fn, args, kwargs in callbacks:
        fn(*args, **kwargs)


def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def init_app(app: Flask) -> None:
    """Attach the after-commit and after-rollback hooks (once per process, for every session)."""
    for name, fn in (("after_commit", _run_after_commit), ("after_rollback", _drop_after_rollback)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
