"""SHACL validation of one document graph with pyshacl against ontology/shapes.ttl."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
import rdflib
from pyshacl import validate

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1)
def shapes() -> rdflib.Graph:
    text = resources.files("budgetkg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


@lru_cache(maxsize=1)
def _shape_predicates() -> frozenset[str]:
    """The predicates the shapes look at (paths), plus rdf:type for their targets."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    g = shapes()
    preds = {str(o) for o in g.objects(None, sh.path)} | {str(o) for o in g.objects(None, sh.targetObjectsOf)}
    return frozenset(preds | {str(rdflib.RDF.type)})


def _graph_of_quads(quads: list[ox.Quad]) -> rdflib.Graph:
    """The triples SHACL needs as an rdflib graph, made from the quads directly (no payload
    strings in between) with each term made once."""
    keep = _shape_predicates()
    terms: dict = {}

    def term(t):
        r = terms.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                r = rdflib.BNode(t.value)
            elif t.language:
                r = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                r = rdflib.Literal(t.value)
            else:
                r = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            terms[t] = r
        return r
    g = rdflib.Graph()
    g.addN((term(q.subject), term(q.predicate), term(q.object), g) for q in quads if q.predicate.value in keep)
    return g


def violations(quads: list[ox.Quad], limit: int = 20) -> list[str]:
    """The SHACL violations of a document graph, as short lines (empty when it conforms)."""
    return _report(_graph_of_quads(quads), limit)


def _report(g: rdflib.Graph, limit: int) -> list[str]:
    conforms, report, _ = validate(g, shacl_graph=shapes(), inference="none", advanced=False)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(r, sh.focusNode)
        path = report.value(r, sh.resultPath)
        msg = report.value(r, sh.resultMessage)
        out.append(f"{focus} {path}: {msg}")
        if len(out) >= limit:
            break
    return out
