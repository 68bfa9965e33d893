"""Incremental and resumable builds: the manifest records each document built (path, sha256,
graph, the code's fingerprint, its report); an unchanged document is skipped with the report of
its build, a changed one replaced, and a build killed part-way continues where it stopped."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from budgetkg.graph.build import build
from budgetkg.graph.manifest import MANIFEST_FILE
from budgetkg.graph.store import DCT_IDENTIFIER, open_store
from tests.conftest import SAMPLES

EXE = str(Path(sys.executable).parent / "budgetkg")
BUDGET = "dalian_digital_2024_budget.txt"
FINAL = "dalian_digital_2023_final.txt"


def committed(kg: Path) -> dict[str, str]:
    st = open_store(kg, read_only=True)
    out = {s["p"].value.rsplit("/", 1)[-1]: s["g"].value
           for s in st.query(f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ ?g <{DCT_IDENTIFIER}> ?p }} }}")}
    del st
    return out


def samples(tmp_path: Path, n: int = 1) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (BUDGET, FINAL):
        shutil.copy(SAMPLES / name, folder / name)
    for i in range(n - 1):          # more documents: the budget with other trailing lines
        (folder / f"copy{i}.txt").write_bytes((SAMPLES / BUDGET).read_bytes() + b"\n" * (i + 1))
    return folder


def test_unchanged_skipped_changed_replaced(tmp_path):
    folder = samples(tmp_path)
    kg = tmp_path / "kg"
    first = build([folder], kg, validate=False)
    assert [r.skipped for r in first] == [False, False]
    before = committed(kg)
    again = build([folder], kg, validate=False)
    assert [r.skipped for r in again] == [True, True]
    # the report of the build that made the graph: same department, facts, graph
    for a, b in zip(first, again):
        assert (b.ok, b.graph, b.facts, b.profile.department, b.source) == (a.ok, a.graph, a.facts,
                                                                             a.profile.department, a.source)
    (folder / BUDGET).write_bytes((SAMPLES / BUDGET).read_bytes() + b"\n")
    third = build([folder], kg, validate=False)
    assert {Path(r.source).name: r.skipped for r in third} == {BUDGET: False, FINAL: True}
    after = committed(kg)
    assert after[FINAL] == before[FINAL] and after[BUDGET] != before[BUDGET]
    st = open_store(kg, read_only=True)
    assert not st.contains_named_graph(ox.NamedNode(before[BUDGET]))      # the old version is gone
    del st
    entries = [json.loads(line) for line in (kg / MANIFEST_FILE).read_text(encoding="utf-8").splitlines()]
    assert sorted(e["key"].rsplit("/", 1)[-1] for e in entries) == sorted([BUDGET, FINAL])
    assert {e["graph"] for e in entries} == set(after.values())
    # --force rebuilds all; a document removed from the store is rebuilt whatever the manifest says
    assert [r.skipped for r in build([folder], kg, validate=False, force=True)] == [False, False]


def test_a_graph_gone_from_the_store_is_rebuilt(tmp_path):
    folder = samples(tmp_path)
    kg = tmp_path / "kg"
    build([folder], kg, validate=False)
    graph = committed(kg)[FINAL]
    st = ox.Store(str(kg))
    st.remove_graph(ox.NamedNode(graph))
    del st
    r = {Path(x.source).name: x.skipped for x in build([folder], kg, validate=False)}
    assert r == {BUDGET: True, FINAL: False} and committed(kg)[FINAL] == graph


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc), e.g. a build's extraction workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_killed_build_continues_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETKG_BATCH_DOCUMENTS", "2")       # commits every two documents
    folder = samples(tmp_path, n=12)
    kg = tmp_path / "kg"
    command = [EXE, "build", str(folder), "--store", str(kg), "--no-validate"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = kg / MANIFEST_FILE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_text(encoding="utf-8").count("\n") >= 1:
            break
        time.sleep(0.02)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(alive, workers)):
        time.sleep(0.05)
    assert workers and not [w for w in workers if alive(w)], "the killed build's workers outlive it"
    done = len(committed(kg))
    reports = build([folder], kg, validate=False)
    skipped = sum(r.skipped for r in reports)
    assert all(r.ok for r in reports) and len(committed(kg)) == 13
    assert 1 <= done < 13, done                                # killed part-way
    assert skipped == done                                   # what was committed is not made again
