"""Office-made input (committed fixtures made by LibreOffice from invented content): the xlsx,
the xls, the Calc PDF and the Writer PDF give exactly the facts of the same content as text."""
from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.extract.pipeline import extract_path
from budgetkg.extract.readers import read_path
from tests.test_pdf import facts

OFFICE = Path(__file__).parent / "fixtures" / "office"
FORMS = ["invented_budget.xlsx", "invented_budget.xls", "invented_budget_calc.pdf", "invented_budget_writer.pdf"]


@pytest.fixture(scope="module")
def text_facts():
    return facts(extract_path(OFFICE / "invented_budget.txt"))


@pytest.mark.parametrize("name", FORMS)
def test_same_facts_as_text(name, text_facts):
    ex = extract_path(OFFICE / name)
    assert ex.profile.department == "鞍山市数字产业发展局" and ex.profile.year == 2024
    assert facts(ex) == text_facts
    assert not [f for f in ex.findings if f.severity == "error"]


def test_text_facts_are_the_invented_figures(text_facts):
    assert ("line", "2150805", "中小企业发展专项", "2024年预算数/合计", Decimal("1300.00")) in text_facts
    assert ("3p", "vehicle-operation", 2024, Decimal("8.00")) in text_facts


def test_merged_cells_expanded_in_xlsx():
    doc = read_path(OFFICE / "invented_budget.xlsx")
    t = next(t for t in doc.tables if t.title == "一般公共预算支出表")
    assert t.header[0].texts[:5] == ["功能分类科目", "功能分类科目", "2024年预算数", "2024年预算数", "2024年预算数"]
    assert all(r.page == 1 for r in t.body) and t.body[0].line is not None      # sheet 1, its row


@pytest.mark.parametrize("name", ["invented_budget_calc.pdf", "invented_budget_writer.pdf"])
def test_office_pdfs_embed_subset_cjk_fonts(name):
    import pdfplumber
    with pdfplumber.open(OFFICE / name) as pdf:
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    assert any("+" in f and "CJK" in f for f in fonts)      # subset prefix, as office suites embed
