"""A remote store: a real Oxigraph server (pip's `oxigraph`), started here on 127.0.0.1.
Graphs go in with the Graph Store Protocol; the same questions get the same answers."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from budgetkg.cli import app
from tests.conftest import corpus_file, free_port, oxigraph_server

runner = CliRunner()


@pytest.fixture
def server(tmp_path):
    with oxigraph_server(tmp_path / "server") as url:
        yield url


def test_build_query_check_export_remote(server, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_file("003"), folder / "shanhaiguan.txt")
    r = runner.invoke(app, ["build", str(folder), "--store", server])
    assert r.exit_code == 0, r.output
    local = tmp_path / "kg"
    assert runner.invoke(app, ["build", str(folder), "--store", str(local)]).exit_code == 0
    remote_rows = runner.invoke(app, ["query", server, "totals", "--format", "csv"]).stdout
    local_rows = runner.invoke(app, ["query", str(local), "totals", "--format", "csv"]).stdout
    assert "山海关区科技和工信部门,2023,预算,9987700,2588800,7398900" in remote_rows
    assert remote_rows.replace("\r\n", "\n") == local_rows
    r = runner.invoke(app, ["query", server, "subject", "-p", "code=2150517", "--format", "csv"])
    rows = [line.split(",") for line in r.stdout.strip().splitlines()[1:]]
    # two tables list it: the same figure once
    assert {(row[0], row[7]) for row in rows} == {("2150517", "4970000")} and len(rows) == 1
    r = runner.invoke(app, ["query", server, "subject", "-p", "code=2150517"])
    assert r.stdout.strip().endswith("1 row(s)")
    r = runner.invoke(app, ["check", server, "--severity", "info"])
    assert r.exit_code == 0 and r.output.strip().endswith("0 error(s), 0 warning(s), 16 info")
    out = tmp_path / "remote.nq"
    assert runner.invoke(app, ["export", server, "-o", str(out)]).exit_code == 0
    graphs = {line.rsplit(" ", 2)[-2] for line in out.read_text(encoding="utf-8").splitlines() if line}
    assert "<https://w3id.org/budgetkg/graph/ontology>" in graphs and any("/document/" in g for g in graphs)


def test_failed_rebuild_keeps_remote_graph(server, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "doc.txt"
    shutil.copy(corpus_file("003"), doc)
    assert runner.invoke(app, ["build", str(folder), "--store", server]).exit_code == 0
    doc.write_bytes(b"")
    r = runner.invoke(app, ["build", str(folder), "--store", server])
    assert r.exit_code == 1 and "empty file" in r.output
    assert "9987700" in runner.invoke(app, ["query", server, "totals", "--format", "csv"]).stdout


def test_unreachable_server_is_one_clear_error(tmp_path):
    r = runner.invoke(app, ["query", f"http://127.0.0.1:{free_port()}", "totals"])
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "remote store unreachable" in r.output
