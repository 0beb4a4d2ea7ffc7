"""An autosave is cheap: the user, the locked attempt, the answered item, one small UPDATE."""

from portal.assessment import attempts
from portal.extensions import db
from tests.assessments.flow.conftest import (  # noqa: F401  (fixtures)
    app_config,
    applicant,
    bank,
    shown_answer,
    the_attempt,
)
from tests.perf.statements import count_statements


def test_an_autosave_is_four_statements_and_one_update(client, applicant, now):  # noqa: F811
    attempts.start_attempt(applicant)
    attempt = the_attempt(applicant)
    answers = {p: shown_answer(attempt.items[p]) for p in (3, 4)}
    for position, answer in answers.items():
        db.session.expire_all()
        with count_statements(db.engine) as seen:
            response = client.post(
                f"/assessment/attempt/{position}/answer", json={"answer": answer}
            )
        assert response.status_code == 200 and response.get_json()["answered"] is True
        writes = [s for s in seen if not s.lstrip().upper().startswith("SELECT")]
        assert len(writes) == 1 and writes[0].startswith("UPDATE attempt_item SET"), str(seen)
        assert len(seen) == 4, str(seen)  # user, attempt (locked), the item, the UPDATE
    stored = the_attempt(applicant)
    assert [stored.items[p].answer for p in (3, 4)] == [answers[3], answers[4]]
    assert stored.items[0].answer is None
