"""Findings written into the graph at build time, read back for `budgetkg check`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .queries import get_query, select

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


def stored_findings(store, *, min_severity: str = "info") -> list[StoredFinding]:
    """Findings of a local store or a remote server, least severe last."""
    keep = SEVERITIES[: SEVERITIES.index(min_severity) + 1]
    out: dict[str, StoredFinding] = {}
    for v in select(store, get_query("findings").text)[1]:
        if v["severity"] not in keep:
            continue
        f = out.setdefault(v["finding"], StoredFinding(v["source"], v["severity"], v["rule"], v["message"]))
        if v["side"] is not None:
            f.sides.append(StoredSide(v["label"], v["printed"], v["table"],
                                      *(int(v[k]) if v[k] is not None else None for k in ("row", "line", "page"))))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out.values(), key=lambda f: (order[f.severity], f.source, f.rule, f.message))
