"""SHACL validation of one document graph with pyshacl against ontology/shapes.ttl.

pyshacl validates a node shape's `sh:property` shapes one focus node at a time, making each
property shape's constraint components again for every node (16 of them for each of a
document's hundreds of observations); a property shape with targets of its own is validated
once over all its focus nodes. `checked_shapes` is the shapes file with each property shape of a
targeted node shape given that node shape's targets instead — the same conformance and the same
results (focus node, path, value, message) by the SHACL definition of targets, 4–5× faster."""
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


_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_TARGETS = (_SH.targetClass, _SH.targetNode, _SH.targetObjectsOf, _SH.targetSubjectsOf)


@lru_cache(maxsize=1)
def checked_shapes() -> rdflib.Graph:
    """The shapes as validated: each property shape of a node shape with targets carries those
    targets itself and is no longer the node shape's `sh:property` (see the module's docstring).
    Node shapes without targets (reached through `sh:node`) and property shapes inside
    `sh:xone`/`sh:or` lists are left as written."""
    g = rdflib.Graph()
    for prefix, ns in shapes().namespaces():     # messages print paths with the file's prefixes
        g.bind(prefix, ns, override=True, replace=True)
    for t in shapes():
        g.add(t)
    for node in set(g.subjects(rdflib.RDF.type, _SH.NodeShape)):
        targets = [(p, o) for p in _TARGETS for o in g.objects(node, p)]
        if not targets:
            continue
        for prop in list(g.objects(node, _SH.property)):
            g.remove((node, _SH.property, prop))
            g.add((prop, rdflib.RDF.type, _SH.PropertyShape))
            for p, o in targets:
                g.add((prop, p, o))
    return g


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


def violations(quads: list[ox.Quad], limit: int = 20, shacl: rdflib.Graph | None = None) -> list[str]:
    """The SHACL violations of a document graph, as short lines (empty when it conforms);
    against `checked_shapes()` unless other shapes are given."""
    return _report(_graph_of_quads(quads), limit, shacl)


def _report(g: rdflib.Graph, limit: int, shacl: rdflib.Graph | None = None) -> list[str]:
    conforms, report, _ = validate(g, shacl_graph=shacl if shacl is not None else checked_shapes(),
                                   inference="none", advanced=False)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(r, sh.focusNode)
        path = report.value(r, sh.resultPath)
        msg = report.value(r, sh.resultMessage)
        value = report.value(r, sh.value)
        out.append(f"{focus} {path}: {msg}" if value is None else f"{focus} {path} {value}: {msg}")
        if len(out) >= limit:
            break
    return out
