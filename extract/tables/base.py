"""What every table interpreter needs: header paths, column measures, amounts with
provenance, and the arithmetic that places the numbers of an unaligned row."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .. import lexicon as lx
from ..model import Amount, Column, Provenance, Row, Table
from ..numbers import clean_text, is_amount, parse_amount

CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    return _SPACES.sub("", clean_text(text))


@dataclass
class Interpretation:
    records: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row index, raw, reason)
    total: tuple | None = None     # (Amount, Provenance) of the table's printed 合计 row, when it has one


def is_stub_row(row: Row) -> bool:
    return compact(row.raw).startswith(lx.STUB)


def header_paths(table: Table, width: int) -> list[str]:
    """Column labels of an aligned table: header rows stacked top-down, a parent
    label spanning the empty cells to its right (merged cells)."""
    rows = [r.texts for r in table.header if not is_stub_row(r)]
    if not rows:
        return [""] * width
    widest = max(rows, key=len)
    collapsed = table.layout == "cell-per-line"
    fixed: list[list[str]] = []
    standalone: list[bool] = []
    for cells in rows:
        cells = list(cells)
        if len(cells) < width:
            # a merged "…科目" cell printed once above the code and name columns
            for i, t in enumerate(cells):
                if (lx.SUBJECT_HEADER.search(compact(t)) and any(
                        len(o) > i + 1 and lx.CODE_HEADER in compact(o[i]) and lx.NAME_HEADER in compact(o[i + 1])
                        for o in rows)
                        and (i + 1 < len(cells) and compact(cells[i + 1]))):
                    cells.insert(i + 1, "")
                    break
        standalone.append(collapsed and len(cells) < width and len(cells) < len(widest))
        fixed.append(cells + [""] * (width - len(cells)))
    paths: list[list[str]] = [[] for _ in range(width)]
    starts: set[int] = set()          # columns where a label of an upper row begins a group
    for depth, cells in enumerate(fixed):
        below = fixed[depth + 1:]
        current = ""
        for j in range(width):
            if j in starts and not compact(cells[j]):
                current = ""             # a parent never spans across the start of another group
            t = compact(cells[j])
            if t and standalone[depth] and any(compact(r[j]) for r in below):
                continue     # a merged parent printed once: its span is unknown, keep the leaves
            if t:
                current = t
            elif current and not standalone[depth] and below and any(compact(r[j]) for r in below):
                t = current      # an empty cell under a merged parent: the parent spans it
            else:
                current = ""
            if t and (not paths[j] or paths[j][-1] != t):
                paths[j].append(t)
        starts |= {j for j in range(width) if compact(cells[j])}
    return ["/".join(p) for p in paths]


def measure_of(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    leaf = parts[-1] if parts else ""
    parent = "/".join(parts[:-1])
    for word, measure in lx.MEASURES.items():
        if word in leaf or (measure in lx.GROUP_MEASURES and leaf in lx.GROUP_TOTAL_LEAVES and word in parent):
            return measure
    if lx.TOTAL_COLUMN.search(leaf) or lx.TOTAL_COLUMN_PATH.search(parent + leaf):
        return "total"
    return "other"


def phase_of(path: str) -> str | None:
    p = compact(path)
    if any(w in p for w in lx.EXECUTED_MARKS):
        return "executed"
    if lx.BUDGET in p and any(w in p for w in lx.APPROVED_MARKS):
        return "approved"
    return None


def column_for(path: str) -> Column:
    return Column(label=path, measure=measure_of(path), phase=phase_of(path))


def prov_for(table: Table, i: int, row: Row) -> Provenance:
    return Provenance(table=table.index, table_title=table.title, row=i, raw=row.raw,
                      line=row.line, page=row.page)


def amount(text: str, unit_mult: int) -> Amount | None:
    """An Amount for a printed cell; None when empty or not a number."""
    own = lx.CELL_UNIT.match(clean_text(text).strip())
    if own:             # 12.5万 in a cell: its own unit, not the table's
        v = amount(own.group(1), 0)
        return None if v is None else Amount(printed=clean_text(text), value=v.value,
                                             unit_mult=lx.UNIT_MULT_WORDS[own.group(2)])
    try:
        v = parse_amount(text)
    except ValueError:
        return None
    if v is None:
        return None
    return Amount(printed=clean_text(text), value=v, unit_mult=unit_mult)


# ------------------------------------------------------------ arithmetic alignment

Constraint = tuple[int, tuple[int, ...]]   # column == sum(columns)


def _ok(slots: list[Decimal | None], constraints: list[Constraint], tol: Decimal) -> bool:
    for whole, parts in constraints:
        w = slots[whole] or Decimal(0)
        s = sum((slots[p] or Decimal(0) for p in parts), Decimal(0))
        if abs(w - s) > tol * max(1, len(parts)):
            return False
        # an empty whole with figures in its parts is not a consistent reading
        if slots[whole] is None and any(slots[p] is not None for p in parts):
            return False
    return True


def _shift_cost(pos: tuple[int, ...], printed: list[int]) -> int:
    """How far a placement is from the print: a converter shifts runs of cells by the same
    offset, so each change of offset costs more than the offsets themselves."""
    d = [a - b for a, b in zip(pos, printed)]
    changes = sum(1 for x, y in zip(d, d[1:]) if x != y)
    return 10 * changes + sum(abs(x) for x in d)


def align(values: list[Decimal], width: int, constraints: list[Constraint],
          tol: Decimal = Decimal("0.01"), limit: int = 200_000,
          printed_at: list[int] | None = None) -> tuple[list[Decimal | None], set[int]] | None:
    """Place `values` (in printed order, empties lost) into `width` columns so that
    every constraint holds. Returns the slots and the set of columns whose value
    (or emptiness) is the same in every consistent placement; None when no
    placement is consistent or the search is too large to be trusted."""
    k = len(values)
    if k > width:
        return None
    if k == width:
        slots = list(values)
        return (slots, set(range(width))) if _ok(slots, constraints, tol) else None
    n = 1
    for i in range(k):
        n = n * (width - i) // (i + 1)
    if n > limit:
        return None
    found: list[list[Decimal | None]] = []
    cost: list[int] = []
    for pos in itertools.combinations(range(width), k):
        slots: list[Decimal | None] = [None] * width
        for p, v in zip(pos, values):
            slots[p] = v
        if _ok(slots, constraints, tol):
            found.append(slots)
            cost.append(_shift_cost(pos, printed_at) if printed_at else 0)
    if not found:
        return None
    if printed_at:
        # where the cells kept positions, the consistent reading nearest the print wins
        best = min(cost)
        found = [f for f, c in zip(found, cost) if c == best]
    certain = {j for j in range(width) if all(f[j] == found[0][j] for f in found)}
    return found[0], certain


def split_label_values(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Leading text tokens and the trailing run of amounts of an unaligned row (a trailing
    rate such as 完成率 96.85% is set aside: it is not an amount)."""
    end = len(tokens)
    while end > 0 and re.fullmatch(r"[-\d.]+%", tokens[end - 1].replace(" ", "")):
        end -= 1
    i = end
    while i > 0 and is_amount(tokens[i - 1]):
        i -= 1
    return tokens[:i], tokens[i:end]


def column_group(label: str) -> tuple[str, str]:
    """Columns that add up together: the same budget phase and the same year
    (a 决算 table may print 年初预算数 beside 决算数, a 三公 table 2019 beside 2020)."""
    year = re.search(r"20\d\d", label)
    return phase_of(label) or "", year.group(0) if year else ""


def column_constraints(paths: list[str]) -> list[Constraint]:
    """The sums that tie a table's amount columns together, read from their headers:
    合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费 (or Σ of its breakdown), …
    within each group of columns of one phase and year."""
    groups: dict[tuple[str, str], list[int]] = {}
    for j, p in enumerate(paths):
        groups.setdefault(column_group(p), []).append(j)
    cons: list[Constraint] = []
    for cols in groups.values():
        for whole, parts in _group_constraints([paths[j] for j in cols]):
            cons.append((cols[whole], tuple(cols[k] for k in parts)))
    return cons


def _group_constraints(paths: list[str]) -> list[Constraint]:
    measures = [measure_of(p) for p in paths]
    parents = ["/".join(p.split("/")[:-1]) for p in paths]

    def first(m: str) -> int | None:
        return next((j for j, x in enumerate(measures) if x == m), None)

    t, b, pr = first("total"), first("basic"), first("project")
    cons: list[Constraint] = []
    if t is not None and b is not None and pr is not None:
        cons.append((t, (b, pr)))
    pers, off = first("personnel"), first("office")
    if pers is not None and off is not None:
        whole = b if b is not None else t
        if whole is not None:
            cons.append((whole, (pers, off)))
    for sub, word in ((b, lx.MEASURE_WORD["basic"]), (pr, lx.MEASURE_WORD["project"])):
        if sub is None:
            continue
        kids = tuple(j for j, (m, par) in enumerate(zip(measures, parents)) if m == "other" and word in par)
        if kids:
            cons.append((sub, kids))
    return cons


def realign(table: Table, i: int, row: Row, texts: list[str], cons: list, unit_mult: int, out: Interpretation) -> list:
    """The row's amounts by column. When the printed positions break the column sums but
    one placement of the same figures satisfies them (a converter shifted the cells), that
    placement is used and noted; when several do, only the columns they agree on are kept."""
    amounts = [amount(t, unit_mult) for t in texts]
    if not cons:
        return amounts
    slots = [a.value if a else None for a in amounts]
    if _ok(slots, cons, Decimal("0.01")):
        return amounts
    present = [a for a in amounts if a is not None]
    placed = align([a.value for a in present], len(texts), cons,
                   printed_at=[j for j, a in enumerate(amounts) if a is not None])
    if placed is None:
        return amounts          # no reading satisfies the sums: keep the print; the checks will say so
    new_slots, certain = placed
    # a breakdown column (one of three or more parts of a sum) is not pinned by the sums
    loose = {p for _, parts in cons if len(parts) > 2 for p in parts}
    it = iter(present)
    result: list = []
    for j, v in enumerate(new_slots):
        a = next(it) if v is not None else None
        result.append(a if j in certain and j not in loose else None)
    dropped = sum(1 for j, v in enumerate(new_slots) if v is not None and (j not in certain or j in loose))
    out.warnings.append(f"table {table.index} {table.title!r} line {row.line}: cells realigned by the column sums")
    out.skipped.append((i, row.raw, "cells realigned by the column sums"
                        + (f"; {dropped} figure(s) without a certain column" if dropped else "")))
    return result
