"""The full-text index: SQLite FTS5 (the standard library's sqlite3) over jieba's words of the
names and descriptions the graph holds — projects and their descriptions, indicators,
self-evaluation records, duties, stated figures — each row linked to its IRI and to its document,
page, table, row and line.

    document_rows(quads) → one document's rows, made where the document is made (a build's
                           workers), so the main process never segments text
    IndexWriter(store_path) → the index updated by a build: each committed document's rows
                           replaced, documents gone from the store removed, any the index lacks
                           read from the store; renamed over the old index when the build ends
    index_store(store_path) → the index rebuilt beside the store from its newest snapshot
    search(store_path, "专精特新") → hits, best first (bm25; a name counts twice a description)

The words are jieba's with the topic scheme's labels as user dictionary (extract/topics.py), so
专精特新 is one word in the index and in the question."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..extract.errors import QueryError, StoreError
from ..extract.topics import search_tokens, segment
from .store import current_snapshot

INDEX_NAME = "budgetkg-search.sqlite"
#: the columns each hit carries besides its words
COLUMNS = ("iri", "kind", "name", "description", "document", "source", "title", "page", "tbl", "row", "line")
_SCHEMA = ("CREATE VIRTUAL TABLE items USING fts5(name_words, text_words, "
           + ", ".join(f"{c} UNINDEXED" for c in COLUMNS) + ", tokenize='unicode61')")
#: which rows each document holds (a contiguous range of rowids: removed without a scan), and
#: what made the index (rows made by other code are not mixed with ours)
_BOOK = ("CREATE TABLE documents (graph TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)",
         "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
_WORD = re.compile(r"\w")
_DOCUMENTS = ("PREFIX bkg: <https://w3id.org/budgetkg/ontology#> "
              "SELECT ?g WHERE { GRAPH ?g { ?g a bkg:BudgetDocument } }")
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


@lru_cache(maxsize=1)
def index_version() -> str:
    """What the rows depend on besides the documents: the items query, this module and the
    tokenizer's code (extract/topics.py with its scheme)."""
    from ..extract import topics
    h = hashlib.sha256(_items_query().encode())
    for f in (Path(__file__), Path(topics.__file__)):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _words(text: str) -> str:
    return " ".join(w for w in search_tokens(text) if _WORD.search(w))


def store_to_rows(store: ox.Store, document: str | None = None, only: set[str] | None = None) -> list[tuple]:
    """The index's rows, read from a store (the union of its graphs), one document's, or those of
    the documents in `only` (the others never segmented)."""
    rows = []
    words: dict[str, str] = {}      # a text's words, made once per call (names repeat within a document)

    def w(text: str | None) -> str:
        if not text:
            return ""
        got = words.get(text)
        if got is None:
            got = words[text] = _words(text)
        return got
    subs = {ox.Variable("document"): ox.NamedNode(document)} if document else None
    for s in store.query(_items_query(), use_default_graph_as_union=True, substitutions=subs):
        v = {n: (s[n].value if s[n] is not None else None) for n in
             ("item", "kind", "name", "description", "document", "source", "title", "page", "table", "row", "line")}
        if not (v["name"] or v["description"]) or (only is not None and v["document"] not in only):
            continue
        rows.append((w(v["name"]), w(v["description"]), v["item"], v["kind"], v["name"],
                     v["description"], v["document"], v["source"], v["title"], v["page"], v["table"], v["row"],
                     v["line"]))
    return rows


@lru_cache(maxsize=1)
def _item_predicates() -> frozenset[str]:
    """Every IRI the items query names (its prefixed names expanded, `a` as rdf:type): a
    superset of the predicates it follows, since it names each one (no variable predicate)."""
    text = "\n".join(line for line in _items_query().splitlines() if not line.lstrip().startswith("#"))
    prefixes = dict(re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", text, flags=re.I))
    iris = set(re.findall(r"<([^>\s]*)>", text))
    iris |= {prefixes[p] + local for p, local in re.findall(r"(?<![\w?$<])([\w-]*):([\w-]+)", text)
             if p in prefixes}
    return frozenset(iris | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"})


def document_rows(quads: Iterable[ox.Quad]) -> list[tuple]:
    """One document's rows from its quads alone (its graph holds everything the rows name): the
    quads of the predicates the items query names, under a third of a document's, queried in
    memory."""
    keep = _item_predicates()
    st = ox.Store()
    st.bulk_extend(q for q in quads if q.predicate.value in keep)
    return store_to_rows(st)


class IndexWriter:
    """The index as a build updates it: a working copy (of the index, when one made by this code
    is there; else empty) that each committed batch of documents writes its rows into, reconciled
    with the store and renamed over the index when the build ends — a reader sees the old index
    or the new one, and a killed build leaves the old one."""

    def __init__(self, store_path: str | Path, fresh: bool = False) -> None:
        self.final = index_path(store_path)
        self.tmp = self.final.with_name(f".{self.final.name}.{os.getpid()}")
        self.tmp.unlink(missing_ok=True)
        self._sweep()
        if not fresh and self.final.is_file() and self._ours(self.final):
            shutil.copyfile(self.final, self.tmp)
            self.db = sqlite3.connect(self.tmp)
        else:
            self.db = sqlite3.connect(self.tmp)
            self.db.execute(_SCHEMA)
            for sql in _BOOK:
                self.db.execute(sql)
            self.db.execute("INSERT INTO meta VALUES ('version', ?)", (index_version(),))
        self.next = (self.db.execute("SELECT MAX(rowid) FROM items").fetchone()[0] or 0) + 1
        self.written: set[str] = set()

    def _sweep(self) -> None:
        """Working copies left by builds that are gone (killed, or whose store flush failed):
        each is named by its process, and one whose process no longer runs is removed."""
        for stale in self.final.parent.glob(f".{self.final.name}.*"):
            pid = stale.name.rsplit(".", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                stale.unlink(missing_ok=True)
            except OSError:         # a process of another user: alive
                continue

    @staticmethod
    def _ours(path: Path) -> bool:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                got = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            return False
        return got is not None and got[0] == index_version()

    def _remove(self, graph: str) -> None:
        got = self.db.execute("SELECT lo, hi FROM documents WHERE graph = ?", (graph,)).fetchone()
        if got:
            self.db.execute("DELETE FROM items WHERE rowid BETWEEN ? AND ?", got)
            self.db.execute("DELETE FROM documents WHERE graph = ?", (graph,))

    def add(self, graph: str, rows: list[tuple]) -> None:
        """A committed document's rows, replacing any it had."""
        self._remove(graph)
        lo = self.next
        self.db.executemany(f"INSERT INTO items (rowid, name_words, text_words, {', '.join(COLUMNS)}) "
                            f"VALUES ({', '.join('?' * (len(COLUMNS) + 3))})",
                            ((lo + i, *r) for i, r in enumerate(rows)))
        self.next = lo + len(rows)
        self.db.execute("INSERT INTO documents VALUES (?, ?, ?)", (graph, lo, self.next - 1))
        self.written.add(graph)     # committed once, by `finish`: a working copy left unfinished is thrown away

    def finish(self, store: ox.Store) -> int:
        """Reconcile with the store (documents gone removed; documents the index lacks — a
        store written before, a build killed after its commit — read from it); `publish` then
        puts it in place. The number of rows."""
        try:
            present = {s["g"].value for s in store.query(_DOCUMENTS, use_default_graph_as_union=True)}
            indexed = {g for (g,) in self.db.execute("SELECT graph FROM documents")}
            for g in indexed - present:
                self._remove(g)
            missing = present - indexed - self.written
            if len(missing) > max(8, len(present) // 2):
                rows: dict[str, list] = {}
                for r in store_to_rows(store, only=missing):
                    rows.setdefault(r[6], []).append(r)
                for g in sorted(missing):
                    self.add(g, rows.get(g, []))
            else:
                for g in sorted(missing):
                    self.add(g, store_to_rows(store, g))
            self.db.commit()
            n = self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        except BaseException:
            self.abort()
            raise
        self.db.close()
        return n

    def publish(self) -> None:
        os.replace(self.tmp, self.final)

    def abort(self) -> None:
        self.db.close()
        self.tmp.unlink(missing_ok=True)


def _open_snapshot(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(current_snapshot(path)))
    except OSError as exc:
        raise StoreError(f"cannot read the store to index it: {exc}", source=str(path)) from exc


def index_store(store_path: str | Path, store: ox.Store | None = None) -> int:
    """Rebuild the index beside the store from its newest snapshot (or the store given), all of
    it; written under a temporary name and renamed. The number of rows indexed."""
    path = Path(store_path)
    writer = IndexWriter(path, fresh=True)
    n = writer.finish(store if store is not None else _open_snapshot(path))
    writer.publish()
    return n


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
