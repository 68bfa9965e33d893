"""The public SPARQL 1.1 Protocol endpoint: read-only, time- and size-capped, no SERVICE."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..extract.errors import BudgetKGError, QueryError, ServiceBusy
from .queries import bind, get_query, named_queries, run
from .pages import index_page, results_page
from .store import open_store
from ..extract.vocab import DEFAULT_BASE

_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b\s", re.I)
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


@dataclass
class ServerSettings:
    timeout_s: float = 10.0
    max_results: int = 10_000
    max_running: int = 4          # queries evaluated at once, timed-out ones included until they end

    def __post_init__(self) -> None:
        self.slots = threading.BoundedSemaphore(self.max_running)


def _check_query(text: str) -> None:
    body = re.sub(r"#[^\n]*", "", re.sub(r'"[^"]*"|\'[^\']*\'|<[^>]*>', "", text))
    if _SERVICE.search(body):
        raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
    if _UPDATE.search(body) and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I):
        raise QueryError("this endpoint is read-only: SPARQL Update is refused")


def _accept(request: Request, default: str = "json") -> str:
    fmt = request.query_params.get("format")
    if fmt in ("json", "csv", "tsv", "html"):
        return fmt
    for part in request.headers.get("accept", "").split(","):
        m = part.split(";")[0].strip()
        if m in _MEDIA:
            return _MEDIA[m]
    return default


def _execute(store: ox.Store, text: str, subs: dict | None, settings: ServerSettings):
    """Evaluate in a thread of its own; past the timeout the answer is an error. pyoxigraph
    cannot cancel a running query, so a slot stays taken until it ends: a flood of slow
    queries meets 503, not an ever-growing pile of threads."""
    box: dict = {}
    if not settings.slots.acquire(blocking=False):
        raise ServiceBusy("too many queries running; try again later")

    def work() -> None:
        try:
            res = run(store, text, subs)
            if isinstance(res, ox.QuerySolutions):
                rows = []
                for i, sol in enumerate(res):
                    if i >= settings.max_results:
                        box["truncated"] = True
                        break
                    rows.append(sol)
                box["vars"] = res.variables
                box["rows"] = rows
            else:
                box["other"] = res
        except BaseException as exc:  # carried back to the request thread
            box["error"] = exc
        finally:
            settings.slots.release()

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(settings.timeout_s)
    if t.is_alive():
        raise QueryError(f"query timed out after {settings.timeout_s:g} s")
    if "error" in box:
        raise box["error"]
    return box


def _results_json(box: dict) -> dict:
    if "other" in box:
        other = box["other"]
        if isinstance(other, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(other)}
        raise QueryError("only SELECT and ASK queries are served here")
    names = [v.value for v in box["vars"]]
    bindings = []
    for sol in box["rows"]:
        b = {}
        for n in names:
            term = sol[n]
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                b[n] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                b[n] = {"type": "bnode", "value": term.value}
            else:
                d = {"type": "literal", "value": term.value}
                if term.language:
                    d["xml:lang"] = term.language
                elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    d["datatype"] = term.datatype.value
                b[n] = d
        bindings.append(b)
    out = {"head": {"vars": names}, "results": {"bindings": bindings}}
    if box.get("truncated"):
        out["head"]["link"] = ["truncated"]
    return out


def _render(box: dict, fmt: str, title: str = "results", base: str = DEFAULT_BASE) -> Response:
    data = _results_json(box)
    if fmt == "html":
        from fastapi.responses import HTMLResponse
        return HTMLResponse(results_page(title, data, base))
    if fmt == "json":
        return JSONResponse(data, media_type="application/sparql-results+json")
    names = data["head"].get("vars", [])
    sep = "," if fmt == "csv" else "\t"
    lines = [sep.join(names if fmt == "csv" else ["?" + n for n in names])]
    for b in data.get("results", {}).get("bindings", []):
        cells = []
        for n in names:
            v = b.get(n, {}).get("value", "")
            cells.append('"' + v.replace('"', '""') + '"' if fmt == "csv" and re.search(r'[",\n]', v) else v)
        lines.append(sep.join(cells))
    media = "text/csv" if fmt == "csv" else "text/tab-separated-values"
    return PlainTextResponse("\n".join(lines) + "\n", media_type=media + "; charset=utf-8")


def _describe(store: ox.Store, iri: str, settings: ServerSettings) -> list[tuple]:
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"not an IRI: {iri!r}") from exc
    q = get_query("describe")
    box = _execute(store, q.text, {ox.Variable("resource"): node}, settings)
    return [(sol["p"], sol["o"], sol["label"]) for sol in box["rows"]]


def _turtle(iri: str, rows: list[tuple]) -> str:
    triples = [ox.Triple(ox.NamedNode(iri), p, o) for p, o, _ in rows]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE).decode("utf-8")


def _html(iri: str, rows: list[tuple], base: str) -> str:
    import html as h

    def link(term) -> str:
        if isinstance(term, ox.NamedNode):
            href = "/id/" + term.value[len(base):] if term.value.startswith(base) else term.value
            return f'<a href="{h.escape(href)}">{h.escape(term.value)}</a>'
        return h.escape(term.value)
    body = "".join(f"<tr><td>{link(p)}</td><td>{link(o)}</td><td>{h.escape(lbl.value) if lbl else ''}</td></tr>"
                   for p, o, lbl in rows)
    return (f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{h.escape(iri)}</title></head>"
            f"<body><h1>{h.escape(iri)}</h1><table><thead><tr><th>property</th><th>value</th><th>label</th></tr>"
            f"</thead><tbody>{body}</tbody></table></body></html>")


def create_app(store: ox.Store | str | Path, settings: ServerSettings | None = None,
               base: str = DEFAULT_BASE) -> FastAPI:
    """The endpoint over an open store (or a store path, opened read-only)."""
    if not isinstance(store, ox.Store):
        store = open_store(store, read_only=True)
    settings = settings or ServerSettings()
    app = FastAPI(title="budgetkg SPARQL endpoint")

    @app.exception_handler(BudgetKGError)
    async def _error(_: Request, exc: BudgetKGError) -> Response:
        return PlainTextResponse(f"Error: {exc}", status_code=exc.status)

    async def _sparql(request: Request, text: str | None) -> Response:
        if not text:
            raise QueryError("missing 'query' parameter")
        _check_query(text)
        box = await run_in_threadpool(_execute, store, text, None, settings)
        return _render(box, _accept(request))

    @app.get("/sparql")
    async def sparql_get(request: Request) -> Response:
        return await _sparql(request, request.query_params.get("query"))

    @app.post("/sparql")
    async def sparql_post(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip()
        if ctype == "application/sparql-query":
            text = (await request.body()).decode("utf-8")
        elif ctype == "application/x-www-form-urlencoded":
            form = await request.form()
            if form.get("update"):
                raise QueryError("this endpoint is read-only: SPARQL Update is refused")
            text = str(form.get("query") or "")
        elif ctype == "application/sparql-update":
            raise QueryError("this endpoint is read-only: SPARQL Update is refused")
        else:
            raise QueryError(f"unsupported content type {ctype!r}")
        return await _sparql(request, text)

    @app.get("/id/{path:path}")
    async def dereference(request: Request, path: str) -> Response:
        """Every IRI under the base is served: Turtle, or HTML for a browser."""
        iri = base + path
        rows = await run_in_threadpool(_describe, store, iri, settings)
        if not rows:
            return PlainTextResponse(f"Error: nothing is known about {iri}", status_code=404)
        accept = request.headers.get("accept", "")
        if "text/html" in accept and "text/turtle" not in accept:
            from fastapi.responses import HTMLResponse
            return HTMLResponse(_html(iri, rows, base))
        return Response(_turtle(iri, rows), media_type="text/turtle; charset=utf-8")

    @app.get("/")
    async def index() -> Response:
        from fastapi.responses import HTMLResponse
        return HTMLResponse(index_page(list(named_queries().values())))

    @app.get("/.well-known/void")
    async def void(request: Request) -> Response:
        """The dataset described with VoID, DCAT and the SPARQL service description."""
        root = str(request.base_url).rstrip("/")
        box = _execute(store, "PREFIX bkg: <https://w3id.org/budgetkg/ontology#> SELECT (COUNT(?d) AS ?n) "
                              "WHERE { ?d a bkg:BudgetDocument }", None, settings)
        docs = box["rows"][0]["n"].value
        ttl = f"""@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{root}/.well-known/void#dataset> a void:Dataset , dcat:Dataset ;
    dct:title "budgetkg: Chinese department budgets and final accounts"@en ;
    void:sparqlEndpoint <{root}/sparql> ;
    void:uriSpace "{base}" ;
    void:triples {len(store)} ;
    void:documents {docs} ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessService <{root}/sparql> ] .
<{root}/sparql> a sd:Service , dcat:DataService ;
    sd:endpoint <{root}/sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> , <http://www.w3.org/ns/formats/SPARQL_Results_CSV> ;
    dcat:endpointURL <{root}/sparql> .
"""
        return Response(ttl, media_type="text/turtle; charset=utf-8")

    @app.get("/queries")
    async def list_queries() -> JSONResponse:
        return JSONResponse([{"name": q.name, "title": q.title, "question": q.question,
                              "params": [p.__dict__ for p in q.params]} for q in named_queries().values()])

    @app.get("/queries/{name}")
    async def named(request: Request, name: str) -> Response:
        q = get_query(name)
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        subs = bind(q, values)
        box = await run_in_threadpool(_execute, store, q.text, subs, settings)
        return _render(box, _accept(request), title=q.title, base=base)

    return app
