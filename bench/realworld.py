"""Build every file of ../shared/corpus-real and write the figures to bench/figures-realworld.md:

* per document: the profile (department as printed, scope, level, division, year, kind),
  tables by kind, facts, figures accounted (printed / made facts / explained / unaccounted),
  findings by severity, pages and seconds; a file that fails shows its one-line reason;
* totals over the corpus;
* speed: pages/s of budgetkg's extraction against bare pdfplumber (extract_text() +
  extract_tables() on every page) on the same PDFs in the same run, 1 and 2 workers.

    .venv/bin/python bench/realworld.py            # writes bench/figures-realworld.md
    .venv/bin/python bench/realworld.py --quick    # without the speed comparison

Names in the figures are relative to corpus-real; no path of the machine is written.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus-real"
SEVERITIES = ("error", "warning", "info")


@dataclass
class Doc:
    name: str                       # relative to corpus-real
    pages: int | None               # None: not a paged format
    seconds: float = 0.0
    ok: bool = False
    reason: str = ""                # why it failed (one line)
    crash: str = ""                 # the traceback, when the extraction raised a non-library error
    profile: dict = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    figures: tuple[int, int, int, int] = (0, 0, 0, 0)   # printed, facts, explained, unaccounted
    findings: Counter = field(default_factory=Counter)


def scrub(text: str) -> str:
    """A message without the machine's paths, on one line."""
    for prefix in (str(CORPUS) + os.sep, str(ROOT) + os.sep, str(ROOT.parent) + os.sep, str(Path.home()) + os.sep):
        text = text.replace(prefix, "")
    return " ".join(text.split())


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.name != "SOURCES.md")


def pages_of(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pdfplumber
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


def extract_one(path: Path, workers: int) -> Doc:
    from budgetkg.extract.errors import BudgetKGError
    from budgetkg.extract.pipeline import extract_path
    doc = Doc(name=path.relative_to(CORPUS).as_posix(), pages=pages_of(path))
    t = time.perf_counter()
    try:
        ex = extract_path(path, workers=workers)
    except BudgetKGError as exc:
        doc.seconds = time.perf_counter() - t
        doc.reason = scrub(exc.message)
        return doc
    except Exception as exc:   # a defect: recorded as a failure with its reason, traceback kept
        doc.seconds = time.perf_counter() - t
        tb = traceback.extract_tb(exc.__traceback__)
        where = next((f"{scrub(f.filename)}:{f.lineno}" for f in reversed(tb)
                      if str(ROOT) in f.filename and ".venv" not in f.filename), "")
        doc.reason = scrub(f"crash: {type(exc).__name__}: {exc}" + (f" (at {where})" if where else ""))
        doc.crash = scrub_tb(traceback.format_exc())
        return doc
    doc.seconds = time.perf_counter() - t
    doc.ok = True
    p = ex.profile
    doc.profile = {"department": p.department, "scope": p.scope, "level": p.level,
                   "division": p.division_code, "year": p.year, "kind": p.document_kind,
                   "template": p.template}
    doc.kinds = dict(sorted(ex.kinds.items()))
    doc.facts = len(ex.records)
    f = ex.figures
    doc.figures = (f.printed, f.facts, f.explained_total, len(f.unaccounted))
    doc.findings = Counter(x.severity for x in ex.findings)
    return doc


def scrub_tb(text: str) -> str:
    for prefix in (str(CORPUS) + os.sep, str(ROOT) + os.sep, str(ROOT.parent) + os.sep):
        text = text.replace(prefix, "")
    return text


# ---------------------------------------------------------------- speed

def bare_pdfplumber(path: Path, first: int = 0, last: int | None = None) -> int:
    import pdfplumber
    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first:last]:
            page.extract_text()
            page.extract_tables()
            page.close()
            n += 1
    return n


def _bare_run(args: tuple[str, int, int]) -> int:
    return bare_pdfplumber(Path(args[0]), args[1], args[2])


def bare_pdfplumber_pool(path: Path, pages: int, pool: ProcessPoolExecutor, workers: int) -> int:
    """The pages of one PDF in `workers` processes, in contiguous runs (as budgetkg splits them)."""
    step = -(-pages // workers)
    runs = [(str(path), i, min(i + step, pages)) for i in range(0, pages, step)]
    return sum(pool.map(_bare_run, runs))


def ours(path: Path, workers: int) -> None:
    from budgetkg.extract.pipeline import extract_path
    extract_path(path, workers=workers)


def speed(docs: list[Doc]) -> tuple[list[tuple[str, float, int]], tuple[float, float]]:
    """(pipeline, seconds, pages) on the PDFs budgetkg built, and the load average before and
    after. The four pipelines run one after the other on each PDF in turn (interleaved), so
    that whatever else the machine is doing weighs on all of them alike."""
    pdfs = [(CORPUS / d.name, d.pages) for d in docs if d.ok and d.pages]
    pages = sum(n for _, n in pdfs)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    names = ("bare pdfplumber, 1 process", "budgetkg extract_path, 1 worker",
             "bare pdfplumber, 2 processes (pool over each PDF's pages)", "budgetkg extract_path, 2 workers")
    secs = [0.0] * 4
    load = os.getloadavg()[0]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        list(pool.map(_bare_run, [(str(pdfs[0][0]), 0, 1)] * 2))   # workers started and warm
        for path, n in pdfs:
            for i, fn in enumerate((lambda: bare_pdfplumber(path), lambda: ours(path, 1),
                                    lambda: bare_pdfplumber_pool(path, n, pool, 2), lambda: ours(path, 2))):
                t = time.perf_counter()
                fn()
                secs[i] += time.perf_counter() - t
    return [(name, s, pages) for name, s in zip(names, secs)], (load, os.getloadavg()[0])


# ---------------------------------------------------------------- figures

def cell(v) -> str:
    return "—" if v in (None, "") else str(v).replace("|", "\\|")


def write(docs: list[Doc], rows: list[tuple[str, float, int]] | None, load: tuple[float, float] | None,
          wall: float) -> str:
    import pdfplumber
    built = [d for d in docs if d.ok]
    failed = [d for d in docs if not d.ok]
    printed, ffacts, explained, unacc = (sum(d.figures[i] for d in built) for i in range(4))
    sev = Counter()
    for d in built:
        sev.update(d.findings)
    facts = sum(d.facts for d in built)
    share = 100 * unacc / printed if printed else 0.0
    totals = (f"{len(built)} documents built, {len(failed)} failed; {facts} facts; figures printed {printed}, "
              f"made facts {ffacts}, explained {explained}, unaccounted {unacc} ({share:.2f} %); findings "
              + ", ".join(f"{sev[s]} {s}" for s in SEVERITIES))
    lines = [
        "# budgetkg on real published documents (corpus-real)", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pdfplumber {pdfplumber.__version__}.",
        f"Corpus: every file of `corpus-real` ({len(docs)} files; SOURCES.md aside), each read with "
        "`budgetkg.extract.pipeline.extract_path(path, workers=1)` (reconciliation checks on); "
        f"{wall:.0f} s for the whole run.", "",
        "## Totals", "", totals, "",
        "## Profiles", "",
        "| document | department | scope | level | division | year | kind | template |",
        "|---|---|---|---|---|---:|---|---|",
    ]
    for d in docs:
        if d.ok:
            p = d.profile
            lines.append(f"| {cell(d.name)} | {cell(p['department'])} | {cell(p['scope'])} | {cell(p['level'])} | "
                         f"{cell(p['division'])} | {cell(p['year'])} | {cell(p['kind'])} | "
                         f"{'template' if p['template'] else ''} |")
        else:
            lines.append(f"| {cell(d.name)} | **failed**: {cell(d.reason)} | | | | | | |")
    lines += [
        "", "## Tables, facts, figures, findings", "",
        "Figures: every number printed in the document, made into a fact, explained (a year, a code, "
        "a skipped row with its reason …) or unaccounted. Findings: error / warning / info.", "",
        "| document | tables by kind | facts | printed | made facts | explained | unaccounted | findings E/W/I | pages | s |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for d in docs:
        pages = cell(d.pages)
        if d.ok:
            kinds = ", ".join(f"{k} {n}" for k, n in d.kinds.items()) or "—"
            pr, fa, ex, un = d.figures
            lines.append(f"| {cell(d.name)} | {cell(kinds)} | {d.facts} | {pr} | {fa} | {ex} | {un} | "
                         f"{d.findings['error']}/{d.findings['warning']}/{d.findings['info']} | {pages} | {d.seconds:.2f} |")
        else:
            lines.append(f"| {cell(d.name)} | **failed**: {cell(d.reason)} | | | | | | | {pages} | {d.seconds:.2f} |")
    crashes = [d for d in docs if d.crash]
    if crashes:
        lines += ["", "## Crashes", "", "Extractions that raised an error of ours rather than a reason "
                  "(each listed above as failed):", ""]
        for d in crashes:
            lines += [f"* {d.name}: {cell(d.reason)}"]
    lines += ["", "## Speed", ""]
    if rows is None:
        lines.append("Not measured (`--quick`).")
    else:
        pages = rows[0][2]
        n = len([d for d in docs if d.ok and d.pages])
        pps = {name: p / s for name, s, p in rows}
        b1, o1, b2, o2 = (rows[i][2] / rows[i][1] for i in range(4))
        lines += [
            f"The {n} PDFs budgetkg built ({pages} pages), each pipeline once over all of them, in this run. "
            "Bare pdfplumber: open, then `extract_text()` + `extract_tables()` on every page. "
            "With 2 processes it is a pool of 2 forked processes, started once, reading each PDF's pages "
            "in two contiguous runs (one PDF after the other), as budgetkg's 2 workers do. "
            "budgetkg: `extract_path(path, workers=1)` and `extract_path(path, workers=2)` (pages in two "
            "processes; PDFs of fewer than 4 pages read in one). The four run one after the other on each "
            "PDF in turn, so a busy machine weighs on all alike; load average "
            f"{load[0]:.1f} at the start, {load[1]:.1f} at the end (on {os.cpu_count()} cores: "
            "the 2-process figures need two idle cores to mean much).", "",
            "| pipeline | seconds | pages/s |", "|---|---:|---:|",
        ]
        lines += [f"| {name} | {s:.1f} | {pps[name]:.1f} |" for name, s, _ in rows]
        lines += [
            "", "| ratio (pages/s) | measured | goal |", "|---|---:|---:|",
            f"| budgetkg 1 worker / bare pdfplumber 1 process | {o1 / b1:.2f}× | ≥ 1.0× |",
            f"| budgetkg 2 workers / bare pdfplumber 1 process | {o2 / b1:.2f}× | ≥ 1.8× |",
            f"| budgetkg 2 workers / bare pdfplumber 2 processes | {o2 / b2:.2f}× | |",
            f"| budgetkg 2 workers / budgetkg 1 worker | {o2 / o1:.2f}× | |",
        ]
    text = "\n".join(lines) + "\n"
    (HERE / "figures-realworld.md").write_text(text, encoding="utf-8")
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the speed comparison")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus-real beside the repository ({CORPUS.relative_to(ROOT.parent)})")
    start = time.perf_counter()
    files = corpus_files()
    # warm-up: imports and the place tables, so that the first document does not pay for them
    from budgetkg.extract.pipeline import extract_path  # noqa: F401
    import cpca  # noqa: F401
    first_pdf = next((f for f in files if f.suffix.lower() == ".pdf"), None)
    if first_pdf is not None:
        try:
            extract_one(first_pdf, 1)
            bare_pdfplumber(first_pdf, 0, 1)
        except Exception:
            pass
    docs = []
    for path in files:
        d = extract_one(path, 1)
        status = "ok" if d.ok else f"FAIL {d.reason}"
        print(f"{d.seconds:7.2f} s  {d.name}: {status}", flush=True)
        if d.crash:
            print(d.crash, file=sys.stderr, flush=True)
        docs.append(d)
    rows, load = (None, None) if args.quick else speed(docs)
    totals = write(docs, rows, load, time.perf_counter() - start)
    print(totals)
    if rows:
        for name, s, p in rows:
            print(f"{name}: {s:.1f} s, {p / s:.1f} pages/s")


if __name__ == "__main__":
    main()
