"""How the build and the questions grow with the number of documents (issue 11).

For each N: bench/synth.py makes N distinct documents; `budgetkg build` (a whole process, SHACL
on) builds them with 1 and with 2 workers and with the Dask engine on a LocalCluster of 2
workers — seconds, documents/s and the peak memory of the largest process; the store on disk
against one `bulk_load` of the same quads (size and seconds); every named question's cold time
and median of 5 warm runs, each question in a process of its own stopped after
`--timeout` seconds (a question that blows up is reported as such and the bench goes on), and
across the N the fitted growth exponent (t ∝ N^k: k = 1 is linear). The load average of the
machine is recorded beside each build. Writes bench/figures-scale.md.

    .venv/bin/python bench/scale.py 20 100          # the N to measure
    .venv/bin/python bench/scale.py 100 --timeout 60 --keep /tmp/kg100   # keep the last store
    .venv/bin/python bench/scale.py 3000 --store /tmp/kg3000 --how "bench/clone.py …"  # questions only
    .venv/bin/python bench/scale.py 20 --pdf        # synthetic PDFs, 1 and 2 workers
"""
from __future__ import annotations

import argparse
import json
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
#: seconds a question may take (its own process, cold run and warm runs together)
QUESTION_TIMEOUT = 60.0


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and "snapshots" not in f.parts
               and not f.name.startswith("budgetkg-"))


def loadavg() -> float:
    return os.getloadavg()[0]


def timed_build(folder: Path, store: Path, workers: int, engine: str = "local",
                fresh: bool = True) -> tuple[float, int, float, int]:
    """Seconds, peak RSS (MB, largest process waited for), the 1-minute load average before the
    build and the store's size on disk after it, of a whole `budgetkg build` (into a new store,
    unless not `fresh`)."""
    if fresh:
        shutil.rmtree(store, ignore_errors=True)
    load = loadavg()
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, EXE, "build", str(folder), "--store", str(store),
                          "--workers", str(workers), "--engine", engine],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024, load, size(store)


def bulk_reference(store: Path, tmp: Path) -> tuple[int, float]:
    """Size and seconds of `Store.bulk_load` of the store's quads (dumped to a file first: a
    store of thousands of documents is gigabytes of N-Quads) into an empty store, flushed and
    compacted."""
    st = ox.Store.read_only(str(store))
    dump = tmp / "dump.nq"
    st.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    del st
    ref = tmp / "bulk"
    shutil.rmtree(ref, ignore_errors=True)
    started = time.perf_counter()
    st = ox.Store(str(ref))
    st.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    dump.unlink()
    st.flush()
    st.optimize()
    seconds = time.perf_counter() - started
    del st
    return size(ref), seconds


def question_run(store: str, name: str) -> dict:
    """In the process `question_times` starts: one question's cold and warm seconds and rows."""
    from budgetkg.graph.queries import bind, load_query_text, with_values
    st = ox.Store.read_only(store)
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
    return {"cold": times[0], "warm": statistics.median(times[1:]), "rows": rows}


def question_times(store: Path, timeout: float) -> dict[str, tuple[float, float, int] | None]:
    """name → (cold seconds, median warm seconds, rows), or None when the question did not
    finish within `timeout` seconds (its process is killed)."""
    from budgetkg.graph.queries import named_queries
    out: dict[str, tuple[float, float, int] | None] = {}
    for name in named_queries():
        try:
            r = subprocess.run([sys.executable, __file__, "--question", str(store), name],
                               capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            out[name] = None
            print(f"  {name}: over {timeout:.0f} s, stopped", flush=True)
            continue
        except subprocess.CalledProcessError as exc:
            raise SystemExit(f"{name}: {exc.stderr.strip().splitlines()[-1:]}") from exc
        d = json.loads(r.stdout.strip().splitlines()[-1])
        out[name] = (d["cold"], d["warm"], d["rows"])
        print(f"  {name}: {d['warm'] * 1000:.1f} ms warm, {d['cold'] * 1000:.1f} ms cold, {d['rows']} rows", flush=True)
    return out


def exponent(ns: list[int], ts: list[float]) -> float | None:
    pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def median_run(runs: list[tuple]) -> tuple:
    """The run of median seconds (the lower middle of an even number)."""
    return sorted(runs, key=lambda r: r[0])[(len(runs) - 1) // 2]


def main(ns: list[int], timeout: float = QUESTION_TIMEOUT, keep: Path | None = None, runs: int = 1,
         ask: bool = True) -> None:
    """Build each N (and bulk-load its quads) `runs` times; with `ask`, time the questions on the
    last store, else keep the questions recorded for N (the queries and the graph unchanged)."""
    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-scale-"))
    rows, questions = [], {}
    try:
        for n in ns:
            folder = tmp / f"docs{n}"
            synth.synthesize(n, folder)
            every: dict[str, list[tuple]] = {}
            refs: list[tuple[int, float]] = []
            for _ in range(runs):     # interleaved: a noisy minute weighs on every configuration alike
                for label, workers, engine in (("1", 1, "local"), ("dask", 2, "dask"), ("2", 2, "local")):
                    b = timed_build(folder, tmp / f"kg{n}", workers, engine)
                    every.setdefault(label, []).append(b)
                    print(f"N={n} {engine} workers={workers}: {b[0]:.1f} s, {b[1]} MB, load {b[2]:.1f}, "
                          f"store {b[3] / 1e6:.0f} MB", flush=True)
                store = tmp / f"kg{n}"            # the last build's: local, 2 workers
                refs.append(bulk_reference(store, tmp))
                shutil.rmtree(tmp / "bulk", ignore_errors=True)
            builds = {label: median_run(bs) for label, bs in every.items()}
            ours = size(store)
            ref_seconds, ref_size = median_run([(s, sz) for sz, s in refs])
            rows.append((n, builds, ours, ref_size, ref_seconds))
            questions[n] = question_times(store, timeout) if ask else None
            record(n, builds, ours, ref_size, ref_seconds, questions[n], timeout,
                   {label: [b[0] for b in bs] for label, bs in every.items()} | {"bulk_load": [s for _, s in refs]}
                   if runs > 1 else None)
            shutil.rmtree(tmp / "bulk", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            if keep is not None and n == ns[-1]:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.move(str(store), str(keep))
            shutil.rmtree(store, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_figures(*recorded())


def pdf_builds(ns: list[int]) -> None:
    """N synthetic PDFs built with 1 and 2 workers: seconds, peak memory, load, store size,
    recorded under "pdf" in bench/scale-results.json (beside, not in, the text figures)."""
    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-scale-pdf-"))
    try:
        for n in ns:
            folder = tmp / f"pdf{n}"
            synth.synthesize(n, folder, pdf=True)
            builds = {}
            for label, workers in (("1", 1), ("2", 2)):
                builds[label] = timed_build(folder, tmp / f"kg{n}", workers)
                b = builds[label]
                print(f"N={n} PDF workers={workers}: {b[0]:.1f} s, {b[1]} MB, load {b[2]:.1f}, "
                      f"store {b[3] / 1e6:.0f} MB", flush=True)
            data = load_results()
            data.setdefault("pdf", {})[str(n)] = {"builds": builds, "when": time.strftime("%Y-%m-%d %H:%M"),
                                                 "cores": os.cpu_count()}
            save_results(data)
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(tmp / f"kg{n}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_figures(*recorded())


MIXED = ("corpus", "corpus-real")


def mixed_builds(ns: list[int]) -> None:
    """N documents made from the corpus and corpus-real alike (`bench/synth.py --sources
    corpus,corpus-real`: more distinct documents than the corpus alone gives, and smaller on
    average) built with 2 workers into a new store: seconds, peak memory, load, store size and
    the `bulk_load` of the same quads, recorded under "mixed" in bench/scale-results.json."""
    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-scale-mixed-"))
    try:
        for n in ns:
            folder = tmp / f"docs{n}"
            synth.synthesize(n, folder, sources=MIXED)
            b = timed_build(folder, tmp / f"kg{n}", 2)
            print(f"N={n} mixed workers=2: {b[0]:.1f} s, {b[1]} MB, load {b[2]:.1f}, store {b[3] / 1e6:.0f} MB",
                  flush=True)
            shutil.rmtree(folder, ignore_errors=True)
            ref_size, ref_seconds = bulk_reference(tmp / f"kg{n}", tmp)
            print(f"N={n} mixed bulk_load: {ref_seconds:.1f} s, {ref_size / 1e6:.0f} MB", flush=True)
            data = load_results()
            data.setdefault("mixed", {})[str(n)] = {"build": b, "bulk_load": ref_size, "bulk_load_s": ref_seconds,
                                                   "when": time.strftime("%Y-%m-%d %H:%M"),
                                                   "cores": os.cpu_count()}
            save_results(data)
            shutil.rmtree(tmp / "bulk", ignore_errors=True)
            shutil.rmtree(tmp / f"kg{n}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_figures(*recorded())


#: the figures of every N measured, so that N measured in separate runs fit one exponent
RESULTS = HERE / "scale-results.json"


def load_results() -> dict:
    """bench/scale-results.json (empty before the first figures)."""
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}


def save_results(data: dict) -> None:
    RESULTS.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def record(n: int, builds: dict, ours: int, ref: int, ref_s: float, questions: dict, timeout: float,
           runs: dict | None = None) -> None:
    """N's figures into bench/scale-results.json; with `runs`, the seconds of every run (the
    builds and the bulk_load shown are the median runs)."""
    data = load_results()
    old = data.get(str(n), {})
    data[str(n)] = {"builds": builds, "store": ours, "bulk_load": ref, "bulk_load_s": ref_s,
                    "questions": questions, "timeout": timeout,
                    "when": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count()}
    if questions is None:       # not asked this time: the questions as recorded, said to be older
        data[str(n)].update({"questions": old.get("questions", {}), "timeout": old.get("timeout", timeout),
                             "questions_when": old.get("questions_when") or old.get("when")})
        for key in ("questions_load", "store_made"):
            if key in old:
                data[str(n)][key] = old[key]
    if runs:
        data[str(n)]["runs"] = runs
    save_results(data)


def recorded() -> tuple[list[int], list, dict, float]:
    data = load_results()
    ns = sorted(int(n) for n in data if n.isdigit())
    rows = [(n, {k: tuple(v) for k, v in data[str(n)]["builds"].items()}, data[str(n)]["store"],
             data[str(n)]["bulk_load"], data[str(n)]["bulk_load_s"]) for n in ns if data[str(n)].get("builds")]
    questions = {n: {q: None if v is None else tuple(v) for q, v in data[str(n)]["questions"].items()} for n in ns}
    probes = {n: data[str(n)]["probe"] for n in ns if data[str(n)].get("probe")}
    return ns, rows, questions, max(data[str(n)]["timeout"] for n in ns), probes


def questions_only(n: int, store: Path, timeout: float, how: str = "") -> None:
    """The questions of a store already built for N (the queries changed, or a store too large to
    build three times): recorded beside N's build figures, which stay as they were (none for a
    new N); the probe of the old questions is dropped."""
    data = load_results()
    entry = data.setdefault(str(n), {})
    entry.pop("probe", None)
    load = loadavg()
    entry.update({"questions": question_times(store, timeout), "timeout": timeout, "cores": os.cpu_count(),
                  "questions_when": time.strftime("%Y-%m-%d %H:%M"), "questions_load": round(load, 1),
                  "store_made": how, "store": entry.get("store") or size(store)})
    save_results(data)


def probe(n: int, names: list[str], store: Path, timeout: float) -> None:
    """The questions that did not finish, run once more, alone, with a longer timeout (one run:
    the time of a single execution), recorded beside N's figures."""
    data = load_results()
    found = {}
    for name in names:
        started = time.perf_counter()
        try:
            subprocess.run([sys.executable, __file__, "--once", str(store), name], capture_output=True,
                           timeout=timeout, check=True)
            found[name] = round(time.perf_counter() - started, 1)
        except subprocess.TimeoutExpired:
            found[name] = None
        print(f"  {name}: {found[name]}", flush=True)
    data[str(n)]["probe"] = {"timeout": timeout, "seconds": found, "when": time.strftime("%Y-%m-%d %H:%M")}
    save_results(data)


def write_figures(ns: list[int], rows: list, questions: dict, timeout: float, probes: dict | None = None) -> None:
    loads = [b[2] for r in rows for b in r[1].values()]
    lines = ["# Scale: build and questions against the number of documents", "",
             f"`bench/scale.py N… --timeout {timeout:.0f}` for N = {', '.join(map(str, ns))} (each N's figures "
             f"kept in `bench/scale-results.json`, so N measured apart share one table) on {os.cpu_count()} cores. "
             "Documents from `bench/synth.py` (the four corpus texts under other places and years, each its "
             "own graph); `budgetkg build` as a whole process with SHACL on; peak memory is the largest "
             "process's RSS (for Dask, the largest process waited for: the LocalCluster's workers are "
             "grandchildren and may not be counted). The reference is `Store.bulk_load` of a dump of the "
             "same store into an empty one, then flush + optimize. "
             f"Measured while other engineers' test suites ran on the same {os.cpu_count()} cores: the 1-minute "
             f"load average before the builds was {min(loads):.1f}–{max(loads):.1f} (column `load`), so the "
             "build times, and the 1- vs 2-worker speed-up above all, are noisy.", "",
             "| N | build 1 worker (s) | docs/s | build 2 workers (s) | docs/s | speed-up | Dask, 2 workers (s) "
             "| docs/s | peak MB (1 / 2 / Dask) | load (1 / 2 / Dask) | store MB | bulk_load MB | store / bulk_load "
             "| bulk_load s | build (2 w) / bulk_load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, b, ours, ref, ref_s in rows:
        one, two, dk = b["1"], b["2"], b["dask"]
        lines.append(f"| {n} | {one[0]:.1f} | {n / one[0]:.2f} | {two[0]:.1f} | {n / two[0]:.2f} | "
                     f"{one[0] / two[0]:.2f}× | {dk[0]:.1f} | {n / dk[0]:.2f} | {one[1]} / {two[1]} / {dk[1]} | "
                     f"{one[2]:.1f} / {two[2]:.1f} / {dk[2]:.1f} | {ours / 1e6:.0f} | {ref / 1e6:.0f} | "
                     f"{ours / ref:.2f} | {ref_s:.1f} | {two[0] / ref_s:.1f}× |")
    data = load_results()
    pdf = data.get("pdf", {})
    if pdf:
        lines += ["", "PDF: `bench/scale.py N --pdf` builds N synthetic documents rendered as ruled PDFs "
                  "(`bench/synth.py --pdf`: the same variants drawn with reportlab) with 1 and 2 workers, "
                  "whole `budgetkg build` processes as above; no questions (the text stores answer them).", "",
                  "| N (PDF) | build 1 worker (s) | docs/s | build 2 workers (s) | docs/s | speed-up "
                  "| peak MB (1 / 2) | load (1 / 2) | store MB | measured |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for n, d in sorted(pdf.items(), key=lambda x: int(x[0])):
            one, two = d["builds"]["1"], d["builds"]["2"]
            lines.append(f"| {n} | {one[0]:.1f} | {int(n) / one[0]:.2f} | {two[0]:.1f} | {int(n) / two[0]:.2f} | "
                         f"{one[0] / two[0]:.2f}× | {one[1]} / {two[1]} | {one[2]:.1f} / {two[2]:.1f} | "
                         f"{two[3] / 1e6:.0f} | {d['when']} |")
    mixed = data.get("mixed", {})
    if mixed:
        lines += ["", "Corpus and corpus-real: `bench/scale.py N --mixed` builds N documents made from both "
                  "(`bench/synth.py --sources corpus,corpus-real`: beyond the 1,320 distinct documents the corpus "
                  "alone gives, and about a third of a corpus document's size on average) with 2 workers, and "
                  "bulk-loads the same quads; no questions.", "",
                  "| N (mixed) | build 2 workers (s) | docs/s | ms a document | peak MB | load | store MB "
                  "| bulk_load MB | bulk_load s | build / bulk_load | measured |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for n, d in sorted(mixed.items(), key=lambda x: int(x[0])):
            b = d["build"]
            lines.append(f"| {n} | {b[0]:.1f} | {int(n) / b[0]:.2f} | {b[0] / int(n) * 1000:.0f} | {b[1]} | "
                         f"{b[2]:.1f} | {b[3] / 1e6:.0f} | {d['bulk_load'] / 1e6:.0f} | {d['bulk_load_s']:.1f} | "
                         f"{b[0] / d['bulk_load_s']:.1f}× | {d['when']} |")
    lines += ["", "Questions (union default graph, parameters at their defaults): median of "
              f"{RUNS} warm runs in ms (one warm run when the cold one took over 2 s), cold first run apart, "
              f"rows, and the fitted exponent k of t ∝ N^k (with two N or more). Each question runs in a "
              f"process of its own, stopped after {timeout:.0f} s: `> {timeout:.0f} s` is a question that "
              "did not finish.", "",
              "| question | " + " | ".join(f"N={n} warm ms (cold) rows" for n in ns) + " | k |",
              "|---|" + "---|" * (len(ns) + 1)]
    last = f"k {ns[-2]}→{ns[-1]}" if len(ns) > 2 else None
    lines[-2] = lines[-2] + (f" {last} |" if last else "")
    lines[-1] = lines[-1] + ("---|" if last else "")
    for name in sorted({q for n in ns for q in questions[n]}):
        cells, ts = [], []
        for n in ns:
            q = questions[n].get(name)
            cells.append("" if name not in questions[n] else f"> {timeout:.0f} s" if q is None else f"{q[1] * 1000:.1f} ({q[0] * 1000:.1f}) {q[2]}")
            ts.append(None if q is None else q[1])
        k = exponent(ns, ts) if None not in ts else None
        k2 = exponent(ns[-2:], ts[-2:]) if last and None not in ts[-2:] else None
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'' if k is None else f'{k:.2f}'} |"
                     + (f" {'' if k2 is None else f'{k2:.2f}'} |" if last else ""))
    medians = [f"* N={n}, measured {d['when']}: the median of {len(d['runs']['2'])} runs, interleaved — "
               + "; ".join(f"{_LABELS.get(k, k)} " + ", ".join(f"{x:.1f}" for x in v) + " s"
                           for k, v in sorted(d["runs"].items()))
               for n, d in sorted(((int(n), d) for n, d in data.items() if n.isdigit()), key=lambda x: x[0])
               if d.get("runs")]
    if medians:
        lines += ["", "Where a build row is the median of several runs (`--runs`):", ""] + medians
    notes = [f"* N={n}: questions measured {d['questions_when']}"
             + (f", 1-minute load {d['questions_load']} before" if "questions_load" in d else
                ", on the store of the build measured then (the builds measured since did not time them)")
             + (f"; store: {d['store_made']}" if d.get("store_made") else "")
             for n, d in sorted(((int(n), d) for n, d in data.items() if n.isdigit()), key=lambda x: x[0])
             if d.get("questions_when")]
    if notes:
        lines += ["", "Where the questions were measured apart from the builds (`--store`):", ""] + notes
    lines += ["", "Why the questions grew faster than N before (issue 11), from `oxigraph query --explain --stats` "
              "(the number of solutions each quad pattern produced, a measure of work the machine's load does not "
              "change): pyoxigraph 0.5 evaluates a `FILTER NOT EXISTS` again for every row, and each pattern in it on "
              "its own (joined by hash), so a pattern that does not name an outer variable scans the whole store "
              "once per row — `subject` scanned every expenditure observation 5 times at N=20 (695,091 solutions "
              "for 5 rows), `three_public` every `dct:isPartOf` per statement; nested OPTIONALs over "
              "`skos:broader*` (`zhuanjingtexin`) likewise ran per row over every division. Rewritten with a "
              "GROUP BY joined once (the first or largest figure) or a MINUS (a document without a “三公” table), "
              "and the places of a division worked out once, every question of ours does 5.0× the work for 5× the "
              "documents (same rows on the corpus, the N=20 store and ten corpus-real files). The other questions "
              "already did 5.0× the work: their k of 1.8 in the earlier table came from measuring on a machine "
              "at load 4–9; at load 2–3 the same store gives k ≈ 1.1. `project_execution` and `topic_by_place` "
              "(added since) held the NOT EXISTS pattern then (rewritten since: see below)."]
    for n, pr in (probes or {}).items():
        lines += ["", f"The questions that did not finish at N={n}, each run once more over the same store "
                  f"(one run), stopped after {pr['timeout']:.0f} s "
                  f"({pr['when']}; these runs overlapped other work on the machine):", ""]
        for name, sec in sorted(pr["seconds"].items()):
            first = questions[ns[0]].get(name) if ns[0] != n else None
            grow = (f"; k {'≥' if sec is None else '≈'} {math.log((sec or pr['timeout']) / first[1]) / math.log(n / ns[0]):.1f} from "
                    f"N={ns[0]}" if first else "")
            lines.append(f"* `{name}`: " + (f"{sec:.0f} s" if sec is not None else f"over {pr['timeout']:.0f} s, "
                                               "stopped") + grow)
    target = HERE / "figures-scale.md"
    kept = kept_text(target.read_text(encoding="utf-8") if target.exists() else "", "\n".join(lines))
    target.write_text("\n".join(lines + ["", END] + ([""] + kept if kept else [])) + "\n", encoding="utf-8")
    print("\n".join(lines))


_LABELS = {"1": "1 worker", "2": "2 workers", "dask": "Dask", "bulk_load": "bulk_load"}
#: the line after which figures-scale.md holds what others wrote (kept as it is on every rewrite)
END = "<!-- the figures above are written by bench/scale.py; what follows is kept as written -->"
#: how the paragraphs this script writes begin (a file written before END existed)
_OURS = ("# Scale:", "`bench/scale.py", "|", "Questions (union", "Where the questions", "* N=", "Why the questions",
         "The questions that did not finish", "* `")


def kept_text(old: str, new: str) -> list[str]:
    """The paragraphs of the file as it is now that this script did not write: all that follows
    END, or (a file without it) each paragraph neither in the new text nor of a kind it writes —
    another engineer may have appended one while the bench ran."""
    if END in old:
        rest = old.split(END, 1)[1].strip("\n")
        return [rest] if rest else []
    ours = set(new.split("\n\n"))
    return [p.strip("\n") for p in old.split("\n\n")
            if p.strip() and p not in ours and not p.lstrip().startswith(_OURS)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:
        from budgetkg.graph.queries import bind, load_query_text, with_values
        text, named = load_query_text(sys.argv[3])
        subs = bind(named, {}) if named and named.params else None
        text = (with_values(text, subs) or text) if subs else text
        st = ox.Store.read_only(sys.argv[2])
        print(sum(1 for _ in st.query(text, use_default_graph_as_union=True)))
        sys.exit(0)
    if sys.argv[1:2] == ["--question"]:
        print(json.dumps(question_run(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="*", type=int, default=[20, 100])
    ap.add_argument("--timeout", type=float, default=QUESTION_TIMEOUT, help="seconds per question")
    ap.add_argument("--keep", type=Path, help="keep the last N's store here")
    ap.add_argument("--runs", type=int, default=1, help="builds (and bulk_load) run this many times, "
                    "interleaved; the median kept")
    ap.add_argument("--builds-only", action="store_true", help="time the builds and bulk_load only, keeping "
                    "N's questions as recorded (the queries and the graph unchanged since)")
    ap.add_argument("--table", action="store_true", help="only rewrite the figures from bench/scale-results.json")
    ap.add_argument("--probe", type=Path, help="a store of the (one) N given: run the questions that did not "
                    "finish once more, stopped after --timeout seconds")
    ap.add_argument("--store", type=Path, help="a store of the (one) N given, already built: measure its "
                    "questions only (the build figures recorded for N are kept)")
    ap.add_argument("--how", default="", help="with --store: how that store was made, printed under the table")
    ap.add_argument("--mixed", action="store_true", help="build the N made from corpus and corpus-real with 2 "
                    "workers, against bulk_load (no Dask, no questions): a table of their own")
    ap.add_argument("--pdf", action="store_true", help="build the N as synthetic PDFs with 1 and 2 workers "
                    "(no Dask, no questions): a table of their own")
    a = ap.parse_args()
    if a.pdf:
        pdf_builds(a.n)
    elif a.mixed:
        mixed_builds(a.n)
    elif a.store:
        questions_only(a.n[0], a.store, a.timeout, a.how)
        write_figures(*recorded())
    elif a.probe:
        data = load_results()
        n = a.n[0]
        probe(n, [q for q, v in data[str(n)]["questions"].items() if v is None], a.probe, a.timeout)
        write_figures(*recorded())
    elif a.table:
        write_figures(*recorded())
    else:
        main(a.n, a.timeout, a.keep, a.runs, ask=not a.builds_only)
