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


Payload = list[tuple[str, str, str, str, str]]   # s, p, object kind, object value, datatype or language


@lru_cache(maxsize=1)
def _shape_predicates() -> frozenset[str]:
    """The predicates the shapes look at (paths), plus rdf:type for their targets."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    g = shapes()
    preds = {str(o) for o in g.objects(None, sh.path)} | {str(o) for o in g.objects(None, sh.targetObjectsOf)}
    return frozenset(preds | {str(rdflib.RDF.type)})


def payload_of(quads: list[ox.Quad]) -> Payload:
    """The triples SHACL needs, as plain strings (cheap to hand to a worker process)."""
    keep = _shape_predicates()
    out: Payload = []
    for q in quads:
        p = q.predicate.value
        if p not in keep:
            continue
        o = q.object
        if isinstance(o, ox.NamedNode):
            out.append((q.subject.value, p, "iri", o.value, ""))
        elif isinstance(o, ox.BlankNode):
            out.append((q.subject.value, p, "bnode", o.value, ""))
        elif o.language:
            out.append((q.subject.value, p, "lang", o.value, o.language))
        else:
            out.append((q.subject.value, p, "lit", o.value, o.datatype.value))
    return out


def _graph(payload: Payload) -> rdflib.Graph:
    g = rdflib.Graph()
    iris: dict[str, rdflib.URIRef] = {}

    def iri(v: str) -> rdflib.URIRef:
        r = iris.get(v)
        if r is None:
            r = iris[v] = rdflib.URIRef(v)
        return r

    def obj(kind: str, v: str, extra: str):
        if kind == "iri":
            return iri(v)
        if kind == "bnode":
            return rdflib.BNode(v)
        if kind == "lang":
            return rdflib.Literal(v, lang=extra)
        return rdflib.Literal(v) if extra == _XSD_STRING else rdflib.Literal(v, datatype=iri(extra))

    g.addN((iri(s), iri(p), obj(k, v, x), g) for s, p, k, v, x in payload)
    return g


def validate_payload(payload: Payload, limit: int = 20) -> list[str]:
    """Worker entry point: SHACL violations of one document graph as short lines."""
    return _report(_graph(payload), limit)


def violations(quads: list[ox.Quad], limit: int = 20) -> list[str]:
    """The SHACL violations of a document graph, as short lines (empty when it conforms)."""
    return validate_payload(payload_of(quads), limit)


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
