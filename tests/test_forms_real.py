"""绩效目标表 forms on real published pages of ../shared/corpus-real, read at the extraction level.
Every expected value was read BY HAND from the rendered page (file and page cited beside it); the
layouts behind them are general: a merged cell taller than six rows, a cell left open at a page
break (its bottom ruling printed on the next page), a generator's clipped overflow drawn above the
next page's top, a 部门整体 form, and a 一级 cell merged over two grid columns."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from budgetkg.extract.model import Indicator, PerformanceProject
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "corpus-real"
# 北京市审计局 2026 部门预算报表, 预算表12 项目支出绩效目标表 p12–19 (万元)
BJ = "calinchow-del+renwu/002_北京/审计局_附件2：北京市审计局2026年度部门预算报表.pdf"
# 广州市政务服务和数据管理局 2026 部门整体预算绩效目标申报表 (2 pages)
GZ = "calinchow-del+renwu/005_广州/政务服务和数据管理局_广州市政务服务和数据局2026年部门整体预算绩效目标申报表.pdf.pdf"


def _extract(rel: str):
    path = REAL / rel
    if not path.is_file():
        pytest.skip(f"{rel} not found in ../shared/corpus-real")
    from budgetkg.extract.pipeline import extract_path
    return extract_path(path, checks=False)


@pytest.fixture(scope="module")
def bj():
    return _extract(BJ)


@pytest.fixture(scope="module")
def gz():
    return _extract(GZ)


def projects(ex) -> dict[str, PerformanceProject]:
    return {r.name: r for r in ex.records if isinstance(r, PerformanceProject)}


def indicators(ex, project: str) -> list[Indicator]:
    return [r for r in ex.records if isinstance(r, Indicator) and r.project == project]


# ---------------------------------------------------------------- 北京 预算表12

def test_a_merged_cell_taller_than_six_rows_names_its_project(bj):
    # p14: 11000024T0000028722 78-绩效考评及预算执行检查和内控风险评估等经费 | 56.460000 | 56.460000, its name set
    # in the middle of a cell 17 indicator rows tall (数量 5, 质量 3, 时效 3, 成本 3, 效益 3)
    p = projects(bj)["78-绩效考评及预算执行检查和内控风险评估等经费"]
    assert (p.budget.printed, p.budget.value, p.prov.page) == ("56.460000", Decimal("56.460000"), 14)
    ind = indicators(bj, p.name)
    assert len(ind) == 17
    assert ("预算绩效管理成本控制数", "≤", "36.46") in {(i.name, i.operator, i.target) for i in ind}
    # p13: 19-档案数字化、OFD转换及整理 keeps its own nine (效益 3, 满意度 1, 时效 2, 质量 2, 数量 1)
    assert len(indicators(bj, "19-档案数字化、OFD转换及整理")) == 9


def test_a_cell_left_open_by_the_page_break_is_read(bj):
    # p16: 31-项目及手续费等支出 (50.117193) has ten indicator rows; 15-内部审计指导监督经费 | 61.800000 starts
    # under it in a cell whose bottom ruling is on p17 — 19 rows on p16 and 4 more on p17
    ps = projects(bj)
    assert len(indicators(bj, "31-项目及手续费等支出")) == 10
    p = ps["15-内部审计指导监督经费"]
    assert (p.budget.printed, p.prov.page) == ("61.800000", 16)
    ind = indicators(bj, p.name)
    assert [sum(1 for i in ind if i.prov.page == pg) for pg in (16, 17)] == [19, 4]
    # p17: 满意度指标 | 服务对象满意度指标 | 培训人员满意度 | ≥ | 95 | %
    assert ("满意度指标", "服务对象满意度指标", "培训人员满意度", "≥", Decimal("95"), "%") in {
        (i.level1, i.level2, i.name, i.operator, i.target_value, i.unit) for i in ind}


def test_the_pages_after_a_clipped_overflow_are_the_same_form(bj):
    # p17–19 continue 预算表12 with no heading; the rest of p16's tall cell is drawn again above p17's top
    # (clipped, not printed) — it is no prose and does not cut the form in two
    ps = projects(bj)
    got = {(n, ps[n].budget.printed, ps[n].prov.page) for n in ps if ps[n].prov and ps[n].prov.page in (17, 18, 19)}
    assert got == {("26-公务用车更新经费", "37.380000", 17), ("90-会计档案数字化归档及容灾保障服务", "8.000000", 17),
                   ("05-财政行政与农业、投资审计项目", "580.988277", 17), ("41-社保、企业与电子数据审计项目", "571.856343", 18),
                   ("43-经济责任与城管审计项目", "678.213880", 18), ("13-审计及审计调查数据信息", "81.600000", 19)}
    # p17: 26-公务用车更新经费 | 产出指标 | 数量指标 | 采购数量 | ≥ | 2 | 台
    assert ("产出指标", "数量指标", "采购数量", "≥", Decimal("2"), "台") in {
        (i.level1, i.level2, i.name, i.operator, i.target_value, i.unit) for i in indicators(bj, "26-公务用车更新经费")}
    forms = [t for t in bj.tables if t.kind and t.kind.startswith("performance") and t.page in range(12, 20)]
    assert [(t.title, t.page) for t in forms] == [("预算表12项目支出绩效目标表", 12)]
    import pdfplumber
    from budgetkg.extract.readers.pdf import PdfSettings, page_rows
    with pdfplumber.open(REAL / BJ, pages=[17]) as pdf:
        rows = page_rows(pdf.pages[0], 17, PdfSettings())
    assert all(c.bbox[1] >= 0 for r in rows for c in r.cells if c.bbox)
    # the page's first row is the form's: 产出指标 | 时效指标 | 12月底前内部审计质量检查工作进度 | ＝ | 100 | %
    assert [c.text for c in rows[0].cells if c.text][:3] == ["产出指标", "时效指标", "12月底前内部审计质量检查工作进度"]


# ---------------------------------------------------------------- 广州 部门整体

def test_a_whole_department_form_is_the_departments(gz):
    # p1: 部门名称 | 广州市政务服务和数据管理局 — the form is the department's own, no project
    ps = list(projects(gz).values())
    assert [(p.name, p.scope) for p in ps] == [("广州市政务服务和数据管理局", "department")]
    # p2: 21 indicators (数量 6, 质量 2, 时效 2, 社会效益 7, 满意度 2, 成本 2)
    assert len(indicators(gz, ps[0].name)) == 21


def test_level_two_sits_in_its_headed_column(gz):
    # p2: 一级指标 spans two grid columns; 满意度指标 | 服务对象满意度指标 | 政务服务受理综合满意率 | ≥95%, and the
    # next row; 成本指标 | 经济成本指标 | 人工成本控制率 | ≤1; 产出指标 | 质量指标 | 应用系统安全服务覆盖率 | ≥80%
    got = {(i.level1, i.level2, i.name, i.target) for i in indicators(gz, "广州市政务服务和数据管理局")}
    assert {("满意度指标", "服务对象满意度指标", "政务服务受理综合满意率", "≥95%"),
            ("满意度指标", "服务对象满意度指标", "数字政府政务云、安全运营、信息基础设施统一运维服务综合满意率", "≥80%"),
            ("成本指标", "经济成本指标", "人工成本控制率", "≤1"),
            ("产出指标", "质量指标", "应用系统安全服务覆盖率", "≥80%")} <= got


# ---------------------------------------------------------------- the reader's rule, on its own

def _row(top: float, bottom: float, *cells):
    return SimpleNamespace(bbox=(0, top, 300, bottom), cells=list(cells))


def test_holder_of_open_and_merged_cells():
    from budgetkg.extract.readers.pdf import _holder
    # two columns; column 0 holds one closed cell over rows 0–1, then nothing (open to the page's end)
    rows = [_row(0, 10, (0, 0, 100, 20), (100, 0, 300, 10)),
            _row(10, 20, None, (100, 10, 300, 20)),
            _row(20, 30, None, (100, 20, 300, 30)),
            _row(30, 40, None, (100, 30, 300, 40))]
    assert _holder(rows, 1, 50, 15) == (0, 0, None)                     # merged: held by its first row
    assert _holder(rows, 3, 50, 35) == (2, 0, (0, 20, 100, 40))         # open: from the closed cell's end down
    assert _holder(rows, 3, 150, 35) == (3, 1, None)
    # a gap between two closed cells of the column is no cell
    gap = [_row(0, 10, (0, 0, 100, 10)), _row(10, 20, None), _row(20, 30, (0, 20, 100, 30))]
    assert _holder(gap, 1, 50, 15) is None
