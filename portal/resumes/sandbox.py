"""Run a parse in a child process with CPU, memory and wall-clock limits."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

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


def _limits(cpu_seconds: int, memory_bytes: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        # No core files from a child that blows its limits.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


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
    """Parse in a child process (not multiprocessing: Celery prefork workers are daemonic).

    ``timeout`` bounds the parse itself (the child arms an alarm and a CPU limit once its
    imports are done); ``startup_timeout`` more is allowed for starting the interpreter and
    importing the ``portal`` package, which takes seconds on a loaded machine. The parent
    kills the child after ``timeout + startup_timeout`` whatever happens.
    """
    read_file(path)  # missing, empty and oversized files fail fast, without a child
    cmd = [sys.executable, "-m", "portal.resumes.child", os.fspath(path),
           "--max-pages", str(max_pages), "--timeout", str(timeout)]  # fmt: skip
    if default_region:
        cmd += ["--default-region", default_region]
    if today:
        cmd += ["--today", today.isoformat()]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PROJECT_ROOT, env.get("PYTHONPATH")) if p)
    # Thread pools reserve address space up front; one thread keeps RLIMIT_AS meaningful.
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MALLOC_ARENA_MAX="2")
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            timeout=timeout + startup_timeout,
            env=env,
            preexec_fn=_limits(
                max(1, math.ceil(timeout + startup_timeout)), memory_mb * 1024 * 1024
            ),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ResumeError(MSG_TIMEOUT, code="timeout") from exc
    payload = None
    if proc.stdout:
        try:
            payload = json.loads(proc.stdout.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
    if isinstance(payload, dict) and "error" in payload:
        raise ResumeError(payload["error"], code=payload.get("code", "unreadable"))
    if proc.returncode == 0 and isinstance(payload, dict) and "result" in payload:
        return ParsedResume.from_json(payload["result"])
    if proc.returncode in (-9, -24, 137, 152) or b"MemoryError" in proc.stderr:
        # SIGKILL/SIGXCPU: the kernel enforced a limit.
        code = "timeout" if proc.returncode in (-24, 152) else "memory"
        raise ResumeError(MSG_TIMEOUT if code == "timeout" else MSG_MEMORY, code=code)
    raise ResumeError(MSG_FAILED, code="failed")
