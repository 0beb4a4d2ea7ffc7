"""Load test: N signed-in applicants autosave assessment answers for T seconds; none may be lost.

    .venv/bin/python bench/load_assessment.py [--applicants 100] [--seconds 30]
        [--workers 4] [--worker-class sync|gthread] [--threads 1] [--keep]
    .venv/bin/python bench/load_assessment.py --quick     # 40 applicants for 10 s

Creates a scratch database on BENCH_DATABASE_URL's server (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, imports the shipped item bank and
adds N applicants ready to take the assessment; starts gunicorn on a free 127.0.0.1 port with
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9) as the rate limiter's storage and the
Celery broker. A bounded asyncio client (aiohttp) signs every applicant in, starts their
attempt, then each one autosaves an answer to a random item every 0.5-1.5 s, as the page does,
while one more client requests /healthz every 50 ms (the baseline, under the same load).
Afterwards every answer the server acknowledged (200) is read back from the database: the
last acknowledged answer of each item must be the stored one. CPU per save is the gunicorn
workers' CPU time (/proc) during the autosave phase divided by the saves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psycopg
from _common import drop_database, free_port, percentile, stop_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@dataclass
class Results:
    save_ms: list[float] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    # (attempt id, position) -> the last answer the server acknowledged
    acked: dict[tuple[int, int], dict] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def seed(dsn: str, n: int) -> None:
    """The shipped bank and N applicants at profile_complete, email confirmed."""
    from werkzeug.security import generate_password_hash

    from assessments import BANK_ITEMS
    from portal import create_app
    from portal.assessment import bank
    from portal.extensions import db
    from portal.models import Applicant, Role, User
    from portal.models.base import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": dsn, "SECRET_KEY": "bench", "TESTING": False})
    # A cheap hash: the load test measures autosave, not scrypt (sign-in is not timed).
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        bank.import_items(BANK_ITEMS, "native", status="live")
        now = utcnow()
        for i in range(n):
            user = User(
                email=f"load{i}@bench.example",
                name=f"Load {i}",
                role=Role.APPLICANT,
                email_verified_at=now,
                password_hash=hashed,
            )
            user.applicant = Applicant(full_name=f"Load {i}", stage="profile_complete")
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()


async def sign_in_and_start(
    http: aiohttp.ClientSession, base: str, i: int, results: Results
) -> str | None:
    """Sign applicant i in and start their attempt; the page's CSRF token for the autosaves."""
    page = await (await http.get(f"{base}/auth/signin")).text()
    token = CSRF.search(page)
    form = {"email": f"load{i}@bench.example", "password": PASSWORD, "csrf_token": token[1]}
    signin = await http.post(f"{base}/auth/signin", data=form, allow_redirects=False)
    if signin.status != 302:
        results.error(f"sign-in {signin.status}")
        return None
    rules = await (await http.get(f"{base}/assessment/")).text()
    token = CSRF.search(rules)
    start = await http.post(
        f"{base}/assessment/start", data={"csrf_token": token[1]}, allow_redirects=False
    )
    if start.status != 302:
        results.error(f"start {start.status}")
        return None
    return token[1]


def attempt_items(dsn: str) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """email -> (attempt id, [(kind, number of responses)] in shown order)."""
    out: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT u.email, a.id, ai.position, i.kind, json_array_length(i.responses::json) "
            "FROM attempt a JOIN applicant ap ON ap.id = a.applicant_id "
            'JOIN "user" u ON u.id = ap.user_id JOIN attempt_item ai ON ai.attempt_id = a.id '
            "JOIN item i ON i.id = ai.item_id WHERE a.status = 'in_progress' "
            "ORDER BY a.id, ai.position"
        ).fetchall()
    for email, attempt_id, _position, kind, n in rows:
        out.setdefault(email, (attempt_id, []))[1].append((kind, n))
    return out


async def autosaver(
    http: aiohttp.ClientSession,
    base: str,
    csrf: str,
    attempt_id: int,
    items: list[tuple[str, int]],
    until: float,
    results: Results,
    rng: random.Random,
) -> None:
    """Save a random item's answer every 0.5-1.5 s until `until`, one save in flight."""
    seq = 0
    await asyncio.sleep(rng.uniform(0, 1.5))
    while time.monotonic() < until:
        position = rng.randrange(len(items))
        kind, n = items[position]
        seq += 1
        answer: dict = {"rationale": f"{attempt_id}-{position}-{seq}"}
        if kind == "pairwise":
            answer["choice"] = rng.randint(-3, 3)
        else:
            answer["ranking"] = rng.sample(range(1, n + 1), n)
        t0 = time.perf_counter()
        try:
            async with http.post(
                f"{base}/assessment/attempt/{position}/answer",
                json={"answer": answer},
                headers={"X-CSRFToken": csrf, "Accept": "application/json"},
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            results.error(type(exc).__name__)
        else:
            if status == 200:
                results.save_ms.append((time.perf_counter() - t0) * 1000)
                results.acked[(attempt_id, position)] = answer
            else:
                results.error(f"HTTP {status}")
        await asyncio.sleep(rng.uniform(0.5, 1.5))


async def health_probe(base: str, until: float, results: Results) -> None:
    """/healthz every 50 ms under the same load: the baseline the saves are compared with."""
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < until:
            t0 = time.perf_counter()
            try:
                async with http.get(f"{base}/healthz") as response:
                    await response.read()
                    if response.status == 200:
                        results.health_ms.append((time.perf_counter() - t0) * 1000)
                    else:
                        results.error(f"healthz HTTP {response.status}")
            except (aiohttp.ClientError, TimeoutError) as exc:
                results.error(f"healthz {type(exc).__name__}")
            await asyncio.sleep(0.05)


def wait_until_up(base: str, gunicorn: subprocess.Popen, seconds: float = 120) -> None:
    """Until /healthz answers 200 (every worker has imported the app by then, nearly)."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn exited with {gunicorn.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def worker_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of gunicorn's workers (the master's children) so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


async def load(args: argparse.Namespace, base: str, dsn: str, master: int) -> Results:
    results = Results()
    timeout = aiohttp.ClientTimeout(total=60)
    sessions = [
        aiohttp.ClientSession(
            timeout=timeout,
            connector=aiohttp.TCPConnector(limit=1),
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies from 127.0.0.1
        )
        for _ in range(args.applicants)
    ]
    try:
        gate = asyncio.Semaphore(16)  # sign-ins are not what is measured: a few at a time

        async def one(i: int) -> str | None:
            async with gate:
                return await sign_in_and_start(sessions[i], base, i, results)

        tokens = await asyncio.gather(*(one(i) for i in range(args.applicants)))
        started = attempt_items(dsn)
        rng = random.Random(19)
        cpu0, t0 = worker_cpu_seconds(master), time.monotonic()
        until = t0 + args.seconds
        jobs = [health_probe(base, until, results)]
        for i, csrf in enumerate(tokens):
            email = f"load{i}@bench.example"
            if csrf is None or email not in started:
                continue
            attempt_id, items = started[email]
            jobs.append(autosaver(sessions[i], base, csrf, attempt_id, items, until, results, rng))
        await asyncio.gather(*jobs)
        results.elapsed = time.monotonic() - t0  # type: ignore[attr-defined]
        results.cpu = worker_cpu_seconds(master) - cpu0  # type: ignore[attr-defined]
        results.signed_in = sum(t is not None for t in tokens)  # type: ignore[attr-defined]
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return results


def lost_answers(dsn: str, acked: dict[tuple[int, int], dict]) -> int:
    """Acknowledged answers the database does not hold (the last one per item must be there)."""
    stored: dict[tuple[int, int], dict | None] = {}
    with psycopg.connect(dsn) as conn:
        for attempt_id, position, answer in conn.execute(
            "SELECT attempt_id, position, answer FROM attempt_item"
        ):
            stored[(attempt_id, position)] = answer
    return sum(1 for key, answer in acked.items() if stored.get(key) != answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="gthread: threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--quick", action="store_true", help="smoke size: 40 applicants, 10 s")
    args = parser.parse_args()
    if args.quick:
        args.applicants, args.seconds = 40, 10

    from portal.config import database_uri

    server = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    name = f"portal_load_{uuid.uuid4().hex[:8]}"
    admin_dsn = re.sub(r"/[^/]*$", "/postgres", server)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", server)
    dsn = database_uri(url).replace("+psycopg", "")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="bench-secret",
        PYTHONPATH=str(ROOT),
        RATELIMIT_STORAGE_URI=redis,
        CELERY_BROKER_URL=redis,
        PORTAL_SIGNIN_RATE_LIMIT="100000 per minute",
    )
    gunicorn = None
    try:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        seed(database_uri(url), args.applicants)
        port = free_port()
        command = [
            sys.executable, "-m", "gunicorn",
            "-w", str(args.workers), "-k", args.worker_class, "--threads", str(args.threads),
            "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
        ]  # fmt: skip
        gunicorn = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, gunicorn)
        results = asyncio.run(load(args, base, dsn, gunicorn.pid))
        lost = lost_answers(dsn, results.acked)
        saves = len(results.save_ms)
        errors = sum(results.errors.values())
        setup = f"{args.workers} {args.worker_class}" + (
            f"x{args.threads}" if args.worker_class == "gthread" else ""
        )
        print(f"{results.signed_in} applicants autosaving for {args.seconds:.0f} s, gunicorn "
              f"{setup}; errors by kind: {results.errors or 'none'}")  # fmt: skip
        at = f"at {args.applicants}"
        print(f"autosave throughput {at}: {saves / results.elapsed:.1f} saves/s")
        for p in (50, 95, 99):
            print(f"autosave p{p} {at}: {percentile(results.save_ms, p):.1f} ms")
        for p in (50, 95, 99):
            print(f"healthz p{p} under load {at}: {percentile(results.health_ms, p):.1f} ms")
        print(f"autosave CPU per save {at}: {1000 * results.cpu / max(saves, 1):.2f} ms")
        print(f"autosave errors {at}: {errors} count")
        print(f"lost answers {at}: {lost} count")
        if results.save_ms:
            print(f"(mean save {statistics.mean(results.save_ms):.1f} ms over {saves} saves)")
    finally:
        stop_server(gunicorn)
        if not args.keep:
            drop_database(admin_dsn, name)
        else:
            print(f"kept database {url}")


if __name__ == "__main__":
    main()
