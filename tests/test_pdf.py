"""PDF input: rendered documents (corpus rows and invented ones) give the same facts as the
same content in text, every fact on the page it was drawn on; bad PDFs get a clear error."""
from __future__ import annotations

import re
from decimal import Decimal

import pdfplumber
import pytest

from budgetkg.extract.errors import InputError
from budgetkg.extract.model import BudgetLine, Project, ThreePublicLine
from budgetkg.extract.pipeline import document_to_extraction
from budgetkg.extract.readers import read_bytes, read_path
from tests.conftest import corpus_file, extract_text
from tests.fixtures.render import (DocSpec, TableSpec, render_encrypted, render_pdf, render_scanned,
                                   render_text)

HEAD = [("para", "大连市数字经济促进局"), ("para", "2024 年部门预算")]


def corpus_table(prefix: str, title: str) -> TableSpec:
    """A real table of the corpus, its rows as the reader saw them (read at test time)."""
    doc = read_path(corpus_file(prefix))
    t = next(t for t in doc.tables if t.title == title)
    width = max(len(r.texts) for r in t.rows)
    pad = lambda r: [x for x in r.texts] + [""] * (width - len(r.texts))
    return TableSpec(title=t.title, header=[pad(r) for r in t.header], body=[pad(r) for r in t.body])


def invented_projects(n: int = 45) -> TableSpec:
    body = [["", "合 计", "", f"{n * 10:,.2f}"], ["大连市数字经济促进局本级", "", "", f"{n * 10:,.2f}"]]
    for k in range(1, n + 1):
        desc = f"项目{k}：对符合条件的中小企业给予补助，按实际完成投资的 {k % 30 + 1}% 给予一次性奖励，" \
               f"单户补助不超过 {k * 5} 万元，资金用于设备购置和数字化改造。"
        body.append(["", f"示例项目{k:02d}", desc, "10.00"])
    return TableSpec(title="项目支出预算表", header=[["部门/单位名称", "项目名称", "项目明细", "合计"]], body=body,
                     col_widths=[90, 90, 260, 60], wrap_cols=(0, 1, 2))


def facts(ex) -> set[tuple]:
    out = set()
    for r in ex.records:
        if isinstance(r, BudgetLine):
            out.add(("line", r.code, r.label, r.column.label, r.amount.value))
        elif isinstance(r, ThreePublicLine):
            out.add(("3p", r.category, r.year, r.amount.value))
        elif isinstance(r, Project):
            out.add(("project", r.name, r.description, tuple(a.value for _, a in r.amounts)))
    return out


def both(tmp_path, doc: DocSpec, **kw):
    pdf = render_pdf(doc, tmp_path / "doc.pdf", **kw)
    from_pdf = document_to_extraction(read_path(pdf))
    from_text = document_to_extraction(read_bytes(render_text(doc).encode(), source="doc.txt"))
    return pdf, from_pdf, from_text


def assert_pages(pdf, ex) -> None:
    """Every figure is printed on the page its fact names."""
    with pdfplumber.open(pdf) as p:
        pages = [re.sub(r"\s", "", pg.extract_text() or "") for pg in p.pages]
    for r in ex.records:
        if isinstance(r, BudgetLine):
            assert r.prov.page is not None
            assert r.amount.printed.replace(" ", "") in pages[r.prov.page - 1], (r.code, r.prov.page)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_corpus_rows_same_facts_as_text(tmp_path, ruled):
    doc = DocSpec(HEAD + [corpus_table("000", "一般公共预算支出表"), ("para", "注：本表为示例说明文字，位于两表之间。"),
                          corpus_table("000", "一般公共预算基本支出表")])
    pdf, a, b = both(tmp_path, doc, ruled=ruled)
    assert facts(a) == facts(b)
    assert ("line", "2150802", "一般行政管理事务（支持中小企业发展和管理支出）", "2020年预算数/合计", Decimal("5.80")) in facts(a)
    assert_pages(pdf, a)


def test_table_over_three_pages_with_wrapped_cells(tmp_path):
    doc = DocSpec(HEAD + [invented_projects(45)])
    pdf, a, b = both(tmp_path, doc, ruled=True, repeat_header=True)
    with pdfplumber.open(pdf) as p:
        assert len(p.pages) >= 3
    assert facts(a) == facts(b)
    projects = [r for r in a.records if isinstance(r, Project)]
    assert len(projects) == 45
    assert projects[44].description.endswith("资金用于设备购置和数字化改造。")   # wrapped inside its cell
    assert {r.prov.page for r in projects} >= {1, 2, 3}


def test_header_not_repeated_still_one_table(tmp_path):
    doc = DocSpec(HEAD + [invented_projects(45)])
    pdf, a, b = both(tmp_path, doc, ruled=True, repeat_header=False)
    assert facts(a) == facts(b)


def test_landscape_pages(tmp_path):
    doc = DocSpec(HEAD + [corpus_table("000", "部门支出总表")])
    pdf, a, b = both(tmp_path, doc, ruled=True, landscape=True, )
    with pdfplumber.open(pdf) as p:
        assert p.pages[0].width > p.pages[0].height
    assert facts(a) == facts(b)


def test_page_numbers_and_running_headers_do_not_become_rows(tmp_path):
    pdf = render_pdf(DocSpec(HEAD + [invented_projects(45)]), tmp_path / "doc.pdf")
    doc = read_path(pdf)
    texts = [c.text for t in doc.tables for r in t.rows for c in r.cells] + [p.text for p in doc.paragraphs]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)
    assert "预算公开专用" not in texts


def test_scanned_pdf_needs_ocr(tmp_path):
    with pytest.raises(InputError, match="no text layer — OCR needed"):
        read_path(render_scanned(tmp_path / "scan.pdf"))


def test_encrypted_truncated_and_corrupt(tmp_path):
    with pytest.raises(InputError, match="encrypted PDF"):
        read_path(render_encrypted(DocSpec(HEAD), tmp_path / "enc.pdf"))
    good = render_pdf(DocSpec(HEAD + [invented_projects(3)]), tmp_path / "good.pdf").read_bytes()
    with pytest.raises(InputError, match="PDF"):
        read_bytes(good[: len(good) // 3], source="truncated.pdf")
    with pytest.raises(InputError, match="PDF"):
        read_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20, source="corrupt.pdf")


def test_real_district_final_account_pdf():
    """The published ONLYOFFICE final account: codes over three columns, digits below the baseline."""
    from tests.conftest import CORPUS
    pdfs = sorted((CORPUS.parent / "corpus-pdf").glob("*.pdf"))
    if not pdfs:
        pytest.skip("../shared/corpus-pdf not found")
    exs = [document_to_extraction(read_path(p)) for p in pdfs]
    real = next(e for e in exs if e.profile.department)
    p = real.profile
    assert (p.department, p.division_code, p.year, p.kind) == ("上海市普陀区财政局", "310107", 2024, "决算")
    lines = {(r.code, r.column.label): r for r in real.records if isinstance(r, BudgetLine)
             and r.prov.table_title == "支出决算表"}
    r = lines[("2010601", "项目/本年支出合计")] if ("2010601", "项目/本年支出合计") in lines else \
        next(v for (c, col), v in lines.items() if c == "2010601" and v.column.measure == "total")
    assert r.amount.value == Decimal("1511.89") and r.prov.page == 10
    # one real inconsistency of the source: its text says 财政拨款收入支出总计 0.3 万元 (page 21),
    # its 财政拨款收入支出决算总表 prints 2,961.68 (page 13); nothing else is an error
    errs = [f for f in real.findings if f.severity == "error"]
    assert [(f.rule, [(s.printed, s.prov.page) for s in f.sides]) for f in errs] == [
        ("statement-equals-table", [("0.3", 21), ("2,961.68", 13)])]
    template = next(e for e in exs if e.profile.department is None)
    assert template.profile.template
    assert [f.rule for f in template.findings] == ["blank-template"]          # not hundreds of errors
    assert {t.kind for t in template.tables} >= {"function-lines", "three-public"}   # its tables are still facts


def test_rotated_landscape_page(tmp_path):
    from tests.fixtures.render import render_rotated_table
    body = [["", "合计", "400.00", "100.00", "300.00"],
            ["215", "资源勘探工业信息等支出", "400.00", "100.00", "300.00"],
            ["21508", "支持中小企业发展和管理支出", "300.00", "", "300.00"],
            ["2150805", "中小企业发展专项", "300.00", "", "300.00"],
            ["21505", "工业和信息产业监管", "100.00", "100.00", ""],
            ["2150501", "行政运行", "100.00", "100.00", ""]]
    pdf = render_rotated_table(tmp_path / "rot.pdf", "一般公共预算支出表",
                               ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], body)
    with pdfplumber.open(pdf) as p:
        assert p.pages[0].rotation == 90
    head = "大连市数字经济促进局\n2024 年部门预算\n"
    ex = document_to_extraction(read_bytes(pdf.read_bytes(), source="rot.pdf"))
    lines = {(r.code, r.column.measure): r.amount.value for r in ex.records if isinstance(r, BudgetLine)}
    assert lines[("2150805", "project")] == Decimal("300.00") and lines[(None, "total")] == Decimal("400.00")
    assert not [f for f in ex.findings if f.severity == "error"]
    text = head + "一般公共预算支出表\n单位：万元\n" + "\n".join("\t".join(r) for r in
                                                           [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]] + body)
    from_text = extract_text(text, "rot.txt")
    assert facts(ex) == facts(from_text)


def test_debug_view_of_a_page(tmp_path):
    from typer.testing import CliRunner
    from budgetkg.cli import app
    pdf = render_pdf(DocSpec(HEAD + [invented_projects(5)]), tmp_path / "doc.pdf")
    r = CliRunner().invoke(app, ["debug", str(pdf), "--page", "1", "-o", str(tmp_path / "p1.png")])
    assert r.exit_code == 0 and (tmp_path / "p1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = CliRunner().invoke(app, ["debug", str(pdf), "--page", "9"])
    assert r.exit_code == 1 and "Error: page 9 is not in 1..1" in r.output
