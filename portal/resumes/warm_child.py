"""A warm sandbox child: ``python -m portal.resumes.warm_child`` parses one request at a time.

The parent (``sandbox.WarmChild``) starts it with rlimits on memory, files and core dumps. It
imports the parser once, warms its lazy caches, says ``{"ready": ...}`` and then reads one JSON
request per line on stdin and writes one JSON answer per line on the protocol descriptor (the
original stdout; ``sys.stdout`` is pointed at stderr so that nothing the parser prints can
corrupt the protocol). Each parse is armed like the one-shot child: a wall-clock alarm and a CPU
limit relative to the CPU already used. A parse that runs out of memory answers and then exits,
since its heap can no longer be trusted; the parent replaces a child after a number of parses
or any limit hit. End of stdin (the parent went away) ends the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from datetime import date
from typing import Any

from .child import _arm, _ParseTimeout
from .errors import ResumeError


def _warm_up() -> None:
    """Load what the parser loads lazily (pdfminer's font metrics, phone metadata) once."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "resumes"
    from .parser import parse_resume_detailed

    for path in sorted(sample.glob("*.pdf"))[:1]:
        with contextlib.suppress(Exception):
            parse_resume_detailed(path)


def _answer(request: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the answer, whether this child may serve another request)."""
    from .parser import parse_resume_detailed
    from .sandbox import MSG_MEMORY, MSG_TIMEOUT

    timeout = request.get("timeout")
    if timeout:
        _arm(float(timeout))
    try:
        parsed = parse_resume_detailed(
            request["path"],
            default_region=request.get("default_region"),
            today=date.fromisoformat(request["today"]) if request.get("today") else None,
            max_pages=int(request.get("max_pages", 20)),
        )
    except ResumeError as exc:
        return {"error": exc.message, "code": exc.code}, True
    except MemoryError:
        return {"error": MSG_MEMORY, "code": "memory"}, False
    except _ParseTimeout:
        return {"error": MSG_TIMEOUT, "code": "timeout"}, False
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"result": parsed.to_json()}, True


def main() -> int:
    """Serve parse requests until stdin closes or a parse leaves the process untrustworthy."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from . import parser  # noqa: F401 - the point of this process: import once

    _warm_up()
    protocol.write(json.dumps({"ready": os.getpid()}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        try:
            answer, healthy = _answer(json.loads(line))
        except MemoryError:
            return 3
        protocol.write(json.dumps(answer, ensure_ascii=False) + "\n")
        protocol.flush()
        if not healthy:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
