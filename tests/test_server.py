"""The SPARQL 1.1 Protocol endpoint over the real corpus: GET, POST form and direct; every query
form in every format by Accept (406 otherwise); dataset parameters; linked data that resolves
(Chinese IRIs included); the service description; CORS."""
import json

import httpx
import pyoxigraph as ox
import pytest

from budgetkg.graph.server import ServerSettings, create_app

Q = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#BudgetDocument> }"
BKG = "https://w3id.org/budgetkg/ontology#"


@pytest.fixture(scope="module")
def app(corpus_store):
    app = create_app(corpus_store, ServerSettings(max_running=2))
    yield app
    app.state.pool.close()


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


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
    assert r.status_code == 400 and "read-only" in r.text
    r = await client.post("/sparql", content=b"DROP ALL", headers={"content-type": "application/sparql-update"})
    assert r.status_code == 400 and "read-only" in r.text


@pytest.mark.anyio
async def test_named_query_with_bound_parameter(client):
    r = await client.get("/queries/subject", params={"code": "2150805", "format": "csv"})
    assert r.status_code == 200
    assert r.text.splitlines()[1].startswith("2150805,沈阳市工业和信息化局,2024")


@pytest.mark.anyio
async def test_select_in_every_results_format(client):
    q = ("SELECT ?year WHERE { ?d a <%sBudgetDocument> ; <%sfiscalYear> ?year } ORDER BY ?year" % (BKG, BKG))
    q = "PREFIX obeu: <http://data.openbudgets.eu/ontology/dsd/dimension/> " + q.replace(f"<{BKG}fiscalYear>", "obeu:fiscalYear")
    r = await client.get("/sparql", params={"query": Q}, headers={"accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+xml")
    assert '<binding name="n"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">4</literal>' in r.text
    r = await client.get("/sparql", params={"query": Q}, headers={"accept": "text/csv"})
    assert r.text == "n\r\n4\r\n"
    r = await client.get("/sparql", params={"query": Q}, headers={"accept": "text/tab-separated-values"})
    assert r.text.splitlines() == ["?n", '"4"^^<http://www.w3.org/2001/XMLSchema#integer>']
    # q-values: the client prefers CSV over JSON
    r = await client.get("/sparql", params={"query": Q},
                         headers={"accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    # format= when given
    r = await client.get("/sparql", params={"query": Q, "format": "xml"}, headers={"accept": "text/csv"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.anyio
async def test_ask_construct_describe(client):
    r = await client.get("/sparql", params={"query": f"ASK {{ ?d a <{BKG}BudgetDocument> }}"})
    assert r.json() == {"head": {}, "boolean": True}
    construct = (f"CONSTRUCT {{ ?d a <{BKG}BudgetDocument> }} WHERE {{ ?d a <{BKG}BudgetDocument> }}")
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                        ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
        r = await client.get("/sparql", params={"query": construct}, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept), (accept, r.text)
        assert len(list(ox.parse(r.content, format=fmt))) == 4        # the four documents
    r = await client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/budgetkg/id/division/210100>"},
                         headers={"accept": "text/turtle"})
    assert "沈阳市" in r.text
    # a graph cannot be SPARQL JSON, results cannot be Turtle: 406 with what is offered
    r = await client.get("/sparql", params={"query": construct}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 406 and "text/turtle" in r.text
    r = await client.get("/sparql", params={"query": Q}, headers={"accept": "image/png"})
    assert r.status_code == 406


@pytest.mark.anyio
async def test_default_and_named_graph_uri(client):
    r = await client.get("/sparql", params={"query": f"SELECT ?d WHERE {{ ?d a <{BKG}BudgetDocument> }}"})
    docs = sorted(b["d"]["value"] for b in r.json()["results"]["bindings"])
    r = await client.get("/sparql", params={"query": Q, "default-graph-uri": docs[0]})
    assert await _n(r) == 1                                     # only that document's graph
    r = await client.get("/sparql", params={
        "query": f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?d a <{BKG}BudgetDocument> }} }}",
        "named-graph-uri": docs[:2]})
    assert await _n(r) == 2
    r = await client.get("/sparql", params={"query": Q, "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "default-graph-uri is not an absolute IRI" in r.text


@pytest.mark.anyio
async def test_every_iri_is_dereferenced(client):
    r = await client.get("/id/division/210100", headers={"accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == "/doc/division/210100"
    r = await client.get("/id/division/210100", headers={"accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "沈阳市" in r.text and "210100" in r.text
    r = await client.get("/doc/division/210100", headers={"accept": "text/html"})
    assert r.status_code == 200 and "<title>沈阳市</title>" in r.text and 'href="/id/division/210000"' in r.text
    r = await client.get("/id/nothing/here", follow_redirects=True)
    assert r.status_code == 404


@pytest.mark.anyio
async def test_department_iris_with_chinese_resolve(client):
    """Department and unit IRIs hold Chinese (percent-encoded when minted): every one answers,
    whichever way the client encodes the path."""
    r = await client.get("/sparql", params={"query": "SELECT DISTINCT ?x WHERE { ?x a ?t "
                                            "FILTER(CONTAINS(STR(?x), '/department/') || CONTAINS(STR(?x), '/unit/')) }"})
    iris = [b["x"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(iris) >= 4
    for iri in iris:
        path = iri.split("/id/", 1)[1]
        for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                            ("application/n-triples", ox.RdfFormat.N_TRIPLES)):
            r = await client.get("/id/" + path, headers={"accept": accept}, follow_redirects=True)
            assert r.status_code == 200, (iri, r.text)
            assert any(t.subject.value == iri for t in ox.parse(r.content, format=fmt))
    from urllib.parse import unquote
    dept = next(i for i in iris if "/department/" in i)
    r = await client.get("/doc/" + unquote(dept.split("/id/", 1)[1]), headers={"accept": "text/html"})
    assert r.status_code == 200 and "工业和信息化局" in r.text.split("<title>")[1].split("</title>")[0]


@pytest.mark.anyio
async def test_service_description_tells_the_truth(client):
    import rdflib
    r = await client.get("/.well-known/void")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    ds = next(g.subjects(rdflib.RDF.type, void.Dataset))
    assert str(g.value(ds, void.sparqlEndpoint)) == "http://test/sparql"
    assert int(g.value(ds, void.documents)) == 4
    formats = {str(o).rsplit("/", 1)[1] for o in g.objects(None, sd.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "JSON-LD", "RDF_XML"}
    assert sd.BasicFederatedQuery not in set(g.objects(None, sd.feature))     # SERVICE is refused
    # the endpoint URL without a query answers its description (SPARQL 1.1 Service Description)
    r = await client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and "sd:SPARQL11Query" in r.text


@pytest.mark.anyio
async def test_cors_for_get_and_post(client):
    r = await client.options("/sparql", headers={"origin": "https://app.example", "access-control-request-method": "POST",
                                                "access-control-request-headers": "content-type"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] in ("*", "https://app.example")
    assert "POST" in r.headers["access-control-allow-methods"]
    r = await client.get("/sparql", params={"query": Q}, headers={"origin": "https://app.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    r = await client.post("/sparql", data={"query": Q}, headers={"origin": "https://app.example"})
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.anyio
async def test_results_capped_in_bytes_and_marked(corpus_store):
    settings = ServerSettings(max_running=1, max_result_bytes=2000)
    app = create_app(corpus_store, settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
            for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+json",
                           "application/sparql-results+xml"):
                r = await c.get("/sparql", params={"query": q}, headers={"accept": accept})
                assert r.status_code == 200 and len(r.content) < 3000, accept
                assert r.headers["x-truncated"].startswith("true"), accept
            r = await c.get("/sparql", params={"query": q}, headers={"accept": "application/sparql-results+json"})
            assert json.loads(r.content)["head"]["link"] == ["#truncated"]
    finally:
        app.state.pool.close()
