"""Named queries: one `queries/*.rq` file per researcher question, with a header
(`# title:`, `# question:`, `# params: name type = default`) and values bound by
pyoxigraph substitutions, never pasted into the text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from ..extract.errors import QueryError, QueryNotFound

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Param:
    name: str
    datatype: str
    default: str | None


@dataclass
class NamedQuery:
    name: str
    title: str
    question: str
    params: list[Param]
    text: str
    title_zh: str = ""
    question_zh: str = ""


def _parse(name: str, text: str) -> NamedQuery:
    title = question = ""
    zh: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        m = re.match(r"#\s*(title|question|params?)(@zh)?\s*:\s*(.*)$", line)
        if not m:
            continue
        key, lang, value = m.groups()
        if lang:        # the Chinese title or question beside the English one (`# question@zh: …`)
            zh[key] = value.strip()
        elif key == "title":
            title = value.strip()
        elif key == "question":
            question = value.strip()
        else:
            for part in value.split(";"):
                pm = re.match(r"\s*(\w+)\s+(\S+)(?:\s*=\s*\"?([^\"]*)\"?)?\s*$", part)
                if pm:
                    params.append(Param(pm.group(1), pm.group(2), pm.group(3)))
    return NamedQuery(name=name, title=title, question=question, params=params, text=text,
                      title_zh=zh.get("title", ""), question_zh=zh.get("question", ""))


def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("budgetkg.queries")
    out = {}
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            out[f.name[:-3]] = _parse(f.name[:-3], f.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> NamedQuery:
    q = named_queries().get(name)
    if q is None:
        raise QueryNotFound(f"no named query {name!r}; known: {', '.join(named_queries())}")
    return q


def load_query_text(arg: str) -> tuple[str, NamedQuery | None]:
    """A path to an .rq file, a named query, or inline SPARQL."""
    p = Path(arg)
    if arg.endswith(".rq") and p.exists():
        return p.read_text(encoding="utf-8"), _parse(p.stem, p.read_text(encoding="utf-8"))
    if arg.endswith(".rq") or re.fullmatch(r"[\w-]+", arg):
        q = get_query(Path(arg).stem)
        return q.text, q
    return arg, None


def bind(q: NamedQuery | None, values: dict[str, str]) -> dict[ox.Variable, ox.Literal | ox.NamedNode]:
    subs: dict[ox.Variable, ox.Literal | ox.NamedNode] = {}
    params = {p.name: p for p in (q.params if q else [])}
    for name, value in values.items():
        if name not in params:
            raise QueryError(f"unknown parameter {name!r}" + (f"; known: {', '.join(params)}" if params else ""))
    for name, p in params.items():
        value = values.get(name, p.default)
        if value is None or value == "":
            continue
        if p.datatype == "iri":
            subs[ox.Variable(name)] = ox.NamedNode(value)
        else:
            dt = p.datatype.replace("xsd:", XSD)
            subs[ox.Variable(name)] = ox.Literal(value, datatype=ox.NamedNode(dt))
    return subs


def with_values(text: str, substitutions: dict) -> str | None:
    """Bind parameters as a VALUES block opening each WHERE group: the outermost one gets every
    parameter, and a subquery's gets those it names — so a subquery that groups over a parameter's
    variable (the largest figure per document of *this* code) is seeded by it instead of grouping
    the whole store first (a VALUES outside a subquery never reaches into it). Terms are serialised
    by pyoxigraph (escaped N-Triples), so a value can never become query syntax. Oxigraph plans a
    leading VALUES as a join seed; its `substitutions` argument is evaluated far later."""
    if not substitutions:
        return None
    from .guard import tokens
    toks = list(tokens(text))
    names = {str(v): (v, t) for v, t in substitutions.items()}
    inserts: list[tuple[int, str]] = []
    outer = True
    for i, (kind, tok, pos) in enumerate(toks):
        if not (kind == "word" and tok.upper() == "WHERE" and i + 1 < len(toks) and toks[i + 1][1] == "{"):
            continue
        depth, j = 0, i + 1
        named: set[str] = set()
        while j < len(toks):                      # the group's tokens, to its closing brace
            k, t, _ = toks[j]
            depth += (t == "{") - (t == "}")
            if k == "var":
                named.add("?" + t[1:])
            if depth == 0:
                break
            j += 1
        chosen = list(names) if outer else [n for n in names if n in named]
        outer = False
        if chosen:
            block = (f"\n  VALUES ({' '.join(chosen)}) {{ ({' '.join(str(names[n][1]) for n in chosen)}) }}\n")
            inserts.append((toks[i + 1][2] + 1, block))
    if not inserts:
        return None
    for at, block in reversed(inserts):
        text = text[:at] + block + text[at:]
    return text


def restrict(text: str, var: str, iris) -> str:
    """The query limited to these IRIs for ?var: a VALUES block of them opening its outermost
    WHERE (the many-valued sibling of `with_values`; IRIs serialised by pyoxigraph)."""
    if "WHERE {" not in text:
        raise QueryError(f"cannot restrict ?{var}: the query has no `WHERE {{`")
    block = f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in sorted(iris))} }}"
    return text.replace("WHERE {", "WHERE {\n  " + block, 1)


def run(store: ox.Store, text: str, substitutions: dict | None = None):
    try:
        if substitutions:
            bound = with_values(text, substitutions)
            if bound is not None:
                return store.query(bound, use_default_graph_as_union=True)
        return store.query(text, substitutions=substitutions or None, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def rows(target, text: str) -> Iterator[dict[str, str | None]]:
    """The rows of `select`, one at a time from a local store (a reader that keeps a little of
    each row holds no more than that); all at once from a server's answer."""
    from .remote import RemoteStore
    if isinstance(target, RemoteStore):
        yield from select(target, text)[1]
        return
    result = run(target, text)
    names = [v.value for v in result.variables]
    for sol in result:
        yield {n: (sol[n].value if sol[n] is not None else None) for n in names}


def select(target, text: str, substitutions: dict | None = None) -> tuple[list[str], list[dict[str, str | None]]]:
    """Variables and rows (values as strings, None when unbound) from a local store or a
    remote server, the parameters bound the same way for both."""
    from .remote import RemoteStore
    if isinstance(target, RemoteStore):
        bound = with_values(text, substitutions) if substitutions else text
        if bound is None:
            raise QueryError("parameters need a query with a WHERE clause")
        data = target.select(bound)
        names = data["head"]["vars"]
        return names, [{n: b.get(n, {}).get("value") for n in names} for b in data["results"]["bindings"]]
    result = run(target, text, substitutions)
    names = [v.value for v in result.variables]
    return names, [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in result]
