"""One use case, one transaction: the public service function commits, or rolls back on error.

Views never commit. A service function marked ``@use_case`` commits when it returns and rolls
back when it raises; called from inside another use case it neither commits nor rolls back, so
the outer one stays a single transaction (no nested commits). Private helpers only flush.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from portal.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_ACTIVE = "portal_use_case"


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` as one transaction: commit on return, roll back on any exception."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        info = db.session.info
        if info.get(_ACTIVE):
            return fn(*args, **kwargs)
        info[_ACTIVE] = True
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            info.pop(_ACTIVE, None)
            db.session.rollback()
            raise
        info.pop(_ACTIVE, None)
        db.session.commit()
        return result

    return run
