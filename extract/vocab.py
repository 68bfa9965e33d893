"""Namespaces, declared once. `BKG` is closed (`_fail = True`): a misspelt term is an
error at import, not a silent new IRI; tests check it against ontology/budget.ttl."""
from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class BKG(DefinedNamespace):
    _NS = Namespace("https://w3id.org/budgetkg/ontology#")
    _fail = True

    BudgetDocument: URIRef
    BudgetTable: URIRef
    Project: URIRef
    Responsibility: URIRef
    ThreePublicExpense: URIRef
    TotalLine: URIRef
    AmountKind: URIRef
    DocumentKind: URIRef
    AdministrativeDivision: URIRef
    Total: URIRef
    Basic: URIRef
    ProjectExpenditure: URIRef
    Personnel: URIRef
    Office: URIRef
    OtherAmount: URIRef
    Budget: URIRef
    FinalAccount: URIRef
    BudgetApproval: URIRef
    abroad: URIRef
    reception: URIRef
    vehicle: URIRef
    vehiclePurchase: URIRef
    vehicleOperation: URIRef
    threePublicTotal: URIRef
    sha256: URIRef
    documentKind: URIRef
    issuedBy: URIRef
    budgetUnit: URIRef
    division: URIRef
    layout: URIRef
    tableKind: URIRef
    tableIndex: URIRef
    declaredEmpty: URIRef
    amountKind: URIRef
    column: URIRef
    printedAmount: URIRef
    printedLabel: URIRef
    item: URIRef
    side: URIRef
    category: URIRef
    description: URIRef
    unitName: URIRef
    number: URIRef
    sourceTable: URIRef
    sourceRow: URIRef
    sourceLine: URIRef
    sourcePage: URIRef
    rawRow: URIRef
    divisionLevel: URIRef
    Finding: URIRef
    FindingSide: URIRef
    severity: URIRef
    rule: URIRef
    message: URIRef
    difference: URIRef
    compares: URIRef
    sideIndex: URIRef
    finding: URIRef
    isTemplate: URIRef
    Statement: URIRef
    itemCode: URIRef
    statementKind: URIRef
    about: URIRef
    statedValue: URIRef
    printedUnit: URIRef
    completionRate: URIRef
    comparison: URIRef
    change: URIRef
    PerformanceRecord: URIRef
    PerformanceIndicator: URIRef
    performance: URIRef
    recordKind: URIRef
    scope: URIRef
    goal: URIRef
    achieved: URIRef
    totalScore: URIRef
    executionRate: URIRef
    budgetAmount: URIRef
    executedAmount: URIRef
    indicator: URIRef
    level1: URIRef
    level2: URIRef
    operator: URIRef
    target: URIRef
    targetValue: URIRef
    measureUnit: URIRef
    deadline: URIRef
    actual: URIRef
    completion: URIRef
    weight: URIRef
    score: URIRef
    reason: URIRef
    ProjectAmount: URIRef
    FigureKind: URIRef
    FigureSource: URIRef
    InitialBudget: URIRef
    AdjustedBudget: URIRef
    Execution: URIRef
    Tabulated: URIRef
    Stated: URIRef
    figure: URIRef
    figureSource: URIRef
    ProjectLink: URIRef
    earlierProject: URIRef
    laterProject: URIRef
    linkScore: URIRef
    linkMethod: URIRef


QB = Namespace("http://purl.org/linked-data/cube#")
OBEU_DIM = Namespace("http://data.openbudgets.eu/ontology/dsd/dimension/")
OBEU_MEASURE = Namespace("http://data.openbudgets.eu/ontology/dsd/measure/")
OBEU_ATTR = Namespace("http://data.openbudgets.eu/ontology/dsd/attribute/")
PHASE = Namespace("http://data.openbudgets.eu/resource/codelist/budget-phase/")
OPCHAR = Namespace("http://data.openbudgets.eu/resource/codelist/operation-character/")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
YEAR = Namespace("http://reference.data.gov.uk/id/year/")
CNY = URIRef("http://publications.europa.eu/resource/authority/currency/CNY")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

#: named graphs of their own: the ontology, and reference data shared by every document, each
#: triple written once (merged as documents arrive), never repeated in a document's graph
GRAPH_BASE = "https://w3id.org/budgetkg/graph/"
REFERENCE_GRAPHS = {kind: f"{GRAPH_BASE}reference/{kind}"
                    for kind in ("divisions", "departments", "subjects", "years")}

#: the default base of minted IRIs (settings.BASE_IRI overrides it)
DEFAULT_BASE = "https://w3id.org/budgetkg/id/"
