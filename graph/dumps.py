"""The N-Quads dumps served at /dumps/: the whole dataset (`all.nq.gz`, every named graph,
the ontology included) and one file per document (`document/<id>.nq.gz`, that document's
graph), gzipped.

They are written by `serve`, from the snapshot it is serving, not by `build`:

* a dump is then exactly what `/sparql` answers at that moment — the same snapshot — never a
  dump of one build beside the endpoint's view of the next;
* a build into an Oxigraph server (`build --store http://…`) has no folder to write a dump
  into, and a build of one document would otherwise rewrite the whole corpus dump;
* a finished build publishes a new snapshot, so the dumps are regenerated after each build —
  on the first request that sees the new snapshot (`ensure_dumps`), once, under a lock.

They go into `<store>/dumps/<snapshot name>/` (or a temporary folder when the store folder is
read-only), written under a temporary name and renamed, so a reader finds a complete set or
none; the sets of older snapshots are removed. gzip headers carry no time stamp, so the same
snapshot always gives the same bytes."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..extract.errors import StoreError
from .store import current_snapshot

DUMPS = "dumps"
WHOLE = "all.nq.gz"
MANIFEST = "manifest.json"
_DOC_MARK = "/id/document/"
_lock = threading.Lock()


@dataclass
class DumpFile:
    """One gzipped N-Quads file of a dump set: its name under /dumps/, the graph it holds
    (None for the whole dataset), how many quads, and its size in bytes."""
    name: str
    graph: str | None
    quads: int
    size: int


def _dumps_root(store: Path) -> Path:
    root = store / DUMPS
    try:
        root.mkdir(exist_ok=True)
        probe = root / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return root
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"budgetkg-dumps-{abs(hash(str(store.resolve())))}"
        fallback.mkdir(exist_ok=True)
        return fallback


def snapshot_to_dumps(snapshot: Path, folder: Path) -> list[DumpFile]:
    """Write the dump set of one snapshot into `folder`: the whole dataset, then one file per
    document graph. Returns the files written (also saved as `manifest.json`)."""
    store = ox.Store.read_only(str(snapshot))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document").mkdir(exist_ok=True)
    files: list[DumpFile] = []
    total = 0
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    with open(folder / WHOLE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as whole:
        for graph in graphs:
            quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
            whole.write(data)
            total += len(quads)
            if _DOC_MARK in graph:
                name = "document/" + graph.rsplit("/", 1)[1] + ".nq.gz"
                with open(folder / name, "wb") as out:
                    out.write(gzip.compress(data, mtime=0))
                files.append(DumpFile(name, graph, len(quads), (folder / name).stat().st_size))
    files.insert(0, DumpFile(WHOLE, None, total, (folder / WHOLE).stat().st_size))
    (folder / MANIFEST).write_text(json.dumps([f.__dict__ for f in files], ensure_ascii=False), encoding="utf-8")
    del store
    return files


def ensure_dumps(store: str | Path) -> tuple[Path, list[DumpFile]]:
    """The dump set of the store's newest snapshot, written first if it does not exist yet.
    Returns its folder and files. Safe to call from several threads and processes."""
    store = Path(store)
    snap = current_snapshot(store)
    if snap == store:
        raise StoreError("the store has no published snapshot to dump; run `budgetkg build` again",
                         source=str(store))
    root = _dumps_root(store)
    final = root / snap.name
    with _lock:
        if not (final / MANIFEST).exists():
            tmp = root / f".tmp-{snap.name}-{os.getpid()}-{threading.get_ident()}"
            shutil.rmtree(tmp, ignore_errors=True)
            snapshot_to_dumps(snap, tmp)
            try:
                os.rename(tmp, final)
            except OSError:                 # another process finished the same set first
                shutil.rmtree(tmp, ignore_errors=True)
            for old in root.iterdir():       # older snapshots' sets; temporaries abandoned an hour ago
                stale = old.name.startswith(".tmp-") and old.stat().st_mtime < time.time() - 3600
                if (old.name.isdigit() and old.name != final.name) or stale:
                    shutil.rmtree(old, ignore_errors=True)
    files = [DumpFile(**f) for f in json.loads((final / MANIFEST).read_text(encoding="utf-8"))]
    return final, files
