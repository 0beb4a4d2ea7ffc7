"""Creating, editing, opening, pausing, closing and duplicating postings (the use cases)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Posting
from portal.postings.rules import PostingInvalid, StatusMoveRefused, check, slugify
from portal.postings.services import (
    create_posting,
    duplicate_posting,
    move_posting,
    update_posting,
)
from tests import factories
from tests.postings.helpers import posting_values


def _errors(**overrides):
    with pytest.raises(PostingInvalid) as caught:
        create_posting(posting_values(**overrides), actor=None)
    return caught.value.errors


def _actions(posting):
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "posting", AuditEvent.subject_id == posting.id)
            .order_by(AuditEvent.id)
        )
    ]


def test_create_saves_a_draft_with_a_slug_from_the_title(app, now):
    admin = factories.make_user("admin")
    posting = create_posting(
        posting_values(title="  Médical Reviewer (remote)!  ", domains=["medicine"]), actor=admin
    )
    assert posting.status == "draft" and posting.opened_at is None
    assert posting.title == "Médical Reviewer (remote)!"
    assert posting.slug == "medical-reviewer-remote"
    assert posting.domains == ["medicine"]
    assert _actions(posting) == ["posting.created"]


def test_slugs_stay_unique(app, now):
    first = create_posting(posting_values(title="Rater"), actor=None)
    second = create_posting(posting_values(title="Rater"), actor=None)
    third = create_posting(posting_values(title="rater!"), actor=None)
    assert [first.slug, second.slug, third.slug] == ["rater", "rater-2", "rater-3"]


def test_title_is_required(app, now):
    assert "title" in _errors(title="   ")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pay_min_cents": 3600, "pay_max_cents": 3500}, "pay_max_cents"),
        ({"pay_min_cents": 0}, "pay_min_cents"),
        ({"pay_min_cents": -100}, "pay_min_cents"),
        ({"pay_max_cents": None}, "pay_max_cents"),
        ({"pay_min_cents": 25.5}, "pay_min_cents"),
        ({"currency": "btc"}, "currency"),
        ({"hours_min": 25, "hours_max": 20}, "hours_max"),
        ({"hours_max": 41}, "hours_max"),
        ({"hours_min": 0}, "hours_min"),
        ({"domains": ["medicine", "astrology"]}, "domains"),
        ({"track": "astrology"}, "track"),
        ({"answer_days": 0}, "answer_days"),
        ({"answer_days": 11}, "answer_days"),
        ({"locations": ["US", "XX"]}, "locations"),
        ({"languages": ["klingon"]}, "languages"),
        ({"valid_through": date(2026, 11, 1)}, "valid_through"),
    ],
)
def test_values_a_posting_cannot_hold_are_refused(app, now, overrides, field):
    assert field in _errors(**overrides)
    assert db.session.scalar(select(Posting.id)) is None


def test_every_problem_is_reported_at_once(app, now):
    errors = _errors(title="", pay_min_cents=4000, pay_max_cents=3000, hours_max=50, answer_days=0)
    assert {"title", "pay_max_cents", "hours_max", "answer_days"} <= set(errors)


def test_the_rules_accept_the_edges():
    values = posting_values(
        pay_min_cents=3000,
        pay_max_cents=3000,
        hours_min=40,
        hours_max=40,
        answer_days=10,
        domains=["medicine", "languages"],
        track="languages",
        locations=["ES", "MX"],
        languages=["es"],
    )
    assert check(values, today=date(2026, 11, 2)) == {}


def test_update_keeps_the_slug_and_audits_the_fields_changed(app, now):
    posting = create_posting(posting_values(title="Rater"), actor=None)
    update_posting(posting, posting_values(title="Senior rater", hours_max=30), actor=None)
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert (posting.title, posting.slug, posting.hours_max) == ("Senior rater", "rater", 30)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "posting.updated")
    ).one()
    assert event.details["fields"] == ["hours_max", "title"]


def test_an_invalid_update_changes_nothing(app, now):
    posting = create_posting(posting_values(title="Rater"), actor=None)
    with pytest.raises(PostingInvalid):
        update_posting(posting, posting_values(title="New", pay_max_cents=100), actor=None)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).title == "Rater"


def test_the_status_lifecycle(app, now):
    posting = create_posting(posting_values(), actor=None)
    move_posting(posting, "open", actor=None)
    assert posting.status == "open" and posting.opened_at == now()
    first_opened = posting.opened_at
    now.advance(days=3)
    move_posting(posting, "paused", actor=None)
    move_posting(posting, "open", actor=None)
    assert posting.opened_at == first_opened  # datePosted is the first opening
    move_posting(posting, "closed", actor=None)
    assert _actions(posting) == [
        "posting.created",
        "posting.open",
        "posting.paused",
        "posting.open",
        "posting.closed",
    ]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "paused"),  # a draft cannot pause
        ([], "draft"),
        (["open"], "open"),
        (["open"], "draft"),  # never back to draft
        (["open", "closed"], "open"),  # closed is final
        (["open", "closed"], "paused"),
        ([], "deleted"),
    ],
)
def test_refused_status_moves(app, now, path, target):
    posting = create_posting(posting_values(), actor=None)
    for step in path:
        move_posting(posting, step, actor=None)
    before = posting.status
    with pytest.raises(StatusMoveRefused):
        move_posting(posting, target, actor=None)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == before


def test_duplicate_is_a_draft_copy_with_its_own_slug(app, now):
    project = factories.make_project()
    original = create_posting(
        posting_values(title="Medical reviewer", domains=["medicine"], locations=["US"]),
        actor=None,
        project_ids=[project.id],
    )
    move_posting(original, "open", actor=None)
    copy = duplicate_posting(original, actor=None)
    assert copy.id != original.id
    assert copy.title == "Medical reviewer (copy)"
    assert copy.slug == "medical-reviewer-copy"
    assert (copy.status, copy.opened_at) == ("draft", None)
    assert copy.domains == ["medicine"] and copy.locations == ["US"]
    assert [p.id for p in copy.projects] == [project.id]
    assert original.status == "open"
    assert _actions(copy) == ["posting.duplicated"]


def test_slugify():
    assert slugify("Spanish-language rater (ES/MX)") == "spanish-language-rater-es-mx"
    assert slugify("!!!") == "posting"
