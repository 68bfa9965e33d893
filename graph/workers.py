"""Queries evaluated where a timeout really ends them: worker processes, each over its own
read-only snapshot of the store. A query past its timeout is stopped by killing its worker
(a new one takes its place), so its slot is free again; a query that overflows the engine's
stack or its memory cap (RLIMIT_DATA) kills only its worker. In front, a bounded queue: a request
waits up to `queue_wait_s` for a free worker, and beyond `max_queue` waiting it is refused
at once — both 503 with Retry-After."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from ..extract.errors import BudgetKGError, QueryError, ServiceBusy
from .formats import Answer, boolean_to_answer, solutions_to_answer, triples_to_answer

#: the stack the engine runs on in a worker: deep enough for anything the guard lets through
WORKER_STACK = 256 * 1024 * 1024
_START_TIMEOUT = 60.0


class QueryTimeout(ServiceBusy):
    """A query ran past the endpoint's timeout and was stopped (503)."""


@dataclass
class Job:
    """One query for a worker: text (parameters already bound), answer format and caps."""
    text: str
    fmt: str
    max_rows: int
    max_bytes: int
    substitutions: dict = field(default_factory=dict)
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


def evaluate(store: ox.Store, job: Job) -> Answer:
    """Run one query on an open store and write its answer (used by workers and the CLI)."""
    kw: dict = {}
    if job.default_graph:
        kw["default_graph"] = [ox.NamedNode(g) for g in job.default_graph]
    else:
        kw["use_default_graph_as_union"] = True
    if job.named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        res = store.query(job.text, substitutions=job.substitutions or None, **kw)
        if isinstance(res, ox.QuerySolutions):
            fmt = job.fmt if job.fmt in ("json", "xml", "csv", "tsv") else "json"
            return solutions_to_answer(res, fmt, job.max_rows, job.max_bytes)
        if isinstance(res, ox.QueryBoolean):
            fmt = job.fmt if job.fmt in ("json", "xml", "csv", "tsv") else "json"
            return boolean_to_answer(bool(res), fmt)
        fmt = job.fmt if job.fmt in ("turtle", "ntriples", "jsonld", "rdfxml") else "turtle"
        return triples_to_answer(res, fmt, job.max_rows, job.max_bytes)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"query failed: {' '.join(str(exc).split())[:300]}") from None


def run_local(store: ox.Store, job: Job) -> Answer:
    """`evaluate` on a thread with the workers' deep stack (the command line's queries), so a
    query the guard lets through cannot overflow the stack of the calling thread."""
    box: dict = {}

    def work() -> None:
        try:
            box["answer"] = evaluate(store, job)
        except BaseException as exc:  # carried back to the caller
            box["error"] = exc
    old = threading.stack_size(WORKER_STACK)
    try:
        t = threading.Thread(target=work, name="budgetkg-query")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "error" in box:
        raise box["error"]
    return box["answer"]


def _serve(conn, path: str | None, memory_mb: int) -> None:
    store = ox.Store.read_only(path) if path else ox.Store()
    conn.send(("ready", None))
    while True:
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if kind == "open":
                store = ox.Store.read_only(payload)
                conn.send(("ok", None))
            else:
                conn.send(("ok", evaluate(store, payload)))
        except BudgetKGError as exc:
            conn.send(("error", (type(exc).__name__, exc.message)))
        except MemoryError:
            conn.send(("error", ("QueryError", "query stopped: it needed more memory than allowed")))
        except Exception as exc:  # noqa: BLE001 — any engine failure is this query's, answered as such
            conn.send(("error", ("QueryError", f"query failed: {' '.join(str(exc).split())[:300]}")))


def worker_main(conn, path: str | None, memory_mb: int) -> None:
    """A worker process: memory capped (RLIMIT_DATA: heap and private mappings, not the address
    space RocksDB reserves), the engine on a thread with a deep stack."""
    if memory_mb:
        import resource
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    threading.stack_size(WORKER_STACK)
    t = threading.Thread(target=_serve, args=(conn, path, memory_mb), daemon=True)
    t.start()
    t.join()


class Worker:
    """One worker process (`python -m budgetkg.graph.workers`, so nothing of the server's main
    module is re-imported) and its socket; killed and replaced when a query overstays."""

    def __init__(self, path: Path | None, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.path = path
        self.proc: subprocess.Popen | None = None
        self.conn: Connection | None = None
        self.start(path)

    def start(self, path: Path | None) -> None:
        parent, child = socket.socketpair()
        fd = child.fileno()
        self.proc = subprocess.Popen([sys.executable, "-m", "budgetkg.graph.workers", str(fd), str(path or ""),
                                      str(self.memory_mb)], pass_fds=(fd,), stdin=subprocess.DEVNULL,
                                     start_new_session=True, env={**os.environ, "MALLOC_ARENA_MAX": "2"})
        child.close()
        self.conn = Connection(parent.detach())
        self.path = path

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self) -> None:
        if not self.conn.poll(_START_TIMEOUT):
            self.kill()
            raise ServiceBusy("a query worker did not start")
        try:
            self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise ServiceBusy(f"a query worker could not open the store (exit {self.proc.returncode})") from None

    def kill(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.conn is not None:
            self.conn.close()

    def restart(self, path: Path | None) -> None:
        self.kill()
        self.start(path)
        self.wait_ready()

    def call(self, job: Job, timeout: float, path: Path | None) -> Answer:
        """Blocking (run on a thread): switch to the newest snapshot, send, wait at most
        `timeout`; past it the process is killed and replaced."""
        if not self.alive():
            self.restart(path)
        elif path != self.path:
            self.conn.send(("open", str(path)))
            if not self.conn.poll(_START_TIMEOUT):
                self.restart(path)
            else:
                self.conn.recv()
                self.path = path
        self.conn.send(("query", job))
        if not self.conn.poll(timeout):
            self.restart(path)
            raise QueryTimeout(f"query timed out after {timeout:g} s and was stopped; "
                               "narrow it (LIMIT, fewer joins) or ask again later")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            try:
                code = self.proc.wait(1)
            except subprocess.TimeoutExpired:
                code = None
            self.restart(path)
            raise QueryError("query stopped: it exceeded the memory or stack the endpoint allows"
                             + (f" (worker exit {code})" if code is not None else "")) from None
        if status == "error":
            name, message = payload
            raise QueryError(message)
        return payload


class QueryPool:
    """`size` workers behind a bounded queue; each dispatch uses the newest store snapshot."""

    def __init__(self, snapshot, *, size: int = 4, timeout_s: float = 10.0, max_queue: int = 32,
                 queue_wait_s: float = 5.0, memory_mb: int = 2048) -> None:
        self.snapshot = snapshot            # () -> Path | None: the snapshot to read now
        self.timeout_s, self.max_queue, self.queue_wait_s = timeout_s, max_queue, queue_wait_s
        path = snapshot()
        self.workers = [Worker(path, memory_mb) for _ in range(size)]
        try:
            for w in self.workers:
                w.wait_ready()
        except BaseException:
            self.close()
            raise
        self.idle: asyncio.Queue | None = None
        self.waiting = 0
        self.executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="budgetkg-dispatch")

    def _queue(self) -> asyncio.Queue:
        if self.idle is None:
            self.idle = asyncio.Queue()
            for w in self.workers:
                self.idle.put_nowait(w)
        return self.idle

    @property
    def retry_after(self) -> int:
        return max(1, int(self.timeout_s))

    async def run(self, job: Job) -> Answer:
        idle = self._queue()
        if idle.empty() and self.waiting >= self.max_queue:
            raise ServiceBusy(f"the endpoint is busy ({self.waiting} queries waiting); try again later")
        self.waiting += 1
        try:
            worker = await asyncio.wait_for(idle.get(), self.queue_wait_s)
        except (asyncio.TimeoutError, TimeoutError):
            raise ServiceBusy(f"the endpoint is busy (no free worker within {self.queue_wait_s:g} s); "
                              "try again later") from None
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self.executor, worker.call, job, self.timeout_s, self.snapshot())
        # the worker goes back when its call really ends, even if this request was cancelled
        fut.add_done_callback(lambda _: loop.call_soon_threadsafe(idle.put_nowait, worker))
        return await asyncio.shield(fut)

    def close(self) -> None:
        for w in self.workers:
            w.kill()
        if getattr(self, "executor", None):
            self.executor.shutdown(wait=False, cancel_futures=True)


def store_snapshot(path: str | Path, every_s: float = 1.0):
    """A cheap `() -> Path` for the pool: the newest snapshot, looked up at most every second."""
    from .store import current_snapshot
    state = {"at": 0.0, "path": current_snapshot(path)}

    def get() -> Path:
        now = time.monotonic()
        if now - state["at"] > every_s:
            state["at"], state["path"] = now, current_snapshot(path)
        return state["path"]
    return get




if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2] or None, int(sys.argv[3]))
