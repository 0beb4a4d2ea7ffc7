"""Saved searches: a recruiter names the candidate list's query string and runs it again later.

The query is stored canonical (parsed by the list's own filters and written back), so a saved
search always runs, keeps every filter the list knows, and drops the page number.
"""

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.models import SavedSearch, User
from portal.recruiters import filters as search
from portal.recruiters.errors import ActionError
from portal.transactions import use_case

MAX_NAME = 80
MAX_PER_OWNER = 100


def canonical_query(query: str) -> str:
    """The query string the list would write for these filters; ActionError if they are bad."""
    args = MultiDict(parse_qsl(query.lstrip("?"), keep_blank_values=False))
    try:
        filters = search.parse_filters(args)
    except search.FilterError as exc:
        raise ActionError("The search has bad filters: " + " ".join(exc.messages)) from exc
    return urlencode({k: v for k, v in search.filters_to_args(filters).items() if v})


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ActionError("Give the search a name.")
    if len(name) > MAX_NAME:
        raise ActionError(f"A name is at most {MAX_NAME} characters.")
    return name


def _check_free(owner_id: int, name: str, except_id: int | None = None) -> None:
    clash = db.session.scalar(
        select(func.count()).where(
            SavedSearch.owner_id == owner_id,
            func.lower(SavedSearch.name) == name.lower(),
            SavedSearch.id != (except_id or 0),
        )
    )
    if clash:
        raise ActionError(f"You already have a search named “{name}”.")


@use_case
def save_search(owner: User, name: str, query: str, *, shared: bool = False) -> SavedSearch:
    """Save the list's current query under a name (unique per recruiter); commits."""
    name = _clean_name(name)
    _check_free(owner.id, name)
    count = db.session.scalar(select(func.count()).where(SavedSearch.owner_id == owner.id))
    if (count or 0) >= MAX_PER_OWNER:
        raise ActionError(f"You have {MAX_PER_OWNER} saved searches; delete one first.")
    saved = SavedSearch(
        owner_id=owner.id, name=name, query=canonical_query(query), shared=bool(shared)
    )
    db.session.add(saved)
    db.session.flush()
    return saved


@use_case
def rename_search(saved: SavedSearch, name: str, *, actor: User, shared: bool) -> SavedSearch:
    """Rename (and share or unshare) one's own saved search; commits."""
    _own(saved, actor)
    name = _clean_name(name)
    _check_free(saved.owner_id, name, except_id=saved.id)
    saved.name, saved.shared = name, bool(shared)
    return saved


@use_case
def delete_search(saved: SavedSearch, *, actor: User) -> None:
    """Delete one's own saved search; commits."""
    _own(saved, actor)
    db.session.delete(saved)


def _own(saved: SavedSearch, actor: User) -> None:
    if saved.owner_id != actor.id:
        raise ActionError("Only its owner can change a saved search.")


def visible_to(user: User) -> list[SavedSearch]:
    """The user's own searches, then those colleagues shared, each by name."""
    return list(
        db.session.scalars(
            select(SavedSearch)
            .where(or_(SavedSearch.owner_id == user.id, SavedSearch.shared.is_(True)))
            .order_by((SavedSearch.owner_id != user.id), func.lower(SavedSearch.name))
        )
    )


def runnable(search_id: int, user: User) -> SavedSearch | None:
    """The saved search if this user may run it (theirs or shared), else None."""
    saved = db.session.get(SavedSearch, search_id)
    if saved is None or (saved.owner_id != user.id and not saved.shared):
        return None
    return saved
