"""Quality statistics, the pause rule in the queue, the admin's pause queue, the simulation."""

import json

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxEmail, RaterPause, WorkTask
from portal.work import quality, quality_report, queue
from portal.work.batches import BatchSettings, import_tasks
from portal.work.simulate import simulate
from tests.work.helpers import bank_gold, live_project, pairwise_record, rater, write_jsonl


def test_wilson_interval_matches_the_textbook_values():
    low, high = quality.wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert quality.wilson(0, 0) == (0.0, 1.0)
    assert quality.wilson(10, 10)[1] == pytest.approx(1.0)


def test_pause_rule_needs_enough_gold_and_an_upper_bound_below_the_bar():
    rule = quality.PauseRule(bar=0.7, min_gold=10)
    assert not rule.should_pause(0, 9)
    assert rule.should_pause(2, 10)
    assert not rule.should_pause(6, 10)


def test_leave_one_out_agreement_and_majority():
    triples = [("t1", "a", 1), ("t1", "b", 1), ("t1", "c", -1), ("t2", "a", 1), ("t2", "b", -1)]
    triples += [("t3", r, 0) for r in "abc"]
    agreement = quality.loo_agreement(triples)
    # t1: a's others tie (b 1, c -1): left out; t2: b disagrees; t3: all agree.
    assert agreement["a"] == (1, 2)
    assert agreement["c"] == (1, 2)  # t1: a and b say 1, c -1; t3 agrees
    assert quality.majority_vote(triples) == {"t1": 1, "t2": None, "t3": 0}


def test_krippendorff_alpha_is_one_for_perfect_agreement_and_none_without_overlap():
    perfect = [(t, r, t % 2) for t in range(6) for r in ("a", "b")]
    assert quality.krippendorff_alpha(perfect) == pytest.approx(1.0)
    assert quality.krippendorff_alpha([("t", "a", 1), ("u", "b", 0)]) is None


def test_dawid_skene_outvotes_raters_it_learned_are_always_wrong():
    """Two raters who always contradict three careful ones win a task where only one careful
    rater joins them: the majority follows them, Dawid-Skene reads their answers inverted."""
    triples = []
    for t in range(40):
        truth = 1 if t % 2 else -1
        triples += [(t, r, truth) for r in "abc"] + [(t, r, -truth) for r in "de"]
    triples += [("x", "a", 1), ("x", "d", -1), ("x", "e", -1)]
    assert quality.majority_vote(triples)["x"] == -1
    labels, method = quality.aggregate(triples, "dawid_skene")
    assert method == "dawid_skene"
    assert labels["x"] == 1
    assert all(labels[t] == (1 if t % 2 else -1) for t in range(40))
    with pytest.raises(ValueError, match="known: dawid_skene, majority"):
        quality.aggregate(triples, "mace")


def test_gold_is_front_loaded_then_at_the_batch_share():
    assert quality.needs_gold(0, 0, 40)
    assert quality.needs_gold(2, 3, 40) and not quality.needs_gold(3, 4, 40)
    assert not quality.needs_gold(40, 60, 40)


def _gold_project(tmp_path, n_gold=12):
    project = live_project()
    bank_gold(n_gold)
    path = write_jsonl(tmp_path / "t.jsonl", [pairwise_record(i) for i in range(20)])
    import_tasks(project, path, "native", BatchSettings(gold_share=0.4, overlap=1))
    return project


def test_a_rater_wrong_on_gold_is_paused_with_evidence_and_an_email(app, now, tmp_path):
    app.config.update(WORK_MIN_GOLD=4, WORK_GOLD_BAR=0.7)
    project = _gold_project(tmp_path)
    a = rater(project)
    db.session.commit()
    for _ in range(30):
        claim = queue.claim_next(a.applicant_id, project.id)
        if claim is None:
            break
        # Always the opposite of gold (-3 = canonical A): canonical +3.
        shown = 3 if claim.permutation == [0, 1] else -3
        queue.submit(claim.id, a.applicant_id, {"choice": shown, "rationale": "B"})
        if db.session.scalar(select(func.count(RaterPause.id))):
            break
    pause = db.session.scalar(select(RaterPause))
    assert pause is not None and pause.status == "paused"
    assert pause.evidence["gold_correct"] == 0 and pause.evidence["gold_n"] == 4
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 1
    with pytest.raises(queue.WorkRefused, match="paused"):
        queue.claim_next(a.applicant_id, project.id)


def test_gold_right_raters_are_not_paused_and_gold_comes_first(app, now, tmp_path):
    app.config.update(WORK_MIN_GOLD=4)
    project = _gold_project(tmp_path)
    a = rater(project)
    db.session.commit()
    kinds = []
    for _ in range(6):
        claim = queue.claim_next(a.applicant_id, project.id)
        kinds.append(claim.task.is_gold)
        shown = -3 if claim.permutation == [0, 1] else 3
        queue.submit(claim.id, a.applicant_id, {"choice": shown, "rationale": "A"})
    assert kinds == [True, False, True, True, False, True]  # two in three while on probation
    assert db.session.scalar(select(func.count(RaterPause.id))) == 0
    report = quality_report.report(project.id)
    row = report.raters[a.applicant_id]
    assert row["gold_n"] == 4 and row["gold_accuracy"] == 1.0 and row["n"] == 6


def test_gold_tasks_are_exempt_from_overlap_but_client_tasks_are_not(app, now, tmp_path):
    project = _gold_project(tmp_path)
    raters = [rater(project) for _ in range(3)]
    db.session.commit()
    for r in raters:
        queue.claim_next(r.applicant_id, project.id)
    gold_slots = db.session.scalars(select(WorkTask.slots_taken).where(WorkTask.is_gold))
    assert max(gold_slots) == 3  # overlap is 1: gold may go to every rater once
    client_slots = db.session.scalars(select(WorkTask.slots_taken).where(~WorkTask.is_gold))
    assert max(client_slots) <= 1


def test_admin_lifts_a_pause_and_the_rater_works_again(app, client, auth, now, tmp_path):
    project = _gold_project(tmp_path)
    a = rater(project)
    pause = RaterPause(
        project_id=project.id,
        applicant_id=a.applicant_id,
        evidence={
            "gold_correct": 1,
            "gold_n": 10,
            "interval": [0.02, 0.4],
            "bar": 0.7,
            "min_gold": 10,
        },
    )
    db.session.add(pause)
    db.session.commit()
    auth.as_role("admin")
    page = client.get(f"/admin/work/{project.id}/quality")
    assert page.status_code == 200 and b"1 / 10 gold right" in page.data
    response = client.post(f"/admin/work/pauses/{pause.id}", data={"decision": "lifted"})
    assert response.status_code == 302
    db.session.refresh(pause)
    assert pause.status == "lifted"
    assert queue.claim_next(a.applicant_id, project.id) is not None


def test_simulation_meets_the_issues_bars(app, runner):
    result = simulate(30, 2000, seed=7)
    assert result["within_interval"] >= 0.9
    assert result["spammer_paused_after_tasks"] is not None
    assert result["spammer_paused_after_tasks"] <= 60
    assert result["max_raters_per_task"] == 3
    assert result["dawid_skene_accuracy"] >= result["majority_accuracy"]
    cli = runner.invoke(args=["quality", "simulate", "--raters", "8", "--tasks", "200", "--json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["raters"] == 8
