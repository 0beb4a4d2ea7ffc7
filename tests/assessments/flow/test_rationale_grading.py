"""Blind rationale grading: the note until graded, the re-score, double marking and kappa."""

from sqlalchemy import select

from portal.assessment import grading
from portal.assessment.results import attempt_breakdown
from portal.extensions import db
from portal.models import Attempt, AttemptItem, Item, RationaleGrade
from tests import factories
from tests.admin.test_assessment_admin import applicants, take


def required(attempt):
    return [ai for ai in attempt.items if ai.item.rationale_required and ai.repeat_of is None]


def test_graded_rationales_replace_the_pending_note_and_rescore(client, auth, bank, now):
    for user in applicants(8):  # a 12-item draw holds rationale items most of the time
        attempt = take(user, True, now)
        if required(attempt):
            break  # earlier attempts hold no rationale item, so they add nothing to the queue
    waiting = required(attempt)
    assert waiting, "the drawn attempt holds rationale items"
    breakdown = attempt_breakdown(attempt)
    assert breakdown["notes"] == ["rationales not yet graded"]
    assert breakdown["components"]["rationale"] is None
    first_score = attempt.score

    admin = auth.as_role("admin")
    page = client.get("/admin/rationales").get_data(as_text=True)
    assert waiting[0].answer["rationale"] in page
    assert f"{first_score:.1f}" not in page  # blind to the score
    assert 'data-testid="collusion"' in page
    for ai in waiting:
        response = client.post(f"/admin/rationales/{ai.id}", data={"grade": "1"})
        assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    breakdown = attempt_breakdown(attempt)
    assert breakdown["notes"] == []
    assert breakdown["components"]["rationale"] == 0.5
    assert attempt.score < first_score  # 10 % of the score is now the grade (0.5)
    # a second grade by the same reviewer is refused
    client.post(f"/admin/rationales/{waiting[0].id}", data={"grade": "2"})
    assert (
        db.session.scalar(
            select(RationaleGrade.grade).where(RationaleGrade.attempt_item_id == waiting[0].id)
        )
        == 1
    )
    assert client.post(f"/admin/rationales/{waiting[0].id}", data={"grade": "7"}).status_code == 302
    mine = select(RationaleGrade).where(RationaleGrade.reviewer_id == admin.id)
    assert len(db.session.scalars(mine).all()) == len(waiting)


def test_double_marked_rationales_give_kappa_per_pair(app, bank, now, monkeypatch):
    users = applicants(3)
    for user in users:
        take(user, True, now)
    first, second = factories.make_user("admin"), factories.make_user("admin")
    db.session.commit()
    rows = db.session.scalars(
        select(AttemptItem)
        .join(Item, Item.id == AttemptItem.item_id)
        .where(Item.rationale_required.is_(True), AttemptItem.repeat_of.is_(None))
    ).all()
    # Every other rationale marked twice, whatever ids the random draws gave (one in ten by
    # id in production: a small sample may hold no multiple of ten).
    assert len(rows) >= 2
    twice = {ai.id for ai in sorted(rows, key=lambda ai: ai.id)[::2]}
    monkeypatch.setattr(grading, "marks_needed", lambda item_id: 2 if item_id in twice else 1)
    double = [ai for ai in rows if grading.marks_needed(ai.id) == 2]
    single = [ai for ai in rows if grading.marks_needed(ai.id) == 1]
    assert double and single
    for n, ai in enumerate(double):
        grading.grade(first, ai.id, n % 3)
        assert ai.id in {e.attempt_item.id for e in grading.queue(second, limit=1000)}
        grading.grade(second, ai.id, n % 3)
    grading.grade(first, single[0].id, 2)
    assert single[0].id not in {e.attempt_item.id for e in grading.queue(second, limit=1000)}
    (pair,) = grading.kappa_by_pair()
    assert pair["n"] == len(double)
    assert pair["kappa"] == 1.0  # the two reviewers gave identical grades


def test_collusion_signal_reads_canonical_answers(app, bank, now, monkeypatch):
    import assessments.audit as engine_audit

    seen = {}
    real = engine_audit.collusion_pairs

    def capture(answers, rationales):
        seen.update(answers=answers, rationales=rationales)
        return real(answers, rationales, min_shared=1, threshold=0.0)

    monkeypatch.setattr(engine_audit, "collusion_pairs", capture)
    first, second = applicants(2)
    take(first, True, now)
    take(second, True, now)
    grading.collusion_signals()
    gold = {i.content_hash: i.gold for i in db.session.scalars(select(Item))}
    for applicant_answers in seen["answers"].values():
        for content_hash, value in applicant_answers.items():
            expected = gold[content_hash]
            # answers were given in shown order; stored canonically they equal the gold
            assert value == (tuple(expected) if isinstance(expected, list) else expected) or (
                value is None
            )
    assert set(seen["answers"]) == {first.applicant.id, second.applicant.id}
