"""The gate every query passes before the engine sees it: a SPARQL tokenizer (strings, long
strings, escapes, IRIs and comments told apart as the grammar does), not a pattern over the raw
text. It refuses SERVICE wherever it stands, SPARQL Update, and queries whose size, nesting or
operator chains would overflow the parser's stack (3,000 nested `{` crash Oxigraph's parser).

Linear in the query's length; the query's size is checked before anything else is done."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.errors import QueryError

DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_OPERATORS = 2000

_PN_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(r"""
 (?P<ws>[ \t\r\n]+)
|(?P<comment>\#[^\n\r]*)
|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
|(?P<str>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
|(?P<var>[?$][^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
|(?P<bnode>_:[\w\-.]*)
|(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
|(?P<pname>(?:[^\W\d_][\w\-.]*)?:(?:[\w\-.:]|%[0-9A-Fa-f]{2}|""" + _PN_ESC + r""")*)
|(?P<word>[^\W\d][\w\-]*)
|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*=<>!+\-/?^|])
""", re.X | re.S)

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = {v: k for k, v in _OPEN.items()}
#: tokens the parser folds into chains it walks recursively
_CHAINS = {"&&", "||", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^", "!",
           "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND"}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_SERVICE_IN_IRI = re.compile(r"(?i)(?:^|[^A-Za-z0-9_])SERVICE(?:$|[^A-Za-z0-9_])")


@dataclass(frozen=True)
class Limits:
    """What a query may be before it is parsed."""
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_operators: int = DEFAULT_MAX_OPERATORS


@dataclass(frozen=True)
class Checked:
    """A query that passed: its form (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    form: str
    text: str


def tokens(text: str):
    """(kind, text, offset) for every significant token; QueryError at the first character no
    SPARQL token starts with (an unterminated string, a stray backslash …)."""
    pos, end = 0, len(text)
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            line = text.count("\n", 0, pos) + 1
            near = text[pos:pos + 12].split("\n")[0]
            what = "unterminated string" if text[pos] in "'\"" else f"unexpected {near!r}"
            raise QueryError(f"SPARQL syntax error at line {line}: {what}")
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, m.group(), pos
        pos = m.end()


def check_query(text: str, limits: Limits | None = None) -> Checked:
    """Refuse what the endpoint never evaluates; return the query's form. Every refusal is a
    QueryError (400) with one line saying why."""
    lim = limits or Limits()
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > lim.max_bytes:
        raise QueryError(f"query too large: {size} bytes (at most {lim.max_bytes})")
    if "\x00" in text:
        raise QueryError("query contains a NUL character")
    stack: list[str] = []
    chains = 0
    form: str | None = None
    for kind, tok, pos in tokens(text):
        if kind == "word":
            word = tok.upper()
            if word == "SERVICE":
                raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
            if form is None:
                if word in _FORMS:
                    form = word
                elif word in _UPDATE:
                    raise QueryError("this endpoint is read-only: SPARQL Update is refused")
            if word in _CHAINS:
                chains += 1
        elif kind == "iri":
            if _SERVICE_IN_IRI.search(tok) and re.search(r"[()&|!=]", tok):
                raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
        elif kind == "punct":
            if tok in _OPEN:
                stack.append(tok)
                if len(stack) > lim.max_depth:
                    raise QueryError(f"query nested too deeply (more than {lim.max_depth} levels of brackets)")
            elif tok in _CLOSE:
                if not stack or stack[-1] != _CLOSE[tok]:
                    line = text.count("\n", 0, pos) + 1
                    raise QueryError(f"SPARQL syntax error at line {line}: unbalanced {tok!r}")
                stack.pop()
            elif tok in _CHAINS:
                chains += 1
        if chains > lim.max_operators:
            raise QueryError(f"query too complex (more than {lim.max_operators} operators)")
    if stack:
        raise QueryError(f"SPARQL syntax error: {stack[-1]!r} never closed")
    if form is None:
        raise QueryError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return Checked(form=form, text=text)
