"""Unreadable, hostile and oversized files end as a ResumeError with a readable message."""

import time
import zlib
from pathlib import Path

import pytest

from portal.resumes import ResumeError, parse_resume, parse_resume_sandboxed
from portal.resumes.extract import MAX_BYTES

from .scoring import FIXTURES, TODAY

HOSTILE = FIXTURES / "hostile"


@pytest.mark.parametrize(
    ("name", "code", "phrase"),
    [
        ("encrypted.pdf", "encrypted", "password-protected"),
        ("encrypted_rc4.pdf", "encrypted", "password-protected"),
        ("scanned.pdf", "scanned", "scanned image"),
        ("blank.pdf", "scanned", "selectable text"),
        ("corrupt.pdf", "corrupt", "damaged"),
        ("corrupt.docx", "corrupt", "damaged"),
        ("random.bin", "unsupported", "PDF, DOCX or plain text"),
        ("not_resume.txt", "not_resume", "doesn't look like a resume"),
    ],
)
def test_unreadable_files(name, code, phrase):
    with pytest.raises(ResumeError) as err:
        parse_resume(HOSTILE / name, today=TODAY)
    assert err.value.code == code
    assert phrase in err.value.message
    assert err.value.message.endswith(".")


def test_empty_missing_and_too_large(tmp_path: Path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ResumeError, match="empty"):
        parse_resume(empty)
    with pytest.raises(ResumeError, match="couldn't find"):
        parse_resume(tmp_path / "nope.docx")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(ResumeError, match="larger than 10 MB"):
        parse_resume(big)


def _pdf(content_stream: bytes) -> bytes:
    """One page whose content stream is given already Flate-compressed."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content_stream)
        + content_stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _repeated_flate(chunk: bytes, times: int) -> bytes:
    """zlib stream of chunk * times without compressing it all: repeat one flushed block."""
    c = zlib.compressobj(9)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()[:-4]
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(chunk, adler)
    return first + again * (times - 1) + tail + adler.to_bytes(4, "big")


def test_repeated_flate_helper_is_valid():
    assert zlib.decompress(_repeated_flate(b"ab" * 1000, 5)) == b"ab" * 5000


def test_slow_pdf_times_out_in_the_sandbox(tmp_path: Path):
    ops = b"BT /F1 9 Tf 72 720 Td " + b"(x) Tj 0.01 0 Td " * 4000 + b"ET\n"
    path = tmp_path / "slow.pdf"
    path.write_bytes(_pdf(_repeated_flate(ops, 500)))  # two million text operators
    assert path.stat().st_size < 200_000
    started = time.monotonic()
    with pytest.raises(ResumeError) as err:
        parse_resume_sandboxed(path, timeout=2, startup_timeout=10)
    # The parse is cut at 2 s; the rest is interpreter start-up and imports (slow under load).
    assert time.monotonic() - started < 12
    assert err.value.code in ("timeout", "memory")
    assert "too long" in err.value.message or "too large or complex" in err.value.message


def test_decompression_bomb_hits_the_memory_cap(tmp_path: Path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf(_repeated_flate(b"\0" * (1 << 20), 600)))  # 600 MB inflated
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    with pytest.raises(ResumeError) as err:
        parse_resume_sandboxed(path, timeout=10, memory_mb=256, startup_timeout=10)
    assert time.monotonic() - started < 20
    assert err.value.code in ("memory", "timeout")


def test_sandboxed_parse_matches_in_process(tmp_path: Path):
    path = FIXTURES / "20_james_single.pdf"
    child = parse_resume_sandboxed(path, today=TODAY)
    assert child.public() == parse_resume(path, today=TODAY)
    assert child.kind == "pdf" and child.pages == 1


def test_parent_kills_a_child_that_never_answers(tmp_path: Path, monkeypatch):
    """The parent's own deadline holds even if the child's alarm never fires."""
    import sys

    import portal.resumes.sandbox as sandbox

    hangs = (
        "import sys, time; print('{\"ready\": 1}', flush=True); "
        "sys.stdin.readline(); time.sleep(60)"
    )
    monkeypatch.setattr(sandbox, "child_command", lambda: [sys.executable, "-c", hangs])
    sandbox.warm_pool().close()
    started = time.monotonic()
    with pytest.raises(ResumeError) as err:
        sandbox.parse_resume_sandboxed(FIXTURES / "05_aoife_txt.txt", timeout=1, startup_timeout=5)
    assert err.value.code == "timeout"
    assert time.monotonic() - started < 8
    sandbox.warm_pool().close()


def test_sandbox_reports_unreadable_files_with_their_message():
    with pytest.raises(ResumeError, match="password-protected"):
        parse_resume_sandboxed(HOSTILE / "encrypted.pdf")
