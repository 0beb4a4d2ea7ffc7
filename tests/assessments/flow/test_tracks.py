"""Domain tracks: a medicine profile sits the medicine track and can meet a medicine minimum."""

import pytest

from portal.assessment import attempts
from portal.extensions import db
from portal.projects.services.features import domain_scores
from tests import factories
from tests.admin.test_assessment_admin import take


@pytest.fixture
def app_config():
    """Full-length attempts (the other flow tests use 12 items), as in production."""
    return {"ASSESSMENT_ITEMS": 30, "ASSESSMENT_TIME_LIMIT_MINUTES": 45}


def test_a_medicine_minimum_becomes_satisfiable_by_a_medicine_profile(app, bank, now):
    doctor = factories.make_user(
        "applicant", applicant={"stage": "profile_complete", "domains": ["Medicine & health"]}
    )
    generalist = factories.make_user("applicant", applicant={"stage": "profile_complete"})
    db.session.commit()
    assert attempts.track_for(doctor.applicant) == "medicine"
    assert attempts.track_for(generalist.applicant) == "general"
    doctors = take(doctor, True, now)
    medicine = [ai for ai in doctors.items if ai.item.domain == "medicine" and ai.repeat_of is None]
    assert len(medicine) >= 8
    scores = domain_scores(doctors)
    assert scores["medicine"] >= 70
    general = domain_scores(take(generalist, True, now))
    assert general.get("medicine") is None  # too few medicine items to report a score
