"""The on-disk pyoxigraph store: one named graph per document, reference graphs apart."""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..extract.errors import StoreError

ONTOLOGY_GRAPH = "https://w3id.org/budgetkg/graph/ontology"


def open_store(path: str | Path, *, read_only: bool = False) -> ox.Store:
    path = Path(path)
    try:
        if read_only:
            if not path.exists():
                raise StoreError("no store here (build one with `budgetkg build`)", source=str(path))
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open store: {exc}", source=str(path)) from exc


def replace_graph(store: ox.Store, graph: str, quads: Iterable[ox.Quad]) -> int:
    """Replace one document's graph; quads are fully built before the old graph is touched."""
    g = ox.NamedNode(graph)
    quads = list(quads)
    if g in set(store.named_graphs()):
        store.remove_graph(g)
    store.extend(quads)
    return len(quads)


class LocalStore:
    """The on-disk store behind the same few operations as `RemoteStore`, so a build writes
    to either the same way."""

    def __init__(self, path: str | Path) -> None:
        self.store = open_store(path)

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        return replace_graph(self.store, graph, quads)

    def remove_graph(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))

    def graphs_with_source(self, name: str) -> list[str]:
        source = ox.NamedNode("http://purl.org/dc/terms/source")
        return sorted({q.graph_name.value for q in self.store.quads_for_pattern(None, source, ox.Literal(name), None)
                       if isinstance(q.graph_name, ox.NamedNode)})

    def flush(self) -> None:
        self.store.flush()


def ontology_quads() -> list[ox.Quad]:
    data = resources.files("budgetkg.ontology").joinpath("budget.ttl").read_bytes()
    g = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)]



