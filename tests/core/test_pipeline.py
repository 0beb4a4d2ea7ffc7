import pytest
from sqlalchemy import select

from portal import pipeline
from portal.extensions import db
from portal.models import AuditEvent
from tests import factories


def test_allowed_move_is_audited(app):
    applicant = factories.make_applicant()
    recruiter = factories.make_user("recruiter")
    pipeline.move(applicant, "profile_complete", actor=recruiter)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stage.moved"))
    assert event.actor_id == recruiter.id
    assert event.details == {"from_stage": "applied", "to_stage": "profile_complete"}


def test_forbidden_move_is_refused(app):
    applicant = factories.make_applicant()
    with pytest.raises(pipeline.TransitionError, match="cannot move from Applied to Active"):
        pipeline.move(applicant, "active", actor=None)
    assert applicant.stage == "applied"


def test_rejection_needs_reason(app):
    applicant = factories.make_applicant()
    with pytest.raises(pipeline.TransitionError, match="needs a reason"):
        pipeline.move(applicant, "rejected", actor=None, reason="  ")
    pipeline.move(applicant, "rejected", actor=None, reason="Outside the countries we staff")
    assert applicant.stage == "rejected"


def test_every_stage_can_exit():
    for stage in pipeline.STAGES:
        if stage not in {"rejected", "withdrawn"}:
            assert pipeline.can_move(stage, "rejected") and pipeline.can_move(stage, "withdrawn")
