"""项目支出表: every project with its unit, description and amounts by fund source."""
from __future__ import annotations

import re

from .. import lexicon as lx
from ..model import ItemLine, Project, Row, Table
from ..numbers import tidy_prose
from .base import Interpretation, amount, column_for, compact, header_paths, is_stub_row, prov_for, split_label_values

_DESC = lx.PROJECT_DESCRIPTION
_NUMBERING = re.compile(r"[*\d]+")


def recognise(table: Table) -> str | None:
    t, h = compact(table.title), compact(table.header_text())
    if lx.PROJECTS_KIND.titled(t) and lx.PROJECTS_KIND.header.search(h):
        return "projects"
    return None


def interpret(table: Table, unit_mult: int) -> Interpretation:
    return _aligned(table, unit_mult) if table.aligned else _unaligned(table, unit_mult)


def _aligned(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    # a row of column numbers under the header ("**", "1", "2" …) is no part of a label
    paths = ["/".join(x for x in p.split("/") if not _NUMBERING.fullmatch(x)) for p in header_paths(table, width)]
    leaves = [p.split("/")[-1] for p in paths]
    name_col = next((j for j, l in enumerate(leaves) if lx.PROJECT_COLUMN.search(l)), None)
    if name_col is None:
        out.warnings.append(f"table {table.index} {table.title!r}: no {lx.PROJECT_NAME} column")
        return out
    unit_col = next((j for j, l in enumerate(leaves[:name_col]) if any(w in l for w in lx.UNIT_COLUMN_WORDS)), None)
    desc_col = next((j for j, l in enumerate(leaves) if _DESC.search(l)), None)
    first_value = max(j for j in (name_col, unit_col) if j is not None) + 1
    value_cols = [j for j in range(first_value, width) if j != desc_col and not lx.NOT_MONEY.search(leaves[j])]
    unit: str | None = None
    current: Project | None = None
    for i, row in enumerate(table.body):
        if is_stub_row(row):
            continue
        cells = row.texts + [""] * (width - len(row.texts))
        name = cells[name_col].strip()
        desc = cells[desc_col].strip() if desc_col is not None else ""
        unit_cell = cells[unit_col].strip() if unit_col is not None else ""
        amounts = [(column_for(paths[j]), amount(cells[j], unit_mult)) for j in value_cols]
        amounts = [(c, a) for c, a in amounts if a is not None]
        if lx.GRAND_TOTAL_RE.fullmatch(compact(name + desc + unit_cell)):
            if amounts and out.total is None:
                out.total = (amounts[0][1], prov_for(table, i, row))
            continue
        if name and amounts and desc_col is not None and not desc and _opens_group(table.body, i, name_col, desc_col):
            # a spending unit's (or category's) subtotal above its projects
            unit, current = name, None
            for col, a in amounts:
                out.records.append(ItemLine(kind="by-unit", item=name, codes=[], column=col, amount=a,
                                            prov=prov_for(table, i, row)))
            continue
        if name:
            current = Project(name=name, unit=unit_cell or unit, description=tidy_prose(desc), amounts=amounts,
                              prov=prov_for(table, i, row))
            out.records.append(current)
        elif unit_cell:
            unit, current = unit_cell, None
        elif desc and not amounts and current is not None:
            current.description = tidy_prose(current.description + desc)   # a wrapped cell continued
        elif amounts:
            out.skipped.append((i, row.raw, "figures without a project name"))
    return out


def _opens_group(body: list[Row], i: int, name_col: int, desc_col: int) -> bool:
    """Whether a named row without description is followed by named rows with one (its projects)."""
    for row in body[i + 1:i + 3]:
        cells = row.texts + [""] * (max(name_col, desc_col) + 1 - len(row.texts))
        if cells[name_col].strip():
            return bool(cells[desc_col].strip())
    return False


def _unaligned(table: Table, unit_mult: int) -> Interpretation:
    """pdftotext layout: a project is its name chunk, its description chunk(s),
    then its figures; a unit is a lone name followed by figures."""
    out = Interpretation()
    known_units = {compact(m.split(lx.FULLWIDTH_COLON, 1)[1]) for m in table.meta
                   if m.startswith(lx.UNIT_NAME) and lx.FULLWIDTH_COLON in m}
    known_units = {lx.UNIT_NAME_TAIL.split(u)[0] for u in known_units}
    pending: list[tuple[int, str]] = []
    unit: str | None = None
    for i, row in enumerate(table.body):
        labels, values = split_label_values(row.texts)
        text = row.raw
        if values:
            text = re.sub(r"(\s+[-\d,.]+)+\s*$", "", text).strip()
            if labels and text:
                pending.append((i, text))
            parts = [t for _, t in pending]
            start = pending[0][0] if pending else i
            pending = []
            if not parts or lx.GRAND_TOTAL_RE.fullmatch(compact(parts[0])):
                a = amount(values[0], unit_mult)
                if parts and a is not None and out.total is None:
                    out.total = (a, prov_for(table, i, row))
                continue
            if len(parts) == 1 and (compact(parts[0]) in known_units or lx.UNIT_SUFFIX.search(compact(parts[0]))):
                unit = compact(parts[0])
                continue
            name = compact(parts[0])
            desc = tidy_prose("".join(p.strip() for p in parts[1:]))
            a = amount(values[0], unit_mult)
            amounts = [(column_for(lx.GRAND_TOTAL), a)] if a is not None else []
            if len(values) > 1:
                out.skipped.append((i, row.raw, f"{len(values) - 1} fund-source figure(s) without a certain column"))
            out.records.append(Project(name=name, unit=unit, description=desc, amounts=amounts,
                                       prov=prov_for(table, start, table.body[start])))
        else:
            pending.append((i, text))
    return out
