"""The Dask engine against a real cluster: a `dask scheduler` and two `dask worker` processes
started here on 127.0.0.1 (free ports, stopped at the end). Each task writes its document's
gzipped N-Quads shard, named by the document's sha256, into the shard folder; the shards are
loaded into an embedded store and into an Oxigraph server, and every named question answers
with the same rows as from a store the local engine built."""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetkg.cli import app
from budgetkg.graph.build import build
from budgetkg.graph.queries import named_queries
from tests.conftest import SAMPLES, corpus_file, free_port, oxigraph_server

pytest.importorskip("distributed", reason="dask[distributed] is part of the test extra")

BIN = Path(sys.executable).parent
EXE = str(BIN / "budgetkg")
runner = CliRunner()


def _stop(procs: list[subprocess.Popen]) -> None:
    """Stop the processes this module started, each with its own children (a worker's nanny
    spawns the worker process): each was started as the leader of a process group of its own."""
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(p.pid, signal.SIGKILL)      # what is left of the group
        except ProcessLookupError:
            pass
        p.wait(timeout=5)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """tcp://127.0.0.1:<port> of a scheduler with two single-thread workers attached."""
    from distributed import Client
    tmp = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(BIN / "dask")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        for i in (1, 2):
            procs.append(subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                           "--nworkers", "1", "--name", f"w{i}", "--no-dashboard",
                                           "--local-directory", str(tmp / f"w{i}")],
                                          cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    finally:
        _stop(procs)


@pytest.fixture
def oxigraph(tmp_path):
    with oxigraph_server(tmp_path / "server") as url:
        yield url


def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for f in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    shutil.copy(corpus_file("003"), folder / "shanhaiguan.txt")
    (folder / "empty.txt").write_bytes(b"")       # a document that fails, on a worker
    return folder


def answers(store: str) -> dict[str, list[str]]:
    """Every named question's rows (CSV lines, sorted: ties may come in any order)."""
    out = {}
    for name in named_queries():
        r = runner.invoke(app, ["query", store, name, "--format", "csv"])
        assert r.exit_code == 0, (name, r.output)
        lines = r.stdout.replace("\r\n", "\n").strip().splitlines()
        out[name] = lines[:1] + sorted(lines[1:])
    return out


def test_dask_cluster_builds_the_same_graph(scheduler, oxigraph, tmp_path):
    folder = documents(tmp_path)
    shards, kg = tmp_path / "shards", tmp_path / "kg-dask"
    r = subprocess.run([EXE, "build", str(folder), "--store", str(kg), "--engine", "dask",
                        "--scheduler", scheduler, "--shards", str(shards)], capture_output=True, text=True,
                       timeout=600)
    # the empty file fails on its worker and is reported; the others are built
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"FAIL {folder / 'empty.txt'}: " in r.stdout
    assert f"3 of 4 documents built into {kg}" in r.stdout
    assert "Error: 1 document(s) could not be built" in r.stderr
    # one gzipped N-Quads shard per document built, named by the sha256 of its content
    expected = {hashlib.sha256(f.read_bytes()).hexdigest() + ".nq.gz"
                for f in folder.iterdir() if f.stat().st_size}
    assert {p.name for p in shards.iterdir()} == expected
    for p in shards.iterdir():
        text = gzip.decompress(p.read_bytes()).decode("utf-8")
        assert f"/document/{p.name[:16]}> ." in text             # its own graph

    local = tmp_path / "kg-local"
    assert runner.invoke(app, ["build", str(folder), "--store", str(local), "--workers", "2"]).exit_code == 1
    ours, theirs = answers(str(kg)), answers(str(local))
    assert ours == theirs
    assert sum(len(v) - 1 for v in ours.values()) > 50       # the questions do answer
    assert any("山海关区科技和工信部门,2023,预算" in line for line in ours["totals"])

    # the same cluster, the shards loaded into an Oxigraph server (one SPARQL Update per document)
    r = subprocess.run([EXE, "build", str(folder), "--store", oxigraph, "--engine", "dask",
                        "--scheduler", scheduler], capture_output=True, text=True, timeout=600)
    assert "3 of 4 documents built into" in r.stdout, r.stdout + r.stderr
    assert answers(oxigraph) == theirs

    # unchanged documents are skipped by the manifest whichever engine built them
    r = subprocess.run([EXE, "build", str(folder), "--store", str(local), "--engine", "dask",
                        "--scheduler", scheduler], capture_output=True, text=True, timeout=600)
    assert "3 of 4 documents built into" in r.stdout and answers(str(local)) == theirs


def test_local_cluster_when_no_scheduler_is_given(tmp_path):
    kg = tmp_path / "kg"
    reports = build([SAMPLES / "dalian_digital_2024_budget.txt"], kg, engine="dask", workers=1)
    assert [r.ok for r in reports] == [True]
    assert reports[0].source == str(SAMPLES / "dalian_digital_2024_budget.txt")
    rows = runner.invoke(app, ["query", str(kg), "totals", "--format", "csv"]).stdout
    assert len(rows.strip().splitlines()) == 2


def test_unknown_engine_is_one_line():
    r = runner.invoke(app, ["build", str(SAMPLES), "--store", "unused", "--engine", "spark"])
    assert r.exit_code == 1
    assert r.output.strip() == "Error: --engine: unknown engine 'spark': choose one of local, dask"
