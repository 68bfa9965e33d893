"""The Dask engine: documents made as Dask tasks on a cluster — a running scheduler given by its
address (`tcp://host:8786`, workers started with `dask worker tcp://host:8786`) or a
`distributed.LocalCluster` of `workers` processes when none is given.

Each task runs `make_shard` (extraction, RDF, SHACL) on a worker and writes the document's
graph as a gzipped N-Quads shard named by its sha256 (`write_shard`) into the shard folder; only
the report and the shard's path come back to this process, which loads the shards into the
store as the local engine does (graph/engine.py: bulk-loaded and committed in batches on a
folder, one SPARQL Update per document on an Oxigraph server).

The workers read the documents and write the shards by path: on a cluster of several machines
the documents and the shard folder must be on a file system they all see, at the same paths.
Dask (`dask[distributed]`) is imported only when this engine is asked for."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterator

from ..extract.errors import InputError
from .shards import Shard, make_shard

#: documents in flight per worker thread: the scheduler holds a bounded number of tasks whatever
#: the number of documents, and no worker waits for the next
IN_FLIGHT_PER_THREAD = 4


def _failed(path: Path, why: str) -> Shard:
    from .build import DocumentReport
    return Shard(DocumentReport(source=str(path), ok=False, error=why))


class DaskEngine:
    """A Dask client (and its LocalCluster when no scheduler is given) making shards."""

    def __init__(self, scheduler: str | None, workers: int, shard_dir: str | Path) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise InputError("the Dask engine needs dask[distributed] (pip install 'dask[distributed]')",
                             source="--engine dask") from exc
        self.shard_dir = Path(shard_dir).resolve()
        self.shard_dir.mkdir(parents=True, exist_ok=True)
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="30s")
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise InputError(f"cannot reach the Dask scheduler: {exc}", source=scheduler or "LocalCluster") from exc

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def results(self, jobs: list[tuple[int, Path]], kwargs: dict) -> Iterator[tuple[int, Shard]]:
        """(index, shard) as the tasks finish, at most IN_FLIGHT_PER_THREAD documents per worker
        thread submitted at a time, in the order given (largest first). A task that fails
        (a worker lost, an error outside the extraction) is that document's failure, not the
        build's."""
        from distributed import as_completed
        window = IN_FLIGHT_PER_THREAD * self.threads()
        it = iter(jobs)
        index: dict = {}

        def submit() -> object | None:
            nxt = next(it, None)
            if nxt is None:
                return None
            k, path = nxt
            fut = self.client.submit(make_shard, str(Path(path).resolve()), shard_dir=str(self.shard_dir),
                                     pure=False, key=f"make_shard-{os.getpid()}-{k}", **kwargs)
            index[fut.key] = (k, path)
            return fut

        first = [f for f in (submit() for _ in range(window)) if f is not None]
        if not first:
            return
        done = as_completed(first, with_results=False)
        for fut in done:
            k, path = index.pop(fut.key)
            try:
                shard = fut.result()
            except Exception as exc:                 # noqa: BLE001 — reported per document
                shard = _failed(path, f"Dask task failed: {type(exc).__name__}: {exc}")
            shard.report.source = str(path)          # as given, as the local engine reports it
            fut.release()
            nxt = submit()
            if nxt is not None:
                done.add(nxt)
            yield k, shard

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
