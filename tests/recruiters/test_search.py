"""Search and filters: each filter, combined, free text over resume text and notes."""

import pytest

from portal.extensions import db
from portal.models import Note
from tests.factories import make_listed_candidate as candidate


@pytest.fixture
def people(app):
    return {
        "ana": candidate(
            full_name="Ana Lima",
            country="BR",
            domains=["law"],
            skills=["Contract law", "Portuguese"],
            weekly_hours=20,
            desired_rate_cents=3000,
            labelling_experience=[{"platform": "Scale", "months": 6}],
            stage="assessed_passed",
            score=82,
            resume_text="Drafted commercial leases for a Sao Paulo firm.",
            days_in_stage=10,
        ),
        "ben": candidate(
            full_name="Ben Osei",
            country="GH",
            domains=["medicine"],
            skills=["Pharmacology"],
            weekly_hours=10,
            desired_rate_cents=4500,
            stage="assessed_failed",
            score=40,
            note="Strong on oncology trials, weak writing.",
            days_in_stage=1,
        ),
        "cy": candidate(
            full_name="Cy Park",
            country="KR",
            domains=["software engineering", "mathematics"],
            skills=["Python", "SQL"],
            weekly_hours=30,
            desired_rate_cents=3500,
            stage="applied",
        ),
    }


def names(client, query):
    response = client.get("/recruiter/candidates" + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)
    return {n for n in ("Ana Lima", "Ben Osei", "Cy Park") if n in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Ana Lima", "Ben Osei", "Cy Park"}),
        ("?q=commercial+leases", {"Ana Lima"}),  # resume text
        ("?q=oncology", {"Ben Osei"}),  # a recruiter note
        ("?q=python", {"Cy Park"}),  # skills
        ("?q=osei", {"Ben Osei"}),  # name
        ("?stage=applied", {"Cy Park"}),
        ("?domain=Mathematics", {"Cy Park"}),
        ("?skills=contract+law", {"Ana Lima"}),
        ("?skills=python,+sql", {"Cy Park"}),
        ("?skills=python,+pharmacology", set()),
        ("?score_min=50", {"Ana Lima"}),
        ("?score_max=50", {"Ben Osei"}),
        ("?result=fail", {"Ben Osei"}),
        ("?result=pass", {"Ana Lima"}),
        ("?hours_min=15", {"Ana Lima", "Cy Park"}),
        ("?country=gh", {"Ben Osei"}),
        ("?rate_min=31&rate_max=40", {"Cy Park"}),
        ("?labelling=yes", {"Ana Lima"}),
        ("?labelling=no", {"Ben Osei", "Cy Park"}),
        ("?sla=overdue", {"Ana Lima"}),
        ("?sla=ok", {"Ben Osei"}),
        ("?hours_min=15&country=BR&score_min=80&q=leases", {"Ana Lima"}),
        ("?hours_min=15&country=KR&score_min=80", set()),
    ],
)
def test_filters(client, auth, people, query, expected):
    auth.as_role("recruiter")
    assert names(client, query) == expected


def test_a_new_note_is_searchable_at_once(client, auth, people):
    auth.as_role("recruiter")
    db.session.add(Note(applicant_id=people["cy"].id, body="Met at the PyData meetup"))
    db.session.commit()
    assert names(client, "?q=pydata") == {"Cy Park"}


def test_tag_filter(client, auth, people):
    auth.as_role("recruiter")
    client.post(f"/recruiter/candidates/{people['ben'].id}/tags", data={"tag-name": "Night shift"})
    client.post(f"/recruiter/candidates/{people['ben'].id}/tags", data={"tag-name": "French"})
    assert names(client, "?tag=night+shift") == {"Ben Osei"}
    page = client.get("/recruiter/candidates?tag=french").get_data(as_text=True)
    badges = page[page.index("Ben Osei") :]
    assert badges.index(">french<") < badges.index(">night shift<")  # each tag, in order


def test_filters_stay_in_the_url_and_the_pager(client, auth, app):
    auth.as_role("recruiter")
    for n in range(55):
        candidate(full_name=f"Person {n:02d}", country="DE", stage="applied")
    page = client.get("/recruiter/candidates?country=DE&sort=name").get_data(as_text=True)
    assert "55 candidates" in page.replace("<strong>", "").replace("</strong>", "")
    assert "country=DE" in page and "page=2" in page
    assert 'value="DE"' in page  # the form shows the filter it applied
    second = client.get("/recruiter/candidates?country=DE&sort=name&page=2").get_data(as_text=True)
    assert "Person 54" in second and "Person 00" not in second


def test_sorting_overdue_first_by_default(client, auth, people):
    auth.as_role("recruiter")
    page = client.get("/recruiter/candidates").get_data(as_text=True)
    assert page.index("Ana Lima") < page.index("Ben Osei") < page.index("Cy Park")
    page = client.get("/recruiter/candidates?sort=score").get_data(as_text=True)
    assert page.index("Ana Lima") < page.index("Ben Osei")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?score_min=abc", "Minimum score must be a number"),
        ("?score_min=150", "between 0 and 100"),
        ("?score_min=80&score_max=20", "Minimum score is above the maximum"),
        ("?hours_min=ten", "Weekly hours must be a whole number"),
        ("?country=Germany", "two-letter code"),
        ("?stage=nowhere", "Stage"),
        ("?sla=late", "SLA"),
        ("?sort=drop+table", "Sort"),
        ("?rate_max=-3", "Maximum rate must be between"),
    ],
)
def test_bad_filter_values_say_what_is_wrong(client, auth, people, query, message):
    auth.as_role("recruiter")
    response = client.get("/recruiter/candidates" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert client.get("/recruiter/candidates.csv" + query).status_code == 400


def test_list_queries_do_not_grow_with_rows(client, auth, app):
    """No N+1: the page costs the same number of queries for 5 or 40 candidates."""
    from sqlalchemy import event

    auth.as_role("recruiter")

    def count_queries() -> int:
        seen = []
        listener = lambda *a: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/recruiter/candidates").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    for n in range(5):
        candidate(full_name=f"A{n}", skills=["x"], score=50)
    few = count_queries()
    for n in range(35):
        candidate(full_name=f"B{n}", skills=["y"], score=60)
    assert count_queries() == few


def test_the_list_follows_moves_and_profile_edits_at_once(client, auth, people):
    """The index row is rewritten in the transaction that changes the applicant."""
    from portal import pipeline

    auth.as_role("recruiter")
    cy = people["cy"]
    pipeline.move(cy, "profile_complete", actor=None)
    cy.country = "DE"
    cy.domains = ["Finance"]
    db.session.commit()
    assert names(client, "?stage=profile_complete") == {"Cy Park"}
    assert names(client, "?stage=applied") == set()
    assert names(client, "?country=DE&domain=finance") == {"Cy Park"}
    assert names(client, "?country=DE&sla=ok") == set()  # Cy owes the assessment: no SLA
    assert names(client, "?domain=mathematics") == set()


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("?sort=score", ["Ana Lima", "Ben Osei", "Cy Park"]),  # not assessed: last
        ("?sort=score&dir=desc", ["Cy Park", "Ben Osei", "Ana Lima"]),  # exactly reversed
        ("?sort=hours", ["Cy Park", "Ana Lima", "Ben Osei"]),
        ("?sort=rate", ["Ana Lima", "Cy Park", "Ben Osei"]),
        ("?sort=name&dir=desc", ["Cy Park", "Ben Osei", "Ana Lima"]),
        ("?stage=assessed_failed&sort=score", ["Ben Osei"]),
    ],
)
def test_sort_orders(client, auth, people, query, order):
    auth.as_role("recruiter")
    page = client.get("/recruiter/candidates" + query).get_data(as_text=True)
    shown = sorted((page.index(n), n) for n in ("Ana Lima", "Ben Osei", "Cy Park") if n in page)
    assert [n for _, n in shown] == order


def test_reindex_command_rebuilds_rows_a_bulk_import_skipped(app, client, auth, people):
    """Rows written around the ORM (a bulk import) have no index row until a reindex."""
    from sqlalchemy import delete

    from portal.models import CandidateIndex

    auth.as_role("recruiter")
    db.session.execute(delete(CandidateIndex))
    db.session.commit()
    assert names(client, "?q=leases") == set()
    result = app.test_cli_runner().invoke(args=["recruiters", "reindex"])
    assert result.exit_code == 0, result.output
    assert "3 applicants indexed." in result.output
    assert names(client, "?q=leases") == {"Ana Lima"}
    assert names(client, "?country=gh&sort=score") == {"Ben Osei"}


def test_names_sort_without_regard_to_case_or_accents(client, auth, app):
    auth.as_role("recruiter")
    for name in ("Zoe Ball", "emma Stone", "Émile Zola"):
        candidate(full_name=name, country="FR")
    page = client.get("/recruiter/candidates?country=FR&sort=name").get_data(as_text=True)
    positions = [page.index(n) for n in ("Émile Zola", "emma Stone", "Zoe Ball")]
    assert positions == sorted(positions)
