"""A document made into its shard, in whatever process runs it: extraction, RDF and SHACL, then
the document's graph serialised as N-Quads (bytes cross a process boundary far cheaper than
quads, and the store bulk-loads them without a Python object per quad).

A shard holds the document's graph *without* its path identifiers (`dct:identifier`): those
are written by the store in the transaction that commits the document (graph/store.py), so a
graph bulk-loaded but never committed is told apart, and rolled back, after a kill.

`write_shard` keeps a shard on disk, gzipped and named by the document's sha256, for an engine
whose workers run elsewhere (graph/distributed.py) or for loading into another store later."""
from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..extract.errors import BudgetKGError
from ..extract.to_rdf import Minter, extraction_to_quads
from ..extract.vocab import DEFAULT_BASE


@dataclass
class Shard:
    """One document made: its report (ok or failed), its content's sha256 and its graph."""
    report: "object"            # graph.build.DocumentReport (imported late: build imports this module's users)
    sha256: str | None = None
    nquads: bytes = b""         # the document's graph without its dct:identifier quads
    path: str = ""              # where the gzipped shard was written, when it was
    #: the document's rows of the full-text index (graph/search.py), made here so that the
    #: process writing the store never segments text
    search_rows: list = field(default_factory=list)


def warm_up() -> None:
    """What every document needs besides its own content, loaded now: jieba's dictionary, the
    place names (cpca), the SHACL shapes."""
    from ..extract.recognise import load_places
    from ..extract.topics import tokenizer
    from .validate import checked_shapes
    tokenizer()
    load_places()
    checked_shapes()


def document_worker(parent: int) -> None:
    """A build worker's initializer: it ends with the build (extract/processes.py), loads what
    every document needs once (`warm_up`), then freezes those objects
    out of the garbage collector — a full collection would otherwise walk jieba's dictionary
    again and again while a document's hundreds of thousands of objects come and go (9 % of a
    worker's time on the synthetic documents)."""
    import gc
    from ..extract.processes import die_with_parent
    die_with_parent(parent)
    warm_up()
    gc.freeze()


def code_fingerprint() -> str:
    """A digest of the code that makes a graph from a document (extract/, the ontology, this
    module): a document built by other code is rebuilt even when its content is unchanged."""
    h = hashlib.sha256()
    for package, pattern in (("budgetkg.extract", "*.py"), ("budgetkg.ontology", "*.ttl")):
        root = resources.files(package)
        for f in sorted(Path(str(root)).rglob(pattern)):
            h.update(f.relative_to(Path(str(root))).as_posix().encode())
            h.update(f.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def file_sha256(path: Path, limit: int) -> str | None:
    """The sha256 of a file's bytes (the content a graph IRI carries); None when it cannot be
    read or is over the size limit (the extraction then says why)."""
    try:
        if path.stat().st_size > limit:
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def make_shard(path: str | Path, base: str = DEFAULT_BASE, *, checks: bool = True, validate: bool = True,
               workers: int = 1, shard_dir: str | None = None, index: bool = False) -> Shard:
    """Extract, emit and validate one document — everything but the store write — and with
    `index` make its rows of the full-text index. Picklable in and out, so it runs in a worker
    process, a Dask task or this process alike."""
    from .build import DocumentReport, _extract
    from .validate import violations
    path = Path(path)
    ex = _extract(path, checks, workers, slim=True)
    if isinstance(ex, BudgetKGError):
        return Shard(DocumentReport(source=str(path), ok=False, error=ex.message))
    minter = Minter(base)
    quads = extraction_to_quads(ex, minter)
    shacl = violations(quads) if validate else []
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    graph = minter.document(ex.document.sha256)
    own = sum(1 for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph)
    report = DocumentReport(source=str(path), ok=True, graph=graph, profile=ex.profile,
                            tables=ex.kinds, facts=len(ex.records), quads=own, warnings=ex.warnings,
                            skipped_rows=ex.rows_skipped, violations=shacl,
                            figures=(ex.figures.printed, ex.figures.facts, ex.figures.explained_total,
                                     len(ex.figures.unaccounted)),
                            findings=", ".join(f"{sum(1 for f in ex.findings if f.severity == s)} {s}"
                                               for s in ("error", "warning", "info")))
    shard = Shard(report, ex.document.sha256, nquads)
    if index:
        from .search import document_rows
        shard.search_rows = document_rows(quads)
    if shard_dir:
        shard.path = str(write_shard(shard_dir, ex.document.sha256, nquads))
        shard.nquads = b""
    return shard


def write_shard(folder: str | Path, sha256: str, nquads: bytes) -> Path:
    """`<folder>/<sha256>.nq.gz`, written under a temporary name and renamed (a reader finds
    a whole shard or none; two workers writing the same content write the same file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{sha256}.nq.gz"
    tmp = folder / f".{sha256}.{os.getpid()}.tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as gz:
        gz.write(nquads)
    os.replace(tmp, final)
    return final


def read_shard(shard: Shard) -> bytes:
    if shard.nquads or not shard.path:
        return shard.nquads
    with gzip.open(shard.path, "rb") as fh:
        return fh.read()
