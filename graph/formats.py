"""Answers as bytes, capped: SPARQL results (JSON, XML, CSV, TSV) and graphs (Turtle,
N-Triples, JSON-LD, RDF/XML), written row by row so that the cap counts bytes, not rows,
and a truncated answer says so (JSON `head.link`, XML `<link>`, and for every format the
`X-Truncated` header the server sets). Content negotiation by Accept, `format=` first."""
from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..extract.errors import QueryError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: result formats of SELECT/ASK: name → media type
RESULTS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
           "csv": "text/csv", "tsv": "text/tab-separated-values"}
#: graph formats of CONSTRUCT/DESCRIBE (and of resource pages)
GRAPHS = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
          "rdfxml": "application/rdf+xml"}
_RDF = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML}
#: media types clients send, each to the name of a format
MEDIA = {"application/sparql-results+json": "json", "application/json": "json",
         "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
         "text/csv": "csv", "text/tab-separated-values": "tsv",
         "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
         "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
         "text/html": "html", "application/xhtml+xml": "html"}
#: `format=` values understood (the short names, and a few common aliases)
ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html", "turtle": "turtle",
           "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
           "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml", "xml-rdf": "rdfxml"}


class NotAcceptable(QueryError):
    """No format the client accepts is one this answer can be written in."""
    status = 406


@dataclass
class Answer:
    """What a worker sends back: the bytes, their media type, and whether rows were cut."""
    body: bytes
    media_type: str
    truncated: bool = False
    rows: int = 0


def negotiate(accept: str | None, fmt: str | None, offered: list[str], default: str) -> str:
    """The format to answer in: `format=` when given, else the client's most preferred media
    type we offer (q-values honoured, `*/*` takes the default); NotAcceptable otherwise."""
    if fmt:
        name = ALIASES.get(fmt.lower()) or MEDIA.get(fmt.lower())
        if name not in offered:
            raise NotAcceptable(f"format {fmt!r} is not offered here; choose one of {', '.join(offered)}")
        return name
    if not accept or not accept.strip():
        return default
    prefs: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            prefs.append((-q, i, bits[0].lower()))
    for _, _, media in sorted(prefs):
        if media in ("*/*", "application/*", "text/*"):
            return default
        name = MEDIA.get(media)
        if name in offered:
            return name
    raise NotAcceptable("none of the accepted media types can be served; offered: "
                        + ", ".join((RESULTS | GRAPHS).get(o, "text/html") for o in offered))


def media_type(name: str) -> str:
    media = (RESULTS | GRAPHS).get(name, "text/html")
    return media + "; charset=utf-8" if media.startswith("text/") or name in ("json", "jsonld") else media


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            d["datatype"] = term.datatype.value
        return d
    return {"type": "triple", "value": str(term)}


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    v = ("_:" + term.value) if isinstance(term, ox.BlankNode) else term.value if hasattr(term, "value") else str(term)
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v


def solutions_to_answer(res, fmt: str, max_rows: int, max_bytes: int) -> Answer:
    """SELECT solutions written in `fmt`, stopping before `max_rows` rows or `max_bytes`."""
    names = [v.value for v in res.variables]
    chunks: list[str] = []
    size = 0
    truncated = False
    n = 0
    for sol in res:
        if n >= max_rows:
            truncated = True
            break
        terms = [sol[v] for v in names]
        if fmt == "json":
            row = json.dumps({k: _json_term(t) for k, t in zip(names, terms) if t is not None}, ensure_ascii=False)
        elif fmt == "xml":
            row = "<result>" + "".join(f"<binding name={quoteattr(k)}>{_xml_term(t)}</binding>"
                                       for k, t in zip(names, terms) if t is not None) + "</result>"
        elif fmt == "csv":
            row = ",".join(_csv_cell(t) for t in terms) + "\r\n"
        else:
            row = "\t".join("" if t is None else str(t) for t in terms) + "\n"
        size += len(row.encode("utf-8"))
        if size > max_bytes:
            truncated = True
            break
        chunks.append(row)
        n += 1
    if fmt == "json":
        head: dict = {"vars": names}
        if truncated:
            head["link"] = ["#truncated"]
        body = ('{"head":' + json.dumps(head) + ',"results":{"bindings":[' + ",".join(chunks) + "]}}")
    elif fmt == "xml":
        link = '<link href="#truncated"/>' if truncated else ""
        body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                + "".join(f"<variable name={quoteattr(k)}/>" for k in names) + link
                + "</head><results>" + "".join(chunks) + "</results></sparql>\n")
    elif fmt == "csv":
        body = ",".join(names) + "\r\n" + "".join(chunks)
    else:
        body = "\t".join("?" + k for k in names) + "\n" + "".join(chunks)
    return Answer(body.encode("utf-8"), media_type(fmt), truncated, n)


def boolean_to_answer(value: bool, fmt: str) -> Answer:
    if fmt == "json":
        body = json.dumps({"head": {}, "boolean": value})
    elif fmt == "xml":
        body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n")
    else:
        body = f"_askResult\r\n{'true' if value else 'false'}\r\n" if fmt == "csv" \
            else f"?_askResult\n{'true' if value else 'false'}\n"
    return Answer(body.encode("utf-8"), media_type(fmt), False, 1)


def triples_to_answer(triples, fmt: str, max_rows: int, max_bytes: int) -> Answer:
    """CONSTRUCT/DESCRIBE triples in `fmt`, at most `max_rows` triples or about `max_bytes`."""
    kept: list = []
    size = 0
    truncated = False
    for t in triples:
        size += len(str(t)) + 2
        if len(kept) >= max_rows or size > max_bytes:
            truncated = True
            break
        kept.append(t)
    return Answer(ox.serialize(kept, format=_RDF[fmt]), media_type(fmt), truncated, len(kept))
