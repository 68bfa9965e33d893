"""Records → RDF quads in the document's named graph; IRIs are deterministic and readable."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import pyoxigraph as ox

from .model import (BudgetLine, Indicator, ItemLine, PerformanceProject, Project, Provenance, Responsibility,
                    ThreePublicLine, TotalLine)
from .pipeline import Extraction
from .vocab import (BKG, CNY, DCT, DEFAULT_BASE, OBEU_ATTR, OBEU_DIM, OBEU_MEASURE, OPCHAR, ORG, PHASE, PROV,
                    QB, RDF, RDFS, SDMX_ATTR, SKOS, XSD, YEAR)

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


def lit(value: object, datatype: object | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=N(datatype)) if datatype else ox.Literal(str(value))


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


def extraction_to_quads(ex: Extraction, minter: Minter | None = None) -> list[ox.Quad]:
    m = minter or Minter()
    p = ex.profile
    doc = N(m.document(ex.document.sha256))
    g = doc
    quads: list[ox.Quad] = []

    def add(s: object, pred: object, o: object) -> None:
        quads.append(ox.Quad(s if isinstance(s, (ox.NamedNode, ox.BlankNode)) else N(s),
                             pred if isinstance(pred, ox.NamedNode) else N(pred),
                             o if isinstance(o, (ox.NamedNode, ox.Literal, ox.BlankNode)) else N(o), g))

    add(doc, RDF.type, BKG.BudgetDocument)
    add(doc, BKG.sha256, lit(ex.document.sha256))
    add(doc, BKG.layout, lit(ex.document.layout))
    add(doc, DCT.source, lit(ex.document.source.rsplit("/", 1)[-1]))
    add(doc, PROV.generatedAtTime, lit(datetime.now(timezone.utc).replace(microsecond=0).isoformat(), XSD.dateTime))
    if p.title:
        add(doc, DCT.title, lit(p.title, lang="zh"))
    if p.kind:
        add(doc, BKG.documentKind, _KIND[p.kind])
    if p.template:
        add(doc, BKG.isTemplate, lit("true", XSD.boolean))
    phase = PHASE.executed if p.kind == "决算" else PHASE.approved
    year = N(YEAR[str(p.year)]) if p.year else None
    if year is not None:
        add(doc, OBEU_DIM.fiscalYear, year)
    division = None
    if p.division_code:
        division = N(m.division(p.division_code))
        add(doc, BKG.division, division)
        _division_quads(add, m, p)
    dept = None
    if p.department:
        dept = N(m.department(p.division_code, p.department_short or p.department))
        add(doc, BKG.issuedBy, dept)
        add(dept, RDF.type, ORG.FormalOrganization)
        add(dept, RDFS.label, lit(canonical_name(p), lang="zh"))
        add(dept, SKOS.altLabel, lit(p.department, lang="zh"))
        if division is not None:
            add(dept, BKG.division, division)
        for u in p.units:
            unit = N(m.unit(p.division_code, u))
            add(doc, BKG.budgetUnit, unit)
            add(unit, RDF.type, ORG.OrganizationalUnit)
            add(unit, RDFS.label, lit(u, lang="zh"))
            add(unit, ORG.subOrganizationOf, dept)
            add(dept, ORG.hasUnit, unit)
    if p.unit_mult is not None:
        add(doc, SDMX_ATTR.unitMult, lit(p.unit_mult, XSD.integer))
    add(doc, OBEU_ATTR.currency, CNY)

    for t in ex.tables:
        ds = N(f"{doc.value}/table/{t.index}")
        add(ds, RDF.type, BKG.BudgetTable)
        add(ds, RDF.type, QB.DataSet)
        add(ds, DCT.isPartOf, doc)
        add(ds, RDFS.label, lit(t.title or t.kind, lang="zh"))
        add(ds, BKG.tableKind, lit(t.kind))
        add(ds, BKG.tableIndex, lit(t.index, XSD.integer))
        add(ds, BKG.declaredEmpty, lit("true" if t.declared_empty else "false", XSD.boolean))
        if t.unit_mult is not None:
            add(ds, SDMX_ATTR.unitMult, lit(t.unit_mult, XSD.integer))
        if t.line is not None:
            add(ds, BKG.sourceLine, lit(t.line, XSD.integer))

    counters: dict[str, int] = {}

    def node(kind: str) -> ox.NamedNode:
        counters[kind] = counters.get(kind, 0) + 1
        return N(f"{doc.value}/{kind}/{counters[kind]}")

    tables = {}

    def table_node(index: int) -> ox.NamedNode:
        node = tables.get(index)
        if node is None:
            node = tables[index] = N(f"{doc.value}/table/{index}")
        return node

    def provenance(s: ox.NamedNode, pv: Provenance) -> None:
        add(s, T.derived, doc)
        if pv.table is not None:
            add(s, T.source_table, table_node(pv.table))
        if pv.row is not None:
            add(s, T.source_row, ox.Literal(str(pv.row), datatype=T.integer))
        if pv.line is not None:
            add(s, T.source_line, ox.Literal(str(pv.line), datatype=T.integer))
        if pv.page is not None:
            add(s, T.source_page, ox.Literal(str(pv.page), datatype=T.integer))
        add(s, T.raw_row, ox.Literal(pv.raw))

    measures = {k: N(v) for k, v in _MEASURE.items()}
    default_phase = N(phase)

    def amount(s: ox.NamedNode, a, column, of_year: int | None = None) -> None:
        add(s, T.amount, ox.Literal(format(a.yuan, "f"), datatype=T.decimal))
        add(s, T.printed, ox.Literal(a.printed))
        add(s, T.unit_mult, ox.Literal(str(a.unit_mult), datatype=T.integer))
        add(s, T.currency, T.cny)
        add(s, T.column, ox.Literal(column.label))
        add(s, T.amount_kind, measures.get(column.measure, T.other))
        add(s, T.phase, T.executed if column.phase == "executed" else T.approved if column.phase == "approved"
            else default_phase)
        if of_year is not None:
            add(s, T.fiscal_year, N(YEAR[str(of_year)]))
        elif year is not None:
            add(s, T.fiscal_year, year)
        if dept is not None:
            add(s, T.organization, dept)

    concepts: set[str] = set()
    projects: dict[str, ox.NamedNode] = {}      # normalised name → project node
    records: dict[str, ox.NamedNode] = {}       # performance project name → its record node

    def project_node(name: str) -> ox.NamedNode:
        key = _name_key(name)
        if key not in projects:
            s = node("project")
            projects[key] = s
            add(s, RDF.type, BKG.Project)
            add(s, RDFS.label, lit(name, lang="zh"))
            add(s, DCT.isPartOf, doc)
            add(s, PROV.wasDerivedFrom, doc)
            if dept is not None:
                add(s, OBEU_DIM.organization, dept)
        return projects[key]

    for r in ex.records:
        if isinstance(r, BudgetLine):
            s = node("obs")
            add(s, T.type, T.observation)
            add(s, T.dataset, table_node(r.prov.table))
            add(s, T.operation, T.revenue if r.direction == "revenue" else T.expenditure)
            if r.code:
                c = N(m.subject(r.scheme, r.code))
                add(s, T.functional if r.scheme == "function" else T.economic, c)
                if (r.scheme, r.code, r.label) not in concepts:
                    concepts.add((r.scheme, r.code, r.label))  # type: ignore[arg-type]
                    _concept_quads(add, m, r.scheme, r.code, r.label)
            add(s, T.printed_label, ox.Literal(r.label))
            amount(s, r.amount, r.column)
            if r.rate is not None:
                add(s, BKG.completionRate, lit(format(r.rate, "f"), XSD.decimal))
            provenance(s, r.prov)
        elif isinstance(r, TotalLine):
            s = node("total")
            add(s, RDF.type, QB.Observation)
            add(s, RDF.type, BKG.TotalLine)
            add(s, QB.dataSet, N(f"{doc.value}/table/{r.prov.table}"))
            add(s, BKG.item, lit(r.item))
            add(s, OBEU_DIM.operationCharacter, OPCHAR.revenue if r.side == "revenue" else OPCHAR.expenditure)
            amount(s, r.amount, r.column)
            provenance(s, r.prov)
        elif isinstance(r, ItemLine):
            s = node("item")
            add(s, RDF.type, QB.Observation)
            add(s, QB.dataSet, N(f"{doc.value}/table/{r.prov.table}"))
            add(s, BKG.item, lit(r.item))
            for code in r.codes:
                add(s, BKG.itemCode, lit(code))
            add(s, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
            amount(s, r.amount, r.column)
            provenance(s, r.prov)
        elif isinstance(r, ThreePublicLine):
            s = node("three-public")
            add(s, RDF.type, QB.Observation)
            add(s, RDF.type, BKG.ThreePublicExpense)
            add(s, QB.dataSet, N(f"{doc.value}/table/{r.prov.table}"))
            add(s, BKG.category, _CATEGORY[r.category])
            add(s, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
            amount(s, r.amount, r.column, of_year=r.year)
            provenance(s, r.prov)
        elif isinstance(r, Project):
            s = node("project")
            projects.setdefault(_name_key(r.name), s)
            add(s, RDF.type, BKG.Project)
            add(s, RDFS.label, lit(r.name, lang="zh"))
            add(s, BKG.description, lit(r.description, lang="zh"))
            add(s, DCT.isPartOf, doc)
            if r.unit:
                add(s, BKG.unitName, lit(r.unit))
                add(s, BKG.budgetUnit, N(m.unit(p.division_code, r.unit)))
            if dept is not None:
                add(s, OBEU_DIM.organization, dept)
            for column, a in r.amounts:
                o = node("project-amount")
                add(o, RDF.type, QB.Observation)
                add(o, QB.dataSet, N(f"{doc.value}/table/{r.prov.table}"))
                add(o, OBEU_DIM.project, s)
                add(o, OBEU_DIM.operationCharacter, OPCHAR.expenditure)
                amount(o, a, column)
                provenance(o, r.prov)
            provenance(s, r.prov)
        elif isinstance(r, PerformanceProject):
            owner = dept if (r.scope == "department" and dept is not None) else project_node(r.name)
            s = node("performance")
            records[r.name] = s
            add(owner, BKG.performance, s)
            add(s, RDF.type, BKG.PerformanceRecord)
            add(s, BKG.recordKind, lit(r.kind))
            add(s, BKG.scope, lit(r.scope))
            add(s, RDFS.label, lit(r.name, lang="zh"))
            for pred, val in ((BKG.goal, r.goal), (BKG.achieved, r.achieved), (BKG.executionRate, r.rate),
                              (BKG.unitName, r.unit)):
                if val:
                    add(s, pred, lit(val))
            if r.score and _decimal(r.score) is not None:
                add(s, BKG.totalScore, lit(r.score, XSD.decimal))
            if r.budget is not None:
                add(s, BKG.budgetAmount, lit(format(r.budget.yuan, "f"), XSD.decimal))
            if r.executed is not None:
                add(s, BKG.executedAmount, lit(format(r.executed.yuan, "f"), XSD.decimal))
            if r.prov is not None:
                provenance(s, r.prov)
        elif isinstance(r, Indicator):
            s = node("indicator")
            owner = records.get(r.project)
            if owner is not None:
                add(owner, BKG.indicator, s)
            add(s, RDF.type, BKG.PerformanceIndicator)
            add(s, RDFS.label, lit(r.name, lang="zh"))
            for pred, val in ((BKG.level1, r.level1), (BKG.level2, r.level2), (BKG.operator, r.operator),
                              (BKG.target, r.target), (BKG.measureUnit, r.unit), (BKG.deadline, r.deadline),
                              (BKG.actual, r.actual), (BKG.completion, r.degree), (BKG.reason, r.reason),
                              (BKG.recordKind, r.kind)):
                if val:
                    add(s, pred, lit(val))
            for pred, val in ((BKG.targetValue, r.target_value), (BKG.weight, r.weight), (BKG.score, r.score)):
                if val is not None:
                    add(s, pred, lit(format(val, "f"), XSD.decimal))
            if r.prov is not None:
                provenance(s, r.prov)
        elif isinstance(r, Responsibility):
            s = node("duty")
            add(s, RDF.type, BKG.Responsibility)
            add(s, BKG.number, lit(r.number, XSD.integer))
            add(s, RDFS.label, lit(r.text, lang="zh"))
            add(s, DCT.isPartOf, doc)
            if dept is not None:
                add(dept, ORG.purpose, s)
            provenance(s, r.prov)
    for st in ex.statements:
        s = node("statement")
        add(s, RDF.type, BKG.Statement)
        add(s, BKG.statementKind, lit(st.kind))
        add(s, BKG.about, lit(st.subject))
        add(s, BKG.printedAmount, lit(st.amount.printed))
        if st.unit == "元":
            add(s, OBEU_MEASURE.amount, lit(format(st.amount.yuan, "f"), XSD.decimal))
            add(s, SDMX_ATTR.unitMult, lit(st.amount.unit_mult, XSD.integer))
        else:       # a rate or a count: its value in its printed unit, never an amount of money
            add(s, BKG.statedValue, lit(format(st.amount.value, "f"), XSD.decimal))
            add(s, BKG.printedUnit, lit(st.unit))
        if year is not None:
            add(s, OBEU_DIM.fiscalYear, year)
        if st.budget is not None:
            add(s, BKG.budgetAmount, lit(format(st.budget.yuan, "f"), XSD.decimal))
        if st.rate is not None:
            add(s, BKG.completionRate, lit(format(st.rate, "f"), XSD.decimal))
        if st.comparison:
            add(s, BKG.comparison, lit(st.comparison))
        if st.change is not None:
            add(s, BKG.change, lit(format(st.change.yuan, "f"), XSD.decimal))
        if st.reason:
            add(s, BKG.reason, lit(st.reason))
        if st.prov is not None:
            provenance(s, st.prov)

    for f in ex.findings:
        s = node("finding")
        add(doc, BKG.finding, s)
        add(s, RDF.type, BKG.Finding)
        add(s, BKG.rule, lit(f.rule))
        add(s, BKG.severity, lit(f.severity))
        add(s, BKG.message, lit(f.message))
        add(s, PROV.wasDerivedFrom, doc)
        if f.difference is not None:
            add(s, BKG.difference, lit(format(f.difference, "f"), XSD.decimal))
        for k, side in enumerate(f.sides):
            o = N(f"{s.value}/side/{k}")
            add(s, BKG.compares, o)
            add(o, RDF.type, BKG.FindingSide)
            add(o, BKG.sideIndex, lit(k, XSD.integer))
            add(o, RDFS.label, lit(side.label))
            add(o, OBEU_MEASURE.amount, lit(format(side.value, "f"), XSD.decimal))
            add(o, BKG.printedAmount, lit(side.printed))
            if side.prov is not None:
                provenance(o, side.prov)
    return quads


def _name_key(name: str) -> str:
    """Project names compared without spaces, quotes and brackets' width."""
    return re.sub(r"[\s“”\"'《》()（）]", "", name)


def _decimal(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _concept_quads(add, m: Minter, scheme: str, code: str, label: str) -> None:
    c = N(m.subject(scheme, code))
    add(c, RDF.type, SKOS.Concept)
    add(c, SKOS.notation, lit(code))
    add(c, SKOS.inScheme, N(m.scheme(scheme)))
    if label:
        add(c, SKOS.altLabel, lit(label, lang="zh"))
    if len(code) > 3:
        parent = code[:-2]
        add(c, SKOS.broader, N(m.subject(scheme, parent)))
        add(N(m.subject(scheme, parent)), SKOS.notation, lit(parent))
        add(N(m.subject(scheme, parent)), SKOS.inScheme, N(m.scheme(scheme)))
    else:
        add(c, SKOS.topConceptOf, N(m.scheme(scheme)))


def _division_quads(add, m: Minter, p) -> None:
    code = p.division_code
    levels = [(code[:2] + "0000", p.province, "province"), (code[:4] + "00", p.city, "city"), (code, p.district, "district")]
    prev = None
    for c, name, level in levels:
        if not name:
            continue
        d = N(m.division(c))
        add(d, RDF.type, BKG.AdministrativeDivision)
        add(d, SKOS.notation, lit(c))
        add(d, SKOS.prefLabel, lit(name, lang="zh"))
        add(d, BKG.divisionLevel, lit(level))
        if prev is not None and prev != d:
            add(d, SKOS.broader, prev)
        prev = d
