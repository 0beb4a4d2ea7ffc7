"""One safe-redirect check: where a form or link may send the browser back to (never off-site)."""

from urllib.parse import urlsplit, urlunsplit

from flask import request


def safe_redirect(target: str | None, *, under: str = "/") -> str | None:
    """``target`` as a local path (starting with ``under``) to redirect to, or None.

    A path such as ``/me/`` is kept; an absolute URL only when it names this very site (a
    ``Referer``), reduced to its path and query. Anything else (another host, ``//host``, a
    backslash, ``javascript:``, a relative path) is refused.
    """
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return None
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target if target.startswith(under) else None
