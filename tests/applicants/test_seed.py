from sqlalchemy import select

from portal.demo.people import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Applicant, Resume, User


def applicant(email: str) -> Applicant:
    return db.session.scalar(select(Applicant).join(User).where(User.email == email))


def test_demo_applicants_have_parsed_resumes_and_profiles(app, client, auth):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "resumes: 12 uploaded and parsed" in result.output
    amara, lukas = applicant("amara@demo.example"), applicant("lukas@demo.example")
    [resume] = db.session.scalars(select(Resume).where(Resume.applicant_id == amara.id))
    assert resume.status == "parsed" and resume.parsed["name"] == "Amara Nwosu"
    assert amara.stage == "applied" and amara.profile_completed_at is None
    assert amara.experience == []  # parsed, but she has not saved the form yet
    assert lukas.experience and lukas.education and lukas.phone and lukas.earliest_start

    auth.login("amara@demo.example", DEMO_PASSWORD)
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="experience-0-title" type="text" value="Senior Software Engineer"' in page
    assert "resume parsed" in client.get("/me/").get_data(as_text=True)
