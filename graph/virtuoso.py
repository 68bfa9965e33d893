"""Virtuoso (Debian `virtuoso-opensource`, the store OpenBudgets.eu ran on) as a third store:
a folder of document shards (`<sha256>.nq.gz`, graph/shards.py) bulk-loaded with Virtuoso's own
loader (`ld_dir` + `rdf_loader_run()` + `checkpoint`, driven through `isql-vt`), never by SPARQL
inserts; questions asked of its `/sparql` endpoint through graph/remote.py.

N-Quads keep each document's graph name, so the store holds the same named graphs a build
writes. Virtuoso's default graph, when no `default-graph-uri` is given, is every graph at once
(one row per graph a triple is in, as with pyoxigraph's `use_default_graph_as_union`): the
named questions run unchanged. The shards lack what the building process adds (the ontology and
topic scheme graphs, written here as one more shard, and the path identifiers, which no
question reads), so a Virtuoso store is for answering questions, not for `budgetkg build`.

The server reads the shard files itself: the folder must be in its `DirsAllowed`, at the same
path on the server as here. The bulk loader remembers each file (`DB.DBA.LOAD_LIST`): a shard
loaded before is not loaded again, and since a shard is named by its document's content, a
changed document is a new graph beside the old one (drop the old one by hand)."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from ..extract.errors import InputError, StoreError

#: the graph the loader puts a triple without a graph name in (a shard has none)
FALLBACK_GRAPH = "https://w3id.org/budgetkg/graph/unnamed"


def isql_program() -> str:
    """Debian names Virtuoso's isql `isql-vt` (plain `isql` is unixODBC's)."""
    exe = os.environ.get("BUDGETKG_ISQL") or shutil.which("isql-vt") or shutil.which("isql-v")
    if not exe:
        raise InputError("Virtuoso's isql-vt is not installed (apt-get install virtuoso-opensource)",
                         source="--virtuoso")
    return exe


@dataclass
class Virtuoso:
    """A Virtuoso server: its SQL port (isql, the loader) and, when known, its HTTP port (/sparql)."""
    host: str = "127.0.0.1"
    port: int = 1111
    user: str = "dba"
    password: str = "dba"
    http_port: int | None = None

    @classmethod
    def parse(cls, address: str, **kw) -> "Virtuoso":
        host, _, port = address.rpartition(":")
        if not port.isdigit():
            raise InputError(f"expected HOST:PORT of Virtuoso's SQL (isql) port, got {address!r}",
                             source="--virtuoso")
        return cls(host or "127.0.0.1", int(port), **kw)

    @property
    def sparql_url(self) -> str:
        return f"http://{self.host}:{self.http_port or 8890}/sparql"

    def isql(self, sql: str, *, timeout: float | None = None) -> str:
        """Run SQL statements through isql-vt; any `*** Error` (isql exits 0 on them) is raised."""
        try:
            r = subprocess.run([isql_program(), f"{self.host}:{self.port}", self.user, self.password,
                                f"exec={sql}"], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise StoreError(f"isql did not finish in {timeout} s", source=self.address) from exc
        errors = [line for line in (r.stderr + r.stdout).splitlines() if line.startswith("*** Error")]
        if r.returncode or errors:
            raise StoreError("; ".join(errors) or f"isql exited {r.returncode}: {r.stderr.strip()[:200]}",
                             source=self.address)
        return r.stdout

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def reference_nquads() -> bytes:
    """The graphs every build writes besides the documents' (ontology, topic scheme)."""
    from ..extract.topics import TOPICS_GRAPH, scheme_quads
    from .store import ONTOLOGY_GRAPH, ontology_quads
    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(g))
             for g, part in ((ONTOLOGY_GRAPH, ontology_quads()), (TOPICS_GRAPH, scheme_quads())) for q in part]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def write_reference_shard(folder: str | Path) -> Path:
    """The reference graphs as one more shard in the folder, named by its content's sha256."""
    from .shards import write_shard
    data = reference_nquads()
    return write_shard(folder, hashlib.sha256(data).hexdigest(), data)


@dataclass
class LoadReport:
    files: int          # shard files the loader read in this call
    seconds: float      # registration, load and checkpoint


def load_shards(server: Virtuoso, folder: str | Path, *, reference: bool = True, loaders: int = 1,
                timeout: float | None = None) -> LoadReport:
    """Bulk-load every `*.nq.gz` of `folder` into `server`, each quad into its named graph, then
    checkpoint (the loader does not log: without a checkpoint a crash loses the load). A file
    the loader could not read is an error naming it. `loaders` isql sessions run
    `rdf_loader_run()` side by side (one per core of the server is Virtuoso's advice)."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise InputError("no such shard folder", source=str(folder))
    start = time.monotonic()
    mine = f"ll_file LIKE {sql_string(str(folder) + '/%')}"
    if reference:
        shard = write_reference_shard(folder)
        if not _done(server, f"ll_file = {sql_string(str(shard))}"):
            # reference data built by other code: its graphs replaced, not added to
            from ..extract.topics import TOPICS_GRAPH
            from .store import ONTOLOGY_GRAPH
            server.isql(" ".join(f"SPARQL CLEAR GRAPH <{g}>;" for g in (ONTOLOGY_GRAPH, TOPICS_GRAPH)),
                        timeout=timeout)
    before = _done(server, mine)
    server.isql(f"ld_dir({sql_string(str(folder))}, '*.nq.gz', {sql_string(FALLBACK_GRAPH)});", timeout=timeout)
    procs = [subprocess.Popen([isql_program(), server.address, server.user, server.password,
                               "exec=rdf_loader_run();"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(max(1, loaders))]
    errors = []
    for p in procs:
        out, errs = p.communicate(timeout=timeout)
        errors += [line for line in (out + errs).splitlines() if line.startswith("*** Error")]
    if errors:
        raise StoreError("; ".join(errors), source=server.address)
    server.isql("checkpoint;", timeout=timeout)
    failed = [line[len("LLERR|"):] for line in server.isql(
        f"SELECT 'LLERR|' || ll_file || ' ' || ll_error FROM DB.DBA.LOAD_LIST WHERE {mine} AND ll_error IS NOT NULL;"
    ).splitlines() if line.startswith("LLERR|")]
    if failed:
        raise StoreError("the bulk loader could not load: " + "; ".join(failed), source=server.address)
    return LoadReport(files=_done(server, mine) - before, seconds=time.monotonic() - start)


def _done(server: Virtuoso, where: str) -> int:
    for line in server.isql(f"SELECT 'DONE|' || count(*) FROM DB.DBA.LOAD_LIST WHERE {where} AND ll_state = 2;"
                            ).splitlines():
        if line.startswith("DONE|"):
            return int(line[5:])
    raise StoreError("cannot read the bulk loader's list", source=server.address)


_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 0
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
[SPARQL]
; no silent truncation: the default 10,000-row cap and the anytime-query timeout both cut
; answers short without an error
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 0
"""


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_server(workdir: str | Path | None = None, *, dirs_allowed: list[str | Path] = (),
                 memory_mb: int = 256, start_timeout: float = 60.0) -> Iterator[Virtuoso]:
    """A throwaway Virtuoso (`virtuoso-t +foreground`) on free 127.0.0.1 ports with its own
    virtuoso.ini and database in `workdir` (a temporary folder when omitted, removed after),
    reading files from `dirs_allowed`; stopped when the block ends. For tests and benchmarks."""
    exe = shutil.which("virtuoso-t")
    if not exe:
        raise InputError("virtuoso-t is not installed (apt-get install virtuoso-opensource)", source="virtuoso")
    tmp = None
    if workdir is None:
        workdir = tmp = tempfile.mkdtemp(prefix="budgetkg-virtuoso-")
    db = Path(workdir).resolve()
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    buffers = max(2000, memory_mb * 1024 // 8 * 2 // 3)        # 8 KB pages, two thirds of the memory
    (db / "virtuoso.ini").write_text(_INI.format(
        db=db, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4,
        dirs=", ".join(["."] + [str(Path(d).resolve()) for d in dirs_allowed])), encoding="utf-8")
    log = open(db / "server.out", "wb")
    proc = subprocess.Popen([exe, "+configfile", str(db / "virtuoso.ini"), "+foreground"], cwd=db,
                            stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso("127.0.0.1", sql_port, http_port=http_port)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise StoreError(f"virtuoso-t exited {proc.returncode}: "
                                 + (db / "server.out").read_text(errors="replace")[-500:], source=str(db))
            try:
                server.isql("SELECT 1;", timeout=10)
                break
            except StoreError:
                if time.monotonic() > deadline:
                    raise StoreError(f"virtuoso-t did not answer in {start_timeout} s", source=str(db)) from None
                time.sleep(0.25)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
