"""Budget lines classified by 政府收支分类科目: functional (2xx) or economic (3xx/5xx)
codes in rows, one observation per row × amount column."""
from __future__ import annotations

import re
from decimal import Decimal

from .. import lexicon as lx
from ..model import BudgetLine, Cell, Row, Table
from .base import (CODE, Interpretation, align, amount, column_constraints, column_for, compact, header_paths,
                   is_stub_row, prov_for, realign, split_label_values)

_SKIP_COLUMN = lx.LINE_NUMBER_COLUMN
_SOURCES = list(lx.FUND_SOURCES)


def scheme_of(code: str) -> str | None:
    if not CODE.match(code):
        return None
    if code[0] == "2":
        return "function"
    if code[0] == "3":
        return "economic"
    if code[0] == "5":
        return "economic-gov"
    return None


def _code_cells(table: Table) -> list[str]:
    out = []
    for r in table.body:
        for t in r.texts[:4]:
            c = compact(t)
            if CODE.match(c):
                out.append(c)
                break
    return out


def _split_glued(table: Table) -> None:
    """Codes printed in one cell with their name (2010801-行政运行, [30101]基本工资) become a code
    cell and a name cell, the header widened to match. Of several such columns (a row classified
    by function and by economic code at once) the one whose codes do not repeat is kept."""
    if not table.body:
        return
    width = max(len(r.cells) for r in table.body)
    glued = []
    for j in range(min(width, 5)):
        cells = [compact(r.texts[j]) for r in table.body if j < len(r.texts) and compact(r.texts[j])]
        hits = [c for c in cells if lx.GLUED_CODE.match(c) and not CODE.match(c)]
        if cells and len(hits) >= max(2, len(cells) // 2):
            glued.append(j)
    if not glued:
        return

    def codes_in(j: int) -> list[str]:
        return [m.group(1) for r in table.body if j < len(r.texts) and (m := lx.GLUED_CODE.match(compact(r.texts[j])))]

    keep = glued[0]
    if len(glued) > 1:
        ranked = sorted(glued, key=lambda j: (len(set(codes_in(j))) < len(codes_in(j)),        # unique first
                                              {"2": 0, "3": 1, "5": 2}.get((codes_in(j) or ["9"])[0][0], 3)))
        keep = ranked[0]
    drop = [j for j in glued if j != keep]

    def rebuild(row: Row, header: bool) -> Row:
        cells: list[Cell] = []
        for j, c in enumerate(row.cells):
            if j in drop:
                continue
            if j == keep:
                m = lx.GLUED_CODE.match(compact(c.text)) if not header else None
                if m:
                    cells += [Cell(m.group(1), c.line, c.page, c.bbox), Cell(m.group(2), c.line, c.page, c.bbox)]
                else:
                    cells += [c, Cell("", c.line, c.page, c.bbox)]
                continue
            cells.append(c)
        return Row(cells, aligned=row.aligned, text=row.text, margin=row.margin)

    table.header = [rebuild(r, True) for r in table.header]
    table.body = [rebuild(r, False) for r in table.body]
    table.rows = table.header + table.body
    if len(glued) > 1:
        seen = [m.group(1) if (m := lx.GLUED_CODE.match(compact(r.texts[keep]))) else "" for r in table.body]
        table.cross_repeats = {c for c in seen if c and seen.count(c) > 1}  # type: ignore[attr-defined]


def _complete_bare_subcodes(table: Table, code_col: int, value_col: int | None) -> None:
    """款 and 项 printed as two digits under their parent (201 / 06 / 01): the full code, taking a
    two-digit code after a 项 as its sibling while the 款's figure is not yet made up by its 项,
    as the next 款 once it is (the sums prove which)."""
    cls = kuan = None
    kuan_total = running = None
    last = None
    for r in table.body:
        if code_col >= len(r.cells):
            continue
        c = compact(r.texts[code_col])
        val = amount_value(r.texts[value_col]) if value_col is not None and value_col < len(r.texts) else None
        if CODE.match(c):
            full = c
        elif lx.BARE_SUBCODE.match(c) and cls:
            if last is not None and len(last) == 3:
                full = cls + c
            elif last is not None and len(last) == 5:
                full = kuan + c
            else:       # after a 项: a sibling 项 until the 款 is made up, then the next 款
                complete = kuan_total is not None and running is not None and running >= kuan_total
                full = cls + c if complete else kuan + c
        else:
            continue
        if len(full) == 3:
            cls, kuan, kuan_total, running = full, None, None, None
        elif len(full) == 5:
            cls, kuan, kuan_total, running = full[:3], full, val, Decimal(0)
        elif len(full) == 7 and running is not None and val is not None:
            running += val
        last = full
        if full != c:
            cell = r.cells[code_col]
            r.cells[code_col] = Cell(full, cell.line, cell.page, cell.bbox)


def _cross_column(table: Table, code_cols: list[int]) -> tuple[int, set[str]]:
    """The code column to keep of a row classified twice, and the codes that repeat in it."""
    def codes(j: int) -> list[str]:
        return [c for r in table.body if j < len(r.texts) and CODE.match(c := compact(r.texts[j]))]
    ranked = sorted(code_cols, key=lambda j: (len(set(codes(j))) < len(codes(j)),
                                              {"3": 0, "2": 1, "5": 2}.get((codes(j) or ["9"])[0][0], 3)))
    keep = ranked[0]
    seen = codes(keep)
    return keep, {c for c in seen if seen.count(c) > 1}


def amount_value(text: str) -> Decimal | None:
    t = compact(text).replace(",", "")
    try:
        return Decimal(t) if t else None
    except ArithmeticError:
        return None


def _class_of(name: str) -> str | None:
    return lx.FUNCTION_CLASSES.get(name) or lx.ECONOMIC_CLASSES.get(name)


def recognise(table: Table) -> str | None:
    signature = compact(table.title + table.header_text())
    if not lx.CLASSIFIED_KIND.header.search(signature):
        return None
    _split_glued(table)
    codes = _code_cells(table)
    if not codes and any(_class_of(compact(r.texts[0])) for r in table.body if r.cells) and \
            lx.NAME_COLUMN.search(signature):
        # names only, no codes (杭州): the national 类 names say which scheme
        names = [compact(r.texts[0]) for r in table.body if r.cells]
        fn = sum(1 for n in names if n in lx.FUNCTION_CLASSES)
        ec = sum(1 for n in names if n in lx.ECONOMIC_CLASSES)
        return "function-lines" if fn >= ec else "economic-lines"
    schemes = [scheme_of(c) for c in codes]
    if not codes:
        # an empty table is a fact: "本表无数据" under a classified header
        if table.is_declared_empty() and lx.CLASSIFIED_EMPTY_SIGNATURE.search(signature):
            return "economic-lines" if lx.ECONOMIC_CLASSIFICATION in signature else "function-lines"
        return None
    if schemes.count("function") >= max(1, len(codes) // 2):
        return "function-lines"
    if schemes.count("economic") + schemes.count("economic-gov") >= max(1, len(codes) // 2):
        return "economic-lines"
    return None


def direction_of(table: Table) -> str:
    t = compact(table.title)
    return "revenue" if (lx.REVENUE in t and lx.EXPENDITURE not in t) else "expenditure"


def interpret(table: Table, unit_mult: int) -> Interpretation:
    if table.aligned:
        return _aligned(table, unit_mult)
    return _unaligned(table, unit_mult)


def _aligned(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    code_cols = [j for j, p in enumerate(paths) if lx.CODE_HEADER in p.split("/")[-1]]
    if not code_cols:
        # no header names the code column: take the first column that holds codes
        for j in range(width):
            if any(CODE.match(compact(r.texts[j])) for r in table.body if j < len(r.texts)):
                code_cols = [j]
                break
    if not code_cols:
        if any(_class_of(compact(r.texts[0])) for r in table.body if r.cells):
            return _names_only(table, unit_mult, paths, width)
        if table.body and not table.is_declared_empty():
            out.warnings.append(f"table {table.index} {table.title!r}: no classification code column")
        return out
    cross = getattr(table, "cross_repeats", set())
    adjacent = len(code_cols) > 1 and all(b - a == 2 for a, b in zip(code_cols, code_cols[1:]))
    other: int | None = None
    first_values = [j for j in range(code_cols[-1 if adjacent else 0] + 2, width)
                    if not _SKIP_COLUMN.match(paths[j].split("/")[-1] or "")]
    for c in (code_cols if adjacent else code_cols[:1]):
        _complete_bare_subcodes(table, c, first_values[0] if first_values else None)
    if adjacent:
        # code | name | code | name | figures: one row classified twice (部门经济 and 政府经济), not two
        # groups side by side — the figures belong to the pair; the classification whose codes do
        # not repeat is kept, and rows whose kept code repeats are reported, not summed twice
        keep, _ = _cross_column(table, code_cols)
        other = next(c for c in code_cols if c != keep)
        code_cols = [keep]
        values = [j for j in first_values if not lx.RATE_COLUMN.search(paths[j])]
        groups = [(keep, keep + 1, values, column_constraints([paths[j] for j in values]))]
    else:
        if len(code_cols) > 1:
            paths = _name_groups(table, paths, code_cols)
        groups = []
        for n, c in enumerate(code_cols):
            end = code_cols[n + 1] if n + 1 < len(code_cols) else width
            values = [j for j in range(c + 2, end) if not _SKIP_COLUMN.match(paths[j].split("/")[-1] or "")
                      and not lx.RATE_COLUMN.search(paths[j])]
            groups.append((c, c + 1, values, column_constraints([paths[j] for j in values])))
    direction = direction_of(table)
    table_scheme = _table_scheme(table)
    rate_cols = [j for j, p in enumerate(paths) if lx.RATE_COLUMN.search(p)]
    for i, row in enumerate(table.body):
        if is_stub_row(row):
            continue
        cells = row.texts + [""] * (width - len(row.texts))
        used = False
        for code_col, name_col, value_cols, cons in groups:
            code = compact(cells[code_col])
            label = compact(cells[name_col]) if name_col < width else ""
            if not CODE.match(code):
                if lx.GRAND_TOTAL_RE.search(code + label):
                    label, code = (code + label), ""
                else:
                    continue
            if code in cross:
                out.skipped.append((i, row.raw, lx.CROSS_CLASSIFIED_SKIP))
                used = True
                continue
            scheme = scheme_of(code) if code else None
            placed = realign(table, i, row, [cells[j] for j in value_cols], cons, unit_mult, out)
            for j, a in zip(value_cols, placed):
                if a is None:
                    continue
                twin = compact(cells[other]) if other is not None else ""
                out.records.append(BudgetLine(
                    scheme=scheme or table_scheme, code=code or None, label=label,
                    column=column_for(paths[j]), amount=a, direction=direction,
                    prov=prov_for(table, i, row), cross=twin if CODE.match(twin) else None))
                used = True
        if not used and any(amount(cells[j], unit_mult) for _, _, vs, _ in groups for j in vs):
            out.skipped.append((i, row.raw, "no code or total label for the figures"))
        if used and rate_cols:
            _attach_rate(out.records, i, cells[rate_cols[0]])
    return out


def _names_only(table: Table, unit_mult: int, paths: list[str], width: int) -> Interpretation:
    """Rows named but not coded: one line per row, its 类 code when the name is a national 类 name
    (一般公共服务支出 → 201), else no code — the name is the subject as printed."""
    out = Interpretation()
    values = [j for j in range(1, width) if not _SKIP_COLUMN.match(paths[j].split("/")[-1] or "")
              and not lx.RATE_COLUMN.search(paths[j])]
    cons = column_constraints([paths[j] for j in values])
    direction = direction_of(table)
    scheme = "economic" if recognise_scheme_economic(table) else "function"
    for i, row in enumerate(table.body):
        if is_stub_row(row) or not row.cells:
            continue
        cells = row.texts + [""] * (width - len(row.texts))
        label = compact(cells[0])
        if not label or CODE.match(label):
            continue
        code = None if lx.GRAND_TOTAL_RE.search(label) else _class_of(label)
        placed = realign(table, i, row, [cells[j] for j in values], cons, unit_mult, out)
        for j, a in zip(values, placed):
            if a is not None:
                out.records.append(BudgetLine(scheme=scheme, code=code, label=label, column=column_for(paths[j]),
                                              amount=a, direction=direction, prov=prov_for(table, i, row)))
    return out


def recognise_scheme_economic(table: Table) -> bool:
    names = [compact(r.texts[0]) for r in table.body if r.cells]
    return sum(n in lx.ECONOMIC_CLASSES for n in names) > sum(n in lx.FUNCTION_CLASSES for n in names)


def _attach_rate(records: list, row: int, text: str) -> None:
    """A printed 完成率 goes with the row's executed figures (its 决算数)."""
    m = re.fullmatch(r"\s*([-\d.]+)\s*%?\s*", text or "")
    if not m:
        return
    try:
        rate = Decimal(m.group(1))
    except ArithmeticError:
        return
    for r in reversed(records):
        if r.prov.row != row:
            break
        if r.column.phase == "executed":
            r.rate = rate


def _name_groups(table: Table, paths: list[str], code_cols: list[int]) -> list[str]:
    """Side-by-side groups (人员经费 | 公用经费) printed under the same header: name each
    group's columns after the 合计 row that closes it ("人员经费合计" → 人员经费/决算数)."""
    paths = list(paths)
    for n, c in enumerate(code_cols):
        end = code_cols[n + 1] if n + 1 < len(code_cols) else len(paths)
        label = None
        for r in table.body:
            t = compact(r.texts[c]) if c < len(r.texts) else ""
            m = lx.GROUP_TOTAL_ROW.match(t)
            if m:
                label = m.group(1)
                break
        if label:
            for j in range(c, end):
                if paths[j] and not paths[j].startswith(label):
                    paths[j] = f"{label}/{paths[j].split('/')[-1]}"
    return paths


def _table_scheme(table: Table) -> str:
    """The scheme of a table's rows without a code (its 合计): that of its first code."""
    codes = _code_cells(table)
    return (scheme_of(codes[0]) or "function") if codes else "function"


def unaligned_columns(blob: str) -> tuple[list[str], list[tuple[int, tuple[int, ...]]]]:
    """The columns of a table whose empty cells were lost, from its header words in the
    order the 财政部 templates print them, with the sums that tie them together."""
    b = compact(blob)
    total, subtotal, current, carried = lx.TOTAL, lx.SUBTOTAL, lx.CURRENT_INCOME, lx.CARRIED_OVER_GROUP
    if current in b or (lx.GRAND_TOTAL in b and lx.GENERAL_BUDGET_SHORT in b and lx.GOV_FUND in b):
        sources = [s for s in _SOURCES if s in b]
        cols = [lx.GRAND_TOTAL, f"{current}/{total}"] + [f"{current}/{s}" for s in sources]
        cons: list[tuple[int, tuple[int, ...]]] = [(1, tuple(range(2, 2 + len(sources))))]
        if lx.CARRIED_OVER in b:
            prev = len(cols)
            cols += [f"{carried}/{total}"] + [f"{carried}/{s}" for s in sources]
            cons.append((prev, tuple(range(prev + 1, prev + 1 + len(sources)))))
            cons.append((0, (1, prev)))
        else:
            cons.append((0, (1,)))
        return cols, cons
    basic, project, personnel, office = (lx.MEASURE_WORD[m] for m in ("basic", "project", "personnel", "office"))
    if basic in b and project in b:
        if personnel in b and office in b:
            return ([total, f"{basic}/{subtotal}", f"{basic}/{personnel}", f"{basic}/{office}", project],
                    [(0, (1, 4)), (1, (2, 3))])
        return [total, basic, project], [(0, (1, 2))]
    if personnel in b and office in b:
        return [total, personnel, office], [(0, (1, 2))]
    phases = [p for p in lx.PHASE_COLUMNS if p in b]
    if lx.EXECUTED_COLUMN in phases and len(phases) >= 2:
        # no sum ties these: a row is placed only when it prints every one of them
        return phases, []
    return [total], []


def _unaligned(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    cols, cons = unaligned_columns(table.header_text())
    direction = direction_of(table)
    table_scheme = _table_scheme(table)
    pending: tuple[int, str | None, list[str]] | None = None

    def emit(i: int, code: str | None, label: str, values: list[str]) -> None:
        row = table.body[i]
        amounts = [amount(v, unit_mult) for v in values]
        if any(a is None for a in amounts):
            out.skipped.append((i, row.raw, "unreadable figure"))
            return
        placed = align([a.value for a in amounts], len(cols), cons)   # type: ignore[union-attr]
        if placed is None:
            out.skipped.append((i, row.raw, f"{len(values)} figures cannot be placed in {len(cols)} columns consistently"))
            out.warnings.append(f"table {table.index} {table.title!r} line {row.line}: columns not aligned with confidence")
            return
        slots, certain = placed
        by_value = iter(amounts)
        uncertain = []
        for j, v in enumerate(slots):
            if v is None:
                continue
            a = next(by_value)
            if j not in certain:
                uncertain.append(cols[j])
                continue
            out.records.append(BudgetLine(
                scheme=(scheme_of(code) if code else None) or table_scheme, code=code, label=label,
                column=column_for(cols[j]), amount=a, direction=direction, prov=prov_for(table, i, row)))
        if uncertain:
            out.skipped.append((i, row.raw, "ambiguous column for " + ", ".join(uncertain)))

    for i, row in enumerate(table.body):
        tokens = row.texts
        labels, values = split_label_values(tokens)
        head = compact(labels[0]) if labels else ""
        if CODE.match(head):
            pending = (i, head, labels[1:])
        elif labels and pending is not None and not values:
            pending = (pending[0], pending[1], pending[2] + labels)
            continue
        elif not labels and pending is not None:
            pass
        elif labels and lx.GRAND_TOTAL_RE.search("".join(labels)):
            pending = (i, None, labels)
        elif values:
            out.skipped.append((i, row.raw, "figures without a code"))
            pending = None
            continue
        if values and pending is not None:
            _, code, label_tokens = pending
            emit(i, code, "".join(compact(t) for t in label_tokens), values)
            rate = next((t for t in reversed(tokens) if re.fullmatch(r"[-\d.]+%", t)), None)
            if rate:
                _attach_rate(out.records, i, rate)
            pending = None
    ambiguous = [out_row for out_row in out.skipped if "ambiguous column" in out_row[2]]
    if ambiguous:
        lines = ", ".join(str(table.body[i].line) for i, _, _ in ambiguous[:8])
        out.warnings.append(f"table {table.index} {table.title!r}: {len(ambiguous)} row(s) whose figures fit more than one "
                            f"column (lines {lines}{', …' if len(ambiguous) > 8 else ''}); those figures are not placed")
    return out
