"""The warm sandbox pool: hostile files still get killed, the pool recovers, children recycle."""

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from portal.resumes import ResumeError, parse_resume_sandboxed, sandbox

from .scoring import FIXTURES, TODAY
from .test_hostile import _pdf, _repeated_flate

ONE_PAGE = FIXTURES / "20_james_single.pdf"


@pytest.fixture
def pool():
    """A fresh pool for this process, emptied afterwards."""
    sandbox.warm_pool().close()
    yield sandbox.warm_pool()
    sandbox.warm_pool().close()


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state


def test_a_looping_file_is_killed_and_the_next_parse_works(pool, tmp_path: Path):
    parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    [first] = pool.idle_pids()
    ops = b"BT /F1 9 Tf 72 720 Td " + b"(x) Tj 0.01 0 Td " * 4000 + b"ET\n"
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(_pdf(_repeated_flate(ops, 500)))
    with pytest.raises(ResumeError) as err:
        parse_resume_sandboxed(slow, timeout=1, startup_timeout=10)
    assert err.value.code in ("timeout", "memory")
    assert _gone(first)  # the child that hit the limit is never reused
    parsed = parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    assert parsed.fields["name"] and parsed.pages == 1
    assert pool.idle_pids() != [first]


def test_a_bomb_hits_the_memory_cap_and_the_pool_recovers(pool, tmp_path: Path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf(_repeated_flate(b"\0" * (1 << 20), 600)))
    with pytest.raises(ResumeError) as err:
        parse_resume_sandboxed(bomb, timeout=10, memory_mb=256, startup_timeout=10)
    assert err.value.code in ("memory", "timeout")
    assert parse_resume_sandboxed(ONE_PAGE, today=TODAY, memory_mb=256).pages == 1


def test_a_corrupt_file_is_an_error_and_the_child_serves_on(pool):
    parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    [child] = pool.idle_pids()
    with pytest.raises(ResumeError) as err:
        parse_resume_sandboxed(FIXTURES / "hostile" / "corrupt.pdf")
    assert err.value.code == "corrupt"
    assert pool.idle_pids() == [child]


def test_a_child_killed_from_outside_is_replaced(pool):
    parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    [child] = pool.idle_pids()
    os.kill(child, signal.SIGKILL)
    time.sleep(0.1)
    assert parse_resume_sandboxed(ONE_PAGE, today=TODAY).pages == 1
    assert pool.idle_pids() != [child]


def test_the_child_is_recycled_after_max_parses(pool):
    pool.max_parses = 3
    seen = []
    for _ in range(4):
        parse_resume_sandboxed(ONE_PAGE, today=TODAY)
        seen.append(pool.idle_pids()[0])
    # Three parses in one child, then a fresh one (already started, warming up) takes over.
    assert seen[0] == seen[1] != seen[2] == seen[3]
    assert _gone(seen[0])


def _parse_in_daemon(queue) -> None:
    parsed = parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    queue.put((parsed.pages, sandbox.warm_pool().idle_pids()))


def test_works_in_a_daemonic_forked_worker_and_its_children_leave_with_it(pool):
    """As in a Celery prefork worker: a forked daemon starts its own children, not its parent's."""
    parse_resume_sandboxed(ONE_PAGE, today=TODAY)
    mine = pool.idle_pids()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    worker = ctx.Process(target=_parse_in_daemon, args=(queue,), daemon=True)
    worker.start()
    pages, theirs = queue.get(timeout=60)
    worker.join(10)
    assert pages == 1 and theirs and theirs != mine
    deadline = time.monotonic() + 10
    while not _gone(theirs[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(theirs[0])  # its stdin closed with the worker
    assert pool.idle_pids() == mine and not _gone(mine[0])  # the parent's child untouched
