"""file → Document → profile + records (+ coverage), one function per stage."""
from __future__ import annotations

from pathlib import Path

from . import narrative, tables
from .checks import Finding, check, check_statements
from .statements import statements
from .coverage import coverage_of
from .extraction import Extraction
from .figures import account
from .project_text import stated_project_money
from .errors import ExtractionError, NotABudgetDocument
from .model import BudgetLine, Document, DocumentProfile, Record, Table, TableRecord, ThreePublicLine, TotalLine
from .tables.base import Interpretation
from .readers import read_path
from .recognise import profile_of


def _interpret(module, kind: str, table: Table, unit: int, year: int | None, source: str) -> Interpretation:
    """One table's records. A table that breaks its interpreter is reported by file, page and
    table, its rows listed as skipped; the rest of the document is still built."""
    if not table.rows:
        return Interpretation()
    try:
        return module.interpret(table, unit, year) if kind == "three-public" else module.interpret(table, unit)
    except Exception as exc:  # a defect of ours on an unforeseen layout: contained to this table
        err = ExtractionError(f"could not be interpreted as {kind} ({type(exc).__name__}: {exc})",
                              source=source, page=table.page, table=table.title or f"#{table.index}")
        return Interpretation(warnings=[str(err)],
                              skipped=[(i, r.raw, "table could not be interpreted") for i, r in enumerate(table.body)])


def document_to_extraction(doc: Document, *, checks: bool = True) -> Extraction:
    profile = profile_of(doc)
    records: list[Record] = []
    table_records: list[TableRecord] = []
    warnings: list[str] = []
    skipped: list[tuple[int, int, str, str]] = []
    for table in doc.tables:
        found = tables.recognise(table)
        if found is None:
            continue
        kind, module = found
        table.kind = kind
        unit = table.unit_mult if table.unit_mult is not None else (profile.unit_mult or 0)
        if table.unit_mult is None and not kind.startswith("performance") and table.body:
            warnings.append(f"table {table.index} {table.title!r}: no unit printed, assumed that of the document")
        result = _interpret(module, kind, table, unit, profile.year, doc.source)
        records.extend(result.records)
        warnings.extend(result.warnings)
        skipped.extend((table.index, i, raw, why) for i, raw, why in result.skipped)
        table_records.append(TableRecord(index=table.index, title=table.title, kind=kind, unit_mult=table.unit_mult,
                                         rows=len(table.body), facts=len(result.records),
                                         declared_empty=table.is_declared_empty(), line=table.line, page=table.page,
                                         total=result.total[0] if result.total else None,
                                         total_prov=result.total[1] if result.total else None))
    records.extend(narrative.responsibilities(doc))
    stated = statements(doc)
    if not table_records:
        # an explanation published apart from its tables (预算公开说明): its facts are stated in prose
        if not (stated and profile.kind and (profile.department or profile.year)):
            raise NotABudgetDocument("no budget table recognised (not a 预算/决算 document?)", source=doc.source)
        profile.document_kind = "预算说明" if profile.kind != "决算" else "决算说明"
    if profile.year is None:
        warnings.append("fiscal year not found in the document")
    if profile.department is None:
        warnings.append("issuing department not found (a blank template?)")
    uncertain = {(t, r) for t, r, _, _ in skipped}
    figures = any(isinstance(r, (BudgetLine, TotalLine, ThreePublicLine)) for r in records)
    if not figures and profile.department is None:
        profile.template = True
    if profile.template:
        # a blank template: its empty tables are facts, its missing figures are not errors
        findings = [Finding(rule="blank-template", severity="info",
                            message="a blank template (placeholder department, no figures): described, not checked")]
    else:
        findings = (check(records, table_records, kind=profile.kind, year=profile.year, uncertain=uncertain)
                    + check_statements(records, stated, kind=profile.kind, year=profile.year)) if checks else []
        if profile.document_kind in ("预算说明", "决算说明", "绩效目标"):
            # its tables are published in another file: their absence here is no finding
            findings = [f for f in findings if f.rule != "required-table-present"]
    return Extraction(document=doc, profile=profile, tables=table_records, records=records,
                      warnings=warnings, skipped=skipped, findings=findings,
                      coverage=coverage_of(doc, records, skipped), statements=stated,
                      figures=account(doc, records, stated, skipped),
                      project_money=stated_project_money(doc))


def extract_path(path: str | Path, *, checks: bool = True, workers: int = 1) -> Extraction:
    from .readers.pdf import PdfSettings
    return document_to_extraction(read_path(path, pdf_settings=PdfSettings(workers=workers)), checks=checks)
