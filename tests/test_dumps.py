"""/dumps/ against a running `budgetkg serve`: the gzipped N-Quads of the served snapshot, whole
and per document, listed and named in VoID, and regenerated when a build publishes a new one."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from budgetkg.extract.vocab import REFERENCE_GRAPHS
from budgetkg.extract.topics import TOPICS_GRAPH
from budgetkg.graph.across import ACROSS_GRAPH
from budgetkg.graph.project_links import PROJECT_LINKS_GRAPH
import pytest

from tests.conftest import SAMPLES, serving

EXE = str(Path(sys.executable).parent / "budgetkg")
DOC = "https://w3id.org/budgetkg/ontology#BudgetDocument"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("dumps")
    src, kg = root / "src", root / "kg"
    src.mkdir()
    shutil.copy(SAMPLES / "dalian_digital_2024_budget.txt", src)
    subprocess.run([EXE, "build", str(src), "--store", str(kg)], check=True, capture_output=True)
    with serving(kg) as url:
        yield url, src, kg


def quads(data: bytes) -> list:
    return list(ox.parse(gzip.decompress(data), format=ox.RdfFormat.N_QUADS))


def listing(url: str) -> dict:
    return {f["name"]: f for f in httpx.get(url + "/dumps/", headers={"accept": "application/json"}).json()}


def test_whole_and_per_document_dumps_after_each_build(served):
    url, src, kg = served
    files = listing(url)
    assert sorted(files) == ["all.nq.gz", "document/cdbd905e594d9b92.nq.gz"]
    whole = httpx.get(url + "/dumps/all.nq.gz")
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/gzip"
    every = quads(whole.content)
    assert len(every) == files["all.nq.gz"]["quads"]
    # the graphs made over the whole store name the version of the code that made them, even
    # with no finding and no link yet (one document)
    assert {q.graph_name.value for q in every} == {"https://w3id.org/budgetkg/graph/ontology",
                                                   "https://w3id.org/budgetkg/id/document/cdbd905e594d9b92",
                                                   *REFERENCE_GRAPHS.values(), TOPICS_GRAPH,
                                                   ACROSS_GRAPH, PROJECT_LINKS_GRAPH}
    one = quads(httpx.get(url + "/dumps/document/cdbd905e594d9b92.nq.gz").content)
    assert {q.graph_name.value for q in one} == {"https://w3id.org/budgetkg/id/document/cdbd905e594d9b92"}
    assert set(one) == {q for q in every if q.graph_name.value.endswith("cdbd905e594d9b92")}
    # what the endpoint answers is what the dump holds: the 2024 total of 12,500,000 元
    totals = [q for q in one if q.predicate.value.endswith("/measure/amount") and q.object.value == "12500000"]
    assert totals
    # a second document built into the same store: the next request sees it in the dumps
    shutil.copy(SAMPLES / "dalian_digital_2023_final.txt", src)
    subprocess.run([EXE, "build", str(src), "--store", str(kg)], check=True, capture_output=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(listing(url)) < 3:
        time.sleep(0.2)
    files = listing(url)
    assert sorted(files) == ["all.nq.gz", "document/ad1b5e3b5018b4b5.nq.gz", "document/cdbd905e594d9b92.nq.gz"]
    every = quads(httpx.get(url + "/dumps/all.nq.gz").content)
    docs = {q.subject.value for q in every if q.predicate.value.endswith("#type") and q.object.value == DOC}
    assert len(docs) == 2
    assert len([p for p in (kg / "dumps").iterdir() if p.name.isdigit()]) == 1     # the older set is gone


def test_dumps_listed_in_html_and_void(served):
    url, _, _ = served
    page = httpx.get(url + "/dumps/").text
    assert '<a href="/dumps/all.nq.gz">all.nq.gz</a>' in page
    void = httpx.get(url + "/.well-known/void", headers={"accept": "text/turtle"}).text
    g = list(ox.parse(void.encode(), format=ox.RdfFormat.TURTLE))
    dumps = {t.object.value for t in g if t.predicate.value == "http://rdfs.org/ns/void#dataDump"}
    assert url + "/dumps/all.nq.gz" in dumps
    for name in listing(url):
        assert url + "/dumps/" + name in dumps                         # every file of the set is named
        assert httpx.get(url + "/dumps/" + name).status_code == 200


def test_only_files_of_the_set_are_served(served):
    url, _, _ = served
    for bad in ("../../etc/passwd", "%2e%2e/manifest.json", "manifest.json", "document/", "x.nq.gz"):
        r = httpx.get(url + "/dumps/" + bad)
        assert r.status_code == 404 and r.text.startswith("Error: "), bad
