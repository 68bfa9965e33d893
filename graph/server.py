"""The public SPARQL 1.1 Protocol endpoint and the linked-data pages, safe to put on the
internet: every query passes the guard (graph/guard.py: SERVICE, Update, size, nesting) before
the engine sees it, runs in a worker process that a timeout really stops (graph/workers.py),
behind a bounded queue; bodies and answers are capped in bytes; every refusal is a 4xx (503 when
busy) with one line saying why. The store is read through its newest snapshot, so a finished
build is served without a restart."""
from __future__ import annotations

import asyncio
import json
import sys
from contextlib import asynccontextmanager
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..extract.errors import BudgetKGError, QueryError, ServiceBusy, StoreError
from ..extract.vocab import DEFAULT_BASE
from .formats import Answer, media_type, negotiate
from .guard import Limits, check_query
from .dumps import ensure_dumps
from .pages import dumps_page, index_page, query_page, resource_page, results_page, subject_matrix, table
from .queries import bind, get_query, named_queries, with_values
from .store import current_snapshot
from .workers import Job, QueryPool, store_snapshot

_RESULT_FORMATS = ["json", "xml", "csv", "tsv"]
_GRAPH_FORMATS = ["turtle", "ntriples", "jsonld", "rdfxml"]
_RDF = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML}
STATIC = Path(__file__).parent / "static"
#: the YASGUI bundle tools/vendor_yasgui.sh puts here (not committed: third-party build output)
YASGUI_JS = STATIC / "yasgui" / "yasgui.min.js"
_DOC_TYPE = "https://w3id.org/budgetkg/ontology#BudgetDocument"
_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'"


class PayloadTooLarge(QueryError):
    """The request body is over the endpoint's limit (413)."""
    status = 413


class UnsupportedMediaType(QueryError):
    """A POST body in a type the SPARQL Protocol does not define (415)."""
    status = 415


@dataclass
class ServerSettings:
    """The endpoint's limits; every one a command-line option of `budgetkg serve`."""
    timeout_s: float = 10.0
    max_results: int = 10_000           # rows (or triples) in one answer
    max_result_bytes: int = 16 * 1024 * 1024
    max_running: int = 4                # worker processes evaluating queries
    max_queue: int = 32                 # requests waiting for a worker; more get 503 at once
    queue_wait_s: float = 5.0           # how long a request waits for a worker before 503
    max_query_bytes: int = 64 * 1024
    max_depth: int = 64
    max_body_bytes: int = 256 * 1024
    memory_mb: int = 2048               # address space of one worker

    def __post_init__(self) -> None:
        for name in ("timeout_s", "max_results", "max_result_bytes", "max_running", "max_query_bytes",
                     "max_depth", "max_body_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ServerSettings.{name} must be positive, not {getattr(self, name)!r}")
        if self.max_queue < 0 or self.queue_wait_s < 0:
            raise ValueError("ServerSettings.max_queue and queue_wait_s must not be negative")

    @property
    def limits(self) -> Limits:
        return Limits(max_bytes=self.max_query_bytes, max_depth=self.max_depth)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]


def _params(raw: bytes | str) -> list[tuple[str, str]]:
    """Query-string or form parameters, strictly UTF-8 (anything else is a 400, not a 500)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=200)
    except UnicodeDecodeError:
        raise QueryError("the request is not valid UTF-8") from None
    except ValueError as exc:
        raise QueryError(f"bad request parameters: {exc}") from None


def _iris(values: list[str], what: str) -> list[str]:
    out = []
    for v in values:
        try:
            out.append(ox.NamedNode(v).value)
        except ValueError:
            raise QueryError(f"{what} is not an absolute IRI: {v[:200]!r}") from None
    return out


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past `limit` bytes without reading the rest."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"request body too large: {declared} bytes (at most {limit})")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body too large: over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _segments(raw: str) -> list[str]:
    """The IRI paths a request path may name: as minted (each segment percent-encoded the way
    the minter does, so Chinese names match whichever way a client encodes them), and as text."""
    parts = raw.split("/")
    try:
        decoded = [unquote(p, errors="strict") for p in parts]
    except UnicodeDecodeError:
        raise QueryError("the IRI path is not valid UTF-8") from None
    minted = "/".join(quote(p, safe="") for p in decoded)
    plain = "/".join(decoded)
    return list(dict.fromkeys([minted, raw, plain]))


def create_app(store: str | Path, settings: ServerSettings | None = None, base: str = DEFAULT_BASE) -> FastAPI:
    """The endpoint over a store folder (read through its newest snapshot, by worker processes)."""
    if isinstance(store, ox.Store):
        raise TypeError("create_app takes the store's folder: queries run in worker processes")
    path = Path(store)
    if not path.exists():
        raise StoreError("no store here (build one with `budgetkg build`)", source=str(path))
    settings = settings or ServerSettings()
    pool = QueryPool(store_snapshot(path), size=settings.max_running, timeout_s=settings.timeout_s,
                     max_queue=settings.max_queue, queue_wait_s=settings.queue_wait_s,
                     memory_mb=settings.memory_mb)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        pool.close()

    app = FastAPI(title="budgetkg SPARQL endpoint", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.pool = pool
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["Content-Type", "Accept"], expose_headers=["X-Truncated", "Retry-After"],
                       max_age=3600)

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    @app.exception_handler(BudgetKGError)
    async def _error(_: Request, exc: BudgetKGError) -> Response:
        status = 503 if exc.status >= 500 and not isinstance(exc, ServiceBusy) else exc.status
        headers = {"Retry-After": str(pool.retry_after)} if status == 503 else {}
        return PlainTextResponse(f"Error: {_one_line(exc)}\n", status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        return PlainTextResponse(f"Error: {_one_line(exc.detail)}\n", status_code=exc.status_code,
                                 headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        traceback.print_exception(exc, file=sys.stderr)
        return PlainTextResponse(f"Error: this request could not be answered ({type(exc).__name__})\n",
                                 status_code=400)

    def _answer(answer: Answer) -> Response:
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Truncated"] = f"true; rows={answer.rows}"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def _select_rows(text: str, subs: dict | None = None) -> dict:
        job = Job(text=text, fmt="json", max_rows=settings.max_results, max_bytes=settings.max_result_bytes,
                  substitutions=subs or {})
        return json.loads((await pool.run(job)).body)

    async def _query(request: Request, params: list[tuple[str, str]], text: str | None) -> Response:
        fmt = next((v for k, v in params if k == "format" and v), None)
        if not text:
            return await _service_description(request, fmt)
        checked = check_query(text, settings.limits)
        graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
        offered = _GRAPH_FORMATS if graph_form else _RESULT_FORMATS + (["html"] if checked.form == "SELECT" else [])
        chosen = negotiate(request.headers.get("accept"), fmt, offered, "turtle" if graph_form else "json")
        job = Job(text=text, fmt="json" if chosen == "html" else chosen, max_rows=settings.max_results,
                  max_bytes=settings.max_result_bytes,
                  default_graph=_iris([v for k, v in params if k == "default-graph-uri"], "default-graph-uri"),
                  named_graphs=_iris([v for k, v in params if k == "named-graph-uri"], "named-graph-uri"))
        answer = await pool.run(job)
        if chosen == "html":
            return HTMLResponse(results_page("SPARQL results", json.loads(answer.body), base,
                                             truncated=answer.truncated))
        return _answer(answer)

    @app.get("/sparql")
    async def sparql_get(request: Request) -> Response:
        params = _params(request.scope.get("query_string", b""))
        if any(k == "update" for k, _ in params):
            raise QueryError("this endpoint is read-only: SPARQL Update is refused")
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            raise QueryError("more than one 'query' parameter")
        return await _query(request, params, queries[0] if queries else None)

    @app.post("/sparql")
    async def sparql_post(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request, settings.max_body_bytes)
        params = _params(request.scope.get("query_string", b""))
        if ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise QueryError("the query is not valid UTF-8") from None
        elif ctype == "application/x-www-form-urlencoded":
            form = _params(body)
            if any(k == "update" for k, _ in form):
                raise QueryError("this endpoint is read-only: SPARQL Update is refused")
            params = params + form
            queries = [v for k, v in form if k == "query"]
            if len(queries) > 1:
                raise QueryError("more than one 'query' parameter")
            text = queries[0] if queries else ""
            if not text:
                raise QueryError("missing 'query' parameter")
        elif ctype == "application/sparql-update":
            raise QueryError("this endpoint is read-only: SPARQL Update is refused")
        else:
            raise UnsupportedMediaType(f"unsupported content type {ctype or '(none)'!r}; send "
                                       "application/sparql-query or application/x-www-form-urlencoded")
        return await _query(request, params, text)

    @app.get("/queries")
    async def list_queries() -> JSONResponse:
        return JSONResponse([{"name": q.name, "title": q.title, "question": q.question,
                              "params": [p.__dict__ for p in q.params]} for q in named_queries().values()])

    @app.get("/queries/{name}")
    async def named(request: Request, name: str) -> Response:
        q = get_query(name)
        params = _params(request.scope.get("query_string", b""))
        fmt = next((v for k, v in params if k == "format" and v), None)
        values = {k: v for k, v in params if k != "format"}
        try:
            subs = bind(q, values)
        except ValueError as exc:
            raise QueryError(f"bad parameter value: {_one_line(exc)}") from None
        text = with_values(q.text, subs) if subs else q.text
        check_query(text or q.text, settings.limits)
        chosen = negotiate(request.headers.get("accept"), fmt, _RESULT_FORMATS + ["html"], "json")
        job = Job(text=text or q.text, fmt="json" if chosen == "html" else chosen, max_rows=settings.max_results,
                  max_bytes=settings.max_result_bytes, substitutions={} if text else subs)
        answer = await pool.run(job)
        if chosen == "html":
            return HTMLResponse(results_page(q.title, json.loads(answer.body), base, truncated=answer.truncated,
                                             query=q.name))
        return _answer(answer)

    def _rest(request: Request, prefix: str) -> str:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        return raw.decode("latin-1")[len(prefix):]

    @app.get("/id/{path:path}")
    async def dereference(request: Request, path: str) -> Response:
        """A minted IRI names a thing, not a page: 303 to the page describing it."""
        rest = _rest(request, "/id/")
        qs = request.scope.get("query_string", b"").decode("latin-1")
        return RedirectResponse("/doc/" + rest + ("?" + qs if qs else ""), status_code=303,
                                headers={"Vary": "Accept"})

    @app.get("/doc/{path:path}")
    async def describe(request: Request, path: str) -> Response:
        """What the graph says about a minted IRI: HTML, Turtle, JSON-LD, N-Triples or RDF/XML."""
        params = _params(request.scope.get("query_string", b""))
        fmt = next((v for k, v in params if k == "format" and v), None)
        chosen = negotiate(request.headers.get("accept"), fmt, ["html"] + _GRAPH_FORMATS, "turtle")
        q = get_query("describe")
        iri, rows = base, []
        for candidate in _segments(_rest(request, "/doc/")):
            iri = base + candidate
            try:
                node = ox.NamedNode(iri)
            except ValueError:
                continue
            data = await _select_rows(with_values(q.text, {ox.Variable("resource"): node}) or q.text)
            rows = data["results"]["bindings"]
            if rows:
                break
        if not rows:
            return PlainTextResponse(f"Error: nothing is known about {iri}\n", status_code=404)
        if chosen == "html":
            return HTMLResponse(resource_page(iri, rows, base, await _sections(iri)))
        triples = [ox.Triple(ox.NamedNode(iri), ox.NamedNode(r["p"]["value"]), _term(r["o"])) for r in rows]
        return Response(ox.serialize(triples, format=_RDF[chosen]), media_type=media_type(chosen),
                        headers={"Vary": "Accept"})

    async def _named_rows(name: str, **values: str) -> list[dict]:
        q = get_query(name)
        subs = bind(q, values)
        return (await _select_rows(with_values(q.text, subs) or q.text))["results"]["bindings"]

    async def _sections(iri: str) -> list[tuple[str, str]]:
        """What a department, division or subject page lists beyond its own statements."""
        kind = iri[len(base):].split("/", 1)[0] if iri.startswith(base) else ""
        if kind == "department":
            rows = await _named_rows("department_documents", department=iri)
            return [("Documents", table(["year", "kind", "place", "total", "basic", "project", "source", "document"],
                                         rows, base, "department_documents"))]
        if kind == "division":
            rows = await _named_rows("division_documents", division=iri)
            return [("Departments and documents", table(
                ["place", "department", "year", "kind", "total", "document", "dept"], rows, base,
                "division_documents", links={"department": "dept"}))]
        if kind == "subject":
            rows = await _named_rows("subject_amounts", subject=iri)
            return [("Departments × years", subject_matrix(rows, base))]
        return []

    @app.get("/search")
    async def search_route(request: Request) -> Response:
        """The full-text index (graph/search.py): hits ranked, each linked to its IRI and its
        document, page, table, row; JSON, or HTML by Accept or format=html."""
        from .search import DEFAULT_LIMIT, hits_to_html, search
        params = dict(_params(request.scope.get("query_string", b"")))
        q = params.get("q", "").strip()
        if not q:
            raise QueryError("missing 'q' parameter: /search?q=专精特新")
        try:
            limit = min(int(params.get("limit") or DEFAULT_LIMIT), settings.max_results)
        except ValueError:
            raise QueryError("'limit' must be a whole number") from None
        hits = await asyncio.to_thread(search, path, q[:200], max(limit, 1), params.get("kind") or None)
        if negotiate(request.headers.get("accept"), params.get("format"), ["json", "html"], "json") == "html":
            return HTMLResponse(hits_to_html(q, hits, base))
        return JSONResponse({"q": q, "hits": [h.as_dict() for h in hits]})

    @app.get("/")
    async def index() -> Response:
        return HTMLResponse(index_page(list(named_queries().values())))

    @app.get("/query")
    async def query_editor() -> Response:
        """YASGUI with every named question preloaded (the plain form when it is not vendored)."""
        questions = []
        for q in named_queries().values():
            subs = bind(q, {})
            questions.append({"name": q.name, "title": q.title, "question": q.question,
                              "query": (with_values(q.text, subs) if subs else None) or q.text})
        return HTMLResponse(query_page(questions, YASGUI_JS.is_file()))

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    async def _dumps():
        return await asyncio.to_thread(ensure_dumps, path)

    @app.get("/dumps/")
    async def dumps_index(request: Request) -> Response:
        """The gzipped N-Quads dumps of the snapshot being served: HTML, or JSON by Accept."""
        folder, files = await _dumps()
        params = _params(request.scope.get("query_string", b""))
        fmt = next((v for k, v in params if k == "format" and v), None)
        if negotiate(request.headers.get("accept"), fmt, ["html", "json"], "html") == "json":
            return JSONResponse([f.__dict__ for f in files])
        return HTMLResponse(dumps_page(files, folder.name))

    @app.get("/dumps/{name:path}")
    async def dump_file(name: str) -> Response:
        folder, files = await _dumps()
        if name not in {f.name for f in files}:       # only the files of the set: no path escapes
            return PlainTextResponse(f"Error: no dump {name[:200]!r}; see /dumps/\n", status_code=404)
        return FileResponse(folder / name, media_type="application/gzip", filename=name.rsplit("/", 1)[-1],
                            headers={"Cache-Control": "no-cache"})

    cache: dict = {}

    async def _counts() -> tuple[int, int]:
        snap = current_snapshot(path)
        if cache.get("snap") != snap:
            data = await _select_rows(
                "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                "OPTIONAL { GRAPH ?g { ?g a <https://w3id.org/budgetkg/ontology#BudgetDocument> } BIND(?g AS ?d) } }")
            b = data["results"]["bindings"][0]
            cache.update(snap=snap, counts=(int(b["t"]["value"]), int(b["n"]["value"])))
        return cache["counts"]

    async def _service_description(request: Request, fmt: str | None) -> Response:
        chosen = negotiate(request.headers.get("accept"), fmt, _GRAPH_FORMATS + ["html"], "turtle")
        if chosen == "html":
            return HTMLResponse(index_page(list(named_queries().values())))
        root = str(request.base_url).rstrip("/")
        triples, docs = await _counts()
        listed = await _select_rows(f"SELECT ?d WHERE {{ ?d a <{_DOC_TYPE}> }} ORDER BY ?d")
        documents = [b["d"]["value"] for b in listed["results"]["bindings"]]
        ttl = service_description(root, base, triples, docs, documents)
        if chosen == "turtle":
            return Response(ttl, media_type=media_type("turtle"))
        data = ox.serialize(list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE)), format=_RDF[chosen])
        return Response(data, media_type=media_type(chosen))

    @app.get("/.well-known/void")
    async def void(request: Request) -> Response:
        """The dataset described with VoID, DCAT and the SPARQL service description."""
        params = _params(request.scope.get("query_string", b""))
        return await _service_description(request, next((v for k, v in params if k == "format" and v), None))

    return app


def _term(b: dict):
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


def service_description(root: str, base: str, triples: int, documents: int, graphs: list[str] = ()) -> str:
    """VoID + DCAT + SPARQL 1.1 Service Description, saying only what the endpoint does; the
    N-Quads dumps (/dumps/) as `void:dataDump` of the dataset and of one subset per document."""
    subsets = "".join(
        f' ;\n    void:subset [ a void:Dataset ; dct:source <{g}> ; '
        f'void:dataDump <{root}/dumps/document/{quote(g.rsplit("/", 1)[1], safe="")}.nq.gz> ]'
        for g in graphs if "/id/document/" in g)
    results = " , ".join(f"<http://www.w3.org/ns/formats/{n}>" for n in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    return f"""@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{root}/.well-known/void#dataset> a void:Dataset , dcat:Dataset ;
    dct:title "budgetkg: Chinese department budgets and final accounts"@en ;
    void:sparqlEndpoint <{root}/sparql> ;
    void:uriSpace "{base}" ;
    void:triples {triples} ;
    void:documents {documents} ;
    void:dataDump <{root}/dumps/all.nq.gz>{subsets} ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessService <{root}/sparql> ] ,
        [ a dcat:Distribution ; dcat:downloadURL <{root}/dumps/all.nq.gz> ;
          dcat:mediaType <https://www.iana.org/assignments/media-types/application/n-quads> ;
          dcat:compressFormat <http://www.iana.org/assignments/media-types/application/gzip> ] .
<{root}/sparql> a sd:Service , dcat:DataService ;
    sd:endpoint <{root}/sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {results} ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:triples {triples} ] ] ;
    dcat:endpointURL <{root}/sparql> ;
    dcat:servesDataset <{root}/.well-known/void#dataset> .
"""


