"""Spreadsheets (xlsx with openpyxl, xls with xlrd): each sheet's rows, merged cells expanded,
numbers kept exact as printed by the cell's format (Decimal text, never float)."""
from __future__ import annotations

import io
import re
from decimal import Decimal

from ..errors import InputError
from ..model import Cell, Row


def _decimals(number_format: str | None) -> int | None:
    if not number_format or number_format == "General":
        return None
    m = re.search(r"0\.(0+)", number_format)
    return len(m.group(1)) if m else 0 if re.search(r"[#0]", number_format) else None


def _text(value, number_format: str | None = None) -> str:
    """A cell as it prints: numbers with the format's decimals and thousands separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        places = _decimals(number_format)
        if places is not None:
            d = d.quantize(Decimal(1).scaleb(-places))
        return f"{d:,}" if number_format and "," in number_format else str(d)
    return str(value).strip()


def _rows(grid: list[list[str]], sheet_no: int) -> list[Row]:
    out = []
    for r, values in enumerate(grid, 1):
        while values and not values[-1]:
            values = values[:-1]
        if not values:
            continue
        nonempty = {v for v in values if v}
        if len(nonempty) == 1 and values.count(next(iter(nonempty))) > 1:
            values = [next(iter(nonempty))]      # a title merged across the sheet's width
        out.append(Row([Cell(v, line=r, page=sheet_no) for v in values]))
    return out


def read_xlsx_rows(data: bytes, *, source: str) -> list[Row]:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise InputError(f"unreadable xlsx ({type(exc).__name__}: {exc})", source=source) from exc
    rows: list[Row] = []
    for k, ws in enumerate(wb.worksheets, 1):
        grid = [[_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            v = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = v
        rows.extend(_rows(grid, k))
    return rows


def read_xls_rows(data: bytes, *, source: str) -> list[Row]:
    import xlrd
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:
        raise InputError(f"unreadable xls ({type(exc).__name__}: {exc})", source=source) from exc
    rows: list[Row] = []
    for k in range(book.nsheets):
        sh = book.sheet_by_index(k)
        grid = []
        for r in range(sh.nrows):
            line = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                fmt = None
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    xf = book.xf_list[cell.xf_index]
                    fmt = book.format_map[xf.format_key].format_str
                line.append(_text(cell.value if cell.ctype != xlrd.XL_CELL_EMPTY else None, fmt))
            grid.append(line)
        for r0, r1, c0, c1 in sh.merged_cells:
            v = grid[r0][c0]
            for r in range(r0, r1):
                for c in range(c0, c1):
                    grid[r][c] = v
        rows.extend(_rows(grid, k + 1))
    return rows
