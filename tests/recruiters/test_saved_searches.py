"""Saved searches: save the list's query under a name, run, rename, share and delete it."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import SavedSearch
from tests import factories
from tests.factories import make_listed_candidate as candidate


def _save(client, name, query, shared=False):
    data = {"save-name": name, "save-query": query}
    if shared:
        data["save-shared"] = "y"
    return client.post("/recruiter/searches", data=data)


def test_a_recruiter_saves_the_current_search_and_runs_it_again(client, auth):
    auth.as_role("recruiter")
    candidate(full_name="Lena Law", stage="shortlisted", country="DE")
    candidate(full_name="Otto Other", stage="applied", country="DE")
    # The list offers to save exactly what it shows (the page number is not part of a search).
    page = client.get("/recruiter/candidates?stage=shortlisted&country=de&page=2")
    assert 'name="save-query" type="hidden" value="stage=shortlisted&amp;country=DE"' in (
        page.get_data(as_text=True)
    )
    response = _save(client, "German shortlist", "stage=shortlisted&country=de&page=2")
    assert response.status_code == 302
    saved = db.session.scalar(select(SavedSearch))
    assert (saved.name, saved.query, saved.shared) == (
        "German shortlist",
        "stage=shortlisted&country=DE",
        False,
    )
    listing = client.get("/recruiter/candidates").get_data(as_text=True)
    assert "German shortlist" in listing
    run = client.get(f"/recruiter/searches/{saved.id}")
    assert run.status_code == 302
    assert run.headers["Location"].endswith("/recruiter/candidates?stage=shortlisted&country=DE")
    results = client.get(run.headers["Location"]).get_data(as_text=True)
    assert "Lena Law" in results and "Otto Other" not in results


def test_a_refused_save_keeps_what_was_typed(client, auth):
    auth.as_role("recruiter")
    assert _save(client, "Mine", "stage=applied").status_code == 302
    clash = _save(client, "mine", "stage=shortlisted&q=contract+law")
    assert clash.status_code == 422
    page = clash.get_data(as_text=True)
    assert "You already have a search named “mine”." in page
    assert 'value="mine"' in page  # the name typed
    assert 'value="contract law"' in page  # the search it was about still shows
    bad = _save(client, "Scores", "score_min=200")
    assert bad.status_code in (400, 422)
    assert "The search has bad filters" in bad.get_data(as_text=True)
    empty = _save(client, "   ", "stage=applied")
    assert empty.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == 1


def test_rename_share_and_delete_are_the_owners_alone(client, auth):
    owner = auth.as_role("recruiter", name="Olga Owner")
    _save(client, "Private", "stage=applied")
    _save(client, "Team queue", "sla=overdue", shared=True)
    private, team = db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)).all()

    renamed = client.post(
        f"/recruiter/searches/{private.id}/rename",
        data={f"rename-{private.id}-name": "Team queue"},
    )
    assert renamed.status_code == 422  # a name already taken: the form keeps the typed name
    assert 'value="Team queue"' in renamed.get_data(as_text=True)
    db.session.refresh(private)
    assert private.name == "Private"
    ok = client.post(
        f"/recruiter/searches/{private.id}/rename",
        data={f"rename-{private.id}-name": "Fresh applicants", f"rename-{private.id}-shared": "y"},
    )
    assert ok.status_code == 302
    db.session.refresh(private)
    assert (private.name, private.shared) == ("Fresh applicants", True)
    client.post(
        f"/recruiter/searches/{private.id}/rename",
        data={f"rename-{private.id}-name": "Fresh applicants"},
    )
    db.session.refresh(private)
    assert private.shared is False

    # A colleague sees and runs the shared search, not the private one, and changes neither.
    factories.make_user("recruiter", email="colleague@example.org", name="Cole")
    db.session.commit()
    auth.logout()
    auth.login("colleague@example.org")
    listing = client.get("/recruiter/candidates").get_data(as_text=True)
    assert "Team queue" in listing and "shared by Olga Owner" in listing
    assert "Fresh applicants" not in listing
    assert client.get(f"/recruiter/searches/{team.id}").status_code == 302
    assert client.get(f"/recruiter/searches/{private.id}").status_code == 404
    assert client.post(f"/recruiter/searches/{team.id}/delete").status_code == 403
    forbidden = client.post(
        f"/recruiter/searches/{team.id}/rename", data={f"rename-{team.id}-name": "Mine now"}
    )
    assert forbidden.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == 2

    auth.logout()
    auth.login(owner.email)
    assert client.post(f"/recruiter/searches/{team.id}/delete").status_code == 302
    names = set(db.session.scalars(select(SavedSearch.name)))
    assert names == {"Fresh applicants"}


def test_the_new_pages_read_only(client, auth):
    """Running a search, the exit report, the candidates list and a preview write nothing."""
    from portal.models import AuditEvent, EmailTemplate, OutboxEmail

    auth.as_role("recruiter")
    a = candidate(stage="shortlisted")
    _save(client, "Shortlist", "stage=shortlisted")
    template = EmailTemplate(key="t", name="T", subject="Hi {{ first_name }}", body="x")
    db.session.add(template)
    db.session.commit()
    saved = db.session.scalar(select(SavedSearch))

    def state():
        return (
            db.session.execute(select(SavedSearch.name, SavedSearch.updated_at)).all(),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
            db.session.scalar(select(func.count()).select_from(OutboxEmail)),
        )

    before = state()
    for path in (
        f"/recruiter/searches/{saved.id}",
        "/recruiter/reports/exits",
        "/recruiter/candidates?stage=shortlisted",
        f"/recruiter/templates/{template.id}/preview?applicant={a.id}",
        f"/recruiter/candidates/{a.id}",
    ):
        assert client.get(path).status_code in (200, 302), path
    db.session.expire_all()
    assert state() == before
