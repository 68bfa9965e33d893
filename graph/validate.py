"""SHACL validation of one document graph with pyshacl against ontology/shapes.ttl.

pyshacl validates a node shape's `sh:property` shapes one focus node at a time, making each
property shape's constraint components again for every node (16 of them for each of a
document's hundreds of observations); a property shape with targets of its own is validated
once over all its focus nodes. `checked_shapes` is the shapes file with each property shape of a
targeted node shape given that node shape's targets instead — the same conformance and the same
results (focus node, path, value, message) by the SHACL definition of targets, 4–5× faster."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
import rdflib
import rdflib.collection
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


#: what `focus_plan` does not follow: a shape using any of these sees triples of nodes other than
#: its focus nodes and their values' types, so the data graph is then filtered by predicate only
_BEYOND_FOCUS = ("node", "qualifiedValueShape", "closed", "sparql", "targetNode", "targetSubjectsOf")
#: components comparing a shape's values with the focus node's values of another predicate
#: (its object): that predicate's triples of the focus node are seen too
_PAIRS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")
_NESTED = ("xone", "or", "and", "not")


@lru_cache(maxsize=1)
def _shape_predicates() -> frozenset[str]:
    """The predicates the shapes look at (paths, every predicate inside a complex path, the
    predicates `_PAIRS` compare with), plus rdf:type for their targets."""
    g = shapes()
    preds = {str(o) for o in g.objects(None, _SH.targetObjectsOf)}
    preds |= {str(o) for n in _PAIRS for o in g.objects(None, _SH[n])}
    todo = list(g.objects(None, _SH.path))
    seen: set = set()
    while todo:
        node = todo.pop()
        if isinstance(node, rdflib.URIRef):
            preds.add(str(node))
        elif node not in seen:       # a path's blank nodes: lists, sh:inversePath, …
            seen.add(node)
            todo += [o for p, o in g.predicate_objects(node) if p != rdflib.RDF.type]
    preds.discard(str(rdflib.RDF.nil))
    return frozenset(preds | {str(rdflib.RDF.type)})


def _path_predicates(g: rdflib.Graph, path) -> list[str] | None:
    """The predicates a path follows from its focus node: one predicate, or an
    `sh:alternativePath` of predicates; None for any other path (sequence, inverse, …)."""
    if isinstance(path, rdflib.URIRef):
        return [str(path)]
    heads = list(g.objects(path, _SH.alternativePath))
    if len(heads) != 1 or len(list(g.predicate_objects(path))) != 1:
        return None
    members = list(rdflib.collection.Collection(g, heads[0]))
    if not members or not all(isinstance(m, rdflib.URIRef) for m in members):
        return None
    return [str(m) for m in members]


@dataclass(frozen=True)
class FocusPlan:
    """Which triples SHACL can see, read from the shapes: the paths checked on instances of each
    target class and on objects of each `sh:targetObjectsOf` predicate, and the classes whose
    `rdf:type` triples matter (targets and `sh:class` values)."""
    by_class: dict[str, frozenset[str]]
    by_object_of: dict[str, frozenset[str]]
    classes: frozenset[str]


@lru_cache(maxsize=1)
def focus_plan() -> FocusPlan | None:
    """The triples `checked_shapes()` can see (`plan_of`)."""
    return plan_of(checked_shapes())


def plan_of(g: rdflib.Graph) -> FocusPlan | None:
    """The triples shapes can see, or None when a shape reaches past its focus nodes (see
    `_BEYOND_FOCUS`; a path that is neither one predicate nor alternatives of predicates; an
    implicit class target)."""
    if any(True for n in _BEYOND_FOCUS for _ in g.subject_objects(_SH[n])):
        return None
    if any(True for _ in g.subjects(rdflib.RDF.type, rdflib.RDFS.Class)):
        return None
    by_class: dict[str, set[str]] = {}
    by_object_of: dict[str, set[str]] = {}
    for shape in {s for p in (_SH.targetClass, _SH.targetObjectsOf) for s in g.subjects(p, None)}:
        paths: set[str] = set()
        todo, seen = [shape], set()
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            for path in g.objects(s, _SH.path):
                followed = _path_predicates(g, path)
                if followed is None:
                    return None
                paths.update(followed)
            for n in _PAIRS:
                for other in g.objects(s, _SH[n]):
                    if not isinstance(other, rdflib.URIRef):
                        return None
                    paths.add(str(other))
            if s != shape and any(True for _ in g.objects(s, _SH.property)):
                return None     # a property shape inside a nested one: its values' triples
            todo += list(g.objects(s, _SH.property))
            for n in _NESTED:
                for head in g.objects(s, _SH[n]):
                    todo += list(rdflib.collection.Collection(g, head)) if n != "not" else [head]
        for c in g.objects(shape, _SH.targetClass):
            by_class.setdefault(str(c), set()).update(paths)
        for p in g.objects(shape, _SH.targetObjectsOf):
            by_object_of.setdefault(str(p), set()).update(paths)
    classes = set(by_class) | {str(c) for c in g.objects(None, _SH["class"])}
    return FocusPlan({k: frozenset(v) for k, v in by_class.items()},
                     {k: frozenset(v) for k, v in by_object_of.items()}, frozenset(classes))


_TYPE = str(rdflib.RDF.type)


def seen_by_shapes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads validation can see: the type triples of target and `sh:class` classes, the
    `sh:targetObjectsOf` triples, and each focus node's triples on the paths its shapes check —
    under half of a document's quads (its rows, pages, indicators and topic links are checked by
    no shape), with the same results. Filtered by predicate alone when `focus_plan()` is None."""
    plan = focus_plan()
    keep = _shape_predicates()
    if plan is None:
        return [q for q in quads if q.predicate.value in keep]
    paths: dict = {}
    for q in quads:
        p = q.predicate.value
        if p == _TYPE:
            checked = plan.by_class.get(q.object.value)
            if checked:
                paths.setdefault(q.subject, set()).update(checked)
        else:
            checked = plan.by_object_of.get(p)
            if checked:
                paths.setdefault(q.object, set()).update(checked)
    out = []
    for q in quads:
        p = q.predicate.value
        if p == _TYPE:
            if q.object.value in plan.classes:
                out.append(q)
        elif p in plan.by_object_of or p in paths.get(q.subject, ()):
            out.append(q)
    return out


def graph_of(quads: list[ox.Quad]) -> rdflib.Graph:
    """Quads as an rdflib graph, made from the quads directly (no payload strings in between)
    with each term made once."""
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
    g.addN((term(q.subject), term(q.predicate), term(q.object), g) for q in quads)
    return g


def violations(quads: list[ox.Quad], limit: int = 20, shacl: rdflib.Graph | None = None) -> list[str]:
    """The SHACL violations of a document graph, as short lines (empty when it conforms):
    the quads `checked_shapes()` can see validated against them, or with other shapes given,
    every quad against those."""
    return _report(graph_of(seen_by_shapes(quads) if shacl is None else quads), limit, shacl)


def _report(g: rdflib.Graph, limit: int, shacl: rdflib.Graph | None = None) -> list[str]:
    conforms, report, _ = validate(g, shacl_graph=shacl if shacl is not None else checked_shapes(),
                                   inference="none", advanced=False)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(r, sh.focusNode)
        path = _path_text(report, report.value(r, sh.resultPath))
        msg = report.value(r, sh.resultMessage)
        value = report.value(r, sh.value)
        out.append(f"{focus} {path}: {msg}" if value is None else f"{focus} {path} {value}: {msg}")
        if len(out) >= limit:
            break
    return out


def _path_text(report: rdflib.Graph, path) -> str | None:
    """A result's path as printed: a predicate's IRI, or alternatives as SPARQL writes them
    (`a|b`) — not a blank node's name."""
    if path is None or isinstance(path, rdflib.URIRef):
        return None if path is None else str(path)
    for g in (report, checked_shapes()):
        followed = _path_predicates(g, path)
        if followed is not None:
            return "|".join(followed)
    return str(path)
