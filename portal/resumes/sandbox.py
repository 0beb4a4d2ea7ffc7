"""Run a parse in a warm, rlimited child process with a wall-clock kill.

Starting a fresh interpreter and importing the parser costs far more than parsing a one-page
file, so each process that parses (a Celery worker, a web process in eager mode) keeps a small
pool of warm children (``WarmChild``, serving ``portal.resumes.warm_child``). A child runs with
a memory cap (RLIMIT_AS), no core files and a cap on open files; each parse is armed with an
alarm and a CPU limit inside the child, and the parent kills the child when its own deadline
passes whatever the child does. A child is replaced after ``max_parses`` parses (heap growth,
caches a hostile file may have filled) and whenever a parse hits a limit, dies or times out; the
replacement is started at once so that it warms up while the worker does something else.

Children are started with ``subprocess`` rather than ``multiprocessing`` because Celery prefork
workers are daemonic and may not have multiprocessing children. A pool belongs to the process
that created it: a forked process (a prefork worker) starts its own, and the children are
killed at interpreter exit (and leave by themselves when their stdin closes).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from .errors import ResumeError
from .parser import ParsedResume, read_file

MSG_TIMEOUT = (
    "This file took too long to read; it may be unusually complex. "
    "Export it again as a simpler PDF, or upload a DOCX."
)
MSG_MEMORY = (
    "This file is too large or complex to read; export it again as a simpler PDF, or upload a DOCX."
)
MSG_FAILED = "We couldn't read this file; export it again as a PDF or DOCX and re-upload it."

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
MAX_PARSES = 50  # parses per child before it is replaced
POOL_SIZE = 1  # idle children kept per process
OPEN_FILES = 64
_GRACE = 2.0  # seconds the parent waits beyond the child's own alarm


def child_command() -> list[str]:
    """The warm child's command line (a test swaps it for one that misbehaves)."""
    return [sys.executable, "-m", "portal.resumes.warm_child"]


def _limits(memory_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    os.setsid()  # its own process group: a kill reaches anything it started


class WarmChild:
    """One pre-imported child process serving parse requests over pipes."""

    def __init__(self, memory_mb: int) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PROJECT_ROOT, env.get("PYTHONPATH")) if p)
        # Thread pools reserve address space up front; one thread keeps RLIMIT_AS meaningful.
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MALLOC_ARENA_MAX="2")
        self.memory_mb = memory_mb
        self.parses = 0
        self.ready = False
        self._buffer = b""
        self.proc = subprocess.Popen(
            child_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            preexec_fn=lambda: _limits(memory_mb * 1024 * 1024),
            close_fds=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _line(self, deadline: float) -> dict[str, Any] | None:
        """The next protocol line, or None on end of file; TimeoutError past the deadline."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                raise TimeoutError
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            data = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def parse(self, request: dict[str, Any], timeout: float, startup_timeout: float) -> Any:
        """The child's answer: a dict with "result" or "error"; ResumeError when it fails."""
        started = time.monotonic()
        if not self.ready:
            try:
                hello = self._line(started + startup_timeout)
            except TimeoutError as exc:
                self.kill()
                raise ResumeError(MSG_TIMEOUT, code="timeout") from exc
            if hello is None or "ready" not in hello:
                raise self._died()
            self.ready = True
        assert self.proc.stdin is not None
        self.parses += 1
        try:
            self.proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            answer = self._line(time.monotonic() + timeout + _GRACE)
        except BrokenPipeError:
            answer = None
        except TimeoutError as exc:
            self.kill()
            raise ResumeError(MSG_TIMEOUT, code="timeout") from exc
        if answer is None:
            raise self._died()
        return answer

    def _died(self) -> ResumeError:
        """The error for a child that went away mid-request (the kernel enforced a limit)."""
        self.kill()
        code = self.proc.returncode
        if code in (-signal.SIGXCPU, -signal.SIGALRM):
            return ResumeError(MSG_TIMEOUT, code="timeout")
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, 3):
            return ResumeError(MSG_MEMORY, code="memory")
        return ResumeError(MSG_FAILED, code="failed")

    def kill(self) -> None:
        """End the child (and anything it started) and reap it."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class WarmPool:
    """Warm children of one process; a thread takes an idle child or starts one."""

    def __init__(self, size: int = POOL_SIZE, max_parses: int = MAX_PARSES) -> None:
        self.size = size
        self.max_parses = max_parses
        self.owner = os.getpid()
        self._idle: list[WarmChild] = []
        self._lock = threading.Lock()

    def _take(self, memory_mb: int) -> WarmChild:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.alive() and child.memory_mb == memory_mb:
                    return child
                child.kill()
        return WarmChild(memory_mb)

    def _give_back(self, child: WarmChild) -> None:
        """Keep a healthy child; replace a spent or broken one with a fresh one warming up."""
        replace = not child.alive() or child.parses >= self.max_parses
        if replace:
            child.kill()
            child = WarmChild(child.memory_mb)
        with self._lock:
            if len(self._idle) < self.size:
                self._idle.append(child)
                return
        child.kill()

    def parse(
        self, request: dict[str, Any], *, memory_mb: int, timeout: float, startup_timeout: float
    ) -> Any:
        """Run one request in a warm child; the child is recycled after any failure."""
        child = self._take(memory_mb)
        try:
            answer = child.parse(request, timeout, startup_timeout)
        except BaseException:
            child.kill()
            self._give_back(child)
            raise
        if answer.get("code") in ("memory", "timeout"):
            child.kill()  # a limit was hit: never reuse this process
        self._give_back(child)
        return answer

    def idle_pids(self) -> list[int]:
        with self._lock:
            return [c.pid for c in self._idle]

    def close(self) -> None:
        """Kill every idle child (at exit, or in tests)."""
        with self._lock:
            children, self._idle = self._idle, []
        for child in children:
            child.kill()


_pool: WarmPool | None = None
_pool_lock = threading.Lock()


def warm_pool() -> WarmPool:
    """This process's pool (a forked process never uses its parent's children)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.owner != os.getpid():
            _pool = WarmPool()
        return _pool


@atexit.register
def _close_pool() -> None:
    if _pool is not None and _pool.owner == os.getpid():
        _pool.close()


def parse_resume_sandboxed(
    path: str | os.PathLike[str],
    *,
    timeout: float = 15,
    memory_mb: int = 512,
    max_pages: int = 20,
    default_region: str | None = None,
    today: date | None = None,
    startup_timeout: float = 30,
) -> ParsedResume:
    """Parse in a warm sandbox child (not multiprocessing: Celery prefork workers are daemonic).

    ``timeout`` bounds the parse itself (the child arms an alarm and a CPU limit per parse);
    ``startup_timeout`` more is allowed when the child is still importing the parser, which
    takes seconds on a loaded machine. The parent kills the child after ``timeout`` and a short
    grace whatever happens, and the next parse gets a fresh child.
    """
    read_file(path)  # missing, empty and oversized files fail fast, without a child
    request = {
        "path": os.fspath(Path(path).resolve()),
        "max_pages": max_pages,
        "timeout": timeout,
        "default_region": default_region,
        "today": today.isoformat() if today else None,
    }
    answer = warm_pool().parse(
        request, memory_mb=memory_mb, timeout=timeout, startup_timeout=startup_timeout
    )
    if "error" in answer:
        raise ResumeError(str(answer["error"]), code=str(answer.get("code", "unreadable")))
    if isinstance(answer.get("result"), dict):
        return ParsedResume.from_json(answer["result"])
    raise ResumeError(MSG_FAILED, code="failed")
