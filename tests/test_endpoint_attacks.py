"""The endpoint attacked as it was from outside: the parser crash, SERVICE bypasses (SSRF), slow
queries that held their slots, a flood, a result blow-up, XSS through data, and requests that
gave 500. Each answer must be a 4xx (503 when busy) with one line, and the server must go on."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from budgetkg.graph.server import ServerSettings, create_app
from tests.conftest import SAMPLES

DOCS = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NESTED = "SELECT * WHERE " + "{" * 3000 + "}" * 3000


@pytest.fixture(scope="module")
def kg(tmp_path_factory) -> Path:
    from budgetkg.graph.build import build
    path = tmp_path_factory.mktemp("attacks") / "kg"
    assert all(r.ok for r in build([SAMPLES], path, validate=False))
    return path


@pytest.fixture
def anyio_backend():
    return "asyncio"


class App:
    """An endpoint with its own settings, closed (its workers killed) at the end."""

    def __init__(self, kg: Path, **settings) -> None:
        self.app = create_app(kg, ServerSettings(**settings))

    async def __aenter__(self) -> httpx.AsyncClient:
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://t")
        return self.client

    async def __aexit__(self, *_) -> None:
        await self.client.aclose()
        self.app.state.pool.close()


def one_line_4xx(r: httpx.Response, *, status: int | None = None) -> str:
    assert 400 <= r.status_code < 500 or r.status_code == 503, (r.status_code, r.text)
    if status is not None:
        assert r.status_code == status, (r.status_code, r.text)
    assert r.text.startswith("Error: ") and r.text.count("\n") <= 1, r.text
    return r.text


@pytest.mark.anyio
async def test_deep_nesting_is_refused_not_a_crash(kg):
    async with App(kg, max_running=1) as c:
        r = await c.get("/sparql", params={"query": NESTED})
        assert "nested too deeply" in one_line_4xx(r, status=400)
        r = await c.post("/sparql", content=NESTED.encode(), headers={"content-type": "application/sparql-query"})
        assert "nested too deeply" in one_line_4xx(r, status=400)
        assert (await c.get("/sparql", params={"query": DOCS})).status_code == 200


@pytest.mark.anyio
async def test_engine_crash_past_a_loosened_guard_costs_one_worker(kg):
    """With the guard's limits lifted, 20,000 nested groups reach the engine: the worker may die
    on its stack, the request gets a 4xx, and the next query is answered."""
    async with App(kg, max_running=1, max_depth=10**6, max_query_bytes=10**6, max_body_bytes=10**6) as c:
        deep = "SELECT * WHERE " + "{" * 20000 + "}" * 20000
        r = await c.post("/sparql", content=deep.encode(), headers={"content-type": "application/sparql-query"})
        assert r.status_code in (200, 400), r.text
        assert (await c.get("/sparql", params={"query": DOCS})).json()["results"]["bindings"][0]["n"]["value"] == "2"


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records whether anyone connected (the SSRF target)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.2)
    hits: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                hits.append(conn.recv(200))
                conn.close()
            except OSError:
                pass
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1], hits
    stop.set()
    t.join(2)
    srv.close()


@pytest.mark.anyio
async def test_service_refused_in_every_position(kg, listener):
    port, hits = listener
    target = f"<http://127.0.0.1:{port}/sparql>"
    attacks = [
        f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER(1 < 2) SERVICE {target} {{?s ?p ?o}} FILTER(2 > 1) }}",
        f'SELECT * WHERE {{ BIND("a\\"b" AS ?x) SERVICE {target} {{ ?s ?p ?o }} }}',
        f'SELECT * WHERE {{ BIND("""a"b""" AS ?x) SERVICE {target} {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ BIND('it''s' AS ?x) service SILENT {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment }}\n SeRvIcE {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {{ SERVICE {target} {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE{target}{{?s?p?o}} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE {target} {{ ?s ?p ?o }} }} }}",
    ]
    async with App(kg, max_running=1) as c:
        for q in attacks:
            r = await c.get("/sparql", params={"query": q})
            assert "SERVICE" in one_line_4xx(r, status=400), q
            r = await c.post("/sparql", data={"query": q})
            assert r.status_code == 400, q
    await asyncio.sleep(0.3)
    assert hits == []                      # the engine never called out
    # a string or IRI that merely contains the word is a query like any other
    async with App(kg, max_running=1) as c:
        r = await c.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE <http://x/> {}" AS ?x) }'})
        assert r.status_code == 200 and "SERVICE" in r.json()["results"]["bindings"][0]["x"]["value"]


@pytest.mark.anyio
async def test_a_timed_out_query_is_stopped_and_frees_its_slot(kg):
    async with App(kg, max_running=1, timeout_s=0.5, queue_wait_s=5) as c:
        for _ in range(3):                 # more slow queries than workers: each one is stopped
            r = await c.get("/sparql", params={"query": SLOW})
            assert "timed out after 0.5 s" in one_line_4xx(r, status=503)
            assert r.headers["retry-after"]
        r = await c.get("/sparql", params={"query": DOCS})
        assert r.status_code == 200, r.text            # the only worker is free again


@pytest.mark.anyio
async def test_a_flood_waits_in_a_bounded_queue(kg):
    async with App(kg, max_running=2, max_queue=64, queue_wait_s=10) as c:
        rs = await asyncio.gather(*[c.get("/queries/totals") for _ in range(16)])
        assert [r.status_code for r in rs] == [200] * 16          # they wait their turn
    async with App(kg, max_running=1, timeout_s=1, max_queue=1, queue_wait_s=0.2) as c:
        rs = await asyncio.gather(*[c.get("/sparql", params={"query": SLOW}) for _ in range(4)])
        busy = [r for r in rs if "busy" in r.text]
        assert busy and all(r.status_code == 503 and r.headers["retry-after"] for r in busy)
        assert all(one_line_4xx(r) for r in rs)


@pytest.mark.anyio
async def test_a_huge_body_is_refused_without_freezing_others(kg):
    async with App(kg, max_running=1) as c:
        body = b"<a" * 80_000                                   # the 156 KB regex freezer
        slow = asyncio.create_task(c.post("/sparql", content=body, headers={"content-type": "application/sparql-query"}))
        r = await c.get("/sparql", params={"query": DOCS})
        assert r.status_code == 200
        assert "too large" in one_line_4xx(await slow, status=400)
        r = await c.post("/sparql", content=b"x" * 600_000, headers={"content-type": "application/sparql-query"})
        assert "body too large" in one_line_4xx(r, status=413)


@pytest.mark.anyio
async def test_a_blow_up_is_capped_in_bytes_and_memory(kg):
    grow = 'BIND("0123456789" AS ?a0) ' + " ".join(
        f"BIND(CONCAT(?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(9))
    async with App(kg, max_running=1, timeout_s=5, memory_mb=768, max_result_bytes=1_000_000) as c:
        r = await c.get("/sparql", params={"query": f"SELECT ?a9 WHERE {{ {grow} }}"})
        one_line_4xx(r)                     # 10 GB of text: the worker's memory cap stops it
        r = await c.get("/sparql", params={"query": f"SELECT ?a5 WHERE {{ {grow.rsplit('BIND', 4)[0]} ?s ?p ?o }}"},
                        headers={"accept": "text/csv"})
        assert r.status_code == 200 and len(r.content) <= 1_000_000 and r.headers["x-truncated"].startswith("true")
        assert (await c.get("/sparql", params={"query": DOCS})).status_code == 200


@pytest.mark.anyio
async def test_requests_that_gave_500_are_4xx(kg):
    async with App(kg, max_running=1) as c:
        cases = [
            c.get("/queries/describe", params={"resource": "not an iri"}),
            c.get("/queries/subject", params={"nope": "1"}),
            c.get("/sparql?query=%ff%fe"),
            c.post("/sparql", content=b"SELECT * WHERE { ?s ?p \xff }", headers={"content-type": "application/sparql-query"}),
            c.post("/sparql", content=b"query=%ff", headers={"content-type": "application/x-www-form-urlencoded"}),
            c.post("/sparql", content=b"{}", headers={"content-type": "application/json"}),
            c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o", "format": "json"}),
            c.get("/sparql", params={"query": DOCS, "format": "png"}),
            c.get("/sparql", params={"query": 'SELECT * WHERE { BIND(IRI("::") AS ?x) }'}),
            c.get("/doc/%ff%fe"),
            c.get("/id/division/210200%00"),
            c.get("/queries/nope"),
            c.get("/nothing"),
        ]
        for r in await asyncio.gather(*cases):
            assert r.status_code < 500 or r.status_code == 503, (r.request.url, r.status_code, r.text)
            if r.status_code >= 400:
                one_line_4xx(r)


@pytest.fixture(scope="module")
def hostile_kg(tmp_path_factory) -> Path:
    """A store whose data carries script: a javascript: IRI and markup in literals."""
    path = tmp_path_factory.mktemp("hostile") / "kg"
    st = ox.Store(str(path))
    base = "https://w3id.org/budgetkg/id/"
    s, g = ox.NamedNode(base + "division/999999"), ox.NamedNode(base + "document/evil")
    st.extend([
        ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal('<script>alert(1)</script>"'), g),
        ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), ox.NamedNode("javascript:alert(1)"), g),
        ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal("<img src=x onerror=alert(1)>"), g),
    ])
    st.flush()
    del st
    return path


@pytest.mark.anyio
async def test_no_script_reaches_a_page(hostile_kg):
    async with App(hostile_kg, max_running=1) as c:
        pages = [await c.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "format": "html"}),
                 await c.get("/id/division/999999", headers={"accept": "text/html"}, follow_redirects=True)]
        for r in pages:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
            assert "<script>" not in r.text and "<img" not in r.text
            assert 'href="javascript:' not in r.text.lower()
            assert "javascript:alert(1)" in r.text                  # shown, as text
            assert "default-src 'self'" in r.headers["content-security-policy"]


def test_cli_query_refuses_the_crash_and_service(kg):
    exe = str(Path(sys.executable).parent / "budgetkg")
    r = subprocess.run([exe, "query", str(kg), NESTED], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.strip() == "Error: query nested too deeply (more than 64 levels of brackets)"
    r = subprocess.run([exe, "query", str(kg), 'SELECT * WHERE { BIND("\\"" AS ?x) SERVICE <http://127.0.0.1:9/> {} }'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.strip() == "Error: SERVICE (federated query) is not allowed on this endpoint"
