"""Admin pages: clients and projects with validation, explained matches, the rate card."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Client, Guideline, Project
from tests.factories import make_candidate, make_project

PROJECT_FORM = {
    "title": "Code review RLHF",
    "description": "Judge code reviews.",
    "status": "open",
    "domains": "Software engineering, mathematics",
    "skills": "Python, Rust",
    "languages": "English",
    "min_score": "70",
    "domain_min_scores": "software engineering: 60",
    "hours_min": "10",
    "hours_max": "20",
    "rate_min": "30",
    "rate_max": "40",
    "allowed_countries": "us, gb",
    "tz_from": "-8",
    "tz_to": "1",
    "headcount": "3",
    "starts_on": "2030-01-05",
    "ends_on": "2030-03-01",
    "guideline_md": "# Code review\n\nFind the bug first.",
}


def test_admin_creates_client_then_project_with_first_guidelines(client, auth):
    auth.as_role("admin")
    assert (
        client.post(
            "/admin/projects/clients", data={"name": "Meridian AI", "contact_email": ""}
        ).status_code
        == 302
    )
    meridian = db.session.scalar(select(Client))
    response = client.post("/admin/projects/new", data={**PROJECT_FORM, "client_id": meridian.id})
    assert response.status_code == 302
    project = db.session.scalar(select(Project))
    assert project.domains == ["software engineering", "mathematics"]
    assert project.allowed_countries == ["US", "GB"]
    assert project.rate_min_cents == 3000 and project.rate_max_cents == 4000
    assert project.domain_min_scores == {"software engineering": 60.0}
    assert project.timezone_window == {"from": -8.0, "to": 1.0}
    guideline = db.session.scalar(select(Guideline).where(Guideline.project_id == project.id))
    assert guideline.version == 1
    page = client.get(f"/admin/projects/{project.id}").get_data(as_text=True)
    assert "Code review RLHF" in page and "version 1" in page


def test_project_form_says_what_to_fix_and_keeps_input(client, auth):
    auth.as_role("admin")
    project = make_project()
    db.session.commit()
    bad = {
        **PROJECT_FORM,
        "client_id": project.client_id,
        "hours_min": "20",
        "hours_max": "10",
        "rate_min": "40",
        "rate_max": "30",
        "allowed_countries": "USA",
        "tz_to": "",
        "domain_min_scores": "medicine seventy",
        "ends_on": "2029-01-01",
    }
    response = client.post(f"/admin/projects/{project.id}/edit", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "lower bound of the hours band" in page
    assert "lower bound of the rate band" in page
    assert "two-letter ISO country codes" in page
    assert "both ends of the timezone window" in page
    assert "domain: minimum score" in page
    assert "end date is before the start date" in page
    assert 'value="Code review RLHF"' in page  # what was typed is kept
    assert db.session.get(Project, project.id).title == "Medical QA preference ranking"


def test_duplicate_client_name_is_refused(client, auth):
    auth.as_role("admin")
    client.post("/admin/projects/clients", data={"name": "Halcyon Labs"})
    response = client.post("/admin/projects/clients", data={"name": "halcyon labs"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_matches_rank_eligible_with_explanations_and_show_why_others_fail(client, auth):
    auth.as_role("admin")
    project = make_project(allowed_countries=["US", "CA"], domain_min_scores={"medicine": 70})
    strong = make_candidate(95, full_name="Strong Match", domain_scores={"medicine": 90})
    weaker = make_candidate(
        75, full_name="Weaker Match", domains=[], domain_scores={"medicine": 80}
    )
    abroad = make_candidate(90, full_name="Far Away", country="FR", domain_scores={"medicine": 90})
    low = make_candidate(60, full_name="Low Scorer", domain_scores={"medicine": 50})
    busy = make_candidate(90, full_name="Too Busy", weekly_hours=5, domain_scores={"medicine": 90})
    not_passed = make_candidate(90, full_name="Not Yet", stage="profile_complete")
    db.session.commit()

    page = client.get(f"/admin/projects/{project.id}/matches").get_data(as_text=True)
    assert page.index("Strong Match") < page.index("Weaker Match")
    assert "Covers 1 of 1 project domains (medicine)" in page
    assert "Covers 0 of 1 project domains; missing medicine" in page
    for name in ("Far Away", "Low Scorer", "Too Busy", "Not Yet"):
        assert name not in page
    assert f"/admin/projects/{project.id}/offer/{strong.id}" in page

    page = client.get(f"/admin/projects/{project.id}/matches?ineligible=1").get_data(as_text=True)
    assert "Country FR is not allowed (allowed: CA, US)" in page
    assert "Overall score 60 is below the minimum 70" in page
    assert "medicine score 50 is below the minimum 70" in page
    assert "Only 5 h/week free; the project needs at least 10" in page
    assert "Has not passed the assessment" in page
    assert {abroad.id, low.id, busy.id, not_passed.id, weaker.id}  # all built


def test_best_projects_for_a_candidate(client, auth):
    auth.as_role("admin")
    fits = make_project(title="Medical QA")
    make_project(title="Legal reasoning", domains=["law"], min_score=95)
    make_project(title="Draft project", status="draft")
    person = make_candidate(88)
    db.session.commit()
    response = client.get(f"/admin/projects/candidates?applicant_id={person.id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.index("Medical QA") < page.index("Legal reasoning")
    assert "Overall score 88 is below the minimum 95" in page
    assert "Draft project" not in page
    assert f"/admin/projects/{fits.id}/offer/{person.id}" in page


def test_rate_card_editor_shows_worked_example_and_feeds_offers(client, auth):
    auth.as_role("admin")
    page = client.get("/admin/projects/rate-card").get_data(as_text=True)
    assert "Worked example" in page and "Base $25.00" in page
    form = {
        "base": "27.00",
        "experience_steps": "3 = 1.50\n10 = 4",
        "labelling_steps": "6 = 1",
        "score_steps": "80 = 2",
        "tier_a": "US, GB",
        "tier_b": "FR",
        "adjust_a": "3",
        "adjust_b": "1",
        "adjust_c": "0",
    }
    assert client.post("/admin/projects/rate-card", data=form).status_code == 302
    page = client.get("/admin/projects/rate-card").get_data(as_text=True)
    # The example: FR (tier B), 7 years, 8 months labelling, score 88, band $25-35.
    assert "Base $27.00" in page and "+$1.50 for 3+ years of experience" in page
    assert "+$1.00 for location tier B (FR)" in page
    assert "$32.50/hour" in page

    project = make_project(rate_min_cents=2500, rate_max_cents=4500)
    person = make_candidate(85, years_experience=4, country="US")
    db.session.commit()
    page = client.get(f"/admin/projects/{project.id}/offer/{person.id}").get_data(as_text=True)
    # 27 + 1.50 (3+ years) + 2 (score 80+) + 3 (tier A) = 33.50
    assert 'value="33.50"' in page and "+$3.00 for location tier A (US)" in page


def test_rate_card_form_rejects_bad_lines(client, auth):
    auth.as_role("admin")
    response = client.post(
        "/admin/projects/rate-card",
        data={
            "base": "25",
            "experience_steps": "three years",
            "labelling_steps": "",
            "score_steps": "",
            "tier_a": "US",
            "tier_b": "US",
            "adjust_a": "3",
            "adjust_b": "1",
            "adjust_c": "0",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "threshold = bonus in dollars" in page and "Listed in both tiers: US" in page


def test_project_pages_are_admin_only(client, auth):
    project = make_project()
    db.session.commit()
    for role in ("applicant", "recruiter"):
        auth.as_role(role)
        for path in ("/admin/projects/", f"/admin/projects/{project.id}/matches"):
            assert client.get(path).status_code == 403, (role, path)
        auth.logout()
