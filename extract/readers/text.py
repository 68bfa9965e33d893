"""Plain-text dumps of budget documents, in the three line layouts converters produce.

- ``tabbed``: one row per line, cells separated by tabs (Markdown headings allowed);
- ``cell-per-line``: one cell per tab-indented line, rows separated by blank lines
  (spreadsheet dumps);
- ``spaced``: pdftotext-style lines where empty cells vanish and wrapped cells sit
  on following lines; rows are *unaligned* and resolved later by arithmetic.

The layout is told from the text's own statistics, never from a file name.
"""
from __future__ import annotations

import re

from ..errors import BinaryFileError
from ..model import Cell, Document, Row
from ..numbers import clean_text, is_amount
from .blocks import is_title, rows_to_blocks

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_MD = re.compile(r"^\s{0,3}#{1,6}\s*|\*\*|__")


def decode(data: bytes, *, source: str) -> str:
    """UTF-8 (tolerating truncated multibyte tails), else GB18030; binary is refused."""
    sample = data[:65536]
    if b"\x00" in sample:
        raise BinaryFileError("binary file (NUL bytes), not a text document", source=source)
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(sample) * 0.01:
        raise BinaryFileError("binary file (control bytes), not a text document", source=source)
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 200):
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise BinaryFileError("undecodable bytes: neither UTF-8 nor GB18030", source=source) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def detect_layout(lines: list[str]) -> str:
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return "spaced"
    inner_tab = sum(1 for ln in nonblank if "\t" in ln.strip("\t \n") or _is_pipe_row(ln))
    leading_single = sum(1 for ln in nonblank if ln.startswith("\t") and "\t" not in ln.strip("\t \n"))
    if inner_tab >= 0.05 * len(nonblank):
        return "tabbed"
    if leading_single >= 0.2 * len(nonblank):
        return "cell-per-line"
    return "spaced"


def _cell_text(text: str) -> str:
    return clean_text(_MD.sub("", text))


_PIPE_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 3


def tabbed_rows(lines: list[str]) -> list[Row]:
    """Tab-separated rows; Markdown pipe tables (| a | b |) are rows too, their rules skipped."""
    rows: list[Row] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if _is_pipe_row(line):
            cells = line.strip().strip("|").split("|")
            if all(_PIPE_RULE.match(c) for c in cells):
                continue
            parts = [_cell_text(p) for p in cells]
        else:
            parts = [_cell_text(p) for p in line.rstrip("\n").split("\t")]
        while parts and not parts[-1]:
            parts.pop()
        if not parts:
            continue
        rows.append(Row([Cell(p, line=no) for p in parts]))
    return rows


def cell_per_line_rows(lines: list[str]) -> list[Row]:
    rows: list[Row] = []
    group: list[tuple[int, str]] = []

    def flush() -> None:
        cells: list[Cell] = []
        for no, line in group:
            if line.startswith("\t"):
                cells.append(Cell(_cell_text(line[1:]), line=no))
            elif cells:  # an untabbed line after a cell continues that cell
                last = cells[-1]
                cells[-1] = Cell(last.text + "\n" + _cell_text(line), line=last.line)
            else:
                rows.append(Row([Cell(_cell_text(line), line=no)]))
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            rows.append(Row(cells))
        group.clear()

    for no, line in enumerate(lines, 1):
        if "\t" in line or line.strip():   # a lone tab is an empty cell, not a row break
            group.append((no, line.rstrip("\n")))
        else:
            flush()
    flush()
    return rows


def join_wrapped(parts: list[str]) -> str:
    """Join lines of one wrapped cell: no space between two CJK/punctuation ends."""
    out = ""
    for p in parts:
        p = p.strip()
        if not out:
            out = p
        elif re.match(rf"[{_CJK}（(“《、，。；：]", p[:1]) or re.search(rf"[{_CJK}，。、；：）)”》]$", out):
            out += p
        else:
            out += " " + p
    return out


def tokens_of(line: str) -> list[str]:
    """Whitespace tokens, with letter-spaced words (收   入   总   计) merged back."""
    out: list[str] = []
    spaced: list[bool] = []
    for tok in (t for t in re.split(r"\s+", clean_text(line)) if t):
        lone = len(tok) == 1 and re.match(rf"[{_CJK}]", tok)
        if lone and out and (spaced[-1] or (len(out[-1]) == 1 and re.match(rf"[{_CJK}]", out[-1]))):
            out[-1] += tok
            spaced[-1] = True
            continue
        out.append(tok)
        spaced.append(False)
    return out


def spaced_rows(lines: list[str]) -> list[Row]:
    rows: list[Row] = []
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        if not chunk:
            return
        if len(chunk) > 1 and is_title(chunk[0][1]):
            # a title line printed right above its meta line ("表16 单位：万元")
            no, line = chunk.pop(0)
            rows.append(Row([Cell(clean_text(line), line=no)], aligned=False, text=clean_text(line)))
        cells: list[Cell] = []
        for no, line in chunk:
            cells.extend(Cell(t, line=no) for t in tokens_of(line))
        text = join_wrapped([clean_text(line) for _, line in chunk])
        if cells:
            rows.append(Row(cells, aligned=False, text=text))
        chunk.clear()

    for no, line in enumerate(lines, 1):
        if line.strip():
            chunk.append((no, line))
        else:
            flush()
    flush()
    return rows


def read_text(text: str, *, source: str, sha256: str) -> Document:
    from .html import html_rows, looks_like_html
    if looks_like_html(text):
        rows = html_rows(text)
        return Document(source=source, sha256=sha256, blocks=rows_to_blocks(rows, layout="html"), layout="html",
                        media_type="text/html")
    lines = text.split("\n")
    layout = detect_layout(lines)
    if layout == "tabbed":
        rows = tabbed_rows(lines)
    elif layout == "cell-per-line":
        rows = cell_per_line_rows(lines)
    else:
        rows = spaced_rows(lines)
    blocks = rows_to_blocks(rows, layout=layout)
    return Document(source=source, sha256=sha256, blocks=blocks, layout=layout)


__all__ = ["read_text", "decode", "detect_layout", "is_amount"]
