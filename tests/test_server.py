"""The SPARQL 1.1 Protocol endpoint: GET, POST form and direct; read-only; no SERVICE."""
import httpx
import pytest

from budgetkg.graph.server import create_app

Q = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> }"


@pytest.fixture(scope="module")
def client(store):
    transport = httpx.ASGITransport(app=create_app(store))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def _n(resp):
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/sparql-results+json")
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.anyio
async def test_get_post_form_and_direct(client):
    assert await _n(await client.get("/sparql", params={"query": Q})) == 4
    assert await _n(await client.post("/sparql", data={"query": Q})) == 4
    assert await _n(await client.post("/sparql", content=Q.encode(),
                                      headers={"content-type": "application/sparql-query"})) == 4


@pytest.mark.anyio
async def test_update_refused(client):
    r = await client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400 and "read-only" in r.text
    r = await client.get("/sparql", params={"query": "DROP ALL"})
    assert r.status_code == 400


@pytest.mark.anyio
async def test_service_refused(client):
    r = await client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.text


@pytest.mark.anyio
async def test_named_query_with_bound_parameter(client):
    r = await client.get("/queries/subject", params={"code": "2150805", "format": "csv"})
    assert r.status_code == 200
    assert r.text.splitlines()[1].startswith("2150805,沈阳市工业和信息化局,2024")


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_every_iri_is_dereferenced(client):
    r = await client.get("/id/division/210100", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "沈阳市" in r.text and "210100" in r.text
    r = await client.get("/id/division/210100", headers={"accept": "text/html"})
    assert r.status_code == 200 and "<table>" in r.text and 'href="/id/division/210000"' in r.text
    r = await client.get("/id/nothing/here")
    assert r.status_code == 404


@pytest.mark.anyio
async def test_void_description(client):
    import rdflib
    r = await client.get("/.well-known/void")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = next(g.subjects(rdflib.RDF.type, void.Dataset))
    assert str(g.value(ds, void.sparqlEndpoint)) == "http://test/sparql"
    assert int(g.value(ds, void.documents)) == 4


@pytest.mark.anyio
async def test_timeout_and_busy(store):
    from budgetkg.graph.server import ServerSettings
    # about 2 s of work: past a 0.2 s timeout, yet it ends soon after the test
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 6000 } "
            "{ SELECT ?d WHERE { ?d ?e ?f } LIMIT 6000 } }")
    settings = ServerSettings(timeout_s=0.2, max_running=1)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store, settings)), base_url="http://t") as c:
        r = await c.get("/sparql", params={"query": slow})
        assert r.status_code == 400 and "timed out after 0.2 s" in r.text
        r = await c.get("/sparql", params={"query": Q})            # the slow one still holds the only slot
        assert r.status_code == 503 and "too many queries running" in r.text
