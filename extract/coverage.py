"""Completeness, measured: for every table, how many rows were read, how many became
facts, and why each other row with a figure in it did not. Nothing is skipped silently."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Document, Record
from .numbers import is_amount


@dataclass
class SkippedRow:
    row: int
    line: int | None
    page: int | None
    raw: str
    reason: str


@dataclass
class TableCoverage:
    index: int
    title: str
    kind: str | None
    rows: int
    fact_rows: int
    skipped: list[SkippedRow] = field(default_factory=list)


def has_figure(texts: list[str]) -> bool:
    return any(is_amount(t) and re.search(r"[.,]\d", t) for t in texts)


def coverage_of(doc: Document, records: list[Record], skipped: list[tuple[int, int, str, str]]) -> list[TableCoverage]:
    facts = {(r.prov.table, r.prov.row) for r in records if getattr(r, "prov", None) is not None}
    reasons: dict[tuple[int, int], str] = {}
    for t, i, _, why in skipped:
        reasons.setdefault((t, i), why)
    out = []
    for table in doc.tables:
        cov = TableCoverage(index=table.index, title=table.title, kind=table.kind, rows=len(table.body), fact_rows=0)
        for i, row in enumerate(table.body):
            key = (table.index, i)
            if key in facts:
                cov.fact_rows += 1
                if key in reasons:      # a fact was made, with a caveat
                    cov.skipped.append(SkippedRow(i, row.line, row.page, row.raw, reasons[key]))
            elif key in reasons:
                cov.skipped.append(SkippedRow(i, row.line, row.page, row.raw, reasons[key]))
            elif has_figure(row.texts):
                why = "table not recognised as a known kind" if table.kind is None else \
                      f"row produced no fact in a {table.kind} table"
                cov.skipped.append(SkippedRow(i, row.line, row.page, row.raw, why))
        out.append(cov)
    return out
