"""The build engine: documents made into shards in worker processes (extraction, RDF, SHACL and
the document's rows of the full-text index — graph/shards.py), written by this process in
batches: bulk-loaded, then committed in one transaction per batch (graph/store.py), their index
rows added once committed (graph/search.py). Incremental and resumable through the manifest
(graph/manifest.py): a document whose content and code are unchanged is skipped.

Workers: `workers` processes (forked before the store is opened: a process forked while the
store is open would hold the database's files), or Dask tasks (graph/distributed.py). One
file alone is made in this process, its PDF pages read by `workers` processes."""
from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from ..extract.errors import InputError
from .build import DocumentReport, _same_path, max_file_bytes, older_versions, source_key
from .manifest import Manifest, report_from_dict
from .remote import RemoteStore, is_remote
from .shards import Shard, code_fingerprint, document_worker, file_sha256, make_shard, read_shard
from .store import BuildLock, Commit, LocalStore, identifier_quads, insert_update, split_graph

#: a batch is written when it holds this many quads or documents (env BUDGETKG_BATCH_DOCUMENTS),
#: or when its first document has waited this many seconds: a long build commits as it goes.
#: A bulk load holds its batch several times over (about 2 KB a quad), so the quads bound the
#: building process's memory; 100,000 against 300,000 halved it (N = 100: 639 → 314 MB) in the
#: same time, RocksDB's work per quad loaded being the same in smaller loads
BATCH_QUADS = 100_000
BATCH_DOCUMENTS = 64
BATCH_SECONDS = 30.0
#: where documents are made: worker processes of this machine, or Dask tasks (graph/distributed.py)
ENGINES = ("local", "dask")
#: in a store folder while a build has committed documents but not yet made the graphs over the
#: whole store (the checks across documents, the project links): the next build makes them for
#: every department, since the documents of the interrupted one will be skipped as unchanged
END_PENDING = "budgetkg-end-pending"
_ISSUED_BY = "https://w3id.org/budgetkg/ontology#issuedBy"


@dataclass
class Changes:
    """What a build changed, for the graphs made over the whole store: the departments of the
    documents it committed or dropped, and the document graphs it dropped."""
    departments: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)


def departments_of(store, graphs: Iterable[str]) -> set[str]:
    """The departments (bkg:issuedBy) of these document graphs, as the store holds them."""
    graphs = sorted(set(graphs))
    if not graphs:
        return set()
    from .queries import select
    reader = store.store if isinstance(store, LocalStore) else store
    text = (f"SELECT DISTINCT ?dept WHERE {{ VALUES ?g {{ {' '.join(str(ox.NamedNode(g)) for g in graphs)} }} "
            f"GRAPH ?g {{ ?g <{_ISSUED_BY}> ?dept }} }}")
    return {r["dept"] for r in select(reader, text)[1] if r["dept"]}


def batch_documents() -> int:
    try:
        return max(1, int(os.environ.get("BUDGETKG_BATCH_DOCUMENTS", BATCH_DOCUMENTS)))
    except ValueError:
        return BATCH_DOCUMENTS


def plan(sources: dict[str, set[str]], graph: str, key: str) -> tuple[list[str], dict[str, str], list[str]]:
    """What committing `graph` from the file at `key` does: the older versions of that path to
    drop, those to unlink from it (another path still holds that content), and the paths the
    graph is built from (the same content found at other paths keeps them). `sources` is
    updated as if it were done, so documents of one batch are planned one after another."""
    drop, unlink = [], {}
    for g in older_versions(sources, key):
        if g == graph:
            continue
        others = {v for v in sources[g] if "/" in v and not _same_path(v, key)}
        if others:
            unlink[g] = next(v for v in sources[g] if _same_path(v, key))
        else:
            drop.append(g)
    kept = {v for v in sources.get(graph, set()) if "/" in v and not _same_path(v, key)}
    paths = sorted(kept | {key})
    for g in drop:
        sources.pop(g, None)
    for g, p in unlink.items():
        sources[g].discard(p)
    sources[graph] = {v for v in sources.get(graph, set()) if "/" not in v} | set(paths) | {key.rsplit("/", 1)[-1]}
    return drop, unlink, paths


class Writer:
    """Documents gathered into batches and written: bulk-load and commit on a folder, one SPARQL
    Update per document on a server. The manifest records each batch once committed."""

    def __init__(self, store, sources: dict[str, set[str]], manifest: Manifest | None, fingerprint: str,
                 progress: Callable[[Path], None] | None, index=None,
                 pending: Path | None = None) -> None:
        self.store, self.sources, self.manifest, self.fingerprint = store, sources, manifest, fingerprint
        self.changes = Changes()
        self.pending = pending  # END_PENDING, made before the first commit
        self.index = index      # graph/search.py's IndexWriter: each committed document's rows
        self.progress = progress
        self.batch: list[tuple[Commit, Path, str | None, DocumentReport, list]] = []
        self.quads = 0
        self.started = 0.0
        self.limit = batch_documents()

    def add(self, path: Path, shard: Shard) -> None:
        report = shard.report
        if not report.ok:
            if self.progress:
                self.progress(path)
            return
        key = source_key(path)
        drop, unlink, paths = plan(self.sources, report.graph, key)
        report.quads += len(paths)
        if not self.batch:
            self.started = time.monotonic()
        self.batch.append((Commit(report.graph, read_shard(shard), paths, drop, unlink), path, shard.sha256, report,
                           shard.search_rows))
        self.quads += report.quads
        if self.quads >= BATCH_QUADS or len(self.batch) >= self.limit \
                or time.monotonic() - self.started > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        commits = [c for c, *_ in self.batch]
        if self.pending is not None and not self.pending.exists():
            self.pending.touch()
        gone = {g for c in commits for g in c.drop}
        # read before they are dropped; a graph unlinked from a path keeps its content, not its names
        self.changes.departments |= departments_of(self.store, gone | {g for c in commits for g in c.unlink})
        self.changes.gone |= gone
        if isinstance(self.store, LocalStore):
            self.store.write_documents(commits)
        else:
            for c in commits:
                own, shared = split_graph(ox.parse(c.nquads, format=ox.RdfFormat.N_QUADS), c.graph)
                text = insert_update(shared)
                if text:            # shared graphs first: a document finds what it names
                    self.store._call("POST", "/update", content=text.encode("utf-8"),
                                     headers={"content-type": "application/sparql-update"})
                self.store.replace_graph(c.graph, own + identifier_quads(c.graph, c.paths), drop=c.drop,
                                         unlink=c.unlink)
        self.changes.departments |= departments_of(self.store, [c.graph for c in commits])
        if self.index is not None:
            for c, *_, rows in self.batch:
                self.index.add(c.graph, rows)
        if self.manifest is not None:
            self.manifest.record((source_key(p), sha, r.graph, self.fingerprint, r) for _, p, sha, r, _ in self.batch)
        if self.progress:
            for _, p, *_ in self.batch:
                self.progress(p)
        self.batch, self.quads = [], 0


def _ready(_: int) -> bool:
    """Nothing: submitted once per worker so that every worker process exists now."""
    return True


def local_results(pool: ProcessPoolExecutor, jobs: list[tuple[int, Path]], window: int,
                  kwargs: dict) -> Iterator[tuple[int, Shard]]:
    """(index, shard) as the workers finish them, at most `window` documents in flight (the
    shards waiting for the store stay few, whatever the number of documents)."""
    pending: dict = {}
    it = iter(jobs)
    while True:
        while len(pending) < window:
            nxt = next(it, None)
            if nxt is None:
                break
            pending[pool.submit(make_shard, str(nxt[1]), **kwargs)] = nxt[0]
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for f in done:
            yield pending.pop(f), f.result()


def run(files: list[Path], store_path: str | Path, *, base: str, progress: Callable[[Path], None] | None = None,
        validate: bool = True, checks: bool = True, workers: int = 1, force: bool = False,
        prelude: Callable[[object], None] | None = None, engine: str = "local", scheduler: str | None = None,
        shard_dir: str | Path | None = None,
        postlude: Callable[[object, Changes | None], None] | None = None) -> list[DocumentReport]:
    """Make and write `files`; `prelude(store)` runs before the documents are written and
    `postlude(store, changes)` after, both under the build lock and before the one snapshot is
    published. `changes` is what this build changed, or None when the graphs over the whole
    store must be made whole (a server; an earlier build stopped before making them)."""
    files = [Path(f) for f in files]
    remote = is_remote(str(store_path))
    kwargs = {"base": base, "checks": checks, "validate": validate, "index": not remote}
    pool = dask = None
    shard_tmp = None
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}", source="--engine")
    if engine == "dask":
        # tasks on a Dask cluster, each writing its document's gzipped shard (graph/distributed.py);
        # started before the store is locked, like the local workers
        from .distributed import DaskEngine
        if shard_dir is None:
            shard_dir = shard_tmp = tempfile.mkdtemp(prefix="budgetkg-shards-")
        try:
            dask = DaskEngine(scheduler, workers, shard_dir)
        except BaseException:
            if shard_tmp is not None:
                shutil.rmtree(shard_tmp, ignore_errors=True)
            raise
    elif len(files) > 1:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=document_worker, initargs=(os.getpid(),))
    # one build per store, refused with one line; locked after the workers exist, so that no
    # worker inherits the lock and outlives a killed build holding it
    lock = None
    try:
        if pool is not None:
            list(pool.map(_ready, range(workers)))
        lock = None if remote else BuildLock(store_path).__enter__()
        store = RemoteStore(str(store_path)) if lock is None else LocalStore(store_path, lock=lock)
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if dask is not None:
            dask.close()
        if shard_tmp is not None:
            shutil.rmtree(shard_tmp, ignore_errors=True)
        if lock is not None:
            lock.__exit__()
        raise
    reports: list[DocumentReport | None] = [None] * len(files)
    index = None
    try:
        if isinstance(store, LocalStore):
            store.recover()
        if prelude is not None:
            prelude(store)
        sources = store.document_sources()
        manifest = None if remote else Manifest(store_path)
        fingerprint = f"{code_fingerprint()}|{base}|checks={checks}|validate={validate}"
        limit = max_file_bytes()
        jobs: list[tuple[int, Path]] = []
        for k, path in enumerate(files):
            entry = None
            if manifest is not None and not force:
                entry = manifest.unchanged(source_key(path), file_sha256(path, limit), fingerprint, sources)
            if entry is not None:
                reports[k] = report_from_dict(entry["report"])
                reports[k].source, reports[k].skipped = str(path), True
                if progress:
                    progress(path)
            else:
                jobs.append((k, path))
        # largest first: the last document's work is the only one nothing overlaps
        jobs.sort(key=lambda j: -_size(j[1]))
        if isinstance(store, LocalStore):
            from .search import IndexWriter
            index = IndexWriter(store_path)
        pending = None if remote else Path(store_path) / END_PENDING
        whole = remote or pending.exists()
        writer = Writer(store, sources, manifest, fingerprint, progress, index, pending)
        if dask is not None:
            results = dask.results(jobs, kwargs)
        elif pool is not None:
            results = local_results(pool, jobs, 2 * workers + 2, kwargs)
        else:
            results = ((k, make_shard(path, workers=workers, **kwargs)) for k, path in jobs)
        for k, shard in results:
            reports[k] = shard.report
            writer.add(files[k], shard)
        writer.flush()
        if manifest is not None:
            manifest.compact(store.document_sources())
        if isinstance(store, LocalStore):
            store.start_compaction()    # beside the end of the build, on the other core
        if postlude is not None:
            postlude(store, None if whole else writer.changes)
        if pending is not None:
            pending.unlink(missing_ok=True)
        if index is not None:
            index.finish(store.store)
    except BaseException:
        if index is not None:
            index.abort()
        if isinstance(store, LocalStore):
            store.close()
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if dask is not None:
            dask.close()
        if shard_tmp is not None:
            shutil.rmtree(shard_tmp, ignore_errors=True)
    store.flush()          # publishes the snapshot `serve` reads, releases the lock
    if index is not None:
        index.publish()    # the full-text index of that snapshot beside it
    del store              # the write handle is closed before anyone reads the folder again
    gc.collect()
    return [r for r in reports if r is not None]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
