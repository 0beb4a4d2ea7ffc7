"""Admin: item statistics, items surfaced for review, editing, retiring, guidelines; the
recruiters' breakdown."""

from markupsafe import escape
from sqlalchemy import func, select

from portal.assessment import attempts
from portal.assessment.bank import current_guideline, item_pool
from portal.assessment.results import attempt_breakdown
from portal.assessment.stats import item_statistics, surfaced_for_review
from portal.extensions import db
from portal.models import Guideline, Item
from tests import factories
from tests.assessments.flow.conftest import shown_answer


def take(user, correct, now, flip_hash=None):
    """Start, answer everything and submit an attempt for ``user``; returns it."""
    attempt = attempts.start_attempt(user)
    for ai in attempt.items:
        right = correct if ai.item.content_hash != flip_hash else not correct
        now.advance(seconds=20)
        attempts.show_position(attempt, ai.position)
        now.advance(seconds=40)
        attempts.save_answer(attempt, ai.position, shown_answer(ai, correct=right))
    return attempts.submit_attempt(attempt)


def applicants(n):
    users = [
        factories.make_user("applicant", applicant={"stage": "profile_complete"}) for _ in range(n)
    ]
    db.session.commit()
    return users


def test_item_statistics_and_a_wrong_key_surfaces_for_review(client, auth, bank, now, app):
    app.config["ASSESSMENT_ITEMS"] = 40
    # Retire all but a small pool so every attempt sees the same items.
    keep = db.session.scalars(
        select(Item.id).where(Item.kind == "pairwise", Item.tier == "objective").limit(30)
    ).all()
    for item in db.session.scalars(select(Item)):
        if item.id not in keep and not (item.attention_check or item.known_broken):
            item.retired_at = now.at
    db.session.commit()
    suspect = db.session.get(Item, keep[0])
    strong = applicants(4)
    weak = applicants(3)
    # Strong applicants all "disagree" with the suspect item's key (it is wrong).
    for user in strong:
        assert take(user, True, now, flip_hash=suspect.content_hash).passed
    for user in weak:
        assert not take(user, False, now, flip_hash=suspect.content_hash).passed
    found = item_statistics()
    s = found[suspect.content_hash]
    assert s.answered == 7 and s.strong_answered == 4 and s.strong_wrong == 4
    assert s.agreement == 3 / 7  # only the weak (inverted) raters "agreed"
    assert s.correlation is not None and s.correlation < 0
    good = found[db.session.get(Item, keep[1]).content_hash]
    assert good.agreement == 4 / 7 and good.correlation > 0.9
    surfaced = surfaced_for_review(found)
    assert (
        suspect.content_hash in surfaced
        and len([h for h in surfaced if h != suspect.content_hash]) == 0
    )

    auth.as_role("admin")
    review = client.get("/admin/items/review").get_data(as_text=True)
    assert f"/admin/items/{suspect.id}" in review
    detail = client.get(f"/admin/items/{suspect.id}").get_data(as_text=True)
    assert "Surfaced for review" in detail and "43%" in detail and "times answered" in detail
    listing = client.get("/admin/items?kind=pairwise&tier=objective").get_data(as_text=True)
    assert f"/admin/items/{suspect.id}" in listing


def test_admin_creates_edits_and_retires_items_through_the_engine_rules(client, auth, bank):
    auth.as_role("admin")
    form = {
        "kind": "pairwise",
        "prompt": "Which is a prime?",
        "response_a": "9",
        "response_b": "7",
        "gold": "5",
        "gold_strength": "1",
        "tier": "objective",
        "domain": "mathematics",
        "difficulty": "1",
    }
    bad = client.post("/admin/items/new", data=form)
    assert bad.status_code == 422
    assert "pairwise gold must be an integer -3..3" in bad.get_data(as_text=True)
    assert 'value="Which is a prime?"' in bad.get_data(as_text=True) or "Which is a prime?" in (
        bad.get_data(as_text=True)
    )
    form["gold"] = "2"
    assert client.post("/admin/items/new", data=form).status_code == 302
    item = db.session.scalar(select(Item).where(Item.prompt == "Which is a prime?"))
    assert item.gold == 2 and item.source == "admin"
    form.update(kind="ranking", response_c="1", gold="3,1,2")
    assert client.post(f"/admin/items/{item.id}", data=form).status_code == 302
    db.session.refresh(item)
    assert item.kind == "ranking" and item.gold == [3, 1, 2] and len(item.responses) == 3
    client.post(f"/admin/items/{item.id}/retire")
    db.session.refresh(item)
    assert item.retired_at is not None
    pool, _ = item_pool()
    assert item.content_hash not in {i.content_hash for i in pool}
    retired = client.get("/admin/items?status=retired").get_data(as_text=True)
    assert "Which is a prime?" in retired


def test_guidelines_are_versioned_previewed_and_rendered_safely(client, auth, bank):
    auth.as_role("admin")
    body = "# Version 3\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold**"
    preview = client.post(
        "/admin/guidelines/new", data={"title": "v3", "body_md": body, "preview": "Preview"}
    )
    html = preview.get_data(as_text=True)
    assert "<strong>bold</strong>" in html and "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
    assert db.session.scalar(select(func.count()).select_from(Guideline)) == 2
    published = client.post(
        "/admin/guidelines/new", data={"title": "v3", "body_md": body, "publish": "Publish"}
    )
    assert published.status_code == 302
    assert current_guideline().version == 3
    listing = client.get("/admin/guidelines").get_data(as_text=True)
    assert "v3" in listing and "v2" in listing and "v1" in listing


def test_attempt_breakdown_maps_gold_into_the_shown_order(client, applicant, now):
    attempt = take(applicant, True, now)
    breakdown = attempt_breakdown(attempt)
    assert breakdown["attempt"]["passed"] is True
    assert breakdown["attempt"]["answered"] == attempt.n_items
    rows = breakdown["items"]
    assert len(rows) == attempt.n_items
    for row, ai in zip(rows, attempt.items, strict=True):
        if ai.item.known_broken:
            assert row["flagged"] and row["flag_reason"] == "garbled"
            continue
        assert row["answer"] == row["gold"] or row["answer"] == (row["gold"] or 0)
        assert row["credit"] == 1.0
        assert row["seconds"] == 40.0
        assert row["responses"][0]["summary"][:20] in " ".join(
            ai.item.responses[ai.permutation[0]].split()
        )


def test_admin_reads_an_attempt_breakdown(client, auth, applicant, now):
    attempt = take(applicant, False, now)
    auth.logout()
    auth.as_role("admin")
    assert f"/admin/attempts/{attempt.id}" in client.get("/admin/attempts").get_data(as_text=True)
    page = client.get(f"/admin/attempts/{attempt.id}").get_data(as_text=True)
    assert "not passed" in page and "Why not passed" in page
    first = attempt_breakdown(attempt)["items"][0]
    # A ranking reads "B > A = C": escaped in HTML.
    assert str(escape(first["gold_text"])) in page and str(escape(first["answer_text"])) in page


def test_an_edit_is_a_new_version_and_its_statistics_restart(client, auth, bank, now):
    (user,) = applicants(1)
    attempt = take(user, True, now)
    ai = next(
        ai
        for ai in attempt.items
        if ai.item.kind == "pairwise"
        and not (ai.item.attention_check or ai.item.known_broken)
        and ai.repeat_of is None
    )
    item = ai.item
    assert item_statistics()[item.content_hash].answered == 1 and item.version == 1
    auth.as_role("admin")
    form = {
        "kind": "pairwise",
        "prompt": item.prompt,
        "response_a": item.responses[0],
        "response_b": item.responses[1],
        "gold": str(-item.gold or 1),
        "gold_strength": str(item.gold_strength),
        "tier": item.tier,
        "domain": item.domain,
        "difficulty": str(item.difficulty),
        "source": item.source,
    }
    assert client.post(f"/admin/items/{item.id}", data=form).status_code == 302
    db.session.refresh(item)
    assert item.version == 2 and item.status == "draft"  # back to the panel
    assert item.content_hash not in item_statistics()  # answers were to version 1
    assert client.post(f"/admin/items/{item.id}", data=form).status_code == 302
    db.session.refresh(item)
    assert item.version == 2  # saving without a change is not a new version
