"""Benchmark the public job board at 1,000 open postings (in-process, Flask's test client).

    .venv/bin/python bench/job_board.py [--postings 1000] [--reps 30] [--sqlite]

Creates a scratch database on BENCH_DATABASE_URL's server (default
postgresql://postgres@127.0.0.1:5432/postgres), or a SQLite file with --sqlite, builds the
schema, inserts the postings (Markdown sections of a realistic length, domains, languages,
countries), and reports p50/p95 latency of typical board searches and one posting page, each
request followed by one to /healthz (the baseline). Target: board p95 <= 100 ms.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/jobs",
    "/jobs?page=7",
    "/jobs?q=medical",
    "/jobs?q=rank+rationale&domain=law",
    "/jobs?domain=medicine&min_pay=40",
    "/jobs?language=es&hours=10",
    "/jobs/posting-500",
    "/",
]
DOMAINS = ["medicine", "law", "coding", "mathematics", "finance", "writing", "languages"]
WORDS = [
    "rank",
    "compare",
    "model",
    "responses",
    "rationale",
    "medical",
    "legal",
    "code",
    "review",
    "careful",
    "reading",
    "clinical",
    "contract",
    "python",
    "translation",
    "fluent",
    "guidelines",
    "safety",
    "helpfulness",
    "accuracy",
]


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed(n: int) -> None:
    from portal.extensions import db
    from portal.models import Posting

    rng = random.Random(7)
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        low = rng.choice([2000, 2500, 3000, 4000, 5000])
        rows.append(
            {
                "slug": f"posting-{i}",
                "title": f"{rng.choice(['Medical', 'Legal', 'Code', 'Spanish', 'Math'])} rater {i}",
                "summary": paragraph(rng, 20),
                **{
                    s: "\n".join(f"- {paragraph(rng, 12)}" for _ in range(5))
                    for s in (
                        "overview",
                        "responsibilities",
                        "qualifications",
                        "commitment",
                        "compensation",
                        "process",
                    )
                },
                "pay_min_cents": low,
                "pay_max_cents": low + rng.choice([500, 1000, 2000]),
                "currency": "usd",
                "hours_min": rng.choice([5, 10, 15]),
                "hours_max": rng.choice([20, 30, 40]),
                "domains": rng.sample(DOMAINS, rng.randint(1, 2)),
                "languages": rng.choice([[], ["en"], ["es"], ["de"]]),
                "locations": rng.choice([[], ["US"], ["US", "GB"], ["ES", "MX"]]),
                "track": "general",
                "answer_days": 5,
                "status": rng.choice(["open"] * 8 + ["draft", "closed"]) if i != 500 else "open",
                "opened_at": opened + timedelta(hours=i),
                "created_at": opened,
                "updated_at": opened,
            }
        )
    db.session.execute(db.insert(Posting), rows)
    db.session.commit()


def measure(client, url: str, reps: int) -> tuple[list[float], list[float]]:
    timings, baseline = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        t0 = time.perf_counter()
        client.get("/healthz")
        baseline.append((time.perf_counter() - t0) * 1000)
    return timings, baseline


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke size: 600 postings, 5 reps")
    args = parser.parse_args()
    if args.quick:
        args.postings, args.reps = 600, 5

    import logging

    import psycopg
    from _common import drop_database

    from portal import create_app
    from portal.config import database_uri
    from portal.extensions import db

    logging.disable(logging.INFO)
    server = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    admin_dsn = re.sub(r"/[^/]*$", "/postgres", server)
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    else:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = database_uri(re.sub(r"/[^/]*$", f"/{name}", server))
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
    )
    try:
        with app.app_context():
            db.create_all()
            seed(args.postings)
            db.session.remove()
        client = app.test_client()
        for url_ in URLS:  # warm up
            client.get(url_)
        every, base = [], []
        for url_ in URLS:
            timings, baseline = measure(client, url_, args.reps)
            every += timings
            base += baseline
            print(
                f"{url_}: p50 {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms "
                f"(baseline: p95 {p95(baseline):.1f} ms, {p95(timings) / p95(baseline):.1f}x)"
            )
        print(
            f"job board p95 at {args.postings:,} postings: {p95(every):.1f} ms "
            f"(baseline: {p95(base):.1f} ms, {p95(every) / p95(base):.1f}x)"
        )
        # The figures bench/run.py reports (it adds the recorded baselines).
        print(f"job board p95 at {args.postings}: {p95(every):.1f} ms")
        print(f"job board p95 / healthz p95 at {args.postings}: {p95(every) / p95(base):.1f} x")
    finally:
        with app.app_context():
            db.engine.dispose()
        if not args.sqlite:
            drop_database(admin_dsn, name)


if __name__ == "__main__":
    main()
