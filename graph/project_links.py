"""The same project across years, linked: a build-level step run after the documents of a build
are written, over the whole store.

Every project (a 项目支出表 row, a 绩效目标表 or a 绩效自评表 — whatever record carries it) is read
with its document's department node and fiscal year (`project_links.rq`). Projects are matched
only within one department (departments are already one node across years and name forms), so
the cost grows with the number of departments, not with the square of the store; within a
department, the projects of each pair of years are compared by their normalised names
(`normalise`: NFKC, year prefixes such as 2026年 / 2025年度 / 24年, amounts printed in the name,
结转 markers, brackets, quotes, punctuation and whitespace dropped, a trailing 项目 / 经费 too) with
rapidfuzz's `fuzz.ratio`. A pair is linked when each is the other's best match and the score
reaches `THRESHOLD`.

The links are reference data: one `bkg:ProjectLink` per pair (earlier and later project, the
score, the method), in a graph of their own (`PROJECT_LINKS_GRAPH`) — never in a document's
graph. A build makes again the links of the departments whose documents it added or dropped,
and leaves the others' (they cannot change: projects are matched within a department); all of
them when the graph was made by other code (`links_version`) or an earlier build stopped before
making them.

Why `fuzz.ratio` (normalised Indel similarity over characters) and not a partial or token scorer:
Chinese names have no spaces, so token scorers see one token, and `partial_ratio` / `WRatio` score
a name contained in a longer one near 100 — they would link 老干部特需专项经费 to 二级行政公司老干部专项经费,
two projects one department runs side by side (ratio 55.6).

Why 78, measured on the only department with projects in two years that we have (沈阳市工业和信息化局,
2020 部门预算 × 2024 部门决算, ../shared/corpus; ../shared/corpus-real has none): renamed projects
score 80 (技术改造投资补助 / 技术改造固定资产投资补助), 83.3, 85.7 (节能宣传培训 / 工业节能宣传培训),
88.9 (法律顾问 / 法律顾问费) and 100, all eight links checked right by hand; the best mutual pair of
two different projects scores 75 (中小企业专项统计 / 中小企业服务专项). Renamings further apart are
missed (中高级职称评审工作经费 / 职称评审相关工作经费 70.6). Siblings differing by one place or unit
(黄埔分局… / 荔湾分局…, …（越秀区） / …（荔湾区）) score 85–90: 70 of the 375 project names of corpus-real
have a sibling in their own document at ≥ 78 (19 %). Hence the mutual best rule: the same sibling in the
other year scores 100 and wins; a sibling whose counterpart is missing in the other year can still
be linked to its neighbour's — the risk left."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz

from ..extract.vocab import BKG, GRAPH_BASE, OBEU_DIM, RDF, XSD

#: the reference graph the links live in (see the module's docstring for when they are made again)
PROJECT_LINKS_GRAPH = f"{GRAPH_BASE}reference/project-links"
#: the least `fuzz.ratio` (0–100) of two normalised names for a link (see the module's docstring)
THRESHOLD = 78.0
METHOD = f"rapidfuzz fuzz.ratio of normalised names, mutual best match within a department, ≥ {THRESHOLD:g}"

_AMOUNT = re.compile(r"\d+(?:[.,]\d+)*\s*(?:亿元|万元|元|亿|万)")
_YEAR = re.compile(r"(?<!\d)(?:(?:19|20)?\d{2}\s*年度?|(?:19|20)\d{2}(?!\d))")
_CARRIED = re.compile(r"(?:上年)?结转")
_SUFFIX = re.compile(r"(?:项目|经费)+$")
_MIN_KEY = 2


def normalise(name: str) -> str:
    """A project's name as compared across years: the printed year, amounts and 结转 markers out,
    no brackets, quotes, punctuation or spaces, without a trailing 项目/经费."""
    text = unicodedata.normalize("NFKC", name)
    text = _AMOUNT.sub("", text)
    text = _YEAR.sub("", text)
    text = _CARRIED.sub("", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z", "S", "C")))
    stripped = _SUFFIX.sub("", text)
    return stripped if len(stripped) >= _MIN_KEY else text


@dataclass(frozen=True)
class ProjectRef:
    iri: str
    label: str
    department: str
    year: int
    document: str


@dataclass(frozen=True)
class Link:
    earlier: ProjectRef
    later: ProjectRef
    score: Decimal          # fuzz.ratio of the normalised names, 0–100, two decimals


def _rows_query() -> str:
    return resources.files("budgetkg.graph").joinpath("project_links.rq").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def links_version() -> str:
    """What the links depend on besides the documents: this module and its query. Kept in the
    links graph, so that a build by other code links every department again."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(_rows_query().encode())
    return h.hexdigest()[:16]


def read_projects(target, departments: set[str] | None = None) -> list[ProjectRef]:
    """Every project of the store with its department and year (a pyoxigraph Store or a
    RemoteStore), or those of `departments` only."""
    from .queries import restrict, select
    text = _rows_query() if departments is None else restrict(_rows_query(), "department", departments)
    _, rows = select(target, text)
    return sorted({ProjectRef(r["project"], r["label"], r["department"], int(r["year"]), r["document"])
                   for r in rows if r["year"] is not None}, key=lambda p: (p.department, p.year, p.iri))


def match_years(a: dict[str, list[ProjectRef]], b: dict[str, list[ProjectRef]]) -> list[tuple[str, str, float]]:
    """Mutual best matches at or above THRESHOLD between two years' normalised names (ties go to
    the smaller name, so every run agrees)."""
    best_a: dict[str, tuple[float, str]] = {}
    best_b: dict[str, tuple[float, str]] = {}
    for ka in sorted(a):
        for kb in sorted(b):
            s = fuzz.ratio(ka, kb, score_cutoff=THRESHOLD)
            if not s:
                continue
            if s > best_a.get(ka, (0.0, ""))[0]:
                best_a[ka] = (s, kb)
            if s > best_b.get(kb, (0.0, ""))[0]:
                best_b[kb] = (s, ka)
    return [(ka, kb, s) for ka, (s, kb) in sorted(best_a.items()) if best_b[kb][1] == ka]


def find_links(projects: list[ProjectRef]) -> list[Link]:
    """The links between projects of different years of each department."""
    by_dept: dict[str, dict[int, dict[str, list[ProjectRef]]]] = {}
    for p in projects:
        key = normalise(p.label)
        if len(key) >= _MIN_KEY:
            by_dept.setdefault(p.department, {}).setdefault(p.year, {}).setdefault(key, []).append(p)
    links = []
    for years in by_dept.values():
        for y1, y2 in combinations(sorted(years), 2):
            for ka, kb, s in match_years(years[y1], years[y2]):
                score = Decimal(str(s)).quantize(Decimal("0.01"))
                links += [Link(pa, pb, score) for pa in years[y1][ka] for pb in years[y2][kb]]
    return links


def link_iri(base: str, link: Link) -> str:
    digest = hashlib.sha256(f"{link.earlier.iri}|{link.later.iri}".encode()).hexdigest()[:16]
    return f"{base.rstrip('/')}/project-link/{digest}"


def link_quads(links: list[Link], base: str) -> list[ox.Quad]:
    """The links as quads of PROJECT_LINKS_GRAPH."""
    g = ox.NamedNode(PROJECT_LINKS_GRAPH)
    N = ox.NamedNode
    quads = []
    for ln in links:
        s = N(link_iri(base, ln))
        for p, o in ((RDF.type, N(BKG.ProjectLink)), (BKG.earlierProject, N(ln.earlier.iri)),
                     (BKG.laterProject, N(ln.later.iri)), (OBEU_DIM.organization, N(ln.earlier.department)),
                     (BKG.linkScore, ox.Literal(format(ln.score, "f"), datatype=N(XSD.decimal))),
                     (BKG.linkMethod, ox.Literal(METHOD))):
            quads.append(ox.Quad(s, N(p), o, g))
    return quads


def _version_quad() -> ox.Quad:
    from .store import version_quad
    return version_quad(PROJECT_LINKS_GRAPH, links_version())


def _department_links(store: ox.Store, departments: set[str]) -> list[ox.Quad]:
    """The quads of the links graph that are links of these departments."""
    g = ox.NamedNode(PROJECT_LINKS_GRAPH)
    org = ox.NamedNode(OBEU_DIM.organization)
    out = []
    for d in departments:
        for q in store.quads_for_pattern(None, org, ox.NamedNode(d), g):
            out.extend(store.quads_for_pattern(q.subject, None, None, g))
    return out


#: the projects linked and written at a time (whole departments, as many as make at most this
#: many projects; a larger department alone): the end of a build holds one chunk's links,
#: however many the store has
PROJECTS_AT_ONCE = 5_000


def link_projects(store, base: str, departments: set[str] | None = None) -> int:
    """Read the projects of `store`, link, and write PROJECT_LINKS_GRAPH: all of it, or with
    `departments` (those whose documents a build added or dropped) only their links — projects
    are linked within a department, so the others' links stand — unless the graph was made by
    other code or the departments are many (`PARTIAL_DEPARTMENTS`). `store` is the build's
    LocalStore or RemoteStore (or a writable pyoxigraph Store); a LocalStore's links are written
    a chunk of departments at a time (`PROJECTS_AT_ONCE`), each chunk by its difference. Returns the
    number of links."""
    from .across import PARTIAL_DEPARTMENTS, department_runs
    from .store import LocalStore, replace_graph
    reader = getattr(store, "store", store)         # a LocalStore reads through its pyoxigraph Store
    if not isinstance(store, LocalStore):
        links = find_links(read_projects(reader))
        quads = link_quads(links, base) + [_version_quad()]
        if isinstance(store, ox.Store):
            replace_graph(store, PROJECT_LINKS_GRAPH, quads)
        else:
            store.write_reference_graph(PROJECT_LINKS_GRAPH, quads)
        return len(links)
    whole = departments is None or len(departments) > PARTIAL_DEPARTMENTS or _version_quad() not in reader
    projects: dict[str, list[ProjectRef]] = {}
    for p in read_projects(reader, None if whole else departments):
        projects.setdefault(p.department, []).append(p)
    if whole:
        departments = set(projects)
    n = 0
    for chunk in department_runs({d: len(projects.get(d, ())) for d in departments}, PROJECTS_AT_ONCE):
        made = find_links([p for d in chunk for p in projects.get(d, [])])
        store.write_reference_graph(PROJECT_LINKS_GRAPH, link_quads(made, base),
                                    within=_department_links(reader, set(chunk)))
        n += len(made)
    if whole:       # the links of departments without projects now go; this code's version
        g = ox.NamedNode(PROJECT_LINKS_GRAPH)
        stale = [q for link in reader.quads_for_pattern(None, ox.NamedNode(OBEU_DIM.organization), None, g)
                 if link.object.value not in departments
                 for q in reader.quads_for_pattern(link.subject, None, None, g)]
        stale += list(reader.quads_for_pattern(g, None, None, g))
        store.write_reference_graph(PROJECT_LINKS_GRAPH, [_version_quad()], within=stale)
    return n
