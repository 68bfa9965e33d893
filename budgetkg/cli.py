"""The command line: a thin shell over budgetkg.graph; library errors become `Error: …` lines."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable

from .extract.errors import BudgetKGError, QueryError
from .graph.remote import RemoteStore, is_remote

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Chinese department budgets and final accounts as a SPARQL-queryable knowledge graph.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _connect(target: Path | str):
    """A folder opened read-only, or a remote Oxigraph server given by its URL."""
    from .graph.remote import is_remote
    from .graph.store import open_store
    if is_remote(str(target)):
        return RemoteStore(str(target))
    return open_store(target, read_only=True)


def _fail(exc: BudgetKGError) -> None:
    err.print(f"Error: {exc}", markup=False, highlight=False)
    raise typer.Exit(1)


@app.command()
def build(paths: list[Path] = typer.Argument(..., help="Files or folders of documents."),
          store: str = typer.Option("kg", "--store", "-s", help="Store folder (created if missing), or an Oxigraph server URL."),
          base: Optional[str] = typer.Option(None, help="Base IRI of minted resources."),
          validate: bool = typer.Option(True, help="Validate each document graph with SHACL (ontology/shapes.ttl)."),
          workers: int = typer.Option(1, min=1, help="Processes extracting files (or the pages of one PDF) in parallel."),
          force: bool = typer.Option(False, "--force", help="Rebuild documents unchanged since the last build (the manifest skips them otherwise)."),
          engine: str = typer.Option("local", "--engine", help="Where documents are made: 'local' (--workers processes) or 'dask' (Dask tasks writing N-Quads shards)."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786) for --engine dask; a LocalCluster of --workers processes when omitted."),
          shards: Optional[Path] = typer.Option(None, "--shards", help="Folder the Dask tasks write the gzipped N-Quads shards to, kept after the build (a temporary folder when omitted).")) -> None:
    """Build the graph from documents; one report line per document.

    Example: budgetkg build ../shared/corpus --store ./kg
    Example: budgetkg build ../shared/corpus --store ./kg --engine dask --scheduler tcp://127.0.0.1:8786
    """
    from .graph.build import build as run_build, find_documents
    files = find_documents(paths)
    kwargs = {"base": base} if base else {}
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("building", total=len(files))
            reports = run_build(files, store, progress=lambda p: progress.advance(task), validate=validate,
                                workers=workers, force=force, engine=engine, scheduler=scheduler,
                                shard_dir=shards, **kwargs)
    except BudgetKGError as exc:
        _fail(exc)
    failed = [r for r in reports if not r.ok]
    for r in reports:
        if r.ok:
            p = r.profile
            place = "/".join(x for x in (p.province, p.city, p.district) if x) or "?"
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(r.tables.items()))
            out.print(f"OK   {r.source}: {p.department or '?'} | {place} ({p.division_code or '?'}) | "
                      f"{p.year or '?'} {p.kind or '?'} | tables: {kinds} | facts: {r.facts} | "
                      f"findings: {r.findings} | SHACL violations: {len(r.violations)} | "
                      f"warnings: {len(r.warnings)} | rows skipped: {r.skipped_rows} | "
                      f"figures: {r.figures[0]} printed, {r.figures[1]} facts, {r.figures[2]} explained, "
                      f"{r.figures[3]} unaccounted",
                      markup=False, highlight=False)
            for v in r.violations:
                out.print(f"     SHACL: {v}", markup=False, highlight=False)
            for w in r.warnings:
                out.print(f"     warning: {w}", markup=False, highlight=False)
        else:
            out.print(f"FAIL {r.source}: {r.error}", markup=False, highlight=False)
    out.print(f"{len(reports) - len(failed)} of {len(reports)} documents built into {store}", markup=False)
    if failed:
        err.print(f"Error: {len(failed)} document(s) could not be built: "
                  + ", ".join(r.source for r in failed), markup=False, highlight=False)
        raise typer.Exit(1)


@app.command()
def query(store: str = typer.Argument(..., help="Store folder, an Oxigraph server URL, or a SPARQL endpoint URL (…/sparql)."),
          sparql: str = typer.Argument(..., help="A .rq file, a named query, or inline SPARQL."),
          fmt: str = typer.Option("table", "--format", "-f", help="table, json, xml, csv or tsv."),
          param: list[str] = typer.Option([], "--param", "-p", help="name=value for a named query's parameter.")) -> None:
    """Run a SPARQL query over the union of all graphs (the endpoint's guard applies: no
    SERVICE, no Update, bounded size and nesting).

    Example: budgetkg query ./kg queries/zhuanjingtexin.rq --format csv
    """
    from .graph.guard import check_query
    from .graph.queries import bind, load_query_text, with_values
    from .graph.workers import Job, run_local
    if fmt not in ("table", "json", "xml", "csv", "tsv"):
        err.print(f"Error: unknown format {fmt!r}; choose table, json, xml, csv or tsv", markup=False)
        raise typer.Exit(2)
    try:
        text, named = load_query_text(sparql)
        values = dict(p.split("=", 1) for p in param if "=" in p)
        subs = bind(named, values) if named else None
        bound = with_values(text, subs) if subs else text
        if subs and bound is None and is_remote(store):
            raise QueryError("parameters need a query with a WHERE clause")
        check_query(bound or text)
        st = _connect(store)
        want = "json" if fmt == "table" else fmt
        if isinstance(st, RemoteStore):
            accept = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                      "csv": "text/csv", "tsv": "text/tab-separated-values"}[want]
            data = st.raw(bound, accept)
        else:
            data = run_local(st, Job(text=bound or text, fmt=want, max_rows=sys.maxsize, max_bytes=sys.maxsize,
                                     substitutions={} if bound else (subs or {}))).body
        if fmt != "table":
            sys.stdout.buffer.write(data)
            return
        try:
            result = json.loads(data)
        except ValueError:
            raise QueryError("the answer is not SPARQL JSON results (a CONSTRUCT or DESCRIBE query? "
                             "use --format with an endpoint)") from None
    except BudgetKGError as exc:
        _fail(exc)
    if "boolean" in result:
        out.print("true" if result["boolean"] else "false", markup=False)
        return
    names = result["head"]["vars"]
    t = RichTable(*names)
    rows = result["results"]["bindings"]
    for b in rows:
        t.add_row(*[b.get(n, {}).get("value", "") for n in names])
    out.print(t)
    out.print(f"{len(rows)} row(s)", markup=False)


@app.command()
def coverage(paths: list[Path] = typer.Argument(..., help="Files or folders of documents."),
             rows: bool = typer.Option(True, help="List every row skipped, with its line and reason.")) -> None:
    """Per document and table: rows read, rows turned into facts, rows skipped and why.

    Example: budgetkg coverage ../shared/corpus --no-rows
    """
    from .extract.pipeline import extract_path
    from .graph.build import find_documents
    failed = 0
    for path in find_documents(paths):
        try:
            ex = extract_path(path, checks=False)
        except BudgetKGError as exc:
            out.print(f"FAIL {path}: {exc.message}", markup=False, highlight=False)
            failed += 1
            continue
        total = sum(c.rows for c in ex.coverage)
        facts = sum(c.fact_rows for c in ex.coverage)
        fig = ex.figures
        out.print(f"{path}: {len(ex.coverage)} tables, {total} rows read, {facts} rows made facts, "
                  f"{ex.rows_skipped} rows skipped | figures: {fig.printed} printed, {fig.facts} facts, "
                  f"{fig.explained_total} explained, {len(fig.unaccounted)} unaccounted", markup=False, highlight=False)
        for why, n in fig.explained.most_common():
            out.print(f"  explained: {n} × {why}", markup=False, highlight=False)
        if rows:
            for u in fig.unaccounted:
                out.print(f"  unaccounted: page {u.page}, line {u.line}: {u.figure} in {u.context!r}",
                          markup=False, highlight=False)
        for c in ex.coverage:
            out.print(f"  table {c.index} {c.title or '(untitled)'!r} [{c.kind or 'not recognised'}]: "
                      f"{c.rows} rows, {c.fact_rows} with facts, {len(c.skipped)} skipped", markup=False, highlight=False)
            if rows:
                for s in c.skipped:
                    where = f"line {s.line}" if s.page is None else f"page {s.page}, line {s.line}"
                    out.print(f"    row {s.row} ({where}): {s.reason}: {s.raw[:80]}", markup=False, highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def debug(pdf: Path = typer.Argument(..., help="A PDF file."),
          page: int = typer.Option(1, "--page", "-p", min=1, help="Page number (1-based)."),
          output: Path = typer.Option(Path("page.png"), "--output", "-o", help="PNG to write.")) -> None:
    """Draw what the reader saw on one PDF page: ruling lines, table cells, and the cells made rows.

    Example: budgetkg debug report.pdf --page 10 -o page10.png
    """
    from .extract.readers.pdf_debug import debug_page
    if not pdf.is_file():
        err.print(f"Error: {pdf}: no such file", markup=False, highlight=False)
        raise typer.Exit(1)
    try:
        path = debug_page(pdf, page, output)
    except ValueError as exc:
        err.print(f"Error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1)
    except (OSError, BudgetKGError) as exc:
        err.print(f"Error: {pdf}: {' '.join(str(exc).split())}", markup=False, highlight=False)
        raise typer.Exit(1)
    except Exception as exc:  # noqa: BLE001 — pdfplumber's own errors on a file that is not a PDF
        err.print(f"Error: {pdf}: cannot read as a PDF ({type(exc).__name__})", markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(f"wrote {path}", markup=False)


@app.command()
def check(store: str = typer.Argument(..., help="Store folder, or an Oxigraph server URL."),
          severity: str = typer.Option("warning", help="Lowest severity shown: error, warning or info."),
          across: bool = typer.Option(True, help="First run the checks across documents (a 决算 against the 预算 of "
                                                 "its year, year on year) again; the build runs them too, into the findings graph.")) -> None:
    """List the reconciliation findings of every document; exit 1 when there are errors.

    Example: budgetkg check ./kg --severity info
    """
    from .graph.findings import SEVERITIES, stored_findings
    if severity not in SEVERITIES:
        err.print(f"Error: unknown severity {severity!r}; choose error, warning or info", markup=False)
        raise typer.Exit(2)
    if across:
        _check_across(store)
    try:
        found = stored_findings(_connect(store), min_severity=severity)
    except BudgetKGError as exc:
        _fail(exc)
    for f in found:
        out.print(f"{f.severity.upper():7} {f.source} [{f.rule}] {f.message}", markup=False, highlight=False)
        for s in f.sides:
            where = ", ".join(x for x in (f"table {s.table!r}" if s.table else "",
                                          f"page {s.page}" if s.page is not None else "",
                                          f"row {s.row}" if s.row is not None else "",
                                          f"line {s.line}" if s.line is not None else "") if x)
            out.print(f"        {s.label} = {s.printed}  ({where})", markup=False, highlight=False)
    counts = {s: sum(1 for f in found if f.severity == s) for s in SEVERITIES}
    out.print(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info", markup=False)
    if counts["error"]:
        raise typer.Exit(1)


def _check_across(store: str) -> None:
    """The checks across documents, written into the store (under the build lock; a snapshot is
    published for `serve`). A store another build is writing is left as it is, with a note."""
    from .graph.across import run_across
    from .graph.remote import is_remote
    from .graph.store import LocalStore
    try:
        if is_remote(store):
            remote = RemoteStore(store)
            run_across(remote, lambda u: remote._call("POST", "/update", content=u.encode("utf-8"),
                                                      headers={"content-type": "application/sparql-update"}))
            return
        if not (Path(store) / "CURRENT").exists():
            return              # no store here: the read below says so
        local = LocalStore(store)
        try:
            run_across(local.store, local.store.update)
            local.written = True
        finally:
            local.flush()
    except BudgetKGError as exc:
        err.print(f"Note: checks across documents not run: {exc}", markup=False, highlight=False)


@app.command()
def export(store: str = typer.Argument(..., help="Store folder, or an Oxigraph server URL."),
           output: Path = typer.Option(..., "--output", "-o", help="N-Quads file to write.")) -> None:
    """Write the whole dataset as N-Quads (one named graph per document, plus reference graphs).

    Example: budgetkg export ./kg -o corpus.nq
    """
    import pyoxigraph as ox
    try:
        st = _connect(store)
        if isinstance(st, RemoteStore):
            data = st.dump()
            output.write_bytes(data)
            count = sum(1 for line in data.splitlines() if line.strip())
        else:
            st.dump(str(output), format=ox.RdfFormat.N_QUADS)
            count = len(st)
    except BudgetKGError as exc:
        _fail(exc)
    out.print(f"wrote {count} quads to {output}", markup=False)


@app.command()
def load(shards: Path = typer.Argument(..., help="Folder of gzipped N-Quads shards (build --engine dask --shards DIR)."),
         virtuoso: str = typer.Option(..., "--virtuoso", help="HOST:PORT of Virtuoso's SQL (isql) port; the folder must be in its DirsAllowed."),
         user: str = typer.Option("dba", "--user"),
         password: str = typer.Option("dba", "--password", envvar="VIRTUOSO_PASSWORD"),
         loaders: int = typer.Option(1, min=1, help="Bulk loader sessions side by side (one per server core).")) -> None:
    """Bulk-load a shard folder into Virtuoso (ld_dir + rdf_loader_run + checkpoint); ask its
    /sparql with `budgetkg query http://HOST:8890/sparql NAME`.

    Example: budgetkg load ./shards --virtuoso 127.0.0.1:1111
    """
    from .graph.virtuoso import Virtuoso, load_shards
    try:
        report = load_shards(Virtuoso.parse(virtuoso, user=user, password=password), shards, loaders=loaders)
    except BudgetKGError as exc:
        _fail(exc)
    out.print(f"loaded {report.files} shard file(s) from {shards} into Virtuoso {virtuoso} "
              f"in {report.seconds:.1f} s", markup=False)


@app.command()
def serve(store: Path = typer.Argument(..., help="Store folder."),
          host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
          timeout: float = typer.Option(10.0, help="Query timeout in seconds (the query is stopped)."),
          max_results: int = typer.Option(10_000, help="Result rows (or triples) served at most."),
          max_result_mb: float = typer.Option(16.0, help="Answer size served at most, in MB."),
          max_running: int = typer.Option(4, min=1, help="Worker processes evaluating queries."),
          max_queue: int = typer.Option(32, min=0, help="Requests waiting for a worker; more get 503."),
          queue_wait: float = typer.Option(5.0, min=0, help="Seconds a request waits for a worker before 503."),
          max_query_kb: int = typer.Option(64, min=1, help="Query text size at most, in KB."),
          memory_mb: int = typer.Option(2048, min=0, help="Address space of one worker in MB (0: no cap).")) -> None:
    """Serve the SPARQL 1.1 Protocol endpoint at /sparql (read-only) and the linked-data pages.

    Example: budgetkg serve ./kg --port 8000
    """
    import errno
    import socket

    import uvicorn
    from .graph.server import ServerSettings, create_app
    try:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        why = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
        err.print(f"Error: port {port} on {host} {why}; choose another with --port", markup=False, highlight=False)
        raise typer.Exit(1)
    try:
        settings = ServerSettings(timeout_s=timeout, max_results=max_results,
                                  max_result_bytes=int(max_result_mb * 1024 * 1024), max_running=max_running,
                                  max_queue=max_queue, queue_wait_s=queue_wait,
                                  max_query_bytes=max_query_kb * 1024, max_body_bytes=max_query_kb * 1024 * 4,
                                  memory_mb=memory_mb)
        api = create_app(store, settings)
    except (BudgetKGError, ValueError) as exc:
        sock.close()
        _fail(exc if isinstance(exc, BudgetKGError) else BudgetKGError(str(exc)))
    out.print(f"SPARQL endpoint on http://{host}:{port}/sparql", markup=False)
    config = uvicorn.Config(api, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


@app.command()
def review(file: Path = typer.Argument(..., help="One document (PDF, text dump, xlsx, xls)."),
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
           fmt: str = typer.Option("html", "--format", "-f", help="html, csv or json."),
           images: bool = typer.Option(True, help="Crop each finding's page with its figures outlined (PDF).")) -> None:
    """Review one document as a 财政 reviewer does: its profile, then every finding by severity
    with the rule in plain Chinese, both values and a crop of the page.

    Example: budgetkg review report.pdf -o review.html
    """
    from .extract.review import review_path, to_csv, to_html, to_json
    if fmt not in ("html", "csv", "json"):
        err.print(f"Error: unknown format {fmt!r}; choose html, csv or json", markup=False)
        raise typer.Exit(2)
    try:
        r = review_path(file, images=images and fmt == "html")
    except BudgetKGError as exc:
        _fail(exc)
    text = {"html": to_html, "csv": to_csv, "json": to_json}[fmt](r)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        counts = {s: sum(1 for f in r.findings if f.severity == s) for s in ("error", "warning", "info")}
        out.print(f"wrote {output}: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info",
                  markup=False, highlight=False)


@app.command()
def search(words: Optional[str] = typer.Argument(None, help="Words to look for (jieba splits them as the index does)."),
           store: Path = typer.Option(Path("kg"), "--store", "-s", help="Store folder (the index lives beside it)."),
           limit: int = typer.Option(20, "--limit", "-n", min=1, help="Hits shown at most."),
           kind: Optional[str] = typer.Option(None, help="Only project, indicator, performance, duty or statement."),
           fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
           rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the index from the store first.")) -> None:
    """Full-text search over the names and descriptions of projects, indicators, self-evaluations,
    duties and stated figures (SQLite FTS5 over jieba's words), ranked, each hit with its IRI and
    its document, page, table and row.

    Example: budgetkg search 专精特新 --store ./kg
    """
    from .extract.errors import StoreError
    from .graph.search import index_store, search as run_search
    if fmt not in ("table", "json"):
        err.print(f"Error: unknown format {fmt!r}; choose table or json", markup=False)
        raise typer.Exit(2)
    try:
        if rebuild:
            if not store.is_dir():
                raise StoreError("no store here (build one with `budgetkg build`)", source=str(store))
            n = index_store(store)
            err.print(f"indexed {n} names and descriptions of {store}", markup=False, highlight=False)
        if not words:
            if rebuild:
                return
            raise QueryError("give words to search for (or --rebuild)")
        hits = run_search(store, words, limit, kind)
    except BudgetKGError as exc:
        _fail(exc)
    if fmt == "json":
        out.print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=1), markup=False, highlight=False)
        return
    for i, h in enumerate(hits, 1):      # one hit a paragraph: names are long, terminals narrow
        where = ", ".join(x for x in (h.source, f"page {h.page}" if h.page is not None else "",
                                      f"table {h.table!r}" if h.table else "",
                                      f"row {h.row}" if h.row is not None else "",
                                      f"line {h.line}" if h.line is not None else "") if x)
        out.print(f"{i:>3}. [{h.kind}] {h.name}  ({where})", markup=False, highlight=False)
        out.print(f"     {h.iri}", markup=False, highlight=False)
    out.print(f"{len(hits)} hit(s)", markup=False)


@app.command()
def ask(name: Optional[str] = typer.Argument(None, help="A question's name (omit to list them all)."),
        store: str = typer.Option("kg", "--store", "-s", help="Store folder, an Oxigraph server URL, or a SPARQL endpoint URL."),
        param: list[str] = typer.Option([], "--param", "-p", help="name=value for the question's parameter."),
        fmt: str = typer.Option("table", "--format", "-f", help="table, json, xml, csv or tsv.")) -> None:
    """The question library: without a name, every question of queries/ with its title, the
    question in English and Chinese and its typed parameters; with one, its answer (as `query`).

    Example: budgetkg ask subject -p code=21508 --store ./kg
    """
    from .graph.queries import get_query, named_queries
    if name is None:
        for q in named_queries().values():
            out.print(f"{q.name}: {q.title}" + (f" / {q.title_zh}" if q.title_zh else ""), markup=False, highlight=False)
            out.print(f"    {q.question}", markup=False, highlight=False)
            if q.question_zh:
                out.print(f"    {q.question_zh}", markup=False, highlight=False)
            for p in q.params:
                default = f' = "{p.default}"' if p.default is not None else ""
                out.print(f"    -p {p.name}=<{p.datatype}>{default}", markup=False, highlight=False)
        return
    try:
        get_query(name)
    except BudgetKGError as exc:
        _fail(exc)
    query(store=store, sparql=name, fmt=fmt, param=param)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
