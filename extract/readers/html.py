"""HTML (and Markdown/text dumps that carry HTML tables): <table> rows with colspan and
rowspan laid out on a grid, the rest of the text as lines."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ..model import Cell, Row
from ..numbers import clean_text

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title", "section", "article"}


class _Grid(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.text: list[str] = []
        self.depth = 0                 # nesting of <table>
        self.row: list[tuple[str, int]] | None = None
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.pending: dict[int, int] = {}   # column → rows still covered by a rowspan above
        self.line = 1

    # -- prose
    def _flush_text(self) -> None:
        t = clean_text(" ".join(self.text))
        if t:
            self.rows.append(Row([Cell(t, line=self.line)]))
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._flush_text()
            self.depth += 1
            self.pending = {}
        elif tag == "tr" and self.depth:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.span = (int(a.get("colspan") or 1), int(a.get("rowspan") or 1))
        elif tag in _BLOCK and not self.depth:
            self._flush_text()
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(("".join(self.cell), *self.span))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._emit_row()
            self.row = None
        elif tag == "table" and self.depth:
            self.depth -= 1
        elif tag in _BLOCK and not self.depth:
            self._flush_text()

    def handle_data(self, data):
        self.line += data.count("\n")
        if self.cell is not None:
            self.cell.append(data)
        elif not self.depth:
            self.text.append(data)

    def _emit_row(self) -> None:
        """Place the row's cells on the grid: a colspan leaves empty cells after its label,
        a rowspan leaves an empty cell in the rows below (the header logic spans them)."""
        out: list[str] = []
        col = 0
        cells = list(self.row or [])
        while cells or any(c >= col for c in self.pending):
            if self.pending.get(col, 0) > 0:
                out.append("")
                self.pending[col] -= 1
                col += 1
                continue
            if not cells:
                break
            text, colspan, rowspan = cells.pop(0)
            lines = [clean_text(x) for x in text.split("\n") if clean_text(x)]
            out.append(" ".join(lines) if lines else "")
            for k in range(colspan):
                if rowspan > 1:
                    self.pending[col + k] = rowspan - 1
                if k:
                    out.append("")
            col += colspan
        while out and not out[-1]:
            out.pop()
        if out:
            self.rows.append(Row([Cell(t, line=self.line) for t in out]))

    def close(self) -> None:
        super().close()
        self._flush_text()


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<table[\s>]", text, re.I) and re.search(r"<t[dh][\s>]", text, re.I))


def html_rows(text: str) -> list[Row]:
    parser = _Grid()
    parser.feed(text)
    parser.close()
    return parser.rows
