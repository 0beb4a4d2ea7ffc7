"""Role checks in one place: a decorator for a view and a guard for a whole blueprint."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort
from flask_login import current_user

from portal.extensions import login_manager
from portal.models import Role

F = TypeVar("F", bound=Callable[..., Any])


def _check(roles: tuple[Role, ...]) -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let only signed-in users with one of `roles` reach the view."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            denied = _check(roles)
            return denied if denied is not None else view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def restrict_blueprint(bp: Blueprint, *roles: Role) -> None:
    """Guard every view of a blueprint with the same roles (no per-view ifs)."""

    @bp.before_request
    def _guard() -> Any:
        return _check(roles)
