"""The admin's posting pages: the form (dollars shown, cents stored, every error at once),
the status buttons and duplicate; GET never changes anything."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Application, AuditEvent, Posting
from tests import factories
from tests.postings.helpers import make_posting


def _form(**overrides):
    data = {
        "title": "Medical reviewer",
        "summary": "Review model answers to medical questions.",
        "overview": "You rank answers.",
        "responsibilities": "- Rank\n- Explain",
        "qualifications": "- MD or RN",
        "commitment": "10–20 h",
        "compensation": "$40–60/h",
        "application_process": "Assessment",
        "pay_min": "40.00",
        "pay_max": "60.50",
        "currency": "usd",
        "hours_min": "10",
        "hours_max": "20",
        "domains": ["medicine", "science"],
        "languages": "en",
        "locations": "us, gb",
        "track": "medicine",
        "answer_days": "3",
        "valid_through": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_posting_in_dollars_stored_in_cents(app, client, auth, now):
    auth.as_role("admin")
    project = factories.make_project(title="Medical QA")
    db.session.commit()
    response = client.post("/admin/postings/new", data=_form(projects=[str(project.id)]))
    assert response.status_code == 302
    posting = db.session.scalars(select(Posting)).one()
    assert (posting.pay_min_cents, posting.pay_max_cents) == (4000, 6050)
    assert posting.locations == ["US", "GB"] and posting.languages == ["en"]
    assert posting.domains == ["medicine", "science"] and posting.track == "medicine"
    assert [p.title for p in posting.projects] == ["Medical QA"]
    assert posting.status == "draft"
    page = client.get(f"/admin/postings/{posting.id}/edit").get_data(as_text=True)
    assert 'value="40.00"' in page and 'value="60.50"' in page and "US, GB" in page


def test_a_rejected_form_keeps_what_was_typed_and_shows_every_error(app, client, auth, now):
    auth.as_role("admin")
    response = client.post(
        "/admin/postings/new",
        data=_form(
            title="",
            summary="Kept summary",
            pay_min="50",
            pay_max="40",
            hours_max="45",
            locations="US, ZZ",
            domains=["medicine", "astrology"],
            answer_days="12",
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    for message in (
        "Give the posting a title.",
        "The top of the pay band must be at least its bottom.",
        "Weekly hours are between 1 and 40.",
        "Not ISO country codes: ZZ",
        "Promise an answer within 1 to 10 business days.",
        "&#39;astrology&#39; is not a valid choice",
    ):
        assert message in page, message
    assert 'value="Kept summary"' in page and "US, ZZ" in page
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 0


def test_a_field_that_does_not_parse_gets_one_error(app, client, auth, now):
    auth.as_role("admin")
    response = client.post("/admin/postings/new", data=_form(pay_min="lots"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid decimal value" in page
    assert "Give the hourly pay as an amount" not in page


def test_admin_edits_a_posting(app, client, auth, now):
    auth.as_role("admin")
    posting = make_posting("open", title="Rater", slug="rater")
    db.session.commit()
    response = client.post(
        f"/admin/postings/{posting.id}/edit", data=_form(title="Senior rater", hours_min="5")
    )
    assert response.status_code == 302
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert (posting.title, posting.hours_min, posting.slug) == ("Senior rater", 5, "rater")


def test_status_buttons_move_the_posting_and_refuse_what_the_lifecycle_refuses(
    app, client, auth, now
):
    auth.as_role("admin")
    posting = make_posting("draft")
    db.session.commit()
    url = f"/admin/postings/{posting.id}/status"
    assert client.post(url, data={"status": "open"}).status_code == 302
    assert client.post(url, data={"status": "closed"}).status_code == 302
    response = client.post(url, data={"status": "open"}, follow_redirects=True)
    assert "A closed posting stays closed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "closed"


def test_opening_a_posting_that_breaks_the_rules_is_refused(app, client, auth, now):
    auth.as_role("admin")
    posting = make_posting("draft", hours_min=30, hours_max=20)
    db.session.commit()
    response = client.post(
        f"/admin/postings/{posting.id}/status", data={"status": "open"}, follow_redirects=True
    )
    assert "Fix the posting before opening it" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "draft"


def test_duplicate_makes_a_draft_copy(app, client, auth, now):
    auth.as_role("admin")
    posting = make_posting("open", title="Rater", slug="rater")
    db.session.commit()
    response = client.post(f"/admin/postings/{posting.id}/duplicate")
    assert response.status_code == 302
    copy = db.session.scalars(select(Posting).where(Posting.id != posting.id)).one()
    assert response.headers["Location"].endswith(f"/admin/postings/{copy.id}/edit")
    assert (copy.title, copy.slug, copy.status) == ("Rater (copy)", "rater-copy", "draft")


def test_the_list_shows_each_status_with_counts(app, client, auth, now):
    auth.as_role("admin")
    opened = make_posting("open", title="Open one")
    make_posting("draft", title="Draft one")
    make_posting("draft", title="Draft two")
    for _ in range(2):
        applicant = factories.make_applicant()
        db.session.add(Application(applicant_id=applicant.id, posting_id=opened.id))
    db.session.commit()
    page = client.get("/admin/postings/").get_data(as_text=True)
    assert "Open one" in page and "Draft two" in page
    # (each new applicant also lands on the default posting, made for the first one)
    assert "Draft (2)" in page and "Open (2)" in page and "All (4)" in page
    row = page.split("Open one")[1].split("</tr>")[0]
    assert "<td>2</td>" in row
    drafts = client.get("/admin/postings/?status=draft").get_data(as_text=True)
    assert "Open one" not in drafts


def test_get_never_changes_state(app, client, auth, now):
    auth.as_role("admin")
    posting = make_posting("draft")
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for path in (
        "/admin/postings/",
        "/admin/postings/new",
        f"/admin/postings/{posting.id}/edit",
        f"/admin/postings/{posting.id}/status?status=open",
        f"/admin/postings/{posting.id}/duplicate",
        "/jobs",
        f"/jobs/{posting.slug}",
    ):
        assert client.get(path).status_code in (200, 404, 405), path
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "draft"
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
