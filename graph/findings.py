"""Findings written into the graph at build time, read back for `budgetkg check`."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .queries import get_query, run

SEVERITIES = ("error", "warning", "info")


@dataclass
class StoredSide:
    label: str
    printed: str
    table: str | None
    row: int | None
    line: int | None
    page: int | None


@dataclass
class StoredFinding:
    source: str
    severity: str
    rule: str
    message: str
    sides: list[StoredSide] = field(default_factory=list)


def stored_findings(store: ox.Store, *, min_severity: str = "info") -> list[StoredFinding]:
    keep = SEVERITIES[: SEVERITIES.index(min_severity) + 1]
    out: dict[str, StoredFinding] = {}
    for sol in run(store, get_query("findings").text):
        v = {n: (sol[n].value if sol[n] is not None else None) for n in
             ("source", "severity", "rule", "message", "side", "label", "printed", "table", "row", "line", "page", "finding")}
        if v["severity"] not in keep:
            continue
        f = out.setdefault(v["finding"], StoredFinding(v["source"], v["severity"], v["rule"], v["message"]))
        if v["side"] is not None:
            f.sides.append(StoredSide(v["label"], v["printed"], v["table"],
                                      *(int(v[k]) if v[k] is not None else None for k in ("row", "line", "page"))))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out.values(), key=lambda f: (order[f.severity], f.source, f.rule, f.message))
