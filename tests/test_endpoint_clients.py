"""`budgetkg serve` as real clients meet it, on 127.0.0.1: SPARQLWrapper, rdflib's SPARQLStore,
plain HTTP and `budgetkg query <url>/sparql` each get the answer `budgetkg query <folder>` gives;
a busy port is one line; the endpoint is compared with the Oxigraph server on the same data."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLES, free_port, wait_until_up

EXE = str(Path(sys.executable).parent / "budgetkg")
TOTALS = Path(__file__).resolve().parents[1] / "queries" / "totals.rq"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    kg = tmp_path_factory.mktemp("clients") / "kg"
    assert cli("build", str(SAMPLES), "--store", str(kg), "--no-validate").returncode == 0
    port = free_port()
    proc = subprocess.Popen([EXE, "serve", str(kg), "--port", str(port), "--max-running", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, "/queries", proc)
    yield kg, url, port
    proc.terminate()
    proc.wait(timeout=10)


def local_totals(kg: Path) -> list[list[str]]:
    out = cli("query", str(kg), "totals", "--format", "csv").stdout
    return [line.split(",") for line in out.strip().splitlines()]


def test_budgetkg_query_against_its_own_endpoint(served):
    kg, url, _ = served
    r = cli("query", url + "/sparql", "totals", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert [line.split(",") for line in r.stdout.strip().splitlines()] == local_totals(kg)
    assert ["大连市数字经济促进局", "2024", "预算", "12500000", "4500000", "8000000"] == local_totals(kg)[2][:6]
    r = cli("query", url + "/sparql", "subject", "-p", "code=2150805")
    assert r.returncode == 0 and r.stdout.strip().endswith("2 row(s)")
    r = cli("query", url + "/sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert r.returncode == 1 and r.stderr.strip() == "Error: SERVICE (federated query) is not allowed on this endpoint"


def test_sparqlwrapper_and_rdflib_sparqlstore(served):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper, TURTLE
    kg, url, _ = served
    want = [row[:6] for row in local_totals(kg)[1:]]
    text = TOTALS.read_text(encoding="utf-8")
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(text)
    for method in ("GET", "POST"):
        sw.setMethod(method)
        sw.setReturnFormat(JSON)
        data = sw.query().convert()
        got = [[b[v]["value"] for v in ("department", "year", "kind", "total", "basic", "project")]
               for b in data["results"]["bindings"]]
        assert got == want, method
    sw.setMethod("GET")
    sw.setReturnFormat(CSV)
    assert [line.split(",")[:6] for line in sw.query().convert().decode().strip().splitlines()[1:]] == want
    sw.setReturnFormat(XML)
    assert sw.query().convert().getElementsByTagName("result").length == 2
    sw.setQuery("CONSTRUCT { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> } "
                "WHERE { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> }")
    sw.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=sw.query().convert(), format="turtle")) == 2
    g = Graph(store=SPARQLStore(url + "/sparql"))
    rows = [[str(x) for x in r[:6]] for r in g.query(text)]
    assert rows == want


def test_plain_http_answers_as_the_cli(served):
    kg, url, _ = served
    r = httpx.get(url + "/queries/totals", headers={"accept": "text/csv"})
    assert [line.split(",") for line in r.text.strip().splitlines()] == local_totals(kg)
    r = httpx.post(url + "/sparql", content=TOTALS.read_bytes(), headers={"content-type": "application/sparql-query",
                                                                        "accept": "text/csv"})
    assert [line.split(",") for line in r.text.strip().splitlines()] == local_totals(kg)


def test_serve_on_a_busy_port_is_one_line(served):
    kg, _, port = served
    r = cli("serve", str(kg), "--port", str(port))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip() == f"Error: port {port} on 127.0.0.1 is already in use; choose another with --port"


def test_debug_on_a_missing_file_is_one_line(tmp_path):
    r = cli("debug", str(tmp_path / "missing.pdf"))
    assert r.returncode == 1 and r.stderr.strip() == f"Error: {tmp_path / 'missing.pdf'}: no such file"
    (tmp_path / "not.pdf").write_text("hello")
    r = cli("debug", str(tmp_path / "not.pdf"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
