"""The rest of the family, one row one item: 政府采购, 政府购买服务 (with category codes such
as 558E0505), 部门管理专项资金, 机关运行经费, 固定资产占用, 债务, and tables by budget unit
(按单位分类汇总). Only columns that hold money become amounts: a 数量 column never does."""
from __future__ import annotations

import re

from .. import lexicon as lx
from ..model import ItemLine, Table
from ..numbers import is_amount, unit_of
from .base import (Interpretation, column_constraints, column_for, compact, header_paths, is_stub_row,
                   prov_for, realign)

_NOT_MONEY = lx.NOT_MONEY
_ITEM_CODE = re.compile(r"^(\d{3}[A-Z]\d{2,6}|\d{3}(?:\d{2}){0,2}|[A-Z]\d{6,})(?![0-9A-Za-z])")


def recognise(table: Table) -> str | None:
    t = compact(table.title)
    for kind in lx.ITEM_KINDS:
        if kind.titled(t):
            return kind.name
    return None


def interpret(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    kind = recognise(table) or "items"
    if not table.body:
        return out
    width = max(len(r.cells) for r in table.rows)
    if not table.aligned:
        out.skipped.extend((i, r.raw, "columns of this layout are not aligned; no figure placed")
                           for i, r in enumerate(table.body) if any(is_amount(t) for t in r.texts))
        return out
    paths = header_paths(table, width)
    def figures(j: int) -> bool:
        cells = [r.texts[j].strip() for r in table.body if j < len(r.texts) and r.texts[j].strip()]
        return bool(cells) and sum(1 for c in cells if is_amount(c)) >= len(cells) / 2

    money = [j for j, p in enumerate(paths) if not _NOT_MONEY.search(p.split("/")[-1])
             and not _NOT_MONEY.search(p.split("/")[0] if lx.AMOUNT not in p and lx.VALUE not in p else "")
             and (figures(j) or lx.MONEY_HEADER.search(p))
             and not (p and not figures(j) and any(lx.HAN.search(r.texts[j]) for r in table.body
                                                    if j < len(r.texts)))]
    label_cols = [j for j in range(width) if j not in money]
    cons = column_constraints([paths[j] for j in money])
    for i, row in enumerate(table.body):
        if is_stub_row(row):
            continue
        cells = row.texts + [""] * (width - len(row.texts))
        texts = [cells[j].strip() for j in label_cols if cells[j].strip() and not re.fullmatch(r"\d{1,3}", cells[j].strip())]
        item = " ".join(texts) or ""
        codes = []
        for t in texts:
            m = _ITEM_CODE.match(compact(t))
            if m:
                codes.append(m.group(1))
        placed = realign(table, i, row, [cells[j] for j in money], cons, unit_mult, out)
        made = False
        for j, a in zip(money, placed):
            if a is None:
                continue
            own = unit_of(paths[j])          # "价值（金额单位：万元）": the column names its unit
            if own is not None and own != a.unit_mult:
                a = type(a)(printed=a.printed, value=a.value, unit_mult=own)
            out.records.append(ItemLine(kind=kind, item=item, codes=codes, column=column_for(paths[j]), amount=a,
                                        prov=prov_for(table, i, row)))
            made = True
        if not made and any(is_amount(cells[j]) and re.search(r"[.,]", cells[j]) for j in label_cols):
            out.skipped.append((i, row.raw, "figures only in columns that do not hold money (counts, codes)"))
    return out
