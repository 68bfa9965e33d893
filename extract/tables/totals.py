"""收支总表: income items on the left, expenditure items on the right, each with its figures."""
from __future__ import annotations

import re

from .. import lexicon as lx
from ..model import Table, TotalLine
from .base import Interpretation, amount, column_for, compact, header_paths, is_stub_row, prov_for
from ..numbers import is_amount

_SKIP = lx.LINE_NUMBER_COLUMN
_EXPENDITURE_SIDE = lx.EXPENDITURE_SIDE


def recognise(table: Table) -> str | None:
    t = compact(table.title)
    h = compact(table.header_text())
    if lx.TOTALS_KIND.titled(t):
        return "totals"
    cells = {compact(c) for r in table.header for c in r.texts}
    if lx.TOTALS_KIND.header_cells <= cells or (h.count(lx.ITEM) >= 2 and lx.REVENUE in h and lx.EXPENDITURE in h
                                                 and lx.NAME_HEADER not in h):
        return "totals"
    return None


def interpret(table: Table, unit_mult: int) -> Interpretation:
    return _aligned(table, unit_mult) if table.aligned else _unaligned(table, unit_mult)


def _aligned(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    leaves = [p.split("/")[-1] for p in paths]
    label_cols = [j for j, l in enumerate(leaves) if l in lx.TOTALS_ITEM_LEAVES or l.startswith(lx.ITEM)
                  or lx.NAME_HEADER in l]
    # a column of names between two sides (收入 | 支出 by function | 支出 by use) is a side of its own
    texty = [j for j in range(width)
             if sum(1 for r in table.body if j < len(r.texts) and r.texts[j].strip()
                    and not is_amount(r.texts[j])) > len(table.body) // 2]
    if len(label_cols) >= 2:
        label_cols = sorted(set(label_cols) | {j for j in texty if j not in label_cols
                                              and all(abs(j - c) > 1 for c in label_cols)})
    if len(label_cols) < 2:
        # headers lost: a label column is one whose cells are mostly text
        label_cols = [j for j in range(width)
                      if sum(1 for r in table.body if j < len(r.texts) and r.texts[j].strip()
                             and not is_amount(r.texts[j])) > len(table.body) // 2]
    if not label_cols:
        out.warnings.append(f"table {table.index} {table.title!r}: no item columns")
        return out
    sides = []
    for n, c in enumerate(label_cols):
        end = label_cols[n + 1] if n + 1 < len(label_cols) else width
        values = [j for j in range(c + 1, end) if not _SKIP.match(leaves[j])]
        sides.append(("revenue" if n == 0 else "expenditure", c, values))
    for i, row in enumerate(table.body):
        if is_stub_row(row):
            continue
        cells = row.texts + [""] * (width - len(row.texts))
        for side, c, values in sides:
            item = compact(cells[c])
            if not item:
                continue
            if len(sides) == 1:
                side = "expenditure" if _EXPENDITURE_SIDE.search(item) else "revenue"
            for j in values:
                a = amount(cells[j], unit_mult)
                if a is not None:
                    out.records.append(TotalLine(side=side, item=item, column=column_for(paths[j] or lx.AMOUNT),
                                                 amount=a, prov=prov_for(table, i, row)))
    return out


def _unaligned(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    # a 行次 column prints small integers before each side's figures: they are not amounts
    line_numbers = any(compact(t) in lx.LINE_NUMBER_HEADERS for r in table.header for t in r.texts)
    for i, row in enumerate(table.body):
        segments: list[tuple[str, list[str]]] = []
        for tok in row.texts:
            if is_amount(tok) and segments:
                segments[-1][1].append(tok)
            elif not is_amount(tok):
                segments.append((compact(tok), []))
        if line_numbers:
            segments = [(item, vals[1:] if vals and re.fullmatch(r"\d{1,3}", vals[0]) else vals)
                        for item, vals in segments]
        for n, (item, values) in enumerate(segments[:2]):
            side = ("revenue" if n == 0 else "expenditure") if len(segments) >= 2 else \
                ("expenditure" if _EXPENDITURE_SIDE.search(item) else "revenue")
            if not values:
                continue
            # empty cells are lost in this layout: only the first figure of a side is placed with confidence
            a = amount(values[0], unit_mult)
            if a is not None:
                out.records.append(TotalLine(side=side, item=item, column=column_for(lx.AMOUNT),
                                             amount=a, prov=prov_for(table, i, row)))
            if len(values) > 1:
                out.skipped.append((i, row.raw, f"{len(values) - 1} further figure(s) of {item} without a certain column"))
    return out
