"""The HTML a researcher reads: the list of questions with their parameters, and answers as
tables whose IRIs link to the pages of the resources they name."""
from __future__ import annotations

import html

from .queries import NamedQuery


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}</style></head>"
            f"<body>{body}</body></html>")


def index_page(queries: list[NamedQuery]) -> str:
    items = []
    for q in queries:
        inputs = "".join(f'<label>{html.escape(p.name)} <input name="{html.escape(p.name)}" '
                         f'value="{html.escape(p.default or "")}"></label> ' for p in q.params)
        items.append(f'<li><form action="/queries/{html.escape(q.name)}" method="get">'
                     f'<b>{html.escape(q.title)}</b> — {html.escape(q.question)}<br>{inputs}'
                     f'<input type="hidden" name="format" value="html"><button type="submit">Ask</button>'
                     f"</form></li>")
    return _page("budgetkg", "<h1>budgetkg</h1><p>SPARQL endpoint: <code>/sparql</code> · "
                 '<a href="/.well-known/void">dataset description</a></p><ul>' + "".join(items) + "</ul>")


def results_page(title: str, data: dict, base: str) -> str:
    names = data["head"].get("vars", [])
    rows = data.get("results", {}).get("bindings", [])

    def cell(b: dict | None) -> str:
        if not b:
            return ""
        v = b["value"]
        if b["type"] == "uri":
            href = "/id/" + v[len(base):] if v.startswith(base) else v
            return f'<a href="{html.escape(href)}">{html.escape(v)}</a>'
        return html.escape(v)
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(f"<td>{cell(r.get(n))}</td>" for n in names) + "</tr>" for r in rows)
    return _page(title, f"<h1>{html.escape(title)}</h1><p>{len(rows)} row(s)</p>"
                        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
