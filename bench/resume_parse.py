"""Benchmark the resume parser against pdfminer.six's own extract_text.

    .venv/bin/python bench/resume_parse.py --repeat 5
    .venv/bin/python bench/resume_parse.py --workers 2 --rounds 4
    .venv/bin/python bench/resume_parse.py --workers 2 --rounds 1 --sandboxed
    .venv/bin/python bench/resume_parse.py --sandboxed --repeat 3

Reports median milliseconds per page for ``parse_resume`` (extraction + field extraction) and
for ``pdfminer.high_level.extract_text`` on the same PDF fixtures, and their ratio (target
<= 1.3). ``--workers N`` measures pages per second through a multiprocessing pool of N, a
stand-in for N Celery workers. ``--sandboxed`` alone adds the median milliseconds per one-page PDF
through the warm sandbox (isolation included: a request to a pre-imported, rlimited child and its
answer), beside ``extract_text`` on the same files (target <= 150 ms). ``--quick``: one run per
file. The ``name: value unit`` lines are the figures ``bench/run.py`` reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pdfminer.high_level import extract_text  # noqa: E402

from portal.resumes import parse_resume_detailed, parse_resume_sandboxed  # noqa: E402
from portal.resumes.fields import extract_fields  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "resumes"


def pdf_fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.pdf"))


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def single(repeat: int) -> None:
    files = pdf_fixtures()
    ours, theirs, fields_only, pages_total = [], [], [], 0
    for path in files:
        parsed = parse_resume_detailed(path)  # warm caches (fonts, phone metadata)
        extract_text(path)
        pages = parsed.pages
        pages_total += pages
        ours.append(_median_seconds(lambda p=path: parse_resume_detailed(p), repeat) / pages)
        theirs.append(_median_seconds(lambda p=path: extract_text(p), repeat) / pages)
        text = parsed.text
        fields_only.append(_median_seconds(lambda t=text: extract_fields(t), repeat) / pages)
    ms = 1000.0
    a, b = statistics.median(ours) * ms, statistics.median(theirs) * ms
    print(f"{len(files)} PDF fixtures, {pages_total} pages, median of {repeat} runs per file")
    print(f"parse_resume (extract + fields)   {a:7.1f} ms/page")
    print(f"  of which field extraction       {statistics.median(fields_only) * ms:7.2f} ms/page")
    print(f"pdfminer extract_text             {b:7.1f} ms/page")
    print(f"ratio parse_resume / extract_text {a / b:7.2f}x  (target <= 1.3x)")
    print(f"parse_resume: {a:.1f} ms/page")
    print(f"pdfminer extract_text: {b:.1f} ms/page")
    print(f"parse_resume / extract_text: {a / b:.2f} x")


def sandboxed(repeat: int) -> None:
    from portal.resumes.sandbox import warm_pool

    files = [p for p in pdf_fixtures() if parse_resume_detailed(p).pages == 1]
    warm_pool().close()
    t = time.perf_counter()
    parse_resume_sandboxed(files[0])  # starts the child: interpreter, imports, warm-up
    cold = time.perf_counter() - t
    ours, theirs = [], []
    for path in files:
        extract_text(path)
        ours.append(_median_seconds(lambda p=path: parse_resume_sandboxed(p), repeat))
        theirs.append(_median_seconds(lambda p=path: extract_text(p), repeat))
    ms = 1000.0
    a, b = statistics.median(ours) * ms, statistics.median(theirs) * ms
    print(f"{len(files)} one-page PDF fixtures, median of {repeat} runs per file")
    print(f"sandboxed parse (warm child)      {a:7.1f} ms/file  (target <= 150)")
    print(f"pdfminer extract_text             {b:7.1f} ms/file")
    print(f"first sandboxed parse (cold pool) {cold * ms:7.1f} ms")
    warm_pool().close()


def _parse(path: str) -> int:
    return parse_resume_detailed(path).pages


def _parse_sandboxed(path: str) -> int:
    return parse_resume_sandboxed(path).pages


def pool(workers: int, rounds: int, sandboxed: bool) -> None:
    jobs = [str(p) for p in pdf_fixtures()] * rounds
    fn = _parse_sandboxed if sandboxed else _parse
    with Pool(workers) as p:
        p.map(_parse, jobs[:workers])  # warm up every worker
        t = time.perf_counter()
        pages = sum(p.map(fn, jobs, chunksize=1))
        elapsed = time.perf_counter() - t
    mode = "sandboxed child per file" if sandboxed else "in-process"
    print(f"{workers} workers, {len(jobs)} files, {pages} pages ({mode}): "
          f"{pages / elapsed:.1f} pages/s, {elapsed:.2f} s")  # fmt: skip
    print(f"throughput {workers} workers {'sandboxed' if sandboxed else 'in-process'}: "
          f"{pages / elapsed:.1f} pages/s")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per file (median)")
    ap.add_argument("--workers", type=int, default=0, help="measure a pool of N workers")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the fixtures in pool mode")
    ap.add_argument("--sandboxed", action="store_true", help="also time the sandboxed parse")
    ap.add_argument("--quick", action="store_true", help="smoke size: one run per file")
    args = ap.parse_args()
    if args.quick:
        args.repeat, args.rounds = 1, 1
    if args.workers:
        pool(args.workers, args.rounds, args.sandboxed)
    else:
        single(args.repeat)
        if args.sandboxed:
            sandboxed(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
