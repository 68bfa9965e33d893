"""Real PDFs as whole processes: `budgetkg build FILE` (a new store: read, interpret, RDF, SHACL,
store, snapshot, search index) against a bare pdfplumber script (open, `extract_text()` +
`extract_tables()` on every page) — each a fresh `python` process, so start-up counts — with 1
and with 2 processes (budgetkg `--workers 2` reads one file's pages in two; the bare script's 2
processes read the pages in two contiguous runs). The four run one after the other on each PDF
in turn, so the machine's load weighs on all alike. Then where budgetkg's time goes on the
largest PDF, in one fresh process: imports, page reading, and the start-up every document
needs (jieba's dictionary, cpca's places, the SHACL shapes).

    .venv/bin/python bench/pdf_process.py            # ../shared/corpus-pdf + corpus-real
    .venv/bin/python bench/pdf_process.py --limit 5  # the 5 largest only
    .venv/bin/python bench/pdf_process.py --folder   # all of them as one folder, one process

Writes bench/figures-pdf-process.md; `--folder` writes bench/figures-pdf-folder.md: the PDFs as
one folder, as a researcher builds them — `budgetkg build FOLDER` with 1 and 2 workers against
a bare pdfplumber script reading every file in one process, and in a pool of 2 (start-up paid
once by each).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
EXE = Path(sys.executable).parent

BARE = """
import sys, pdfplumber
from concurrent.futures import ProcessPoolExecutor

def run(path, a, b):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[a:b]:
            page.extract_text(); page.extract_tables(); page.close()

if __name__ == "__main__":
    path, workers = sys.argv[1], int(sys.argv[2])
    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)
    if workers == 1:
        run(path, 0, n)
    else:
        step = -(-n // workers)
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(run, [path] * workers, range(0, n, step), range(step, n + step, step)))
"""

BREAKDOWN = """
import json, sys, time
t0 = time.perf_counter()
import budgetkg.cli, budgetkg.graph.build, budgetkg.graph.engine
t1 = time.perf_counter()
from pathlib import Path
from budgetkg.extract.readers import read_path
read_path(Path(sys.argv[1]))
t2 = time.perf_counter()
from budgetkg.extract.topics import tokenizer
tokenizer()
t3 = time.perf_counter()
from budgetkg.extract.recognise import load_places
load_places()
t4 = time.perf_counter()
from budgetkg.graph.validate import checked_shapes
checked_shapes()
t5 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "read pages (1 process)": t2 - t1, "jieba dictionary": t3 - t2,
                  "cpca places": t4 - t3, "SHACL shapes": t5 - t4}))
"""


def pdfs(limit: int | None) -> list[tuple[Path, int]]:
    import pdfplumber
    out = []
    for folder in (SHARED / "corpus-pdf", SHARED / "corpus-real"):
        for f in sorted(folder.rglob("*.pdf")):
            try:
                with pdfplumber.open(f) as pdf:
                    out.append((f, len(pdf.pages)))
            except Exception:   # noqa: BLE001 — a PDF pdfplumber cannot open is no comparison
                continue
    out.sort(key=lambda x: -x[1])
    return out[:limit] if limit else out


def timed(cmd: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, r.returncode


FOLDER_BARE = """
import sys, pdfplumber
from concurrent.futures import ProcessPoolExecutor

def run(path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text(); page.extract_tables(); page.close()

if __name__ == "__main__":
    workers, paths = int(sys.argv[1]), sys.argv[2:]
    paths.sort(key=lambda p: -__import__("os").path.getsize(p))     # largest first, as budgetkg
    if workers == 1:
        for p in paths:
            run(p)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(run, paths))
"""


def folder(files: list[tuple[Path, int]]) -> None:
    """The PDFs as one folder: each run a fresh process over all of them, interleaved twice."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-folder-"))
    names = ("bare pdfplumber, 1 process", "budgetkg build, 1 worker", "bare pdfplumber, pool of 2",
             "budgetkg build, 2 workers")
    runs: dict[str, list[float]] = {n: [] for n in names}
    load = [os.getloadavg()[0]]
    try:
        docs = tmp / "pdfs"
        docs.mkdir()
        for k, (f, _) in enumerate(files):
            (docs / f"{k:03d}_{f.name}").symlink_to(f)
        bare = tmp / "bare.py"
        bare.write_text(FOLDER_BARE, encoding="utf-8")
        for _ in range(2):
            for name in names:
                workers = "2" if "2" in name else "1"
                if name.startswith("bare"):
                    cmd = [sys.executable, str(bare), workers, *map(str, sorted(docs.iterdir()))]
                else:
                    shutil.rmtree(tmp / "kg", ignore_errors=True)
                    cmd = [str(EXE / "budgetkg"), "build", str(docs), "--store", str(tmp / "kg"), "--workers", workers]
                seconds, rc = timed(cmd)
                if rc not in (0, 1):
                    raise SystemExit(f"{name} failed ({rc})")
                runs[name].append(seconds)
                print(f"{name}: {seconds:.1f} s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load.append(os.getloadavg()[0])
    pages = sum(p for _, p in files)
    best = {n: min(v) for n, v in runs.items()}
    b1 = best[names[0]]
    lines = ["# Real PDFs as one folder", "",
             f"`bench/pdf_process.py --folder`: {len(files)} PDFs of `../shared/corpus-pdf` and "
             f"`../shared/corpus-real` ({pages} pages) as one folder; each run one fresh process over all of them "
             f"(start-up paid once), the four interleaved, twice, the faster of the two kept; {platform.machine()}, "
             f"{os.cpu_count()} cores; 1-minute load {load[0]:.1f} before, {load[1]:.1f} after; measured "
             f"{time.strftime('%Y-%m-%d %H:%M')}.", "",
             "`budgetkg build FOLDER` reads, interprets, makes RDF, validates with SHACL, writes the store, the "
             "checks across documents, the project links, the snapshot and the search index; the bare script only "
             "reads (`extract_text()` + `extract_tables()` per page), largest file first.", "",
             "| all PDFs | seconds (runs) | pages/s | against bare, 1 process |", "|---|---|---|---|"]
    for n in names:
        lines.append(f"| {n} | {best[n]:.1f} ({', '.join(f'{x:.1f}' for x in runs[n])}) | {pages / best[n]:.1f} "
                     f"| {b1 / best[n]:.2f}× |")
    lines += ["", f"budgetkg 2 workers against 1: {best[names[1]] / best[names[3]]:.2f}×; bare pool of 2 against "
              f"1 process: {b1 / best[names[2]]:.2f}×."]
    (HERE / "figures-pdf-folder.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="only the N PDFs with the most pages")
    ap.add_argument("--folder", action="store_true", help="all the PDFs as one folder, one process per run")
    args = ap.parse_args()
    files = pdfs(args.limit)
    if args.folder:
        folder(files)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-process-"))
    bare = tmp / "bare.py"
    bare.write_text(BARE, encoding="utf-8")
    names = ("bare pdfplumber, 1 process", "budgetkg build, 1 worker", "bare pdfplumber, 2 processes",
             "budgetkg build, 2 workers")
    totals = dict.fromkeys(names, 0.0)
    rows = []
    load = [os.getloadavg()[0]]
    started = time.perf_counter()
    try:
        for f, pages in files:
            got = {}
            for name in names:
                workers = "2" if "2" in name else "1"
                if name.startswith("bare"):
                    got[name] = timed([sys.executable, str(bare), str(f), workers])
                else:
                    store = tmp / "kg"
                    shutil.rmtree(store, ignore_errors=True)
                    got[name] = timed([str(EXE / "budgetkg"), "build", str(f), "--store", str(store),
                                       "--workers", workers])
            if any(rc not in (0, 1) for _, rc in got.values()):
                print(f"skipped {f.name}: a run failed", file=sys.stderr)
                continue
            for name in names:
                totals[name] += got[name][0]
            rows.append((f.relative_to(SHARED).as_posix(), pages, {n: s for n, (s, _) in got.items()}))
            print(f"{pages:4d} p  " + "  ".join(f"{got[n][0]:6.2f}" for n in names) + f"  {f.name}", flush=True)
        largest = files[0][0]
        breakdown = json.loads(subprocess.run([sys.executable, "-c", BREAKDOWN, str(largest)], capture_output=True,
                                              text=True, check=True).stdout)
        store = tmp / "kg"
        shutil.rmtree(store, ignore_errors=True)
        whole, _ = timed([str(EXE / "budgetkg"), "build", str(largest), "--store", str(store)])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load.append(os.getloadavg()[0])
    pages = sum(p for _, p, _ in rows)
    b1, o1, b2, o2 = (totals[n] for n in names)
    lines = ["# Real PDFs as whole processes", "",
             f"`bench/pdf_process.py`: {len(rows)} PDFs of `../shared/corpus-pdf` and `../shared/corpus-real` "
             f"({pages} pages), each a fresh process per run (start-up counted), one run each, the four "
             f"interleaved per PDF; {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; 1-minute load {load[0]:.1f} before, {load[1]:.1f} after; "
             f"{time.perf_counter() - started:.0f} s in all; measured {time.strftime('%Y-%m-%d %H:%M')}.", "",
             "`budgetkg build FILE --store NEW` reads, interprets, makes RDF, validates with SHACL, writes the "
             "store, publishes its snapshot and the search index; the bare script only reads "
             "(`extract_text()` + `extract_tables()` per page).", "",
             "| all PDFs | seconds | pages/s | against bare, 1 process |", "|---|---|---|---|"]
    for n in names:
        lines.append(f"| {n} | {totals[n]:.1f} | {pages / totals[n]:.1f} | {b1 / totals[n]:.2f}× |")
    lines += ["", f"budgetkg 2 workers against 1: {o1 / o2:.2f}×; bare 2 processes against 1: {b1 / b2:.2f}×.", "",
              f"Where the time of `budgetkg build` goes, on the largest PDF (`{largest.name}`, {files[0][1]} pages; "
              f"the whole build took {whole:.2f} s), in one fresh process:", "",
              "| step | seconds |", "|---|---|"]
    for k, v in breakdown.items():
        lines.append(f"| {k} | {v:.2f} |")
    lines.append(f"| the rest: recognition, checks, RDF, SHACL, store, snapshot, index, interpreter start "
                 f"| {whole - sum(breakdown.values()):.2f} |")
    lines += ["", "| PDF | pages | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for name, p, secs in rows:
        lines.append(f"| {name} | {p} | " + " | ".join(f"{secs[n]:.2f}" for n in names) + " |")
    (HERE / "figures-pdf-process.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'figures-pdf-process.md'}")


if __name__ == "__main__":
    main()
