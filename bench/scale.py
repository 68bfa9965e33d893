"""How the build and the questions grow with the number of documents (issue 11).

For each N: bench/synth.py makes N distinct documents; `budgetkg build` (a whole process, SHACL
on) builds them with 1 and with 2 workers — seconds, documents/s and the peak memory of the
largest process; the store on disk against one `bulk_load` of the same quads (size and
seconds); every named question's cold time and median of 5 warm runs, and across the N the
fitted growth exponent (t ∝ N^k: k = 1 is linear). Writes bench/figures-scale.md.

    .venv/bin/python bench/scale.py 20 100          # the N to measure
"""
from __future__ import annotations

import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

EXE = str(Path(sys.executable).parent / "budgetkg")
RUNS = 5


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and "snapshots" not in f.parts
               and not f.name.startswith("budgetkg-"))


def timed_build(folder: Path, store: Path, workers: int) -> tuple[float, int]:
    """Seconds and peak RSS (MB, largest process) of a whole `budgetkg build`."""
    shutil.rmtree(store, ignore_errors=True)
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, EXE, "build", str(folder), "--store", str(store),
                          "--workers", str(workers)], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024


def bulk_reference(store: Path, tmp: Path) -> tuple[int, float]:
    st = ox.Store.read_only(str(store))
    dump = st.dump(format=ox.RdfFormat.N_QUADS)
    del st
    ref = tmp / "bulk"
    shutil.rmtree(ref, ignore_errors=True)
    started = time.perf_counter()
    st = ox.Store(str(ref))
    st.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
    st.flush()
    st.optimize()
    seconds = time.perf_counter() - started
    del st
    return size(ref), seconds


def question_times(store: Path) -> dict[str, tuple[float, float, int]]:
    """name → (cold seconds, median warm seconds, rows)."""
    from budgetkg.graph.queries import bind, load_query_text, named_queries, with_values
    st = ox.Store.read_only(str(store))
    out = {}
    for name in named_queries():
        text, named = load_query_text(name)
        subs = bind(named, {}) if named and named.params else None
        text = (with_values(text, subs) or text) if subs else text      # as `budgetkg query` binds
        subs = None if text != load_query_text(name)[0] else subs
        times, rows = [], 0
        for i in range(RUNS + 1):
            if i == 2 and times[0] > 2.0:     # a slow question: one warm run is its figure
                break
            started = time.perf_counter()
            res = st.query(text, substitutions=subs or None, use_default_graph_as_union=True)
            rows = sum(1 for _ in res) if isinstance(res, (ox.QuerySolutions, ox.QueryTriples)) else 1
            times.append(time.perf_counter() - started)
        out[name] = (times[0], statistics.median(times[1:]), rows)
    del st
    return out


def exponent(ns: list[int], ts: list[float]) -> float | None:
    pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main(ns: list[int]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-scale-"))
    rows, questions = [], {}
    try:
        for n in ns:
            folder = tmp / f"docs{n}"
            synth.synthesize(n, folder)
            builds = {}
            for workers in (1, 2):
                builds[workers] = timed_build(folder, tmp / f"kg{n}", workers)
                print(f"N={n} workers={workers}: {builds[workers][0]:.1f} s, {builds[workers][1]} MB", flush=True)
            store = tmp / f"kg{n}"
            ours = size(store)
            ref_size, ref_seconds = bulk_reference(store, tmp)
            rows.append((n, builds, ours, ref_size, ref_seconds))
            questions[n] = question_times(store)
            shutil.rmtree(tmp / "bulk", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(store, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = ["# Scale: build and questions against the number of documents", "",
             f"`bench/scale.py {' '.join(map(str, ns))}` on {os.cpu_count()} cores. Documents from `bench/synth.py` "
             "(the four corpus texts under other places and years, each its own graph); `budgetkg build` as a "
             "whole process with SHACL on; peak memory is the largest process's RSS. The reference is "
             "`Store.bulk_load` of a dump of the same store into an empty one, then flush + optimize. "
             "Measured while other test suites ran on the same 2 cores (load average 3–4): the build "
             "times, the 1- vs 2-worker speed-up above all, are noisy.", "",
             "| N | build 1 worker (s) | docs/s | build 2 workers (s) | docs/s | speed-up | peak MB (1 / 2) "
             "| store MB | bulk_load MB | store / bulk_load | bulk_load s | build (2 w) / bulk_load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, b, ours, ref, ref_s in rows:
        lines.append(f"| {n} | {b[1][0]:.1f} | {n / b[1][0]:.2f} | {b[2][0]:.1f} | {n / b[2][0]:.2f} | "
                     f"{b[1][0] / b[2][0]:.2f}× | {b[1][1]} / {b[2][1]} | {ours / 1e6:.0f} | {ref / 1e6:.0f} | "
                     f"{ours / ref:.2f} | {ref_s:.1f} | {b[2][0] / ref_s:.0f}× |")
    lines += ["", "Questions (union default graph, parameters at their defaults): median of "
              f"{RUNS} warm runs in ms, cold first run apart, and the fitted exponent k of t ∝ N^k.", "",
              "| question | " + " | ".join(f"N={n} warm ms (cold) rows" for n in ns) + " | k |",
              "|---|" + "---|" * (len(ns) + 1)]
    for name in questions[ns[0]]:
        cells = [f"{questions[n][name][1] * 1000:.1f} ({questions[n][name][0] * 1000:.1f}) {questions[n][name][2]}"
                 for n in ns]
        k = exponent(ns, [questions[n][name][1] for n in ns])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'' if k is None else f'{k:.2f}'} |")
    (HERE / "figures-scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 100])
