"""“三公”经费: 因公出国(境)费, 公务接待费, 公务用车购置及运行费 (= 购置费 + 运行维护费),
printed either one category per row or one category per column (one column group per year)."""
from __future__ import annotations

import re
from decimal import Decimal

from .. import lexicon as lx
from ..model import Column, ItemLine, Table, ThreePublicLine
from ..numbers import is_amount
from .base import (Interpretation, align, amount, column_for, compact, header_paths, is_stub_row, phase_of,
                   prov_for)

KIND = "three-public"
CATEGORIES = ("total", "abroad", "vehicle", "vehicle-purchase", "vehicle-operation", "reception")


def recognise(table: Table) -> str | None:
    if lx.THREE_PUBLIC_KIND.titled(compact(table.title)):
        return KIND
    # a title the converter tore (…支出预算表): the header names the 三公 and its parts
    h = compact(table.header_text())
    if lx.THREE_PUBLIC_KIND.titled(h) and sum(1 for w in lx.THREE_PUBLIC_HEADER_PARTS if w in h) >= 2 \
            and table.body and len(table.body) <= 12:
        return KIND
    return None


def beside_of(label: str) -> bool:
    """会议费, 培训费, 机关运行经费 printed beside the “三公”: not one of its parts."""
    t = compact(label)
    return lx.THREE_PUBLIC not in t and bool(lx.THREE_PUBLIC_BESIDE.search(t))


def category_of(label: str) -> str | None:
    t = compact(label)
    if not t or beside_of(t):
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
    if table.aligned:
        by_header = _by_header(table, unit_mult, year)
        if by_header is not None:
            return by_header
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
        label_j = next((j for j, t in enumerate(texts)
                        if (category_of(t) or beside_of(t)) and not is_amount(t)), None)
        if label_j is None:
            continue
        cat = category_of(texts[label_j])
        for j in range(label_j + 1, len(texts)):
            a = amount(texts[j], unit_mult)
            if a is None:
                continue
            path = paths[j] if j < len(paths) and paths[j] else lx.AMOUNT
            if cat is None:      # 会议费, 培训费, 行政经费 printed among the parts: an item of its own
                out.records.append(ItemLine(kind=KIND, item=compact(texts[label_j]), codes=[],
                                            column=column_for(path), amount=a, prov=prov_for(table, i, row)))
            else:
                out.records.append(ThreePublicLine(category=cat, year=year_of_column(path, _title_year(table, year)),
                                                   column=column_for(path), amount=a, prov=prov_for(table, i, row)))
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


def _title_year(table: Table, year: int | None) -> int | None:
    """The one year printed in the table's title ("2025年…“三公”经费支出情况表"), else the document's."""
    ys = set(re.findall(r"20\d\d", compact(table.title)))
    return int(ys.pop()) if len(ys) == 1 else year


def _phase(label: str, table: Table) -> str | None:
    """The phase a column's heading names; a 决算 table whose headings are silent: executed."""
    return phase_of(label) or ("executed" if lx.FINAL_ACCOUNT in compact(table.title) else None)


def _column_kind(path: str) -> tuple[str, str] | None:
    """("three", category) or ("beside", word) for a column's header path; None when neither.
    A 小计/合计 under a part's heading (公务用车购置及运行费/小计) is that part's figure."""
    parts = [compact(x) for x in path.split("/") if compact(x)]
    for k in range(len(parts) - 1, -1, -1):
        if beside_of(parts[k]):
            return ("beside", parts[k])
        cat = category_of(parts[k])
        if cat is None:
            continue
        if cat == "total":
            for up in reversed(parts[:k]):
                if beside_of(up):
                    return ("beside", up)
                c = category_of(up)
                if c and c != "total":
                    return ("three", c)
        return ("three", cat)
    return None


def _numbering(texts: list[str]) -> bool:
    """A row of column numbers (1 2 3 …, maybe after a "**" or "栏次")."""
    ints = [compact(t) for t in texts if compact(t).isdigit()]
    others = [t for t in texts if compact(t) and not compact(t).isdigit()]
    return (len(ints) >= 3 and len(others) <= 1
            and ints == [str(k) for k in range(int(ints[0]), int(ints[0]) + len(ints))])


def _groups(table: Table, paths: list[str], kinds: list) -> list[str]:
    """The group heading of each column (2025年预算数 | 2026年预算数, 预算数 | 决算数): printed in
    its header path, or in headings the reader kept apart from the header, spread evenly."""
    out = []
    for p in paths:
        g = [x for x in (compact(y) for y in p.split("/")) if lx.THREE_PUBLIC_GROUP.match(x)]
        out.append(g[-1] if g else "")
    if any(out):
        return out
    meta = [compact(m) for m in table.meta if lx.THREE_PUBLIC_GROUP.match(compact(m))]
    cols = [j for j, k in enumerate(kinds) if k is not None]
    if not meta or not cols or len(cols) % len(meta):
        return out
    size = len(cols) // len(meta)
    for n, j in enumerate(cols):
        out[j] = meta[n // size]
    return out


def _three_sum(vals: dict[str, Decimal]) -> Decimal:
    vehicle = vals.get("vehicle")
    if vehicle is None:
        vehicle = vals.get("vehicle-purchase", Decimal(0)) + vals.get("vehicle-operation", Decimal(0))
    return vals.get("abroad", Decimal(0)) + vals.get("reception", Decimal(0)) + vehicle


def _consistent(vals: dict[str, Decimal]) -> bool:
    tol = Decimal("0.011")
    if "total" in vals and any(c in vals for c in ("abroad", "reception", "vehicle", "vehicle-purchase",
                                                    "vehicle-operation")):
        if abs(vals["total"] - _three_sum(vals)) > 3 * tol:
            return False
    if "vehicle" in vals and ("vehicle-purchase" in vals or "vehicle-operation" in vals):
        if abs(vals["vehicle"] - vals.get("vehicle-purchase", 0) - vals.get("vehicle-operation", 0)) > 2 * tol:
            return False
    return True


def _by_header(table: Table, unit_mult: int, year: int | None) -> Interpretation | None:
    """Headers that name every column (合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费)
    | 公务接待费 [| 会议费 | 培训费], one group per year or phase): read by position, a row per
    department or per unit. None when a figure stands under no such column."""
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    kinds = [_column_kind(p) for p in paths]
    if not any(k and k[0] == "three" for k in kinds):
        return None
    groups = _groups(table, paths, kinds)
    out = Interpretation()
    rows = []                               # (i, row, label, {j: Amount})
    ended = False
    for i, row in enumerate(table.body):
        texts = row.texts
        filled = [t for t in texts if compact(t)]
        if not filled or is_stub_row(row) or _numbering(texts):
            continue
        figs = {j: amount(t, unit_mult) for j, t in enumerate(texts) if is_amount(t)}
        figs = {j: a for j, a in figs.items() if a is not None}
        if ended:
            if figs:
                out.skipped.append((i, row.raw, "after the end of the three-public table (the next table's rows?)"))
            continue
        if not figs:
            if rows and lx.NEXT_TABLE_ROW.search(compact(row.raw)):
                ended = True
            continue
        if len(filled) == 1 and re.fullmatch(r"\d{1,3}", compact(filled[0])) and sum(1 for k in kinds if k) >= 3:
            out.skipped.append((i, row.raw, "a lone figure under the table (a page number?)"))
            continue
        if any(j >= width or kinds[j] is None for j in figs):
            return None          # a figure under no category: not read by header after all
        label = " ".join(compact(t) for t in texts if compact(t) and not is_amount(t))
        rows.append((i, row, label, figs))
    if not rows:
        return out if out.skipped else None
    keys = list(dict.fromkeys(groups))
    beside = {g: [j for j, k in enumerate(kinds) if k and k[0] == "beside" and groups[j] == g] for g in keys}
    base_year = _title_year(table, year)

    def department(label: str) -> bool:
        return (not label or category_of(label) == "total" or bool(lx.THREE_PUBLIC_GROUP.match(label))
                or len(rows) == 1)

    # a 合计 that also holds 会议费/培训费 is no “三公” total
    grand: set[int] = set()
    for g in keys:
        totals = [j for j, k in enumerate(kinds) if k == ("three", "total") and groups[j] == g]
        if not beside[g] or not totals:
            continue
        marked = [j for j in totals if lx.THREE_PUBLIC in compact(paths[j])]
        if len(totals) >= 2:
            grand |= set(j for j in totals if j not in marked) if marked and len(marked) < len(totals) else {totals[0]}
            continue
        j = totals[0]
        def holds_beside(figs: dict) -> bool:
            vals = {kinds[k][1]: a.value for k, a in figs.items() if groups[k] == g and kinds[k][0] == "three"}
            extra = sum((figs[k].value for k in beside[g] if k in figs), Decimal(0))
            return (j in figs and extra != 0 and abs(figs[j].value - _three_sum(vals)) > Decimal("0.03")
                    and abs(figs[j].value - _three_sum(vals) - extra) <= Decimal("0.03"))
        if any(holds_beside(f) for _, _, _, f in rows):
            grand.add(j)

    consistent = True
    for i, row, label, figs in rows:
        dept = department(label)
        row_group = label if lx.THREE_PUBLIC_GROUP.match(label) else ""
        for g in keys:
            vals = {kinds[j][1]: a.value for j, a in figs.items()
                    if groups[j] == g and kinds[j][0] == "three" and j not in grand}
            consistent &= _consistent(vals)
        for j, a in sorted(figs.items()):
            heading = "/".join(x for x in (row_group, groups[j] if groups[j] not in paths[j] else "", paths[j]) if x)
            col = Column(label=heading, measure="total", phase=_phase(heading, table))
            kind, what = kinds[j]
            if kind == "three" and j not in grand and dept:
                out.records.append(ThreePublicLine(category=what, year=year_of_column(heading, base_year),
                                                   column=col, amount=a, prov=prov_for(table, i, row)))
            else:
                item = label if not dept else what if kind == "beside" else compact(paths[j].split("/")[-1])
                out.records.append(ItemLine(kind=KIND, item=item, codes=[], column=col, amount=a,
                                            prov=prov_for(table, i, row)))
    if not consistent:
        # the parts do not add up by position (cells lost by the converter?): arithmetic, if it can
        fallback = _columnwise(table, unit_mult, year, positional=False)
        if fallback.records and not fallback.warnings:
            return fallback
    return out


def _columnwise(table: Table, unit_mult: int, year: int | None, positional: bool = True) -> Interpretation:
    """Figures whose cells lost their columns (empty cells dropped): placed by the sums
    合计 = 出国 + 用车 + 接待 and 用车 = 购置 + 运行, one column group per year or phase."""
    out = Interpretation()
    blob = " ".join(table.meta) + " " + table.header_text()
    group = _order(blob)
    labels = list(dict.fromkeys(re.sub(r"\s+", "", m) for m in lx.THREE_PUBLIC_GROUP_IN_TEXT.findall(blob)))
    if len(labels) < 2:
        labels = [labels[0] if labels else ""]
    base_year = _title_year(table, year)
    cols = group * len(labels)
    cons = []
    for g in range(len(labels)):
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
    words = {}
    for word, cat in lx.THREE_PUBLIC_PARTS.items():
        words.setdefault(cat, word)
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
        head = labels[g]
        label = "/".join(x for x in (head, words.get(cols[j], cols[j])) if x)
        out.records.append(ThreePublicLine(category=cols[j], year=year_of_column(head, base_year),
                                           column=Column(label=label, measure="total", phase=_phase(head, table)),
                                           amount=a, prov=prov_for(table, i, table.body[i])))
    return out
