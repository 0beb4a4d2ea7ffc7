"""Benchmark the global proposal through the web: 5,000 applicants x 20 projects end to end.

    .venv/bin/python bench/proposal.py [--applicants 5000] [--projects 20] [--quick]

Creates a scratch PostgreSQL database on BENCH_DATABASE_URL's server (default
postgresql://postgres@127.0.0.1:5432/postgres; ``--sqlite`` uses a temporary file instead),
bulk-loads applicants (user, profile, scored attempt) and open projects, signs an admin in and
times, through the Flask test client with Celery eager (the embedded default, so the job runs
inside the POST): POST to start a proposal run, one status poll, and the GET of the result page.
Target: under 3 s end to end. Also counts the SQL statements of all three requests (the job's
progress commits included; the same whatever the pool size).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching import COUNTRIES, make_candidates, make_projects  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Applicant, Attempt, Client, Project, User  # noqa: E402

TZ = {
    "US": "America/New_York", "CA": "America/Toronto", "GB": "Europe/London",
    "IE": "Europe/Dublin", "DE": "Europe/Berlin", "FR": "Europe/Paris", "PL": "Europe/Warsaw",
    "ES": "Europe/Madrid", "CH": "Europe/Zurich", "IN": "Asia/Kolkata", "PH": "Asia/Manila",
    "JP": "Asia/Tokyo", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland",
    "BR": "America/Sao_Paulo", "MX": "America/Mexico_City", "NG": "Africa/Lagos",
    "KE": "Africa/Nairobi", "ZA": "Africa/Johannesburg", "AR": "America/Argentina/Buenos_Aires",
}  # fmt: skip
assert set(TZ) == set(COUNTRIES)


def seed(applicants: int, projects: int) -> int:
    """Bulk-load the pool and the open projects; returns the admin's user id."""
    now = datetime.now(UTC)
    people = make_candidates(applicants, seed=3)
    users = [
        {"id": c.id + 1, "email": f"a{c.id}@bench.test", "name": "", "password_hash": "x",
         "role": "applicant", "active": True, "created_at": now, "session_version": 1}
        for c in people
    ]  # fmt: skip
    users.append(
        {"id": 1, "email": "admin@bench.test", "name": "Admin", "password_hash": "x",
         "role": "admin", "active": True, "created_at": now, "session_version": 1}
    )  # fmt: skip
    db.session.execute(insert(User), users)
    rng = random.Random(5)
    db.session.execute(
        insert(Applicant),
        [
            {
                "id": c.id, "user_id": c.id + 1, "full_name": f"Person {c.id}",
                "country": c.country, "timezone": TZ[c.country], "links": [],
                "skills": sorted(c.skills), "domains": sorted(c.domains),
                "languages": [{"language": lang.title(), "level": "fluent"}
                              for lang in sorted(c.languages)],
                "experience": [], "education": [],
                "labelling_experience": [{"months": c.labelling_months}],
                "years_experience": c.years_experience, "weekly_hours": int(c.weekly_hours),
                "desired_rate_cents": c.desired_rate_cents,
                "stage": "shortlisted" if c.passed else "assessed_failed",
                "stage_changed_at": now, "created_at": now,
            }
            for c in people
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Attempt),
        [
            {
                "applicant_id": c.id, "status": "submitted", "started_at": now - timedelta(hours=1),
                "deadline": now, "ended_at": now, "n_items": 20, "score": c.overall_score,
                "passed": c.passed,
                "result": {"per_domain": {d: {"agreement": s / 100, "items": 5}
                                          for d, s in c.domain_scores.items()}},
            }
            for c in people
            if rng.random() < 0.98
        ],
    )  # fmt: skip
    db.session.execute(insert(Client), [{"id": 1, "name": "Bench lab", "created_at": now}])
    db.session.execute(
        insert(Project),
        [
            {
                "client_id": 1, "title": f"Project {p.id}", "description": "",
                "domains": sorted(p.domains), "skills": sorted(p.skills),
                "languages": [lang.title() for lang in sorted(p.languages)],
                "min_score": p.min_score, "domain_min_scores": dict(p.domain_min_scores),
                "hours_min": int(p.hours_band[0]), "hours_max": int(p.hours_band[1]),
                "rate_min_cents": p.rate_band_cents[0], "rate_max_cents": p.rate_band_cents[1],
                "currency": "usd", "allowed_countries": sorted(p.allowed_countries),
                "timezone_window": (
                    {"from": p.timezone_window[0], "to": p.timezone_window[1]}
                    if p.timezone_window else {}
                ),
                "headcount": p.headcount, "status": "open", "created_at": now,
            }
            for p in make_projects(projects, seed=4)
        ],
    )  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("user", "applicant", "client", "project"):
            db.session.execute(
                db.text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f"(SELECT max(id) FROM \"{table}\"))")
            )  # fmt: skip
        db.session.commit()
    return 1


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


def run(url: str, applicants: int, projects: int) -> None:
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "CELERY_BROKER_URL": None,
            "MAIL_SERVER": None,
            "SERVER_NAME": "localhost",
            "UPLOAD_FOLDER": tempfile.mkdtemp(),
        }
    )
    with app.app_context():
        db.create_all()
        t = time.perf_counter()
        admin_id = seed(applicants, projects)
        took = time.perf_counter() - t
        print(f"# seeded {applicants:,} applicants x {projects} projects in {took:.1f} s")
        counter = StatementCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = f"{admin_id}:1"
            session["_fresh"] = True
        timed_requests(client, counter)


def timed_requests(client, counter: StatementCounter) -> None:
    """POST to start (eager: the job runs inside it), poll the status once, GET the result."""
    started = time.perf_counter()
    response = client.post("/admin/projects/proposal/runs")
    assert response.status_code == 303, response.status_code
    job = time.perf_counter() - started
    run_url = response.headers["Location"]
    status = client.get(f"{run_url}/status").get_json()
    assert status["status"] == "done", status
    t = time.perf_counter()
    page = client.get(run_url)
    render = time.perf_counter() - t
    total = time.perf_counter() - started
    assert page.status_code == 200
    offers = page.get_data(as_text=True).count('name="pick"')
    print(f"proposal_start_and_job_seconds: {job:.3f} s")
    print(f"proposal_result_page_seconds: {render:.3f} s")
    print(f"proposal_end_to_end_seconds: {total:.3f} s (target < 3 s)")
    print(f"proposal_statements: {counter.count} statements")
    print(f"proposal_offers: {offers} offers")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--applicants", type=int, default=5000)
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="1,000 x 10")
    ap.add_argument("--sqlite", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.applicants, args.projects = 1000, 10
    if args.sqlite:
        path = Path(tempfile.mkdtemp()) / "bench.db"
        run(f"sqlite:///{path}", args.applicants, args.projects)
        return 0
    from _common import create_database, drop_database
    from sqlalchemy.engine import make_url

    base = make_url(
        os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    create_database(admin, name)
    try:
        url = base.set(drivername="postgresql+psycopg", database=name)
        run(url.render_as_string(hide_password=False), args.applicants, args.projects)
    finally:
        drop_database(admin, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
