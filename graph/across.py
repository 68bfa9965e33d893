"""Checks across the documents of a store, run at the end of every build and by `budgetkg check`:
the facts read with one query per kind, the rules in `extract/rules_across.py`, the findings
written into one graph of their own (`ACROSS_GRAPH`) — never into a document's graph, so a
document rebuilt or removed takes no finding of another with it, and each finding is stored once.
The rules compare the documents of one department only, so a build checks again the departments
whose documents it added or dropped and replaces their findings alone (a build of one document
into 1,000 took 2 s for it, against 26 s for every department); `budgetkg check`, a server, and
findings made by other code (`across_version`) are checked whole — a group of departments at a
time (`GROUP_DOCUMENTS`), so the lines compared and the findings written are one group's however
large the store. A finding hangs off the later document (`bkg:finding`), each side naming its own
document, table and page."""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..extract.rules_across import DocFacts, Figure, check_across, fund_scope
from ..extract.to_rdf import side_values
from ..extract.vocab import GRAPH_BASE
from .queries import restrict, rows, select
from .store import version_quad

BKG = "https://w3id.org/budgetkg/ontology#"
MARK = "/finding/across/"
RULES = ("final-budget-equals-budget-document", "final-budget-lines-equal-budget-document", "year-on-year-change")
#: the graph the findings across documents live in (reference data of the store; see the module's docstring)
ACROSS_GRAPH = f"{GRAPH_BASE}findings/across"

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
#: the 预算数 lines of a 预算 and the 年初预算数 lines of a 决算 (phase approved, the document's own
#: year, the total column): per functional code, a per-code table's 合计, a 收支总表's 总计 lines
LINES = _PREFIXES + """SELECT ?document ?code ?label ?item ?column ?y ?v ?printed ?unit ?table ?title ?page ?line ?row WHERE {
  VALUES ?document { %s }
  ?o bkg:amountKind bkg:Total ; obeu-dimension:operationCharacter ?op ; bkg:column ?column ;
     obeu-dimension:budgetPhase <http://data.openbudgets.eu/resource/codelist/budget-phase/approved> ;
     obeu-dimension:fiscalYear ?y""" + FIGURE + """
  OPTIONAL { ?o obeu-dimension:functionalClassification ?c . ?c skos:notation ?code }
  OPTIONAL { ?o bkg:printedLabel ?label }
  OPTIONAL { ?o a bkg:TotalLine ; bkg:item ?item }
  FILTER(BOUND(?item) || ?op = opchar:expenditure)
  FILTER NOT EXISTS { ?o a bkg:ThreePublicExpense }
  FILTER NOT EXISTS { ?o obeu-dimension:economicClassification ?e }
}"""
_CATEGORY = {"threePublicTotal": "total", "abroad": "abroad", "reception": "reception", "vehicle": "vehicle",
             "vehiclePurchase": "vehicle-purchase", "vehicleOperation": "vehicle-operation"}


def _int(v: str | None) -> int | None:
    return int(v) if v is not None else None


def _figure(r: dict) -> Figure:
    return Figure(value=Decimal(r["v"]), printed=r["printed"], unit_mult=_int(r["unit"]) or 0, table=r["table"],
                  table_title=r["title"], page=_int(r["page"]), line=_int(r["line"]))


@lru_cache(maxsize=1)
def across_version() -> str:
    """What the findings depend on besides the documents: this module and the rules. Kept in the
    findings graph, so that a build by other code checks every department again."""
    from ..extract import rules_across
    h = hashlib.sha256()
    for f in (Path(__file__), Path(rules_across.__file__)):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def store_facts(store, departments: set[str] | None = None) -> list[DocFacts]:
    """Each document's department, year, kind, its “三公” figures of its own year (the first printed
    per category and phase), its expenditure 合计 (the largest, as the `totals` question) and the
    预算数 lines `_budget_lines` compares — of every document, or of the documents of
    `departments` only."""
    docs = _documents(store, departments)
    _first_figures(store, docs, whole=departments is None)
    _budget_lines(store, list(docs.values()))
    return list(docs.values())


def _documents(store, departments: set[str] | None = None) -> dict[str, DocFacts]:
    """Each document's department, year, kind and first source name (of every department, or
    of these)."""
    docs: dict[str, DocFacts] = {}
    for r in rows(store, DOCS if departments is None else restrict(DOCS, "dept", departments)):
        year = int(r["year"].rsplit("/", 1)[-1]) if r["year"] else None
        d = docs.setdefault(r["document"], DocFacts(r["document"], r["source"], r["dept"], r["name"], year, r["kind"]))
        d.source = min(d.source, r["source"])   # a content at two paths: the first name, whatever the order
    return docs


def _printed_order(r: dict) -> tuple:
    return (_int(r["page"]) or 0, _int(r["line"]) or 0, _int(r["row"]) or 0, r["table"] or "")


def _first_figures(store, docs: dict[str, DocFacts], whole: bool) -> None:
    """The “三公” figures and the expenditure 合计 of `docs`, read row by row and kept only when
    they win (the first printed; the largest total, the first printed of equals): a pass over
    the whole store (`whole`, 2 ms a document) holds no more than each document's winners;
    otherwise the queries are restricted to `docs` (10 ms a document, for a few)."""
    if not docs:
        return
    only = (lambda q: q) if whole else (lambda q: restrict(q, "document", docs))
    first: dict[tuple, tuple] = {}
    for r in rows(store, only(THREE)):
        d = docs.get(r["document"])
        cat = _CATEGORY.get(r["category"].rsplit("#", 1)[-1])
        if d is None or cat is None or not r["y"].endswith(f"/{d.year}"):
            continue
        slot, at = (cat, r["phase"].rsplit("/", 1)[-1]), _printed_order(r)
        if slot not in d.three or at < first[d.document, slot]:
            d.three[slot], first[d.document, slot] = _figure(r), at
    largest: dict[str, tuple] = {}
    for r in rows(store, only(TOTALS)):
        d = docs.get(r["document"])
        own = "executed" if d is not None and d.kind == "决算" else "approved"
        if d is None or not (r["phase"] or own).endswith(own):
            continue
        v, at = Decimal(r["v"]), _printed_order(r)
        best = largest.get(d.document)
        # the largest; of equal totals the first printed
        if best is None or v > best[0] or (v == best[0] and at < best[1]):
            d.total, largest[d.document] = _figure(r), (v, at)
    for d in docs.values():
        d.three = dict(sorted(d.three.items(), key=lambda kv: first[d.document, kv[0]]))


def _line_key(r: dict) -> str | None:
    """What a line is, the same in a 预算 and a 决算: its functional code, 合计 of a per-code
    table, or a 收支总表's 总计/合计 line by its printed item."""
    if r["code"]:
        return r["code"]
    if r["item"]:
        item = re.sub(r"\s", "", r["item"])
        return item if re.search(r"总计|合计", item) else None
    label = re.sub(r"\s", "", r["label"] or "")
    return "合计" if label in ("合计", "总计") else None


def _budget_lines(store, docs: list[DocFacts]) -> None:
    """The 预算数 lines of the 决算 documents that have a 预算 document of the same department and
    year in the store, and of those 预算 documents: queried only for them. A 决算's column must be
    the 年初 budget (not 调整/全年预算数, which the 预算 document never printed)."""
    budgets = {(d.department, d.year) for d in docs if d.kind in ("预算", "预算批复") and d.year is not None}
    finals = {(d.department, d.year) for d in docs if d.kind == "决算" and d.year is not None}
    pairs = budgets & finals
    wanted = {d.document: d for d in docs if (d.department, d.year) in pairs and d.kind in ("预算", "预算批复", "决算")}
    if not wanted:
        return
    values = " ".join(str(ox.NamedNode(g)) for g in sorted(wanted))
    for r in sorted(select(store, LINES % values)[1], key=_printed_order):
        d = wanted[r["document"]]
        if not r["y"].endswith(f"/{d.year}"):
            continue
        if d.kind == "决算" and re.search(r"调整|全年|决算|执行", r["column"] or ""):
            continue
        line = _line_key(r)
        if line is not None:
            d.budget_lines.setdefault((fund_scope(r["title"]), line), _figure(r))


def findings_update(found, owners: set[str]) -> str:
    """One SPARQL Update: the findings of the documents in `owners` taken out of the findings
    graph and these added (with no owners, only added)."""
    graph = ox.NamedNode(ACROSS_GRAPH)
    parts = []
    if owners:
        parts = _deletes(ACROSS_GRAPH, f"VALUES ?d {{ {' '.join(str(ox.NamedNode(o)) for o in sorted(owners))} }}")
    quads: list[ox.Quad] = []
    counters: dict[str, int] = {}
    N, L = ox.NamedNode, ox.Literal
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for doc, f in found:
        d = N(doc.document)
        counters[doc.document] = counters.get(doc.document, 0) + 1
        s = N(f"{doc.document}{MARK}{counters[doc.document]}")
        add = lambda a, p, o: quads.append(ox.Quad(a, N(str(p)), o, graph))
        add(d, BKG + "finding", s)
        add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", N(BKG + "Finding"))
        add(s, BKG + "rule", L(f.rule))
        add(s, BKG + "severity", L(f.severity))
        add(s, BKG + "message", L(f.message))
        add(s, "http://www.w3.org/ns/prov#wasDerivedFrom", d)
        if f.difference is not None:
            add(s, BKG + "difference", L(f"{f.difference:f}", datatype=N(xsd + "decimal")))
        for k, side in enumerate(f.sides):
            o = N(f"{s.value}/side/{k}")
            add(s, BKG + "compares", o)
            add(o, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", N(BKG + "FindingSide"))
            add(o, BKG + "sideIndex", L(str(k), datatype=N(xsd + "integer")))
            add(o, "http://www.w3.org/2000/01/rdf-schema#label", L(side.label))
            for pred, value in side_values(side):
                add(o, pred, value)
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


def _deletes(graph: str, values: str = "", condition: str = "") -> list[str]:
    """The findings `?d bkg:finding ?f` of `graph` (an IRI, or ?g) deleted, with `values` (a
    VALUES block) and `condition` (a FILTER) restricting them: their sides' triples, then their
    own, then the links to them — three operations one pattern deep each (one operation deleting
    all three made a row for every pair of a finding's triple and a side's: 1.3 GB and 13 s for
    2,520 findings), in an order where each finds what it deletes whether or not it sees what
    the ones before deleted."""
    g = graph if graph.startswith("?") else str(ox.NamedNode(graph))
    found = f"{values} GRAPH {g} {{ ?d <{BKG}finding> ?f }} {condition}"
    return [f"DELETE {{ GRAPH {g} {{ ?x ?q ?y }} }} WHERE {{ {found} GRAPH {g} {{ ?f <{BKG}compares> ?x . ?x ?q ?y }} }}",
            f"DELETE {{ GRAPH {g} {{ ?f ?p ?o }} }} WHERE {{ {found} GRAPH {g} {{ ?f ?p ?o }} }}",
            f"DELETE {{ GRAPH {g} {{ ?d <{BKG}finding> ?f }} }} WHERE {{ {found} }}"]


def clear_update() -> str:
    """The findings graph emptied (its version mark too), and findings an older version wrote
    into documents' own graphs taken out."""
    graph = ox.NamedNode(ACROSS_GRAPH)
    older = f"FILTER(?g != {graph} && CONTAINS(STR(?f), \"{MARK}\"))"
    return " ;\n".join([f"CLEAR SILENT GRAPH {graph}"] + _deletes("?g", condition=older))


def mark_update() -> str:
    """The version of the code that made the findings graph, written once all of it is there."""
    mark = version_quad(ACROSS_GRAPH, across_version())
    return f"INSERT DATA {{ GRAPH {mark.graph_name} {{ {mark.subject} {mark.predicate} {mark.object} }} }}"


#: a whole store is checked a group of departments at a time, about this many documents in
#: each (a department is never split): the 预算数 lines compared, and the findings written, are
#: one group's, however large the store
GROUP_DOCUMENTS = 200


def department_runs(sizes: dict[str, int], limit: int) -> Iterator[list[str]]:
    """Departments in sorted runs of at most `limit` by their `sizes` (a larger department alone,
    never split): the unit in which the graphs over a whole store are made and written."""
    run: list[str] = []
    total = 0
    for dept in sorted(sizes):
        if run and total + sizes[dept] > limit:
            yield run
            run, total = [], 0
        run.append(dept)
        total += sizes[dept]
    if run:
        yield run


def groups(docs: Iterable[DocFacts], size: int | None = None) -> Iterator[list[DocFacts]]:
    """Documents in groups of whole departments, about `size` documents each (sorted by
    department, so the same store gives the same groups)."""
    by_dept: dict[str, list[DocFacts]] = {}
    for d in docs:
        by_dept.setdefault(d.department or "", []).append(d)
    for run in department_runs({k: len(v) for k, v in by_dept.items()}, size or GROUP_DOCUMENTS):
        yield [d for dept in run for d in by_dept[dept]]


def run_across(store, update, departments: set[str] | None = None, gone: set[str] = frozenset()) -> list:
    """Read the facts from `store` (a pyoxigraph Store or a RemoteStore), check, and write with
    `update(sparql_update_text)`: every department, or only `departments` (the findings of their
    documents, and of the documents `gone` from the store, replaced; the rules compare the
    documents of one department only, so the others' findings stand). Returns the (document,
    finding) pairs written.

    Every department is checked a group at a time (`groups`): the graph emptied first and its
    version mark written last, so a check stopped half way leaves no mark and the next build
    checks the whole store again."""
    if departments is None:
        docs = _documents(store)
        _first_figures(store, docs, whole=True)
        update(clear_update())
        found: list = []
        for group in groups(docs.values()):
            _budget_lines(store, group)
            part = check_across(group)
            for d in group:
                d.budget_lines = {}       # the group's lines go with it
            text = findings_update(part, set())
            if text:
                update(text)
            found += part
        update(mark_update())
        return found
    docs = store_facts(store, departments) if departments else []
    found = check_across(docs)
    text = findings_update(found, {d.document for d in docs} | set(gone))
    if text:
        update(text)
    return found


#: a build that changed the documents of more departments than this checks the whole store: a
#: department's documents are read by name (VALUES), about 20 ms a document at 1,000 documents,
#: where one pass over the whole store reads them at 2 ms
PARTIAL_DEPARTMENTS = 50


def write_across(store, departments: set[str] | None = None, gone: set[str] = frozenset()) -> list:
    """The checks across documents written into an open build store (graph/store.LocalStore or
    graph/remote.RemoteStore). The build calls it before it publishes its snapshot, so `serve`
    never sees the documents without their findings. With `departments` (those whose documents
    the build added or dropped, and the graphs it dropped as `gone`), only their findings are
    made again — a build of a few documents into a store of thousands reads a few — unless the
    findings there were made by other code or the departments are many
    (`PARTIAL_DEPARTMENTS`); without, every department's."""
    from .remote import RemoteStore
    if isinstance(store, RemoteStore):
        return run_across(store, lambda u: store._call("POST", "/update", content=u.encode("utf-8"),
                                                       headers={"content-type": "application/sparql-update"}))
    st = store.store
    if departments is not None and (len(departments) > PARTIAL_DEPARTMENTS
                                    or version_quad(ACROSS_GRAPH, across_version()) not in st):
        departments = None
    return run_across(st, st.update, departments, gone)      # small updates


def across_after_build(store_path) -> list:
    """The checks across documents on a store already built: a local store opened under the build
    lock (and a snapshot published); a server written with SPARQL Update."""
    from .remote import RemoteStore, is_remote
    from .store import LocalStore
    if is_remote(str(store_path)):
        return write_across(RemoteStore(str(store_path)))
    local = LocalStore(store_path)
    try:
        found = write_across(local)
    finally:
        local.flush()
    return found
