"""A build into a store that already holds N documents: nothing changed, one document changed,
one document added — each a whole `budgetkg build` process over the whole folder, as a
researcher reruns it after a bureau publishes again. What should cost what changed, not what
the store holds: the manifest skips the unchanged documents, the checks across documents and the
project links are made again for the changed departments only, and the store is compacted only
after a build that wrote a tenth of it.

    .venv/bin/python bench/incremental.py 100 1000

Writes bench/figures-incremental.md (each N kept in bench/incremental-results.json).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (bench/synth.py)
from scale import loadavg, size, timed_build  # noqa: E402

RESULTS = HERE / "incremental-results.json"
FIGURES = HERE / "figures-incremental.md"


def _year_before(text: str) -> str:
    return re.sub(r"20\d\d", lambda m: str(int(m.group()) - 1), text)


def measure(n: int, tmp: Path) -> dict:
    folder = tmp / f"docs{n}"
    synth.synthesize(n, folder)
    store = tmp / f"kg{n}"
    files = sorted(folder.iterdir())
    first = timed_build(folder, store, 2)
    print(f"N={n}: first build {first[0]:.1f} s", flush=True)
    out = {"first": first}
    # nothing changed: every document skipped
    out["unchanged"] = _again(folder, store)
    # one document changed: a line added at its end (its old graph dropped, the new one written)
    victim = files[len(files) // 2]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n（完）\n", encoding="utf-8")
    out["one changed"] = _again(folder, store)
    # one document added: a document of the year before of a department already in the store
    added = folder / f"added_{victim.stem}.txt"
    added.write_text(_year_before(victim.read_text(encoding="utf-8")), encoding="utf-8")
    out["one added"] = _again(folder, store)
    out["store"] = size(store)
    for k in ("unchanged", "one changed", "one added"):
        print(f"N={n}: {k} {out[k][0]:.1f} s, peak {out[k][1]} MB", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    return out


def _again(folder: Path, store: Path) -> tuple[float, int, float, int]:
    return timed_build(folder, store, 2, fresh=False)


def write_figures() -> None:
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    lines = ["# A build into a store that already holds N documents", "",
             "`bench/incremental.py N…`: N synthetic documents (`bench/synth.py`) built with 2 workers into a new "
             "store, then the same folder built again, each a whole `budgetkg build --workers 2` process: with "
             "nothing changed; with one document changed (a line added at its end); with one document added (a "
             "department's document of the year before). Peak memory is the building process's largest RSS.", "",
             "| N | first build (s) | store MB | nothing changed (s) | one changed (s) | one added (s) "
             "| peak MB (first / changed / added) | load before | measured |",
             "|---|---|---|---|---|---|---|---|---|"]
    for n in sorted(data, key=int):
        d = data[n]
        lines.append(f"| {n} | {d['first'][0]:.1f} | {d['store'] / 1e6:.0f} | {d['unchanged'][0]:.1f} | "
                     f"{d['one changed'][0]:.1f} | {d['one added'][0]:.1f} | {d['first'][1]} / "
                     f"{d['one changed'][1]} / {d['one added'][1]} | {d['first'][2]:.1f} | {d['when']} |")
    FIGURES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="+", type=int)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-incremental-"))
    try:
        for n in args.n:
            load = loadavg()
            got = measure(n, tmp)
            data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
            data[str(n)] = {**got, "when": time.strftime("%Y-%m-%d %H:%M"), "load": round(load, 1)}
            RESULTS.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_figures()


if __name__ == "__main__":
    main()
