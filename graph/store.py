"""The on-disk pyoxigraph store: one named graph per document, reference graphs apart.

Never loses a document: a build bulk-loads new document graphs (their IRIs carry their
content's sha256, so they never overwrite a graph) and then commits them in one SPARQL Update
(one transaction) that drops the older versions and adds each new graph's path identifiers; a
graph loaded but never committed is named in a journal and rolled back by the next build. So
`kill -9` at any moment leaves, for every path, the old version or the new, never neither or
both. A graph already in the store, and every write to a server, is replaced in one Update. A finished build publishes a snapshot (a RocksDB checkpoint, hard links)
under `snapshots/`; the endpoint reads the newest snapshot, so it sees every finished build and
never a half one. One build at a time: a lock file, refused with one line."""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..extract.errors import StoreError

ONTOLOGY_GRAPH = "https://w3id.org/budgetkg/graph/ontology"
SNAPSHOTS = "snapshots"
LOCK_FILE = "budgetkg-build.lock"
KEEP_SNAPSHOTS = 3
_DCT_SOURCE = "http://purl.org/dc/terms/source"
#: a document's path in the folder tree it was built from (its identity with its content)
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_DOC_TYPE = "https://w3id.org/budgetkg/ontology#BudgetDocument"


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
        msg = str(exc)
        if "lock" in msg.lower():
            raise StoreError("the store is being written by another process (a build?); try again when it ends",
                             source=str(path)) from exc
        raise StoreError(f"cannot open store: {msg.splitlines()[0] if msg else exc}", source=str(path)) from exc


def current_snapshot(path: str | Path) -> Path:
    """The newest finished snapshot of the store, or the store itself when none was published
    (a store built before snapshots existed)."""
    folder = Path(path) / SNAPSHOTS
    try:
        names = sorted(n for n in os.listdir(folder) if n.isdigit())
    except OSError:
        return Path(path)
    return folder / names[-1] if names else Path(path)


def publish_snapshot(store: ox.Store, path: str | Path) -> Path:
    """Checkpoint the store into `snapshots/<ns>`: written under a temporary name, then renamed,
    so a reader finds a complete snapshot or none. The oldest beyond KEEP_SNAPSHOTS go."""
    folder = Path(path) / SNAPSHOTS
    folder.mkdir(exist_ok=True)
    stamp = f"{time.time_ns():020d}"
    tmp = folder / f".tmp-{stamp}"
    store.flush()
    try:
        store.backup(str(tmp))
    except OSError as exc:
        raise StoreError(f"cannot publish a snapshot: {exc}", source=str(path)) from exc
    final = folder / stamp
    os.rename(tmp, final)
    names = sorted(n for n in os.listdir(folder) if n.isdigit())
    for old in names[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(folder / old, ignore_errors=True)
    for stale in folder.glob(".tmp-*"):
        if stale != tmp:
            shutil.rmtree(stale, ignore_errors=True)
    return final


class BuildLock:
    """One build per store at a time (an flock, released when the process ends, even by kill)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.fd: int | None = None

    def __enter__(self) -> "BuildLock":
        self.path.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self.fd)
            self.fd = None
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError("another build is writing to this store; wait for it to finish",
                                 source=str(self.path)) from None
            raise StoreError(f"cannot lock the store: {exc.strerror}", source=str(self.path)) from None
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def replacement_update(graph: str, quads: Iterable[ox.Quad], *, drop: Iterable[str] = (),
                       unlink: dict[str, str] | None = None) -> str:
    """One SPARQL Update that drops the graphs in `drop` and `graph`, removes the source path
    identifiers in `unlink` ({graph: path}) and inserts the new quads — one transaction in
    Oxigraph, on disk or on a server. Terms are written by pyoxigraph (N-Triples), never pasted."""
    g = ox.NamedNode(graph)
    parts = [f"DROP SILENT GRAPH {ox.NamedNode(d)}" for d in drop if d != graph]
    for other, path in (unlink or {}).items():
        parts.append(f"DELETE DATA {{ GRAPH {ox.NamedNode(other)} {{ {ox.NamedNode(other)} "
                     f"<{DCT_IDENTIFIER}> {ox.Literal(path)} }} }}")
    parts.append(f"DROP SILENT GRAPH {g}")
    triples = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                           format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{triples}}} }}")
    return " ;\n".join(parts)


def replace_graph(store: ox.Store, graph: str, quads: Iterable[ox.Quad], *, drop: Iterable[str] = (),
                  unlink: dict[str, str] | None = None) -> int:
    """Replace one document's graph (and drop its older versions) in one transaction."""
    quads = list(quads)
    try:
        store.update(replacement_update(graph, quads, drop=drop, unlink=unlink))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write graph {graph}: {exc}") from exc
    return len(quads)


PENDING_FILE = "budgetkg-pending"
#: a graph made over the whole store names the version of the code that made it
VERSION = "http://purl.org/dc/terms/hasVersion"


def version_quad(graph: str, version: str) -> ox.Quad:
    """`<graph> dct:hasVersion "version"`, in the graph itself."""
    g = ox.NamedNode(graph)
    return ox.Quad(g, ox.NamedNode(VERSION), ox.Literal(version), g)
#: a reference graph losing more quads than this (and than half of it) is rewritten whole
LOST_ONE_BY_ONE = 50_000
#: a build compacts the store when it bulk-wrote at least this share of the store's size on disk:
#: a compaction rewrites the whole store (18 s at 1,000 synthetic documents, after a few
#: thousand quads changed), so it is paid once per tenth of growth, not at every small build
COMPACT_SHARE = 0.1
#: N-Quads bytes counted per quad of a reference graph bulk-written (links: about 120)
_QUAD_BYTES = 128


def store_bytes(path: str | Path) -> int:
    """The store's size on disk: the database's own files (not its snapshots, index or manifest)."""
    total = 0
    for e in os.scandir(path):
        if e.is_file(follow_symlinks=False) and not e.name.startswith(("budgetkg", ".budgetkg")):
            try:
                total += e.stat().st_size
            except FileNotFoundError:   # a file the database's background compaction just removed
                continue
    return total


def _compact(store: ox.Store) -> None:
    store.optimize()


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _value_form(o: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """An object as a key: a number by its value, since the store keeps numbers in canonical
    form (a link score written "100.00" is read back "100", and a key of the printed form made
    every build rewrite every link)."""
    if isinstance(o, ox.Literal) and o.datatype.value in (_DECIMAL, _INTEGER):
        try:
            d = Decimal(o.value)
        except InvalidOperation:
            return str(o)
        return f'"{d.normalize():f}"^^<{o.datatype.value}>'
    return str(o)


def _quad_key(q: ox.Quad) -> int:
    """A quad's identity as a small integer (a reference graph's million quads compared without
    holding two copies of them); numbers compared by value (`_value_form`)."""
    text = f"{q.subject} {q.predicate} {_value_form(q.object)} {q.graph_name}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@dataclass
class Commit:
    """One document to commit: its graph, the N-Quads of its content (None when the graph is
    in the store already and only its paths change), the paths it is built from, and the
    older versions to drop or to unlink from this path."""
    graph: str
    nquads: bytes | None
    paths: list[str]
    drop: list[str] = field(default_factory=list)
    unlink: dict[str, str] = field(default_factory=dict)


def identifier_quads(graph: str, paths: Iterable[str]) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(g, ox.NamedNode(DCT_IDENTIFIER), ox.Literal(p), g) for p in sorted(paths)]


def commit_update(docs: Iterable[Commit]) -> str:
    """One SPARQL Update committing several documents: older versions dropped or unlinked
    from the path, each document's path identifiers inserted (its content is in already)."""
    parts: list[str] = []
    inserts: list[str] = []
    for d in docs:
        g = ox.NamedNode(d.graph)
        parts += [f"DROP SILENT GRAPH {ox.NamedNode(x)}" for x in d.drop if x != d.graph]
        for other, path in d.unlink.items():
            parts.append(f"DELETE DATA {{ GRAPH {ox.NamedNode(other)} {{ {ox.NamedNode(other)} "
                         f"<{DCT_IDENTIFIER}> {ox.Literal(path)} }} }}")
        inserts += [f"GRAPH {g} {{ {g} <{DCT_IDENTIFIER}> {ox.Literal(p)} }}" for p in sorted(d.paths)]
    if inserts:
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(parts)


def split_graph(quads: Iterable[ox.Quad], graph: str) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """A document's quads in its own graph apart from those it adds to shared graphs."""
    own, shared = [], []
    for q in quads:
        (own if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph else shared).append(q)
    return own, shared


def insert_update(quads: Iterable[ox.Quad]) -> str | None:
    """One SPARQL Update adding quads to their graphs (terms written by pyoxigraph)."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    if not by_graph:
        return None
    return "INSERT DATA {\n" + "\n".join(
        f"GRAPH {ox.NamedNode(g)} {{\n{ox.serialize(t, format=ox.RdfFormat.N_TRIPLES).decode('utf-8')}}}"
        for g, t in sorted(by_graph.items())) + "\n}"


def _write_journal(path: Path, graphs: list[str]) -> None:
    """The journal of graphs being bulk-loaded, written durably before the load."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("".join(g + "\n" for g in graphs))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def sources_of(rows: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for graph, source in rows:
        out.setdefault(graph, set()).add(source)
    return out


SOURCES_QUERY = (f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?d a <{_DOC_TYPE}> ; <{_DCT_SOURCE}>|<{DCT_IDENTIFIER}> ?s "
                 f"FILTER(?d = ?g) }} }}")


class LocalStore:
    """The on-disk store behind the same few operations as `RemoteStore`, so a build writes
    to either the same way. Opened under the build lock; closing publishes a snapshot."""

    def __init__(self, path: str | Path, *, lock: BuildLock | None = None) -> None:
        self.path = Path(path)
        self.written = False        # anything written by this handle (the flush then flushes)
        self.written_bytes = 0      # N-Quads bytes bulk-written (the flush may then compact)
        self.compaction: threading.Thread | None = None   # started by `start_compaction`
        self.compaction_error: BaseException | None = None
        self.lock = lock or BuildLock(self.path).__enter__()
        try:
            self.store = open_store(path)
        except BaseException:
            self.lock.__exit__()
            raise

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], *, drop: Iterable[str] = (),
                      unlink: dict[str, str] | None = None) -> int:
        return replace_graph(self.store, graph, quads, drop=drop, unlink=unlink)

    def remove_graph(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))

    def write_reference_graph(self, graph: str, quads: Iterable[ox.Quad],
                              within: Iterable[ox.Quad] | None = None) -> int:
        """A graph made over the whole store (the project links) brought to `quads` by its
        difference: the quads it gains bulk-written, those it loses removed one by one — or, when
        it loses most of them, the graph removed and bulk-written whole. One SPARQL Update of a
        million quads (the links of 1,000 synthetic documents) took 77 s and 5 GB, and removing
        them 24 s; a build that changed a few documents changes a few links. Not one
        transaction, and it needs none: the build writes it under its lock before it publishes
        the snapshot readers see, and makes it again from the store every time.

        With `within` (the graph's quads of one part, the links of some departments), that part
        alone is brought to `quads`; the rest of the graph stays as it is."""
        g = ox.NamedNode(graph)
        new = {_quad_key(q): q for q in quads}
        old: set[int] = set()
        lost: list[ox.Quad] = []
        for q in (self.store.quads_for_pattern(None, None, None, g) if within is None else within):
            k = _quad_key(q)
            old.add(k)
            if k not in new:
                lost.append(q)
        if within is None and len(lost) > max(LOST_ONE_BY_ONE, len(old) // 2):
            self.store.remove_graph(g)
            gained = list(new.values())
        else:
            for q in lost:
                self.store.remove(q)
            gained = [q for k, q in new.items() if k not in old]
        for i in range(0, len(gained), 200_000):      # bulk writes buffer what they are given
            self.store.bulk_extend(gained[i:i + 200_000])
            self.written = True         # the flush compacts what the bulk write left
            self.written_bytes += _QUAD_BYTES * len(gained[i:i + 200_000])
        return len(new)

    def document_sources(self) -> dict[str, set[str]]:
        """Every document graph with its bare file name (dct:source) and paths (dct:identifier)."""
        return sources_of((s["g"].value, s["s"].value) for s in self.store.query(SOURCES_QUERY))

    def contains(self, graph: str) -> bool:
        return self.store.contains_named_graph(ox.NamedNode(graph))

    def recover(self) -> list[str]:
        """Roll back what a killed build bulk-loaded but never committed: every graph named in
        the pending journal that carries no path identifier. Returns the graphs removed."""
        journal = self.path / PENDING_FILE
        try:
            graphs = [g for g in journal.read_text(encoding="utf-8").split() if g]
        except OSError:
            return []
        removed = []
        for g in dict.fromkeys(graphs):
            if not self.store.query(f"ASK {{ GRAPH {ox.NamedNode(g)} {{ {ox.NamedNode(g)} <{DCT_IDENTIFIER}> ?p }} }}"):
                self.store.remove_graph(ox.NamedNode(g))
                removed.append(g)
        _write_journal(journal, [])
        return removed

    def write_documents(self, docs: list[Commit]) -> None:
        """Write several documents at once: their graphs bulk-loaded (SST files, no write-ahead
        log), then one transaction that drops the older versions and adds each document's
        path identifiers — the commit. The bulk-loaded graphs are new (their IRIs carry their
        content's sha256) and named in a journal first, so a kill before the commit leaves the
        old versions in place and the new graphs without identifiers, which `recover` removes.
        A graph already in the store (the same content rebuilt) is replaced in a transaction
        of its own, as a remote store replaces every graph."""
        fresh: dict[str, bytes] = {}
        for d in docs:
            if d.nquads is not None and d.graph not in fresh and not self.contains(d.graph):
                fresh[d.graph] = d.nquads
        for d in docs:
            if d.graph not in fresh and d.nquads is not None:
                own, shared = split_graph(ox.parse(d.nquads, format=ox.RdfFormat.N_QUADS), d.graph)
                if shared:
                    self.store.extend(shared)       # shared graphs only grow: idempotent
                self.replace_graph(d.graph, own + identifier_quads(d.graph, d.paths), drop=d.drop,
                                   unlink=d.unlink)
        journal = self.path / PENDING_FILE
        if fresh:
            _write_journal(journal, list(fresh))
            self.written_bytes += sum(map(len, fresh.values()))
            try:
                self.store.bulk_load(b"".join(fresh.values()), format=ox.RdfFormat.N_QUADS, lenient=True)
            except (OSError, SyntaxError, ValueError) as exc:
                raise StoreError(f"cannot bulk-load {len(fresh)} document graph(s): {exc}") from exc
        commit = [d for d in docs if d.graph in fresh or d.nquads is None]
        if commit:
            try:
                self.store.update(commit_update(commit))
            except (OSError, SyntaxError) as exc:
                raise StoreError(f"cannot commit {len(commit)} document(s): {exc}") from exc
        if fresh:
            _write_journal(journal, [])
        self.written = True

    def _wants_compaction(self) -> bool:
        return self.written_bytes >= COMPACT_SHARE * store_bytes(self.path)

    def start_compaction(self) -> None:
        """Start the compaction `flush` would make (after bulk loads of a tenth of the store or
        more) now, in a thread: RocksDB compacts on one core (pyoxigraph lets go of the GIL)
        while the end of the build — the checks across documents, the project links — runs on
        the other, where it used to wait for them. `flush` waits for it. What is written after
        it started (the links, the findings) is flushed as it is, a small part of the store."""
        if self.compaction is not None or not self.written:
            return
        self.store.flush()
        if not self._wants_compaction():
            return

        def compact() -> None:
            try:
                _compact(self.store)
            except BaseException as exc:      # raised again by `wait_compaction`
                self.compaction_error = exc
        self.compaction = threading.Thread(target=compact, name="budgetkg-compaction")
        self.compaction.start()

    def wait_compaction(self) -> None:
        """Wait for a compaction `start_compaction` started; its error, if any, raised here."""
        if self.compaction is None:
            return
        self.compaction.join()
        error, self.compaction_error = self.compaction_error, None
        if error is not None:       # its frames would hold the database open: the message is kept
            raise StoreError(f"cannot compact the store: {error}",
                             source=str(self.path)) from error.with_traceback(None)

    def flush(self) -> None:
        """Flush (and after bulk loads of a tenth of the store or more, compact — or wait for the
        compaction `start_compaction` started: the store on disk stays close to one `bulk_load`
        of the same quads), publish the snapshot the endpoint reads, release the lock."""
        try:
            self.wait_compaction()
            if self.written:
                self.store.flush()
                if self.compaction is None and self._wants_compaction():
                    _compact(self.store)
            publish_snapshot(self.store, self.path)
        finally:
            self.close()

    def close(self) -> None:
        """Let the database go — after its compaction thread, if any, has ended — and release
        the lock: a build that failed leaves the store to the next one, even while its error
        (and the frames that held this handle) is still kept by the caller."""
        if self.compaction is not None:
            self.compaction.join()
        self.store = None
        self.lock.__exit__()


def ontology_quads() -> list[ox.Quad]:
    data = resources.files("budgetkg.ontology").joinpath("budget.ttl").read_bytes()
    g = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)]
