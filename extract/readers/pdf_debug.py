"""What the reader saw on a PDF page, drawn on the page: pdfplumber's table finder
(ruling edges, intersections, cells) and, over it, every cell budgetkg made a row of."""
from __future__ import annotations

from pathlib import Path

from .pdf import PdfSettings, page_rows, ruling_page


def debug_page(pdf_path: str | Path, page_no: int, out: str | Path, *, resolution: int = 110,
               settings: PdfSettings | None = None) -> Path:
    import pdfplumber
    settings = settings or PdfSettings()
    with pdfplumber.open(str(pdf_path)) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ValueError(f"page {page_no} is not in 1..{len(pdf.pages)}")
        page = pdf.pages[page_no - 1]
        im = ruling_page(page).to_image(resolution=resolution)     # the edges the table finder used
        im.debug_tablefinder()
        boxes = [c.bbox for r in page_rows(page, page_no, settings) for c in r.cells if c.bbox and c.text]
        im.draw_rects(boxes, stroke=(220, 30, 30), fill=(255, 200, 0, 40), stroke_width=1)
        im.save(str(out), format="PNG")
    return Path(out)
