"""The experience profile: pre-fill from the parse, drafts, validation, submission."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.applicants.profile import answer_window
from portal.extensions import db
from portal.models import AuditEvent, Resume
from portal.models.base import utcnow
from portal.storage import get_storage
from portal.workdays import add_business_days, business_days_between
from tests.applicants import samples


@pytest.fixture
def app_config():
    return {"RESUME_PARSE_SANDBOX": False}


def upload(client, data: bytes, name: str = "cv.txt"):
    return client.post(
        "/me/resume",
        data={"resume": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def value_of(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else None


def complete_form(**overrides: str) -> dict[str, str]:
    data = {
        "action": "submit",
        "full_name": "Jane Doe",
        "phone": "+44 20 7946 0958",
        "country": "GB",
        "city": "London",
        "timezone": "Europe/London",
        "links": "github.com/janedoe",
        "skills": "Python, SQL",
        "years_experience": "8",
        "experience-0-title": "Engineer",
        "experience-0-company": "Acme",
        "experience-0-start": "2019-01",
        "experience-0-end": "present",
        "education-0-degree": "BSc",
        "education-0-school": "Leeds",
        "education-0-year": "2015",
        "domains": ["software engineering", "mathematics"],
        "labelling-0-kind": "annotation",
        "labelling-0-platforms": "Appen",
        "labelling-0-months": "6",
        "languages-0-language": "English",
        "languages-0-level": "native",
        "weekly_hours": "15",
        "earliest_start": (date.today() + timedelta(days=7)).isoformat(),
        "desired_rate": "32.50",
        "consent_terms": "y",
        "consent_data": "y",
    }
    data.update(overrides)
    return data


def test_profile_is_prefilled_from_the_parse(client, auth):
    auth.as_role("applicant", applicant={"full_name": ""})
    upload(client, samples.text_resume())
    page = client.get("/me/profile").get_data(as_text=True)
    assert value_of(page, "full_name") == "Jane Q. Doe"
    assert value_of(page, "phone") == "+442079460958"
    assert value_of(page, "city") == "London"
    assert '<option selected value="GB">' in page
    assert '<option selected value="Europe/London">' in page  # the UK has one timezone
    assert value_of(page, "skills") == "Python, SQL, Kubernetes"
    assert value_of(page, "experience-0-company") == "Acme Ltd"
    assert value_of(page, "experience-0-end") == "present"
    assert value_of(page, "experience-1-end") == "2018-12"
    assert value_of(page, "education-0-school") == "University of Leeds"
    # Spare blank rows so more can be added without JavaScript.
    assert value_of(page, "experience-3-title") == ""


def test_prefill_never_overwrites_saved_values(client, auth):
    user = auth.as_role(
        "applicant",
        applicant={"full_name": "Jane Doe-Smith", "city": "Manchester", "skills": ["Go"]},
    )
    upload(client, samples.text_resume())
    page = client.get("/me/profile").get_data(as_text=True)
    assert value_of(page, "full_name") == "Jane Doe-Smith"
    assert value_of(page, "city") == "Manchester"
    assert value_of(page, "skills") == "Go"
    assert value_of(page, "phone") == "+442079460958"  # was empty, so it is filled
    assert user.applicant.city == "Manchester"


def test_low_confidence_fields_are_highlighted(client, auth):
    user = auth.as_role("applicant", applicant={"full_name": ""})
    db.session.add(
        Resume(
            applicant_id=user.applicant.id,
            sha256=get_storage().save(b"x"),
            size=1,
            kind="txt",
            filename="cv.txt",
            status="parsed",
            parsed={"name": "Jane Doe", "phone": "+442079460958", "skills": ["Python"]},
            confidence={"name": 0.95, "phone": 0.4, "skills": 0.9},
        )
    )
    db.session.commit()
    page = client.get("/me/profile").get_data(as_text=True)
    phone = page[: page.index('name="phone"')]
    assert phone.rindex("low-confidence") > phone.rindex('class="field')
    assert "check this" in page
    name = page[: page.index('name="full_name"')]
    assert "low-confidence" not in name[name.rindex('class="field') :]
    # Still marked when the form comes back with errors.
    again = client.post("/me/profile", data={"action": "submit", "phone": "+442079460958"})
    assert again.status_code == 422 and "check this" in again.get_data(as_text=True)


def test_draft_keeps_partial_input_without_completing(client, auth):
    user = auth.as_role("applicant")
    response = client.post(
        "/me/profile",
        data={"action": "draft", "city": "Leeds", "weekly_hours": "12", "desired_rate": "30"},
    )
    assert response.status_code == 302
    applicant = user.applicant
    assert (applicant.city, applicant.weekly_hours, applicant.desired_rate_cents) == (
        "Leeds",
        12,
        3000,
    )
    assert applicant.profile_completed_at is None and applicant.stage == "applied"
    page = client.get("/me/profile").get_data(as_text=True)
    assert value_of(page, "city") == "Leeds"


def test_invalid_submission_keeps_everything_and_says_what_to_fix(client, auth):
    user = auth.as_role("applicant")
    data = complete_form(weekly_hours="60")
    data["experience-0-start"] = "June 2019"
    del data["consent_terms"]
    response = client.post("/me/profile", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose between 5 and 40 hours a week." in page
    assert "Write the start as YYYY-MM" in page
    assert "You need to agree to the contractor terms" in page
    assert value_of(page, "city") == "London"
    assert value_of(page, "weekly_hours") == "60"
    assert value_of(page, "experience-0-start") == "June 2019"
    assert value_of(page, "labelling-0-platforms") == "Appen"
    assert re.search(
        r'<input checked id="domains-\d+" name="domains" type="checkbox" value="mathematics"', page
    )
    assert user.applicant.stage == "applied" and user.applicant.city is None


def test_submission_requires_the_essentials(client, auth):
    auth.as_role("applicant")
    response = client.post("/me/profile", data={"action": "submit", "city": "Leeds"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "Choose the country you live in.",
        "Choose at least one domain.",
        "Add at least one language.",
        "Say how many hours a week you can work",
        "We need your consent to process your profile.",
    ):
        assert message in page, message
    assert value_of(page, "city") == "Leeds"


def test_submission_moves_stage_audits_and_gives_answer_date(client, auth):
    user = auth.as_role("applicant")
    response = client.post("/me/profile", data=complete_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")
    applicant = user.applicant
    assert applicant.stage == "profile_complete"
    assert applicant.profile_completed_at is not None and applicant.consented_at is not None
    assert applicant.desired_rate_cents == 3250
    assert applicant.phone == "+442079460958"
    assert applicant.links == ["https://github.com/janedoe"]
    assert applicant.experience == [
        {"title": "Engineer", "company": "Acme", "start": "2019-01", "end": None}
    ]
    assert applicant.languages == [{"language": "English", "level": "native"}]
    moved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stage.moved"))
    assert moved.details == {"from_stage": "applied", "to_stage": "profile_complete"}
    assert moved.actor_id == user.id
    page = client.get("/me/").get_data(as_text=True)
    answer_by = answer_window(applicant)[1]
    assert f"{answer_by:%A %d %B %Y}" in page
    assert "Profile submitted. We will answer by" in page


def test_hours_outside_the_usual_band_are_accepted_with_a_warning(client, auth):
    user = auth.as_role("applicant")
    response = client.post(
        "/me/profile", data=complete_form(weekly_hours="30"), follow_redirects=True
    )
    assert response.status_code == 200
    assert "Most projects expect 10–20 hours a week" in response.get_data(as_text=True)
    assert user.applicant.weekly_hours == 30


def test_answer_window_counts_business_days():
    friday = date(2026, 11, 27)
    assert add_business_days(friday, 3) == date(2026, 12, 2)  # Wednesday
    assert add_business_days(friday, 5) == date(2026, 12, 4)  # next Friday
    assert add_business_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # Saturday -> Monday
    # The recruiters' SLA counts the same days back: the promised date is exactly n days on.
    for start in (friday, date(2026, 11, 28), date(2026, 11, 30)):
        for n in (1, 3, 5, 12):
            assert business_days_between(start, add_business_days(start, n)) == n


def test_answer_window_uses_the_applicants_timezone(app):
    from tests import factories

    applicant = factories.make_applicant(timezone="Asia/Tokyo")
    # Thursday 20:00 UTC is already Friday in Tokyo.
    thursday_evening = datetime(2026, 11, 26, 20, 0, tzinfo=utcnow().tzinfo)
    assert answer_window(applicant, thursday_evening) == (date(2026, 12, 2), date(2026, 12, 4))
    applicant.timezone = "America/Los_Angeles"
    assert answer_window(applicant, thursday_evening) == (date(2026, 12, 1), date(2026, 12, 3))


def test_status_with_prefill_offers_only_what_is_not_saved(client, auth):
    auth.as_role("applicant", applicant={"full_name": "", "city": "Manchester"})
    upload(client, samples.text_resume())
    state = client.get("/me/resume/status?prefill=1").get_json()
    values = state["prefill"]["values"]
    assert values["full_name"] == "Jane Q. Doe"
    assert values["experience-0-company"] == "Acme Ltd"
    assert values["experience-0-end"] == "present"
    assert "city" not in values  # saved already
    assert "prefill" not in client.get("/me/resume/status").get_json()


@pytest.mark.parametrize(
    ("stage", "says"),
    [
        ("applied", "Complete your experience profile"),
        ("assessed_passed", "It is our turn"),
        ("offered", "An offer is waiting for your answer"),
        ("active", "Log your hours each week"),
        ("rejected", "Your application is closed."),
    ],
)
def test_dashboard_says_what_happens_next_for_the_stage(client, auth, stage, says):
    user = auth.as_role("applicant")
    user.applicant.stage = stage
    db.session.commit()
    page = client.get("/me/").get_data(as_text=True)
    assert says in page
    assert ("business days" in page) == (stage in {"applied", "assessed_passed"})
