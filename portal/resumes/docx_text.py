"""Text of a DOCX resume: body in document order, text boxes, tables, headers and footers."""

from __future__ import annotations

import io
from collections.abc import Iterator

from .errors import ResumeError
from .lines import LineLayout, normalize_text
from .sections import heading_key

MSG_CORRUPT_DOCX = (
    "This Word document is damaged and can't be read; save it again and re-upload it."
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def extract_docx(
    data: bytes,
    *,
    display: list[str] | None = None,
    layout: dict[str, LineLayout] | None = None,
) -> str:
    """Body in document order (paragraphs, nested tables, text boxes), headers and footers.

    Paragraphs in the Title style or in 16 pt and more are added to ``display``.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, XMLSyntaxError ...
        raise ResumeError(MSG_CORRUPT_DOCX, code="corrupt") from exc

    seen_parts: set[int] = set()
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for part_owner, sink in (
            (section.first_page_header, headers),
            (section.header, headers),
            (section.footer, footers),
            (section.first_page_footer, footers),
        ):
            try:
                if part_owner.is_linked_to_previous:
                    continue
                element = part_owner._element
            except Exception:
                continue
            if id(element) in seen_parts:
                continue
            seen_parts.add(id(element))
            sink.extend(_walk_block(element))

    body = list(_walk_block(document.element.body))
    if display is not None:
        display.extend(_docx_display(document.element.body))
    if layout is not None:
        layout.update(_docx_layout(document.element.body))
    links = []
    for rel in document.part.rels.values():
        if rel.reltype == RT.HYPERLINK and rel.is_external:
            links.append(rel.target_ref)
    # Footers go first too: at the end they would run on into the last section.
    lines = _dedupe_adjacent(headers + footers + [""] + body)
    text = "\n".join(lines)
    extra = [url for url in dict.fromkeys(links) if url.startswith("http") and url not in text]
    if extra:
        text = "\n".join(extra) + "\n\n" + text  # link targets belong with the contact details
    return text


def _docx_display(body: object) -> Iterator[str]:
    for p in body.iter(f"{_W}p"):  # type: ignore[attr-defined]
        style = p.find(f"{_W}pPr/{_W}pStyle")
        titled = style is not None and style.get(f"{_W}val") in ("Title", "Titel", "Titre")
        sizes = [int(sz.get(f"{_W}val", "0")) for sz in p.iter(f"{_W}sz")]
        if titled or (sizes and max(sizes) >= 32):  # half-points: 16 pt
            text = "".join(t.text or "" for t in p.iter(f"{_W}t")).strip()
            if text:
                yield text


def _docx_layout(body: object) -> Iterator[tuple[str, LineLayout]]:
    """Size (against 10.5 pt), weight and table-cell-ness of each paragraph, by its text."""
    for p in body.iter(f"{_W}p"):  # type: ignore[attr-defined]
        runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t"))]
        text = normalize_text("".join(t.text or "" for t in p.iter(f"{_W}t")))
        if not runs or not text:
            continue
        style = p.find(f"{_W}pPr/{_W}pStyle")
        name = (style.get(f"{_W}val") or "") if style is not None else ""
        sizes = [int(sz.get(f"{_W}val", "0")) / 2 for sz in p.iter(f"{_W}sz")]
        size = max(sizes) if sizes else (20.0 if name in ("Title", "Titel", "Titre") else 10.5)
        if name.startswith(("Heading", "berschrift", "Titre")) and not sizes:
            size = 13.0
        bold = all(
            (b := r.find(f"{_W}rPr/{_W}b")) is not None and b.get(f"{_W}val") not in ("0", "false")
            for r in runs
        ) or name.startswith(("Heading", "Title"))
        in_cell = any(_local(a.tag) == "tc" for a in p.iterancestors())
        yield (
            text,
            LineLayout(size=round(size / 10.5, 2), bold=bold, column="cell" if in_cell else "full"),
        )


def _dedupe_adjacent(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not out or out[-1] != line or not line:
            out.append(line)
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _walk_block(element: object) -> Iterator[str]:
    """Yield lines for a block container (body, cell, header, text box) in order."""
    for child in element:  # type: ignore[attr-defined]
        name = _local(child.tag)
        if name == "p":
            yield from _paragraph_lines(child)
        elif name == "tbl":
            yield from _table_lines(child)
        elif name in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
            yield from _walk_block(child)


def _table_lines(tbl: object) -> Iterator[str]:
    for row in tbl:  # type: ignore[attr-defined]
        if _local(row.tag) != "tr":
            continue
        cells: list[list[str]] = []
        for cell in row:
            if _local(cell.tag) == "tc":
                cells.append([line for line in _walk_block(cell) if line.strip()])
            elif _local(cell.tag) == "sdt":
                for inner in cell.iter(f"{_W}tc"):
                    cells.append([line for line in _walk_block(inner) if line.strip()])
        cells = [c for c in cells if c]
        if not cells:
            continue
        if len(cells) == 1 or any(heading_key(c[0]) for c in cells):
            # Layout tables (a sidebar beside the main column) read one cell after another.
            for cell_lines in cells:
                yield from cell_lines
                yield ""
            continue
        # A row reads as one line of first lines ("Title<TAB>Company<TAB>2019–2021"),
        # then the rest of each cell (bullets, nested tables).
        yield "\t".join(c[0] for c in cells)
        rest = [line for c in cells for line in c[1:]]
        if rest:
            yield from rest
            yield ""


def _paragraph_lines(p: object) -> Iterator[str]:
    parts: list[str] = []
    boxes: list[object] = []
    _collect_runs(p, parts, boxes)
    text = "".join(parts)
    yield from text.split("\n")
    for box in boxes:
        yield from _walk_block(box)


def _collect_runs(element: object, parts: list[str], boxes: list[object]) -> None:
    for child in element:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == _MC_FALLBACK:
            continue  # the VML copy of a text box already read from mc:Choice
        name = _local(tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
        elif name == "txbxContent":
            boxes.append(child)
        elif name in ("delText", "instrText", "rPr", "pPr"):
            continue
        else:
            _collect_runs(child, parts, boxes)
