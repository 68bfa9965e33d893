"""Error findings on real documents are real inconsistencies of the source, pinned with page and
values (read on the page: 普陀区司法局's 单位预算 prints 64,840,547.00 as 行政运行's 项目支出 on
p11 and p14 while its 基本支出 is the whole 14,348,853.34 合计) — and documents read right give none."""
from __future__ import annotations

import pytest

from tests.real_values import REAL, extraction

UNIT = "zxj6827111-blip+GovBudgetChecker/unit_budget.pdf"


def errors(file: str):
    if not (REAL / file).exists():
        pytest.skip("corpus-real not beside the repository")
    return [f for f in extraction(file).findings if f.severity == "error"]


def test_a_project_figure_printed_on_the_wrong_row_is_found_with_both_sides():
    found = {(f.rule, s.prov.page, s.printed) for f in errors(UNIT) for s in f.sides}
    for page in (11, 14):      # 支出预算总表 and 一般公共预算支出功能分类预算表 print the same rows
        assert ("total-equals-basic-plus-project", page, "14,348,853.34") in found
        assert ("total-equals-basic-plus-project", page, "64,840,547.00") in found
        assert ("parent-equals-children", page, "64,840,547.00") in found
    assert len(errors(UNIT)) == 4


@pytest.mark.parametrize("file", [
    "calinchow-del+renwu/025_烟台/2026年烟台市财政局部门预算.pdf",                 # rows classified twice
    "calinchow-del+renwu/004_重庆/2026年重庆市规划和自然资源局部门预算.pdf",        # 财政拨款 其中：基本支出
    "calinchow-del+renwu/006_苏州/2026年苏州市审计局部门预算.pdf",                 # 购置预算支出 is no 预算支出
    "calinchow-del+renwu/022_佛山/2026年佛山市交通运输局部门预算.pdf",             # 三公 in the 决算's own phase
    "zxj6827111-blip+tianbaoxitong/1769321942920-969924351.pdf",                # a local 30212
    "zxj6827111-blip+GovBudgetChecker/上海市普陀区人民政府万里街道办事处24年预算.pdf",  # 301 | 2 is 30102
    "ae86jack+open-budget/江苏省人大办公厅2017年度预算公开.pdf",                    # a continuation ruled wider
])
def test_documents_read_right_have_no_error(file):
    assert [f.message for f in errors(file)] == []


# the changes and rates the explanations state, against their own two figures (read on the pages)
RATES = {
    "ae86jack+open-budget/2017年省检察院部门预算.pdf": [(22, "6032.55", "3401.59", "129.97", "error")],
    "ae86jack+open-budget/2018年省检察院部门预算公开.pdf": [(23, "21,955.35", "3,958.67", "21.95", "warning"),
                                                   (26, "3,666", "21.8", "0.06", "error")],
    "ae86jack+open-budget/省人大办公厅2018预算公开.pdf": [(21, "1685.72", "1557.29", "1312.56", "error")],
    "ae86jack+open-budget/江苏省委办公厅2019年度部门预算公开文件.pdf": [(6, "27664.22", "3205.79", "413.11", "error"),
                                                         (7, "3894.09", "878.93", "30", "error")],
    "calinchow-del+renwu/009_武汉/2026年武汉市信访局部门预算.pdf": [(25, "1,391.68", "333.83", "31.35", "error")],
}


@pytest.mark.parametrize("file", sorted(RATES))
def test_stated_change_rates_that_do_not_follow_from_their_figures(file):
    if not (REAL / file).exists():
        pytest.skip("corpus-real not beside the repository")
    got = {(s.prov.page, *(x.printed for x in f.sides), f.severity) for f in extraction(file).findings
           for s in f.sides[:1] if f.rule == "stated-change-rate-matches-figures"}
    for page, current, change, rate, severity in RATES[file]:
        assert (page, current, change, rate, severity) in got


def test_a_table_whose_title_wraps_is_read_as_its_own_table():
    # 2017 省检察院 p16: the title 十一、一般公共预算“三公”经费、会议费、培训费支出预算表 wraps (…支出预 / 算表);
    # read as two lines it started no table and the 三公 table ran into the 机关运行经费 table above.
    file = "ae86jack+open-budget/2017年省检察院部门预算.pdf"
    if not (REAL / file).exists():
        pytest.skip("corpus-real not beside the repository")
    ex = extraction(file)
    assert not [f for f in ex.findings if f.rule in ("required-table-present", "table-present-not-read")]
    assert ex.kinds.get("three-public") == 1


def test_a_word_table_with_white_cell_boxes_sums_right():
    # 2018 省检察院 公开05表 财政拨款支出预算表 (p15-16): 20404 检察 16,444.36 = 2040401 10,883.36
    # + 2040402 3,666.00 + 2040405 1895.00. White boxes behind each cell's text cut the grid into
    # slivers and the rows of p16 were lost: a sum error the source does not have.
    file = "ae86jack+open-budget/2018年省检察院部门预算公开.pdf"
    assert not [f for f in errors(file) if f.rule == "parent-equals-children"]
    assert [(f.rule, f.sides[0].prov.page) for f in errors(file)] == [("stated-change-rate-matches-figures", 26)]


@pytest.mark.parametrize("file,page,rate,severity", [
    # a rate the text prints against the change and the figure of its own sentence (read on the page)
    ("ae86jack+open-budget/2017年省检察院部门预算.pdf", 22, "129.97", "error"),        # 3401.59 ÷ 2630.96 = 129.29 %
    ("ae86jack+open-budget/2018年省检察院部门预算公开.pdf", 26, "0.06", "error"),       # 21.8 ÷ 3644.2 = 0.60 %
    ("ae86jack+open-budget/2018年省检察院部门预算公开.pdf", 23, "21.95", "warning"),
    ("ae86jack+open-budget/2019年度部门预算公开.pdf", 26, "13.22", "error"),           # 项目支出 减少1237.7, copied 13.22 %
    ("ae86jack+open-budget/2019年度部门预算公开.pdf", 25, "10.06", "warning"),
    ("ae86jack+open-budget/2019年度部门预算公开.pdf", 29, "34.38", "warning"),
    ("ae86jack+open-budget/江苏省委办公厅2017年部门预算.pdf", 8, "1.66", "warning"),
    ("ae86jack+open-budget/江苏省委办公厅2019年度部门预算公开文件.pdf", 6, "413.11", "error"),  # 3205.79 ÷ 24458.43 = 13.11 %
    ("ae86jack+open-budget/江苏省委办公厅2019年度部门预算公开文件.pdf", 7, "30", "error"),
    ("ae86jack+open-budget/江苏省政协办公厅2018年度部门预算.pdf", 15, "66.69", "warning"),
    ("ae86jack+open-budget/省人大办公厅2018预算公开.pdf", 21, "1312.56", "error"),      # 1557.29 ÷ 128.43 = 1212.56 %
    ("calinchow-del+renwu/009_武汉/2026年武汉市信访局部门预算.pdf", 25, "31.35", "error"),  # 333.83 ÷ 1057.85 = 31.56 %
])
def test_a_stated_rate_that_contradicts_its_figures(file, page, rate, severity):
    if not (REAL / file).exists():
        pytest.skip("corpus-real not beside the repository")
    found = [f for f in extraction(file).findings if f.rule == "stated-change-rate-matches-figures"
             and any(s.printed == rate and s.prov.page == page for s in f.sides)]
    assert [f.severity for f in found] == [severity]
