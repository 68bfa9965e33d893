"""A remote Oxigraph server as the store: graphs replaced with the SPARQL 1.1 Graph Store
HTTP Protocol (one PUT per document graph, atomic on the server), questions asked with the
SPARQL 1.1 Protocol. `budgetkg build/query/check/export` take its URL where they take a folder."""
from __future__ import annotations

import json
from typing import Iterable

import httpx
import pyoxigraph as ox

from ..extract.errors import QueryError, StoreError
from ..extract.vocab import DCT


def is_remote(target: str) -> bool:
    return str(target).startswith(("http://", "https://"))


class RemoteStore:
    """The few operations a build needs, over HTTP, with the errors of our own tree."""

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=timeout)

    def _call(self, method: str, path: str, **kw) -> httpx.Response:
        try:
            r = self.http.request(method, self.url + path, **kw)
        except httpx.HTTPError as exc:
            raise StoreError(f"remote store unreachable: {exc}", source=self.url) from exc
        if r.status_code >= 400:
            raise (QueryError if path == "/query" else StoreError)(
                f"remote store answered {r.status_code}: {r.text[:200]}", source=self.url)
        return r

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        self._call("PUT", "/store", params={"graph": graph}, content=body,
                   headers={"content-type": "application/n-triples"})
        return len(triples)

    def remove_graph(self, graph: str) -> None:
        self._call("DELETE", "/store", params={"graph": graph})

    def graphs_with_source(self, name: str) -> list[str]:
        q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d <{DCT.source}> ?name }} }} VALUES ?name {{ {ox.Literal(name)} }}"
        return [b["g"]["value"] for b in self.select(q)["results"]["bindings"]]

    def select(self, text: str) -> dict:
        r = self._call("POST", "/query", params={"union-default-graph": ""}, content=text.encode("utf-8"),
                       headers={"content-type": "application/sparql-query",
                                "accept": "application/sparql-results+json"})
        return json.loads(r.content)

    def raw(self, text: str, accept: str) -> bytes:
        return self._call("POST", "/query", params={"union-default-graph": ""}, content=text.encode("utf-8"),
                          headers={"content-type": "application/sparql-query", "accept": accept}).content

    def dump(self) -> bytes:
        return self._call("GET", "/store", headers={"accept": "application/n-quads"}).content

    def flush(self) -> None:
        self.http.close()
