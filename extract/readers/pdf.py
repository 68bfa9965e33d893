"""PDF pages → the same rows the text readers make, with page numbers and bounding boxes.

One pass over each page's characters serves both prose and tables: characters are
grouped into lines by their vertical centre (so digits set a few points below the
Chinese baseline stay on their line), ruled tables come from pdfplumber's table
finder (only on pages that have ruling edges), cells take the characters whose
centres fall inside them, and unruled tables are lines split at wide gaps, their
columns inferred from where the figures sit. Pages are released as they are read.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import Cell, Row
from ..numbers import is_amount
from ..processes import die_with_parent
from .text import join_wrapped

_PAGE_NO = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}\s*(页)?\s*([/／]\s*\d+|共\s*\d+\s*页)?[-—–\s]*$|^[-—–]\s*\d+\s*[-—–]$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances of the PDF reader, in points or as fractions of a character's size."""
    line_tolerance: float = 0.5      # × char size: centres this close share a line
    word_gap: float = 0.25           # × char size: a wider gap is a space
    cell_gap: float = 1.2            # × char size: a wider gap separates cells (unruled tables)
    margin: float = 0.07             # fraction of page height treated as header/footer band
    min_edges: int = 4               # ruling edges a page needs before the table finder runs
    workers: int = 1                 # processes reading pages in parallel (1: in this process)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")


@dataclass
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    chars: list


def _baseline(c: dict) -> float | None:
    """The character's baseline from its text matrix (PDF space, so negated to run downwards):
    fonts whose bounding boxes are wrong (digits whose box sits a line low) still share it."""
    m = c.get("matrix")
    if m and abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6 and m[0] > 0 and m[3] > 0:
        return -m[5]
    return None


def chars_to_lines(chars: list, settings: PdfSettings, baseline: bool = False) -> list[Line]:
    """Group characters into lines by vertical centre, tolerant of baseline shifts; with
    `baseline` (unrotated pages) by the baseline the text matrix gives, where every char has one."""
    upright = [c for c in chars if c.get("upright", True) and c["text"].strip()]
    use = baseline and bool(upright) and all(_baseline(c) is not None for c in upright)

    def y(c: dict) -> float:
        return _baseline(c) if use else (c["top"] + c["bottom"]) / 2

    upright.sort(key=lambda c: (y(c), c["x0"]))
    lines: list[Line] = []
    anchor = None
    for c in upright:
        mid = y(c)
        size = c.get("size") or (c["bottom"] - c["top"])
        if lines and anchor is not None and abs(mid - anchor[0]) <= settings.line_tolerance * min(size, anchor[1]):
            ln = lines[-1]
            ln.chars.append(c)
            ln.top, ln.bottom = min(ln.top, c["top"]), max(ln.bottom, c["bottom"])
            ln.x0, ln.x1 = min(ln.x0, c["x0"]), max(ln.x1, c["x1"])
        else:
            lines.append(Line(c["top"], c["bottom"], c["x0"], c["x1"], [c]))
            anchor = (mid, size)
    for ln in lines:
        ln.chars.sort(key=lambda c: c["x0"])
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def segments(line: Line, settings: PdfSettings, gap: float | None = None) -> list[tuple[str, float, float]]:
    """Text runs of a line separated by gaps wider than `gap` × char size: (text, x0, x1)."""
    gap = settings.cell_gap if gap is None else gap
    out: list[tuple[str, float, float]] = []
    text, x0, x1, prev = "", None, None, None
    for c in line.chars:
        size = c.get("size") or 10
        if prev is not None:
            space = c["x0"] - prev["x1"]
            if space > gap * size:
                out.append((text, x0, x1))
                text, x0 = "", None
            elif space > settings.word_gap * size and not (_CJK.match(prev["text"]) or _CJK.match(c["text"])):
                text += " "
        if x0 is None:
            x0 = c["x0"]
        text += c["text"]
        x1, prev = c["x1"], c
    if text:
        out.append((text, x0, x1))
    return out


def line_text(line: Line, settings: PdfSettings) -> str:
    return "".join(s for s, _, _ in segments(line, settings, gap=10 ** 6))


def _in_any(bboxes: list[tuple], c: dict) -> int | None:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    for i, (x0, top, x1, bottom) in enumerate(bboxes):
        if x0 <= x <= x1 and top <= y <= bottom:
            return i
    return None


def _holder(rows: list, i: int, x: float, y: float) -> tuple[int, int, tuple | None] | None:
    """(row, column, made-up box) of the cell holding a point of row `i`. A merged cell is held
    by the row it starts in, however many rows it spans. A cell left open by a page break (no
    ruling under it: its text goes on on the next page) is no cell to the table finder: it is
    the column's space from the last closed cell above it to the table's bottom, held by the
    row that starts there. None: the point is in no cell (its text is left out)."""
    for ri in range(i, -1, -1):
        for ci, bb in enumerate(rows[ri].cells):
            if bb is not None and bb[0] <= x <= bb[2]:
                if bb[1] <= y <= bb[3]:
                    return ri, ci, None
                # the column's last closed cell ends above the point: the open cell starts below it
                start = next((k for k in range(ri + 1, i + 1) if rows[k].bbox[1] >= bb[3] - 1), None)
                if start is None or any(b is not None and b[0] <= x <= b[2]
                                        for r in rows[start:] for b in r.cells):
                    return None       # a gap between closed cells is no cell: only one open to the bottom
                return start, ci, (bb[0], rows[start].bbox[1], bb[2], rows[-1].bbox[3])
    return None


def table_rows(table, chars: list, page_no: int, settings: PdfSettings) -> list[Row]:
    """A ruled table's rows: each cell gets the characters whose centre it holds."""
    rows = table.rows
    tops = [r.bbox[1] for r in rows]
    buckets: dict[tuple[int, int], list] = {}
    opened: dict[tuple[int, int], tuple] = {}     # boxes of cells left open by a page break
    for c in chars:
        y = (c["top"] + c["bottom"]) / 2
        x = (c["x0"] + c["x1"]) / 2
        i = bisect.bisect_right(tops, y) - 1
        if i < 0:
            continue
        held = _holder(rows, i, x, y)
        if held is None:
            continue
        ri, ci, box = held
        if box is not None and rows[ri].cells[ci] is None:
            opened[(ri, ci)] = box
        buckets.setdefault((ri, ci), []).append(c)
    out: list[Row] = []
    for ri, r in enumerate(rows):
        cells = []
        for ci, bb in enumerate(r.cells):
            cs = buckets.get((ri, ci), [])
            text = _join_cell([line_text(ln, settings) for ln in chars_to_lines(cs, settings)]) if cs else ""
            bb = bb or opened.get((ri, ci))
            cells.append(Cell(text, line=None, page=page_no, bbox=tuple(round(v, 1) for v in bb) if bb else None))
        while cells and not cells[-1].text and cells[-1].bbox is None:
            cells.pop()
        if any(c.text for c in cells):
            out.append(Row(cells, aligned=True))
    return out


_WRAPPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})*\.\d+|\d+\.\d+")


def _join_cell(parts: list[str]) -> str:
    """The lines of one ruled cell. A figure too wide for its cell wraps (21,118.5 / 1): its pieces
    are joined without a space only when the cell holds nothing else and the joined text is a
    well-formed decimal — the cell's ruling proves they are one figure; 100 / 200 stays apart."""
    pieces = [p.strip() for p in parts if p.strip()]
    if len(pieces) >= 2 and all(re.fullmatch(r"[\d,.]+", p) for p in pieces):
        joined = "".join(pieces)
        if _WRAPPED_NUMBER.fullmatch(joined) and "." in pieces[0]:
            return joined
    return join_wrapped(parts)


def unruled_rows(lines: list[Line], page_no: int, settings: PdfSettings) -> list[Row]:
    """Lines of an unruled table: columns are where the figures of its body rows sit."""
    segs = [segments(ln, settings) for ln in lines]
    spans: list[list[float]] = []
    for ss in segs:
        if len(ss) < 2 or not any(is_amount(t) for t, _, _ in ss):
            continue
        for _, x0, x1 in ss:
            for sp in spans:
                if x0 <= sp[1] and x1 >= sp[0]:
                    sp[0], sp[1] = min(sp[0], x0), max(sp[1], x1)
                    break
            else:
                spans.append([x0, x1])
    spans.sort()
    merged: list[list[float]] = []
    for sp in spans:
        if merged and sp[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], sp[1])
        else:
            merged.append(list(sp))
    out: list[Row] = []
    for ln, ss in zip(lines, segs):
        if len(merged) < 2 or len(ss) < 2:
            out.append(Row([Cell(t, page=page_no, bbox=(x0, ln.top, x1, ln.bottom)) for t, x0, x1 in ss] or
                           [Cell(line_text(ln, settings), page=page_no)], aligned=len(ss) < 2))
            continue
        cells = [Cell("", page=page_no) for _ in merged]
        for t, x0, x1 in ss:
            mid = (x0 + x1) / 2
            j = min(range(len(merged)), key=lambda k: 0 if merged[k][0] <= mid <= merged[k][1]
                    else min(abs(mid - merged[k][0]), abs(mid - merged[k][1])))
            prev = cells[j].text
            cells[j] = Cell((prev + t) if prev else t, page=page_no, bbox=(round(x0, 1), round(ln.top, 1),
                                                                           round(x1, 1), round(ln.bottom, 1)))
        while cells and not cells[-1].text:
            cells.pop()
        out.append(Row(cells, aligned=True))
    return out


def _visible(page) -> list:
    """The page's characters less those set above its top or below its bottom. A generator that
    lets a tall merged cell's text run on over a page break draws the rest again past the edge of
    the next page, clipped: nobody sees it there, and read as lines it would stand as prose
    before the page's table and cut the table in two. (Text past the left or right edge is kept:
    a table set wider than its page still prints its figures.)"""
    _, top, _, bottom = page.bbox
    if (page.rotation or 0) % 180 == 90:       # shown landscape by /Rotate: display coordinates
        bottom = top + (page.bbox[2] - page.bbox[0])
    return [c for c in page.chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def _white(colour) -> bool:
    """A fill colour that is the paper's: gray 1, RGB (1, 1, 1) or CMYK (0, 0, 0, 0)."""
    if isinstance(colour, (int, float)):
        return colour >= 0.99
    if isinstance(colour, (tuple, list)) and colour and all(isinstance(v, (int, float)) for v in colour):
        if len(colour) == 4:
            return all(v <= 0.01 for v in colour)
        return all(v >= 0.99 for v in colour)
    return False


def _unseen(o: dict) -> bool:
    """A box that draws nothing a reader sees: not stroked, and unfilled or filled white. Word
    exports paint a white box behind every cell's text, inset from its ruling; their edges are
    no ruling, but the table finder takes them for ruling and cuts each row and column into
    slivers (a row's code, name and figure land in different columns, a row splits in two)."""
    return o.get("object_type") == "rect" and not o.get("stroke") and \
        (not o.get("fill") or _white(o.get("non_stroking_color")))


def ruling_page(page):
    """The page as the table finder should see it: boxes that draw nothing left out."""
    if any(_unseen(o) for o in page.rects):
        return page.filter(lambda o: not _unseen(o))
    return page


def _size(ln: Line) -> float:
    return max((c.get("size") or (c["bottom"] - c["top"])) for c in ln.chars)


def _join_wrapped_titles(lines: list[Line], settings: PdfSettings) -> list[Line]:
    """A table title too long for its line wraps (…支出预算 / 表): two lines set close together
    in the same font size, the first no title alone and both together one, are one line."""
    from .blocks import is_title
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and abs(_size(prev) - _size(ln)) <= 0.5 and \
                0 <= ln.top - prev.bottom <= 0.8 * _size(ln):
            a, b = line_text(prev, settings), line_text(ln, settings)
            if not is_title(a) and not is_title(b) and is_title(a + b):
                out[-1] = Line(prev.top, ln.bottom, min(prev.x0, ln.x0), max(prev.x1, ln.x1), prev.chars + ln.chars)
                continue
        out.append(ln)
    return out


def page_rows(page, page_no: int, settings: PdfSettings) -> list[Row]:
    """Every row of one page in reading order: prose lines, ruled and unruled tables."""
    chars = _visible(page)
    # a page shown landscape by /Rotate: its characters come in display coordinates
    height = float(page.width if (page.rotation or 0) % 180 == 90 else page.height)
    ruling = ruling_page(page)
    edges = len(ruling.edges) if (ruling.lines or ruling.rects or ruling.curves) else 0
    tables = ruling.find_tables() if edges >= settings.min_edges else []
    if tables:
        # shading behind a run of prose (boxes a line high, no ruling) makes one-row "tables": a
        # one-row table stands only where a ruling line or hairline border is drawn within it
        rules = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in ruling.lines] + \
                [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in ruling.rects
                 if min(o["width"], o["height"]) < 2]

        def ruled(bb: tuple) -> bool:
            return any(x0 >= bb[0] - 2 and x1 <= bb[2] + 2 and top >= bb[1] - 2 and bottom <= bb[3] + 2
                       for x0, top, x1, bottom in rules)
        tables = [t for t in tables if len(t.rows) >= 2 or ruled(t.bbox)]
    boxes = [t.bbox for t in tables]
    in_table: dict[int, list] = {i: [] for i in range(len(tables))}
    free = []
    for c in chars:
        i = _in_any(boxes, c) if boxes else None
        if i is None:
            free.append(c)
        else:
            in_table[i].append(c)
    items: list[tuple[float, list[Row]]] = []
    for i, t in enumerate(tables):
        items.append((t.bbox[1], table_rows(t, in_table[i], page_no, settings)))
    def in_margin(ln: Line) -> bool:
        return ln.bottom < height * settings.margin or ln.top > height * (1 - settings.margin)

    lines = [ln for ln in chars_to_lines(free, settings, baseline=(page.rotation or 0) % 360 == 0)
             if not (in_margin(ln) and _PAGE_NO.match(line_text(ln, settings)))]
    lines = _join_wrapped_titles(lines, settings)
    # consecutive multi-cell lines form an unruled table when some of them carry figures
    # (the ones above the first figure are its header); otherwise they are prose
    run: list[Line] = []

    def prose_row(ln: Line) -> Row:
        return Row([Cell(line_text(ln, settings), page=page_no,
                         bbox=(round(ln.x0, 1), round(ln.top, 1), round(ln.x1, 1), round(ln.bottom, 1)))],
                   margin=in_margin(ln))

    def flush() -> None:
        if not run:
            return
        if sum(1 for ln in run if any(is_amount(t) for t, _, _ in segments(ln, settings))) >= 1 and len(run) >= 2:
            items.append((run[0].top, unruled_rows(run, page_no, settings)))
        else:
            items.extend((ln.top, [prose_row(ln)]) for ln in run)
        run.clear()

    for ln in lines:
        ss = segments(ln, settings)
        prose = any(re.search(r"[。，；：]", t) for t, _, _ in ss)   # a sentence with figures set in gaps
        if len(ss) >= 2 and not prose:
            run.append(ln)
            continue
        flush()
        items.append((ln.top, [prose_row(ln)]))
    flush()
    items.sort(key=lambda it: it[0])
    return [r for _, rows in items for r in rows]


def _errors():
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    return PDFEncryptionError, PDFPasswordIncorrect, PDFSyntaxError, PSException


def _translate(exc: Exception, source: str) -> InputError:
    PDFEncryptionError, PDFPasswordIncorrect, PDFSyntaxError, PSException = _errors()
    inner = exc.args[0] if exc.args else None
    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or \
            isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(exc).lower():
        return InputError("encrypted PDF: cannot be read without its password", source=source)
    if isinstance(exc, (PDFSyntaxError, PSException)):
        return InputError(f"damaged PDF: {exc}", source=source)
    return InputError(f"damaged or truncated PDF ({type(exc).__name__}: {exc})", source=source)


def _read_pages(data: bytes, first: int, last: int, source: str, settings: PdfSettings):
    """Rows of pages first..last (1-based, inclusive), and how many had text or only images."""
    import io

    import pdfplumber
    out: list[Row] = []
    text_pages = image_pages = 0
    try:
        with pdfplumber.open(io.BytesIO(data), pages=list(range(first, last + 1))) as pdf:
            for page in pdf.pages:
                try:
                    out.extend(page_rows(page, page.page_number, settings))
                    if page.chars:
                        text_pages += 1
                    elif page.images:
                        image_pages += 1
                finally:
                    page.close()          # keeps memory flat on long documents
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise _translate(exc, source) from exc
    return out, text_pages, image_pages


def drop_running_lines(rows: list[Row], pages: int) -> list[Row]:
    """Running headers and footers: the same line in the margin band of many pages."""
    from collections import Counter
    seen = Counter(r.cells[0].text for r in rows if r.margin and r.cells)
    running = {t for t, k in seen.items() if k >= 3 and k >= 0.3 * pages}
    # a table's title or meta line (部门名称：…) repeated on every page is still printed once
    from .blocks import is_meta, is_title
    kept: set[str] = {t for t in running if not (is_title(t) or is_meta(t))}
    out: list[Row] = []
    for r in rows:
        t = r.cells[0].text if r.margin and r.cells else None
        if t in running:
            if t in kept:
                continue
            kept.add(t)
        out.append(r)
    return out


def page_count(data: bytes, *, source: str) -> int:
    import io

    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception as exc:
        raise _translate(exc, source) from exc


def read_pdf_rows(data: bytes, *, source: str, settings: PdfSettings | None = None) -> tuple[list[Row], int]:
    """All rows of a PDF and its page count; InputError for encrypted, broken or image-only files.
    With `settings.workers` > 1 the pages are read by a process pool, in contiguous runs."""
    settings = settings or PdfSettings()
    n = page_count(data, source=source)
    if settings.workers > 1 and n >= 2 * settings.workers:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        step = -(-n // settings.workers)
        runs = [(a, min(n, a + step - 1)) for a in range(1, n + 1, step)]
        # forked workers end with os._exit: nothing they inherited (an open store) is finalised twice
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(settings.workers, mp_context=multiprocessing.get_context(method),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            parts = list(pool.map(_read_pages, *zip(*[(data, a, b, source, settings) for a, b in runs])))
    else:
        parts = [_read_pages(data, 1, n, source, settings)] if n else []
    rows = drop_running_lines([r for p in parts for r in p[0]], n)
    text_pages = sum(p[1] for p in parts)
    image_pages = sum(p[2] for p in parts)
    if text_pages == 0:
        if image_pages:
            raise InputError(f"no text layer — OCR needed ({image_pages} page(s) of images)", source=source)
        raise InputError("PDF has no text on any page", source=source)
    cid = sum(c.text.count("(cid:") for r in rows for c in r.cells)
    if cid > 50 and cid > 0.2 * sum(len(c.text) for r in rows for c in r.cells) / 6:
        raise InputError("PDF fonts have no usable ToUnicode map: text reads as (cid:NN)", source=source)
    return rows, n
