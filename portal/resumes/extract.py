"""Text extraction from PDF, DOCX and plain text, with the file type decided from content."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from .docx_text import extract_docx
from .errors import ResumeError
from .lines import _CONTROL, LineLayout, normalize_text

MAX_BYTES = 10 * 1024 * 1024

MSG_EMPTY = "This file is empty; upload your resume as a PDF, DOCX or plain text file."
MSG_TOO_LARGE = "This file is larger than 10 MB; upload a smaller PDF, DOCX or plain text file."
MSG_UNSUPPORTED = (
    "We can't read this type of file; upload your resume as a PDF, DOCX or plain text file."
)
MSG_ENCRYPTED = "This PDF is password-protected; remove the password and upload it again."
MSG_SCANNED = "This PDF is a scanned image; upload a PDF with selectable text or a DOCX."
MSG_CORRUPT_PDF = "This PDF is damaged and can't be read; export it again and re-upload it."
MSG_NO_CMAP = (
    "The text in this PDF can't be read because its fonts are missing character maps; "
    'export it again ("Save as PDF") or upload a DOCX.'
)
MSG_EMPTY_DOCX = "This Word document has no text in it; upload the document with your resume."

_MIN_TEXT_CHARS = 20
_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class Extracted:
    """Text pulled out of a file, before any field extraction."""

    text: str
    pages: int
    kind: str
    # Lines set in a display size (a name in 22 pt over 10 pt body text): layout the flattened
    # text loses, and the surest sign of which line is the name.
    display: tuple[str, ...] = ()
    # Per line of ``text``, what the layout said about it (size relative to the body, bold,
    # x position, column): the line classifier's layout features (see ``linemodel``).
    layout: dict[str, LineLayout] = field(default_factory=dict)


def detect_kind(data: bytes) -> str | None:
    """Return "pdf", "docx" or "txt" from the bytes themselves, or None when unsupported."""
    if not data:
        return None
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            # A damaged archive still names its members in the local headers.
            if b"word/document.xml" in data:
                return "docx"
        return None
    if _decode_text(data) is not None:
        return "txt"
    return None


def _decode_text(data: bytes) -> str | None:
    sample = data[:65536]
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL.findall(text[:65536]))
        if controls > max(2, len(text[:65536]) // 200):
            return None
        return text
    return None


def extract(data: bytes, *, max_pages: int = 20) -> Extracted:
    """Extract normalised text from a resume's bytes; raises ResumeError when unreadable."""
    if not data or not data.strip():
        raise ResumeError(MSG_EMPTY, code="empty")
    if len(data) > MAX_BYTES:
        raise ResumeError(MSG_TOO_LARGE, code="too_large")
    kind = detect_kind(data)
    display: list[str] = []
    layout: dict[str, LineLayout] = {}
    if kind == "pdf":
        text, pages = extract_pdf(data, max_pages=max_pages, display=display, layout=layout)
    elif kind == "docx":
        text, pages = extract_docx(data, display=display, layout=layout), 1
    elif kind == "txt":
        text, pages = _decode_text(data) or "", 1
    else:
        raise ResumeError(MSG_UNSUPPORTED, code="unsupported")
    text = normalize_text(text)
    if kind == "pdf" and len(text) < _MIN_TEXT_CHARS:
        raise ResumeError(MSG_SCANNED, code="scanned")
    if kind == "pdf" and "(cid:" in text:
        cid_chars = sum(len(m) for m in _CID.findall(text))
        if cid_chars > 0.5 * len(text.replace(" ", "").replace("\n", "")):
            raise ResumeError(MSG_NO_CMAP, code="no_cmap")
    if kind == "docx" and not text:
        raise ResumeError(MSG_EMPTY_DOCX, code="empty")
    if not text:
        raise ResumeError(MSG_EMPTY, code="empty")
    shown = tuple(dict.fromkeys(normalize_text(d) for d in display if d.strip()))
    return Extracted(text=text, pages=pages, kind=kind, display=shown, layout=layout)


def extract_pdf(
    data: bytes,
    *,
    max_pages: int = 20,
    display: list[str] | None = None,
    layout: dict[str, LineLayout] | None = None,
) -> tuple[str, int]:
    """Return (text, pages read); text is rebuilt from positioned lines (see ``layout_text``).

    Lines of the first page set much larger than its body text are added to ``display``.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    chunks: list[str] = []
    links: list[str] = []
    pages = 0
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        rsrcmgr = PDFResourceManager(caching=True)
        # boxes_flow=None skips pdfminer's reading-order guess, which interleaves right-aligned
        # dates, tables and sidebars; rows and columns are rebuilt from coordinates instead.
        device = PDFPageAggregator(rsrcmgr, laparams=LAParams(boxes_flow=None, all_texts=True))
        interpreter = PDFPageInterpreter(rsrcmgr, device)
        for page in PDFPage.create_pages(document):
            if pages >= max_pages:
                break
            interpreter.process_page(page)
            page_lines = _collect_lines(device.get_result())
            if pages == 0 and display is not None:
                display.extend(_display_lines(page_lines))
            chunks.append(layout_text(page_lines, layout))
            links.extend(_page_links(page))
            pages += 1
        device.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ResumeError(MSG_ENCRYPTED, code="encrypted") from exc
    except (MemoryError, ResumeError, RecursionError):
        raise
    except Exception as exc:  # pdfminer raises a wide variety of errors on malformed input
        if "encrypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise ResumeError(MSG_ENCRYPTED, code="encrypted") from exc
        raise ResumeError(MSG_CORRUPT_PDF, code="corrupt") from exc
    if pages == 0:
        raise ResumeError(MSG_CORRUPT_PDF, code="corrupt")
    text = "\n\n".join(chunks)
    extra = [url for url in dict.fromkeys(links) if url not in text]
    if extra and text.strip():
        text = "\n".join(extra) + "\n\n" + text  # link targets belong with the contact details
    return text, pages


@dataclass(frozen=True)
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float = 0.0
    bold: bool = False

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def mid(self) -> float:
        return (self.y0 + self.y1) / 2


def _collect_lines(layout: object) -> list[_Line]:
    from pdfminer.layout import LTChar, LTTextLine

    out: list[_Line] = []
    stack = [layout]
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTTextLine):
            text = obj.get_text().strip()
            if text:
                chars = [ch for ch in obj if isinstance(ch, LTChar) and ch.get_text().strip()]
                size = max((ch.size for ch in chars), default=0.0)
                bold = sum("bold" in ch.fontname.lower() for ch in chars) > len(chars) / 2
                out.append(_Line(obj.x0, obj.y0, obj.x1, obj.y1, text, size, bold))
        elif hasattr(obj, "__iter__") and not isinstance(obj, str | bytes):
            stack.extend(obj)  # type: ignore[arg-type]
    return out


def _display_lines(lines: list[_Line]) -> list[str]:
    """Lines in the page's largest type when that is at least 1.4 times the body size."""
    sized = [ln for ln in lines if ln.size > 0]
    if len(sized) < 5:
        return []
    weights: dict[float, int] = {}
    for ln in sized:
        weights[round(ln.size, 1)] = weights.get(round(ln.size, 1), 0) + len(ln.text)
    body = max(weights, key=lambda k: weights[k])
    top = max(ln.size for ln in sized)
    if top < 1.4 * body:
        return []
    return [ln.text for ln in sorted(sized, key=lambda ln: -ln.y1) if ln.size >= top - 0.5]


def _same_row(a: _Line, b: _Line) -> bool:
    return abs(a.mid - b.mid) < 0.5 * min(a.height, b.height)


def _find_columns(lines: list[_Line]) -> tuple[list[_Line], list[_Line], list[_Line]] | None:
    """A vertical gutter with a full-width header above it: (header, left, right), else None."""
    if len(lines) < 8:
        return None
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    width = right_edge - left_edge
    best: tuple[int, tuple[list[_Line], list[_Line], list[_Line]]] | None = None
    for x in sorted({round(ln.x0) for ln in lines}):
        if not left_edge + 0.15 * width < x < left_edge + 0.8 * width:
            continue
        left = [ln for ln in lines if ln.x1 <= x + 1]
        right = [ln for ln in lines if ln.x0 >= x - 1]
        if len(left) < 4 or len(right) < 4:
            continue
        cross = [ln for ln in lines if ln.x1 > x + 1 and ln.x0 < x - 1]
        if cross:
            # Lines crossing the gutter must all sit above where both columns have begun (a
            # full-width name and contact line over the columns); the taller column may start
            # higher (the name above the main column).
            column_top = min(max(ln.y1 for ln in left), max(ln.y1 for ln in right))
            if len(cross) > 4 or min(ln.y0 for ln in cross) < column_top - 1:
                continue
        # A real column is a dense stack of lines; right-aligned dates are sparse.
        if _density(left) < 0.5 or _density(right) < 0.5:
            continue
        if _right_aligned(right):
            continue  # dates set flush right beside each entry, not a column of their own
        score = min(len(left), len(right))
        if best is None or score > best[0]:
            best = (score, (cross, left, right))
    return best[1] if best else None


def _right_aligned(lines: list[_Line]) -> bool:
    """Most lines end at one x while they start at many: text set flush right."""
    ends = sum(1 for ln in lines if abs(ln.x1 - max(x.x1 for x in lines)) < 2)
    starts = sum(1 for ln in lines if abs(ln.x0 - min(x.x0 for x in lines)) < 2)
    return ends >= 0.8 * len(lines) and starts < 0.8 * len(lines)


def _density(lines: list[_Line]) -> float:
    ordered = sorted(lines, key=lambda ln: -ln.mid)
    gaps = [a.y0 - b.y1 for a, b in zip(ordered, ordered[1:], strict=False)]
    if not gaps:
        return 0.0
    return sum(1 for g, a in zip(gaps, ordered, strict=False) if g < 2.5 * a.height) / len(gaps)


@dataclass
class _Page:
    """Where a page's row layouts go, with what they are measured against."""

    sink: dict[str, LineLayout]
    body: float
    left: float
    width: float

    @classmethod
    def of(cls, lines: list[_Line], sink: dict[str, LineLayout]) -> _Page:
        weights: dict[float, int] = {}
        for ln in lines:
            if ln.size > 0:
                weights[round(ln.size, 1)] = weights.get(round(ln.size, 1), 0) + len(ln.text)
        body = max(weights, key=lambda k: weights[k]) if weights else 0.0
        left = min((ln.x0 for ln in lines), default=0.0)
        width = max((ln.x1 for ln in lines), default=1.0) - left
        return cls(sink, body, left, max(width, 1.0))


def _join_centred_wraps(lines: list[_Line], right: float) -> list[_Line]:
    """A cell that wrapped onto two lines beside a one-line cell set in the middle of the row
    (LibreOffice centres cells): join the two, so that the row reads as one again."""
    ordered = sorted(lines, key=lambda ln: -ln.y1)
    used: set[int] = set()
    out: list[_Line] = []
    for i, a in enumerate(ordered):
        if i in used:
            continue
        for j in range(i + 1, min(i + 8, len(ordered))):
            b = ordered[j]
            if j in used or abs(b.x0 - a.x0) >= 3 or abs(a.size - b.size) >= 0.6:
                continue
            if not 0 <= a.y0 - b.y1 < 0.6 * a.height:
                continue
            middle = (a.mid + b.mid) / 2
            beside = [
                c
                for c in ordered
                if c is not a and c is not b and (c.x1 < a.x0 - 1 or c.x0 > a.x1 + 1)
            ]
            centred = any(
                abs(c.mid - middle) < 0.3 * a.height and not (_same_row(c, a) or _same_row(c, b))
                for c in beside
            )
            if centred:
                glue = "" if a.text.endswith("-") and b.text[:1].isdigit() else " "
                a = _Line(a.x0, b.y0, max(a.x1, b.x1), a.y1, a.text + glue + b.text, a.size, a.bold)
                used.add(j)
            break
        out.append(a)
    return out


def _rows_text(lines: list[_Line], page: _Page | None = None, column: str = "full") -> list[str]:
    lines = _join_centred_wraps(lines, max((ln.x1 for ln in lines), default=0.0))
    rows: list[list[_Line]] = []
    for ln in sorted(lines, key=lambda ln: -ln.mid):
        if rows and _same_row(rows[-1][0], ln):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    rows = _join_wraps(rows, max((ln.x1 for ln in lines), default=0.0))
    out: list[str] = []
    gaps = sorted(
        min(ln.y0 for ln in a) - max(ln.y1 for ln in b)
        for a, b in zip(rows, rows[1:], strict=False)
    )
    # A blank line is a gap wider than usual: producers that space every paragraph (LibreOffice)
    # would otherwise cut every line into a block of its own.
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    prev: list[_Line] | None = None
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        if prev is not None:
            gap = min(ln.y0 for ln in prev) - max(ln.y1 for ln in row)
            if gap > max(0.9 * row[0].height, 1.5 * usual):
                out.append("")
        out.append("\t".join(ln.text for ln in row))
        if page is not None:
            page.sink[normalize_text(out[-1])] = LineLayout(
                size=round(max(ln.size for ln in row) / page.body, 2) if page.body else 1.0,
                bold=row[0].bold,
                x=round((row[0].x0 - page.left) / page.width, 2),
                column=column,
                cells=len(row),
            )
        prev = row
    return out


# An open parenthesis, a URL cut at "-" or "/", a trailing comma or joining word.
_GOES_ON = re.compile(
    r"\([^)]*$|\S/\S*[-/]$|,$|\s(?:in|of|and|for|the|de|und|et|y|&|at|to)$", re.IGNORECASE
)


# A sentence going on in lower case, not a link or an address that starts a line of its own.
_LOWER_WORD = re.compile(r"[^\W\d_A-Z][^\W\d_]*\b(?![:/.@])")


def _join_wraps(rows: list[list[_Line]], right: float) -> list[list[_Line]]:
    """Put back together a line that wrapped because its cell or column was full.

    A row is a wrap of the row above when each of its lines starts where a line above starts,
    right under it, in the same type, and that line above had no room left for the first word
    below ("M.Ed. (Educational" + "Leadership)"; "linkedin.com/in/ana-" + "lima-7").
    """
    out: list[list[_Line]] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is None or len(row) > len(prev):
            out.append(row)
            continue
        merged = list(prev)
        ok = True
        for ln in row:
            k = next((k for k, p in enumerate(merged) if abs(p.x0 - ln.x0) < 3), None)
            if k is None:
                ok = False
                break
            above = merged[k]
            bound = min((p.x0 for p in merged if p.x0 > above.x1 + 1), default=right)
            word = ln.text.split()[0] if ln.text.split() else ln.text
            em = (above.x1 - above.x0) / max(1, len(above.text))
            full = above.x1 + em * (len(word) + 1) > bound - 2
            close = above.y0 - ln.y1 < 0.6 * above.height
            # In a single column, a full line is only a wrap when its text says it goes on.
            cell_wrap = (
                len(prev) > len(row)
                and len(ln.text.split()) <= 2
                and not above.text.endswith((")", "."))
            )
            goes_on = (
                cell_wrap
                or _GOES_ON.search(above.text)
                or ln.text[:1] == "("
                or (ln.text[:1].islower() and _LOWER_WORD.match(ln.text) is not None)
            )
            if not (full and close and goes_on and abs(above.size - ln.size) < 0.6):
                ok = False
                break
            glue = "" if above.text.endswith(("-", "/")) and "/" in above.text else " "
            merged[k] = _Line(
                above.x0, ln.y0, max(above.x1, ln.x1), above.y1,
                above.text + glue + ln.text, above.size, above.bold,
            )  # fmt: skip
        if ok:
            out[-1] = merged
        else:
            out.append(row)
    return out


def layout_text(lines: list[_Line], sink: dict[str, LineLayout] | None = None) -> str:
    """Rows top to bottom, cells of a row joined by tabs; a sidebar column is read whole.

    With ``sink``, each row's layout is recorded under its normalised text.
    """
    page = _Page.of(lines, sink) if sink is not None else None
    columns = _find_columns(lines)
    if columns is None:
        return "\n".join(_rows_text(lines, page))
    header, left, right = columns
    # A short name line above a sidebar does not cross the gutter; it still belongs on top.
    top_left = max(ln.y1 for ln in left)
    top_right = max(ln.y1 for ln in right)
    header = header + [ln for ln in left if ln.y0 > top_right + 1]
    header += [ln for ln in right if ln.y0 > top_left + 1]
    left = [ln for ln in left if ln.y0 <= top_right + 1]
    right = [ln for ln in right if ln.y0 <= top_left + 1]
    if not left or not right:
        return "\n".join(_rows_text(header + left + right, page))
    # The wider column is the main one; reading it first keeps the name near the top.
    first, second = (left, right) if _span(left) >= _span(right) else (right, left)
    parts = [
        _rows_text(header, page),
        _rows_text(first, page, "main"),
        _rows_text(second, page, "side"),
    ]
    return "\n\n".join("\n".join(p) for p in parts if p)


def _span(lines: list[_Line]) -> float:
    return max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)


def _page_links(page: object) -> Iterator[str]:
    """URIs of link annotations: resumes often show "LinkedIn" while the URL sits in the link."""
    from pdfminer.pdftypes import resolve1

    try:
        annots = resolve1(getattr(page, "annots", None)) or []
        for annot in annots:
            annot = resolve1(annot)
            action = resolve1(annot.get("A")) if isinstance(annot, dict) else None
            uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
            if isinstance(uri, bytes):
                uri = uri.decode("latin-1")
            if isinstance(uri, str) and uri.lower().startswith(("http", "www")):
                yield uri
    except Exception:  # a broken annotation must not fail the whole parse
        return
