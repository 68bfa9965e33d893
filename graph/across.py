"""Checks across the documents of a store, run after a build (`budgetkg check`): the facts read
with one query per kind, the rules in `extract/rules_across.py`, the findings written into the
graph of the later document (each side naming its own document, table and page). Every run
first removes the findings the previous run wrote, so they follow the store's documents."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from ..extract.rules_across import DocFacts, Figure, check_across
from .queries import select

BKG = "https://w3id.org/budgetkg/ontology#"
MARK = "/finding/across/"
RULES = ("final-budget-equals-budget-document", "year-on-year-change")

_PREFIXES = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX opchar: <http://data.openbudgets.eu/resource/codelist/operation-character/>
"""
DOCS = _PREFIXES + """SELECT ?document ?source ?dept ?name ?year ?kind WHERE {
  ?document a bkg:BudgetDocument ; bkg:issuedBy ?dept ; bkg:documentKind ?k ; dct:source ?source ;
            obeu-dimension:fiscalYear ?year .
  ?k skos:prefLabel ?kind . ?dept rdfs:label ?name .
}"""
FIGURE = """ ; obeu-measure:amount ?v ; bkg:printedAmount ?printed ; prov:wasDerivedFrom ?document .
  OPTIONAL { ?o sdmx-attribute:unitMult ?unit }
  OPTIONAL { ?o bkg:sourceTable ?table . OPTIONAL { ?table rdfs:label ?title } }
  OPTIONAL { ?o bkg:sourcePage ?page } OPTIONAL { ?o bkg:sourceLine ?line } OPTIONAL { ?o bkg:sourceRow ?row }"""
THREE = _PREFIXES + """SELECT ?document ?y ?category ?phase ?v ?printed ?unit ?table ?title ?page ?line ?row WHERE {
  ?o a bkg:ThreePublicExpense ; bkg:category ?category ; bkg:amountKind bkg:Total ; obeu-dimension:budgetPhase ?phase ;
     obeu-dimension:fiscalYear ?y""" + FIGURE + """
}"""
TOTALS = _PREFIXES + """SELECT ?document ?phase ?v ?printed ?unit ?table ?title ?page ?line ?row WHERE {
  ?o bkg:amountKind bkg:Total ; bkg:printedLabel ?label ; obeu-dimension:operationCharacter opchar:expenditure""" \
    + FIGURE + """
  OPTIONAL { ?o obeu-dimension:budgetPhase ?phase }
  FILTER(CONTAINS(?label, "合计"))
  FILTER NOT EXISTS { ?o obeu-dimension:functionalClassification ?c }
  FILTER NOT EXISTS { ?o obeu-dimension:economicClassification ?e }
}"""
_CATEGORY = {"threePublicTotal": "total", "abroad": "abroad", "reception": "reception", "vehicle": "vehicle",
             "vehiclePurchase": "vehicle-purchase", "vehicleOperation": "vehicle-operation"}


def _int(v: str | None) -> int | None:
    return int(v) if v is not None else None


def _figure(r: dict) -> Figure:
    return Figure(value=Decimal(r["v"]), printed=r["printed"], unit_mult=_int(r["unit"]) or 0, table=r["table"],
                  table_title=r["title"], page=_int(r["page"]), line=_int(r["line"]))


def store_facts(store) -> list[DocFacts]:
    """Each document's department, year, kind, its “三公” figures of its own year (the first printed
    per category and phase) and its expenditure 合计 (the largest, as the `totals` question)."""
    docs: dict[str, DocFacts] = {}
    for r in select(store, DOCS)[1]:
        year = int(r["year"].rsplit("/", 1)[-1]) if r["year"] else None
        docs.setdefault(r["document"], DocFacts(r["document"], r["source"], r["dept"], r["name"], year, r["kind"]))
    key = lambda r: (_int(r["page"]) or 0, _int(r["line"]) or 0, _int(r["row"]) or 0, r["table"] or "")
    for r in sorted(select(store, THREE)[1], key=key):
        d = docs.get(r["document"])
        cat = _CATEGORY.get(r["category"].rsplit("#", 1)[-1])
        if d is not None and cat is not None and r["y"].endswith(f"/{d.year}"):
            d.three.setdefault((cat, r["phase"].rsplit("/", 1)[-1]), _figure(r))
    for r in sorted(select(store, TOTALS)[1], key=key):
        d = docs.get(r["document"])
        own = "executed" if d is not None and d.kind == "决算" else "approved"
        if d is not None and (r["phase"] or own).endswith(own) and (d.total is None or Decimal(r["v"]) > d.total.value):
            d.total = _figure(r)
    return list(docs.values())


def findings_update(found) -> str:
    """One SPARQL Update: the findings of the previous run out, these in (each in its document's graph)."""
    parts = [f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o . "
             f"FILTER(CONTAINS(STR(?s), \"{MARK}\") || (isIRI(?o) && CONTAINS(STR(?o), \"{MARK}\"))) }} }}"]
    quads: list[ox.Quad] = []
    counters: dict[str, int] = {}
    N, L = ox.NamedNode, ox.Literal
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for doc, f in found:
        g = N(doc.document)
        counters[doc.document] = counters.get(doc.document, 0) + 1
        s = N(f"{doc.document}{MARK}{counters[doc.document]}")
        add = lambda a, p, o: quads.append(ox.Quad(a, N(p), o, g))
        add(g, BKG + "finding", s)
        add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", N(BKG + "Finding"))
        add(s, BKG + "rule", L(f.rule))
        add(s, BKG + "severity", L(f.severity))
        add(s, BKG + "message", L(f.message))
        add(s, "http://www.w3.org/ns/prov#wasDerivedFrom", g)
        if f.difference is not None:
            add(s, BKG + "difference", L(f"{f.difference:f}", datatype=N(xsd + "decimal")))
        for k, side in enumerate(f.sides):
            o = N(f"{s.value}/side/{k}")
            add(s, BKG + "compares", o)
            add(o, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", N(BKG + "FindingSide"))
            add(o, BKG + "sideIndex", L(str(k), datatype=N(xsd + "integer")))
            add(o, "http://www.w3.org/2000/01/rdf-schema#label", L(side.label))
            add(o, "http://data.openbudgets.eu/ontology/dsd/measure/amount", L(f"{side.value:f}", datatype=N(xsd + "decimal")))
            add(o, BKG + "printedAmount", L(side.printed))
            pv = side.prov
            if getattr(side, "document", ""):
                add(o, "http://www.w3.org/ns/prov#wasDerivedFrom", N(side.document))   # the side's own document
            if getattr(side, "table", None):
                add(o, BKG + "sourceTable", N(side.table))
            if pv is not None:
                if pv.page is not None:
                    add(o, BKG + "sourcePage", L(str(pv.page), datatype=N(xsd + "integer")))
                if pv.line is not None:
                    add(o, BKG + "sourceLine", L(str(pv.line), datatype=N(xsd + "integer")))
    if quads:
        body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
        parts.append(f"INSERT DATA {{\n{body}\n}}")
    return " ;\n".join(parts)


def run_across(store, update) -> list:
    """Read the facts from `store` (a pyoxigraph Store or a RemoteStore), check, and write with
    `update(sparql_update_text)`. Returns the (document, finding) pairs written."""
    found = check_across(store_facts(store))
    update(findings_update(found))
    return found
