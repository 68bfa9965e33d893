"""The document model every reader produces, and the records interpreters make of it.

A reader turns a file into a `Document` of `Paragraph` and `Table` blocks whose
cells remember where they were printed (line, page when the format has pages).
Interpreters turn tables into records (`BudgetLine`, `Project`, ...); the RDF
stage turns records into quads. Nothing here knows about RDF or the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union


@dataclass(frozen=True)
class Cell:
    text: str
    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class Row:
    """One printed row. `aligned` is False when the layout lost empty cells
    (pdftotext-style spacing): the cells keep their order, not their columns."""
    cells: list[Cell]
    aligned: bool = True
    text: str | None = None   # the printed line(s), wrapped lines joined (unaligned rows)
    margin: bool = False      # printed in a page's header/footer band (PDF)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def line(self) -> int | None:
        return next((c.line for c in self.cells if c.line is not None), None)

    @property
    def page(self) -> int | None:
        return next((c.page for c in self.cells if c.page is not None), None)

    @property
    def raw(self) -> str:
        return self.text if self.text is not None else "\t".join(self.texts).strip()

    def nonempty(self) -> list[str]:
        return [t for t in self.texts if t.strip()]


@dataclass
class Paragraph:
    text: str
    line: int | None = None
    page: int | None = None


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: int | None = None
    page: int | None = None
    pages: int = 1
    unit_mult: int | None = None
    header: list[Row] = field(default_factory=list)
    body: list[Row] = field(default_factory=list)
    kind: str | None = None
    index: int = 0
    layout: str = ""      # the reader's layout; cell-per-line dumps print merged cells once

    @property
    def aligned(self) -> bool:
        return all(r.aligned for r in self.rows)

    def header_text(self) -> str:
        return " ".join(" ".join(r.nonempty()) for r in self.header)

    def is_declared_empty(self) -> bool:
        return any(("无数据" in n or "为空" in n or "空表" in n or "没有" in n) for n in self.notes)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    source: str
    sha256: str
    blocks: list[Block]
    layout: str
    media_type: str = "text/plain"

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def text(self, limit: int | None = None) -> str:
        parts: list[str] = []
        for b in self.blocks[:limit]:
            parts.append(b.text if isinstance(b, Paragraph) else b.title)
        return "\n".join(parts)


# ---------------------------------------------------------------- records

@dataclass(frozen=True)
class Provenance:
    table: int | None
    table_title: str | None
    row: int | None
    raw: str
    line: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Amount:
    printed: str
    value: Decimal        # as printed, in the table's unit
    unit_mult: int        # 4 for 万元, 0 for 元

    @property
    def yuan(self) -> Decimal:
        return self.value.scaleb(self.unit_mult)


@dataclass(frozen=True)
class Column:
    label: str            # the printed header path, e.g. "基本支出/人员经费"
    measure: str          # total | basic | project | personnel | office | other …
    phase: str | None = None   # approved | executed | None (= the document's)


@dataclass
class BudgetLine:
    scheme: str           # function | economic | economic-gov
    code: str | None
    label: str
    column: Column
    amount: Amount
    direction: str        # expenditure | revenue
    prov: Provenance
    rate: Decimal | None = None   # the row's 完成率 (%), on its executed figure
    cross: str | None = None      # the same row's code in a second classification (政府经济 beside 部门经济)


@dataclass
class TotalLine:
    side: str             # revenue | expenditure
    item: str
    column: Column
    amount: Amount
    prov: Provenance


@dataclass
class ItemLine:
    """One item of the rest of the family (政府采购, 购买服务, 专项资金, 资产 …)."""
    kind: str
    item: str
    codes: list[str]
    column: Column
    amount: Amount
    prov: Provenance


@dataclass
class ThreePublicLine:
    category: str         # total | abroad | reception | vehicle | vehicle-purchase | vehicle-operation
    year: int | None
    column: Column
    amount: Amount
    prov: Provenance


@dataclass
class Project:
    name: str
    unit: str | None
    description: str
    amounts: list[tuple[Column, Amount]]
    prov: Provenance


@dataclass
class PerformanceProject:
    """A project (or the department as a whole) as a 绩效 table describes it."""
    name: str
    kind: str                     # target | self-evaluation
    scope: str                    # project | department
    unit: str | None = None
    budget: Amount | None = None
    executed: Amount | None = None
    rate: str | None = None       # printed 执行率
    score: str | None = None      # printed 总得分
    goal: str | None = None
    achieved: str | None = None
    prov: Provenance | None = None


@dataclass
class Indicator:
    project: str                  # the PerformanceProject's name it belongs to
    level1: str | None
    level2: str | None
    name: str
    operator: str | None          # ≥ ≤ = > < or None (qualitative)
    target: str                   # as printed
    target_value: Decimal | None
    unit: str | None
    deadline: str | None = None
    actual: str | None = None
    degree: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str | None = None
    kind: str = "target"
    prov: Provenance | None = None


@dataclass
class Responsibility:
    number: int
    text: str
    prov: Provenance


@dataclass
class TableRecord:
    """A recognised table, kept in the graph even when it holds no figure."""
    index: int
    title: str
    kind: str
    unit_mult: int | None
    rows: int
    facts: int
    declared_empty: bool
    line: int | None
    page: int | None
    total: Amount | None = None          # the printed 合计 of a project or target table
    total_prov: Provenance | None = None


Record = Union[BudgetLine, TotalLine, ThreePublicLine, Project, Responsibility, PerformanceProject, Indicator,
               ItemLine]


@dataclass
class DocumentProfile:
    department: str | None        # printed full name, e.g. 沈阳市工业和信息化局
    department_short: str | None  # without division prefix, e.g. 工业和信息化局
    units: list[str]
    province: str | None
    city: str | None
    district: str | None
    division_code: str | None
    year: int | None
    kind: str | None              # 预算 | 决算 | 预算批复
    title: str | None
    unit_mult: int | None
    template: bool = False        # a blank template ("XX 局", no figures): described, not checked
    scope: str | None = None      # 部门 | 本级 | 单位 | 汇总, as the document says
    level: str | None = None      # 中央 | 省 | 市 | 区县 | 街道
    document_kind: str | None = None   # 部门预算 | 单位预算 | 部门决算 | 单位决算 | 预算批复 | 绩效目标 | 预算说明
