"""What a reviewer checks across documents of the store: a 决算's 年初预算数 against the 预算
document of the same department and year, and the same department's “三公” and totals year on
year (info, with the change). Pure: the store's facts come in as `DocFacts` (graph/across.py
reads them), findings go out with the document whose graph holds them — the later one."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .checks import Finding, Side
from .model import Provenance

_CN = {"total": "“三公”经费合计", "abroad": "因公出国（境）费", "reception": "公务接待费",
       "vehicle": "公务用车购置及运行费", "vehicle-purchase": "公务用车购置费", "vehicle-operation": "公务用车运行维护费"}


@dataclass
class Figure:
    value: Decimal          # 元
    printed: str
    unit_mult: int
    table: str | None = None        # the table's IRI
    table_title: str | None = None
    page: int | None = None
    line: int | None = None


@dataclass
class DocFacts:
    document: str           # graph IRI
    source: str
    department: str         # IRI
    name: str
    year: int | None
    kind: str               # 预算 | 决算 | 预算批复 | …
    three: dict[tuple[str, str], Figure] = field(default_factory=dict)   # (category, phase) → figure
    total: Figure | None = None     # the expenditure 合计 of its widest table, its own phase
    #: (fund scope, line) → the 年初预算数 of a 决算 or the 预算数 of a 预算, of the document's own
    #: year: a functional code (类/款/项), "合计" of a per-code table, or a 收支总表 总计/合计 line
    budget_lines: dict[tuple[str, str], Figure] = field(default_factory=dict)


def _half(f: Figure) -> Decimal:
    digits = f.printed.replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(5).scaleb(-places - 1 + f.unit_mult)


@dataclass
class DocSide(Side):
    """A side that names its own document and table (by IRI): the two sides of a finding across
    documents come from two graphs."""
    document: str = ""
    table: str | None = None


def _side(label: str, d: DocFacts, f: Figure) -> Side:
    prov = Provenance(table=None, table_title=f.table_title, row=None, raw=f.printed, line=f.line, page=f.page)
    return DocSide(f"{d.source} {d.year} {d.kind}: {label}", f.value, f.printed, prov, document=d.document,
                   table=f.table)


def _one_per(docs: list[DocFacts], want) -> dict[tuple, DocFacts]:
    """One document per (department, year, kind): the first, by source, that has the figure."""
    out: dict[tuple, DocFacts] = {}
    for d in sorted(docs, key=lambda d: d.source):
        if d.year is not None and want(d):
            out.setdefault((d.department, d.year, d.kind), d)
    return out


def check_budget_against_final(docs: list[DocFacts]) -> list[tuple[DocFacts, Finding]]:
    """The “三公” 预算数 a 决算 prints for its year against the 预算 document of the same department
    and year (each part): a warning when they differ beyond rounding — the 决算 may print the
    adjusted 全年预算数, or the 预算 another scope; the reviewer looks at both pages."""
    budgets = _one_per([d for d in docs if d.kind in ("预算", "预算批复")], lambda d: bool(d.three))
    out = []
    for d in docs:
        if d.kind != "决算" or d.year is None:
            continue
        b = budgets.get((d.department, d.year, "预算")) or budgets.get((d.department, d.year, "预算批复"))
        if b is None:
            continue
        for (cat, phase), f in d.three.items():
            if phase != "approved":
                continue
            g = b.three.get((cat, "approved"))
            if g is None:
                continue
            diff = f.value - g.value
            if diff == 0:
                continue
            sev = "info" if abs(diff) <= _half(f) + _half(g) else "warning"
            out.append((d, Finding(rule="final-budget-equals-budget-document", severity=sev,
                                   message=f"{_CN[cat]} {d.year}: the 决算 prints 预算数 {f.printed}, the 预算 document "
                                           f"({b.source}) {g.printed}; difference {diff:f} 元"
                                           + (" (within rounding)" if sev == "info" else ""),
                                   sides=[_side(f"{_CN[cat]} 预算数", d, f), _side(_CN[cat], b, g)],
                                   difference=diff)))
    return out


def fund_scope(title: str | None) -> str:
    """Which money a table holds, told by its title: a table of one fund (一般公共预算…,
    政府性基金…, 国有资本经营…), of all 财政拨款, or of all funds (支出预算表, 支出决算表,
    收支总表). Only lines of the same scope are the same quantity in two documents."""
    t = re.sub(r"\s", "", title or "")
    for word in ("一般公共预算", "政府性基金", "国有资本经营", "财政拨款"):
        if word in t:
            return word
    return "全部资金"


def _line_name(scope: str, line: str) -> str:
    what = line if not line.isdigit() else f"科目 {line}"
    return f"{what}（{scope}）"


def check_lines_against_budget(docs: list[DocFacts]) -> list[tuple[DocFacts, Finding]]:
    """A 决算's 年初预算数, line by line — each functional code, each per-code table's 合计 and
    each 收支总表 总计 — against the 预算 document of the same department and year, in a table of
    the same fund scope: a warning beyond the rounding of the two printed figures (the 年初预算 a
    决算 reports is the budget the 预算 document published)."""
    budgets = _one_per([d for d in docs if d.kind in ("预算", "预算批复")], lambda d: bool(d.budget_lines))
    out = []
    for d in docs:
        if d.kind != "决算" or d.year is None or not d.budget_lines:
            continue
        b = budgets.get((d.department, d.year, "预算")) or budgets.get((d.department, d.year, "预算批复"))
        if b is None:
            continue
        for (scope, line), f in sorted(d.budget_lines.items(), key=lambda kv: (kv[1].page or 0, kv[1].line or 0)):
            g = b.budget_lines.get((scope, line))
            if g is None:
                continue
            diff = f.value - g.value
            if abs(diff) <= _half(f) + _half(g):
                continue
            name = _line_name(scope, line)
            out.append((d, Finding(rule="final-budget-lines-equal-budget-document", severity="warning",
                                   message=f"{name} {d.year}: the 决算 prints 年初预算数 {f.printed}, the 预算 "
                                           f"document ({b.source}) {g.printed}; difference {diff:f} 元",
                                   sides=[_side(f"{name} 年初预算数", d, f), _side(f"{name} 预算数", b, g)],
                                   difference=diff)))
    return out


def check_year_on_year(docs: list[DocFacts]) -> list[tuple[DocFacts, Finding]]:
    """The same department's “三公” 合计 and expenditure 合计, document of year N against that of
    year N−1 of the same kind: info, with the change and its rate."""
    out = []
    for what, get in (("“三公”经费合计", lambda d: d.three.get(("total", "executed" if d.kind == "决算" else "approved"))),
                      ("支出合计", lambda d: d.total)):
        by = _one_per(docs, lambda d: get(d) is not None)
        for (dept, year, kind), d in sorted(by.items(), key=lambda kv: kv[1].source):
            prev = by.get((dept, year - 1, kind))
            if prev is None:
                continue
            f, g = get(d), get(prev)
            change = f.value - g.value
            rate = f" ({change / g.value * 100:+.2f}%)" if g.value else ""
            if g.value and f.unit_mult != g.unit_mult and not Decimal("0.01") < f.value / g.value < 100:
                rate += f" — printed in {('万元' if f.unit_mult == 4 else '元')} and {('万元' if g.unit_mult == 4 else '元')}: one unit is probably misread"
            out.append((d, Finding(rule="year-on-year-change", severity="info",
                                   message=f"{what} {year} {f.printed} against {year - 1} {g.printed} ({prev.source}): "
                                           f"change {change:f} 元{rate}",
                                   sides=[_side(f"{what} {year}", d, f), _side(f"{what} {year - 1}", prev, g)],
                                   difference=change)))
    return out


def check_across(docs: list[DocFacts]) -> list[tuple[DocFacts, Finding]]:
    return check_budget_against_final(docs) + check_lines_against_budget(docs) + check_year_on_year(docs)
