"""“三公”经费: 因公出国(境)费, 公务接待费, 公务用车购置及运行费 (= 购置费 + 运行维护费),
printed either one category per row or one category per column (one column group per year)."""
from __future__ import annotations

import re

from .. import lexicon as lx
from ..model import Column, Table, ThreePublicLine
from ..numbers import is_amount
from .base import (Interpretation, align, amount, column_for, compact, header_paths, is_stub_row, phase_of,
                   prov_for)

CATEGORIES = ("total", "abroad", "vehicle", "vehicle-purchase", "vehicle-operation", "reception")


def recognise(table: Table) -> str | None:
    return "three-public" if lx.THREE_PUBLIC_KIND.titled(compact(table.title)) else None


def category_of(label: str) -> str | None:
    t = compact(label)
    if not t:
        return None
    if lx.ABROAD_MARK in t:
        return "abroad"
    if lx.RECEPTION_MARK in t:
        return "reception"
    if any(w in t for w in lx.VEHICLE_MARKS):
        if lx.VEHICLE_BOTH.search(t):
            return "vehicle"
        if lx.PURCHASE_MARK in t:
            return "vehicle-purchase"
        if any(w in t for w in lx.OPERATION_MARKS):
            return "vehicle-operation"
        return "vehicle"
    if any(w in t for w in lx.THREE_PUBLIC_TOTAL_MARKS):
        return "total"
    return None


def interpret(table: Table, unit_mult: int, year: int | None) -> Interpretation:
    rowwise = sum(1 for r in table.body if any(category_of(t) for t in r.texts if not is_amount(t)))
    if rowwise >= 2:
        return _rowwise(table, unit_mult, year)
    return _columnwise(table, unit_mult, year)


def year_of_column(label: str, year: int | None) -> int | None:
    """The year a column speaks of: printed ("2023年预算数"), or 上年/本年 of the document's year."""
    m = re.search(r"(20\d\d)", label)
    if m:
        return int(m.group(1))
    if year is not None and lx.PREVIOUS_YEAR.search(label):
        return year - 1
    return year


def _rowwise(table: Table, unit_mult: int, year: int | None) -> Interpretation:
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width) if table.aligned else []
    for i, row in enumerate(table.body):
        if is_stub_row(row):
            continue
        texts = row.texts
        label_j = next((j for j, t in enumerate(texts) if category_of(t) and not is_amount(t)), None)
        if label_j is None:
            continue
        cat = category_of(texts[label_j])
        for j in range(label_j + 1, len(texts)):
            a = amount(texts[j], unit_mult)
            if a is None:
                continue
            path = paths[j] if j < len(paths) and paths[j] else lx.AMOUNT
            out.records.append(ThreePublicLine(category=cat, year=year_of_column(path, year), column=column_for(path),
                                               amount=a, prov=prov_for(table, i, row)))
            if not table.aligned:
                break   # only the first figure has a certain column when empty cells are lost
    return out


def _order(blob: str) -> list[str]:
    """Category columns in printed order; the vehicle group expands to 小计/购置/运行."""
    b = compact(blob)
    found = []
    for cat, pat in lx.THREE_PUBLIC_ORDER:
        m = re.search(pat, b)
        if m:
            found.append((m.start(), cat))
    cols = ["total"]
    for _, cat in sorted(found):
        cols += ["vehicle", "vehicle-purchase", "vehicle-operation"] if cat == "vehicle" else [cat]
    return cols


def _positional(table: Table, unit_mult: int, year: int | None) -> Interpretation | None:
    """Headers that name every column (合计/因公出国/… over 预算数/决算数): read by position."""
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    cats = []
    for p in paths:
        parts = [x for x in p.split("/") if x]
        cat = next((category_of(x) for x in reversed(parts) if category_of(x)), None)
        cats.append(cat)
    out = Interpretation()
    for i, row in enumerate(table.body):
        for j, t in enumerate(row.texts):
            a = amount(t, unit_mult)
            if a is None:
                continue
            if j >= width or cats[j] is None:
                return None          # a figure under no category: not positional after all
            phase = phase_of(paths[j])
            out.records.append(ThreePublicLine(category=cats[j], year=year,
                                               column=Column(label=paths[j], measure="total", phase=phase),
                                               amount=a, prov=prov_for(table, i, row)))
    return out


def _columnwise(table: Table, unit_mult: int, year: int | None) -> Interpretation:
    if table.aligned and len(table.body) == 1:
        positional = _positional(table, unit_mult, year)
        if positional is not None:
            return positional
    out = Interpretation()
    blob = " ".join(table.meta) + " " + table.header_text()
    group = _order(blob)
    years = [int(y) for y in lx.YEAR_PHASE.findall(compact(blob))] or [year]
    years = list(dict.fromkeys(years))
    cols = group * len(years)
    cons = []
    for g in range(len(years)):
        o = g * len(group)
        ix = {c: o + k for k, c in enumerate(group)}
        cons.append((ix["total"], tuple(ix[c] for c in ("abroad", "vehicle", "reception") if c in ix)))
        if "vehicle" in ix:
            cons.append((ix["vehicle"], (ix["vehicle-purchase"], ix["vehicle-operation"])))
    cells = [(i, t) for i, r in enumerate(table.body) for t in r.texts if is_amount(t)]
    if not cells:
        return out
    amounts = [amount(t, unit_mult) for _, t in cells]
    placed = align([a.value for a in amounts], len(cols), cons)
    if placed is None:
        out.warnings.append(f"table {table.index} {table.title!r}: figures cannot be placed in its columns with confidence")
        out.skipped.extend((i, table.body[i].raw, "columns not aligned") for i in sorted({i for i, _ in cells}))
        return out
    slots, certain = placed
    it = iter(zip(cells, amounts))
    for j, v in enumerate(slots):
        if v is None:
            continue
        (i, _), a = next(it)
        g = j // len(group)
        if j not in certain:
            out.skipped.append((i, table.body[i].raw, f"ambiguous column for {a.printed} ({cols[j]}?)"))
            continue
        y = years[g]
        label = f"{y}{lx.YEAR_SUFFIX}/{cols[j]}" if y else cols[j]
        out.records.append(ThreePublicLine(category=cols[j], year=y,
                                           column=Column(label=label, measure="total",
                                                         phase=column_for(blob).phase if lx.FINAL_ACCOUNT in blob else None),
                                           amount=a, prov=prov_for(table, i, table.body[i])))
    return out
