"""One use case, one transaction: @use_case commits on return, rolls back on error, never nests."""

import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import Tag
from portal.transactions import use_case


@pytest.fixture
def commits(app):
    counted = []

    def count(session):
        counted.append(1)

    event.listen(db.session(), "after_commit", count)
    yield counted
    event.remove(db.session(), "after_commit", count)


@use_case
def add_tag(name: str, *, fail: bool = False) -> Tag:
    tag = Tag(name=name)
    db.session.add(tag)
    db.session.flush()
    if fail:
        raise ValueError("refused")
    return tag


@use_case
def add_two(first: str, second: str, *, fail_second: bool = False) -> None:
    add_tag(first)
    add_tag(second, fail=fail_second)


def names() -> list[str]:
    return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def test_a_use_case_commits_once_when_it_returns(commits):
    add_tag("alpha")
    db.session.rollback()  # nothing pending is left to lose: it was committed
    assert names() == ["alpha"] and len(commits) == 1


def test_a_refused_use_case_leaves_nothing(commits):
    with pytest.raises(ValueError):
        add_tag("beta", fail=True)
    assert names() == [] and commits == []


def test_nested_use_cases_are_one_transaction(commits):
    add_two("gamma", "delta")
    assert names() == ["delta", "gamma"] and len(commits) == 1
    with pytest.raises(ValueError):
        add_two("epsilon", "zeta", fail_second=True)
    assert names() == ["delta", "gamma"] and len(commits) == 1  # epsilon went with zeta
