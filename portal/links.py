"""Links people give us: only web addresses (and mailto where an email is meant) are kept or shown.

`clean_web_link` is the check at save time; `safe_href` (the `safe_href` template filter) is the
one way a stored link becomes an `href`, so rows saved before the check are harmless too.
"""

from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})


class LinkError(ValueError):
    """A link that is not a web address; the message says so to the person."""


def clean_web_link(text: str) -> str:
    """`text` as an http(s) URL (https:// is added when no scheme is given), or LinkError."""
    link = text.strip()
    if "://" not in link and ":" not in link.split("/", 1)[0]:
        link = f"https://{link}"
    href = safe_href(link)
    if (
        href is None
        or any(c.isspace() or ord(c) < 32 for c in link)
        or "." not in (urlsplit(link).hostname or "")
    ):
        raise LinkError(f"“{text.strip()}” is not a web address; give one starting with https://.")
    return href


def safe_href(value: object, *, allow_mailto: bool = False) -> str | None:
    """The value when it is an http(s) (or, if allowed, mailto) URL with a host; else None."""
    if not isinstance(value, str):
        return None
    link = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in link):
        return None  # browsers drop tabs and newlines inside a scheme: "java\nscript:"
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES and parts.hostname:
        return link
    if allow_mailto and scheme == "mailto" and "@" in parts.path:
        return link
    return None
