"""项目支出 and 绩效目标 layouts of real documents: invented tables for each layout, and values
read by hand from pages of ../shared/corpus-real."""
from decimal import Decimal

import pytest

from budgetkg.extract.model import Indicator, ItemLine, PerformanceProject, Project
from budgetkg.extract.tables.performance import packed_indicators
from tests.conftest import extract_text
from tests.real_values import REAL

HEAD = "大连市数字经济促进局\n2026 年部门预算\n\n"


def _projects(ex):
    return {p.name: p for p in ex.records if isinstance(p, Project)}


def _amounts(p):
    return {c.label: a.value for c, a in p.amounts}


def test_packed_indicator_cell():
    cell = ("1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。"
            "2、1-产出指标；12-质量指标；不满意回访率；实施周期指标值:100%；年度指标值:100%。")
    assert packed_indicators(cell) == [("产出指标", "数量指标", "会议活动保障次数", "每年≥20场"),
                                       ("产出指标", "质量指标", "不满意回访率", "100%")]
    # commas instead of semicolons, numbering glued as "1.1－", a value holding commas and a full stop
    cell = ("1.1－产出指标，11－数量指标，专职人员数量；实施周期指标值：≦核定人数，年度指标值：≦核定人数；"
            "2、1－产出指标，12－质量指标，队伍管理规范化；实施周期指标值：考察是否符合规范，合规得满分。年度指标值：是；"
            "1、2－效益指标，22－社会效益，信访办结率；实施周期指标值：≥90%，年度指标值：≥90%;")
    assert packed_indicators(cell) == [("产出指标", "数量指标", "专职人员数量", "≦核定人数"),
                                       ("产出指标", "质量指标", "队伍管理规范化", "是"),
                                       ("效益指标", "社会效益", "信访办结率", "≥90%")]


def test_performance_rows_with_packed_indicators():
    text = HEAD + ("大连市数字经济促进局2026年项目支出绩效目标表\n部门名称：大连市数字经济促进局\t单位：万元\n"
                   "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n"
                   "合计\t150.00\t120.00\t\t30.00\t\t\n"
                   "大连市数字经济促进局\t150.00\t120.00\t\t30.00\t\t\n"
                   "数据平台运维经费\t100.00\t70.00\t\t30.00\t保障平台稳定运行。\t"
                   "1、1-产出指标；11-数量指标；运维系统数；实施周期指标值:≥12个；年度指标值:≥12个。"
                   "2、3-满意度指标；31-服务对象满意度；用户满意度；实施周期指标值:≥95%；年度指标值:≥90%。\n"
                   "宣传经费\t50.00\t50.00\t\t\t开展宣传。\t1、1-产出指标；11-数量指标；宣传次数；实施周期指标值:≥10次；年度指标值:≥10次。\n")
    ex = extract_text(text, "rows.txt")
    ps = _projects(ex)
    assert set(ps) == {"数据平台运维经费", "宣传经费"}
    assert ps["数据平台运维经费"].unit == "大连市数字经济促进局"
    assert _amounts(ps["数据平台运维经费"]) == {"总计": Decimal("100.00"), "财政拨款": Decimal("70.00"),
                                            "其他资金": Decimal("30.00")}
    perf = {p.name: p for p in ex.records if isinstance(p, PerformanceProject)}
    assert perf["数据平台运维经费"].budget.value == Decimal("100.00")
    ind = {i.name: i for i in ex.records if isinstance(i, Indicator)}
    assert (ind["用户满意度"].level1, ind["用户满意度"].operator, ind["用户满意度"].target_value, ind["用户满意度"].unit) \
        == ("满意度指标", "≥", Decimal("90"), "%")
    assert ind["宣传次数"].project == "宣传经费"
    units = {(r.item, r.column.label): r.amount.value for r in ex.records if isinstance(r, ItemLine)}
    assert units[("大连市数字经济促进局", "总计")] == Decimal("150.00")


def test_grid_with_several_projects_and_their_amounts():
    text = HEAD + ("项目支出绩效目标表\n单位：万元\n"
                   "项目名称\t项目总额\t财政资金\t绩效目标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\n"
                   "11000024T0000028722 09-质量管理经费\t18.40\t18.40\t提高质量。\t产出指标\t数量指标\t检查覆盖城区数量\t≥\t8\t个\n"
                   "\t\t\t\t成本指标\t经济成本指标\t咨询服务成本\t≤\t10\t万元\n"
                   "11000024T0000028723 19-档案整理\t40.00\t35.00\t整理档案。\t产出指标\t质量指标\t验收合格率\t≥\t95\t%\n")
    ex = extract_text(text, "grid.txt")
    perf = {p.name: p for p in ex.records if isinstance(p, PerformanceProject)}
    assert perf["09-质量管理经费"].budget.value == Decimal("18.40")
    assert _amounts(_projects(ex)["19-档案整理"])["财政资金"] == Decimal("35.00")
    ind = {i.name: i for i in ex.records if isinstance(i, Indicator)}
    assert (ind["咨询服务成本"].project, ind["咨询服务成本"].level1, ind["咨询服务成本"].operator,
            ind["咨询服务成本"].target_value) == ("09-质量管理经费", "成本指标", "≤", Decimal("10"))
    assert ind["验收合格率"].project == "19-档案整理"


def test_projects_table_with_unit_rows_and_goal_after_the_amounts():
    text = HEAD + ("部门预算项目支出预算表\n单位：万元\n"
                   "支出项目类别（资金使用单位）\t总计\t财政拨款\t其他资金\t绩效目标\n"
                   "合计\t80.00\t80.00\t0.00\t\n"
                   "大连市数字经济促进局\t80.00\t80.00\t0.00\t\n"
                   "经济形势分析经费\t64.00\t64.00\t0.00\t形成决策参考。\n"
                   "法律顾问经费\t16.00\t16.00\t0.00\t提供法律服务。\n")
    ex = extract_text(text, "projects.txt")
    ps = _projects(ex)
    assert set(ps) == {"经济形势分析经费", "法律顾问经费"}
    assert _amounts(ps["经济形势分析经费"])["总计"] == Decimal("64.00")
    assert ps["法律顾问经费"].unit == "大连市数字经济促进局"


# ------------------------------------------------------------------ real pages, values read by hand

def _real(rel):
    path = REAL / rel
    if not path.exists():
        pytest.skip(f"{rel} not in ../shared/corpus-real")
    from budgetkg.extract.pipeline import extract_path
    return extract_path(path)


@pytest.fixture(scope="module")
def wuhan():
    return _real("calinchow-del+renwu/009_武汉/2026年武汉市信访局部门预算.pdf")


@pytest.fixture(scope="module")
def hangzhou():
    return _real("calinchow-del+renwu/008_杭州/2026年杭州市司法局部门预算.pdf")


def test_real_form_amounts_become_the_project_budget(wuhan):
    # p.30 信息化运行维护绩效目标表: 年度资金总额 2,134.87; 其中：财政拨款 1,384.87; 上年结转 750.00
    perf = next(p for p in wuhan.records if isinstance(p, PerformanceProject) and p.name == "信息化运行维护")
    assert perf.budget.printed == "2,134.87"
    proj = next(p for p in wuhan.records if isinstance(p, Project) and p.name == "信息化运行维护")
    got = {c.label: a.printed for c, a in proj.amounts}
    assert got["财政拨款"] == "1,384.87" and got["上年结转"] == "750.00"
    ind = {i.name: i for i in wuhan.records if isinstance(i, Indicator) and i.project == "信息化运行维护"}
    # 成本指标 | 经济成本指标 | 项目总成本 | ≤2134.87万元
    assert (ind["项目总成本"].level1, ind["项目总成本"].target) == ("成本指标", "≤2134.87万元")
    assert ind["设备完好率"].target == "≥96%"


def test_real_projects_table_with_numbered_header(hangzhou):
    # p.37 2026年市级部门项目支出预算表: 法治社会建设 990.04; 法治保障 479.75 of which 单位资金 28.60
    ps = {(p.unit, p.name): p for p in hangzhou.records if isinstance(p, Project) and p.prov.page == 37}
    assert _amounts(ps[("杭州市司法局", "法治社会建设")])["总计"] == Decimal("990.04")
    assert _amounts(ps[("杭州市司法局", "法治保障")])["单位资金"] == Decimal("28.60")
    # p.39 2026年市级部门项目支出绩效表: 项目名称 | 金额 | 绩效目标
    perf = {p.name: p for p in hangzhou.records if isinstance(p, PerformanceProject) and p.prov and p.prov.page == 39}
    assert perf["法治政府建设"].budget.printed == "676.51"
