"""Time the corpus build and the named questions, side by side with rdflib's in-memory
SPARQL engine over the same exported N-Quads; write the figures to bench/figures.md.

    .venv/bin/python bench/run.py [corpus folder] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from budgetkg.graph.build import build
from budgetkg.graph.queries import bind, named_queries, run
from budgetkg.graph.store import open_store

HERE = Path(__file__).resolve().parent


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    docs = sorted(p for p in Path(args.corpus).iterdir() if p.is_file())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def do_build():
            path = Path(tmp) / f"kg{time.perf_counter_ns()}"
            build(docs, path)
            return path
        build_s, kg = timed(do_build, max(1, args.repeat // 2))
        store = open_store(kg, read_only=True)
        nq = Path(tmp) / "all.nq"
        store.dump(str(nq), format=ox.RdfFormat.N_QUADS)
        t = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(str(nq), format="nquads")
        rdflib_load_s = time.perf_counter() - t
        for name, q in named_queries().items():
            subs = bind(q, {})
            ox_s, ox_res = timed(lambda: list(run(store, q.text, subs)), args.repeat)
            init = {v.value: (rdflib.Literal(t.value) if t.datatype.value.endswith("#string")
                              else rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value)))
                    for v, t in subs.items()}
            rl_s, rl_res = timed(lambda: list(ds.query(q.text, initBindings=init)), max(1, args.repeat // 2))
            rows.append((name, len(ox_res), len(rl_res), ox_s, rl_s))
    lines = [
        "# budgetkg benchmark figures", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}.",
        f"Corpus: {len(docs)} documents from `{args.corpus}`; medians of {args.repeat} runs.", "",
        "| step | seconds |", "|---|---:|",
        f"| build corpus (read → RDF → on-disk store) | {build_s:.3f} |",
        f"| rdflib: parse the exported N-Quads into memory | {rdflib_load_s:.3f} |", "",
        "| question | rows (oxigraph) | rows (rdflib) | pyoxigraph s | rdflib s | speed-up |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n1, n2, a, b in rows:
        lines.append(f"| {name} | {n1} | {n2} | {a:.4f} | {b:.4f} | {b / a:.1f}× |")
    (HERE / "figures.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
