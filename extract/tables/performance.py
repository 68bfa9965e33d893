"""绩效 tables: performance targets (部门整体/项目绩效目标表) and self-evaluations
(绩效自评表). Each indicator keeps its 一级/二级/三级 names, operator, target, unit,
deadline, and for 自评 the actual value, completion, weight and score."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import lexicon as lx
from ..model import Indicator, ItemLine, PerformanceProject, Project, Row, Table
from ..numbers import clean_text, halfwidth, is_amount
from .base import Interpretation, amount, column_for, compact, header_paths, prov_for

OPS = lx.OPERATORS
LEVEL1 = lx.LEVEL1
LEVEL2 = lx.LEVEL2
_UNAMBIGUOUS_L1 = lx.UNAMBIGUOUS_LEVEL1
DEADLINE = lx.DEADLINE
_VALUE = lx.TARGET_VALUE


def recognise(table: Table) -> str | None:
    t = compact(table.title)
    if _named_columns(table) is not None and not _packed_columns(table):
        return "performance-named"
    if lx.PERFORMANCE_KIND.titled(t):
        h = compact(table.header_text())
        if lx.PERFORMANCE_KIND.header.search(h) or _packed_columns(table) is not None or _goal_rows(table):
            return "performance-wide"
        return "performance"
    h = compact(table.header_text())
    if lx.LEVEL1_HEADER in h and lx.LEVEL3_HEADER in h:
        return "performance"     # an indicator grid whose title the converter lost
    return None


def _named_columns(table: Table) -> dict[str, int] | None:
    """The columns of a grid of named indicators without levels (指标名称 | 指标性质 | 指标值 …);
    `cols["at"]` is the row that prints them."""
    for at, r in enumerate(table.rows[:6]):
        cells = [compact(t) for t in r.texts]
        cols = {}
        for key, word in lx.NAMED_GRID.items():
            if key == "money":
                j = next((j for j, c in enumerate(cells) if word.search(c) and lx.NAMED_GRID["value"] not in c), None)
            else:
                j = next((j for j, c in enumerate(cells) if c.startswith(word)), None)
            if j is not None:
                cols[key] = j
        if "name" in cols and "value" in cols and lx.LEVEL1_HEADER not in "".join(cells):
            cols["at"] = at
            return cols
    return None


def _named(table: Table, unit_mult: int) -> Interpretation:
    """One indicator per row; a row naming a project (with its money and goal) starts that
    project's block, a grid with no project column is the department's own (部门整体)."""
    out = Interpretation()
    cols = _named_columns(table)
    kind = "self-evaluation" if lx.SELF_EVALUATION_TITLE.search(table.title) else "target"
    at = cols.pop("at")
    rows = table.rows[at + 1:]
    head = table.rows[at].texts
    dept = PerformanceProject(name=lx.DEPARTMENT_WHOLE, kind=kind, scope="department",
                              prov=prov_for(table, 0, rows[0]) if rows else None)
    project: PerformanceProject | None = None if "project" in cols else dept
    if project is dept:
        out.records.append(dept)

    def cell(texts: list[str], key: str) -> str:
        j = cols.get(key)
        return clean_text(texts[j]).strip() if j is not None and j < len(texts) else ""

    for row in rows:
        i = table.body.index(row) if row in table.body else None
        texts = row.texts
        pname = cell(texts, "project")
        if pname and "project" in cols:
            money = amount(cell(texts, "money"), unit_mult) if "money" in cols else None
            project = PerformanceProject(name=pname, kind=kind, scope="project", budget=money,
                                         goal=cell(texts, "goal") or None, prov=prov_for(table, i, row))
            out.records.append(project)
            if money is not None:
                j = cols["money"]
                out.records.append(Project(name=pname, unit=None, description=project.goal or "",
                                           amounts=[(column_for(compact(head[j]) if j < len(head) else lx.AMOUNT),
                                                     money)],
                                           prov=prov_for(table, i, row)))
        name, value = cell(texts, "name"), cell(texts, "value")
        if project is None or not name or not value:
            continue
        op = cell(texts, "operator")
        out.records.append(Indicator(project=project.name, level1=None, level2=None, name=name,
                                     operator=OPS.get(op),
                                     target=value, target_value=_num(value), unit=cell(texts, "unit") or None,
                                     weight=_num(cell(texts, "weight")), kind=kind, prov=prov_for(table, i, row)))
    return out


def _goal_rows(table: Table) -> bool:
    """项目名称 | 金额 | 绩效目标 printed as column headers: one row per project, no indicator grid."""
    for r in table.header:
        cells = [compact(t) for t in r.texts]
        if any(c.endswith(lx.PROJECT_NAME) for c in cells) and any(lx.GOAL_COLUMN.match(c) for c in cells) \
                and any(c.endswith(lx.WIDE_AMOUNT) for c in cells) and lx.LEVEL1_HEADER not in "".join(cells):
            return True
    return False


def _packed_columns(table: Table) -> tuple[int, int, int | None] | None:
    """(name column, packed-indicator column, goal column) of a 项目支出绩效目标表 printed one row
    per project with all its indicators in one cell; None for any other layout."""
    if not table.header or not table.aligned:
        return None
    leaves = [compact(t) for r in table.header for t in r.texts]
    if any(lx.LEVEL1_HEADER in x for x in leaves):
        return None
    width = max(len(r.cells) for r in table.rows)
    paths = [p.split("/")[-1] for p in header_paths(table, width)]
    name = next((j for j, p in enumerate(paths) if lx.PROJECT_NAME in p), None)
    packed = next((j for j, p in enumerate(paths) if lx.PACKED_INDICATOR_COLUMN.search(p)), None)
    if name is None or packed is None:
        return None
    goal = next((j for j, p in enumerate(paths) if j != packed and p.startswith(lx.WIDE_GOAL)), None)
    return name, packed, goal


def packed_indicators(text: str) -> list[tuple[str, str, str, str]]:
    """"1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…"
    → [(一级, 二级, name, 年度指标值), …]; entries that do not parse are left out."""
    t = clean_text(text).replace("\n", "")
    starts = [m.start() for m in lx.PACKED_ENTRY_START.finditer(t)] + [len(t)]
    out = []
    for a, b in zip(starts, starts[1:]):
        entry = lx.PACKED_ENTRY_START.sub("", t[a:b], count=1).strip()
        m = lx.PACKED_ENTRY.match(entry)
        if m:
            out.append((compact(m["l1"]), compact(m["l2"]), m["name"].strip(), m["target"].strip()))
    return out


def split_value(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """"≥95%" → ("≥", 95, "%"); "1辆" → (None, 1, "辆"); "是/否" → (None, None, None)."""
    t = halfwidth(clean_text(text)).replace(" ", "")
    m = _VALUE.match(t)
    if not m:
        return None, None, None
    op, num, unit = m.groups()
    try:
        value = Decimal(num)
    except InvalidOperation:
        return None, None, None
    return (OPS.get(op) if op else None), value, (unit or None)


_EMBEDDED = lx.EMBEDDED_TARGET


def embedded_target(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """A percentage target inside a sentence: "企业满意度达95%以上" → ("≥", 95, "%")."""
    m = _EMBEDDED.search(halfwidth(clean_text(text)))
    if not m:
        return None, None, None
    op, num, _, tail = m.groups()
    if tail and lx.AT_MOST_WORD in tail:
        op = "≤"
    elif tail or op in lx.AT_LEAST_WORDS:
        op = "≥"
    return OPS.get(op or "", None) if op not in lx.REACHES_WORDS else None, Decimal(num), "%"


def _num(text: str | None) -> Decimal | None:
    if not text:
        return None
    t = halfwidth(clean_text(text)).replace(" ", "").rstrip("%")
    try:
        return Decimal(t) if re.fullmatch(r"[-+]?\d+(\.\d+)?", t) else None
    except InvalidOperation:
        return None


def _is_unit(text: str) -> bool:
    t = compact(text)
    return 0 < len(t) <= 4 and not re.search(r"\d", t) and t not in OPS


def _label_after(texts: list[str], pattern: str) -> str | None:
    """The first non-empty cell after a cell matching `pattern` ("项目(政策)名称", "实施单位")."""
    for j, t in enumerate(texts):
        if re.search(pattern, compact(t)):
            rest = [x for x in texts[j + 1:] if x.strip()]
            return rest[0].strip() if rest else None
    return None


def interpret(table: Table, unit_mult: int) -> Interpretation:
    if recognise(table) == "performance-named":
        return _named(table, unit_mult)
    if recognise(table) == "performance-wide":
        cols = _packed_columns(table)
        if cols is not None:
            return _packed(table, unit_mult, *cols)
        return _wide(table, unit_mult)
    return _long(table, unit_mult)




def _project_of(table: Table, rows: list[Row], kind: str) -> PerformanceProject:
    texts_rows = [r.texts for r in rows]
    name = None
    scope = "project"
    for texts in texts_rows:
        name = name or _label_after(texts, lx.PROJECT_NAME_LABEL)
    whole = name is None and bool(lx.WHOLE_DEPARTMENT_TITLE.search(compact(table.title)))
    if name is None:
        for texts in texts_rows:
            dept = _label_after(texts, lx.DEPARTMENT_NAME_LABEL) or \
                (_label_after(texts, lx.WHOLE_DEPARTMENT_LABEL) if whole else None)
            if dept:
                name, scope = re.sub(r"^\d+|-\d+$", "", dept.replace(" ", "")), "department"
                break
    if name is None and whole:
        # a 部门整体 form that prints no name beside a label: the department's own all the same
        name, scope = lx.DEPARTMENT_WHOLE, "department"
    if name is None:
        # "1、车辆保险费绩效目标表": the project names the table
        name = lx.TITLE_NUMBERING.sub("", table.title)
        name = lx.PERFORMANCE_TITLE_TAIL.sub("", name) or table.title
    p = PerformanceProject(name=name.strip(), kind=kind, scope=scope, prov=prov_for(table, 0, rows[0]) if rows else None)
    for k, texts in enumerate(texts_rows):
        joined = compact("".join(texts))
        if p.unit is None and _label_after(texts, lx.IMPLEMENTING_UNIT_LABEL):
            p.unit = re.sub(r"[-—]\s*\d*$", "", _label_after(texts, lx.IMPLEMENTING_UNIT_LABEL)).strip()
        if lx.GOAL_HEADING.search(joined) and k + 1 < len(texts_rows):
            long = [t.strip() for t in texts_rows[k + 1] if len(t.strip()) > 8]
            p.goal = long[0] if long else None
            p.achieved = long[1] if len(long) > 1 else None
        if lx.BUDGET_ROW.search(joined) and p.budget is None:
            unit = 4 if lx.TEN_THOUSAND_YUAN in joined or unit_mult_default(table) == 4 else unit_mult_default(table)
            figures = [t for t in texts if is_amount(t)]
            if figures:
                p.budget = amount(figures[0], unit)
                if len(figures) > 1 and lx.EXECUTED_FIGURE in joined:
                    p.executed = amount(figures[1], unit)
        m = lx.EXECUTION_RATE.search(joined)
        if m:
            p.rate = m.group(1)
        m = lx.TOTAL_SCORE.search(joined)
        if m:
            p.score = m.group(2)
    return p


def unit_mult_default(table: Table) -> int:
    return table.unit_mult if table.unit_mult is not None else 4


_CODE_LINE = re.compile(r"^\s*([0-9A-Z]{10,})\s+(?=\S)")
"""A project code printed before the name in the same cell ("11000024T0000028722 09-…")."""


def _project_columns(table: Table, rows: list[Row], header_at: int):
    """(name column, [(column, Column)], goal column) when the indicator grid also prints one
    project per block of rows (项目名称 | 项目总额 | 其中 … | 绩效目标 | 一级指标 …); else None."""
    band = [r for r in rows[max(0, header_at - 2):header_at + 1]]
    width = max(len(r.cells) for r in table.rows)
    if all(r in table.header for r in band):
        paths = header_paths(table, width)
    else:
        paths = [compact(t) for t in rows[header_at].texts] + [""] * width
    leaves = [p.split("/") for p in paths]
    name_col = next((j for j, p in enumerate(leaves) if any(lx.PROJECT_COLUMN.search(x) for x in p)), None)
    if name_col is None:
        return None
    stop = next((j for j, p in enumerate(leaves) if j > name_col and (
        any(lx.GOAL_COLUMN.match(x) or lx.LEVEL1_HEADER in x for x in p))), width)
    goal_col = stop if stop < width and any(lx.GOAL_COLUMN.match(x) for x in leaves[stop]) else None
    money = [(j, column_for(paths[j])) for j in range(name_col + 1, stop) if lx.MONEY_HEADER.search(paths[j])
             or lx.PROJECT_FUND_LINE.search(paths[j])]
    return name_col, money, goal_col


def _shift(cells: list[str], c1: int) -> list[str]:
    """Put a row's cells back under their header when the converter dropped or added a leading cell."""
    for j, t in enumerate(cells[:c1 + 3]):
        if LEVEL1.match(compact(t)) and (j + 1 < len(cells) and LEVEL2.search(compact(cells[j + 1])) or
                                         _UNAMBIGUOUS_L1.match(compact(t))):
            return [""] * (c1 - j) + cells if j < c1 else cells[j - c1:]
    return cells


def _fund_lines(rows: list[Row], unit: int) -> list:
    """The amount lines of a form's 项目资金 block: (Column, Amount) by printed label."""
    out = []
    for r in rows:
        texts = [t for t in r.texts if t.strip()]
        for k, t in enumerate(texts):
            label = compact(t).split(lx.FULLWIDTH_COLON)[-1].rstrip(":")
            m = lx.PROJECT_FUND_LINE.search(label)
            if m and k + 1 < len(texts) and is_amount(texts[k + 1]):
                a = amount(texts[k + 1], unit)
                if a is not None:
                    out.append((column_for(label), a))
    return out


def _long(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    kind = "self-evaluation" if lx.SELF_EVALUATION_TITLE.search(table.title) else "target"
    rows = table.rows
    header_at = next((i for i, r in enumerate(rows) if lx.LEVEL1_HEADER in compact("".join(r.texts))), None)
    header: list[str] | None = None
    if header_at is None:
        # a grid continued from the previous page without its header: its first indicator row
        # (一级 name beside a 二级 name) places the columns
        for k, r in enumerate(rows):
            cells = [compact(t) for t in r.texts]
            j = next((j for j in range(len(cells) - 2) if LEVEL1.match(cells[j]) and LEVEL2.search(cells[j + 1])), None)
            if j is not None:
                header = [""] * len(cells)
                header[j:j + 3] = [lx.LEVEL1_HEADER, lx.PERFORMANCE_HEADERS["level2"], lx.LEVEL3_HEADER]
                header_at = k - 1
                break
    if header_at is None:
        out.warnings.append(f"table {table.index} {table.title!r}: no {lx.LEVEL1_HEADER} header")
        return out
    goal_rows = rows[:max(header_at, 0)]
    project = _project_of(table, goal_rows, kind)
    for r in goal_rows:
        texts = [t for t in r.texts if t.strip()]
        if project.goal is None and texts and len(texts) > 1 and \
                lx.GOAL_LABEL.match(compact(texts[0])) and len(texts[1]) > 4:
            project.goal = " ".join(texts[1:])
    header = header or rows[header_at].texts
    has_actual = any(lx.ACTUAL_HEADER in compact(t) for r in rows[header_at:header_at + 2] for t in r.texts)
    desc_col = next((j for j, t in enumerate(header) if lx.DESCRIPTION_HEADER in t), None)
    pcols = _project_columns(table, rows, header_at) if header_at >= 0 else None
    c1 = next((j for j, h in enumerate(header) if compact(h) == lx.LEVEL1_HEADER), 0)
    emitted = pcols is None
    if pcols is None:
        funds = _fund_lines(goal_rows, unit_mult_default(table))
        if funds:
            out.records.append(Project(name=project.name, unit=project.unit, description=project.goal or "",
                                       amounts=funds, prov=project.prov or prov_for(table, 0, rows[0])))
        out.records.append(project)
    l1 = l2 = None
    pending: list[str] = []
    unit_name: str | None = None
    current: Project | None = None
    for n, row in enumerate(rows[header_at + 1:]):
        texts = [clean_text(t) for t in row.texts]
        joined = compact("".join(texts))
        i = table.body.index(row) if row in table.body else n
        if not joined or lx.HEADER_CONTINUATION.match(joined):
            continue
        m = lx.TOTAL_SCORE.search(joined)
        if m or lx.SCORE_SUBTOTAL in joined:
            if m:
                project.score = m.group(2)
            continue
        if pcols is not None and row.aligned:
            name_col, money, goal_col = pcols
            texts = _shift(texts, c1)
            cells = texts + [""] * (max(name_col, goal_col or 0, c1) + 1 - len(texts))
            pname = clean_text(cells[name_col]).replace("\n", "").strip()
            pname = _CODE_LINE.sub("", pname)
            goal = cells[goal_col].strip() if goal_col is not None else ""
            amounts = [(c, amount(cells[j], unit_mult)) for j, c in money if j < len(cells)]
            amounts = [(c, a) for c, a in amounts if a is not None]
            levels = any(compact(t) for t in cells[c1:c1 + 3])
            if lx.GRAND_TOTAL_RE.fullmatch(compact("".join(cells[:name_col + 1]))):
                if amounts and out.total is None:
                    out.total = (amounts[0][1], prov_for(table, i, row))
                for col, a in amounts:
                    out.records.append(ItemLine(kind="by-unit", item=compact("".join(cells[:name_col + 1])),
                                                codes=[], column=col, amount=a, prov=prov_for(table, i, row)))
                continue
            if pname and amounts and not goal and not levels:
                unit_name = pname
                for col, a in amounts:
                    out.records.append(ItemLine(kind="by-unit", item=pname, codes=[], column=col, amount=a,
                                                prov=prov_for(table, i, row)))
                continue
            if pname and (current is None or compact(pname) != compact(current.name)):
                prov = prov_for(table, i, row)
                total = next((a for c, a in amounts if c.measure == "total"), amounts[0][1] if amounts else None)
                current = Project(name=pname, unit=unit_name, description=goal, amounts=amounts, prov=prov)
                project = PerformanceProject(name=pname, kind=kind, scope="project", unit=unit_name, budget=total,
                                             goal=goal or None, prov=prov)
                out.records.extend([current, project])
                emitted, l1, l2 = True, None, None
            elif goal and current is not None and goal not in current.description:
                current.description += goal
                project.goal = current.description
        if not emitted:
            out.records.append(project)
            emitted = True
        if row.aligned:
            ind = _aligned_indicator(texts, header, desc_col, has_actual, kind)
        else:
            ind, pending = _spaced_indicator(texts, pending, has_actual, kind)
        if ind is None:
            continue
        a1, a2, name, fields = ind
        if a1:
            l1, l2 = a1, (a2 or None)
        elif a2:
            l2 = a2
        if not name:
            continue
        out.records.append(Indicator(project=project.name, level1=l1, level2=l2, name=name, kind=kind,
                                     prov=prov_for(table, i, row), **fields))
    return out


def _tail_fields(tail: list[str], has_actual: bool, kind: str) -> dict:
    """op?, target, unit?, [actual], [degree], [weight], [score], reasons… — or deadline for targets."""
    t = [x for x in tail if x.strip()]
    f: dict = {"operator": None, "target": "", "target_value": None, "unit": None}
    if t and t[0].replace(" ", "") in OPS:
        f["operator"] = OPS[t.pop(0).replace(" ", "")]
    if not t:
        return f
    target = t.pop(0)
    op, value, unit = split_value(target)
    f["target"] = target
    if value is not None and (unit is None or op is not None):
        f["operator"] = f["operator"] or op
        f["target_value"] = value
        f["unit"] = unit
    elif value is not None and op is None and unit and len(unit) <= 4:
        f["target_value"], f["unit"] = value, unit
    if t and f["unit"] is None and _is_unit(t[0]) and not DEADLINE.match(t[0]):
        f["unit"] = t.pop(0)
    if t and DEADLINE.match(t[-1].replace(" ", "")) and not has_actual:
        f["deadline"] = t.pop()
    if has_actual and t:
        f["actual"] = t.pop(0)
        if t and (re.search(r"%$", t[0]) or _num(t[0]) is not None):
            f["degree"] = t.pop(0)
        if t and _num(t[0]) is not None:
            f["weight"] = _num(t.pop(0))
        if t and _num(t[0]) is not None:
            f["score"] = _num(t.pop(0))
        if t:
            f["reason"] = " ".join(t)
    return f


def _aligned_indicator(texts: list[str], header: list[str], desc_col: int | None, has_actual: bool, kind: str):
    hdr = [compact(h) for h in header]
    c1 = next((j for j, h in enumerate(hdr) if h == lx.LEVEL1_HEADER), 0)
    # the 二级 column as headed: a 一级 cell merged over two grid columns (a form whose upper part
    # is ruled finer) puts it two columns on, not one
    c2 = next((j for j, h in enumerate(hdr) if j > c1 and h == lx.PERFORMANCE_HEADERS["level2"]), c1 + 1)
    c3 = next((j for j, h in enumerate(hdr) if h == lx.LEVEL3_HEADER), c2 + 1)
    if c3 <= c2:
        c2 = c1 + 1
    gap = c2 - c1
    cells = list(texts)
    # a converter dropped or added a leading cell: put a level name back under its column
    k1 = next((j for j, t in enumerate(cells[:c1 + 3]) if _UNAMBIGUOUS_L1.match(compact(t)) or (
        LEVEL1.match(compact(t)) and j + gap < len(cells) and LEVEL2.search(compact(cells[j + gap])))), None)
    if k1 is not None and k1 != c1:
        cells = [""] * (c1 - k1) + cells if k1 < c1 else cells[k1 - c1:]
    elif k1 is None:
        k2 = next((j for j, t in enumerate(cells[:c2 + 2]) if LEVEL2.search(compact(t)) and compact(t)), None)
        if k2 is not None and k2 != c2 and compact(cells[k2]) not in ("",):
            cells = [""] * (c2 - k2) + cells if k2 < c2 else cells[k2 - c2:]
    cells += [""] * (len(hdr) + 2 - len(cells))
    a1, a2, name = compact(cells[c1]), compact(cells[c2]), cells[c3].strip()
    if not name and not a1 and not a2:
        return None
    nxt = [x for x in cells[c3 + 1:c3 + 3]]
    if not a2 and len(nxt) == 2 and nxt[0].strip() and compact(nxt[1]) in OPS and compact(nxt[0]) not in OPS \
            and _num(nxt[0]) is None:
        # an extra empty cell pushed the 二级 name into the 三级 column
        a2, name = compact(name), nxt[0].strip()
        c3 += 1
    tail_from = c3 + 1
    if desc_col is not None and desc_col > c3:
        tail_from = desc_col + 1
    tail = cells[tail_from:]
    if kind == "target" and desc_col is not None:
        tail = tail[:1]          # 指标值, then 指标值确定依据 (a note, not a figure)
    return a1, a2, name, _tail_fields(tail, has_actual, kind)


def _unwrap(lines: list[str], width: int = 10) -> list[str]:
    """Join a name wrapped at the cell's width with the line that continues it."""
    out: list[str] = []
    carry = False
    for line in lines:
        if carry and out:
            out[-1] += line
        else:
            out.append(line)
        carry = len(line) >= width and not lx.CELL_END.search(line)
    return out


def _spaced_indicator(tokens: list[str], pending: list[str], has_actual: bool, kind: str):
    """pdftotext rows: headings and wrapped names arrive as chunks of their own; a row is
    complete when it ends with a deadline (targets) or a score (self-evaluations)."""
    ends = DEADLINE.match(tokens[-1]) if tokens else None
    if not ends and not (has_actual and len(tokens) >= 3 and _num(tokens[-1]) is not None):
        return None, pending + list(tokens)
    # from the right: [deadline], unit?, value, op? — what is left is heading(s) and name
    t = list(tokens)
    deadline = t.pop() if ends else None
    fields_tail: list[str] = []
    if t and _is_unit(t[-1]) and len(t) >= 2 and _num(t[-2]) is not None:
        fields_tail = [t.pop(-2), t.pop()]
    elif t:
        fields_tail = [t.pop()]
    if t and t[-1].replace(" ", "") in OPS:
        fields_tail.insert(0, t.pop())
    f = _tail_fields(fields_tail + ([deadline] if deadline else []), has_actual, kind)
    heads = _unwrap(pending + [compact(x) for x in t])
    if not heads:
        return None, []
    name = heads.pop()
    a1 = heads[-2] if len(heads) >= 2 else None
    a2 = heads[-1] if heads else None
    if a2 and LEVEL1.match(a2) and not a1:
        a1, a2 = a2, None
    return (a1, a2, name, f), []


def _wide(table: Table, unit_mult: int) -> Interpretation:
    """项目支出预算绩效目标情况表: one row per project, indicator texts in columns
    数量指标1…3, 质量指标1…3, 经济效益指标1…, 满意度指标1… (no separate target)."""
    from .base import header_paths
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    leaves = [p.split("/") for p in paths]
    name_col = next((j for j, p in enumerate(paths) if p.endswith(lx.PROJECT_NAME)), None)
    if name_col is None:
        return out
    amount_col = next((j for j, p in enumerate(paths) if p.endswith(lx.WIDE_AMOUNT)), None)
    goal_col = next((j for j, p in enumerate(paths) if p.endswith(lx.WIDE_GOAL)), None)
    unit_col = next((j for j, p in enumerate(paths) if p.endswith(lx.UNIT_NAME)), None)
    ind_cols = [j for j, p in enumerate(leaves) if lx.WIDE_INDICATOR_COLUMN.search(p[-1])]
    for i, row in enumerate(table.body):
        cells = row.texts + [""] * (width - len(row.texts))
        name = cells[name_col].strip()
        if lx.GRAND_TOTAL_RE.fullmatch(compact("".join(cells[:name_col + 1]))):
            a = amount(cells[amount_col], unit_mult) if amount_col is not None else None
            if a is not None and out.total is None:
                out.total = (a, prov_for(table, i, row))
            continue
        if not name:
            continue
        proj = PerformanceProject(name=name, kind="target", scope="project",
                                  unit=cells[unit_col].strip() if unit_col is not None else None,
                                  goal=cells[goal_col].strip() if goal_col is not None and cells[goal_col].strip() else None,
                                  budget=amount(cells[amount_col], unit_mult) if amount_col is not None else None,
                                  prov=prov_for(table, i, row))
        out.records.append(proj)
        for j in ind_cols:
            text = cells[j].strip()
            if not text:
                continue
            parts = leaves[j]
            level2 = re.sub(r"\d$", "", parts[-1])
            level1 = next((p for p in parts[:-1] if LEVEL1.match(p)), None) or \
                (lx.SATISFACTION_L1 if lx.SATISFACTION_MARK in level2
                 else lx.BENEFIT_L1 if any(w in level2 for w in lx.BENEFIT_MARKS) else lx.OUTPUT_L1)
            op, value, unit = embedded_target(text)
            out.records.append(Indicator(project=name, level1=level1, level2=level2, name=text, operator=op,
                                         target=text, target_value=value, unit=unit,
                                         kind="target", prov=prov_for(table, i, row)))
    return out


def _packed(table: Table, unit_mult: int, name_col: int, packed_col: int, goal_col: int | None) -> Interpretation:
    """One row per project: name (资金使用单位), amounts by fund source, 绩效目标, and a cell of
    packed indicators. A row with figures but neither goal nor indicators is a spending unit's
    subtotal; a row without a name continues the project above (a cell carried over a page)."""
    out = Interpretation()
    width = max(len(r.cells) for r in table.rows)
    paths = header_paths(table, width)
    value_cols = [j for j in range(width) if j not in (name_col, packed_col, goal_col)]
    unit: str | None = None
    pending: list = []      # [project, performance record, packed text, row index, row]

    def flush() -> None:
        if not pending:
            return
        proj, perf, text, i, row = pending
        out.records.append(proj)
        out.records.append(perf)
        for l1, l2, name, target in packed_indicators(text):
            op, value, u = split_value(target)
            out.records.append(Indicator(project=perf.name, level1=l1 or None, level2=l2 or None, name=name,
                                         operator=op, target=target, target_value=value, unit=u, kind="target",
                                         prov=prov_for(table, i, row)))
        pending.clear()

    for i, row in enumerate(table.body):
        cells = [clean_text(t) for t in row.texts] + [""] * (width - len(row.texts))
        name = cells[name_col].replace("\n", "").strip()
        goal = cells[goal_col].strip() if goal_col is not None else ""
        packed = cells[packed_col].strip()
        amounts = [(column_for(paths[j]), amount(cells[j], unit_mult)) for j in value_cols]
        amounts = [(c, a) for c, a in amounts if a is not None]
        if lx.GRAND_TOTAL_RE.fullmatch(compact(name).rstrip(lx.FULLWIDTH_COLON + ":")):
            if amounts and out.total is None:
                out.total = (amounts[0][1], prov_for(table, i, row))
            for col, a in amounts:    # as an item table keeps its 合计 row
                out.records.append(ItemLine(kind="by-unit", item=name, codes=[], column=col, amount=a,
                                            prov=prov_for(table, i, row)))
            continue
        if not name and not amounts:
            if pending and (goal or packed):          # a cell carried over to the next page
                if goal:
                    pending[1].goal = (pending[1].goal or "") + goal
                pending[2] += packed
            continue
        if name and not goal and not packed:
            flush()
            unit = name
            for col, a in amounts:
                out.records.append(ItemLine(kind="by-unit", item=name, codes=[], column=col, amount=a,
                                            prov=prov_for(table, i, row)))
            continue
        if not name:
            out.skipped.append((i, row.raw, "figures without a project name"))
            continue
        flush()
        prov = prov_for(table, i, row)
        total = next((a for c, a in amounts if c.measure == "total"), amounts[0][1] if amounts else None)
        proj = Project(name=name, unit=unit, description=goal, amounts=amounts, prov=prov)
        perf = PerformanceProject(name=name, kind="target", scope="project", unit=unit, budget=total,
                                  goal=goal or None, prov=prov)
        pending.extend([proj, perf, packed, i, row])
    flush()
    return out
