"""Build orchestration: a folder of documents into the store, one report per document.
A file that fails is reported and skipped; its previous graph stays in the store."""
from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable


from ..extract.errors import BudgetKGError
from ..extract.model import DocumentProfile
from ..extract.pipeline import extract_path
from ..extract.readers import SUFFIXES
from ..extract.to_rdf import Minter, extraction_to_quads
from ..extract.vocab import DEFAULT_BASE
from .remote import RemoteStore, is_remote
from .store import ONTOLOGY_GRAPH, LocalStore, ontology_quads
from .validate import payload_of, validate_payload


@dataclass
class DocumentReport:
    source: str
    ok: bool
    error: str | None = None
    graph: str | None = None
    profile: DocumentProfile | None = None
    tables: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    quads: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    violations: list[str] = field(default_factory=list)
    findings: str = ""          # e.g. "0 error, 1 warning, 12 info"


def find_documents(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                              and (f.suffix.lower() in SUFFIXES or f.suffix == "")))
        else:
            out.append(p)
    return out


def _extract(path: Path, checks: bool, workers: int, slim: bool = False):
    """An extraction, or the library error that explains why there is none (picklable both).
    `slim` drops the document's blocks, which nothing after extraction reads, before the
    result crosses back from a worker process."""
    try:
        ex = extract_path(path, checks=checks, workers=workers)
    except BudgetKGError as exc:
        return exc
    if slim:
        ex.document.blocks = []
    return ex


def build_document(store: LocalStore | RemoteStore, path: Path, minter: Minter, *, validate=None,
                   checks: bool = True, workers: int = 1, extracted=None) -> DocumentReport:
    """Extract (unless `extracted` is given), emit and store one document. `validate` is a
    callable taking the graph's SHACL payload and returning the violations, or a future."""
    ex = extracted if extracted is not None else _extract(path, checks, workers)
    if isinstance(ex, BudgetKGError):
        return DocumentReport(source=str(path), ok=False, error=ex.message)
    quads = extraction_to_quads(ex, minter)
    shacl = validate(payload_of(quads)) if validate else []
    graph = minter.document(ex.document.sha256)
    # the same file, built before from other content: its old graph goes once the new is in
    older = [g for g in store.graphs_with_source(path.name) if g != graph]
    n = store.replace_graph(graph, quads)
    for g in older:
        store.remove_graph(g)
    return DocumentReport(source=str(path), ok=True, graph=graph, profile=ex.profile, tables=ex.kinds,
                          facts=len(ex.records), quads=n, warnings=ex.warnings, skipped_rows=ex.rows_skipped,
                          violations=shacl,
                          findings=", ".join(f"{sum(1 for f in ex.findings if f.severity == s)} {s}"
                                             for s in ("error", "warning", "info")))


def _ready(_: int) -> bool:
    """Nothing: submitted once per worker so that every worker process exists now."""
    return True


def build(paths: Iterable[str | Path], store_path: str | Path, *, base: str = DEFAULT_BASE,
          progress: Callable[[Path], None] | None = None, validate: bool = True,
          checks: bool = True, workers: int = 1) -> list[DocumentReport]:
    files = find_documents(paths)
    # Worker processes start before the store is opened: a process forked while the store is
    # open would hold the database's files and, on exit, tidy them under the parent's feet.
    # SHACL runs in one worker overlapping the extraction of the next document; with several
    # workers and several files, files are extracted in parallel (the pages of one PDF
    # otherwise). Emitting RDF and writing the store stay in this process, in file order.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method)) \
        if validate and files else None
    file_pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) \
        if workers > 1 and len(files) > 1 else None
    for p in (pool, file_pool):
        if p is not None:
            list(p.map(_ready, range(p._max_workers)))
    store = RemoteStore(str(store_path)) if is_remote(str(store_path)) else LocalStore(store_path)
    store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
    minter = Minter(base)
    try:
        submit = (lambda payload: pool.submit(validate_payload, payload)) if pool else None
        # largest first: the SHACL of the last document is the only one nothing overlaps
        order = sorted(range(len(files)), key=lambda k: -files[k].stat().st_size) if pool else list(range(len(files)))
        todo = [files[k] for k in order]
        extracted = file_pool.map(_extract, todo, [checks] * len(todo), [1] * len(todo), [True] * len(todo)) \
            if file_pool else (None for _ in todo)
        done: dict[int, DocumentReport] = {}
        for k, path, ex in zip(order, todo, extracted):
            done[k] = build_document(store, path, minter, validate=submit, checks=checks, workers=workers,
                                     extracted=ex)
            if progress:
                progress(path)
        reports = [done[k] for k in range(len(files))]
        for r in reports:
            if isinstance(r.violations, Future):
                r.violations = r.violations.result()
    finally:
        if pool:
            pool.shutdown()
        if file_pool:
            file_pool.shutdown()
    store.flush()
    del store          # the write handle is closed before anyone reads the folder again
    gc.collect()
    return reports
