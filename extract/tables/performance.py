"""绩效 tables: performance targets (部门整体/项目绩效目标表) and self-evaluations
(绩效自评表). Each indicator keeps its 一级/二级/三级 names, operator, target, unit,
deadline, and for 自评 the actual value, completion, weight and score."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import lexicon as lx
from ..model import Indicator, PerformanceProject, Row, Table
from ..numbers import clean_text, halfwidth, is_amount
from .base import Interpretation, amount, compact, prov_for

OPS = lx.OPERATORS
LEVEL1 = lx.LEVEL1
LEVEL2 = lx.LEVEL2
_UNAMBIGUOUS_L1 = lx.UNAMBIGUOUS_LEVEL1
DEADLINE = lx.DEADLINE
_VALUE = lx.TARGET_VALUE


def recognise(table: Table) -> str | None:
    t = compact(table.title)
    if lx.PERFORMANCE_KIND.titled(t):
        h = compact(table.header_text())
        if lx.PERFORMANCE_KIND.header.search(h):
            return "performance-wide"
        return "performance"
    return None


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
    if recognise(table) == "performance-wide":
        return _wide(table, unit_mult)
    return _long(table, unit_mult)


def _project_of(table: Table, rows: list[Row], kind: str) -> PerformanceProject:
    texts_rows = [r.texts for r in rows]
    name = None
    scope = "project"
    for texts in texts_rows:
        name = name or _label_after(texts, lx.PROJECT_NAME_LABEL)
    if name is None:
        for texts in texts_rows:
            dept = _label_after(texts, lx.DEPARTMENT_NAME_LABEL)
            if dept:
                name, scope = re.sub(r"^\d+|-\d+$", "", dept.replace(" ", "")), "department"
                break
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


def _long(table: Table, unit_mult: int) -> Interpretation:
    out = Interpretation()
    kind = "self-evaluation" if lx.SELF_EVALUATION_TITLE.search(table.title) else "target"
    rows = table.rows
    header_at = next((i for i, r in enumerate(rows) if lx.LEVEL1_HEADER in compact("".join(r.texts))), None)
    if header_at is None:
        out.warnings.append(f"table {table.index} {table.title!r}: no {lx.LEVEL1_HEADER} header")
        return out
    project = _project_of(table, rows[:header_at], kind)
    goal_rows = rows[:header_at]
    for r in goal_rows:
        texts = [t for t in r.texts if t.strip()]
        if project.goal is None and texts and len(texts) > 1 and \
                lx.GOAL_LABEL.match(compact(texts[0])) and len(texts[1]) > 4:
            project.goal = " ".join(texts[1:])
    header = rows[header_at].texts
    has_actual = any(lx.ACTUAL_HEADER in compact(t) for r in rows[header_at:header_at + 2] for t in r.texts)
    desc_col = next((j for j, t in enumerate(header) if lx.DESCRIPTION_HEADER in t), None)
    out.records.append(project)
    l1 = l2 = None
    pending: list[str] = []
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
    c3 = next((j for j, h in enumerate(hdr) if h == lx.LEVEL3_HEADER), c1 + 2)
    cells = list(texts)
    # a converter dropped or added a leading cell: put a level name back under its column
    k1 = next((j for j, t in enumerate(cells[:c1 + 3]) if _UNAMBIGUOUS_L1.match(compact(t))), None)
    if k1 is not None and k1 != c1:
        cells = [""] * (c1 - k1) + cells if k1 < c1 else cells[k1 - c1:]
    elif k1 is None:
        k2 = next((j for j, t in enumerate(cells[:c1 + 3]) if LEVEL2.search(compact(t)) and compact(t)), None)
        if k2 is not None and k2 != c1 + 1 and compact(cells[k2]) not in ("",):
            cells = [""] * (c1 + 1 - k2) + cells if k2 < c1 + 1 else cells[k2 - c1 - 1:]
    cells += [""] * (len(hdr) + 2 - len(cells))
    a1, a2, name = compact(cells[c1]), compact(cells[c1 + 1]), cells[c3].strip()
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
