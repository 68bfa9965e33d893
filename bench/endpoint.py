"""Bounded load on loopback against `budgetkg serve` and the Oxigraph server (pip `oxigraph`,
`serve-read-only --union-default-graph`) over the same N-Quads, in the same run: a point lookup,
a named question and a slow mix; a fixed number of requests over at most 32 connections, so it
stops by itself. Figures (req/s, p50, p99, errors, server RSS) go to bench/figures-endpoint.md,
each run's kept by its label in bench/endpoint-results.json (so stores of several sizes share
one table).

    .venv/bin/python bench/endpoint.py [corpus folder] [--requests N] [--concurrency C]
    .venv/bin/python bench/endpoint.py --store /tmp/kg1000 --label "N=1000" --requests 40 --concurrency 4
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXE = Path(sys.executable).parent
DOC = "https://w3id.org/budgetkg/ontology#BudgetDocument"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (budgetkg's workers), in MB."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def wait_up(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not start")


async def load(url: str, queries: list[str], n: int, concurrency: int, timeout: float = 60) -> dict:
    """`n` POSTs of the queries in turn over `concurrency` connections; latencies and errors."""
    lat: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        todo = iter(range(n))

        async def one_client() -> None:
            nonlocal errors
            for i in todo:
                t = time.perf_counter()
                try:
                    r = await client.post(url, content=queries[i % len(queries)].encode(),
                                          headers={"content-type": "application/sparql-query",
                                                   "accept": "application/sparql-results+json"})
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                lat.append(time.perf_counter() - t)
        start = time.perf_counter()
        await asyncio.gather(*[one_client() for _ in range(concurrency)])
        wall = time.perf_counter() - start
    lat.sort()
    return {"rps": n / wall, "p50": statistics.median(lat) * 1000, "p99": lat[int(len(lat) * 0.99) - 1] * 1000,
            "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--store", type=Path, help="a store already built (e.g. by bench/scale.py --keep): serve it "
                    "as it is instead of building the corpus")
    ap.add_argument("--label", help="the name of this run's rows (default: the corpus folder's name)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds a request may wait for its answer")
    args = ap.parse_args()
    label = args.label or (f"the store {args.store}" if args.store else f"the documents of {args.corpus}, built by the bench")
    concurrency = min(args.concurrency, 32)
    tmp = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    procs: list[subprocess.Popen] = []
    try:
        kg = tmp / "kg"
        if args.store:
            kg = args.store
        else:
            subprocess.run([str(EXE / "budgetkg"), "build", args.corpus, "--store", str(kg), "--no-validate"],
                           check=True, capture_output=True)
        subprocess.run([str(EXE / "budgetkg"), "export", str(kg), "-o", str(tmp / "all.nq")], check=True,
                       capture_output=True)
        subprocess.run([str(EXE / "oxigraph"), "load", "--location", str(tmp / "ox"), "--file", str(tmp / "all.nq")],
                       check=True, capture_output=True)
        bport, oport = free_port(), free_port()
        workers = os.cpu_count() or 2
        procs.append(subprocess.Popen([str(EXE / "budgetkg"), "serve", str(kg), "--port", str(bport),
                                       "--max-running", str(workers), "--max-queue", "64", "--queue-wait", "30",
                                       "--timeout", str(int(args.timeout))],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([str(EXE / "oxigraph"), "serve-read-only", "--location", str(tmp / "ox"),
                                       "--bind", f"127.0.0.1:{oport}", "--union-default-graph"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        targets = {"budgetkg serve": (f"http://127.0.0.1:{bport}/sparql", procs[0].pid),
                   "oxigraph serve-read-only": (f"http://127.0.0.1:{oport}/query", procs[1].pid)}
        wait_up(f"http://127.0.0.1:{bport}/queries")
        wait_up(f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D")
        first = httpx.post(targets["budgetkg serve"][0], data={"query": f"SELECT ?d WHERE {{ ?d a <{DOC}> }} LIMIT 1"}).json()
        doc = first["results"]["bindings"][0]["d"]["value"]
        named = [(ROOT / "queries" / f"{n}.rq").read_text(encoding="utf-8") for n in ("totals",)]
        slow = [(ROOT / "queries" / f"{n}.rq").read_text(encoding="utf-8")
                for n in ("findings", "three_public_change", "project_share", "subject")]
        scenarios = {"point lookup": [f"SELECT ?p ?o WHERE {{ <{doc}> ?p ?o }}"],
                     "named question (totals)": named, "slow mix": slow}
        rows = []
        for scenario, queries in scenarios.items():
            for name, (url, pid) in targets.items():
                asyncio.run(load(url, queries, max(2, min(20, args.requests // 10)), 2, args.timeout))  # warm up
                res = asyncio.run(load(url, queries, args.requests, concurrency, args.timeout))
                rows.append((scenario, name, res, rss_mb(pid)))
                print(f"{scenario:24} {name:26} {res['rps']:8.1f} req/s  p50 {res['p50']:7.1f} ms  "
                      f"p99 {res['p99']:7.1f} ms  errors {res['errors']}  RSS {rows[-1][3]:.0f} MB", flush=True)
        quads = int(httpx.post(targets["oxigraph serve-read-only"][0],
                               data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                               headers={"accept": "application/sparql-results+json"}, timeout=600)
                    .json()["results"]["bindings"][0]["n"]["value"])
        results_file = HERE / "endpoint-results.json"
        kept = json.loads(results_file.read_text(encoding="utf-8")) if results_file.is_file() else {}
        kept[label] = {"requests": args.requests, "concurrency": concurrency, "workers": workers,
                       "timeout": args.timeout, "quads": quads, "when": time.strftime("%Y-%m-%d %H:%M"),
                       "load": round(os.getloadavg()[0], 1),
                       "rows": [[sc, name, res, round(rss)] for sc, name, res, rss in rows]}
        results_file.write_text(json.dumps(kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        lines = ["# Endpoint under bounded load", "",
                 "`bench/endpoint.py`: a fixed number of requests per cell on loopback, against `budgetkg serve` "
                 "and `oxigraph serve-read-only --union-default-graph` over the same quads; "
                 f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
                 f"{platform.python_version()}. A request unanswered within the run's timeout counts as an error "
                 "(budgetkg serve stops the query at that timeout and answers 503).", ""]
        for name, run in kept.items():
            lines += [f"## {name}", "",
                      f"{run['quads']:,} quads; {run['requests']} requests per cell over {run['concurrency']} "
                      f"connections; budgetkg with {run['workers']} workers; timeout {run['timeout']:.0f} s; "
                      f"measured {run['when']}, 1-minute load {run['load']} after.", "",
                      "| scenario | server | req/s | p50 ms | p99 ms | errors | RSS MB |", "|---|---|---|---|---|---|---|"]
            for scenario, server, res, rss in run["rows"]:
                lines.append(f"| {scenario} | {server} | {res['rps']:.1f} | {res['p50']:.1f} | {res['p99']:.1f} | "
                             f"{res['errors']} | {rss:.0f} |")
            lines.append("")
        (HERE / "figures-endpoint.md").write_text("\n".join(lines), encoding="utf-8")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
