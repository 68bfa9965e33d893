"""Reconciliation: the identities a budget document must satisfy, checked on its own
records. Findings are results, not exceptions; each carries both sides' values and rows.

Precision first: a rule only compares quantities that are the same by construction
(same table and column, or a part against its whole), so a finding points at the
document, not at our reading of it. Differences within the rounding of the printed
digits are `info`.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Amount, BudgetLine, Provenance, Record, TableRecord, ThreePublicLine, TotalLine
from .tables.base import column_constraints, measure_of


@dataclass
class Side:
    label: str
    value: Decimal          # in 元
    printed: str
    prov: Provenance | None
    kind: str = "money"     # money (value in 元) | rate (%) | year | text (value 0: a name or words)


@dataclass
class Finding:
    rule: str
    severity: str           # error | warning | info
    message: str
    sides: list[Side] = field(default_factory=list)
    difference: Decimal | None = None


def _half_unit(amounts: list[Amount]) -> Decimal:
    """Half a unit of the last printed digit, in 元, summed over the figures compared."""
    total = Decimal(0)
    for a in amounts:
        exp = a.value.as_tuple().exponent
        total += Decimal(5).scaleb(int(exp) - 1 + a.unit_mult) if isinstance(exp, int) else Decimal(0)
    return total


def _compare(rule: str, whole: tuple[str, BudgetLine | TotalLine | ThreePublicLine],
             parts: list[tuple[str, BudgetLine | TotalLine | ThreePublicLine]], what: str,
             out: list[Finding], relation: str = "eq") -> None:
    wl, w = whole
    total = sum((p.amount.yuan for _, p in parts), Decimal(0))
    diff = w.amount.yuan - total
    tol = _half_unit([w.amount] + [p.amount for _, p in parts])
    if relation == "le":          # parts must not exceed the whole
        if diff >= -tol:
            return
    elif diff == 0:
        return
    severity = "info" if abs(diff) <= tol else "error"
    sides = [Side(wl, w.amount.yuan, w.amount.printed, w.prov)] + \
            [Side(l, p.amount.yuan, p.amount.printed, p.prov) for l, p in parts]
    sign = "≥" if relation == "le" else "="
    printed = " + ".join(p.amount.printed for _, p in parts)
    msg = (f"{what}: {wl} {w.amount.printed} {sign} {printed} expected; difference {diff:f} 元"
           + (" (within rounding)" if severity == "info" else ""))
    out.append(Finding(rule=rule, severity=severity, message=msg, sides=sides, difference=diff))


def _lines_by_table(records: list[Record]) -> dict[int, list[BudgetLine]]:
    out: dict[int, list[BudgetLine]] = defaultdict(list)
    for r in records:
        if isinstance(r, BudgetLine) and r.prov.table is not None:
            out[r.prov.table].append(r)
    return out


Uncertain = set[tuple[int, int]]   # (table, row) read with a caveat: left out of comparisons




def check_hierarchy(records: list[Record], uncertain: Uncertain = frozenset()) -> list[Finding]:
    """Parent row = Σ child rows (类 › 款 › 项; 经济分类 类 › 款), and 合计 = Σ 类, per column."""
    out: list[Finding] = []
    for table, lines in _lines_by_table(records).items():
        if any(t == table for t, _ in uncertain):
            rows_uncertain = {r for t, r in uncertain if t == table}
        else:
            rows_uncertain = set()
        # rows whose figures made no fact at all: the reader lost them (a code it could not place),
        # and a lost child makes its parent's sum fail for a reason the source does not have
        made = {l.prov.row for l in lines}
        lost = sorted(r for r in rows_uncertain if r not in made)
        start = len(out)
        by_col: dict[str, dict[str, BudgetLine]] = defaultdict(dict)
        totals: dict[str, BudgetLine] = {}

        def key(l: BudgetLine) -> str:
            # a row classified twice is a line of the pair: 301 under 501 and 301 under 505 are two
            return f"{l.code}@{l.cross[:3]}" if l.cross else l.code

        def parent_key(k: str) -> str:
            code, _, cross = k.partition("@")
            return f"{code[:-2]}@{cross}" if cross else code[:-2]

        for l in lines:
            if l.code:
                by_col[l.column.label].setdefault(key(l), l)
            elif "合计" in l.label or "总计" in l.label:
                totals.setdefault(l.column.label, l)
        children: dict[str, set[str]] = defaultdict(set)     # parent code → child codes in the table
        rows_of: dict[str, set[int]] = defaultdict(set)
        for l in lines:
            if l.code:
                rows_of[key(l)].add(l.prov.row)
                if len(l.code) > 3:
                    children[parent_key(key(l))].add(key(l))
        for col, rows in by_col.items():
            for code, parent in rows.items():
                kids = children.get(code)
                if not kids:
                    continue
                present = [(rows[c].code + " " + rows[c].label, rows[c]) for c in sorted(kids) if c in rows]
                kid_rows = {r for c in kids for r in rows_of[c]} | {parent.prov.row}
                if not present or kid_rows & rows_uncertain:
                    continue
                _compare("parent-equals-children", (f"{code} {parent.label}", parent), present,
                         f"{parent.prov.table_title} [{col}]", out)
            tot = totals.get(col)
            tops = sorted(c for c in rows if len(c.partition("@")[0]) == 3)
            top_rows = {l.prov.row for l in lines if l.code and len(l.code) == 3} | ({tot.prov.row} if tot else set())
            if tot is not None and tops and not top_rows & rows_uncertain:
                _compare("total-equals-classes", ("合计", tot), [(c + " " + rows[c].label, rows[c]) for c in tops],
                         f"{tot.prov.table_title} [{col}]", out)
        if lost:
            for f in out[start:]:
                if f.severity != "info":
                    f.severity = "info"
                    f.message += (f" — table not read whole ({len(lost)} row(s) with figures made no fact):"
                                  " the sum cannot be checked")
    return out


def check_columns(records: list[Record], uncertain: Uncertain = frozenset()) -> list[Finding]:
    """Per row, the sums its header declares — the ones a misaligned row is realigned by:
    合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费 or Σ of its breakdown, …"""
    out: list[Finding] = []
    for table, lines in _lines_by_table(records).items():
        labels = list(dict.fromkeys(l.column.label for l in lines))
        cons = [(labels[w], [labels[k] for k in parts]) for w, parts in column_constraints(labels)]
        if not cons:
            continue
        rows: dict[int, dict[str, BudgetLine]] = defaultdict(dict)
        for l in lines:
            if l.prov.row is not None and (table, l.prov.row) not in uncertain:
                rows[l.prov.row].setdefault(l.column.label, l)
        for row, cells in rows.items():
            first = next(iter(cells.values()))
            name = f"{first.code or ''} {first.label}".strip()
            for whole, parts in cons:
                present = [(cells[p].column.measure if cells[p].column.measure != "other" else p, cells[p])
                           for p in parts if p in cells]
                if whole not in cells or not present:
                    continue
                w = cells[whole]
                kinds = [measure_of(whole)] + [measure_of(p) for p in parts]
                rule = ("-equals-".join([kinds[0], "-plus-".join(kinds[1:])])
                        if "other" not in kinds else "column-breakdown-sum")
                _compare(rule, (f"{name} {whole}", w), present, f"{w.prov.table_title}", out)
    return out


def check_balance(records: list[Record]) -> list[Finding]:
    """收入总计 = 支出总计 in each 收支总表."""
    out: list[Finding] = []
    by_table: dict[int, list[TotalLine]] = defaultdict(list)
    for r in records:
        if isinstance(r, TotalLine) and r.prov.table is not None:
            by_table[r.prov.table].append(r)
    for table, lines in by_table.items():
        first_col: dict[tuple[str, str], TotalLine] = {}
        for l in lines:
            key = (l.side, re.sub(r"\s", "", l.item))
            first_col.setdefault(key, l)
        # only the grand totals must balance: this year's income and spending differ by the carry-over
        for rev_item, exp_item in (("收入总计", "支出总计"), ("总计", "总计")):
            rev = first_col.get(("revenue", rev_item))
            exp = first_col.get(("expenditure", exp_item))
            if rev and exp:
                _compare("income-equals-expenditure", (rev_item, rev), [(exp_item, exp)], rev.prov.table_title or "", out)
    return out


_PART_TABLE = re.compile(r"一般公共预算|政府性基金|国有资本")


def check_part_of_whole(records: list[Record]) -> list[Finding]:
    """A subject's amount in a fund-specific table (一般公共预算…) never exceeds the same
    subject and column kind in the all-funds expenditure table of the same document."""
    out: list[Finding] = []
    whole: dict[tuple[str, str, str | None], BudgetLine] = {}
    parts: list[BudgetLine] = []
    for r in records:
        if not (isinstance(r, BudgetLine) and r.scheme == "function" and r.direction == "expenditure"
                and r.code and r.column.measure in ("total", "basic", "project")):
            continue
        title = r.prov.table_title or ""
        if _PART_TABLE.search(title):
            parts.append(r)
        elif "支出" in title:
            whole.setdefault((r.code, r.column.measure, r.column.phase), r)
    for p in parts:
        w = whole.get((p.code, p.column.measure, p.column.phase))
        if w is not None:
            _compare("fund-table-within-all-funds", (f"{w.code} {w.label} ({w.prov.table_title})", w),
                     [(f"{p.code} ({p.prov.table_title})", p)], f"{p.column.measure}", out, relation="le")
    return out


_ECON_FOR = {"abroad": "30212", "reception": "30217", "vehicle-operation": "30231", "vehicle-purchase": "31013"}
_ECON_NAME = {"abroad": ("出国", "出境"), "reception": ("接待",), "vehicle-operation": ("公务用车", "车辆", "运行"),
              "vehicle-purchase": ("车", "交通工具")}


def lx_three_public_name(category: str, label: str) -> bool:
    """The line's printed name is that part's (or no name was printed)."""
    return not label or any(w in label for w in _ECON_NAME.get(category, ()))


def check_three_public(records: list[Record], year: int | None, kind: str | None = None) -> list[Finding]:
    """The basic-expenditure economic lines 30212/30217/30231/31013 are part of the
    “三公” categories of the same year and phase: the part must not exceed the whole."""
    out: list[Finding] = []
    three: dict[tuple[str, str | None], ThreePublicLine] = {}
    for r in records:
        if isinstance(r, ThreePublicLine) and r.year == year and r.column.measure == "total":
            three.setdefault((r.category, r.column.phase), r)
    for r in records:
        if not (isinstance(r, BudgetLine) and r.scheme == "economic" and r.code in _ECON_FOR.values()
                and r.column.measure in ("total", "office")):
            continue
        cat = next(k for k, v in _ECON_FOR.items() if v == r.code)
        if not lx_three_public_name(cat, r.label):
            continue        # a local code list that gives 30212 another meaning (退休人员活动费): not this part
        own = r.column.phase or ("executed" if kind == "决算" else "approved")
        for phase in (own, None):
            w = three.get((cat, phase)) or (three.get(("vehicle", phase)) if cat.startswith("vehicle") else None)
            if w is not None:
                _compare("economic-line-within-three-public", (f"“三公” {cat} {w.prov.table_title}", w),
                         [(f"{r.code} {r.label}", r)], "“三公”经费", out, relation="le")
                break
    return out


_REQUIRED = {
    "预算": [("收支总表", lambda t: t.kind == "totals"),
             ("一般公共预算支出表", lambda t: t.kind == "function-lines" and "一般公共预算" in t.title),
             ("基本支出表", lambda t: t.kind == "economic-lines"),
             ("“三公”经费表", lambda t: t.kind == "three-public")],
    "决算": [("收入支出决算总表", lambda t: t.kind == "totals"),
             ("支出决算表", lambda t: t.kind == "function-lines" and "支出" in t.title and not _PART_TABLE.search(t.title)),
             ("一般公共预算财政拨款支出决算表", lambda t: t.kind == "function-lines" and "一般公共预算" in t.title),
             ("基本支出决算表", lambda t: t.kind == "economic-lines"),
             ("“三公”经费支出决算表", lambda t: t.kind == "three-public")],
}
_REQUIRED["预算批复"] = _REQUIRED["预算"]


# the words a required table's printed title holds (a title found inside another table, or over
# a table no interpreter took, is a table printed but not read: the reader's, not the document's)
_TITLE_WORDS = {"收支总表": r"收支.*总表", "一般公共预算支出表": r"一般公共预算.*支出", "基本支出表": r"基本支出",
                "“三公”经费表": r"三公", "收入支出决算总表": r"收入支出.*总表", "支出决算表": r"^支出决算表$",
                "一般公共预算财政拨款支出决算表": r"一般公共预算.*支出", "基本支出决算表": r"基本支出",
                "“三公”经费支出决算表": r"三公"}


def printed_title(doc, name: str) -> tuple[str, object, object] | None:
    """A line printed as the title of the table `name` — inside the rows of another table (the
    reader ran two tables together) or as the title of a table no interpreter recognised."""
    from .model import Table
    words = re.compile(_TITLE_WORDS.get(name, re.escape(name)))
    for t in doc.tables:
        if t.kind is None and t.title and words.search(re.sub(r"\s", "", t.title)):
            return re.sub(r"\s", "", t.title), t, t
        texts = [(c.text, c) for r in t.rows for c in r.cells if c.text.strip()]
        for i, (text, cell) in enumerate(texts):
            flat = re.sub(r"\s", "", text)
            nxt = re.sub(r"\s", "", texts[i + 1][0]) if i + 1 < len(texts) else ""
            if not flat.endswith("表") and len(nxt) <= 3 and nxt.endswith("表"):
                flat += nxt          # a title wrapped onto the next line: …支出预 | 算表
            if (flat.endswith("表") and len(flat) <= 50 and not re.search(r"[，。；]", flat)
                    and words.search(re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", flat))):
                return flat, cell, t
    return None


def check_completeness(kind: str | None, tables: list[TableRecord], doc=None) -> list[Finding]:
    """Each table the family requires is printed. With the document: a required table whose title
    is printed where no table was read from it is `info` (printed, not read), not missing."""
    out = []
    for name, has in _REQUIRED.get(kind or "", []):
        if any(has(t) for t in tables):
            continue
        seen = printed_title(doc, name) if doc is not None else None
        if seen is None:
            out.append(Finding(rule="required-table-present", severity="warning",
                               message=f"no {name} found in this {kind} document"))
            continue
        title, where, table = seen
        inside = f"inside {table.title}" if where is not table else "a table not recognised"
        out.append(Finding(rule="table-present-not-read", severity="info",
                           message=f"{name}: its title {title} is printed (p{getattr(where, 'page', None)}, {inside}) "
                                   f"but no table was read from it",
                           sides=[Side("document: title printed", Decimal(0), title,
                                       Provenance(table=table.index, table_title=table.title, row=None, raw=title,
                                                  line=getattr(where, "line", None), page=getattr(where, "page", None)),
                                       kind="text"),
                                  Side(f"tables read: {name}", Decimal(0), "(none)", None, kind="text")]))
    return out


def check_table_totals(tables: list[TableRecord]) -> list[Finding]:
    """The 项目支出表 合计 equals the 合计 of the project target table (often printed in 元
    where the other is in 万元: compared in 元, within the rounding of the coarser print)."""
    out: list[Finding] = []
    projects = [t for t in tables if t.kind == "projects" and t.total is not None]
    targets = [t for t in tables if t.kind == "performance-wide" and t.total is not None]
    if projects and targets:
        p, t = projects[0], targets[0]
        diff = p.total.yuan - t.total.yuan
        tol = _half_unit([p.total]) + _half_unit([t.total])
        if diff != 0:
            sev = "info" if abs(diff) <= tol else "error"
            out.append(Finding(rule="project-table-equals-target-table", severity=sev,
                               message=f"{p.title} 合计 {p.total.printed} ({'万元' if p.total.unit_mult == 4 else '元'}) "
                                       f"vs {t.title} 合计 {t.total.printed} ({'万元' if t.total.unit_mult == 4 else '元'}); "
                                       f"difference {diff:f} 元" + (" (within rounding)" if sev == "info" else ""),
                               sides=[Side(f"{p.title} 合计", p.total.yuan, p.total.printed, p.total_prov),
                                      Side(f"{t.title} 合计", t.total.yuan, t.total.printed, t.total_prov)],
                               difference=diff))
    return out


_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]\s*")


def check_totals_table_classes(records: list[Record]) -> list[Finding]:
    """A 类 line of a 收支总表 (by name) against the same 类 of the expenditure table: equal
    in an all-funds 收支总表, not above it in a 财政拨款 one (a part of all funds)."""
    out: list[Finding] = []
    classes: dict[str, BudgetLine] = {}
    for r in records:
        if (isinstance(r, BudgetLine) and r.scheme == "function" and r.code and len(r.code) == 3
                and r.direction == "expenditure" and r.column.measure == "total"
                and not _PART_TABLE.search(r.prov.table_title or "") and "支出" in (r.prov.table_title or "")):
            classes.setdefault(r.label, r)
    seen: set[tuple[int, str]] = set()
    for r in records:
        if not (isinstance(r, TotalLine) and r.side == "expenditure"):
            continue
        name = _NUMBERING.sub("", re.sub(r"\s", "", r.item))
        w = classes.get(name)
        if w is None or (r.prov.table, name) in seen:
            continue
        seen.add((r.prov.table, name))        # the first figure of the row: its 合计 column
        part = "财政拨款" in (r.prov.table_title or "")
        fund_table = bool(re.search(r"财政拨款|一般公共预算|政府性基金", w.prov.table_title or ""))
        if fund_table and not part:
            # the expenditure table holds one fund's money (财政拨款支出预算表): within the all-funds line
            _compare("totals-table-class-within-expenditure-table", (f"{name} ({r.prov.table_title})", r),
                     [(f"{w.code} {w.label} ({w.prov.table_title})", w)], "收支总表", out, relation="le")
        elif part:
            _compare("totals-table-class-within-expenditure-table", (f"{w.code} {w.label} ({w.prov.table_title})", w),
                     [(f"{name} ({r.prov.table_title})", r)], "收支总表", out, relation="le")
        else:
            _compare("totals-table-class-equals-expenditure-table", (f"{w.code} {w.label} ({w.prov.table_title})", w),
                     [(f"{name} ({r.prov.table_title})", r)], "收支总表", out)
    return out


def check(records: list[Record], tables: list[TableRecord], *, kind: str | None, year: int | None,
          uncertain: Uncertain = frozenset()) -> list[Finding]:
    return (check_hierarchy(records, uncertain) + check_columns(records, uncertain) + check_balance(records)
            + check_part_of_whole(records) + check_three_public(records, year, kind)
            + check_table_totals(tables) + check_totals_table_classes(records))


def _scoped(st) -> bool:
    """A 基本支出 / 项目支出 stated of a part of the funds (一般公共预算财政拨款…其中：基本支出): not the
    all-funds table's figure."""
    raw = st.prov.raw if st.prov is not None else ""
    at = raw.find(st.amount.printed)
    head = raw[:at] if at > 0 else raw
    parts = head.split("。")
    scope = parts[-1] if not parts[-1].lstrip().startswith("其中") or len(parts) < 2 else parts[-2] + parts[-1]
    return bool(re.search(r"财政拨款|一般公共预算|政府性基金", scope))


# what the explanations call the grand totals of the 收支总表
_GRAND_TOTALS = {"收入总计": ("revenue", "收入总计"), "收支总预算": ("revenue", "收入总计"),
                 "收入支出总计": ("revenue", "收入总计"), "预算收入": ("revenue", "收入总计"),
                 "支出总计": ("expenditure", "支出总计"), "预算支出": ("expenditure", "支出总计")}


def _subject_line(lines: list[BudgetLine], subject: str) -> BudgetLine | None:
    """The 项 line a "…（类）…（款）…（项）" sentence speaks of: same 项 name under the same 款
    name, in a 一般公共预算 table (what 决算 explanations explain), its total column."""
    parts = subject.split("/")
    if len(parts) != 3:
        return None
    _, kuan, xiang = (re.sub(r"\s", "", p) for p in parts)
    by_code = {l.code: l for l in lines if l.code and l.scheme == "function" and l.column.measure == "total"
               and "一般公共预算" in (l.prov.table_title or "")}
    found = [l for c, l in by_code.items() if len(c) == 7 and re.sub(r"\s", "", l.label) == xiang
             and (c[:5] in by_code and re.sub(r"\s", "", by_code[c[:5]].label) == kuan)]
    return found[0] if len(found) == 1 else None


def check_statements(records: list[Record], stated: list, *, kind: str | None, year: int | None) -> list[Finding]:
    """What the explanatory text states against the tables, and its own comparisons:
    a stated total equals the table's; "决算数小于预算数" holds for the two figures it names;
    "完成年初预算的 Y%" is the ratio of those figures."""
    out: list[Finding] = []
    lines = [r for r in records if isinstance(r, BudgetLine)]
    totals = [r for r in records if isinstance(r, TotalLine)]
    three = [r for r in records if isinstance(r, ThreePublicLine) and r.category == "total" and r.year == year]
    phase = "executed" if kind == "决算" else "approved"

    def side(label: str, a: Amount, prov) -> Side:
        return Side(label, a.yuan, a.printed, prov)

    def compare(rule: str, what: str, stated_label: str, st, table_label: str, rec) -> None:
        diff = st.amount.yuan - rec.amount.yuan
        tol = _half_unit([st.amount, rec.amount])
        if diff == 0:
            return
        sev = "info" if abs(diff) <= tol else "error"
        out.append(Finding(rule=rule, severity=sev,
                           message=f"{what}: the text states {st.amount.printed} 万元, the table prints "
                                   f"{rec.amount.printed}; difference {diff:f} 元" + (" (within rounding)" if sev == "info" else ""),
                           sides=[side(stated_label, st.amount, st.prov), side(table_label, rec.amount, rec.prov)],
                           difference=diff))

    def all_funds_total(measure: str):
        for l in lines:
            title = l.prov.table_title or ""
            if (l.code is None and "合计" in l.label and l.column.measure == measure and l.direction == "expenditure"
                    and "支出" in title and not _PART_TABLE.search(title)):
                return l
        return None

    for st in stated:
        if st.kind == "total" and st.subject in _GRAND_TOTALS:
            side_, item = _GRAND_TOTALS[st.subject]
            rec = next((t for t in totals if re.sub(r"\s", "", t.item) in (item, "总计") and t.side == side_
                        and "财政拨款" not in (t.prov.table_title or "")), None)
            if rec:
                compare("statement-equals-table", st.subject, f"text: {st.subject}", st, f"table: {rec.item}", rec)
        elif st.kind == "total" and st.subject in ("财政拨款收入支出总计", "财政拨款收入总计", "财政拨款支出总计"):
            side_ = "expenditure" if st.subject == "财政拨款支出总计" else "revenue"
            rec = next((t for t in totals if "财政拨款" in (t.prov.table_title or "") and t.side == side_
                        and re.sub(r"\s", "", t.item) in ("总计", "收入总计", "支出总计")), None)
            if rec:
                compare("statement-equals-table", st.subject, f"text: {st.subject}", st,
                        f"table: {rec.prov.table_title} {rec.item}", rec)
        elif st.kind == "total" and st.subject in ("基本支出", "项目支出") and not _scoped(st):
            rec = all_funds_total("basic" if st.subject == "基本支出" else "project")
            if rec:
                compare("statement-equals-table", st.subject, f"text: {st.subject}", st,
                        f"table: {rec.prov.table_title} 合计", rec)
        elif st.kind == "three-public":
            rec = next((t for t in three if (t.column.phase or phase) == phase), None)
            if rec:
                compare("statement-equals-table", "“三公”经费", "text: “三公”经费", st, f"table: {rec.prov.table_title}", rec)
        elif st.kind == "subject" and (rec := _subject_line(lines, st.subject)) is not None:
            compare("statement-equals-table", st.subject.split("/")[-1], f"text: {st.subject}", st,
                    f"table: {rec.prov.table_title} {rec.code}", rec)
    doc = getattr(stated, "document", None)
    if doc is not None:
        from .rules import check_document      # the reviewer's rules over the prose and the tables as a set
        out += check_document(doc, records, stated, kind=kind, year=year)
    return out
