"""A month of applicants through the real automation engine: who is answered, and how fast.

Runs the portal in-process on a scratch SQLite file with ``portal.clock.now`` driven by the
simulation: applicants arrive at random times on business days, 30 % never finish the profile,
the rest finish it within two days and are scored at once; the assessment's measured pass rate,
5 % integrity signals and 10 % scores within the tolerance of a bar are drawn per applicant.
Events run the person's rules at once (``engine.run_for_applicant``, what the Celery task does),
beat runs ``engine.run_all`` every ``--beat`` minutes, and three recruiters work 09:00-17:00 UTC
on business days, each deciding at most 60 queue items a day, earliest answer-by date first,
through the recruiter's own move (``recruiters.services.move_candidate``).

"Answered" is measured for everyone who submitted an assessment (the people waiting on us): the
time from entering assessed passed/failed to leaving it, in business days
(``portal.workdays.business_days_between``). People who never finish the profile are reminded
and withdrawn by rule; they owe us, so they are counted apart.

Run: ``.venv/bin/python bench/pipeline_month.py [--quick] [--applicants N] [--seed S]``
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import clock, create_app, pipeline  # noqa: E402
from portal.workdays import business_days_between  # noqa: E402

# `flask assessment simulate --takers 2000`: careful takers pass 95.95 %, every careless profile
# (random, attention only, fluent careless, position bias) 0-0.15 %. Assumed: 60 % of the people
# who reach the assessment are careful, so the pass rate is 0.6 x 0.9595.
PASS_RATE = 0.6 * 0.9595
NEVER_FINISH = 0.30
INTEGRITY = 0.05
BORDERLINE = 0.10
RECRUITERS = 3
ITEMS_PER_RECRUITER_DAY = 60
WORK_HOURS = (9, 17)
START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # a Monday
MONTH_DAYS = 30
DRAIN_DAYS = 7  # keep beat and recruiters running after the last arrival, arrivals stopped

BAR = {"bar": 0.84, "n_eff": 12.0}


class SimClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def business_days(start: datetime, days: int) -> list[datetime]:
    return [
        start + timedelta(days=d) for d in range(days) if (start + timedelta(days=d)).weekday() < 5
    ]


def plan(n: int, rng: random.Random) -> list[tuple[datetime, str, dict]]:
    """Events: (when, kind, data), kind arrive | finish; sorted by time."""
    days = business_days(START, MONTH_DAYS)
    events: list[tuple[datetime, str, dict]] = []
    for i in range(n):
        arrive = rng.choice(days) + timedelta(seconds=rng.uniform(0, 86400))
        events.append((arrive, "arrive", {"i": i}))
        if rng.random() < NEVER_FINISH:
            continue
        passed = rng.random() < PASS_RATE
        borderline = rng.random() < BORDERLINE
        risky = rng.random() < INTEGRITY
        if borderline:
            direction = BAR["bar"] + rng.uniform(-0.12, 0.12)
        else:
            direction = rng.uniform(0.98, 1.0) if passed else rng.uniform(0.3, 0.6)
        data = {
            "i": i,
            "passed": passed,
            "score": rng.uniform(72, 98) if passed else rng.uniform(20, 65),
            "per_tier": {"objective": {**BAR, "direction": round(direction, 4)}},
            "signals": [{"kind": "too_fast", "position": 1, "detail": "sim"}] if risky else [],
        }
        events.append((arrive + timedelta(hours=rng.uniform(0.5, 48)), "finish", data))
    events.sort(key=lambda e: e[0])
    return events


def working(at: datetime) -> bool:
    return at.weekday() < 5 and WORK_HOURS[0] <= at.hour < WORK_HOURS[1]


def run(n: int, beat_minutes: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    sim = SimClock(START)
    clock.now = sim  # every "now" in the portal follows the simulation
    logging.disable(logging.WARNING)
    shm = Path("/dev/shm")
    tmp = Path(tempfile.mkdtemp(prefix="pipeline-month-", dir=shm if shm.is_dir() else None))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            # A file in memory (tmpfs when there is one): the real commits, without disk fsyncs.
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "WTF_CSRF_ENABLED": False,
            "CELERY_BROKER_URL": None,
            "MAIL_SERVER": None,
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        return _simulate(n, beat_minutes, rng, sim)


def _simulate(n: int, beat_minutes: int, rng: random.Random, sim: SimClock) -> dict[str, float]:
    from sqlalchemy import func, select

    from portal.automation import engine, queue, rules
    from portal.extensions import db
    from portal.models import (
        Applicant,
        Attempt,
        AutomationRule,
        Posting,
        ReviewItem,
        Role,
        RuleAction,
        StageSpan,
        User,
    )
    from portal.recruiters.services import ActionError, move_candidate

    db.create_all()
    posting = Posting(slug="ai-response-rater", title="AI Response Rater", status="open")
    db.session.add(posting)
    staff = [
        User(email=f"r{k}@bench", name=f"Recruiter {k}", password_hash="x", role=Role.RECRUITER)
        for k in range(RECRUITERS)
    ]
    db.session.add_all(staff)
    db.session.flush()
    rules.add_default_rules(posting, actor=None, enabled=True)
    # No client projects in this month: the offer rule has no seat to fill (kept off).
    for rule in db.session.scalars(select(AutomationRule)):
        rule.enabled = rule.trigger != "shortlisted_seat"
    db.session.commit()

    events = plan(n, rng)
    ids: dict[int, int] = {}
    end = START + timedelta(days=MONTH_DAYS + DRAIN_DAYS)
    step = timedelta(minutes=beat_minutes)
    actions = 0
    done_today: Counter[tuple[int, int]] = Counter()  # (day ordinal, recruiter) -> items
    # A smaller month keeps the load per recruiter: 60 a day each at 10,000 applicants.
    cap = max(1, round(ITEMS_PER_RECRUITER_DAY * min(1.0, n / 10_000)))
    per_step = max(
        1,
        math.ceil(ITEMS_PER_RECRUITER_DAY / ((WORK_HOURS[1] - WORK_HOURS[0]) * 60 / beat_minutes)),
    )
    backlog_weekly: list[int] = []
    backlog_month_end = 0
    e = 0
    t = START
    while t < end:
        t_next = t + step
        while e < len(events) and events[e][0] < t_next:
            at, kind, data = events[e]
            e += 1
            sim.at = at
            if kind == "arrive":
                user = User(
                    email=f"a{data['i']}@bench", name=f"Applicant {data['i']}", password_hash="x"
                )
                user.applicant = Applicant(full_name=f"Applicant {data['i']}")
                db.session.add(user)
                db.session.commit()
                ids[data["i"]] = user.applicant.id
            else:
                applicant = db.session.get(Applicant, ids[data["i"]])
                pipeline.move(applicant, "profile_complete", actor=None, reason="Profile submitted")
                db.session.add(
                    Attempt(
                        applicant_id=applicant.id,
                        status="submitted",
                        started_at=at - timedelta(minutes=40),
                        deadline=at,
                        ended_at=at,
                        n_items=20,
                        score=data["score"],
                        passed=data["passed"],
                        result={"per_tier": data["per_tier"], "passed": data["passed"]},
                        signals=data["signals"],
                    )
                )
                to = "assessed_passed" if data["passed"] else "assessed_failed"
                pipeline.move(applicant, to, actor=None, reason="Assessment scored")
                db.session.commit()
                engine.run_for_applicant(applicant.id)  # the event's task
        sim.at = t_next
        engine.run_all()  # beat
        if working(t_next):
            day = t_next.toordinal()
            for k, recruiter in enumerate(staff):
                room = min(per_step, cap - done_today[(day, k)])
                if room <= 0:
                    continue
                rows = queue.open_items(limit=room * RECRUITERS)[k::RECRUITERS][:room]
                for row in rows:
                    applicant = row.applicant
                    passed = applicant.stage == "assessed_passed"
                    try:
                        move_candidate(
                            applicant,
                            "shortlisted" if passed else "rejected",
                            actor=recruiter,
                            exit_reason=None if passed else "assessment",
                            reason=None if passed else "Reviewed the assessment",
                        )
                    except ActionError:
                        continue
                    done_today[(day, k)] += 1
                    actions += 1
        if t_next.weekday() == 4 and t_next.hour == 23 and t_next.minute < beat_minutes:
            backlog_weekly.append(len(queue.open_items(limit=100_000)))
        if t < START + timedelta(days=MONTH_DAYS) <= t_next:
            backlog_month_end = len(queue.open_items(limit=100_000))
        t = t_next

    waits: list[int] = []
    for entered, left in db.session.execute(
        select(StageSpan.entered_at, StageSpan.left_at).where(
            StageSpan.stage.in_(("assessed_passed", "assessed_failed"))
        )
    ):
        waits.append(business_days_between(entered, left))
    still = db.session.scalars(
        select(Applicant.stage_changed_at).where(
            Applicant.stage.in_(("assessed_passed", "assessed_failed"))
        )
    ).all()
    waits.extend(business_days_between(entered, end) for entered in still)
    assessed = len(waits)
    never = sum(1 for ev in events if ev[1] == "arrive") - assessed
    withdrawn = db.session.scalar(
        select(func.count()).where(
            Applicant.stage == "withdrawn", Applicant.exit_reason == "no_response"
        )
    )
    auto = db.session.scalar(select(func.count()).where(RuleAction.status == "done"))
    held = db.session.scalar(select(func.count(func.distinct(ReviewItem.applicant_id))))
    return {
        "applicants": n,
        "assessed": assessed,
        "within1": 100 * sum(w <= 1 for w in waits) / max(assessed, 1),
        "within3": 100 * sum(w <= 3 for w in waits) / max(assessed, 1),
        "actions_per_applicant": actions / n,
        "actions": actions,
        "backlog": backlog_month_end,
        "backlog_weekly": backlog_weekly,
        "auto": auto,
        "held": held,
        "never_finished": never,
        "withdrawn": withdrawn,
        "cap": cap,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 applicants, 15-minute beat, recruiters' daily cap scaled to the same load",
    )
    parser.add_argument("--applicants", type=int, default=None)
    parser.add_argument(
        "--beat", type=int, default=None, help="beat interval in minutes (15; production: 5)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n = args.applicants or (1_000 if args.quick else 10_000)
    beat = args.beat or 15
    started = time.perf_counter()
    r = run(n, beat, args.seed)
    elapsed = time.perf_counter() - started
    weekly = r["backlog_weekly"] or [0]
    print(f"applicants: {r['applicants']} count")
    print(f"assessed: {r['assessed']} count")
    print(f"never finished the profile: {r['never_finished']} count")
    print(f"answered within 1 business day: {r['within1']:.2f} %")
    print(f"answered within 3 business days: {r['within3']:.2f} %")
    print(f"recruiter actions per applicant: {r['actions_per_applicant']:.3f}")
    print(f"recruiter actions: {r['actions']} count")
    print(f"recruiter daily cap each: {r['cap']} items")
    print(f"automatic actions: {r['auto']} count")
    print(f"applicants sent to a person: {r['held']} count")
    print(f"backlog at month end: {r['backlog']} items")
    print(f"backlog growth first to last Friday: {weekly[-1] - weekly[0]} items")
    print(f"backlog max on a Friday night: {max(weekly)} items")
    print(f"withdrawn for no response: {r['withdrawn']} count")
    print(f"simulation time: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
