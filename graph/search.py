"""The full-text index: SQLite FTS5 (the standard library's sqlite3) over jieba's words of the
names and descriptions the graph holds — projects and their descriptions, indicators,
self-evaluation records, duties, stated figures — each row linked to its IRI and to its document,
page, table, row and line.

    index_store(store_path) → the index, (re)built beside the store from its newest snapshot
    search(store_path, "专精特新") → hits, best first (bm25; a name counts twice a description)

`budgetkg build` builds it at the end of every build; `budgetkg search --rebuild` rebuilds it from
the store alone. The words are jieba's with the topic scheme's labels as user dictionary
(extract/topics.py), so 专精特新 is one word in the index and in the question."""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..extract.errors import QueryError, StoreError
from ..extract.topics import search_tokens, segment
from .store import current_snapshot

INDEX_NAME = "budgetkg-search.sqlite"
#: the columns each hit carries besides its words
COLUMNS = ("iri", "kind", "name", "description", "document", "source", "title", "page", "tbl", "row", "line")
_SCHEMA = ("CREATE VIRTUAL TABLE items USING fts5(name_words, text_words, "
           + ", ".join(f"{c} UNINDEXED" for c in COLUMNS) + ", tokenize='unicode61')")
_WORD = re.compile(r"\w")
DEFAULT_LIMIT = 20


@dataclass
class Hit:
    iri: str
    kind: str           # project, indicator, performance, duty or statement
    name: str
    description: str
    document: str
    source: str
    title: str | None
    page: int | None
    table: str | None
    row: int | None
    line: int | None
    score: float        # bm25, higher is better

    def as_dict(self) -> dict:
        return asdict(self)


def index_path(store_path: str | Path) -> Path:
    return Path(store_path) / INDEX_NAME


def _items_query() -> str:
    return resources.files("budgetkg.graph").joinpath("search_items.rq").read_text(encoding="utf-8")


def _words(text: str) -> str:
    return " ".join(w for w in search_tokens(text) if _WORD.search(w))


def store_to_rows(store: ox.Store) -> list[tuple]:
    """The index's rows, read from a store (the union of its graphs)."""
    rows = []
    for s in store.query(_items_query(), use_default_graph_as_union=True):
        v = {n: (s[n].value if s[n] is not None else None) for n in
             ("item", "kind", "name", "description", "document", "source", "title", "page", "table", "row", "line")}
        if not (v["name"] or v["description"]):
            continue
        rows.append((_words(v["name"] or ""), _words(v["description"] or ""), v["item"], v["kind"], v["name"],
                     v["description"], v["document"], v["source"], v["title"], v["page"], v["table"], v["row"],
                     v["line"]))
    return rows


def index_store(store_path: str | Path, store: ox.Store | None = None) -> int:
    """(Re)build the index beside the store from its newest snapshot (or the store given); written
    under a temporary name and renamed, so a reader sees the old index or the new one. The number
    of rows indexed."""
    path = Path(store_path)
    if store is None:
        try:
            store = ox.Store.read_only(str(current_snapshot(path)))
        except OSError as exc:
            raise StoreError(f"cannot read the store to index it: {exc}", source=str(path)) from exc
    rows = store_to_rows(store)
    final = index_path(path)
    tmp = final.with_name(f".{final.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute(_SCHEMA)
        db.executemany(f"INSERT INTO items VALUES ({', '.join('?' * (len(COLUMNS) + 2))})", rows)
        db.commit()
    finally:
        db.close()
    os.replace(tmp, final)
    return len(rows)


def question_to_match(q: str, any_word: bool = False) -> str | None:
    """An FTS5 MATCH expression: each of jieba's words of the question quoted (so no word is
    syntax), all required (or any)."""
    words = [w for w in segment(q) if _WORD.search(w)]
    if not words:
        return None
    return (" OR " if any_word else " AND ").join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))


def _int(v):
    return int(v) if v not in (None, "") else None


def search(store_path: str | Path, q: str, limit: int = DEFAULT_LIMIT, kind: str | None = None) -> list[Hit]:
    """The index's hits for a question, best first: every word of it when some rows hold them
    all, else any of them."""
    path = index_path(store_path)
    if not path.is_file():
        raise StoreError("no search index here; build the store or run `budgetkg search --rebuild`",
                         source=str(store_path))
    if not q.strip():
        raise QueryError("empty search")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        hits: list = []
        for any_word in (False, True):
            match = question_to_match(q, any_word)
            if match is None:
                return []
            sql = (f"SELECT {', '.join(COLUMNS)}, -bm25(items, 2.0, 1.0) AS score FROM items WHERE items MATCH ?"
                   + (" AND kind = ?" if kind else "") + " ORDER BY bm25(items, 2.0, 1.0), iri LIMIT ?")
            hits = db.execute(sql, (match, kind, limit) if kind else (match, limit)).fetchall()
            if hits:
                break
    except sqlite3.Error as exc:
        raise QueryError(f"search failed: {exc}") from exc
    finally:
        db.close()
    return [Hit(iri=h[0], kind=h[1], name=h[2], description=h[3] or "", document=h[4], source=h[5], title=h[6],
                page=_int(h[7]), table=h[8], row=_int(h[9]), line=_int(h[10]), score=round(h[11], 4)) for h in hits]


def hits_to_html(q: str, hits: list[Hit], base: str) -> str:
    """The hits as a page: each name links to its resource's page, each document to its own,
    with page, table, row and line; everything escaped."""
    import html
    from .pages import _page, href_for

    def link(iri: str | None, text: str) -> str:
        href = href_for(iri, base) if iri else None
        t = html.escape(text)
        return f'<a href="{html.escape(href)}">{t}</a>' if href else t

    head = "".join(f"<th>{h}</th>" for h in ("#", "kind", "name", "description", "document", "page", "table",
                                              "row", "line", "score"))
    body = []
    for i, h in enumerate(hits, 1):
        cells = [str(i), html.escape(h.kind), link(h.iri, h.name), html.escape(h.description[:200]),
                 link(h.document, h.source), *(html.escape("" if v is None else str(v))
                                                for v in (h.page, h.table, h.row, h.line, h.score))]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    form = (f'<form action="/search" method="get"><input name="q" value="{html.escape(q)}">'
            '<input type="hidden" name="format" value="html"><button>Search</button></form>')
    return _page(f"Search: {q}", f"<h1>Search: {html.escape(q)}</h1>{form}<p>{len(hits)} hit(s)</p>"
                 f"<table><tr>{head}</tr>{''.join(body)}</table>")
