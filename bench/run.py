"""The named questions on pyoxigraph beside rdflib's in-memory SPARQL engine over the same
exported N-Quads, at several sizes; each N's figures kept in bench/run-results.json (so N
measured in separate runs share one table), bench/figures.md rewritten from all of them.

The comparison is meant to be fair to rdflib: each question is prepared once for it
(`prepareQuery`, the preparation timed in a column of its own), both engines follow one rule
for runs (a cold first run reported apart, then the median of --repeat warm runs, or one warm
run when the cold one took over --slow seconds), rdflib gets --timeout seconds per run (a
question past it is reported as `> T s`), and the rows of every question are compared.

N = 4 is the corpus (../shared/corpus, built by the bench with its build-time table); another N
is N synthetic documents (bench/synth.py) built with `budgetkg build --workers 1`, or a store
already built for that N given with --store (opened read-only: nothing writes into it).
rdflib runs in a child process (its peak memory is its own); it is not loaded when the bytes
per quad measured at a smaller N say it would need over 80 % of MemAvailable.

    .venv/bin/python bench/run.py 4
    .venv/bin/python bench/run.py 100 --store /tmp/q/kg100
    .venv/bin/python bench/run.py 1000 --store /tmp/q/kgb1000 --timeout 300
    .venv/bin/python bench/run.py --table          # only rewrite figures.md from the JSON
    .venv/bin/python bench/run.py 100 --table --note "…"   # a remark beside N's figures
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
RESULTS = HERE / "run-results.json"
FIGURES = HERE / "figures.md"
EXE = str(Path(sys.executable).parent / "budgetkg")
#: share of MemAvailable rdflib's estimated peak may take before it is not loaded
MEMORY_SHARE = 0.8
#: the topic question as a scan: every name or description holding the word, CONTAINS over each literal
SCAN = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s WHERE {
  { ?s rdfs:label|bkg:description|bkg:goal|bkg:about ?text } UNION { ?s a bkg:Statement ; bkg:rawRow ?text }
  FILTER(CONTAINS(STR(?text), "%s"))
  ?s a ?type . FILTER(?type IN (bkg:Project, bkg:PerformanceIndicator, bkg:PerformanceRecord, bkg:Responsibility, bkg:Statement))
}"""
TOPICS = ("专精特新", "民爆", "贷款贴息")


# ---------------------------------------------------------------- timing, the same for both engines

class Timeout(BaseException):
    """Raised by SIGALRM inside rdflib's pure-Python evaluation; a BaseException so that no
    `except Exception` inside rdflib can swallow it."""


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


@dataclass
class Timing:
    """One question on one engine: cold and median warm seconds (None: past the timeout), the
    number of warm runs, and the last run's rows."""
    cold: float | None
    warm: float | None
    runs: int
    rows: list | None

    def as_dict(self) -> dict:
        return {"cold": _round(self.cold), "warm": _round(self.warm), "runs": self.runs,
                "rows": None if self.rows is None else len(self.rows)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def once(fn: Callable[[], list], timeout: float | None) -> tuple[float | None, list | None]:
    """Seconds and result of one call, or (None, None) when it ran past `timeout` (an interval
    timer interrupts rdflib's Python; pyoxigraph is given no timeout)."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    started = time.perf_counter()
    try:
        try:
            result = fn()
            seconds = time.perf_counter() - started
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except Timeout:
        return None, None
    return seconds, result


def measure(fn: Callable[[], list], repeat: int, slow: float, timeout: float | None = None) -> Timing:
    """The one rule for both engines: a cold first run, then the median of `repeat` warm runs —
    one warm run when the cold one took over `slow` seconds; none past the timeout."""
    cold, rows = once(fn, timeout)
    if cold is None:
        return Timing(None, None, 0, None)
    times: list[float] = []
    for _ in range(1 if cold > slow else repeat):
        seconds, result = once(fn, timeout)
        if seconds is None:
            return Timing(cold, None, len(times), rows)
        times.append(seconds)
        rows = result
    return Timing(cold, statistics.median(times) if times else None, len(times), rows)


# ---------------------------------------------------------------- the questions as each engine gets them

@dataclass
class Question:
    """A named question with the text pyoxigraph runs (`run`: parameters as a leading VALUES
    block) and the same text for rdflib, which also gets its parameters as that VALUES block:
    its initBindings do not reach into subqueries, so a topic question would lose its topic."""
    name: str
    text: str
    subs: dict
    rdflib_text: str
    rdflib_init: dict


def questions() -> dict[str, Question]:
    """Every named question with its parameters at their defaults, for both engines."""
    from budgetkg.graph.queries import bind, named_queries, with_values
    out = {}
    for name, q in named_queries().items():
        subs = bind(q, {})
        bound = with_values(q.text, subs) if subs else None
        out[name] = Question(name, q.text, subs, bound or q.text,
                             {} if bound else {v.value: rdflib_term(t) for v, t in subs.items()})
    return out


def rdflib_term(t: ox.NamedNode | ox.Literal):
    """A parameter's pyoxigraph term as rdflib's (only when the text takes no VALUES block)."""
    import rdflib
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if t.datatype.value.endswith("#string"):
        return rdflib.Literal(t.value)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


def ox_key(sol: ox.QuerySolution) -> tuple:
    """A pyoxigraph row as plain values (strings, None when unbound), comparable with rdflib's."""
    return tuple(None if t is None else t.value for t in sol)


def rl_key(row) -> tuple:
    """An rdflib row as plain values, as `ox_key` makes pyoxigraph's."""
    return tuple(None if v is None else str(v) for v in row)


def same_rows(ox_rows: list[tuple], rl_rows: list[tuple]) -> bool:
    """The two engines' answers as multisets of rows (values as strings, unbound as None): equal
    counts are not equal answers."""
    return Counter(ox_rows) == Counter(rl_rows)


# ---------------------------------------------------------------- the results file

def update(fn: Callable[[dict], None]) -> dict:
    """Change bench/run-results.json under a lock: two runs (two N) may record at once."""
    with open(RESULTS, "a+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        text = f.read()
        data = json.loads(text) if text.strip() else {}
        fn(data)
        f.seek(0)
        f.truncate()
        f.write(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return data


def record(n: int, path: tuple[str, ...], value: object) -> None:
    """Set data[N][path…] = value, so each step is kept as soon as it is measured."""
    def put(data: dict) -> None:
        node = data.setdefault(str(n), {})
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    update(put)


def recorded() -> dict[int, dict]:
    """Every N measured so far, smallest first."""
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    return {int(n): d for n, d in sorted(data.items(), key=lambda x: int(x[0]))}


# ---------------------------------------------------------------- the store of N

def median_of(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def corpus_store(tmp: Path, repeat: int, copies: int) -> tuple[Path, dict]:
    """N=4: the corpus built in this process (with checks and SHACL, the default), and the
    build-time table: without checks, with them, with SHACL, and `copies` distinct copies."""
    from budgetkg.graph.build import build
    docs = sorted(p for p in CORPUS.iterdir() if p.is_file())
    many = tmp / "many"         # each copy differs by trailing blank lines: a distinct document
    many.mkdir()
    for i in range(copies):
        for d in docs:
            (many / f"{i}-{d.name}").write_bytes(d.read_bytes() + b"\n" * (i + 1))
    many_docs = sorted(many.iterdir())

    def do_build(files: list[Path] = docs, **flags) -> Path:
        path = tmp / f"kg{time.perf_counter_ns()}"
        build(files, path, **flags)
        return path
    runs = max(1, repeat // 2)
    do_build()   # warm-up: imports, cpca's tables
    bare, _ = median_of(lambda: do_build(validate=False, checks=False), runs)
    checks, _ = median_of(lambda: do_build(validate=False, checks=True), runs)
    full, kg = median_of(lambda: do_build(validate=True, checks=True), runs)
    many_bare, _ = median_of(lambda: do_build(many_docs, validate=False, checks=False), 1)
    many_full, _ = median_of(lambda: do_build(many_docs, validate=True, checks=True), 1)
    table = {"documents": len(docs), "runs": runs, "bare": bare, "checks": checks, "full": full,
             "copies": copies, "many": len(many_docs), "many_bare": many_bare, "many_full": many_full}
    return kg, table


def synthetic_store(n: int, tmp: Path) -> tuple[Path, dict]:
    """N synthetic documents built as `budgetkg build` does, one worker."""
    sys.path.insert(0, str(HERE))
    import synth
    folder, store = tmp / f"docs{n}", tmp / f"kg{n}"
    synth.synthesize(n, folder)
    started = time.perf_counter()
    subprocess.run([EXE, "build", str(folder), "--store", str(store), "--workers", "1"],
                   stdout=subprocess.DEVNULL, check=True)
    return store, {"synthetic_build_s": time.perf_counter() - started}


# ---------------------------------------------------------------- pyoxigraph's side

def oxigraph_side(n: int, store_path: Path, qs: dict[str, Question], repeat: int, slow: float
                  ) -> dict[str, list[tuple]]:
    """Every question on the read-only store and the search index against its words; each
    recorded as measured. Returns the rows, for the comparison with rdflib's."""
    from budgetkg.graph.queries import run
    from budgetkg.graph.search import search
    store = ox.Store.read_only(str(store_path))
    rows: dict[str, list[tuple]] = {}
    for name, q in qs.items():
        t = measure(lambda: list(run(store, q.text, q.subs)), repeat, slow)
        rows[name] = [ox_key(s) for s in t.rows]
        record(n, ("oxigraph", name), t.as_dict())
        print(f"  pyoxigraph {name}: {ms(t.warm)} warm ({ms(t.cold)} cold), {len(t.rows)} rows", flush=True)
    for word in TOPICS:
        t = measure(lambda: search(store_path, word, limit=100_000), repeat, slow)
        record(n, ("index", word), t.as_dict())
        print(f"  index {word}: {ms(t.warm)} warm ({ms(t.cold)} cold), {len(t.rows)} hits", flush=True)
    return rows


def ms(seconds: float | None) -> str:
    """Seconds as milliseconds for the progress lines (`–`: past the timeout)."""
    return "–" if seconds is None else f"{seconds * 1000:.1f} ms"


# ---------------------------------------------------------------- rdflib's side

def mem_available() -> int:
    """Bytes the kernel says can be had without swapping: what rdflib's estimate is held to."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


def memory_refusal(n: int, quads: int) -> str | None:
    """Why rdflib is not loaded for N (None: load it): its peak estimated from the bytes per quad
    measured at the largest smaller N recorded, against 80 % of MemAvailable."""
    prior = [(m, d["rdflib"]) for m, d in recorded().items()
             if m < n and d.get("rdflib", {}).get("bytes_per_quad")]
    if not prior:
        return None
    m, r = max(prior, key=lambda x: x[0])
    need = r["rss_before"] + r["bytes_per_quad"] * quads
    room = MEMORY_SHARE * mem_available()
    if need <= room:
        return None
    return (f"not run: rdflib would need about {need / 1e9:.1f} GB for {quads:,} quads (measured "
            f"{r['bytes_per_quad']:.0f} bytes per quad at N={m}); 80 % of MemAvailable is {room / 1e9:.1f} GB")


def rdflib_side(n: int, store_path: Path, qs: dict[str, Question], ox_rows: dict[str, list[tuple]],
                quads: int, tmp: Path, args: argparse.Namespace) -> None:
    """Dump the store as N-Quads, run the child process that loads them into rdflib, and record
    what it reports line by line, each question's rows compared with pyoxigraph's."""
    why = memory_refusal(n, quads)
    if why:
        record(n, ("rdflib",), {"not_run": why})
        print(f"  rdflib {why}", flush=True)
        return
    nq = tmp / "all.nq"
    started = time.perf_counter()
    ox.Store.read_only(str(store_path)).dump(str(nq), format=ox.RdfFormat.N_QUADS)
    record(n, ("rdflib",), {"dump_s": time.perf_counter() - started, "nq_bytes": nq.stat().st_size,
                            "load": round(os.getloadavg()[0], 2), "when": time.strftime("%Y-%m-%d %H:%M"),
                            "questions": {}, "topics": {}})
    cmd = [sys.executable, __file__, "--rdflib-child", str(nq), "--repeat", str(args.repeat),
           "--slow", str(args.slow), "--timeout", str(args.timeout)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            take(n, json.loads(line), ox_rows, quads)
    if child.returncode:
        record(n, ("rdflib", "ended"), f"the rdflib process ended with code {child.returncode}")
        print(f"  rdflib process ended with code {child.returncode}", flush=True)


def take(n: int, msg: dict, ox_rows: dict[str, list[tuple]], quads: int) -> None:
    """Record one line of the child's report (the load, a question, a topic scan)."""
    kind = msg.pop("kind")
    if kind == "loaded":
        msg["bytes_per_quad"] = (msg["rss_peak"] - msg["rss_before"]) / quads
        for k, v in msg.items():
            record(n, ("rdflib", k), v)
        print(f"  rdflib loaded {quads:,} quads in {msg['parse_s']:.1f} s, peak RSS "
              f"{msg['rss_peak'] / 1e9:.2f} GB ({msg['bytes_per_quad']:.0f} bytes per quad)", flush=True)
    elif kind == "question":
        rows = msg.pop("rows_seen")
        name = msg.pop("name")
        msg["same"] = None if rows is None else same_rows(ox_rows[name], [tuple(r) for r in rows])
        record(n, ("rdflib", "questions", name), msg)
        print(f"  rdflib {name}: prepare {ms(msg['prepare'])}, {ms(msg['warm'])} warm ({ms(msg['cold'])} cold), "
              f"{msg['rows']} rows, same rows: {msg['same']}", flush=True)
    elif kind == "topic":
        word = msg.pop("word")
        record(n, ("rdflib", "topics", word), msg)
        print(f"  rdflib CONTAINS {word}: {ms(msg['warm'])} warm ({ms(msg['cold'])} cold), {msg['rows']} rows",
              flush=True)
    elif kind == "end":
        record(n, ("rdflib", "rss_end"), msg["rss_end"])


def rss() -> int:
    """This process's peak RSS in bytes: VmHWM, the high-water mark of this process image.
    `getrusage(RUSAGE_SELF).ru_maxrss` is not used: Linux carries the parent's peak across
    fork + exec into it, so the child would report the bench's own peak (0.65 GB at N=4)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(**msg: object) -> None:
    print(json.dumps(msg, ensure_ascii=False), flush=True)


def rdflib_child(nq: Path, repeat: int, slow: float, timeout: float) -> None:
    """In the child: parse the N-Quads into rdflib's in-memory Dataset (union default graph),
    then prepare and time every question and the topic scans, one JSON line each."""
    import rdflib
    from rdflib.plugins.sparql import prepareQuery
    qs = questions()
    before = rss()
    started = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(str(nq), format="nquads")
    emit(kind="loaded", parse_s=time.perf_counter() - started, rss_before=before, rss_peak=rss())
    for name, q in qs.items():
        started = time.perf_counter()
        prepared = prepareQuery(q.rdflib_text)
        prepare = time.perf_counter() - started
        t = measure(lambda: list(ds.query(prepared, initBindings=q.rdflib_init or None)), repeat, slow, timeout)
        emit(kind="question", name=name, prepare=_round(prepare), **t.as_dict(),
             rows_seen=None if t.rows is None else [rl_key(r) for r in t.rows])
    for word in TOPICS:
        started = time.perf_counter()
        prepared = prepareQuery(SCAN % word)
        prepare = time.perf_counter() - started
        t = measure(lambda: list(ds.query(prepared)), repeat, slow, timeout)
        emit(kind="topic", word=word, prepare=_round(prepare), **t.as_dict())
    emit(kind="end", rss_end=rss())


# ---------------------------------------------------------------- one N

def measure_n(n: int, store: Path | None, args: argparse.Namespace) -> None:
    """Everything for one N, each step recorded as soon as it is measured (an N stopped half
    way keeps what it measured); the N's earlier figures are replaced."""
    update(lambda data: data.pop(str(n), None))
    record(n, ("when",), time.strftime("%Y-%m-%d %H:%M"))
    record(n, ("load",), round(os.getloadavg()[0], 2))
    record(n, ("settings",), {"repeat": args.repeat, "slow": args.slow, "timeout": args.timeout})
    with tempfile.TemporaryDirectory(prefix="budgetkg-run-") as tmp_name:
        tmp = Path(tmp_name)
        if store is not None:
            record(n, ("source",), f"store `{store}`, built before")
        elif n == 4:
            store, table = corpus_store(tmp, args.repeat, args.copies)
            record(n, ("source",), "the corpus (`../shared/corpus`), built by the bench")
            record(n, ("build",), table)
        else:
            store, built = synthetic_store(n, tmp)
            record(n, ("source",), f"{n} synthetic documents (bench/synth.py), `budgetkg build --workers 1` "
                                   f"in {built['synthetic_build_s']:.0f} s")
        quads = len(ox.Store.read_only(str(store)))
        record(n, ("quads",), quads)
        print(f"N={n}: {quads:,} quads, load {os.getloadavg()[0]:.2f}", flush=True)
        qs = questions()
        ox_rows = oxigraph_side(n, store, qs, args.repeat, args.slow)
        rdflib_side(n, store, qs, ox_rows, quads, tmp, args)


# ---------------------------------------------------------------- figures.md

def fmt_ms(seconds: float) -> str:
    """Milliseconds with as many decimals as tell something at that size."""
    ms_ = seconds * 1000
    return f"{ms_:.2f}" if ms_ < 10 else f"{ms_:.1f}" if ms_ < 1000 else f"{ms_:,.0f}"


def timing_cell(t: dict | None, timeout: float) -> str:
    """warm ms (cold ms), or `> T s` for a run past the timeout."""
    if not t:
        return "–"
    if t["cold"] is None:
        return f"> {timeout:.0f} s"
    warm = f"> {timeout:.0f} s" if t["warm"] is None else fmt_ms(t["warm"])
    return f"{warm} ({fmt_ms(t['cold'])})"


def count(t: dict | None) -> str:
    """Rows or hits of a run, `–` when it did not run or did not finish."""
    return "–" if not t or t.get("rows") is None else f"{t['rows']:,}"


def speed_up(ox_t: dict, rl_t: dict | None, timeout: float) -> str:
    """rdflib warm / pyoxigraph warm; past the timeout, the bound it gives."""
    if not rl_t or not ox_t.get("warm"):
        return "–"
    if rl_t["warm"] is None:
        return f"> {timeout / ox_t['warm']:,.0f}×"
    x = rl_t["warm"] / ox_t["warm"]
    return f"{x:.2f}×" if x < 1 else f"{x:.1f}×" if x < 100 else f"{x:,.0f}×"


def header(data: dict[int, dict]) -> list[str]:
    mem = int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    import rdflib
    lines = ["# budgetkg benchmark figures", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, {mem / 2**30:.0f} GiB RAM, Python "
             f"{platform.python_version()}, pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}. "
             "Written by `bench/run.py` from `bench/run-results.json` (each N measured by its own run; "
             "the machine is shared, so each N's 1-minute load average is given).", ""]
    for n, d in data.items():
        r = d.get("rdflib", {})
        s = d.get("settings", {})
        line = (f"* N={n}: {d.get('source', '')}; {d.get('quads', 0):,} quads; measured {d.get('when')} "
                f"at load {d.get('load')}; warm runs {s.get('repeat')} (1 past a {s.get('slow', 0):.0f} s cold run), "
                f"rdflib timeout {s.get('timeout', 0):.0f} s. ")
        if r.get("not_run"):
            line += f"rdflib {r['not_run']}."
        elif r.get("parse_s"):
            line += (f"rdflib (started {r.get('when')}, load {r.get('load')}): N-Quads of {r['nq_bytes'] / 1e6:,.0f} MB "
                     f"parsed in {r['parse_s']:.1f} s; peak RSS after loading {r['rss_peak'] / 1e9:.2f} GB "
                     f"({r['rss_before'] / 1e6:.0f} MB before, {r['bytes_per_quad']:.0f} bytes per quad); "
                     + (f"{r['rss_end'] / 1e9:.2f} GB after the questions." if r.get("rss_end")
                        else "its questions did not all finish.")
                     + (f" {r['ended']}." if r.get("ended") else ""))
        if d.get("note"):
            line += f" Note: {d['note']}."
        lines.append(line)
    return lines


def build_table(b: dict) -> list[str]:
    return ["", f"Build of the corpus ({b['documents']} documents, in-process `build`, medians of {b['runs']} runs):", "",
            "| step | seconds |", "|---|---:|",
            f"| build corpus, no checks, no SHACL (read → RDF → on-disk store) | {b['bare']:.3f} |",
            f"| build corpus with reconciliation checks | {b['checks']:.3f} (+{(b['checks'] / b['bare'] - 1) * 100:.0f} %) |",
            f"| build corpus with checks and SHACL validation (the default) | {b['full']:.3f} (+{(b['full'] / b['bare'] - 1) * 100:.0f} %) |",
            f"| {b['many']} distinct documents ({b['copies']} copies), no checks, no SHACL | {b['many_bare']:.3f} |",
            f"| {b['many']} distinct documents, checks and SHACL | {b['many_full']:.3f} (+{(b['many_full'] / b['many_bare'] - 1) * 100:.0f} %) |",
            "", "SHACL runs in one worker process beside the extraction; on a few documents its start-up",
            "and the validation of the last document cannot overlap anything, on many they do."]


def question_table(data: dict[int, dict]) -> list[str]:
    lines = ["", "Each question as `budgetkg query` runs it on pyoxigraph (`run`: union default graph, parameters "
             "at their defaults as a leading VALUES block) and the same text prepared once for rdflib "
             "(`rdflib.plugins.sparql.prepareQuery`; its preparation, parse and algebra, in a column of its "
             "own and not inside its runs). pyoxigraph has no prepared-query API: each of its runs parses and "
             "plans the text again, so its times include a parse that rdflib's do not — which only favours "
             "rdflib. Both engines follow one rule: a cold first run (in parentheses), then the median of the "
             "warm runs (one warm run when the cold one took over the slow threshold); times include "
             "materialising every row. Questions run one after another in one process per engine, so "
             "“cold” is the first run of that question, not of a cold cache. `> T s`: rdflib did not finish "
             "a run within the timeout (an interval timer interrupts its Python); its speed-up is then the bound "
             "T / pyoxigraph's warm time. Same rows: the two answers compared as multisets of rows (values as "
             "strings).", "",
             "| question | N | pyoxigraph ms warm (cold) | rdflib prepare ms | rdflib ms warm (cold) "
             "| rows pyoxigraph / rdflib | same rows | speed-up |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    names = sorted({q for d in data.values() for q in d.get("oxigraph", {})})
    for name in names:
        for n, d in data.items():
            o = d.get("oxigraph", {}).get(name)
            if not o:
                continue
            r = d.get("rdflib", {}).get("questions", {}).get(name)
            timeout = d.get("settings", {}).get("timeout", 0)
            same = "–" if not r or r.get("same") is None else "yes" if r["same"] else "no"
            lines.append(f"| {name} | {n} | {timing_cell(o, timeout)} | {fmt_ms(r['prepare']) if r else '–'} "
                         f"| {timing_cell(r, timeout) if r else '–'} | {o['rows']:,} / {count(r)} "
                         f"| {same} | {speed_up(o, r, timeout)} |")
    return lines


DIFFERENCES = [
    "", "Where the rows differ on the corpus (N=4), each difference was read against the documents;",
    "pyoxigraph's answer is the right one in every case:",
    "* `three_public_change`: rdflib does not let a FILTER inside an OPTIONAL read a variable bound",
    "  outside it (a left-join condition, SPARQL 1.1 §18.2.2.5), so it finds no previous year in the",
    "  graph and says `stated` where the 2019 column of 000's “三公” table gives 164.69 万元",
    "  (`computed`; its text, line 835: 122.85 万元, 比 2019 年 减少 41.84).",
    "* `three_public`: rdflib answers an aggregate with GROUP BY over no rows with one unbound row",
    "  (SPARQL: no group), so the stated branch adds 24 rows without an amount for 山海关 2023.",
    "* `project_execution`: rdflib doubles the figure of a 绩效目标表 form (促进中小企业发展工作经费:",
    "  12,000 元 where 002 line 1643 prints 预算资金情况 0.60 万元 = 6,000 元, pyoxigraph's answer);",
    "  not traced further inside rdflib.",
    "* `below_half`: the same ratios, pyoxigraph's xsd:decimal division to 18 places, rdflib's to 28.",
    "* `topic_by_place`: the same sums; the parts of a GROUP_CONCAT come in another order (SPARQL",
    "  leaves the order open)."]


def new_differences(data: dict[int, dict]) -> list[str]:
    """Questions whose rows differ at a larger N but not on the corpus: not read against documents."""
    base = data.get(4, {}).get("rdflib", {}).get("questions", {})
    out = []
    for n, d in data.items():
        if n == 4:
            continue
        for name, r in sorted(d.get("rdflib", {}).get("questions", {}).items()):
            if r.get("same") is False and base.get(name, {}).get("same") is not False:
                out.append(f"* `{name}` at N={n}: {d['oxigraph'][name]['rows']} rows on pyoxigraph, "
                           f"{r['rows']} on rdflib (same rows at N=4)")
    return ["", "Rows that differ at a larger N but not on the corpus (not yet read against the documents):", ""] + out \
        if out else []


def topic_table(data: dict[int, dict]) -> list[str]:
    lines = ["", "The topic question as search: the full-text index beside the store (SQLite FTS5 over",
             "jieba's words) against a CONTAINS scan of every name and description in rdflib over the",
             "same N-Quads (prepared once, the same rule for runs). The index holds jieba's words and every",
             "topic label inside a longer word (专精特新 in 专精特新中小企业); the hit counts beside the",
             "scan's show whether they find the same.", "",
             "| word | N | hits (index) | rows (rdflib CONTAINS) | index ms warm (cold) | rdflib prepare ms "
             "| rdflib ms warm (cold) | speed-up |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for word in TOPICS:
        for n, d in data.items():
            ix = d.get("index", {}).get(word)
            if not ix:
                continue
            r = d.get("rdflib", {}).get("topics", {}).get(word)
            timeout = d.get("settings", {}).get("timeout", 0)
            lines.append(f"| {word} | {n} | {ix['rows']:,} | {count(r)} "
                         f"| {timing_cell(ix, timeout)} | {fmt_ms(r['prepare']) if r else '–'} "
                         f"| {timing_cell(r, timeout) if r else '–'} | {speed_up(ix, r, timeout)} |")
    return lines


def write_figures() -> None:
    data = recorded()
    lines = header(data)
    if data.get(4, {}).get("build"):
        lines += build_table(data[4]["build"])
    lines += question_table(data) + DIFFERENCES + new_differences(data) + topic_table(data)
    FIGURES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, help="4: the corpus; another N: synthetic documents or --store")
    ap.add_argument("--store", type=Path, help="a store already built for N (opened read-only)")
    ap.add_argument("--repeat", type=int, default=5, help="warm runs per question (both engines)")
    ap.add_argument("--slow", type=float, default=10.0, help="a cold run over this many seconds gets one warm run")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per rdflib run")
    ap.add_argument("--copies", type=int, default=5, help="N=4: also time a build of this many distinct copies")
    ap.add_argument("--table", action="store_true", help="only rewrite figures.md from run-results.json")
    ap.add_argument("--note", help="a remark printed beside N's line (what else ran on the machine); "
                    "with --table, recorded for N without measuring")
    ap.add_argument("--rdflib-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rdflib_child:
        rdflib_child(args.rdflib_child, args.repeat, args.slow, args.timeout)
        return
    if not args.table:
        if args.n is None:
            ap.error("give N (4: the corpus)")
        measure_n(args.n, args.store, args)
    if args.note and args.n is not None:
        record(args.n, ("note",), args.note)
    write_figures()


if __name__ == "__main__":
    main()
