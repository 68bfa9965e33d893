"""The HTML a researcher reads: the list of questions with their parameters and a box to type
SPARQL, answers as tables whose IRIs link to the pages of the resources they name, and one page
per resource, titled by its label, each property once. Everything printed is escaped, and only
http(s) IRIs become links (a `javascript:` IRI in the data stays text)."""
from __future__ import annotations

import html

from .queries import NamedQuery

AMOUNT = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name")
_STYLE = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
          "td,th{border:1px solid #999;padding:3px 6px;vertical-align:top;word-break:keep-all}"
          "textarea{width:100%;font-family:monospace}")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")


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
                 '<a href="/.well-known/void">dataset description</a></p>'
                 f"<h2>Ask in SPARQL</h2>{box}<h2>Questions</h2><ul>" + "".join(items) + "</ul>")


def _value(b: dict | None, base: str) -> str:
    if not b:
        return ""
    if b["type"] == "uri":
        return link(b["value"], base)
    return html.escape(b["value"])


def results_page(title: str, data: dict, base: str, *, truncated: bool = False) -> str:
    if "boolean" in data:
        return _page(title, f"<h1>{html.escape(title)}</h1><p>{'true' if data['boolean'] else 'false'}</p>")
    names = data["head"].get("vars", [])
    rows = data.get("results", {}).get("bindings", [])
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(f"<td>{_value(r.get(n), base)}</td>" for n in names) + "</tr>" for r in rows)
    cut = " (truncated: the endpoint's result limit was reached)" if truncated else ""
    return _page(title, f"<h1>{html.escape(title)}</h1><p>{len(rows)} row(s){cut}</p>"
                        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def label_of(rows: list[dict]) -> str | None:
    """The resource's own label (Chinese first) among its describe rows."""
    found = [(r["o"].get("xml:lang") != "zh", _LABELS.index(r["p"]["value"]), r["o"]["value"]) for r in rows
             if r["p"]["value"] in _LABELS and r["o"]["type"] == "literal"]
    return min(found)[2] if found else None


def resource_page(iri: str, rows: list[dict], base: str) -> str:
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
    return _page(title, f"<h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p>"
                        f"<table><tbody>{body}</tbody></table>")
