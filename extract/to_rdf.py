"""Records → RDF quads; IRIs are deterministic and readable.

Every triple lives in exactly one graph: a document's facts in its own graph (its IRI is the
document's), the reference data every document shares — divisions, departments and their units,
the classification concepts with their broader chain, years — in reference graphs
(`vocab.REFERENCE_GRAPHS`), which the build merges as documents arrive. So a question over the
union of the graphs sees each triple once.

One emitter per record type (`EMITTERS`, registered with `@emits`), each writing through an
`Emission` that knows the document, its graph and the nodes made so far."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

import pyoxigraph as ox

from .extraction import Extraction
from .identity import department_key, department_label, unit_key
from .project_text import disagreement
from .topics import quads_to_topic_quads
from .model import (Amount, BudgetLine, Column, Indicator, ItemLine, PerformanceProject, Project, Provenance,
                    Responsibility, ThreePublicLine, TotalLine)
from .vocab import (BKG, CNY, DCT, DEFAULT_BASE, OBEU_ATTR, OBEU_DIM, OBEU_MEASURE, OPCHAR, ORG, PHASE, PROV,
                    QB, RDF, RDFS, REFERENCE_GRAPHS, SDMX_ATTR, SKOS, XSD, YEAR)

if TYPE_CHECKING:
    from .checks import Finding
    from .statements import Statement

_MEASURE = {"total": BKG.Total, "basic": BKG.Basic, "project": BKG.ProjectExpenditure,
            "personnel": BKG.Personnel, "office": BKG.Office}
_CATEGORY = {"total": BKG.threePublicTotal, "abroad": BKG.abroad, "reception": BKG.reception,
             "vehicle": BKG.vehicle, "vehicle-purchase": BKG.vehiclePurchase,
             "vehicle-operation": BKG.vehicleOperation}
_KIND = {"预算": BKG.Budget, "决算": BKG.FinalAccount, "预算批复": BKG.BudgetApproval}
_SCHEME = {"function": "function", "economic": "economic", "economic-gov": "economic-gov"}


_NODES: dict[str, ox.NamedNode] = {}


def N(iri: object) -> ox.NamedNode:
    """A pyoxigraph node; vocabulary terms are made once and reused."""
    key = str(iri)
    node = _NODES.get(key)
    if node is None:
        node = ox.NamedNode(key)
        if len(_NODES) < 4096:
            _NODES[key] = node
    return node


# terms of the hot path, made once: an rdflib Namespace lookup costs more than the quad
class T:
    type = N(RDF.type)
    observation = N(QB.Observation)
    dataset = N(QB.dataSet)
    amount = N(OBEU_MEASURE.amount)
    printed = N(BKG.printedAmount)
    unit_mult = N(SDMX_ATTR.unitMult)
    currency = N(OBEU_ATTR.currency)
    cny = N(CNY)
    column = N(BKG.column)
    amount_kind = N(BKG.amountKind)
    phase = N(OBEU_DIM.budgetPhase)
    fiscal_year = N(OBEU_DIM.fiscalYear)
    organization = N(OBEU_DIM.organization)
    derived = N(PROV.wasDerivedFrom)
    source_table = N(BKG.sourceTable)
    source_row = N(BKG.sourceRow)
    source_line = N(BKG.sourceLine)
    source_page = N(BKG.sourcePage)
    raw_row = N(BKG.rawRow)
    operation = N(OBEU_DIM.operationCharacter)
    revenue = N(OPCHAR.revenue)
    expenditure = N(OPCHAR.expenditure)
    functional = N(OBEU_DIM.functionalClassification)
    economic = N(OBEU_DIM.economicClassification)
    printed_label = N(BKG.printedLabel)
    executed = N(PHASE.executed)
    approved = N(PHASE.approved)
    decimal = N(XSD.decimal)
    integer = N(XSD.integer)
    other = N(BKG.OtherAmount)
    concept = N(SKOS.Concept)
    alt_label = N(SKOS.altLabel)
    notation = N(SKOS.notation)
    in_scheme = N(SKOS.inScheme)
    top_concept_of = N(SKOS.topConceptOf)
    broader = N(SKOS.broader)


def lit(value: object, datatype: object | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=N(datatype)) if datatype else ox.Literal(str(value))


def dec(value: Decimal) -> ox.Literal:
    return ox.Literal(format(value, "f"), datatype=T.decimal)


def iri_part(text: str) -> str:
    return quote(text.replace(" ", ""), safe="")


class Minter:
    """Deterministic IRIs under one configurable base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def document(self, sha256: str) -> str:
        return f"{self.base}document/{sha256[:16]}"

    def division(self, code: str) -> str:
        return f"{self.base}division/{code}"

    def department(self, division: str | None, name: str) -> str:
        return f"{self.base}department/{division or 'unknown'}/{iri_part(name)}"

    def unit(self, division: str | None, name: str) -> str:
        return f"{self.base}unit/{division or 'unknown'}/{iri_part(name)}"

    def subject(self, scheme: str, code: str) -> str:
        return f"{self.base}subject/{_SCHEME[scheme]}/{code}"

    def scheme(self, scheme: str) -> str:
        return f"{self.base}subject/{_SCHEME[scheme]}"


def canonical_name(p) -> str:
    """One label per department across documents: nearest place name + name without places."""
    place = p.district or p.city or p.province or ""
    short = p.department_short or p.department or ""
    return short if short.startswith(place) else place + short


def _term(x: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    return x if isinstance(x, (ox.NamedNode, ox.Literal, ox.BlankNode)) else N(x)


@dataclass
class Emission:
    """What the emitters of one document share: the minter, the document's graph, the quads so
    far, and the nodes already made (tables, projects, performance records, concepts)."""
    m: Minter
    ex: "Extraction"
    doc: ox.NamedNode
    quads: list[ox.Quad] = field(default_factory=list)
    year: ox.NamedNode | None = None
    dept: ox.NamedNode | None = None
    division: ox.NamedNode | None = None
    phase: ox.NamedNode = T.approved
    counters: dict[str, int] = field(default_factory=dict)
    tables: dict[int, ox.NamedNode] = field(default_factory=dict)
    projects: dict[str, ox.NamedNode] = field(default_factory=dict)     # normalised name → project
    records: dict[str, ox.NamedNode] = field(default_factory=dict)      # performance record by name
    measures: dict[str, ox.NamedNode] = field(default_factory=lambda: {k: N(v) for k, v in _MEASURE.items()})
    written: set = field(default_factory=set)                           # reference triples written
    concepts: set = field(default_factory=set)          # (scheme, code) whose chain is written
    tabulated: dict = field(default_factory=dict)       # (project, figure kind) → (Amount, Provenance), 自评表

    def add(self, s: object, p: object, o: object) -> None:
        """A fact of this document, in its graph."""
        self.quads.append(ox.Quad(_term(s), _term(p), _term(o), self.doc))

    def ref(self, graph: str, s: object, p: object, o: object) -> None:
        """A reference triple (shared by documents), once, in its reference graph."""
        q = ox.Quad(_term(s), _term(p), _term(o), N(REFERENCE_GRAPHS[graph]))
        if q not in self.written:
            self.written.add(q)
            self.quads.append(q)

    def node(self, kind: str) -> ox.NamedNode:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return N(f"{self.doc.value}/{kind}/{self.counters[kind]}")

    def table(self, index: int) -> ox.NamedNode:
        node = self.tables.get(index)
        if node is None:
            node = self.tables[index] = N(f"{self.doc.value}/table/{index}")
        return node

    def provenance(self, s: ox.NamedNode, pv: Provenance) -> None:
        self.add(s, T.derived, self.doc)
        if pv.table is not None:
            self.add(s, T.source_table, self.table(pv.table))
        if pv.row is not None:
            self.add(s, T.source_row, ox.Literal(str(pv.row), datatype=T.integer))
        if pv.line is not None:
            self.add(s, T.source_line, ox.Literal(str(pv.line), datatype=T.integer))
        if pv.page is not None:
            self.add(s, T.source_page, ox.Literal(str(pv.page), datatype=T.integer))
        self.add(s, T.raw_row, ox.Literal(pv.raw))

    def money(self, s: ox.NamedNode, a: Amount) -> None:
        self.add(s, T.amount, dec(a.yuan))
        self.add(s, T.printed, ox.Literal(a.printed))
        self.add(s, T.unit_mult, ox.Literal(str(a.unit_mult), datatype=T.integer))
        self.add(s, T.currency, T.cny)

    def amount(self, s: ox.NamedNode, a: Amount, column: Column, of_year: int | None = None) -> None:
        self.money(s, a)
        self.add(s, T.column, ox.Literal(column.label))
        self.add(s, T.amount_kind, self.measures.get(column.measure, T.other))
        self.add(s, T.phase, self.column_phase(column))
        if of_year is not None:
            self.add(s, T.fiscal_year, N(YEAR[str(of_year)]))
        elif self.year is not None:
            self.add(s, T.fiscal_year, self.year)
        if self.dept is not None:
            self.add(s, T.organization, self.dept)

    def column_phase(self, column: Column) -> ox.NamedNode:
        return T.executed if column.phase == "executed" else T.approved if column.phase == "approved" else self.phase

    def project(self, name: str) -> ox.NamedNode:
        """The document's project of this name (names compared without spaces and quotes)."""
        key = _name_key(name)
        s = self.projects.get(key)
        if s is None:
            s = self.projects[key] = self.node("project")
            self.add(s, RDF.type, BKG.Project)
            self.add(s, RDFS.label, lit(name, lang="zh"))
            self.add(s, DCT.isPartOf, self.doc)
            self.add(s, PROV.wasDerivedFrom, self.doc)
            if self.dept is not None:
                self.add(s, OBEU_DIM.organization, self.dept)
        return s

    def figure(self, project: ox.NamedNode, kind: object, a: Amount, *, stated: bool,
               pv: Provenance | None, phase: ox.NamedNode | None = None, rate: Decimal | None = None) -> ox.NamedNode:
        """One figure of a project's money, in the one model every source shares."""
        o = self.node("project-figure")
        self.add(o, RDF.type, BKG.ProjectAmount)
        self.add(o, OBEU_DIM.project, project)
        self.add(o, BKG.figure, kind)
        self.add(o, BKG.figureSource, BKG.Stated if stated else BKG.Tabulated)
        self.add(o, T.phase, phase or (T.executed if str(kind) == str(BKG.Execution) else T.approved))
        self.money(o, a)
        if self.year is not None:
            self.add(o, T.fiscal_year, self.year)
        if self.dept is not None:
            self.add(o, T.organization, self.dept)
        if rate is not None:
            self.add(o, BKG.completionRate, dec(rate))
        if pv is not None:
            self.provenance(o, pv)
        else:
            self.add(o, T.derived, self.doc)
        return o


Emitter = Callable[[Emission, object], None]
EMITTERS: dict[type, Emitter] = {}


def emits(*kinds: type) -> Callable[[Emitter], Emitter]:
    """Register an emitter for one or more record types."""
    def register(fn: Emitter) -> Emitter:
        for k in kinds:
            EMITTERS[k] = fn
        return fn
    return register


def extraction_to_quads(ex: "Extraction", minter: Minter | None = None) -> list[ox.Quad]:
    """The quads of one document: its facts in its graph, the reference data it names in the
    reference graphs."""
    m = minter or Minter()
    e = Emission(m=m, ex=ex, doc=N(m.document(ex.document.sha256)))
    emit_document(e)
    emit_tables(e)
    for r in ex.records:
        emitter = EMITTERS.get(type(r))
        if emitter is not None:
            emitter(e, r)
    emit_stated_project_money(e)
    for st in ex.statements:
        emit_statement(e, st)
    for f in ex.findings:
        emit_finding(e, f)
    e.quads += quads_to_topic_quads(e.quads, e.doc, m.base)     # topics of what the document says, in its graph
    return e.quads


# ------------------------------------------------------------------ the document and its reference data

def emit_document(e: Emission) -> None:
    ex, p, doc = e.ex, e.ex.profile, e.doc
    e.add(doc, RDF.type, BKG.BudgetDocument)
    e.add(doc, BKG.sha256, lit(ex.document.sha256))
    e.add(doc, BKG.layout, lit(ex.document.layout))
    e.add(doc, DCT.source, lit(ex.document.source.rsplit("/", 1)[-1]))
    e.add(doc, PROV.generatedAtTime, lit(datetime.now(timezone.utc).replace(microsecond=0).isoformat(), XSD.dateTime))
    if p.title:
        e.add(doc, DCT.title, lit(p.title, lang="zh"))
    if p.kind:
        e.add(doc, BKG.documentKind, _KIND[p.kind])
    if p.template:
        e.add(doc, BKG.isTemplate, lit("true", XSD.boolean))
    e.phase = T.executed if p.kind == "决算" else T.approved
    if p.year:
        e.year = N(YEAR[str(p.year)])
        e.add(doc, OBEU_DIM.fiscalYear, e.year)
        e.ref("years", e.year, RDFS.label, lit(p.year))
    if p.division_code:
        e.division = N(e.m.division(p.division_code))
        e.add(doc, BKG.division, e.division)
        emit_divisions(e, p)
    if p.department:
        emit_department(e, p)
    if p.unit_mult is not None:
        e.add(doc, SDMX_ATTR.unitMult, lit(p.unit_mult, XSD.integer))
    e.add(doc, OBEU_ATTR.currency, CNY)


def emit_divisions(e: Emission, p) -> None:
    """The division and its broader chain (province › city › district), in reference/divisions."""
    code = p.division_code
    levels = [(code[:2] + "0000", p.province, "province"), (code[:4] + "00", p.city, "city"),
              (code, p.district, "district")]
    prev = None
    for c, name, level in levels:
        if not name:
            continue
        d = N(e.m.division(c))
        e.ref("divisions", d, RDF.type, BKG.AdministrativeDivision)
        e.ref("divisions", d, SKOS.notation, lit(c))
        e.ref("divisions", d, SKOS.prefLabel, lit(name, lang="zh"))
        e.ref("divisions", d, BKG.divisionLevel, lit(level))
        if prev is not None and prev != d:
            e.ref("divisions", d, SKOS.broader, prev)
        prev = d


def emit_department(e: Emission, p) -> None:
    """The issuing department and its units, in reference/departments; the document's links to
    them in its own graph."""
    key = department_key(p)         # one node whatever form of its name a document prints
    dept = e.dept = N(e.m.department(p.division_code, key))
    e.add(e.doc, BKG.issuedBy, dept)
    e.ref("departments", dept, RDF.type, ORG.FormalOrganization)
    e.ref("departments", dept, RDFS.label, lit(department_label(p, key), lang="zh"))
    e.ref("departments", dept, SKOS.altLabel, lit(p.department, lang="zh"))
    if e.division is not None:
        e.ref("departments", dept, BKG.division, e.division)
    for u in p.units:
        unit = emit_unit(e, u)
        e.add(e.doc, BKG.budgetUnit, unit)


def emit_unit(e: Emission, name: str) -> ox.NamedNode:
    p = e.ex.profile
    key, label = unit_key(p, name, department_key(p))      # the department's own name: its 本级
    unit = N(e.m.unit(p.division_code, key))
    e.ref("departments", unit, RDF.type, ORG.OrganizationalUnit)
    e.ref("departments", unit, RDFS.label, lit(label, lang="zh"))
    if label != name:
        e.ref("departments", unit, SKOS.altLabel, lit(name, lang="zh"))
    if e.dept is not None:
        e.ref("departments", unit, ORG.subOrganizationOf, e.dept)
        e.ref("departments", e.dept, ORG.hasUnit, unit)
    return unit


def emit_concept(e: Emission, scheme: str, code: str, label: str) -> ox.NamedNode:
    """A classification concept with its broader chain up to its 类, in reference/subjects."""
    c = N(e.m.subject(scheme, code))
    top = N(e.m.scheme(scheme))
    if label:
        e.ref("subjects", c, T.alt_label, lit(label, lang="zh"))
    while (scheme, code) not in e.concepts:     # a concept written has its chain written too
        e.concepts.add((scheme, code))
        node = N(e.m.subject(scheme, code))
        e.ref("subjects", node, T.type, T.concept)
        e.ref("subjects", node, T.notation, lit(code))
        e.ref("subjects", node, T.in_scheme, top)
        if len(code) <= 3:
            e.ref("subjects", node, T.top_concept_of, top)
            break
        parent = code[:-2]
        e.ref("subjects", node, T.broader, N(e.m.subject(scheme, parent)))
        code = parent
    return c


def emit_tables(e: Emission) -> None:
    for t in e.ex.tables:
        ds = e.table(t.index)
        e.add(ds, RDF.type, BKG.BudgetTable)
        e.add(ds, RDF.type, QB.DataSet)
        e.add(ds, DCT.isPartOf, e.doc)
        e.add(ds, RDFS.label, lit(t.title or t.kind, lang="zh"))
        e.add(ds, BKG.tableKind, lit(t.kind))
        e.add(ds, BKG.tableIndex, lit(t.index, XSD.integer))
        e.add(ds, BKG.declaredEmpty, lit("true" if t.declared_empty else "false", XSD.boolean))
        if t.unit_mult is not None:
            e.add(ds, SDMX_ATTR.unitMult, lit(t.unit_mult, XSD.integer))
        if t.line is not None:
            e.add(ds, BKG.sourceLine, lit(t.line, XSD.integer))


# ------------------------------------------------------------------ one emitter per record type

@emits(BudgetLine)
def emit_budget_line(e: Emission, r: BudgetLine) -> None:
    s = e.node("obs")
    e.add(s, T.type, T.observation)
    e.add(s, T.dataset, e.table(r.prov.table))
    e.add(s, T.operation, T.revenue if r.direction == "revenue" else T.expenditure)
    if r.code:
        c = emit_concept(e, r.scheme, r.code, r.label)
        e.add(s, T.functional if r.scheme == "function" else T.economic, c)
    e.add(s, T.printed_label, ox.Literal(r.label))
    e.amount(s, r.amount, r.column)
    if r.rate is not None:
        e.add(s, BKG.completionRate, dec(r.rate))
    e.provenance(s, r.prov)


@emits(TotalLine)
def emit_total_line(e: Emission, r: TotalLine) -> None:
    s = e.node("total")
    e.add(s, RDF.type, QB.Observation)
    e.add(s, RDF.type, BKG.TotalLine)
    e.add(s, QB.dataSet, e.table(r.prov.table))
    e.add(s, BKG.item, lit(r.item))
    e.add(s, OBEU_DIM.operationCharacter, OPCHAR.revenue if r.side == "revenue" else OPCHAR.expenditure)
    e.amount(s, r.amount, r.column)
    e.provenance(s, r.prov)


@emits(ItemLine)
def emit_item_line(e: Emission, r: ItemLine) -> None:
    s = e.node("item")
    e.add(s, RDF.type, QB.Observation)
    e.add(s, QB.dataSet, e.table(r.prov.table))
    e.add(s, BKG.item, lit(r.item))
    for code in r.codes:
        e.add(s, BKG.itemCode, lit(code))
    e.add(s, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
    e.amount(s, r.amount, r.column)
    e.provenance(s, r.prov)


@emits(ThreePublicLine)
def emit_three_public(e: Emission, r: ThreePublicLine) -> None:
    s = e.node("three-public")
    e.add(s, RDF.type, QB.Observation)
    e.add(s, RDF.type, BKG.ThreePublicExpense)
    e.add(s, QB.dataSet, e.table(r.prov.table))
    e.add(s, BKG.category, _CATEGORY[r.category])
    e.add(s, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
    e.amount(s, r.amount, r.column, of_year=r.year)
    e.provenance(s, r.prov)


@emits(Project)
def emit_project(e: Emission, r: Project) -> None:
    """A 项目支出表 row: the project, and one observation per amount column; its 合计 column is
    also the project's tabulated budget (or execution, in a 决算) in the one model of its money."""
    s = e.node("project")
    e.projects.setdefault(_name_key(r.name), s)
    e.add(s, RDF.type, BKG.Project)
    e.add(s, RDFS.label, lit(r.name, lang="zh"))
    e.add(s, BKG.description, lit(r.description, lang="zh"))
    e.add(s, DCT.isPartOf, e.doc)
    if r.unit:
        e.add(s, BKG.unitName, lit(r.unit))
        e.add(s, BKG.budgetUnit, emit_unit(e, r.unit))
    if e.dept is not None:
        e.add(s, OBEU_DIM.organization, e.dept)
    totals = [(c, a) for c, a in r.amounts if c.measure == "total"] or r.amounts[:1]
    for column, a in r.amounts:
        o = e.node("project-amount")
        e.add(o, RDF.type, QB.Observation)
        e.add(o, QB.dataSet, e.table(r.prov.table))
        e.add(o, OBEU_DIM.project, s)
        e.add(o, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
        e.amount(o, a, column)
        e.provenance(o, r.prov)
    for column, a in totals[:1]:
        phase = e.column_phase(column)
        e.figure(s, BKG.Execution if phase == T.executed else BKG.InitialBudget, a, stated=False, pv=r.prov,
                 phase=phase)
    e.provenance(s, r.prov)


@emits(PerformanceProject)
def emit_performance(e: Emission, r: PerformanceProject) -> None:
    """A 绩效目标表 or 绩效自评表: the record, and its budget and execution as the project's figures
    (a target form's budget is the 年初 one; a self-evaluation's the 全年 one)."""
    department = r.scope == "department" and e.dept is not None
    owner = e.dept if department else e.project(r.name)
    s = e.node("performance")
    e.records[r.name] = s
    e.add(owner, BKG.performance, s)
    e.add(s, RDF.type, BKG.PerformanceRecord)
    e.add(s, BKG.recordKind, lit(r.kind))
    e.add(s, BKG.scope, lit(r.scope))
    e.add(s, RDFS.label, lit(r.name, lang="zh"))
    for pred, val in ((BKG.goal, r.goal), (BKG.achieved, r.achieved), (BKG.executionRate, r.rate),
                      (BKG.unitName, r.unit)):
        if val:
            e.add(s, pred, lit(val))
    if r.score and _decimal(r.score) is not None:
        e.add(s, BKG.totalScore, lit(r.score, XSD.decimal))
    if r.budget is not None:
        e.add(s, BKG.budgetAmount, dec(r.budget.yuan))
    if r.executed is not None:
        e.add(s, BKG.executedAmount, dec(r.executed.yuan))
    if r.prov is not None:
        e.provenance(s, r.prov)
    if department:
        return
    evaluation = r.kind == "self-evaluation"
    if r.budget is not None:
        kind = BKG.AdjustedBudget if evaluation else BKG.InitialBudget
        e.figure(owner, kind, r.budget, stated=False, pv=r.prov)
        e.tabulated.setdefault((owner.value, str(kind)), (r.budget, r.prov))
    if r.executed is not None:
        e.figure(owner, BKG.Execution, r.executed, stated=False, pv=r.prov, rate=_rate(r.rate))
        e.tabulated.setdefault((owner.value, str(BKG.Execution)), (r.executed, r.prov))


def emit_stated_project_money(e: Emission) -> None:
    """The figures the text states of a project (its self-evaluation summary), kept beside the
    tabulated ones as stated figures; a disagreement with the 绩效自评表 is a finding."""
    for st in getattr(e.ex, "project_money", ()):
        project = _find_project(e, st.name)
        if project is None:
            continue
        for kind, what, a in ((BKG.AdjustedBudget, "全年预算数", st.budget), (BKG.Execution, "全年执行数", st.executed)):
            if a is None:
                continue
            e.figure(project, kind, a, stated=True, pv=st.prov, rate=st.rate if kind == BKG.Execution else None)
            table = e.tabulated.get((project.value, str(kind)))
            if table is not None:
                f = disagreement(st.name, what, a, st.prov, *table)
                if f is not None:
                    emit_finding(e, f)


def _find_project(e: Emission, name: str) -> ox.NamedNode | None:
    """The document's project a text names, with or without a trailing 项目."""
    key = _name_key(name)
    for k in (key, re.sub(r"(项目)+$", "", key), re.sub(r"项目$", "", key) + "项目"):
        if k in e.projects:
            return e.projects[k]
    return None


#: an indicator's fields as plain literals and as decimals: (predicate, attribute), in emitted order
_INDICATOR_TEXTS = tuple((N(p), a) for p, a in (
    (BKG.level1, "level1"), (BKG.level2, "level2"), (BKG.operator, "operator"), (BKG.target, "target"),
    (BKG.measureUnit, "unit"), (BKG.deadline, "deadline"), (BKG.actual, "actual"), (BKG.completion, "degree"),
    (BKG.reason, "reason"), (BKG.recordKind, "kind")))
_INDICATOR_DECIMALS = tuple((N(p), a) for p, a in (
    (BKG.targetValue, "target_value"), (BKG.weight, "weight"), (BKG.score, "score")))


@emits(Indicator)
def emit_indicator(e: Emission, r: Indicator) -> None:
    s = e.node("indicator")
    owner = e.records.get(r.project)
    if owner is not None:
        e.add(owner, BKG.indicator, s)
    e.add(s, T.type, BKG.PerformanceIndicator)
    e.add(s, RDFS.label, lit(r.name, lang="zh"))
    for pred, attr in _INDICATOR_TEXTS:
        val = getattr(r, attr)
        if val:
            e.add(s, pred, lit(val))
    for pred, attr in _INDICATOR_DECIMALS:
        val = getattr(r, attr)
        if val is not None:
            e.add(s, pred, dec(val))
    if r.prov is not None:
        e.provenance(s, r.prov)


@emits(Responsibility)
def emit_responsibility(e: Emission, r: Responsibility) -> None:
    s = e.node("duty")
    e.add(s, RDF.type, BKG.Responsibility)
    e.add(s, BKG.number, lit(r.number, XSD.integer))
    e.add(s, RDFS.label, lit(r.text, lang="zh"))
    e.add(s, DCT.isPartOf, e.doc)
    if e.dept is not None:
        e.add(e.dept, ORG.purpose, s)
    e.provenance(s, r.prov)


def emit_statement(e: Emission, st: "Statement") -> None:
    s = e.node("statement")
    e.add(s, RDF.type, BKG.Statement)
    e.add(s, BKG.statementKind, lit(st.kind))
    e.add(s, BKG.about, lit(st.subject))
    e.add(s, BKG.printedAmount, lit(st.amount.printed))
    if st.unit == "元":
        e.add(s, OBEU_MEASURE.amount, dec(st.amount.yuan))
        e.add(s, SDMX_ATTR.unitMult, lit(st.amount.unit_mult, XSD.integer))
    else:       # a rate or a count: its value in its printed unit, never an amount of money
        e.add(s, BKG.statedValue, dec(st.amount.value))
        e.add(s, BKG.printedUnit, lit(st.unit))
    if e.year is not None:
        e.add(s, OBEU_DIM.fiscalYear, e.year)
    if st.budget is not None:
        e.add(s, BKG.budgetAmount, dec(st.budget.yuan))
    if st.rate is not None:
        e.add(s, BKG.completionRate, dec(st.rate))
    if st.comparison:
        e.add(s, BKG.comparison, lit(st.comparison))
    if st.change is not None:
        e.add(s, BKG.change, dec(st.change.yuan))
    if st.reason:
        e.add(s, BKG.reason, lit(st.reason))
    if st.prov is not None:
        e.provenance(s, st.prov)


def emit_finding(e: Emission, f: "Finding") -> None:
    s = e.node("finding")
    e.add(e.doc, BKG.finding, s)
    e.add(s, RDF.type, BKG.Finding)
    e.add(s, BKG.rule, lit(f.rule))
    e.add(s, BKG.severity, lit(f.severity))
    e.add(s, BKG.message, lit(f.message))
    e.add(s, PROV.wasDerivedFrom, e.doc)
    if f.difference is not None:
        e.add(s, BKG.difference, dec(f.difference))
    for k, side in enumerate(f.sides):
        o = N(f"{s.value}/side/{k}")
        e.add(s, BKG.compares, o)
        e.add(o, RDF.type, BKG.FindingSide)
        e.add(o, BKG.sideIndex, lit(k, XSD.integer))
        e.add(o, RDFS.label, lit(side.label))
        for pred, value in side_values(side):
            e.add(o, pred, value)
        if side.prov is not None:
            e.provenance(o, side.prov)


_SIDE_UNIT = {"rate": "%", "year": "年"}


def side_values(side) -> list[tuple[str, ox.Literal]]:
    """What a finding's side states, by its kind: money an amount in 元; a rate or a year its
    number (rdf:value) with the printed unit; a name or words only the text as printed. Empty is
    not zero: a side that is no amount of money never gets one."""
    out = [(BKG.printedAmount, lit(side.printed))]
    kind = getattr(side, "kind", "money")
    if kind == "money":
        out.append((OBEU_MEASURE.amount, dec(side.value)))
    elif kind in _SIDE_UNIT:
        out.append((RDF.value, dec(side.value)))
        out.append((BKG.printedUnit, lit(_SIDE_UNIT[kind])))
    return out


def _name_key(name: str) -> str:
    """Project names compared without spaces, quotes and brackets' width."""
    return re.sub(r"[\s“”\"'《》()（）]", "", name)


def _decimal(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _rate(text: str | None) -> Decimal | None:
    """A printed 执行率 (100%, 0.0%) as a number of percent."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*", text or "")
    return Decimal(m.group(1)) if m else None
