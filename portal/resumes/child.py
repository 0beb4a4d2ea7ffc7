"""Child-process entry point: ``python -m portal.resumes.child FILE`` prints JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from .errors import ResumeError


class _ParseTimeout(BaseException):
    """Raised from SIGALRM; a BaseException so that no broad ``except Exception`` eats it."""


def _arm(timeout: float) -> None:
    """After the imports: an alarm for the wall clock and a CPU limit relative to now."""
    import resource
    import signal

    def on_alarm(signum: int, frame: object) -> None:
        raise _ParseTimeout

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = int(usage.ru_utime + usage.ru_stime + timeout) + 1
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def main(argv: list[str] | None = None) -> int:
    """Parse one file and print {"result": ...} or {"error": ..., "code": ...}."""
    ap = argparse.ArgumentParser(prog="portal.resumes.child")
    ap.add_argument("path")
    ap.add_argument("--max-pages", type=int, default=20)
    ap.add_argument("--default-region", default=None)
    ap.add_argument("--today", default=None)
    ap.add_argument("--timeout", type=float, default=None)
    args = ap.parse_args(argv)
    try:
        from .parser import parse_resume_detailed
        from .sandbox import MSG_MEMORY, MSG_TIMEOUT

        if args.timeout:
            _arm(args.timeout)

        today = date.fromisoformat(args.today) if args.today else None
        try:
            parsed = parse_resume_detailed(
                args.path,
                default_region=args.default_region,
                today=today,
                max_pages=args.max_pages,
            )
        except MemoryError:
            out = {"error": MSG_MEMORY, "code": "memory"}
        except _ParseTimeout:
            out = {"error": MSG_TIMEOUT, "code": "timeout"}
        else:
            out = {"result": parsed.to_json()}
    except ResumeError as exc:
        out = {"error": exc.message, "code": exc.code}
    except MemoryError:
        return 3
    if args.timeout:
        import signal

        signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    sys.stdout.flush()
    return 0 if "result" in out else 2


if __name__ == "__main__":
    sys.exit(main())
