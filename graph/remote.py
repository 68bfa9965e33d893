"""A remote Oxigraph server as the store: a document's graph replaced (and its older versions
dropped) with one SPARQL Update, one transaction on the server; questions asked with the
SPARQL 1.1 Protocol, of the server or of any endpoint URL (`budgetkg serve`'s `/sparql`). `budgetkg build/query/check/export` take its URL where they take a folder."""
from __future__ import annotations

import json
from urllib.parse import urlsplit
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from ..extract.errors import QueryError, StoreError
from .store import SOURCES_QUERY, replacement_update, sources_of

if TYPE_CHECKING:
    import httpx


def is_remote(target: str) -> bool:
    return str(target).startswith(("http://", "https://"))


class RemoteStore:
    """The few operations a build needs, over HTTP, with the errors of our own tree."""

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.endpoint = urlsplit(self.url).path not in ("", "/")
        import httpx        # imported here: every build and query imports this module, few are remote
        self.http = httpx.Client(timeout=timeout)

    def _call(self, method: str, path: str, **kw) -> httpx.Response:
        import httpx        # loaded by __init__ already
        try:
            r = self.http.request(method, self.url + path, **kw)
        except httpx.HTTPError as exc:
            raise StoreError(f"remote store unreachable: {exc}", source=self.url) from exc
        if r.status_code >= 400:
            reason = " ".join(r.text.split())[:200]
            raise (QueryError if path in ("/query", "") else StoreError)(
                f"remote store answered {r.status_code}: {reason}", source=self.url)
        return r

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], *, drop: Iterable[str] = (),
                      unlink: dict[str, str] | None = None) -> int:
        """One SPARQL Update (one transaction on the server): older versions dropped, the
        document's graph replaced, in one step."""
        quads = list(quads)
        body = replacement_update(graph, quads, drop=drop, unlink=unlink).encode("utf-8")
        self._call("POST", "/update", content=body, headers={"content-type": "application/sparql-update"})
        return len(quads)

    def write_reference_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        """A graph made over the whole store replaced with one Graph Store Protocol PUT of its
        N-Triples (the server parses them as data, not as one large Update)."""
        quads = list(quads)
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
        self._call("PUT", "/store", params={"graph": graph}, content=body or b"",
                   headers={"content-type": "application/n-triples"})
        return len(quads)

    def remove_graph(self, graph: str) -> None:
        self._call("DELETE", "/store", params={"graph": graph})

    def document_sources(self) -> dict[str, set[str]]:
        data = self.select(SOURCES_QUERY)
        return sources_of((b["g"]["value"], b["s"]["value"]) for b in data["results"]["bindings"])

    def _query(self, text: str, accept: str) -> httpx.Response:
        """POST the query: to `/query` of an Oxigraph server (its root URL, the union of its
        graphs as default graph), or to the URL itself when it names an endpoint (`…/sparql`,
        budgetkg's own or any SPARQL 1.1 Protocol service). To an endpoint the query goes
        form-encoded (Protocol §2.1.2), the one form every endpoint takes: Virtuoso 7.2 never
        answers a direct `application/sparql-query` POST (openlink/virtuoso-opensource#842)."""
        if self.endpoint:
            return self._call("POST", "", data={"query": text}, headers={"accept": accept})
        return self._call("POST", "/query", params={"union-default-graph": ""}, content=text.encode("utf-8"),
                          headers={"content-type": "application/sparql-query", "accept": accept})

    def select(self, text: str) -> dict:
        r = self._query(text, "application/sparql-results+json")
        try:
            return json.loads(r.content)
        except ValueError as exc:
            raise QueryError(f"the remote answer is not SPARQL JSON results: {r.text[:100]!r}",
                             source=self.url) from exc

    def raw(self, text: str, accept: str) -> bytes:
        return self._query(text, accept).content

    def dump(self) -> bytes:
        return self._call("GET", "/store", headers={"accept": "application/n-quads"}).content

    def flush(self) -> None:
        self.http.close()
