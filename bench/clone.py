"""An N-document store for the question benchmarks, made in minutes instead of hours (issue 11).

Extracting 3,000 documents on 2 cores takes hours; the questions only need a store of that size
whose documents are distinct. So: from a store `budgetkg build` made (read-only, from its newest
snapshot), each document graph is copied k times (copy 0 is the source itself), and in copy j
* every IRI minted for a document is rewritten to a new one: the graph name and document IRI
  `…/id/document/<id>` (and everything under it) get the id of sha256(source sha256 + "/copy j"),
  whose full hash replaces the `bkg:sha256` literal; the document's path (`dct:identifier`)
  is prefixed `clone-j/` (a document is its content at its path);
* every department is made another department: its name (the last segment of
  `…/id/department/<division>/<name>`) gets the suffix `（j）` in the IRI and wherever the name
  is printed in a literal (labels, titles, unit names, raw rows), and each unit under it likewise
  (`…/id/unit/<division>/<name>`: the department's name inside it, or the suffix at its end);
  a 预算 and the 决算 of the year before of one department stay a pair in every copy, since
  every copy renames the same department the same way;
* divisions, years, subjects, topics and the ontology are not changed: the reference graphs are
  written once (a triple a copy does not change is the same quad, and a store holds a quad once),
  the triples about copied departments (reference/departments) and any reference triple that
  names a copied document (project links) once per copy.
So a question that lists documents, departments, projects or figures gives k× the rows; one
grouped by division or year gives the same rows with k× the figures.

Everything is written with one `Store.bulk_load` of N-Quads generated on the fly (memory stays
near the size of the source's text), then flush + optimize and a snapshot, as a build ends.

    .venv/bin/python bench/clone.py /tmp/sc/kg100 3000 /tmp/kg3000
"""
from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox

from budgetkg.graph.store import current_snapshot, publish_snapshot

_DOC = re.compile(r"^(.*/id/)document/([0-9a-f]{8,64})$")
_DOC_REF = re.compile(rb"/id/document/([0-9a-f]{8,64})(?![0-9a-f])")
_ORG_IRI = re.compile(rb"<([^<>]*/id/(?:department|unit)/\d{6}/[^<>/]+)>")
_SHA256 = "https://w3id.org/budgetkg/ontology#sha256"
_IDENTIFIER = b"<http://purl.org/dc/terms/identifier> \""


def suffix(j: int) -> str:
    """What tells copy j's departments from the source's: printed after the name."""
    return f"（{j}）"


class Stream(io.RawIOBase):
    """A readable binary stream over a generator of byte chunks (bulk_load reads it as a file)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.rest = chunks, memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not len(self.rest):
            try:
                self.rest = memoryview(next(self.chunks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self.rest))
        buffer[:n] = self.rest[:n]
        self.rest = self.rest[n:]          # a view: no copy of the rest of the chunk
        return n


class Cloner:
    """The source's graphs as N-Quads text, and the rewriting of that text for copy j."""

    def __init__(self, source: Path) -> None:
        st = ox.Store.read_only(str(current_snapshot(source)))
        self.docs: list[str] = []
        self.refs: list[str] = []
        for g in st.named_graphs():
            (self.docs if _DOC.match(g.value) else self.refs).append(g.value)
        self.docs.sort()
        self.sha: dict[bytes, str] = {}          # document id → its sha256
        for g in self.docs:
            for q in st.quads_for_pattern(ox.NamedNode(g), ox.NamedNode(_SHA256), None, ox.NamedNode(g)):
                self.sha[_DOC.match(g).group(2).encode()] = q.object.value
        self.text: dict[str, bytes] = {}
        for g in self.docs + self.refs:
            nt = st.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
            # N-Triples escapes a newline inside a literal, so " .\n" only ends a line
            self.text[g] = nt.replace(b" .\n", f" <{g}> .\n".encode())
        if any(not t.value.isascii() for q in st for t in (q.subject, q.object, q.graph_name)
               if isinstance(t, ox.NamedNode)):
            raise SystemExit("an IRI with raw non-ASCII characters: the literal rewriting would touch it")
        self.quads = sum(t.count(b"\n") for t in self.text.values())
        orgs = {iri for t in self.text.values() for iri in _ORG_IRI.findall(t)}
        #: the department names (the last segment of their IRIs): printed in literals
        self.names = sorted({unquote(i.rsplit(b"/", 1)[1].decode()) for i in orgs if b"/id/department/" in i},
                            key=len, reverse=True)
        self.name_re = re.compile("|".join(map(re.escape, self.names)).encode()) if self.names else None
        self.doc_refs = {g: sorted(set(_DOC_REF.findall(self.text[g]))) for g in self.docs}
        self.org_refs = {g: sorted(set(_ORG_IRI.findall(self.text[g]))) for g in self.text}
        del st

    def new_id(self, doc: bytes, j: int) -> tuple[bytes, str]:
        sha = hashlib.sha256(f"{self.sha.get(doc, doc.decode())}/copy {j}".encode()).hexdigest()
        return sha[:len(doc)].encode(), sha

    def names_in(self, data: bytes, j: int) -> bytes:
        """Every department name printed in `data` followed by copy j's suffix."""
        if self.name_re is None:
            return data
        tail = suffix(j).encode()
        return self.name_re.sub(lambda m: m.group(0) + tail, data)

    def org(self, iri: bytes, j: int) -> bytes:
        head, name = iri.rsplit(b"/", 1)
        text = unquote(name.decode())
        new = self.names_in(text.encode(), j).decode()
        if new == text:
            new = text + suffix(j)
        return head + b"/" + quote(new, safe="").encode()

    def rewrite(self, data: bytes, j: int, docs: list[bytes], orgs: list[bytes]) -> bytes:
        for doc in docs:
            new, sha = self.new_id(doc, j)
            if doc in self.sha:
                data = data.replace(f'"{self.sha[doc]}"'.encode(), f'"{sha}"'.encode())
            data = data.replace(b"/id/document/" + doc, b"/id/document/" + new)
        for iri in orgs:
            data = data.replace(b"<" + iri + b">", b"<" + self.org(iri, j) + b">")
        data = self.names_in(data, j)
        return data.replace(_IDENTIFIER, _IDENTIFIER + f"clone-{j}/".encode())

    def document(self, g: str, j: int) -> bytes:
        data = self.text[g]
        return data if j == 0 else self.rewrite(data, j, self.doc_refs[g], self.org_refs[g])

    def reference(self, g: str, j: int) -> bytes:
        """Copy 0: the graph as it is; copy j: only its lines that name a document, a department or
        a unit, rewritten (the other lines would be the same quads again)."""
        data = self.text[g]
        if j == 0:
            return data
        out = []
        for line in data.splitlines(keepends=True):
            docs = sorted(set(_DOC_REF.findall(line)))
            orgs = sorted(set(_ORG_IRI.findall(line)))
            if docs or orgs:
                out.append(self.rewrite(line, j, docs, orgs))
        return b"".join(out)

    def chunks(self, n: int) -> Iterator[bytes]:
        per = len(self.docs)
        for j in range((n + per - 1) // per):
            for g in self.docs[:min(per, n - j * per)]:
                yield self.document(g, j)
            for g in self.refs:
                yield self.reference(g, j)
            print(f"  copy {j}: {min(n, (j + 1) * per)} documents", file=sys.stderr, flush=True)


def clone(source: Path, n: int, out: Path) -> dict:
    """Write the N-document store into `out` (a new folder); its figures."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty: the clone goes into a new folder")
    started = time.perf_counter()
    c = Cloner(source)
    read = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    st = ox.Store(str(out))
    st.bulk_load(io.BufferedReader(Stream(c.chunks(n)), 1 << 20), format=ox.RdfFormat.N_QUADS, lenient=True)
    loaded = time.perf_counter() - started
    st.flush()
    st.optimize()
    publish_snapshot(st, out)
    done = time.perf_counter() - started
    graphs = sum(1 for _ in st.named_graphs())
    del st
    return {"source_documents": len(c.docs), "source_quads": c.quads, "n": n,
            "k": n / len(c.docs), "graphs": graphs, "read_s": round(read, 1),
            "bulk_load_s": round(loaded - read, 1), "flush_optimize_s": round(done - loaded, 1),
            "total_s": round(done, 1)}


def check(source: Path, out: Path, names: list[str]) -> list[tuple[str, int, int, float]]:
    """Each question's rows on the source and on the clone (with `budgetkg.graph.queries`, the
    parameters at their defaults, as `budgetkg query` runs them) and their ratio."""
    from budgetkg.graph.queries import bind, load_query_text, named_queries, select
    found = []
    stores = [ox.Store.read_only(str(current_snapshot(source))), ox.Store.read_only(str(out))]
    for name in names or sorted(named_queries()):
        text, named = load_query_text(name)
        subs = bind(named, {}) if named and named.params else None
        a, b = (len(select(st, text, subs)[1]) for st in stores)
        found.append((name, a, b, b / a if a else float("nan")))
        print(f"  {name}: {a} rows → {b} rows ({found[-1][3]:.2f}×)", flush=True)
    return found


def shared_triples(store: Path) -> int:
    """Triples said in two graphs or more (one fact once: there should be none)."""
    st = ox.Store.read_only(str(store))
    q = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } " \
        "GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1) } }"
    return int(next(iter(st.query(q)))["n"].value)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="a store built by budgetkg build (read, never written)")
    ap.add_argument("n", type=int, help="documents in the new store")
    ap.add_argument("out", type=Path, help="a new folder")
    ap.add_argument("--check", nargs="*", metavar="QUESTION", help="after the clone (or alone, on a clone "
                    "already made), compare the rows of these named questions (all when none is named) "
                    "on the source and the clone, and count triples said in two graphs")
    a = ap.parse_args()
    if not (a.check is not None and a.out.exists()):
        print(clone(a.source, a.n, a.out), flush=True)
    if a.check is not None:
        check(a.source, a.out, a.check)
        print(f"  triples in two graphs or more: source {shared_triples(current_snapshot(a.source))}, "
              f"clone {shared_triples(a.out)}")
