"""The HTML a researcher reads: the list of questions with their parameters and a box to type
SPARQL, the YASGUI query page with every question preloaded, answers as tables whose IRIs link
to the pages of the resources they name and whose amounts name their unit, one page per
resource, titled by its label, each property once — with, for a department, a division or a
subject code, its documents, years and amounts — and the list of N-Quads dumps. Everything
printed is escaped, and only http(s) IRIs become links (a `javascript:` IRI in the data stays
text)."""
from __future__ import annotations

import html
import json
from decimal import Decimal, InvalidOperation

from .queries import NamedQuery

AMOUNT = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name")
_STYLE = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
          "td,th{border:1px solid #999;padding:3px 6px;vertical-align:top;word-break:keep-all}"
          "td.num{text-align:right;white-space:nowrap}.nw{white-space:nowrap}"
          "textarea{width:100%;font-family:monospace}")
MONEY = "元"
_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("decimal", "integer", "double", "float", "int", "long")}
#: the unit of a numeric column, by its variable name (any query, typed SPARQL included)
UNITS = {"amount": MONEY, "total": MONEY, "basic": MONEY, "budget": MONEY, "executed": MONEY,
         "previous": MONEY, "change": MONEY, "initial": MONEY, "adjusted": MONEY}
#: named queries whose numeric columns are not (only) the names above
QUERY_UNITS = {
    "totals": {"project": MONEY}, "department_documents": {"project": MONEY},
    "project_share": {"project": MONEY, "share": "%"},
    "below_half": {"share": "of budget", "ratio": "of budget", "score": "分"},
    "satisfaction": {"threshold": "%"},
    "project_execution": {"rate": "%", "least": MONEY},
    "topic_by_place": {"projects": "个"},
    "project_years": {"score": "/100"},     # the name-match score of the link
}
#: numeric columns that are no amount: years, positions in a document, list numbers
UNITLESS = {"year", "row", "line", "page", "number"}
#: the printed figure's unit, told by the amount in 元 it was read as (amount / printed)
_MULTIPLES = {Decimal(1): "元", Decimal(1000): "千元", Decimal(10_000): "万元", Decimal(1_000_000): "百万元",
              Decimal(100_000_000): "亿元"}
#: columns holding place or department names, kept on one line
PLACES = {"province", "city", "district", "division", "place", "department"}


def _page(title: str, body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style>{head}</head><body>{body}</body></html>")


def href_for(iri: str, base: str) -> str | None:
    """Where a link to `iri` goes: its page here when minted under `base`, itself when it is an
    http(s) IRI, nowhere otherwise (javascript:, data:, mailto: …)."""
    if iri.startswith(base):
        return "/id/" + iri[len(base):]
    if iri.lower().startswith(("http://", "https://")):
        return iri
    return None


def link(iri: str, base: str, text: str | None = None) -> str:
    shown = html.escape(text if text is not None else iri)
    href = href_for(iri, base)
    return f'<a href="{html.escape(href, quote=True)}">{shown}</a>' if href else shown


def index_page(queries: list[NamedQuery]) -> str:
    items = []
    for q in queries:
        inputs = "".join(f'<label>{html.escape(p.name)} <input name="{html.escape(p.name)}" '
                         f'value="{html.escape(p.default or "")}"></label> ' for p in q.params)
        items.append(f'<li><form action="/queries/{html.escape(q.name)}" method="get">'
                     f'<b>{html.escape(q.title)}</b> — {html.escape(q.question)}<br>{inputs}'
                     f'<input type="hidden" name="format" value="html"><button type="submit">Ask</button>'
                     f"</form></li>")
    box = ('<form action="/sparql" method="get"><textarea name="query" rows="8">'
           "SELECT ?document ?title WHERE {\n  ?document a &lt;https://w3id.org/budgetkg/ontology#BudgetDocument&gt; "
           ";\n    &lt;http://purl.org/dc/terms/title&gt; ?title .\n} LIMIT 20</textarea>"
           '<input type="hidden" name="format" value="html"><button type="submit">Run</button></form>')
    return _page("budgetkg", "<h1>budgetkg</h1><p>SPARQL endpoint: <code>/sparql</code> · "
                 '<a href="/query">query editor (YASGUI)</a> · <a href="/dumps/">N-Quads dumps</a> · '
                 '<a href="/.well-known/void">dataset description</a></p>'
                 f"<h2>Ask in SPARQL</h2>{box}<h2>Questions</h2><ul>" + "".join(items) + "</ul>")


def _value(b: dict | None, base: str) -> str:
    if not b:
        return ""
    if b["type"] == "uri":
        return link(b["value"], base)
    return html.escape(b["value"])


def is_number(b: dict | None) -> bool:
    return bool(b) and b.get("type") in ("literal", "typed-literal") and b.get("datatype") in _NUMERIC


def column_unit(name: str, query: str | None = None) -> str | None:
    """The unit of a numeric column: the named query's own, else the one its name implies."""
    return QUERY_UNITS.get(query or "", {}).get(name) or UNITS.get(name)


def printed_unit(row: dict) -> str | None:
    """The unit a printed figure was printed in, told by the amount in 元 read from it."""
    try:
        printed = Decimal(row["printed"]["value"].replace(",", "").strip())
        amount = Decimal(row["amount"]["value"])
    except (KeyError, InvalidOperation, AttributeError):
        return None
    if not printed:
        return None
    return _MULTIPLES.get(abs(amount / printed))


def _cell(name: str, row: dict, base: str, query: str | None, links: dict[str, str] | None = None) -> str:
    b = row.get(name)
    target = row.get((links or {}).get(name, ""))
    if b and target and target["type"] == "uri":
        shown = link(target["value"], base, b["value"])        # a label linked to what it names
    else:
        shown = _value(b, base)
    unit = column_unit(name, query) if is_number(b) else printed_unit(row) if name == "printed" and b else None
    if unit:
        return f'<td class="num">{shown}&nbsp;{html.escape(unit)}</td>'
    if is_number(b):
        return f'<td class="num">{shown}</td>'
    return f'<td class="nw">{shown}</td>' if name in PLACES else f"<td>{shown}</td>"


def _header(name: str, rows: list[dict], query: str | None) -> str:
    units = {column_unit(name, query) for r in rows if is_number(r.get(name))} - {None}
    if name == "printed":
        units = {printed_unit(r) or "unit as printed" for r in rows if r.get(name)}
    suffix = f" ({', '.join(sorted(units))})" if units else ""
    return f"<th>{html.escape(name + suffix)}</th>"


def table(names: list[str], rows: list[dict], base: str, query: str | None = None,
          links: dict[str, str] | None = None) -> str:
    """A result table: IRIs linked, amounts with their unit in the header and in each cell,
    place and department names on one line. `links` maps a label column to the column of the
    IRI it names (that column is then not shown)."""
    names = [n for n in names if n not in (links or {}).values()]
    head = "".join(_header(n, rows, query) for n in names)
    body = "".join("<tr>" + "".join(_cell(n, r, base, query, links) for n in names) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def results_page(title: str, data: dict, base: str, *, truncated: bool = False, query: str | None = None) -> str:
    """A SPARQL answer as HTML; `query` names the named query it answers, for its units."""
    if "boolean" in data:
        return _page(title, f"<h1>{html.escape(title)}</h1><p>{'true' if data['boolean'] else 'false'}</p>")
    names = data["head"].get("vars", [])
    rows = data.get("results", {}).get("bindings", [])
    cut = " (truncated: the endpoint's result limit was reached)" if truncated else ""
    return _page(title, f"<h1>{html.escape(title)}</h1><p>{len(rows)} row(s){cut}</p>"
                        + table(names, rows, base, query))


def label_of(rows: list[dict]) -> str | None:
    """The resource's own label (Chinese first) among its describe rows."""
    found = [(r["o"].get("xml:lang") != "zh", _LABELS.index(r["p"]["value"]), r["o"]["value"]) for r in rows
             if r["p"]["value"] in _LABELS and r["o"]["type"] == "literal"]
    return min(found)[2] if found else None


def resource_page(iri: str, rows: list[dict], base: str, sections: list[tuple[str, str]] = ()) -> str:
    """One resource: title by label, each property once with all its values, amounts in 元."""
    props: dict[str, list[str]] = {}
    for r in rows:
        p, o = r["p"]["value"], r["o"]
        if o["type"] == "uri":
            shown = link(o["value"], base, r["label"]["value"] if r.get("label") else None)
        else:
            shown = html.escape(o["value"]) + (" 元" if p == AMOUNT else "")
        values = props.setdefault(p, [])
        if shown not in values:
            values.append(shown)
    label = label_of(rows)
    body = "".join(f"<tr><th>{link(p, base)}</th><td>{'<br>'.join(vs)}</td></tr>" for p, vs in props.items())
    title = label or iri
    extra = "".join(f"<h2>{html.escape(h)}</h2>{content}" for h, content in sections)
    return _page(title, f"<h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p>"
                        f"{extra}<h2>Statements</h2><table><tbody>{body}</tbody></table>")


def subject_matrix(rows: list[dict], base: str) -> str:
    """Departments × years (and budget phase) with the amount on one subject, in 元; each
    amount links to the document it was read from."""
    cols = sorted({(r.get("year", {}).get("value", ""), r["phase"]["value"]) for r in rows})
    depts: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r["department"]["value"], r["dept"]["value"])
        depts.setdefault(key, {})[(r.get("year", {}).get("value", ""), r["phase"]["value"])] = r
    head = '<th class="nw">department</th>' + "".join(
        f"<th>{html.escape(y or '?')} {html.escape(ph)} ({MONEY})</th>" for y, ph in cols)
    body = []
    for (name, dept), cells in sorted(depts.items()):
        tds = []
        for c in cols:
            r = cells.get(c)
            tds.append(f'<td class="num">{link(r["document"]["value"], base, r["amount"]["value"])}&nbsp;{MONEY}</td>'
                       if r else "<td></td>")
        body.append(f'<tr><td class="nw">{link(dept, base, name)}</td>{"".join(tds)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _script_json(data) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def query_page(questions: list[dict], yasgui: bool) -> str:
    """The YASGUI query page: every named question preloaded as a tab (its parameters bound to
    their defaults in a VALUES block), a picker with each question's description. Without the
    vendored YASGUI files (tools/vendor_yasgui.sh) the page says so and offers the plain form."""
    options = "".join(f'<option value="{i}">{html.escape(q["title"])}</option>' for i, q in enumerate(questions))
    picker = (f'<p><label>Question <select id="question">{options}</select></label></p>'
              f'<p id="description">{html.escape(questions[0]["question"]) if questions else ""}</p>')
    data = f'<script id="questions" type="application/json">{_script_json(questions)}</script>'
    if not yasgui:
        box = ('<form action="/sparql" method="post"><textarea id="query" name="query" rows="16">'
               f'{html.escape(questions[0]["query"]) if questions else ""}</textarea>'
               '<input type="hidden" name="format" value="html"><button type="submit">Run</button></form>')
        return _page("budgetkg — query", '<h1>Query budgetkg</h1><p class="notice">The YASGUI editor is not '
                     "installed here (run <code>tools/vendor_yasgui.sh</code>); the plain form below runs "
                     'SPARQL, and <a href="/">the questions</a> run with their parameters.</p>' + box)
    head = ('<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
            '<script src="/static/yasgui/yasgui.min.js" defer></script>'
            '<script src="/static/query.js" defer></script>')
    return _page("budgetkg — query", f'<h1>Query budgetkg</h1><p>SPARQL endpoint <code>/sparql</code> · '
                 f'<a href="/">questions with parameters</a> · <a href="/dumps/">dumps</a></p>'
                 f'{picker}<div id="yasgui"></div>{data}', head=head)


def dumps_page(files: list, snapshot: str) -> str:
    """The N-Quads dumps of the snapshot being served."""
    rows = "".join(
        f'<tr><td><a href="/dumps/{html.escape(f.name, quote=True)}">{html.escape(f.name)}</a></td>'
        f'<td>{link(f.graph, "") if f.graph else "every graph (documents, ontology)"}</td>'
        f'<td class="num">{f.quads}</td><td class="num">{f.size}&nbsp;bytes</td></tr>' for f in files)
    return _page("budgetkg — dumps", "<h1>N-Quads dumps</h1><p>gzipped N-Quads of the snapshot being served "
                 f"(<code>{html.escape(snapshot)}</code>), regenerated after each build: the whole dataset "
                 "and one file per document (its named graph).</p><table><thead><tr><th>file</th><th>graph</th>"
                 f"<th>quads</th><th>size</th></tr></thead><tbody>{rows}</tbody></table>")
