"""What one document became: its profile, tables, records, statements, findings and accounts.

A plain value, made by the pipeline and read by the RDF stage, the build and the CLI. It sits
right above the stages whose results it bundles (checks, statements, coverage, figures,
project_text) and below everything that reads it — to-RDF and the pipeline — so the RDF stage
never imports the pipeline (tests/test_layers.py keeps it so)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .checks import Finding
from .coverage import TableCoverage
from .figures import FigureAccount
from .model import Document, DocumentProfile, Record, TableRecord
from .project_text import StatedProjectMoney
from .statements import Statement


@dataclass
class Extraction:
    document: Document
    profile: DocumentProfile
    tables: list[TableRecord]
    records: list[Record]
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, int, str, str]] = field(default_factory=list)  # table, row, raw, reason
    findings: list[Finding] = field(default_factory=list)
    coverage: list[TableCoverage] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    figures: FigureAccount = field(default_factory=FigureAccount)
    project_money: list[StatedProjectMoney] = field(default_factory=list)   # stated in project summaries

    @property
    def rows_skipped(self) -> int:
        return sum(len(c.skipped) for c in self.coverage)

    @property
    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.tables:
            out[t.kind] = out.get(t.kind, 0) + 1
        return out
