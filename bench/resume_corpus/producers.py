"""Producers of the family corpus: one document model (``families.py``), many files.

- ``chromium``: HTML printed by headless Chromium (Skia PDF backend);
- ``lo-pdf`` / ``lo-docx``: the same HTML opened by LibreOffice Writer headless (Debian's
  ``libreoffice-writer-nogui``) and exported as PDF or DOCX (batch, one soffice run);
- ``fpdf2`` and ``reportlab``: drawn line by line by a small layout engine here (wrapping,
  cells, columns, page header/footer), each with its own fonts;
- ``docx``: python-docx (paragraphs, tables for cells and columns, real header/footer parts).
"""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

FONTS = Path("/usr/share/fonts/truetype")
PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 42.0


def size_of(style: str) -> float:
    return 20.0 if "N" in style else 12.0 if "H" in style else 8.5 if "s" in style else 10.0


# --- HTML (Chromium, LibreOffice) --------------------------------------------------------------

CSS = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 10pt; margin: 0; }
.N { font-size: 20pt; font-weight: bold; } .H { font-size: 12pt; font-weight: bold;
margin-top: 9pt; border-bottom: 1px solid #888; } .b { font-weight: bold; }
.i { font-style: italic; } .s { font-size: 8.5pt; color: #444; } p { margin: 1pt 0; }
td { vertical-align: top; padding: 1pt 4pt 1pt 0; } table { border-collapse: collapse; }
.side { background: #eef1f4; }
"""


def h_line(line: tuple, align: str = "L") -> str:
    text, _, style = line
    cls = " ".join(c for c in style)
    al = {"L": "left", "R": "right", "C": "center"}[align]
    return f"<p class='{cls}' style='text-align:{al}'>{html.escape(text)}</p>"


def h_blocks(blocks: list) -> str:
    out = []
    for b in blocks:
        if b[0] == "line":
            out.append(h_line(b[1], b[2]))
        elif b[0] == "cells":
            tds = "".join(
                f"<td style='width:{int(share * 100)}%'>{''.join(h_line(ln) for ln in lines)}</td>"
                for share, lines in b[1]
            )
            out.append(f"<table style='width:100%'><tr>{tds}</tr></table>")
        else:
            out.append("<p style='page-break-after:always'></p>")
    return "".join(out)


def to_html(d: dict) -> str:
    parts = ["".join(h_line(ln, "C") for ln in d["header"]), h_blocks(d["top"])]
    if d["side"] is None:
        parts.append(h_blocks(d["main"]))
    else:
        sw = int(d["side_w"] * 100)
        side = f"<td class=side style='width:{sw}%'>{h_blocks(d['side'])}</td>"
        main = f"<td style='width:{100 - sw}%'>{h_blocks(d['main'])}</td>"
        row = side + main if d["side_pos"] == "left" else main + side
        parts.append(f"<table style='width:100%'><tr>{row}</tr></table>")
    parts.append("".join(h_line(ln, "C") for ln in d["footer"]))
    return f"<!doctype html><meta charset=utf-8><style>{CSS}</style><body>{''.join(parts)}</body>"


def chromium(d: dict, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(to_html(d), encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", "--no-pdf-header-footer",
             src.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def libreoffice(jobs: list[tuple[dict, Path]], fmt: str) -> None:
    """Convert many documents in one soffice run; fmt is "pdf" or "docx"."""
    if not jobs:
        return
    with tempfile.TemporaryDirectory() as tmp:
        srcs = []
        for d, out in jobs:
            src = Path(tmp) / (out.stem + ".html")
            src.write_text(to_html(d), encoding="utf-8")
            srcs.append(str(src))
        target = "pdf:writer_pdf_Export" if fmt == "pdf" else "docx:MS Word 2007 XML"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless",
             "--infilter=HTML (StarWriter)", "--convert-to", target, "--outdir", tmp, *srcs],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        for _, out in jobs:
            Path(tmp, out.stem + "." + fmt).replace(out)


# --- a small layout engine for the drawing producers (fpdf2, reportlab) ------------------------


class Canvas:
    """What the engine needs of a drawing library."""

    def width(self, text: str, style: str) -> float:
        raise NotImplementedError

    def draw(self, x: float, y: float, text: str, style: str) -> None:
        raise NotImplementedError

    def new_page(self) -> None:
        raise NotImplementedError


class Engine:
    def __init__(self, canvas: Canvas, d: dict) -> None:
        self.c, self.d = canvas, d
        self.top = MARGIN + (18 if d["header"] else 0)
        self.bottom = PAGE_H - MARGIN - (18 if d["footer"] else 0)

    def page(self) -> None:
        self.c.new_page()
        for ln in self.d["header"]:
            w = self.c.width(ln[0], ln[2])
            self.c.draw((PAGE_W - w) / 2, MARGIN - 8, ln[0], ln[2])
        for ln in self.d["footer"]:
            w = self.c.width(ln[0], ln[2])
            self.c.draw((PAGE_W - w) / 2, PAGE_H - MARGIN + 6, ln[0], ln[2])

    def wrap(self, text: str, style: str, w: float) -> list[str]:
        out, cur = [], ""
        for word in text.split(" "):
            trial = f"{cur} {word}" if cur else word
            if cur and self.c.width(trial, style) > w:
                out.append(cur)
                cur = word
            else:
                cur = trial
        return out + [cur]

    def line(self, ln: tuple, x: float, w: float, y: float, align: str = "L") -> float:
        text, _, style = ln
        size = size_of(style)
        if "H" in style:
            y += 7
        for piece in self.wrap(text, style, w):
            if y + size > self.bottom:
                self.page()
                y = self.top
            pw = self.c.width(piece, style)
            px = x + (w - pw if align == "R" else (w - pw) / 2 if align == "C" else 0)
            self.c.draw(px, y + size, piece, style)
            y += size * 1.3
        return y + (2 if "H" in style else 0)

    def flow(self, blocks: list, x: float, w: float, y: float) -> float:
        for b in blocks:
            if b[0] == "line":
                y = self.line(b[1], x, w, y, b[2])
            elif b[0] == "cells":
                cx, low = x, y
                for share, lines in b[1]:
                    cy = y
                    for ln in lines:
                        cy = self.line(ln, cx, share * w - 6, cy)
                    low, cx = max(low, cy), cx + share * w
                y = low + 3
            else:
                self.page()
                y = self.top
        return y

    def run(self) -> None:
        d, full = self.d, PAGE_W - 2 * MARGIN
        self.page()
        y = self.flow(d["top"], MARGIN, full, self.top)
        if d["side"] is None:
            self.flow(d["main"], MARGIN, full, y)
            return
        sw = d["side_w"] * full
        sx, mx = (MARGIN, MARGIN + sw + 14) if d["side_pos"] == "left" else (
            MARGIN + full - sw, MARGIN)  # fmt: skip
        self.flow(d["side"], sx, sw, y)
        self.c_page_of_side = True
        self.flow(d["main"], mx, full - sw - 14, y)


class FpdfCanvas(Canvas):
    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        faces = {"": "", "B": "-Bold", "I": "-Oblique", "BI": "-BoldOblique"}
        for st, suffix in faces.items():
            name = "DejaVuSans" + suffix
            self.pdf.add_font("DejaVu", st, str(FONTS / "dejavu" / f"{name}.ttf"))

    def _font(self, style: str) -> None:
        st = ("B" if ("b" in style or "H" in style or "N" in style) else "") + (
            "I" if "i" in style else "")  # fmt: skip
        self.pdf.set_font("DejaVu", st, size_of(style))

    def width(self, text: str, style: str) -> float:
        self._font(style)
        return self.pdf.get_string_width(text)

    def draw(self, x: float, y: float, text: str, style: str) -> None:
        self._font(style)
        self.pdf.text(x, y, text)

    def new_page(self) -> None:
        self.pdf.add_page()


class ReportlabCanvas(Canvas):
    def __init__(self, out: Path) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen.canvas import Canvas as RC

        lib = FONTS / "liberation"
        for key, fname in (
            ("R", "LiberationSerif-Regular"),
            ("B", "LiberationSerif-Bold"),
            ("I", "LiberationSerif-Italic"),
            ("BI", "LiberationSerif-BoldItalic"),
        ):
            pdfmetrics.registerFont(TTFont("LS" + key, str(lib / f"{fname}.ttf")))  # fmt: skip
        self.metrics = pdfmetrics
        self.c = RC(str(out), pagesize=(PAGE_W, PAGE_H))
        self.started = False

    def _font(self, style: str) -> str:
        b = "B" if ("b" in style or "H" in style or "N" in style) else ""
        key = (b + ("I" if "i" in style else "")) or "R"
        return "LS" + key

    def width(self, text: str, style: str) -> float:
        return self.metrics.stringWidth(text, self._font(style), size_of(style))

    def draw(self, x: float, y: float, text: str, style: str) -> None:
        self.c.setFont(self._font(style), size_of(style))
        self.c.drawString(x, PAGE_H - y, text)

    def new_page(self) -> None:
        if self.started:
            self.c.showPage()
        self.started = True


def fpdf2(d: dict, out: Path) -> None:
    canvas = FpdfCanvas()
    Engine(canvas, d).run()
    canvas.pdf.output(str(out))


def reportlab(d: dict, out: Path) -> None:
    canvas = ReportlabCanvas(out)
    Engine(canvas, d).run()
    canvas.c.save()


# --- python-docx -----------------------------------------------------------------------------


def x_line(box: object, ln: tuple, align: str = "L", title_style: bool = False) -> None:
    text, _, style = ln
    if "N" in style and title_style and hasattr(box, "add_heading"):
        box.add_heading(text, level=0)  # type: ignore[attr-defined]
        return
    if "H" in style and hasattr(box, "add_heading"):
        box.add_heading(text, level=1)  # type: ignore[attr-defined]
        return
    para = box.add_paragraph()  # type: ignore[attr-defined]
    run = para.add_run(text)
    run.bold = "b" in style or "N" in style or "H" in style or None
    run.italic = "i" in style or None
    run.font.size = Pt(size_of(style))
    if align == "R":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "C":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def x_blocks(box: object, blocks: list, title_style: bool) -> None:
    for b in blocks:
        if b[0] == "line":
            x_line(box, b[1], b[2], title_style)
        elif b[0] == "cells":
            table = box.add_table(rows=1, cols=len(b[1]))  # type: ignore[attr-defined]
            for cell, (_, lines) in zip(table.rows[0].cells, b[1], strict=True):
                first = cell.paragraphs[0]
                for k, ln in enumerate(lines):
                    if k == 0:
                        run = first.add_run(ln[0])
                        run.bold = "b" in ln[2] or "N" in ln[2] or None
                    else:
                        x_line(cell, ln)
        elif hasattr(box, "add_page_break"):
            box.add_page_break()  # type: ignore[attr-defined]


def python_docx(d: dict, out: Path, title_style: bool = True) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    if d["header"]:
        section.header.paragraphs[0].text = "   ".join(ln[0] for ln in d["header"])
    if d["footer"]:
        section.footer.paragraphs[0].text = "   ".join(ln[0] for ln in d["footer"])
    x_blocks(document, d["top"], title_style)
    if d["side"] is None:
        x_blocks(document, d["main"], title_style)
    else:
        table = document.add_table(rows=1, cols=2)
        a, b = table.rows[0].cells
        side, main = (a, b) if d["side_pos"] == "left" else (b, a)
        x_blocks(side, d["side"], title_style)
        x_blocks(main, d["main"], title_style)
    document.save(str(out))
